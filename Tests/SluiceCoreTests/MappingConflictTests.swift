import Foundation
import Testing

@testable import SluiceCore

/// Duplicate mappings: `EventSourceMapping.conflict(with:)` and the recorded ResourceConflictException texts of
/// `reference/esm-api.md` §5; the duplicate key of `docs/compatibility.md`.
@Suite struct MappingConflictTests {
    static let identity = RequestIdentity(region: "us-east-1")
    static let existingUUID = "11111111-1111-4111-8111-111111111111"
    static let newUUID = "22222222-2222-4222-8222-222222222222"
    static let queueArn = "arn:aws:sqs:us-east-1:000000000000:orders"
    static let streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/orders"
    static let tableStreamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2024-11-25T10:00:00.123"
    static let clusterArn = "arn:aws:kafka:us-east-1:000000000000:cluster/c/8f2a"
    static let functionArn = "arn:aws:lambda:us-east-1:000000000000:function:my-fn"
    static let suffix = "already exists. Please update or delete the existing mapping with UUID \(existingUUID)"

    static func sourceMembers(_ kind: EventSourceKind, servers: [String], topic: String, arn: String?) -> String {
        switch kind {
        case .sqs: #""EventSourceArn":"\#(arn ?? queueArn)""#
        case .kinesis: #""EventSourceArn":"\#(arn ?? streamArn)","StartingPosition":"LATEST""#
        case .dynamoDBStreams: #""EventSourceArn":"\#(arn ?? tableStreamArn)","StartingPosition":"LATEST""#
        case .amazonMSK: #""EventSourceArn":"\#(arn ?? clusterArn)","Topics":["\#(topic)"]"#
        case .selfManagedKafka:
            #""SelfManagedEventSource":{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":[\#(servers.map { "\"\($0)\"" }.joined(separator: ","))]}},"#
                + #""Topics":["\#(topic)"],"SourceAccessConfigurations":[{"Type":"BASIC_AUTH","URI":"arn:aws:secretsmanager:us-east-1:000000000000:secret:k"}]"#
        }
    }

    /// A mapping as the registry builds it from a Create body.
    static func mapping(
        _ kind: EventSourceKind, uuid: String, function: String = "my-fn", servers: [String] = ["b1:9092"],
        topic: String = "orders", arn: String? = nil
    ) throws -> EventSourceMapping {
        let json = #"{"FunctionName":"\#(function)",\#(sourceMembers(kind, servers: servers, topic: topic, arn: arn))}"#
        let request = try JSONDecoder().decode(CreateEventSourceMappingRequest.self, from: Data(json.utf8))
        let target = try EventSourceMappingConfiguration.validate(request, identity: identity)
        let configuration = try EventSourceMappingConfiguration(
            creating: request, target: target, uuid: uuid, now: Timestamp(millisecondsSinceEpoch: 0), state: .creating
        )
        #expect(target.kind == kind)
        return EventSourceMapping(
            configuration: configuration, lifecycle: MappingLifecycle(state: .enabled, enabled: true), kind: kind,
            sequence: uuid == existingUUID ? 1 : 2, tags: [:]
        )
    }

    // MARK: Conflicts with the recorded texts

