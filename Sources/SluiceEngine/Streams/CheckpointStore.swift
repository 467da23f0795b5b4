import SluiceCore

/// Where a stream mapping keeps its position per shard: the sequence number after which a shard resumes
/// (`reference/semantics.md` §2, §11). A port: the server stores checkpoints in its `DocumentStore`; tests keep them
/// in memory.
public protocol CheckpointStore: Sendable {
    /// The shard's stored checkpoint, `nil` when the mapping has none (it then starts at its StartingPosition).
    ///
    /// - Parameters:
    ///   - mapping: the mapping's UUID.
    ///   - shard: the shard id.
    func checkpoint(mapping: String, shard: String) async throws -> StreamSequenceNumber?

    /// Stores the shard's checkpoint: every record up to and including `sequenceNumber` is done. Committed before it
    /// returns (`../DESIGN.md`, Durability).
    ///
    /// - Parameters:
    ///   - mapping: the mapping's UUID.
    ///   - shard: the shard id.
    ///   - sequenceNumber: the new checkpoint, never lower than the last one saved.
    func save(mapping: String, shard: String, sequenceNumber: StreamSequenceNumber) async throws
}

/// A checkpoint store that also knows which shards a mapping read to its end, and forgets a deleted mapping: what a
/// stream mapping's worker needs to resume every shard of a resharded stream in lineage order (§8, §11).
public protocol ShardProgressStore: CheckpointStore {
    /// Every shard the mapping stored progress for: its checkpoint, or finished.
    func progress(mapping: String) async throws -> [String: ShardLineage.Progress]
    /// The shard was read to its end with every record done: its children may start (`ShardLineage`).
    func markFinished(mapping: String, shard: String) async throws
    /// Forgets every checkpoint of a deleted mapping: a new mapping starts at its StartingPosition (§11).
    func forget(mapping: String) async throws
}
