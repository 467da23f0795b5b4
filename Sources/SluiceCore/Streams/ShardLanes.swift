/// The lanes of one shard under `ParallelizationFactor` (`reference/semantics.md` §4): records are partitioned by
/// partition key into 1–10 lanes; each lane delivers its records in order with at most one batch in flight, and
/// different lanes run concurrently. Ordering is kept per partition key, not per shard (docs).
///
/// The lanes own the records read but not yet handed out, and the shard's `ShardCheckpoint`: the checkpoint is the
/// highest sequence number below which every record of all lanes is done, so a failing lane blocks only its own keys,
/// but the checkpoint cannot pass it.
///
/// ```
/// read ──recordsRead──▶ lane = stable hash(partition key) mod factor ──▶ waiting records of the lane
/// ready lane (waiting, nothing in flight) ──batchStarted(inLane:count:)──▶ in flight
/// records processed / given up ──recordsDone──▶ lane free again; checkpoint moves over the done prefix
/// ```
///
/// A lane's in-flight batch is its handed-out records that are not yet done: a retry, a bisected half or the rest of a
/// partially failed batch keeps the lane busy until the last of them is done (processed or given up).
///
/// **Which hash** (the docs say only "by partition key"): 64-bit FNV-1a over the partition key's UTF-8 bytes, modulo
/// the factor. It is stable across processes and restarts (Swift's `Hasher` is seeded per process), cheap, and spreads
/// short keys well. AWS's own hash is not documented.
///
/// **Changing the factor** (UpdateEventSourceMapping) applies from the next batch without breaking key order: a key
/// that still has records waiting or in flight stays in the lane that holds them until they are all done; every other
/// key, including ones whose waiting records are re-partitioned at the change, goes to `hash mod newFactor`. A lane
/// beyond a lowered factor takes no new keys and disappears once it drains.
public struct ShardLanes: Sendable {
    /// A batch handed out to a lane.
    public struct Batch: Sendable, Equatable {
        public var lane: Int
        public var records: [StreamRecord]

        public init(lane: Int, records: [StreamRecord]) {
            self.lane = lane
            self.records = records
        }
    }

    private struct Lane: Sendable {
        /// Records routed to the lane and not yet handed out; `waiting[head...]` is live.
        var waiting: [StreamRecord] = []
        var head = 0
        /// Handed-out records not yet done.
        var inFlight: Set<StreamSequenceNumber> = []

        var waitingRecords: ArraySlice<StreamRecord> { waiting[head...] }
        var isEmpty: Bool { head == waiting.count && inFlight.isEmpty }

        mutating func take(_ count: Int) -> [StreamRecord] {
            let taken = Array(waiting[head..<head + count])
            head += count
            if head == waiting.count || head > 1024 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            return taken
        }
    }

    /// Where a partition key's undone records are, and how many there are.
    private struct KeyPlacement: Sendable {
        var lane: Int
        var undone: Int
    }

    /// The factor new keys are partitioned by, 1–10.
    public private(set) var parallelizationFactor: Int
    private var lanes: [Lane]
    private var placements: [String: KeyPlacement] = [:]
    /// Partition key of each record in flight, to release it when done.
    private var inFlightKeys: [StreamSequenceNumber: (lane: Int, key: String)] = [:]
    private var tracker: ShardCheckpoint

    /// The lanes of a shard resuming after `checkpoint`, or starting fresh.
    ///
    /// - Parameters:
    ///   - parallelizationFactor: the mapping's `ParallelizationFactor`, 1–10 (validated at Create and Update).
    ///   - checkpoint: the shard's stored checkpoint, if any.
    public init(parallelizationFactor: Int = 1, checkpoint: StreamSequenceNumber? = nil) {
        self.parallelizationFactor = max(1, parallelizationFactor)
        self.lanes = Array(repeating: Lane(), count: self.parallelizationFactor)
        self.tracker = ShardCheckpoint(checkpoint: checkpoint)
    }

    // MARK: Queries

    /// The shard checkpoint: every record read up to it is done in every lane.
    public var checkpoint: StreamSequenceNumber? { tracker.checkpoint }

    /// How many lanes exist: the factor, plus lanes above a lowered factor that still hold records.
    public var laneCount: Int { lanes.count }

    /// Lanes with records waiting and no batch in flight, lowest first: each may start one batch now.
    public var readyLanes: [Int] {
        lanes.indices.filter { lanes[$0].inFlight.isEmpty && !lanes[$0].waitingRecords.isEmpty }
    }

    /// The records of `lane` waiting to be handed out, in sequence order (for the batcher to cut by size and window).
    public func waitingRecords(inLane lane: Int) -> ArraySlice<StreamRecord> {
        lanes.indices.contains(lane) ? lanes[lane].waitingRecords : []
    }

    /// Whether `lane` has a batch in flight.
    public func isBusy(lane: Int) -> Bool {
        lanes.indices.contains(lane) && !lanes[lane].inFlight.isEmpty
    }

    /// Whether nothing is waiting or in flight in any lane.
    public var isIdle: Bool { lanes.allSatisfy(\.isEmpty) }

