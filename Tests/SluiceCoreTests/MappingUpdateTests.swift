import Foundation
import Testing

@testable import SluiceCore

/// UpdateEventSourceMapping without I/O: `EventSourceMappingConfiguration.update(with:kind:)`
/// (`reference/esm-api.md` §2 "Update?" column, §5).
@Suite struct MappingUpdateTests {
    static let identity = RequestIdentity(region: "us-east-1")
    static let uuid = "0b8e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4"
    static let queueArn = "arn:aws:sqs:us-east-1:000000000000:q"
    static let dlqArn = "arn:aws:sqs:us-east-1:000000000000:dlq"
    static let secretArn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:kafka"

    static func createBody(_ kind: EventSourceKind, _ extra: String) -> String {
        let source = switch kind {
        case .kinesis: #""EventSourceArn":"arn:aws:kinesis:us-east-1:000000000000:stream/s","StartingPosition":"LATEST""#
        case .dynamoDBStreams:
            #""EventSourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-11-25T10:00:00.123","#
                + #""StartingPosition":"TRIM_HORIZON""#
        case .sqs: #""EventSourceArn":"\#(queueArn)""#
        case .amazonMSK: #""EventSourceArn":"arn:aws:kafka:us-east-1:000000000000:cluster/c/8f2a","Topics":["orders"]"#
        case .selfManagedKafka:
            #""SelfManagedEventSource":{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["b1:9092"]}},"Topics":["orders"],"#
                + #""SourceAccessConfigurations":[{"Type":"BASIC_AUTH","URI":"\#(secretArn)"}]"#
        }
        return #"{"FunctionName":"my-fn",\#(source)\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    /// A mapping as CreateEventSourceMapping leaves it.
    static func mapping(_ kind: EventSourceKind, _ extra: String = "") throws -> EventSourceMappingConfiguration {
        let request = try JSONDecoder().decode(
            CreateEventSourceMappingRequest.self, from: Data(createBody(kind, extra).utf8)
        )
        let target = try EventSourceMappingConfiguration.validate(request, identity: identity)
        return try EventSourceMappingConfiguration(
            creating: request, target: target, uuid: uuid, now: Timestamp(millisecondsSinceEpoch: 1_000), state: .enabled
        )
    }

    static func settings(_ json: String) throws -> MappingSettings {
        try JSONDecoder().decode(MappingSettings.self, from: Data(json.utf8))
    }

    static func wire(_ configuration: EventSourceMappingConfiguration) throws -> JSONObject {
        let text = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        return try #require(try JSONValue(parsing: text).objectValue)
    }

    static func unsupported(_ member: String) -> AWSError {
        .invalidParameterValue("Unsupported \(member) parameter for given event source mapping type.")
    }

    // MARK: Each updatable member

    struct MemberRow: Sendable, CustomTestStringConvertible {
        let kind: EventSourceKind
        let key: String
        /// The member's value in the request and, unless `echoed` says otherwise, in the response.
        let value: String
        let echoed: String?
        var testDescription: String { "\(kind): \(key)" }

        init(_ kind: EventSourceKind, _ key: String, _ value: String, echoed: String? = nil) {
            (self.kind, self.key, self.value, self.echoed) = (kind, key, value, echoed)
        }
    }

    @Test(arguments: [
        MemberRow(.kinesis, "BatchSize", "50"),
        MemberRow(.kinesis, "MaximumBatchingWindowInSeconds", "5"),
        MemberRow(.kinesis, "ParallelizationFactor", "3"),
        MemberRow(.kinesis, "MaximumRecordAgeInSeconds", "120"),
        MemberRow(.kinesis, "MaximumRetryAttempts", "4"),
        MemberRow(.kinesis, "BisectBatchOnFunctionError", "true"),
        MemberRow(.kinesis, "TumblingWindowInSeconds", "30"),
        MemberRow(.kinesis, "FunctionResponseTypes", #"["ReportBatchItemFailures"]"#),
        MemberRow(.kinesis, "DestinationConfig", #"{"OnFailure":{"Destination":"\#(dlqArn)"}}"#),
        MemberRow(.dynamoDBStreams, "FilterCriteria", #"{"Filters":[{"Pattern":"{\"eventName\":[\"INSERT\"]}"}]}"#),
        MemberRow(.kinesis, "KMSKeyArn", #""arn:aws:kms:us-east-1:000000000000:key/k""#),
        MemberRow(.kinesis, "MetricsConfig", #"{"Metrics":["EventCount"]}"#),
        MemberRow(.kinesis, "LoggingConfig", #"{"SystemLogLevel":"WARN"}"#),
        MemberRow(.sqs, "BatchSize", "5"),
        MemberRow(.sqs, "MaximumBatchingWindowInSeconds", "20"),
        MemberRow(.sqs, "ScalingConfig", #"{"MaximumConcurrency":5}"#),
        MemberRow(.sqs, "ProvisionedPollerConfig", #"{"MinimumPollers":1,"MaximumPollers":3}"#),
        MemberRow(.sqs, "FunctionResponseTypes", #"["ReportBatchItemFailures"]"#),
        MemberRow(.selfManagedKafka, "SourceAccessConfigurations", #"[{"Type":"SASL_SCRAM_512_AUTH","URI":"\#(secretArn)"}]"#),
        MemberRow(.selfManagedKafka, "MaximumRetryAttempts", "3"),
        MemberRow(.selfManagedKafka, "DestinationConfig", #"{"OnFailure":{"Destination":"kafka://failed"}}"#),
        MemberRow(
            .selfManagedKafka, "SelfManagedKafkaEventSourceConfig", #"{"SchemaRegistryConfig":{"SchemaRegistryURI":"https://r"}}"#,
            echoed: #"{"ConsumerGroupId":"\#(uuid)","SchemaRegistryConfig":{"SchemaRegistryURI":"https://r"}}"#
        ),
        MemberRow(
            .amazonMSK, "AmazonManagedKafkaEventSourceConfig", #"{"SchemaRegistryConfig":{"EventRecordFormat":"JSON"}}"#,
            echoed: #"{"ConsumerGroupId":"\#(uuid)","SchemaRegistryConfig":{"EventRecordFormat":"JSON"}}"#
        ),
    ])
    func updateAppliesTheNamedMemberAndKeepsEveryOther(row: MemberRow) throws {
        var configuration = try Self.mapping(row.kind)
        var expected = try Self.wire(configuration)
        expected[row.key] = try JSONValue(parsing: row.echoed ?? row.value)
        try configuration.update(with: Self.settings(#"{"\#(row.key)":\#(row.value)}"#), kind: row.kind)
        #expect(try Self.wire(configuration) == expected)
    }

    @Test(arguments: EventSourceKind.allCases)
    func emptyUpdateChangesNothing(kind: EventSourceKind) throws {
        let created = try Self.mapping(kind)
        var configuration = created
        try configuration.update(with: Self.settings("{}"), kind: kind)
        #expect(configuration == created)
    }

    @Test func omittedMembersKeepTheValuesAnEarlierRequestSet() throws {
        var configuration = try Self.mapping(
            .kinesis, #""BatchSize":7,"MaximumRetryAttempts":2,"BisectBatchOnFunctionError":true,"ParallelizationFactor":4"#
        )
        try configuration.update(with: Self.settings(#"{"BatchSize":9,"Enabled":false}"#), kind: .kinesis)
        #expect(configuration.batchSize == 9)
        #expect(configuration.maximumRetryAttempts == 2)
        #expect(configuration.bisectBatchOnFunctionError == true)
        #expect(configuration.parallelizationFactor == 4)
        #expect(configuration.state == .enabled, "update leaves State to the lifecycle")
    }

    // MARK: Removals

    struct RemovalRow: Sendable, CustomTestStringConvertible {
        let kind: EventSourceKind
        let created: String
        let update: String
        let key: String
        /// The member after the update as JSON text; `nil`: absent.
        let after: String?
        var testDescription: String { "\(key): \(update)" }
    }

    @Test(arguments: [
        RemovalRow(
            kind: .sqs, created: #""FilterCriteria":{"Filters":[{"Pattern":"{\"a\":[1]}"}]}"#,
            update: #"{"FilterCriteria":{}}"#, key: "FilterCriteria", after: nil
        ),
        RemovalRow(
            kind: .kinesis, created: #""FilterCriteria":{"Filters":[{"Pattern":"{\"a\":[1]}"}]}"#,
            update: #"{"FilterCriteria":{"Filters":[]}}"#, key: "FilterCriteria", after: nil
        ),
        RemovalRow(
            kind: .kinesis, created: #""DestinationConfig":{"OnFailure":{"Destination":"\#(dlqArn)"}}"#,
            update: #"{"DestinationConfig":{"OnFailure":{"Destination":""}}}"#, key: "DestinationConfig",
            after: #"{"OnFailure":{}}"#
        ),
        RemovalRow(
            kind: .dynamoDBStreams, created: #""DestinationConfig":{"OnFailure":{"Destination":"\#(dlqArn)"}}"#,
            update: #"{"DestinationConfig":{"OnFailure":{"Destination":""}}}"#, key: "DestinationConfig",
            after: #"{"OnFailure":{}}"#
        ),
        RemovalRow(
            kind: .sqs, created: #""ScalingConfig":{"MaximumConcurrency":5}"#, update: #"{"ScalingConfig":{}}"#,
            key: "ScalingConfig", after: nil
        ),
        RemovalRow(
            kind: .kinesis, created: #""KMSKeyArn":"arn:aws:kms:us-east-1:000000000000:key/k""#,
            update: #"{"KMSKeyArn":""}"#, key: "KMSKeyArn", after: nil
        ),
        RemovalRow(
            kind: .kinesis, created: #""MetricsConfig":{"Metrics":["EventCount"]}"#,
            update: #"{"MetricsConfig":{"Metrics":[]}}"#, key: "MetricsConfig", after: nil
        ),
    ])
    func emptyValueRemovesTheMember(row: RemovalRow) throws {
        var configuration = try Self.mapping(row.kind, row.created)
        #expect(try Self.wire(configuration)[row.key] != nil)
        try configuration.update(with: Self.settings(row.update), kind: row.kind)
        #expect(try Self.wire(configuration)[row.key] == row.after.map { try JSONValue(parsing: $0) })
    }

    // MARK: SQS batching

    static let windowRequired = AWSError.invalidParameterValue(
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
    )

    @Test func sqsBatchSizeAboveTenIsRejectedWhileTheWindowIsZero() throws {
        let created = try Self.mapping(.sqs)
        var configuration = created
        #expect(throws: Self.windowRequired) { try configuration.update(with: Self.settings(#"{"BatchSize":11}"#), kind: .sqs) }
        #expect(configuration == created)
    }

    @Test func sqsBatchSizeAboveTenIsAcceptedWithAWindowInTheSameRequest() throws {
        var configuration = try Self.mapping(.sqs)
        try configuration.update(with: Self.settings(#"{"BatchSize":11,"MaximumBatchingWindowInSeconds":1}"#), kind: .sqs)
        #expect(configuration.batchSize == 11)
        #expect(configuration.maximumBatchingWindowInSeconds == 1)
    }

    @Test func sqsBatchSizeAboveTenIsAcceptedWhenTheStoredWindowIsSet() throws {
        var configuration = try Self.mapping(.sqs, #""MaximumBatchingWindowInSeconds":2"#)
        try configuration.update(with: Self.settings(#"{"BatchSize":500}"#), kind: .sqs)
        #expect(configuration.batchSize == 500)
        #expect(configuration.maximumBatchingWindowInSeconds == 2)
    }

    @Test func sqsWindowCannotDropToZeroWhileTheStoredBatchSizeIsAboveTen() throws {
        var configuration = try Self.mapping(.sqs, #""BatchSize":50,"MaximumBatchingWindowInSeconds":2"#)
        let stored = configuration
        #expect(throws: Self.windowRequired) {
            try configuration.update(with: Self.settings(#"{"MaximumBatchingWindowInSeconds":0}"#), kind: .sqs)
        }
        #expect(configuration == stored)
    }

    @Test func kinesisBatchSizeAboveTenNeedsNoWindow() throws {
        var configuration = try Self.mapping(.kinesis)
        try configuration.update(with: Self.settings(#"{"BatchSize":10000}"#), kind: .kinesis)
        #expect(configuration.batchSize == 10000)
        #expect(configuration.maximumBatchingWindowInSeconds == 0)
    }

    // MARK: Kafka consumer group

    @Test(arguments: [
        (EventSourceKind.selfManagedKafka, "SelfManagedKafkaEventSourceConfig"),
        (.amazonMSK, "AmazonManagedKafkaEventSourceConfig"),
    ])
    func consumerGroupIdCannotChangeAfterCreate(kind: EventSourceKind, member: String) throws {
        let created = try Self.mapping(kind)
        var configuration = created
        #expect(throws: AWSError.invalidParameterValue(
            "The ConsumerGroupId of an event source mapping cannot be updated."
        )) { try configuration.update(with: Self.settings(#"{"\#(member)":{"ConsumerGroupId":"other"}}"#), kind: kind) }
        #expect(configuration == created)
        try configuration.update(with: Self.settings(#"{"\#(member)":{"ConsumerGroupId":"\#(Self.uuid)"}}"#), kind: kind)
        #expect(configuration == created, "restating the same group is not a change")
    }

    @Test func consumerGroupIdChosenAtCreateIsKept() throws {
        var configuration = try Self.mapping(.selfManagedKafka, #""SelfManagedKafkaEventSourceConfig":{"ConsumerGroupId":"orders-group"}"#)
        #expect(configuration.selfManagedKafkaEventSourceConfig?.consumerGroupId == "orders-group")
        try configuration.update(with: Self.settings(#"{"BatchSize":10}"#), kind: .selfManagedKafka)
        #expect(configuration.selfManagedKafkaEventSourceConfig?.consumerGroupId == "orders-group")
    }

    // MARK: Refusals

    @Test(arguments: [EventSourceKind.kinesis, .dynamoDBStreams, .selfManagedKafka])
    func onSuccessDestinationIsRefused(kind: EventSourceKind) throws {
        var configuration = try Self.mapping(kind)
        let json = #"{"DestinationConfig":{"OnSuccess":{"Destination":"\#(Self.dlqArn)"}}}"#
        #expect(throws: Self.unsupported("DestinationConfig")) { try configuration.update(with: Self.settings(json), kind: kind) }
    }

    @Test(arguments: [
        (#"{"ParallelizationFactor":2}"#, "ParallelizationFactor"),
        (#"{"TumblingWindowInSeconds":60}"#, "TumblingWindowInSeconds"),
        (#"{"MaximumRecordAgeInSeconds":3600}"#, "MaximumRecordAgeInSeconds"),
        (#"{"MaximumRetryAttempts":2}"#, "MaximumRetryAttempts"),
        (#"{"BisectBatchOnFunctionError":true}"#, "BisectBatchOnFunctionError"),
        (#"{"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:dlq"}}}"#, "DestinationConfig"),
        (#"{"SourceAccessConfigurations":[]}"#, "SourceAccessConfigurations"),
    ])
    func streamAndKafkaMembersAreRefusedOnSQS(json: String, member: String) throws {
        let created = try Self.mapping(.sqs)
        var configuration = created
        #expect(throws: Self.unsupported(member)) { try configuration.update(with: Self.settings(json), kind: .sqs) }
        #expect(configuration == created)
    }

    @Test(arguments: [EventSourceKind.kinesis, .amazonMSK])
    func scalingConfigIsRefusedOutsideSQS(kind: EventSourceKind) throws {
        var configuration = try Self.mapping(kind)
        #expect(throws: Self.unsupported("ScalingConfig")) {
            try configuration.update(with: Self.settings(#"{"ScalingConfig":{"MaximumConcurrency":5}}"#), kind: kind)
        }
    }

    @Test func modelViolationsAreValidationExceptionsAndChangeNothing() throws {
        let created = try Self.mapping(.kinesis)
        var configuration = created
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1"
        )) { try configuration.update(with: Self.settings(#"{"BatchSize":0,"MaximumRetryAttempts":5}"#), kind: .kinesis) }
        #expect(configuration == created)
    }

    @Test func recordAgeBelowSixtyIsRefusedAfterTheModelCheck() throws {
        let created = try Self.mapping(.kinesis)
        var configuration = created
        #expect(throws: AWSError.invalidParameterValue(
            "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
        )) { try configuration.update(with: Self.settings(#"{"MaximumRecordAgeInSeconds":30,"BatchSize":5}"#), kind: .kinesis) }
        #expect(configuration == created, "a refused update applies nothing")
    }

    @Test func invalidDestinationOnUpdateIsRefused() throws {
        var configuration = try Self.mapping(.kinesis)
        let fifo = "arn:aws:sqs:us-east-1:000000000000:dlq.fifo"
        #expect(throws: AWSError.invalidParameterValue(
            "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=\(fifo))) "
                + "is invalid."
        )) {
            try configuration.update(
                with: Self.settings(#"{"DestinationConfig":{"OnFailure":{"Destination":"\#(fifo)"}}}"#), kind: .kinesis
            )
        }
    }

    @Test func sixthFilterOnUpdateIsRefused() throws {
        var configuration = try Self.mapping(.sqs)
        let list = Array(repeating: #"{"Pattern":"{\"a\":[1]}"}"#, count: 6).joined(separator: ",")
        #expect(throws: AWSError.invalidParameterValue(
            "The maximum number of filters allowed for an event source mapping is 5."
        )) { try configuration.update(with: Self.settings(#"{"FilterCriteria":{"Filters":[\#(list)]}}"#), kind: .sqs) }
    }
}
