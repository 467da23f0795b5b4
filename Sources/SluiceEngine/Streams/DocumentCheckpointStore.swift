import SluiceCore
import SluiceStore

/// Stream checkpoints in the control-plane `DocumentStore` (`sluice.sqlite`), one document per mapping and shard,
/// committed before `save` returns, so a restart (even after `kill -9`) resumes every shard where its last batch
/// outcome left it (issue 5, item 10). Deleting a mapping forgets its checkpoints (§11: a new mapping starts at its
/// StartingPosition).
public actor DocumentCheckpointStore: ShardProgressStore {
    struct Stored: Codable {
        var mapping: String
        var shard: String
        var sequenceNumber: String
        /// The shard was read to its end (absent in documents written before shards were finished).
        var finished: Bool?
    }

    static let collection = "stream-checkpoints"

    private let store: any DocumentStore
    private var checkpoints: [String: Stored]
    /// The revision of the last write issued (see ``DocumentStore``).
    private var revision: Int64

    /// Loads every stored checkpoint.
    public init(store: any DocumentStore) async throws {
        let stored = try await store.load(Stored.self, from: Self.collection)
        self.store = store
        self.checkpoints = Dictionary(
            stored.values.map { (Self.key($0.mapping, $0.shard), $0) }, uniquingKeysWith: { $1 }
        )
        self.revision = stored.revision
    }

    public func checkpoint(mapping: String, shard: String) -> StreamSequenceNumber? {
        checkpoints[Self.key(mapping, shard)].map { StreamSequenceNumber($0.sequenceNumber) }
    }

    public func progress(mapping: String) -> [String: ShardLineage.Progress] {
        var progress: [String: ShardLineage.Progress] = [:]
        for stored in checkpoints.values where stored.mapping == mapping {
            progress[stored.shard] =
                stored.finished == true ? .finished : .checkpoint(StreamSequenceNumber(stored.sequenceNumber))
        }
        return progress
    }

    public func markFinished(mapping: String, shard: String) async throws {
        let key = Self.key(mapping, shard)
        var stored = checkpoints[key] ?? Stored(mapping: mapping, shard: shard, sequenceNumber: "")
        stored.finished = true
        revision += 1
        try await store.put(stored, key: key, in: Self.collection, revision: revision)
        checkpoints[key] = stored
    }

    public func save(mapping: String, shard: String, sequenceNumber: StreamSequenceNumber) async throws {
        let key = Self.key(mapping, shard)
        let stored = Stored(
            mapping: mapping, shard: shard, sequenceNumber: sequenceNumber.text, finished: checkpoints[key]?.finished
        )
        revision += 1
        try await store.put(stored, key: key, in: Self.collection, revision: revision)
        checkpoints[key] = stored
    }

    /// Forgets every checkpoint of a deleted mapping.
    public func forget(mapping: String) async throws {
        for (key, stored) in checkpoints where stored.mapping == mapping {
            revision += 1
            try await store.delete(collection: Self.collection, key: key, revision: revision)
            checkpoints[key] = nil
        }
    }

    static func key(_ mapping: String, _ shard: String) -> String { "\(mapping)/\(shard)" }
}
