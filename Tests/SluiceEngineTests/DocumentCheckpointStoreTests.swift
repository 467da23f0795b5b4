import SluiceCore
import SluiceEngine
import SluiceStore
import Testing

/// Stream checkpoints survive a restart and are forgotten with their mapping (issue 5, items 2 and 10).
@Suite struct DocumentCheckpointStoreTests {
    @Test func aSavedCheckpointIsReadBackAfterARestart() async throws {
        let store = MemoryDocumentStore()
        let first = try await DocumentCheckpointStore(store: store)
        #expect(await first.checkpoint(mapping: "m", shard: "s0") == nil)
        try await first.save(mapping: "m", shard: "s0", sequenceNumber: StreamSequenceNumber("41"))
        try await first.save(mapping: "m", shard: "s0", sequenceNumber: StreamSequenceNumber("42"))
        try await first.save(mapping: "m", shard: "s1", sequenceNumber: StreamSequenceNumber("7"))
        let second = try await DocumentCheckpointStore(store: store)
        #expect(await second.checkpoint(mapping: "m", shard: "s0") == StreamSequenceNumber("42"))
        #expect(await second.checkpoint(mapping: "m", shard: "s1") == StreamSequenceNumber("7"))
    }

    @Test func forgettingAMappingLeavesTheOthers() async throws {
        let store = MemoryDocumentStore()
        let checkpoints = try await DocumentCheckpointStore(store: store)
        try await checkpoints.save(mapping: "gone", shard: "s0", sequenceNumber: StreamSequenceNumber("1"))
        try await checkpoints.save(mapping: "kept", shard: "s0", sequenceNumber: StreamSequenceNumber("2"))
        try await checkpoints.forget(mapping: "gone")
        #expect(await checkpoints.checkpoint(mapping: "gone", shard: "s0") == nil)
        let reloaded = try await DocumentCheckpointStore(store: store)
        #expect(await reloaded.checkpoint(mapping: "gone", shard: "s0") == nil)
        #expect(await reloaded.checkpoint(mapping: "kept", shard: "s0") == StreamSequenceNumber("2"))
    }
}
