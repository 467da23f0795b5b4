import SluiceCore
import Testing

/// ParallelizationFactor lanes of `reference/semantics.md` §4. Under FNV-1a 64, with factor 2 key "a" is in lane 0
/// and "b" in lane 1; with factor 3, "c" is in lane 0, "a" and "b" in lane 1, "g" in lane 2.
@Suite struct ShardLanesTests {
    @Test func laneIsFNV1a64OfThePartitionKeyModuloTheFactor() {
        #expect(ShardLanes.lane(forPartitionKey: "a", factor: 10) == Int(0xaf63_dc4c_8601_ec8c % 10 as UInt64))
        #expect(ShardLanes.lane(forPartitionKey: "", factor: 7) == Int(0xcbf2_9ce4_8422_2325 % 7 as UInt64))
        #expect(["a", "b", "c", "g"].map { ShardLanes.lane(forPartitionKey: $0, factor: 2) } == [0, 1, 0, 0])
        #expect(["a", "b", "c", "g"].map { ShardLanes.lane(forPartitionKey: $0, factor: 3) } == [1, 1, 0, 2])
        #expect(ShardLanes.lane(forPartitionKey: "any", factor: 1) == 0)
    }

    @Test func factorOneDeliversTheShardInOrderOneBatchAtATime() {
        var lanes = ShardLanes()
        #expect(lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "c")]) == nil)
        #expect(lanes.takeBatches(maximumCount: 2) == [batch(0, r(1, "a"), r(2, "b"))])
        #expect(lanes.takeBatches(maximumCount: 2) == [])
        #expect(lanes.recordsDone(seqs(1, 2)) == seq(2))
        #expect(lanes.takeBatches(maximumCount: 2) == [batch(0, r(3, "c"))])
    }

