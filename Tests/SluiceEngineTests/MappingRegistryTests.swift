import Foundation
import Testing

import SluiceCore
@testable import SluiceEngine
import SluiceStore

/// A function directory that knows a fixed set of unqualified function ARNs.
struct KnownFunctions: FunctionDirectory {
    var arns: Set<String>
    var timeout = 3
    var reservedConcurrency: Int?
    func timeout(of reference: FunctionReference) async -> Int? {
        arns.contains(reference.unqualifiedArn) && reference.isLatest ? timeout : nil
    }
    func role(of reference: FunctionReference) async -> String? {
        await timeout(of: reference).map { _ in "arn:aws:iam::000000000000:role/lambda-role" }
    }
    func reservedConcurrency(of reference: FunctionReference) async -> Int? {
        reservedConcurrency
    }
}

let identity = RequestIdentity(region: "us-east-1")
let functionArn = "arn:aws:lambda:us-east-1:000000000000:function:f"
let streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
let queueArn = "arn:aws:sqs:us-east-1:000000000000:q"

func request(_ json: String) throws -> CreateEventSourceMappingRequest {
    try JSONDecoder().decode(CreateEventSourceMappingRequest.self, from: Data(json.utf8))
}

func settings(_ json: String) throws -> MappingSettings {
    try JSONDecoder().decode(MappingSettings.self, from: Data(json.utf8))
}

/// A registry over `store` with predictable UUIDs and time.
func makeRegistry(
    store: any DocumentStore = MemoryDocumentStore(), functions: Set<String> = [functionArn], firstUUID: Int = 1
) async throws -> MappingRegistry {
    let counter = Counter(next: firstUUID)
    return try await MappingRegistry(
        store: store, functions: KnownFunctions(arns: functions),
        now: { Timestamp(millisecondsSinceEpoch: 1_700_000_000_000) },
        newUUID: { String(format: "00000000-0000-4000-8000-%012d", counter.next()) }
    )
}

final class Counter: @unchecked Sendable {
    private var value: Int
    private let lock = NSLock()
    init(next: Int) { value = next }
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        defer { value += 1 }
        return value
    }
}

