import Foundation
import Testing

@testable import SluiceCore

/// CreateEventSourceMapping without I/O: `reference/esm-api.md` §2, §3, §5, §7, §8 and `docs/compatibility.md`.
@Suite struct MappingCreateValidationTests {
    static let identity = RequestIdentity(region: "us-east-1")
    static let uuid = "6d5f3f0a-2b1c-4e8f-9a7b-0c1d2e3f4a5b"
    static let now = Timestamp(millisecondsSinceEpoch: 1_732_530_000_123)
    static let functionArn = "arn:aws:lambda:us-east-1:000000000000:function:my-fn"
    static let mappingArn = "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:\(uuid)"
    static let streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
    static let tableStreamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-11-25T10:00:00.123"
    static let queueArn = "arn:aws:sqs:us-east-1:000000000000:q"
    static let clusterArn = "arn:aws:kafka:us-east-1:000000000000:cluster/c/8f2a"
    static let secretArn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:kafka"

    /// The smallest valid Create body of each source kind plus `extra` members; the default StartingPosition of a
    /// stream and the SourceAccessConfigurations of self-managed Kafka are added unless `extra` names them.
    static func body(_ kind: EventSourceKind, _ extra: String = "") -> String {
        var members = [#""FunctionName":"my-fn""#]
        switch kind {
        case .kinesis: members += [#""EventSourceArn":"\#(streamArn)""#, #""StartingPosition":"TRIM_HORIZON""#]
        case .dynamoDBStreams: members += [#""EventSourceArn":"\#(tableStreamArn)""#, #""StartingPosition":"LATEST""#]
        case .sqs: members += [#""EventSourceArn":"\#(queueArn)""#]
        case .amazonMSK: members += [#""EventSourceArn":"\#(clusterArn)""#, #""Topics":["orders"]"#]
        case .selfManagedKafka:
            members += [
                #""SelfManagedEventSource":{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["b1:9092"]}}"#, #""Topics":["orders"]"#,
                #""SourceAccessConfigurations":[{"Type":"BASIC_AUTH","URI":"\#(secretArn)"}]"#,
            ]
        }
        members.removeAll { member in ["StartingPosition", "SourceAccessConfigurations"].contains { member.hasPrefix("\"\($0)\"") && extra.contains("\"\($0)\"") } }
        return "{" + (members + (extra.isEmpty ? [] : [extra])).joined(separator: ",") + "}"
    }

    /// Decodes `json` as the wire body, validates it and builds the mapping, as the registry does.
    static func create(_ json: String, identity: RequestIdentity = identity, now: Timestamp = now) throws
        -> EventSourceMappingConfiguration
    {
        let request = try JSONDecoder().decode(CreateEventSourceMappingRequest.self, from: Data(json.utf8))
        let target = try EventSourceMappingConfiguration.validate(request, identity: identity)
        return try EventSourceMappingConfiguration(
            creating: request, target: target, uuid: uuid, now: now, state: .creating
        )
    }

    /// The response body as JSON, `LastModified` left out (checked on its own).
    static func wire(_ configuration: EventSourceMappingConfiguration) throws -> JSONObject {
        let text = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        var object = try #require(try JSONValue(parsing: text).objectValue)
        object["LastModified"] = nil
        return object
    }

    static func outOfRange(_ value: Int, _ path: String, _ rule: String) -> AWSError {
        .validation(
            "1 validation error detected: Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value \(rule)"
        )
    }

    static func unsupported(_ member: String) -> AWSError {
        .invalidParameterValue("Unsupported \(member) parameter for given event source mapping type.")
    }

    // MARK: Defaults per source (§3)

    /// The Create response of §3 for each source, as JSON text (`LastModified` aside).
    static func recorded(_ kind: EventSourceKind) -> String {
        let common = #""UUID":"\#(uuid)","EventSourceMappingArn":"\#(mappingArn)","FunctionArn":"\#(functionArn)","State":"Creating""#
        let stream = #""BatchSize":100,"BisectBatchOnFunctionError":false,"DestinationConfig":{"OnFailure":{}},"#
            + #""FunctionResponseTypes":[],"LastProcessingResult":"No records processed","#
            + #""MaximumBatchingWindowInSeconds":0,"MaximumRecordAgeInSeconds":-1,"MaximumRetryAttempts":-1,"#
            + #""ParallelizationFactor":1,"StateTransitionReason":"User action","TumblingWindowInSeconds":0"#
        let kafka = #""BatchSize":100,"LastProcessingResult":"No records processed","StartingPosition":"TRIM_HORIZON","#
            + #""StateTransitionReason":"USER_INITIATED","Topics":["orders"]"#
        let specific = switch kind {
        case .sqs:
            #""EventSourceArn":"\#(queueArn)","BatchSize":10,"MaximumBatchingWindowInSeconds":0,"#
                + #""FunctionResponseTypes":[],"StateTransitionReason":"USER_INITIATED""#
        case .kinesis: #""EventSourceArn":"\#(streamArn)","StartingPosition":"TRIM_HORIZON",\#(stream)"#
        case .dynamoDBStreams: #""EventSourceArn":"\#(tableStreamArn)","StartingPosition":"LATEST",\#(stream)"#
        case .amazonMSK:
            #""EventSourceArn":"\#(clusterArn)","AmazonManagedKafkaEventSourceConfig":{"ConsumerGroupId":"\#(uuid)"},"#
                + kafka
        case .selfManagedKafka:
            #""SelfManagedEventSource":{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["b1:9092"]}},"#
                + #""SelfManagedKafkaEventSourceConfig":{"ConsumerGroupId":"\#(uuid)"},"#
                + #""SourceAccessConfigurations":[{"Type":"BASIC_AUTH","URI":"\#(secretArn)"}],\#(kafka)"#
        }
        return "{\(common),\(specific)}"
    }

    @Test(arguments: EventSourceKind.allCases)
    func defaultCreateResponseHasExactlyTheRecordedKeysAndValues(kind: EventSourceKind) throws {
        let expected = try #require(try JSONValue(parsing: Self.recorded(kind)).objectValue)
        let actual = try Self.wire(Self.create(Self.body(kind)))
        #expect(Set(actual.keys) == Set(expected.keys))
        #expect(actual == expected)
    }

    @Test(arguments: [(Int64(1_732_530_000_123), 1_732_530_000.123), (0, 0), (1_700_000_000_000, 1_700_000_000)])
    func lastModifiedIsTheNowPassedInAsEpochSeconds(milliseconds: Int64, seconds: Double) throws {
        let now = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(try Self.create(Self.body(.sqs), now: now).lastModified == seconds)
    }

    @Test(arguments: ["us-east-1", "eu-central-1", "us-gov-west-1"])
    func eventSourceMappingArnNamesTheRequestRegionAccountAndUUID(region: String) throws {
        let configuration = try Self.create(Self.body(.sqs), identity: RequestIdentity(region: region))
        #expect(configuration.eventSourceMappingArn == "arn:aws:lambda:\(region):000000000000:event-source-mapping:\(Self.uuid)")
        #expect(configuration.functionArn == "arn:aws:lambda:\(region):000000000000:function:my-fn")
    }

    @Test func eventSourceMappingArnStaysInTheRequestRegionWhenTheFunctionArnNamesAnother() throws {
        let other = "arn:aws:lambda:eu-west-1:000000000000:function:my-fn"
        let configuration = try Self.create(#"{"FunctionName":"\#(other)","EventSourceArn":"\#(Self.queueArn)"}"#)
        #expect(configuration.functionArn == other)
        #expect(configuration.eventSourceMappingArn == Self.mappingArn)
    }

    // MARK: FunctionArn (§8)

    @Test(arguments: [
        ("my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn"),
        ("my-fn:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST"),
        ("my-fn:1", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:1"),
        ("my-fn:prod", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod"),
        ("000000000000:function:my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn"),
        ("000000000000:function:my-fn:prod", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod"),
        ("us-east-1:000000000000:function:my-fn:7", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:7"),
        ("arn:aws:lambda:us-east-1:000000000000:function:my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn"),
        ("arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST"),
        ("arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod", "arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod"),
    ] as [(String, String)])
    func functionArnEchoesTheQualifierAsResolved(functionName: String, functionArn: String) throws {
        let json = #"{"FunctionName":"\#(functionName)","EventSourceArn":"\#(Self.queueArn)"}"#
        #expect(try Self.create(json).functionArn == functionArn)
    }

    @Test func missingFunctionNameIsAValidationErrorWithAnUnquotedNull() {
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: "
                + "Member must not be null"
        )) { try Self.create(#"{"EventSourceArn":"\#(Self.queueArn)"}"#) }
    }

    // MARK: Model ranges (§2)

    struct RangeRow: Sendable, CustomTestStringConvertible {
        let kind: EventSourceKind
        /// The member as JSON with `#` where the number goes.
        let template: String
        let keys: [String]
        let path: String
        let range: ClosedRange<Int>
        var testDescription: String { "\(path) \(range)" }

        init(_ kind: EventSourceKind, _ template: String, _ keys: [String], _ path: String, _ range: ClosedRange<Int>) {
            (self.kind, self.template, self.keys, self.path, self.range) = (kind, template, keys, path, range)
        }

        func json(_ value: Int) -> String { template.replacingOccurrences(of: "#", with: String(value)) }
    }

    static let ranges = [
        RangeRow(.kinesis, #""BatchSize":#"#, ["BatchSize"], "batchSize", 1...10000),
        RangeRow(.kinesis, #""MaximumBatchingWindowInSeconds":#"#, ["MaximumBatchingWindowInSeconds"],
                 "maximumBatchingWindowInSeconds", 0...300),
        RangeRow(.kinesis, #""ParallelizationFactor":#"#, ["ParallelizationFactor"], "parallelizationFactor", 1...10),
        RangeRow(.kinesis, #""MaximumRecordAgeInSeconds":#"#, ["MaximumRecordAgeInSeconds"],
                 "maximumRecordAgeInSeconds", -1...604_800),
        RangeRow(.dynamoDBStreams, #""MaximumRetryAttempts":#"#, ["MaximumRetryAttempts"], "maximumRetryAttempts",
                 -1...10000),
        RangeRow(.dynamoDBStreams, #""TumblingWindowInSeconds":#"#, ["TumblingWindowInSeconds"],
                 "tumblingWindowInSeconds", 0...900),
        RangeRow(.sqs, #""ScalingConfig":{"MaximumConcurrency":#}"#, ["ScalingConfig", "MaximumConcurrency"],
                 "scalingConfig.maximumConcurrency", 2...1000),
        RangeRow(.sqs, #""ProvisionedPollerConfig":{"MinimumPollers":#}"#, ["ProvisionedPollerConfig", "MinimumPollers"],
                 "provisionedPollerConfig.minimumPollers", 1...200),
        RangeRow(.selfManagedKafka, #""ProvisionedPollerConfig":{"MaximumPollers":#}"#,
                 ["ProvisionedPollerConfig", "MaximumPollers"], "provisionedPollerConfig.maximumPollers", 1...2000),
    ]

    @Test(arguments: ranges)
    func acceptsEachRangeAtBothBounds(row: RangeRow) throws {
        for value in [row.range.lowerBound, row.range.upperBound] {
            let wire = JSONValue.object(try Self.wire(Self.create(Self.body(row.kind, row.json(value)))))
            let echoed = row.keys.reduce(Optional(wire)) { $0?[$1] }
            #expect(echoed == .number(JSONNumber(value)), "\(row.path) = \(value)")
        }
    }

    @Test(arguments: ranges)
    func rejectsOnePastEachBoundWithValidationException(row: RangeRow) {
        let low = row.range.lowerBound - 1
        let high = row.range.upperBound + 1
        let lowRule = "greater than or equal to \(row.range.lowerBound)"
        let highRule = "less than or equal to \(row.range.upperBound)"
        #expect(throws: Self.outOfRange(low, row.path, lowRule)) { try Self.create(Self.body(row.kind, row.json(low))) }
        #expect(throws: Self.outOfRange(high, row.path, highRule)) { try Self.create(Self.body(row.kind, row.json(high))) }
    }

    @Test func twoViolationsAreJoinedInOneMessage() {
        #expect(throws: AWSError.validation(
            "2 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have "
                + "value greater than or equal to 1; Value '11' at 'parallelizationFactor' failed to satisfy "
                + "constraint: Member must have value less than or equal to 10"
        )) { try Self.create(Self.body(.kinesis, #""BatchSize":0,"ParallelizationFactor":11"#)) }
    }

    // MARK: InvalidParameterValueException rows of §5 (no I/O)

    static let nullStartingPosition =
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."
    static let recordAge = "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
    static let fifo = #""EventSourceArn":"\#(queueArn).fifo""#

    @Test(arguments: [
        (body(.kinesis, #""DestinationConfig":{"OnSuccess":{"Destination":"\#(queueArn)"}}"#), "Unsupported DestinationConfig parameter for given event source mapping type."),
        (#"{"FunctionName":"my-fn"}"#, "Unrecognized event source."),
        (#"{"FunctionName":"my-fn","EventSourceArn":"arn:aws:s3:::bucket"}"#, "Unrecognized event source."),
        (#"{"FunctionName":"my-fn","EventSourceArn":"arn:aws:kinesis:us-east-1:000000000000:table/t"}"#, "Unrecognized event source."),
        (#"{"FunctionName":"my-fn","SelfManagedEventSource":{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["b1:9092"]}},"Topics":["t"]}"#,
         "Required 'sourceAccessConfigurations' parameter is missing."),
        (#"{"FunctionName":"my-fn","EventSourceArn":"\#(streamArn)"}"#, nullStartingPosition),
        (#"{"FunctionName":"my-fn","EventSourceArn":"\#(tableStreamArn)"}"#, nullStartingPosition),
        (body(.dynamoDBStreams, #""StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1700000000"#),
         "Unsupported starting position for arn type: \(tableStreamArn)"),
        (body(.sqs, #""BatchSize":11"#), "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"),
        (#"{"FunctionName":"my-fn",\#(fifo),"BatchSize":11,"MaximumBatchingWindowInSeconds":1}"#,
         "Batch size for FIFO queues must be less than or equal to 10."),
        (#"{"FunctionName":"my-fn",\#(fifo),"MaximumBatchingWindowInSeconds":1}"#, "Batching window is not supported for FIFO queues."),
        (body(.kinesis, #""MaximumRecordAgeInSeconds":0"#), recordAge),
        (body(.selfManagedKafka, #""MaximumRecordAgeInSeconds":59"#), recordAge),
        (body(.sqs, #""FilterCriteria":{"Filters":[{"Pattern":"not json"}]}"#), "Invalid filter pattern definition."),
        (#"{"FunctionName":"my-fn","EventSourceArn":"\#(clusterArn)"}"#, "Required 'topics' parameter is missing."),
        (body(.sqs, #""Queues":["q"]"#), "Unsupported Queues parameter for given event source mapping type."),
    ] as [(String, String)])
    func rejectsWithTheExactInvalidParameterValueText(json: String, message: String) {
        #expect(throws: AWSError.invalidParameterValue(message)) { try Self.create(json) }
    }

    @Test(arguments: [(60, 60), (-1, -1), (604_800, 604_800)])
    func recordAgeOfMinusOneOrSixtyAndMoreIsAccepted(age: Int, echoed: Int) throws {
        let configuration = try Self.create(Self.body(.kinesis, #""MaximumRecordAgeInSeconds":\#(age)"#))
        #expect(configuration.maximumRecordAgeInSeconds == echoed)
    }

    @Test func sqsAcceptsBatchSizeAboveTenOnceAWindowIsSet() throws {
        let configuration = try Self.create(Self.body(.sqs, #""BatchSize":10000,"MaximumBatchingWindowInSeconds":1"#))
        #expect(configuration.batchSize == 10000)
        #expect(configuration.maximumBatchingWindowInSeconds == 1)
    }

    // MARK: StartingPosition

    @Test(arguments: [
        (EventSourceKind.kinesis, "LATEST"), (.kinesis, "TRIM_HORIZON"), (.dynamoDBStreams, "TRIM_HORIZON"),
        (.amazonMSK, "LATEST"), (.selfManagedKafka, "LATEST"),
    ])
    func startingPositionIsEchoed(kind: EventSourceKind, position: String) throws {
        let configuration = try Self.create(Self.body(kind, #""StartingPosition":"\#(position)""#))
        #expect(configuration.startingPosition == position)
        #expect(configuration.startingPositionTimestamp == nil)
    }

    @Test(arguments: ["invalid", "latest", "AT_SEQUENCE_NUMBER", ""])
    func startingPositionOutsideTheEnumIsAValidationException(position: String) {
        let json = #"{"FunctionName":"my-fn","EventSourceArn":"\#(Self.streamArn)","StartingPosition":"\#(position)"}"#
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value '\(position)' at 'startingPosition' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"
        )) { try Self.create(json) }
    }

    @Test(arguments: [EventSourceKind.kinesis, .amazonMSK, .selfManagedKafka])
    func atTimestampKeepsTheTimestampForKinesisAndKafka(kind: EventSourceKind) throws {
        let json = Self.body(kind, #""StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1700000000.5"#)
        let configuration = try Self.create(json)
        #expect(configuration.startingPosition == "AT_TIMESTAMP")
        #expect(configuration.startingPositionTimestamp == 1_700_000_000.5)
    }

    @Test func atTimestampWithoutATimestampIsRejected() {
        let json = #"{"FunctionName":"my-fn","EventSourceArn":"\#(Self.streamArn)","StartingPosition":"AT_TIMESTAMP"}"#
        #expect(throws: AWSError.invalidParameterValue(
            "StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP."
        )) { try Self.create(json) }
    }

    @Test func timestampIsDroppedUnlessThePositionIsAtTimestamp() throws {
        let configuration = try Self.create(Self.body(.kinesis, #""StartingPositionTimestamp":1700000000"#))
        #expect(configuration.startingPositionTimestamp == nil)
        #expect(try Self.wire(configuration)["StartingPositionTimestamp"] == nil)
    }

    @Test(arguments: [
        (#""StartingPosition":"LATEST""#, "StartingPosition"),
        (#""StartingPositionTimestamp":1700000000"#, "StartingPositionTimestamp"),
        (#""Topics":["orders"]"#, "Topics"),
    ])
    func sqsRefusesStreamAndKafkaCreateMembers(member: String, name: String) {
        #expect(throws: Self.unsupported(name)) { try Self.create(Self.body(.sqs, member)) }
    }

    // MARK: Applicability ("Unsupported <Member> parameter")

    struct MemberRow: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let allowed: Set<EventSourceKind>
        var testDescription: String { name }
        init(_ name: String, _ value: String, _ allowed: Set<EventSourceKind>) {
            (self.name, self.json, self.allowed) = (name, "\"\(name)\":\(value)", allowed)
        }
    }

    static let streams: Set<EventSourceKind> = [.kinesis, .dynamoDBStreams]
    static let kafka: Set<EventSourceKind> = [.amazonMSK, .selfManagedKafka]

    @Test(arguments: [
        MemberRow("DestinationConfig", #"{"OnFailure":{"Destination":"\#(queueArn)-dlq"}}"#, streams.union(kafka)),
        MemberRow("ParallelizationFactor", "2", streams),
        MemberRow("TumblingWindowInSeconds", "60", streams),
        MemberRow("MaximumRecordAgeInSeconds", "3600", streams.union(kafka)),
        MemberRow("MaximumRetryAttempts", "2", streams.union(kafka)),
        MemberRow("BisectBatchOnFunctionError", "true", streams.union(kafka)),
        MemberRow("ScalingConfig", #"{"MaximumConcurrency":5}"#, [.sqs]),
        MemberRow("SourceAccessConfigurations", #"[{"Type":"BASIC_AUTH","URI":"\#(secretArn)"}]"#, kafka),
        MemberRow("AmazonManagedKafkaEventSourceConfig", #"{"ConsumerGroupId":"g"}"#, [.amazonMSK]),
        MemberRow("SelfManagedKafkaEventSourceConfig", #"{"ConsumerGroupId":"g"}"#, [.selfManagedKafka]),
        MemberRow("ProvisionedPollerConfig", #"{"MinimumPollers":1,"MaximumPollers":2}"#, kafka.union([.sqs])),
        MemberRow("DocumentDBEventSourceConfig", #"{"DatabaseName":"d"}"#, []),
        MemberRow("FunctionResponseTypes", #"["ReportBatchItemFailures"]"#, Set(EventSourceKind.allCases)),
    ], EventSourceKind.allCases)
    func memberIsAcceptedOnlyBySourcesThatUseIt(member: MemberRow, kind: EventSourceKind) throws {
        let json = Self.body(kind, member.json)
        if member.allowed.contains(kind) {
            let configuration = try Self.create(json)
            #expect(try Self.wire(configuration)[member.name] != nil)
        } else {
            #expect(throws: Self.unsupported(member.name)) { try Self.create(json) }
        }
    }

    // MARK: Filters

    @Test func fiveFiltersAreAcceptedAndEchoedAsTheOriginalStrings() throws {
        let patterns = (1...5).map { #"{"body":{"n":[\#($0)]}}"# }
        let list = patterns.map { #"{"Pattern":"\#($0.replacingOccurrences(of: "\"", with: "\\\""))"}"# }
        let configuration = try Self.create(Self.body(.sqs, #""FilterCriteria":{"Filters":[\#(list.joined(separator: ","))]}"#))
        #expect(configuration.filterCriteria?.filters?.map(\.pattern) == patterns)
    }

    @Test func sixFiltersAreRejected() {
        let list = Array(repeating: #"{"Pattern":"{\"a\":[1]}"}"#, count: 6).joined(separator: ",")
        #expect(throws: AWSError.invalidParameterValue(
            "The maximum number of filters allowed for an event source mapping is 5."
        )) { try Self.create(Self.body(.kinesis, #""FilterCriteria":{"Filters":[\#(list)]}"#)) }
    }

    @Test(arguments: [#""not json""#, #""[1]""#, #""null""#, #""\"s\"""#, "null"])
    func invalidPatternIsRejected(pattern: String) {
        let json = Self.body(.sqs, #""FilterCriteria":{"Filters":[{"Pattern":\#(pattern)}]}"#)
        #expect(throws: AWSError.invalidParameterValue("Invalid filter pattern definition.")) { try Self.create(json) }
    }

    @Test(arguments: [#"{"Filters":[]}"#, "{}"])
    func emptyFilterCriteriaIsDroppedFromTheResponse(criteria: String) throws {
        let configuration = try Self.create(Self.body(.kinesis, #""FilterCriteria":\#(criteria)"#))
        #expect(configuration.filterCriteria == nil)
        #expect(try Self.wire(configuration)["FilterCriteria"] == nil)
    }

    // MARK: Destinations

    static func invalidDestination(_ destination: String) -> AWSError {
        .invalidParameterValue(
            "The provided destination config DestinationConfig(onSuccess=null, "
                + "onFailure=OnFailure(destination=\(destination))) is invalid."
        )
    }

    struct DestinationRow: Sendable, CustomTestStringConvertible {
        let kind: EventSourceKind
        let destination: String
        let accepted: Bool
        var testDescription: String { "\(kind) → \(destination.debugDescription): \(accepted ? "ok" : "invalid")" }
        init(_ kind: EventSourceKind, _ destination: String, _ accepted: Bool) {
            (self.kind, self.destination, self.accepted) = (kind, destination, accepted)
        }
    }

    @Test(arguments: [
        DestinationRow(.kinesis, "arn:aws:sqs:us-east-1:000000000000:dlq", true),
        DestinationRow(.dynamoDBStreams, "arn:aws:sns:us-east-1:000000000000:topic", true),
        DestinationRow(.kinesis, "arn:aws:s3:::failures", true),
        DestinationRow(.selfManagedKafka, "kafka://failed-orders", true),
        DestinationRow(.amazonMSK, "kafka://failed-orders", true),
        DestinationRow(.amazonMSK, "arn:aws:sqs:us-east-1:000000000000:dlq", true),
        DestinationRow(.kinesis, "arn:aws:sqs:us-east-1:000000000000:dlq.fifo", false),
        DestinationRow(.kinesis, "arn:aws:lambda:us-east-1:000000000000:function:other", false),
        DestinationRow(.dynamoDBStreams, "kafka://failed-orders", false),
        DestinationRow(.kinesis, "kafka://failed-orders", false),
    ])
    func onFailureDestinationIsCheckedPerTargetAndSource(row: DestinationRow) throws {
        let json = Self.body(row.kind, #""DestinationConfig":{"OnFailure":{"Destination":"\#(row.destination)"}}"#)
        if row.accepted {
            let echoed: JSONValue = ["OnFailure": ["Destination": .string(row.destination)]]
            #expect(try Self.wire(Self.create(json))["DestinationConfig"] == echoed)
        } else {
            #expect(throws: Self.invalidDestination(row.destination)) { try Self.create(json) }
        }
    }

    @Test(arguments: [EventSourceKind.kinesis, .selfManagedKafka])
    func emptyDestinationMeansNoDestination(kind: EventSourceKind) throws {
        let json = Self.body(kind, #""DestinationConfig":{"OnFailure":{"Destination":""}}"#)
        #expect(try Self.wire(Self.create(json))["DestinationConfig"] == ["OnFailure": [:]])
    }

    @Test func destinationThatIsNeitherArnNorKafkaFailsTheModelPattern() {
        let json = Self.body(.kinesis, #""DestinationConfig":{"OnFailure":{"Destination":"not-an-arn"}}"#)
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value 'not-an-arn' at 'destinationConfig.onFailure.destination' failed to "
                + #"satisfy constraint: Member must satisfy regular expression pattern: ^$|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"#
        )) { try Self.create(json) }
    }
}
