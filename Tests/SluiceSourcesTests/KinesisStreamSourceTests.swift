import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

/// The embedded Kinesis as a mapping reads it (`StreamSource`, `reference/semantics.md` §8).
@Suite struct KinesisStreamSourceTests {
    static let arn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
    static let shard = "shardId-000000000000"

    static func put(_ engine: KinesisEngine, _ text: String, key: String = "k") async throws -> String {
        try await engine.putRecord(.init(streamName: "s", data: bytes(text), partitionKey: key), identity: .init(region: "us-east-1"))
            .sequenceNumber
    }

    @Test func readsFromTheStartWithArrivalAndPartitionKey() async throws {
        let fixture = KinesisFixture()
        let engine = try await fixture.createdEngine()
        let first = try await Self.put(engine, "a", key: "k1")
        _ = try await Self.put(engine, "b", key: "k2")
        let cursor = try await engine.cursor(streamArn: Self.arn, shardId: Self.shard, at: .trimHorizon)
        let page = try await engine.read(cursor, limit: 10)
        #expect(page.records.map(\.data) == [bytes("a"), bytes("b")])
        #expect(page.records.map(\.partitionKey) == ["k1", "k2"])
        #expect(page.records.first?.sequenceNumber == StreamSequenceNumber(first))
        #expect(page.records.first?.arrival == fixture.clock.now)
        #expect(page.next?.resume == .afterSequenceNumber(page.records[1].sequenceNumber))
    }

    @Test func aCheckpointResumesAfterItsRecord() async throws {
        let engine = try await KinesisFixture().createdEngine()
        let first = try await Self.put(engine, "a")
        _ = try await Self.put(engine, "b")
        let cursor = try await engine.cursor(
            streamArn: Self.arn, shardId: Self.shard, at: .afterSequenceNumber(StreamSequenceNumber(first))
        )
        #expect(try await engine.read(cursor, limit: 10).records.map(\.data) == [bytes("b")])
    }

    @Test func latestSkipsWhatIsAlreadyThereAndTheLimitHolds() async throws {
        let engine = try await KinesisFixture().createdEngine()
        _ = try await Self.put(engine, "old")
        let cursor = try await engine.cursor(streamArn: Self.arn, shardId: Self.shard, at: .latest)
        for text in ["x", "y", "z"] { _ = try await Self.put(engine, text) }
        let page = try await engine.read(cursor, limit: 2)
        #expect(page.records.map(\.data) == [bytes("x"), bytes("y")])
        let rest = try await engine.read(try #require(page.next), limit: 2)
        #expect(rest.records.map(\.data) == [bytes("z")])
    }

    @Test func waitingReturnsWhenARecordArrives() async throws {
        let engine = try await KinesisFixture().createdEngine()
        let cursor = try await engine.cursor(streamArn: Self.arn, shardId: Self.shard, at: .latest)
        async let waited: Void = engine.waitForRecords(after: cursor)
        try await Task.sleep(for: .milliseconds(20))
        _ = try await Self.put(engine, "wake")
        try await waited
        #expect(try await engine.read(cursor, limit: 10).records.map(\.data) == [bytes("wake")])
    }

    @Test func anExpiredIteratorIsTakenAgainFromAfterTheLastRecordRead() async throws {
        let fixture = KinesisFixture()
        let engine = try await fixture.createdEngine()
        _ = try await Self.put(engine, "a")
        let page = try await engine.read(
            try await engine.cursor(streamArn: Self.arn, shardId: Self.shard, at: .trimHorizon), limit: 10
        )
        _ = try await Self.put(engine, "b")
        fixture.clock.advance(milliseconds: 6 * 60 * 1000)
        #expect(try await engine.read(try #require(page.next), limit: 10).records.map(\.data) == [bytes("b")])
    }

    @Test func aSplitShardEndsWithItsChildrenListedWithTheirParent() async throws {
        let engine = try await KinesisFixture().createdEngine()
        _ = try await Self.put(engine, "before")
        try await engine.splitShard(
            .init(streamName: "s", shardToSplit: Self.shard, newStartingHashKey: "170141183460469231731687303715884105728"),
            identity: .init(region: "us-east-1")
        )
        let shards = try await engine.shards(streamArn: Self.arn)
        #expect(shards.map(\.id) == [Self.shard, "shardId-000000000001", "shardId-000000000002"])
        #expect(shards[0].isClosed && !shards[1].isClosed)
        #expect(shards[1].parentShardId == Self.shard && shards[2].parentShardId == Self.shard)
        let page = try await engine.read(
            try await engine.cursor(streamArn: Self.arn, shardId: Self.shard, at: .trimHorizon), limit: 10
        )
        #expect(page.records.map(\.data) == [bytes("before")])
        #expect(page.next == nil)
        #expect(page.childShardIds == ["shardId-000000000001", "shardId-000000000002"])
    }

    @Test func aNonKinesisArnIsRefused() async throws {
        let engine = try await KinesisFixture().createdEngine()
        await #expect(throws: AWSError.self) {
            _ = try await engine.shards(streamArn: "arn:aws:sqs:us-east-1:000000000000:q")
        }
    }
}