    /// The lane of `partitionKey` under `factor` when the key has no records in any lane: FNV-1a 64 modulo `factor`.
    public static func lane(forPartitionKey partitionKey: String, factor: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in partitionKey.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(max(1, factor)))
    }

    /// The lane a record of `partitionKey` read now would join.
    public func lane(forPartitionKey partitionKey: String) -> Int {
        placements[partitionKey]?.lane ?? Self.lane(forPartitionKey: partitionKey, factor: parallelizationFactor)
    }

    // MARK: Events

    /// Records read from the shard, in sequence order. Records `isDelivered` rejects (FilterCriteria, §6) are done at
    /// once and never join a lane; records at or below the highest already read are ignored.
    ///
    /// - Returns: the new checkpoint to persist when filtered records moved it, else `nil`.
    public mutating func recordsRead(
        _ records: [StreamRecord],
        isDelivered: (StreamRecord) -> Bool = { _ in true }
    ) -> StreamSequenceNumber? {
        var filtered: [StreamSequenceNumber] = []
        for record in records where tracker.highestRead.map({ record.sequenceNumber > $0 }) ?? true {
            tracker.recordsRead(CollectionOfOne(record.sequenceNumber))
            if isDelivered(record) {
                route(record)
            } else {
                filtered.append(record.sequenceNumber)
            }
        }
        return filtered.isEmpty ? nil : tracker.recordsDone(filtered)
    }

    /// The first `count` waiting records of `lane` were handed out as one batch.
    ///
    /// A lane has at most one batch in flight: while it is busy, nothing is handed out and the result is empty.
    ///
    /// - Returns: the records of the batch, in sequence order.
    public mutating func batchStarted(inLane lane: Int, count: Int) -> [StreamRecord] {
        guard lanes.indices.contains(lane), lanes[lane].inFlight.isEmpty else { return [] }
        let batch = lanes[lane].take(min(max(0, count), lanes[lane].waitingRecords.count))
        for record in batch {
            lanes[lane].inFlight.insert(record.sequenceNumber)
            inFlightKeys[record.sequenceNumber] = (lane, record.partitionKey)
        }
        return batch
    }

    /// Starts a batch of up to `maximumCount` records in every ready lane (no batching window, no size cut).
    public mutating func takeBatches(maximumCount: Int) -> [Batch] {
        guard maximumCount > 0 else { return [] }
        return readyLanes.map { lane in Batch(lane: lane, records: batchStarted(inLane: lane, count: maximumCount)) }
    }

    /// Handed-out records finished: processed, or given up after retries or record age. Their lane is free once all
    /// of its in-flight records are done. Unknown or waiting records are ignored.
    ///
    /// - Returns: the new checkpoint to persist when it moved, else `nil`.
    public mutating func recordsDone(_ sequenceNumbers: some Sequence<StreamSequenceNumber>) -> StreamSequenceNumber? {
        var finished: [StreamSequenceNumber] = []
        for sequenceNumber in sequenceNumbers {
            guard let (lane, key) = inFlightKeys.removeValue(forKey: sequenceNumber) else { continue }
            lanes[lane].inFlight.remove(sequenceNumber)
            release(key)
            finished.append(sequenceNumber)
        }
        trimDrainedLanes()
        return tracker.recordsDone(finished)
    }

    /// Every in-flight record of `lane` up to and including `sequenceNumber` is finished: the lane's batch processor
    /// checkpointed after it (`.checkpoint(after:)` of a batch that holds only this lane's records).
    ///
    /// - Returns: the new shard checkpoint to persist when it moved, else `nil`.
    public mutating func recordsDone(inLane lane: Int, through sequenceNumber: StreamSequenceNumber)
        -> StreamSequenceNumber?
    {
        guard lanes.indices.contains(lane) else { return nil }
        return recordsDone(lanes[lane].inFlight.filter { $0 <= sequenceNumber })
    }

    /// The mapping's `ParallelizationFactor` changed (Update): new keys and the waiting records of keys with nothing
    /// in flight are partitioned by the new factor from the next batch; keys in flight keep their lane until done.
    public mutating func parallelizationFactorChanged(to factor: Int) {
        parallelizationFactor = max(1, factor)
        var waiting: [StreamRecord] = []
        for index in lanes.indices {
            waiting += lanes[index].waitingRecords
            lanes[index].waiting = []
            lanes[index].head = 0
        }
        waiting.sort { $0.sequenceNumber < $1.sequenceNumber }
        placements = [:]
        for (_, (lane, key)) in inFlightKeys {
            placements[key, default: KeyPlacement(lane: lane, undone: 0)].undone += 1
        }
        if lanes.count < parallelizationFactor {
            lanes += Array(repeating: Lane(), count: parallelizationFactor - lanes.count)
        }
        for record in waiting {
            route(record)
        }
        trimDrainedLanes()
    }

    // MARK: Routing

    private mutating func route(_ record: StreamRecord) {
        let lane = lane(forPartitionKey: record.partitionKey)
        placements[record.partitionKey, default: KeyPlacement(lane: lane, undone: 0)].undone += 1
        lanes[lane].waiting.append(record)
    }

    private mutating func release(_ key: String) {
        guard var placement = placements[key] else { return }
        placement.undone -= 1
        placements[key] = placement.undone > 0 ? placement : nil
    }

    /// Drops empty lanes above the factor, from the top, so lane numbers of the others stay put.
    private mutating func trimDrainedLanes() {
        while lanes.count > parallelizationFactor, lanes[lanes.count - 1].isEmpty {
            lanes.removeLast()
        }
    }
}
