import SluiceCore
import Testing

/// The shard checkpoint of `reference/semantics.md` §3–§4: the highest sequence number below which every record read
/// is done (processed, filtered out or given up).
@Suite struct ShardCheckpointTests {
    @Test func checkpointMovesOverDoneRecordsInReadOrder() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...3))
        #expect(shard.checkpoint == nil)
        #expect(shard.recordsDone(seqs(1...2)) == seq(2))
        #expect(shard.recordsDone(seqs(3...3)) == seq(3))
        #expect(shard.checkpoint == seq(3))
    }

    @Test func checkpointNeverPassesARecordStillInFlight() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...4))
        #expect(shard.recordsDone([seq(2), seq(4)]) == nil)
        #expect(shard.lowestPending == seq(1))
        #expect(shard.recordsDone([seq(1)]) == seq(2))
        #expect(shard.lowestPending == seq(3))
        #expect(shard.recordsDone([seq(3)]) == seq(4))
        #expect(shard.lowestPending == nil)
    }

    @Test func givenUpRecordsCountAsDone() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...3))
        #expect(shard.recordsDone([seq(1)]) == seq(1))  // processed
        #expect(shard.recordsDone([seq(2), seq(3)]) == seq(3))  // retries exhausted: sent to the destination
    }

    @Test func recordsReadButNotHandedOutHoldTheCheckpoint() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...5))
        #expect(shard.recordsDone(seqs(1...2)) == seq(2))
        #expect(shard.unsettledCount == 3)
        #expect(shard.lowestPending == seq(3))
    }

    @Test func doneThroughFinishesEveryRecordReadUpToIt() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...5))
        #expect(shard.recordsDone([seq(5)]) == nil)
        #expect(shard.recordsDone(through: seq(3)) == seq(3))
        #expect(shard.recordsDone(through: seq(4)) == seq(5))
        #expect(shard.unsettledCount == 0)
    }

    @Test func doneThroughLeavesRecordsNotYetReadPending() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...2))
        #expect(shard.recordsDone(through: seq(9)) == seq(2))
        shard.recordsRead(seqs(3...3))
        #expect(shard.lowestPending == seq(3))
        #expect(shard.recordsDone(through: seq(2)) == nil)
    }

    @Test func resumingAfterAStoredCheckpointIgnoresRecordsAtOrBelowIt() {
        var shard = ShardCheckpoint(checkpoint: seq(10))
        shard.recordsRead(seqs(9...12))
        #expect(shard.unsettledCount == 2)
        #expect(shard.recordsDone([seq(9), seq(10)]) == nil)
        #expect(shard.recordsDone([seq(11)]) == seq(11))
    }

    @Test func reReadRecordsCountOnce() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...3))
        shard.recordsRead(seqs(2...4))
        #expect(shard.unsettledCount == 4)
        #expect(shard.recordsDone(seqs(1...4)) == seq(4))
    }

    @Test func recordsDoneTwiceOrNeverReadChangeNothing() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...2))
        #expect(shard.recordsDone([seq(1)]) == seq(1))
        #expect(shard.recordsDone([seq(1)]) == nil)
        #expect(shard.recordsDone([seq(7)]) == nil)
        #expect(shard.lowestPending == seq(2))
    }

    @Test func sequenceNumbersOrderAsNumbersNotAsText() {
        var shard = ShardCheckpoint()
        shard.recordsRead([seq(9), seq(10), seq(11)])
        #expect(shard.recordsDone([seq(10)]) == nil)
        #expect(shard.recordsDone([seq(9)]) == seq(10))
    }

    @Test func manyRecordsDoneInReverseOrderMoveTheCheckpointOnceAtTheEnd() {
        var shard = ShardCheckpoint()
        shard.recordsRead(seqs(1...5000))
        #expect(shard.recordsDone(seqs(2...5000).reversed()) == nil)
        #expect(shard.recordsDone([seq(1)]) == seq(5000))
        shard.recordsRead(seqs(5001...5002))
        #expect(shard.recordsDone([seq(5002)]) == nil)
        #expect(shard.recordsDone([seq(5001)]) == seq(5002))
    }
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

private func seqs(_ numbers: ClosedRange<Int>) -> [StreamSequenceNumber] {
    numbers.map(seq)
}
