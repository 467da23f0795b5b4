/// Which shards of a stream a mapping reads, and from where (`reference/semantics.md` §2, §8, §9): a parent shard is
/// read to its end before its children start, so that a partition key's records stay in order across a reshard; after
/// a merge both parents must finish; shards appear in later listings and are picked up then.
///
/// ```
/// shardsListed ──▶ .startReading(shard, from:) for each ready shard
/// shardFinished (read to its end, no NextShardIterator) ──▶ .startReading for children now ready
/// ```
///
/// A shard is *ready* when it is not finished, not already being read, and each of its parents is done: finished by
/// this mapping, passed over (below), or absent from the latest listing (trimmed past retention: nothing is left to
/// wait for).
///
/// Where a shard starts:
/// - after its checkpoint (`AFTER_SEQUENCE_NUMBER`) when it has one: StartingPosition applies only to shards without
///   a checkpoint (§2);
/// - at its first record (`TRIM_HORIZON`) when a parent was read to its end by this mapping, whatever the
///   StartingPosition: all of the child's records came after the parent's, which the mapping delivered;
/// - otherwise at the mapping's StartingPosition.
///
/// With `LATEST`, a shard without checkpoint that is already closed when listed is passed over, not read: it holds
/// nothing written from now on, and it is not *finished by this mapping*, so its children also start at `LATEST`
/// (were they to start at `TRIM_HORIZON`, a new LATEST mapping on a resharded stream would deliver old records).
/// Passing over is recomputed from each listing and never stored.
///
/// Known limits (uncertain on AWS): a LATEST shard that delivered no record has no checkpoint, so if it closes while
/// the mapping is stopped, its children start at LATEST on restart. With AT_TIMESTAMP, a parent closed before the
/// timestamp that the mapping reads to its end still sends its children to TRIM_HORIZON, so they may deliver records
/// older than the timestamp.
public struct ShardLineage: Sendable {
    /// The mapping's `StartingPosition` (and `StartingPositionTimestamp`), fixed at Create.
    public enum StartingPosition: Sendable, Hashable {
        case trimHorizon
        case latest
        case atTimestamp(Timestamp)

        /// The position from the mapping's `StartingPosition` text; `nil` for an unknown name or AT_TIMESTAMP without
        /// a timestamp.
        public init?(_ name: String, timestamp: Timestamp? = nil) {
            switch (name, timestamp) {
            case ("TRIM_HORIZON", _): self = .trimHorizon
            case ("LATEST", _): self = .latest
            case ("AT_TIMESTAMP", let timestamp?): self = .atTimestamp(timestamp)
            default: return nil
            }
        }
    }

    /// What the mapping stored about a shard.
    public enum Progress: Sendable, Hashable {
        /// Done up to this record; resume after it.
        case checkpoint(StreamSequenceNumber)
        /// Read to its end.
        case finished
    }

    /// What the poller must do.
    public enum Action: Sendable, Hashable {
        /// Start a reader for the shard at this position.
        case startReading(shardID: String, from: ShardStart)
    }

    public let startingPosition: StartingPosition
    /// The mapping's progress per shard, as it must be stored.
    public private(set) var progress: [String: Progress]
    /// The shards of the latest listing, by id.
    private var shards: [String: StreamShard] = [:]
    /// Shards whose reader was started and is not finished.
    public private(set) var reading: Set<String> = []

    /// The lineage of a mapping starting or resuming with the progress it stored.
    ///
    /// - Parameters:
    ///   - startingPosition: the mapping's StartingPosition, for shards without progress.
    ///   - progress: the stored checkpoints and finished shards.
    public init(startingPosition: StartingPosition, progress: [String: Progress] = [:]) {
        self.startingPosition = startingPosition
        self.progress = progress
    }

    // MARK: Events

    /// The stream's shards were listed (ListShards, DescribeStream): start every shard that is ready.
    ///
    /// - Returns: the readers to start, in listing order.
    public mutating func shardsListed(_ listed: [StreamShard]) -> [Action] {
        shards = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return startReadyShards(in: listed)
    }

    /// A checkpoint of `shardID` was stored.
    public mutating func shardCheckpointed(_ shardID: String, at sequenceNumber: StreamSequenceNumber) {
        guard progress[shardID] != .finished else { return }
        progress[shardID] = .checkpoint(sequenceNumber)
    }

    /// The reader of `shardID` reached the shard's end (GetRecords returned no `NextShardIterator`) with every record
    /// done: store `.finished`, and start the children that are ready now.
    ///
    /// - Returns: the readers to start, in listing order.
    public mutating func shardFinished(_ shardID: String) -> [Action] {
        reading.remove(shardID)
        progress[shardID] = .finished
        return startReadyShards(in: shards.values.sorted { $0.id < $1.id })
    }

    // MARK: Queries

    /// Whether `shard` may be read now: not finished, not being read, not passed over, and every parent done.
    public func isReady(_ shardID: String) -> Bool {
        guard let shard = shards[shardID], progress[shardID] != .finished, !reading.contains(shardID) else {
            return false
        }
        return !isPassedOver(shard) && parentsAreDone(shard)
    }

    /// Where `shard` starts when it becomes ready.
    public func position(of shard: StreamShard) -> ShardStart {
        if case .checkpoint(let sequenceNumber) = progress[shard.id] {
            return .afterSequenceNumber(sequenceNumber)
        }
        if shard.parentIDs.contains(where: { progress[$0] == .finished }) {
            return .trimHorizon
        }
        switch startingPosition {
        case .trimHorizon: return .trimHorizon
        case .latest: return .latest
        case .atTimestamp(let timestamp): return .atTimestamp(timestamp)
        }
    }

    // MARK: Rules

    private mutating func startReadyShards(in ordered: [StreamShard]) -> [Action] {
        var actions: [Action] = []
        for shard in ordered where isReady(shard.id) {
            reading.insert(shard.id)
            actions.append(.startReading(shardID: shard.id, from: position(of: shard)))
        }
        return actions
    }

    /// A parent is done when finished, passed over, or no longer listed.
    private func parentsAreDone(_ shard: StreamShard) -> Bool {
        shard.parentIDs.allSatisfy { parentID in
            guard let parent = shards[parentID] else { return true }
            return progress[parentID] == .finished || isPassedOver(parent)
        }
    }

    /// LATEST skips a closed shard that has no checkpoint, is not being read and has no parent this mapping finished,
    /// once its parents are done: nothing will be written to it from now on. (A shard being read that closes is read
    /// to its end and then finished, so its children start at TRIM_HORIZON.)
    private func isPassedOver(_ shard: StreamShard) -> Bool {
        guard startingPosition == .latest, shard.isClosed, progress[shard.id] == nil, !reading.contains(shard.id) else {
            return false
        }
        return !shard.parentIDs.contains { progress[$0] == .finished } && parentsAreDone(shard)
    }
}

extension StreamShard {
    /// The parents: one after a split, two after a merge.
    var parentIDs: [String] { [parentShardId, adjacentParentShardId].compactMap { $0 } }
}
