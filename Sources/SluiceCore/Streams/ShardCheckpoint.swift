/// The checkpoint of one shard (`reference/semantics.md` §3, §4): the highest sequence number below which every
/// record read from the shard is done, so that a restart from it repeats no finished work before it and loses no
/// record after it.
///
/// A record is *done* when it was processed (its batch succeeded, or it came before the lowest reported item
/// failure), filtered out, or given up (sent to the on-failure destination, or dropped for want of one, after
/// `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`). Records finish out of order when batches run in parallel
/// (ParallelizationFactor > 1) or when a batch is cut by a partial failure; the checkpoint only moves over an unbroken
/// run of done records, so it never passes a record still waiting or in flight.
///
/// ```swift
/// var shard = ShardCheckpoint()
/// shard.recordsRead([s1, s2, s3])
/// shard.recordsDone([s2])        // nil: s1 is still in flight
/// shard.recordsDone([s1])        // s2: persist it
/// ```
///
/// The tracker knows sequence numbers only; records come from `StreamRecord.sequenceNumber`. It costs O(1) amortized
/// per record.
public struct ShardCheckpoint: Sendable {
    /// The checkpoint to resume from: the shard continues `AFTER_SEQUENCE_NUMBER` this one; `nil` before any record
    /// of the shard is done (the shard then starts at its starting position, §2).
    public private(set) var checkpoint: StreamSequenceNumber?
    /// The highest sequence number read so far (`nil`: none, or none after `checkpoint`).
    public private(set) var highestRead: StreamSequenceNumber?

    /// Records read and not yet passed by the checkpoint, in sequence order; `order[head...]` is live.
    private var order: [StreamSequenceNumber] = []
    private var head = 0
    /// Records of `order[head...]` that are done out of order.
    private var done: Set<StreamSequenceNumber> = []
    /// Every record read up to this one is done (`recordsDone(through:)`).
    private var doneThrough: StreamSequenceNumber?

    /// A shard resuming after `checkpoint` (as stored), or starting fresh.
    public init(checkpoint: StreamSequenceNumber? = nil) {
        self.checkpoint = checkpoint
        self.highestRead = checkpoint
    }

    /// Records read from the shard, in sequence order; each is pending until done.
    ///
    /// Sequence numbers at or below the highest already read (a re-read after an iterator was re-created) are
    /// ignored: the first read of a record is the one that counts.
    public mutating func recordsRead(_ sequenceNumbers: some Sequence<StreamSequenceNumber>) {
        for sequenceNumber in sequenceNumbers where highestRead.map({ sequenceNumber > $0 }) ?? true {
            order.append(sequenceNumber)
            highestRead = sequenceNumber
        }
    }

    /// Records finished: processed, filtered out or given up.
    ///
    /// - Returns: the new checkpoint to persist when it moved, `nil` when it did not.
    public mutating func recordsDone(_ sequenceNumbers: some Sequence<StreamSequenceNumber>) -> StreamSequenceNumber? {
        for sequenceNumber in sequenceNumbers where isPending(sequenceNumber) {
            done.insert(sequenceNumber)
        }
        return advance()
    }

    /// Every record read up to and including `sequenceNumber` is finished (a window closed, a factor-1 batch ended).
    /// Records not read yet are not affected.
    ///
    /// - Returns: the new checkpoint to persist when it moved, `nil` when it did not.
    public mutating func recordsDone(through sequenceNumber: StreamSequenceNumber) -> StreamSequenceNumber? {
        guard let highestRead else { return nil }
        let through = min(sequenceNumber, highestRead)
        if doneThrough.map({ through > $0 }) ?? true {
            doneThrough = through
        }
        return advance()
    }

    /// How many records read are not yet behind the checkpoint (waiting, in flight, or done after a pending one).
    public var unsettledCount: Int { order.count - head }

    /// The lowest record read that is not done: the record the checkpoint is waiting for.
    public var lowestPending: StreamSequenceNumber? {
        order[head...].first { !isDone($0) }
    }

    private func isPending(_ sequenceNumber: StreamSequenceNumber) -> Bool {
        guard let highestRead, sequenceNumber <= highestRead else { return false }
        return checkpoint.map { sequenceNumber > $0 } ?? true
    }

    private func isDone(_ sequenceNumber: StreamSequenceNumber) -> Bool {
        done.contains(sequenceNumber) || doneThrough.map { sequenceNumber <= $0 } ?? false
    }

    /// Moves the checkpoint over the run of done records at the front.
    private mutating func advance() -> StreamSequenceNumber? {
        var passed: StreamSequenceNumber?
        while head < order.count, isDone(order[head]) {
            passed = order[head]
            done.remove(order[head])
            head += 1
        }
        if head == order.count || head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        guard let passed else { return nil }
        checkpoint = passed
        return passed
    }
}
