import SluiceCore
import Testing

/// Shard lineage of `reference/semantics.md` §8 (Kinesis resharding) and the starting positions of §2.
@Suite struct ShardLineageTests {
    typealias Shard = StreamShard

    static let moment = Timestamp(secondsSinceEpoch: 1_700_000_000)
    /// `s0` split into `s1` and `s2`.
    static let split = [
        Shard(id: "s0", isClosed: true), Shard(id: "s1", parentShardId: "s0"), Shard(id: "s2", parentShardId: "s0"),
    ]

    @Test(arguments: [
        (ShardLineage.StartingPosition.trimHorizon, ShardStart.trimHorizon),
        (.latest, .latest),
        (.atTimestamp(moment), .atTimestamp(moment)),
    ])
    func shardsWithoutCheckpointStartAtTheStartingPosition(
        starting: ShardLineage.StartingPosition,
        position: ShardStart
    ) {
        var lineage = ShardLineage(startingPosition: starting)
        let shards = [Shard(id: "s0"), Shard(id: "s1")]
        #expect(lineage.shardsListed(shards) == [start("s0", position), start("s1", position)])
    }

    @Test func startingPositionAppliesOnlyToShardsWithoutACheckpoint() {
        var lineage = ShardLineage(startingPosition: .latest, progress: ["s0": .checkpoint(seq(7))])
        let shards = [Shard(id: "s0"), Shard(id: "s1")]
        #expect(lineage.shardsListed(shards) == [start("s0", after(7)), start("s1", .latest)])
    }

    @Test func aParentIsFinishedBeforeItsSplitChildrenStartAtTheirFirstRecord() {
        var lineage = ShardLineage(startingPosition: .trimHorizon)
        #expect(lineage.shardsListed(Self.split) == [start("s0", .trimHorizon)])
        #expect(!lineage.isReady("s1") && !lineage.isReady("s2"))
        #expect(lineage.shardFinished("s0") == [start("s1", .trimHorizon), start("s2", .trimHorizon)])
        #expect(lineage.progress["s0"] == .finished)
    }

    @Test(arguments: [ShardLineage.StartingPosition.latest, .atTimestamp(moment)])
    func childrenOfAFinishedParentStartAtTrimHorizonWhateverTheStartingPosition(
        starting: ShardLineage.StartingPosition
    ) {
        var lineage = ShardLineage(startingPosition: starting)
        #expect(lineage.shardsListed([Shard(id: "s0")]).count == 1)
        #expect(lineage.shardsListed(Self.split) == [])
        #expect(lineage.shardFinished("s0") == [start("s1", .trimHorizon), start("s2", .trimHorizon)])
    }

    @Test func aMergedShardWaitsForBothParents() {
        var lineage = ShardLineage(startingPosition: .trimHorizon)
        let merge = [
            Shard(id: "s0", isClosed: true), Shard(id: "s1", isClosed: true),
            Shard(id: "s2", parentShardId: "s0", adjacentParentShardId: "s1"),
        ]
        #expect(lineage.shardsListed(merge) == [start("s0", .trimHorizon), start("s1", .trimHorizon)])
        #expect(lineage.shardFinished("s1") == [])
        #expect(!lineage.isReady("s2"))
        #expect(lineage.shardFinished("s0") == [start("s2", .trimHorizon)])
    }

    @Test func shardsDiscoveredInALaterListingStartThenAndOnlyOnce() {
        var lineage = ShardLineage(startingPosition: .trimHorizon)
        #expect(lineage.shardsListed([Shard(id: "s0")]) == [start("s0", .trimHorizon)])
        #expect(lineage.shardsListed([Shard(id: "s0")]) == [])
        #expect(lineage.shardFinished("s0") == [])
        #expect(lineage.shardsListed(Self.split) == [start("s1", .trimHorizon), start("s2", .trimHorizon)])
        #expect(lineage.shardsListed(Self.split) == [])
        #expect(lineage.reading == ["s1", "s2"])
    }

