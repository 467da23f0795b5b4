import Testing

import SluiceCore
@testable import SluiceEngine
import SluiceStore

/// A source directory that knows a few sources, with their visibility timeouts.
struct KnownSources: EventSourceDirectory {
    var sources: [String: Int?]
    func lookUp(_ eventSourceArn: String, kind: EventSourceKind) async -> EventSourceLookup {
        guard let visibility = sources[eventSourceArn] else { return .missing }
        return .exists(visibilityTimeout: visibility)
    }
}

/// Functions with their own timeouts.
struct TimedFunctions: FunctionDirectory {
    var timeouts: [String: Int]
    func timeout(of reference: FunctionReference) async -> Int? {
        reference.isLatest ? timeouts[reference.unqualifiedArn] : nil
    }
    func role(of reference: FunctionReference) async -> String? {
        await timeout(of: reference).map { _ in "arn:aws:iam::000000000000:role/lambda-role" }
    }
    func reservedConcurrency(of reference: FunctionReference) async -> Int? { nil }
}

func makeRegistry(sources: [String: Int?], functionTimeout: Int = 3) async throws -> MappingRegistry {
    try await MappingRegistry(
        store: MemoryDocumentStore(), functions: KnownFunctions(arns: [functionArn], timeout: functionTimeout),
        sources: KnownSources(sources: sources), now: { Timestamp(millisecondsSinceEpoch: 0) }
    )
}

/// esm-api.md §5: function → source → duplicates, with AWS's texts.
@Suite struct MappingSourceCheckTests {
    @Test func aMissingStreamIsStreamNotFound() async throws {
        let registry = try await makeRegistry(sources: [:])
        await #expect(throws: AWSError.invalidParameterValue("Stream not found: \(streamArn)")) {
            try await registry.create(try kinesisMapping(), identity: identity)
        }
    }

    @Test func aMissingQueueIsTheReceiveMessageError() async throws {
        let registry = try await makeRegistry(sources: [:])
        await #expect(
            throws: AWSError.invalidParameterValue(
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
                    + "SQS Error Message: The specified queue does not exist."
            )
        ) {
            try await registry.create(try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)"}"#),
                                      identity: identity)
        }
    }

    @Test func theFunctionIsCheckedBeforeTheSource() async throws {
        let registry = try await makeRegistry(sources: [:])
        await #expect(throws: AWSError.invalidParameterValue("Function does not exist")) {
            try await registry.create(
                try request(#"{"FunctionName":"g","EventSourceArn":"\#(queueArn)"}"#), identity: identity
            )
        }
    }

    @Test(arguments: [(29, 30, true), (30, 30, false), (31, 30, false)])
    func aQueueVisibilityTimeoutBelowTheFunctionTimeoutIsRefused(visibility: Int, timeout: Int, refused: Bool)
        async throws
    {
        let registry = try await makeRegistry(sources: [queueArn: visibility], functionTimeout: timeout)
        let create = { try await registry.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)"}"#), identity: identity) }
        if refused {
            await #expect(
                throws: AWSError.invalidParameterValue(
                    "Queue visibility timeout: \(visibility) seconds is less than Function timeout: \(timeout) seconds"
                )
            ) { try await create() }
        } else {
            #expect(try await create().state == .creating)
        }
    }

    @Test func theVisibilityRuleAppliesWhenUpdateRetargetsASlowerFunction() async throws {
        let slowArn = "arn:aws:lambda:us-east-1:000000000000:function:slow"
        let registry = try await MappingRegistry(
            store: MemoryDocumentStore(), functions: TimedFunctions(timeouts: [functionArn: 30, slowArn: 60]),
            sources: KnownSources(sources: [queueArn: 30]), now: { Timestamp(millisecondsSinceEpoch: 0) }
        )
        let uuid = try await registry.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)","Enabled":false}"#), identity: identity
        ).uuid
        await #expect(
            throws: AWSError.invalidParameterValue(
                "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
            )
        ) {
            try await registry.update(uuid: uuid, try settings(#"{"FunctionName":"slow"}"#), identity: identity)
        }
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").functionArn == functionArn)
    }

    @Test func uncheckedSourcesAreAccepted() async throws {
        let registry = try await makeRegistry()
        #expect(try await registry.create(try kinesisMapping(), identity: identity).state == .creating)
    }
}
