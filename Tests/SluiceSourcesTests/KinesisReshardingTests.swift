import SluiceCore
import Testing

@testable import SluiceSources

@Suite struct KinesisReshardingTests {
    let t0 = Timestamp(millisecondsSinceEpoch: 1_000)
    let half = UInt128(1) << 127

    func stream(shards: Int) -> Kinesis.StoredStream {
        Kinesis.StoredStream(name: "s", region: "us-east-1", account: "000000000000", mode: .provisioned,
                             shardCount: shards, tags: [:], now: t0, activeFrom: t0)
    }

    @Test func splitClosesTheParentAndOpensTwoChildren() throws {
        var s = stream(shards: 1)
        try s.split(shardId: "shardId-000000000000", newStartingHashKey: String(half))
        #expect(s.shards[0].endingPosition == 1)
        #expect(s.shards[1].hashKeyRange == .init(startingHashKey: 0, endingHashKey: half - 1))
        #expect(s.shards[2].hashKeyRange == .init(startingHashKey: half, endingHashKey: .max))
        #expect(s.shards[1...].allSatisfy { $0.parentIndex == 0 && $0.adjacentParentIndex == nil })
        #expect(s.children(of: s.shards[0]).map(\.index) == [1, 2])
    }

    @Test func splitParentDescribesAnEndingSequenceNumber() throws {
        var s = stream(shards: 1)
        try s.split(shardId: "shardId-000000000000", newStartingHashKey: String(half))
        #expect(s.description(of: s.shards[0]).sequenceNumberRange.endingSequenceNumber != nil)
        #expect(s.description(of: s.shards[1]).parentShardId == "shardId-000000000000")
        #expect(s.description(of: s.shards[1]).sequenceNumberRange.endingSequenceNumber == nil)
    }

    @Test func splitAtOnePlusTheStartIsRejectedWithAWSText() {
        var s = stream(shards: 1)
        #expect(throws: Kinesis.Errors.invalidArgument(
            "NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream s under account "
                + "000000000000 is not both greater than one plus the shard's StartingHashKey 0 and less than the "
                + "shard's EndingHashKey 340282366920938463463374607431768211455."
        )) { try s.split(shardId: "shardId-000000000000", newStartingHashKey: "1") }
    }

    @Test func splitAtTheEndingHashKeyIsRejected() {
        var s = stream(shards: 1)
        #expect(throws: AWSError.self) { try s.split(shardId: "0", newStartingHashKey: String(UInt128.max)) }
    }

    @Test func splitOfAMissingShardIsNotFound() {
        var s = stream(shards: 1)
        #expect(throws: Kinesis.Errors.shardNotFound("shardId-000000000009", stream: "s", account: "000000000000")) {
            try s.split(shardId: "shardId-000000000009", newStartingHashKey: "5")
        }
    }

    @Test func splitOfAClosedShardIsRejected() throws {
        var s = stream(shards: 1)
        try s.split(shardId: "0", newStartingHashKey: String(half))
        #expect(throws: Kinesis.Errors.shardClosed("shardId-000000000000", stream: "s", account: "000000000000")) {
            try s.split(shardId: "0", newStartingHashKey: "5")
        }
    }

    @Test func mergeOfAdjacentShardsNamesBothParents() throws {
        var s = stream(shards: 2)
        try s.merge(shardId: "shardId-000000000001", adjacentShardId: "shardId-000000000000")
        #expect(s.shards[2].hashKeyRange == .all)
        #expect(s.shards[2].parentIndex == 1 && s.shards[2].adjacentParentIndex == 0)
        #expect(!s.shards[0].isOpen && !s.shards[1].isOpen)
    }

    @Test func mergeOfNonAdjacentShardsIsRejectedWithAWSText() {
        var s = stream(shards: 3)
        #expect(throws: Kinesis.Errors.invalidArgument(
            "Shards shardId-000000000000 and shardId-000000000002 in stream s under account 000000000000 are not an "
                + "adjacent pair of shards eligible for merging"
        )) { try s.merge(shardId: "shardId-000000000000", adjacentShardId: "shardId-000000000002") }
    }

    @Test func updateShardCountClosesAllAndSplitsEvenly() throws {
        var s = stream(shards: 2)
        #expect(try s.updateShardCount(to: 3) == 2)
        #expect(s.openShards.map(\.hashKeyRange) == Kinesis.HashKeyRange.evenSplit(count: 3))
        #expect(s.shards[0..<2].allSatisfy { !$0.isOpen })
        #expect(s.shards[3].parentIndex == 0 && s.shards[3].adjacentParentIndex == 1)
    }

    @Test func updateShardCountOverDoubleIsLimitExceeded() {
        var s = stream(shards: 2)
        #expect(throws: Kinesis.Errors.limitExceeded(
            "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, "
                + "Target shard count: 5"
        )) { try s.updateShardCount(to: 5) }
    }

    @Test func updateShardCountBelowHalfIsLimitExceeded() {
        var s = stream(shards: 5)
        #expect(throws: Kinesis.Errors.limitExceeded(
            "UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: "
                + "5, Target shard count: 2"
        )) { try s.updateShardCount(to: 2) }
    }
}