    @Test func aRestartSkipsFinishedShardsAndResumesTheOthersAfterTheirCheckpoint() {
        let progress: [String: ShardLineage.Progress] = ["s0": .finished, "s1": .checkpoint(seq(42))]
        var lineage = ShardLineage(startingPosition: .latest, progress: progress)
        #expect(lineage.shardsListed(Self.split) == [start("s1", after(42)), start("s2", .trimHorizon)])
    }

    @Test func aParentNoLongerListedDoesNotHoldItsChildren() {
        var lineage = ShardLineage(startingPosition: .trimHorizon)
        #expect(lineage.shardsListed([Shard(id: "s1", parentShardId: "s0")]) == [start("s1", .trimHorizon)])
        var latest = ShardLineage(startingPosition: .latest)
        #expect(latest.shardsListed([Shard(id: "s1", parentShardId: "s0")]) == [start("s1", .latest)])
    }

    @Test func latestPassesOverClosedShardsWithoutCheckpointAndTheirChildrenStartAtLatest() {
        var lineage = ShardLineage(startingPosition: .latest)
        let resharded = [
            Shard(id: "s0", isClosed: true),
            Shard(id: "s1", parentShardId: "s0", isClosed: true), Shard(id: "s2", parentShardId: "s0"),
            Shard(id: "s3", parentShardId: "s1"),
        ]
        #expect(lineage.shardsListed(resharded) == [start("s2", .latest), start("s3", .latest)])
        #expect(lineage.progress.isEmpty)
    }

    @Test func latestReadsAClosedShardThatHasACheckpoint() {
        var lineage = ShardLineage(startingPosition: .latest, progress: ["s0": .checkpoint(seq(5))])
        let split = [Shard(id: "s0", isClosed: true), Shard(id: "s1", parentShardId: "s0")]
        #expect(lineage.shardsListed(split) == [start("s0", after(5))])
        #expect(lineage.shardFinished("s0") == [start("s1", .trimHorizon)])
    }

    @Test(arguments: [ShardLineage.StartingPosition.trimHorizon, .atTimestamp(moment)])
    func otherStartingPositionsReadClosedShardsWithoutCheckpoint(starting: ShardLineage.StartingPosition) {
        var lineage = ShardLineage(startingPosition: starting)
        let position: ShardStart = starting == .trimHorizon ? .trimHorizon : .atTimestamp(Self.moment)
        let split = [Shard(id: "s0", isClosed: true), Shard(id: "s1", parentShardId: "s0")]
        #expect(lineage.shardsListed(split) == [start("s0", position)])
    }

    @Test func checkpointsAreKeptAsProgressButAFinishedShardStaysFinished() {
        var lineage = ShardLineage(startingPosition: .trimHorizon)
        #expect(lineage.shardsListed([Shard(id: "s0")]).count == 1)
        lineage.shardCheckpointed("s0", at: seq(3))
        #expect(lineage.progress == ["s0": .checkpoint(seq(3))])
        #expect(lineage.shardFinished("s0") == [])
        lineage.shardCheckpointed("s0", at: seq(4))
        #expect(lineage.progress == ["s0": .finished])
    }

    @Test func startingPositionIsReadFromTheMappingsText() {
        #expect(ShardLineage.StartingPosition("TRIM_HORIZON") == .trimHorizon)
        #expect(ShardLineage.StartingPosition("LATEST") == .latest)
        #expect(ShardLineage.StartingPosition("AT_TIMESTAMP", timestamp: Self.moment) == .atTimestamp(Self.moment))
        #expect(ShardLineage.StartingPosition("AT_TIMESTAMP") == nil)
        #expect(ShardLineage.StartingPosition("EARLIEST") == nil)
    }
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

private func after(_ number: Int) -> ShardStart {
    .afterSequenceNumber(seq(number))
}

private func start(_ shardID: String, _ position: ShardStart) -> ShardLineage.Action {
    .startReading(shardID: shardID, from: position)
}