func kinesisMapping(_ extra: String = "") throws -> CreateEventSourceMappingRequest {
    try request(#"{"FunctionName":"f","EventSourceArn":"\#(streamArn)","StartingPosition":"LATEST"\#(extra)}"#)
}

func firstTransition(of registry: MappingRegistry) async -> MappingTransition? {
    var iterator = registry.transitions.makeAsyncIterator()
    return await iterator.next()
}

@Suite struct MappingRegistryTests {
    @Test func createAnswersCreatingAndAnnouncesStart() async throws {
        let registry = try await makeRegistry()
        let created = try await registry.create(try kinesisMapping(), identity: identity)
        #expect(created.state == .creating)
        #expect(await firstTransition(of: registry) == MappingTransition(uuid: created.uuid, action: .start))
        try await registry.settle(MappingTransition(uuid: created.uuid, action: .start))
        #expect(try await registry.mapping(uuid: created.uuid, region: "us-east-1").state == .enabled)
    }

    @Test func createdDisabledRestsAtOnceAndAnnouncesNothing() async throws {
        let registry = try await makeRegistry()
        let created = try await registry.create(try kinesisMapping(#","Enabled":false"#), identity: identity)
        #expect(created.state == .disabled)
        let other = try await registry.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)"}"#), identity: identity
        )
        #expect(await firstTransition(of: registry)?.uuid == other.uuid)
    }

    @Test func unknownFunctionIsAnInvalidParameter() async throws {
        let registry = try await makeRegistry(functions: [])
        await #expect(throws: AWSError.invalidParameterValue("Function does not exist")) {
            try await registry.create(try kinesisMapping(), identity: identity)
        }
    }

    @Test func aSecondMappingOfTheSameStreamAndFunctionConflicts() async throws {
        let registry = try await makeRegistry()
        let first = try await registry.create(try kinesisMapping(), identity: identity)
        await #expect(
            throws: AWSError.resourceConflict(
                "The event source arn (\" \(streamArn) \") and function (\" f \") provided mapping already exists. "
                    + "Please update or delete the existing mapping with UUID \(first.uuid)"
            )
        ) {
            try await registry.create(try kinesisMapping(), identity: identity)
        }
    }

    @Test func updateWhileCreatingIsRefusedThenAppliedOnceSettled() async throws {
        let registry = try await makeRegistry()
        let created = try await registry.create(try kinesisMapping(), identity: identity)
        await #expect(throws: AWSError.self) {
            try await registry.update(uuid: created.uuid, try settings(#"{"BatchSize":5}"#), identity: identity)
        }
        try await registry.settle(MappingTransition(uuid: created.uuid, action: .start))
        let updated = try await registry.update(uuid: created.uuid, try settings(#"{"BatchSize":5}"#), identity: identity)
        #expect(updated.state == .updating)
        #expect(updated.batchSize == 5)
        try await registry.settle(MappingTransition(uuid: created.uuid, action: .reconfigure))
        #expect(try await registry.mapping(uuid: created.uuid, region: "us-east-1").state == .enabled)
    }

    @Test func disableThenEnableGoThroughDisablingAndEnabling() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
        try await registry.settle(MappingTransition(uuid: uuid, action: .start))
        #expect(try await registry.update(uuid: uuid, try settings(#"{"Enabled":false}"#), identity: identity).state == .disabling)
        try await registry.settle(MappingTransition(uuid: uuid, action: .stop))
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .disabled)
        #expect(try await registry.update(uuid: uuid, try settings(#"{"Enabled":true}"#), identity: identity).state == .enabling)
        try await registry.settle(MappingTransition(uuid: uuid, action: .start))
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled)
    }

    @Test func deleteAnswersDeletingAndTheSettleForgetsTheMapping() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(#","Enabled":false"#), identity: identity).uuid
        #expect(try await registry.delete(uuid: uuid, region: "us-east-1").state == .deleting)
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .deleting)
        try await registry.settle(MappingTransition(uuid: uuid, action: .remove))
        await #expect(throws: AWSError.mappingNotFound) { try await registry.mapping(uuid: uuid, region: "us-east-1") }
    }

    @Test func aSettleForAnotherActionIsIgnored() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
        try await registry.settle(MappingTransition(uuid: uuid, action: .remove))
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .creating)
    }

    @Test func updatingToAMissingFunctionChangesNothing() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(#","Enabled":false"#), identity: identity).uuid
        await #expect(throws: AWSError.invalidParameterValue("Function does not exist")) {
            try await registry.update(uuid: uuid, try settings(#"{"FunctionName":"g","BatchSize":7}"#), identity: identity)
        }
        let mapping = try await registry.mapping(uuid: uuid, region: "us-east-1")
        #expect(mapping.state == .disabled)
        #expect(mapping.batchSize == 100)
    }

    @Test func aRestartRestoresMappingsAndReannouncesUnfinishedTransitions() async throws {
        let store = MemoryDocumentStore()
        let first = try await makeRegistry(store: store)
        let creating = try await first.create(try kinesisMapping(), identity: identity).uuid
        let deleting = try await first.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)","Enabled":false}"#), identity: identity
        ).uuid
        _ = try await first.delete(uuid: deleting, region: "us-east-1")

        let second = try await makeRegistry(store: store, firstUUID: 100)
        var transitions = second.transitions.makeAsyncIterator()
        #expect(await transitions.next() == MappingTransition(uuid: creating, action: .start))
        #expect(await transitions.next() == MappingTransition(uuid: deleting, action: .remove))
        #expect(try await second.mapping(uuid: creating, region: "us-east-1").state == .creating)
        let next = try await second.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)2"}"#), identity: identity
        )
        #expect(try await second.list(region: "us-east-1", eventSourceArn: nil, function: nil, marker: nil, maxItems: nil)
            .mappings.map(\.uuid) == [creating, deleting, next.uuid])
    }

    @Test func listPagesInCreationOrderWithOpaqueMarkers() async throws {
        let registry = try await makeRegistry()
        var uuids: [String] = []
        for index in 0..<5 {
            let created = try await registry.create(
                try request(#"{"FunctionName":"f","EventSourceArn":"\#(queueArn)\#(index)"}"#), identity: identity
            )
            uuids.append(created.uuid)
        }
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await registry.list(
                region: "us-east-1", eventSourceArn: nil, function: nil, marker: marker, maxItems: 2
            )
            #expect(page.mappings.count <= 2)
            seen += page.mappings.map(\.uuid)
            marker = page.nextMarker
        } while marker != nil
        #expect(seen == uuids)
        await #expect(throws: AWSError.invalidParameterValue("Invalid Marker value.")) {
            try await registry.list(region: "us-east-1", eventSourceArn: nil, function: nil, marker: "bogus", maxItems: nil)
        }
    }

    @Test func listFiltersBySourceFunctionAndRegion() async throws {
        let registry = try await makeRegistry(functions: [functionArn, "arn:aws:lambda:us-east-1:000000000000:function:g"])
        let onStream = try await registry.create(try kinesisMapping(), identity: identity).uuid
        let onQueue = try await registry.create(
            try request(#"{"FunctionName":"g","EventSourceArn":"\#(queueArn)"}"#), identity: identity
        ).uuid
        let qualified = try await registry.create(
            try request(#"{"FunctionName":"f:$LATEST","EventSourceArn":"\#(queueArn)"}"#), identity: identity
        ).uuid
        func list(_ source: String?, _ function: String?, region: String = "us-east-1") async throws -> [String] {
            let reference = try function.map { try FunctionReference(parsing: $0, identity: identity, maxLength: 256) }
            return try await registry.list(region: region, eventSourceArn: source, function: reference, marker: nil,
                                           maxItems: nil).mappings.map(\.uuid)
        }
        #expect(try await list(streamArn, nil) == [onStream])
        #expect(try await list(nil, "f") == [onStream, qualified])
        #expect(try await list(nil, "f:$LATEST") == [qualified])
        #expect(try await list(queueArn, "g") == [onQueue])
        #expect(try await list(nil, "missing").isEmpty)
        #expect(try await list(nil, nil, region: "eu-west-1").isEmpty)
    }

    @Test func tagsAreKeptPerMapping() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(#","Tags":{"team":"a"}"#), identity: identity).uuid
        try await registry.setTags(uuid: uuid, region: "us-east-1", adding: ["env": "dev"], removing: ["team"])
        #expect(try await registry.tags(uuid: uuid, region: "us-east-1") == ["env": "dev"])
    }
}