    @Test(arguments: ["my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn", "000000000000:function:my-fn"])
    func sameQueueAndFunctionConflictsNamingTheFunctionByName(function: String) throws {
        let existing = try Self.mapping(.sqs, uuid: Self.existingUUID)
        let duplicate = try Self.mapping(.sqs, uuid: Self.newUUID, function: function)
        #expect(existing.conflict(with: duplicate) == AWSError(
            code: "ResourceConflictException",
            message: "An event source mapping with SQS arn (\" \(Self.queueArn) \") and function (\" my-fn \") "
                + Self.suffix,
            status: 409, fault: .client, messageKey: .lowercase
        ))
    }

    @Test(arguments: [(EventSourceKind.kinesis, streamArn), (.dynamoDBStreams, tableStreamArn)])
    func sameStreamAndFunctionConflicts(kind: EventSourceKind, arn: String) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID)
        let duplicate = try Self.mapping(kind, uuid: Self.newUUID)
        #expect(existing.conflict(with: duplicate) == .resourceConflict(
            "The event source arn (\" \(arn) \") and function (\" my-fn \") provided mapping " + Self.suffix
        ))
    }

    @Test func sameQualifiedFunctionConflictsAndTheMessageNamesTheUnqualifiedName() throws {
        let existing = try Self.mapping(.kinesis, uuid: Self.existingUUID, function: "my-fn:prod")
        let duplicate = try Self.mapping(.kinesis, uuid: Self.newUUID, function: Self.functionArn + ":prod")
        #expect(existing.conflict(with: duplicate) == .resourceConflict(
            "The event source arn (\" \(Self.streamArn) \") and function (\" my-fn \") provided mapping " + Self.suffix
        ))
    }

    @Test(arguments: [
        (["b1:9092"], ["b1:9092"]),
        (["b1:9092", "b2:9092"], ["b2:9092", "b3:9092"]),
        (["b1:9092", "b2:9092"], ["b3:9092", "b1:9092"]),
    ] as [([String], [String])])
    func kafkaWithAnOverlappingBootstrapServerAndTheSameTopicConflicts(existing: [String], new: [String]) throws {
        let first = try Self.mapping(.selfManagedKafka, uuid: Self.existingUUID, servers: existing)
        let second = try Self.mapping(.selfManagedKafka, uuid: Self.newUUID, servers: new)
        #expect(first.conflict(with: second) == .resourceConflict(
            "An event source mapping with event source (\"\(new.joined(separator: ","))\"), function "
                + "(\"\(Self.functionArn)\"), topics (\"orders\") " + Self.suffix
        ))
    }

    @Test func mskWithTheSameClusterAndTopicConflicts() throws {
        let existing = try Self.mapping(.amazonMSK, uuid: Self.existingUUID)
        let duplicate = try Self.mapping(.amazonMSK, uuid: Self.newUUID)
        #expect(existing.conflict(with: duplicate) == .resourceConflict(
            "An event source mapping with event source (\"\(Self.clusterArn)\"), function (\"\(Self.functionArn)\"), "
                + "topics (\"orders\") " + Self.suffix
        ))
    }

    @Test func conflictMessageNamesTheExistingMappingsUUID() throws {
        let existing = try Self.mapping(.sqs, uuid: Self.existingUUID)
        let duplicate = try Self.mapping(.sqs, uuid: Self.newUUID)
        let message = try #require(existing.conflict(with: duplicate)?.message)
        #expect(message.hasSuffix("UUID \(Self.existingUUID)"))
        #expect(duplicate.conflict(with: existing)?.message.hasSuffix("UUID \(Self.newUUID)") == true)
    }

    // MARK: No conflict

    @Test(arguments: EventSourceKind.allCases)
    func differentFunctionNeverConflicts(kind: EventSourceKind) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID)
        let other = try Self.mapping(kind, uuid: Self.newUUID, function: "other-fn")
        #expect(existing.conflict(with: other) == nil)
    }

    @Test(arguments: EventSourceKind.allCases, [("my-fn", "my-fn:prod"), ("my-fn:1", "my-fn:2"), ("my-fn", "my-fn:$LATEST")])
    func differentQualifierIsADifferentMapping(kind: EventSourceKind, functions: (String, String)) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID, function: functions.0)
        let other = try Self.mapping(kind, uuid: Self.newUUID, function: functions.1)
        #expect(existing.conflict(with: other) == nil)
        #expect(other.conflict(with: existing) == nil)
    }

    @Test(arguments: EventSourceKind.allCases)
    func aMappingDoesNotConflictWithItself(kind: EventSourceKind) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID)
        #expect(existing.conflict(with: existing) == nil)
    }

    @Test(arguments: [
        (EventSourceKind.sqs, "arn:aws:sqs:us-east-1:000000000000:other"),
        (.kinesis, "arn:aws:kinesis:us-east-1:000000000000:stream/other"),
        (.dynamoDBStreams, "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2024-12-01T00:00:00.000"),
        (.amazonMSK, "arn:aws:kafka:us-east-1:000000000000:cluster/other/1234"),
    ])
    func differentSourceDoesNotConflict(kind: EventSourceKind, otherArn: String) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID)
        let other = try Self.mapping(kind, uuid: Self.newUUID, arn: otherArn)
        #expect(existing.conflict(with: other) == nil)
    }

    @Test(arguments: [EventSourceKind.selfManagedKafka, .amazonMSK])
    func kafkaWithADifferentTopicDoesNotConflict(kind: EventSourceKind) throws {
        let existing = try Self.mapping(kind, uuid: Self.existingUUID, topic: "orders")
        let other = try Self.mapping(kind, uuid: Self.newUUID, topic: "payments")
        #expect(existing.conflict(with: other) == nil)
    }

    @Test func kafkaWithDisjointBootstrapServersDoesNotConflict() throws {
        let existing = try Self.mapping(.selfManagedKafka, uuid: Self.existingUUID, servers: ["b1:9092", "b2:9092"])
        let other = try Self.mapping(.selfManagedKafka, uuid: Self.newUUID, servers: ["b3:9092"])
        #expect(existing.conflict(with: other) == nil)
    }

    @Test func sameFunctionNameInAnotherRegionDoesNotConflict() throws {
        let existing = try Self.mapping(.sqs, uuid: Self.existingUUID)
        var other = try Self.mapping(.sqs, uuid: Self.newUUID)
        other.configuration.functionArn = "arn:aws:lambda:eu-west-1:000000000000:function:my-fn"
        #expect(existing.conflict(with: other) == nil)
    }

    // MARK: Accessors the messages rely on

    @Test(arguments: [
        ("arn:aws:lambda:us-east-1:000000000000:function:my-fn", "my-fn"),
        ("arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod", "my-fn"),
        ("arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST", "my-fn"),
    ])
    func functionNameIsTheUnqualifiedName(functionArn: String, name: String) throws {
        var mapping = try Self.mapping(.sqs, uuid: Self.existingUUID)
        mapping.configuration.functionArn = functionArn
        #expect(mapping.functionName == name)
        #expect(mapping.region == "us-east-1")
        #expect(mapping.uuid == Self.existingUUID)
    }

    @Test func recordStateCopiesTheLifecycleStateAndStampsLastModified() throws {
        var mapping = try Self.mapping(.sqs, uuid: Self.existingUUID)
        mapping.lifecycle = MappingLifecycle(state: .disabling, enabled: false)
        mapping.recordState(now: Timestamp(millisecondsSinceEpoch: 1_732_530_000_500))
        #expect(mapping.configuration.state == .disabling)
        #expect(mapping.configuration.lastModified == 1_732_530_000.5)
    }

    @Test(arguments: [("us-east-1", true), ("us-east-10", false), ("us-east", false), ("eu-west-1", false), ("", false)])
    func isInRegionMatchesTheWholeRegionOfTheMappingArn(region: String, expected: Bool) throws {
        #expect(try Self.mapping(.sqs, uuid: Self.existingUUID).isIn(region: region) == expected)
    }
}