    @Test func eachLaneKeepsItsKeysInOrder() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "a"), r(4, "c"), r(5, "b")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(1, "a"), r(3, "a"), r(4, "c")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(2, "b"), r(5, "b")])
    }

    @Test func twoKeysInDifferentLanesAreInFlightAtOnce() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "a"), r(4, "b")])
        #expect(lanes.readyLanes == [0, 1])
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(0, r(1, "a")), batch(1, r(2, "b"))])
        #expect(lanes.isBusy(lane: 0) && lanes.isBusy(lane: 1))
        #expect(lanes.recordsDone(seqs(2)) == nil)
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(1, r(4, "b"))])
    }

    @Test func aLaneHasAtMostOneBatchInFlight() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "a"), r(3, "a")])
        #expect(lanes.batchStarted(inLane: 0, count: 1) == [r(1, "a")])
        #expect(lanes.readyLanes == [])
        #expect(lanes.batchStarted(inLane: 0, count: 1) == [])
        #expect(lanes.recordsDone(seqs(1)) == seq(1))
        #expect(lanes.batchStarted(inLane: 0, count: 5) == [r(2, "a"), r(3, "a")])
    }

    @Test func checkpointNeverPassesAnInFlightRecordOfAnotherLane() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "a"), r(4, "b")])
        #expect(lanes.takeBatches(maximumCount: 2).count == 2)
        #expect(lanes.recordsDone(seqs(2, 4)) == nil)
        #expect(lanes.checkpoint == nil)
        #expect(lanes.recordsDone(seqs(1, 3)) == seq(4))
    }

    @Test func aFailingLaneBlocksOnlyItsKeysButTheCheckpointCannotPassIt() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "b"), r(2, "a"), r(3, "b"), r(4, "a"), r(5, "b")])
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(0, r(2, "a")), batch(1, r(1, "b"))])
        // record 2 (key "a") keeps failing and is retried; lane 1 goes on with key "b"
        #expect(lanes.recordsDone(seqs(1)) == seq(1))
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(1, r(3, "b"))])
        #expect(lanes.recordsDone(seqs(3)) == nil)
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(1, r(5, "b"))])
        #expect(lanes.recordsDone(seqs(5)) == nil)
        #expect(lanes.waitingRecords(inLane: 0) == [r(4, "a")])
        #expect(lanes.checkpoint == seq(1))
        // retries exhausted: record 2 goes to the on-failure destination
        #expect(lanes.recordsDone(seqs(2)) == seq(3))
        #expect(lanes.takeBatches(maximumCount: 1) == [batch(0, r(4, "a"))])
        #expect(lanes.recordsDone(seqs(4)) == seq(5))
    }

    @Test func partlyDoneBatchKeepsItsLaneBusyAndMovesTheCheckpointUpToTheFailedRecord() {
        var lanes = ShardLanes()
        _ = lanes.recordsRead([r(1, "a"), r(2, "a"), r(3, "a"), r(4, "a")])
        #expect(lanes.batchStarted(inLane: 0, count: 3) == [r(1, "a"), r(2, "a"), r(3, "a")])
        // ReportBatchItemFailures names record 2: record 1 is done, 2 and 3 are retried as a new batch
        #expect(lanes.recordsDone(seqs(1)) == seq(1))
        #expect(lanes.isBusy(lane: 0))
        #expect(lanes.readyLanes == [])
        #expect(lanes.recordsDone(seqs(2, 3)) == seq(3))
        #expect(lanes.readyLanes == [0])
    }

    @Test func aLaneCheckpointFinishesItsInFlightRecordsUpToIt() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "a"), r(4, "b"), r(5, "a")])
        #expect(lanes.takeBatches(maximumCount: 3).count == 2)
        #expect(lanes.recordsDone(inLane: 0, through: seq(3)) == seq(1))
        #expect(lanes.isBusy(lane: 0))
        #expect(lanes.recordsDone(inLane: 1, through: seq(4)) == seq(4))
        #expect(lanes.recordsDone(inLane: 0, through: seq(5)) == seq(5))
        #expect(lanes.isIdle)
    }

    @Test func filteredOutRecordsAreDoneAtOnceAndNeverJoinALane() {
        var lanes = ShardLanes()
        #expect(lanes.recordsRead([r(1, "skip"), r(2, "keep"), r(3, "skip")]) { $0.partitionKey == "keep" } == seq(1))
        #expect(lanes.waitingRecords(inLane: 0) == [r(2, "keep")])
        #expect(lanes.takeBatches(maximumCount: 10) == [batch(0, r(2, "keep"))])
        #expect(lanes.recordsDone(seqs(2)) == seq(3))
        #expect(lanes.recordsRead([r(4, "skip")]) { $0.partitionKey == "keep" } == seq(4))
        #expect(lanes.isIdle)
    }

    @Test func resumingAfterACheckpointSkipsRecordsAtOrBelowIt() {
        var lanes = ShardLanes(parallelizationFactor: 2, checkpoint: seq(2))
        _ = lanes.recordsRead([r(2, "a"), r(3, "a")])
        _ = lanes.recordsRead([r(3, "a"), r(4, "b")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(3, "a")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(4, "b")])
    }

    @Test func raisingTheFactorMidStreamKeepsKeysInFlightInTheirLane() {
        var lanes = ShardLanes()
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "c"), r(4, "a"), r(5, "g")])
        #expect(lanes.batchStarted(inLane: 0, count: 2) == [r(1, "a"), r(2, "b")])
        lanes.parallelizationFactorChanged(to: 3)
        #expect(lanes.laneCount == 3)
        #expect(lanes.waitingRecords(inLane: 0) == [r(3, "c"), r(4, "a")])  // "a" is in flight in lane 0
        #expect(lanes.waitingRecords(inLane: 2) == [r(5, "g")])  // "g" moved to its new lane
        #expect(lanes.takeBatches(maximumCount: 10) == [batch(2, r(5, "g"))])
        _ = lanes.recordsRead([r(6, "b"), r(7, "g")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(3, "c"), r(4, "a"), r(6, "b")])  // "b" is in flight in lane 0
        #expect(lanes.waitingRecords(inLane: 2) == [r(7, "g")])
        #expect(lanes.recordsDone(seqs(1, 2)) == seq(2))
        _ = lanes.recordsRead([r(8, "b")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(3, "c"), r(4, "a"), r(6, "b"), r(8, "b")])  // 6 still waits
        #expect(lanes.takeBatches(maximumCount: 10) == [batch(0, r(3, "c"), r(4, "a"), r(6, "b"), r(8, "b"))])
        #expect(lanes.recordsDone(seqs(3, 4, 6, 8)) == seq(4))
        _ = lanes.recordsRead([r(9, "b"), r(10, "a")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(9, "b"), r(10, "a")])  // "a" and "b" now follow the new factor
    }

    @Test func loweringTheFactorDrainsTheLanesAboveIt() {
        var lanes = ShardLanes(parallelizationFactor: 2)
        _ = lanes.recordsRead([r(1, "a"), r(2, "b"), r(3, "b")])
        #expect(lanes.batchStarted(inLane: 1, count: 1) == [r(2, "b")])
        lanes.parallelizationFactorChanged(to: 1)
        #expect(lanes.laneCount == 2)
        #expect(lanes.waitingRecords(inLane: 0) == [r(1, "a")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(3, "b")])
        _ = lanes.recordsRead([r(4, "b"), r(5, "c")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(1, "a"), r(5, "c")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(3, "b"), r(4, "b")])
        #expect(lanes.recordsDone(seqs(2)) == nil)
        #expect(
            lanes.takeBatches(maximumCount: 10) == [batch(0, r(1, "a"), r(5, "c")), batch(1, r(3, "b"), r(4, "b"))]
        )
        #expect(lanes.recordsDone(seqs(3, 4)) == nil)
        #expect(lanes.laneCount == 1)
        _ = lanes.recordsRead([r(6, "b")])
        #expect(lanes.waitingRecords(inLane: 0) == [r(6, "b")])
        #expect(lanes.recordsDone(seqs(1, 5)) == seq(5))
    }

    @Test func waitingRecordsOfKeysWithNothingInFlightMoveAtTheFactorChange() {
        var lanes = ShardLanes(parallelizationFactor: 1)
        _ = lanes.recordsRead([r(1, "c"), r(2, "g"), r(3, "a"), r(4, "g")])
        lanes.parallelizationFactorChanged(to: 3)
        #expect(lanes.waitingRecords(inLane: 0) == [r(1, "c")])
        #expect(lanes.waitingRecords(inLane: 1) == [r(3, "a")])
        #expect(lanes.waitingRecords(inLane: 2) == [r(2, "g"), r(4, "g")])
    }
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

private func seqs(_ numbers: Int...) -> [StreamSequenceNumber] {
    numbers.map(seq)
}

private func r(_ number: Int, _ key: String) -> StreamRecord {
    StreamRecord(
        sequenceNumber: seq(number),
        partitionKey: key,
        data: Array("\(number)".utf8),
        arrival: Timestamp(millisecondsSinceEpoch: Int64(number))
    )
}

private func batch(_ lane: Int, _ records: StreamRecord...) -> ShardLanes.Batch {
    ShardLanes.Batch(lane: lane, records: records)
}
