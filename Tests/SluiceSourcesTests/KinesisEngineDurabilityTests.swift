import SluiceCore
import SluiceStore
import Testing

@testable import SluiceSources

@Suite struct KinesisEngineDurabilityTests {
    let fixture = KinesisFixture()
    var identity: RequestIdentity { fixture.identity }

    func readAll(_ engine: KinesisEngine, shard: String = "shardId-000000000000") async throws -> [Kinesis.Record] {
        let it = try await engine.getShardIterator(
            .init(streamName: "s", shardId: shard, shardIteratorType: .trimHorizon), identity: identity
        )
        return try await engine.getRecords(.init(shardIterator: it.shardIterator), identity: identity).records
    }

    @Test func aSecondEngineSeesEveryAcknowledgedRecordAndKeepsNumbersIncreasing() async throws {
        let first = try await fixture.createdEngine()
        var acknowledged: [String] = []
        for index in 0..<3 {
            let put = try await first.putRecord(.init(streamName: "s", data: bytes("\(index)"), partitionKey: "k"),
                                                identity: identity)
            acknowledged.append(put.sequenceNumber)
        }
        let second = try await fixture.engine()
        let later = try await second.putRecord(.init(streamName: "s", data: bytes("3"), partitionKey: "k"),
                                               identity: identity)
        let records = try await readAll(second)
        #expect(records.map(\.sequenceNumber) == acknowledged + [later.sequenceNumber])
        #expect(later.sequenceNumber > acknowledged.last!)
    }

    @Test func aSecondEngineKeepsReshardedShardsAndTheirLineage() async throws {
        let first = try await fixture.createdEngine()
        try await first.splitShard(.init(streamName: "s", shardToSplit: "shardId-000000000000",
                                         newStartingHashKey: String(UInt128(1) << 127)), identity: identity)
        let second = try await fixture.engine()
        let shards = try await second.listShards(.init(streamName: "s"), identity: identity).shards
        #expect(shards.map(\.parentShardId) == [nil, "shardId-000000000000", "shardId-000000000000"])
    }

    @Test func aFailedAppendIsNotAcknowledgedAndLaterRecordsStayReadable() async throws {
        let engine = try await fixture.createdEngine()
        await fixture.log.failNext()
        let error = await kinesisError {
            _ = try await engine.putRecord(.init(streamName: "s", data: bytes("lost"), partitionKey: "k"),
                                           identity: identity)
        }
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("kept"), partitionKey: "k"),
                                       identity: identity)
        #expect(error != nil)
        #expect(try await readAll(engine).map(\.data) == [bytes("kept")])
    }

    @Test func anIteratorIssuedBeforeARestartStillReads() async throws {
        let first = try await fixture.createdEngine()
        _ = try await first.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"), identity: identity)
        let it = try await first.getShardIterator(
            .init(streamName: "s", shardId: "shardId-000000000000", shardIteratorType: .trimHorizon), identity: identity
        )
        let second = try await fixture.engine()
        let got = try await second.getRecords(.init(shardIterator: it.shardIterator), identity: identity)
        #expect(got.records.map(\.data) == [bytes("1")])
    }
}

@Suite struct KinesisEngineWakeUpTests {
    let fixture = KinesisFixture()
    var identity: RequestIdentity { fixture.identity }

    @Test func aWaiterWakesWhenARecordIsAppended() async throws {
        let engine = try await fixture.createdEngine()
        let it = try await engine.getShardIterator(
            .init(streamName: "s", shardId: "shardId-000000000000", shardIteratorType: .latest), identity: identity
        ).shardIterator
        let identity = identity
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.waitForRecords(shardIterator: it, identity: identity) }
            while await engine.waiters.waiterCount(Self.log(engine)) == 0 { await Task.yield() }
            _ = try await engine.putRecord(.init(streamName: "s", data: bytes("x"), partitionKey: "k"),
                                           identity: identity)
            try await group.waitForAll()
        }
        let got = try await engine.getRecords(.init(shardIterator: it), identity: identity)
        #expect(got.records.map(\.data) == [bytes("x")])
    }

    @Test func aWaiterReturnsAtOnceWhenRecordsAreAlreadyThere() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("x"), partitionKey: "k"), identity: identity)
        await engine.waitForRecords(stream: "s", shard: "shardId-000000000000", after: 0, identity: identity)
    }

    @Test func aCancelledWaiterReturnsAndLeavesNoContinuation() async throws {
        let engine = try await fixture.createdEngine()
        let identity = identity
        let waiting = Task {
            await engine.waitForRecords(stream: "s", shard: "shardId-000000000000", after: 0, identity: identity)
        }
        let log = await Self.log(engine)
        while await engine.waiters.waiterCount(log) == 0 { await Task.yield() }
        waiting.cancel()
        await waiting.value
        #expect(await engine.waiters.waiterCount(log) == 0)
    }

    @Test func aWaiterOnASplitShardWakesWhenTheShardCloses() async throws {
        let engine = try await fixture.createdEngine()
        let identity = identity
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await engine.waitForRecords(stream: "s", shard: "shardId-000000000000", after: 0, identity: identity)
            }
            while await engine.waiters.waiterCount(Self.log(engine)) == 0 { await Task.yield() }
            try await engine.splitShard(.init(streamName: "s", shardToSplit: "shardId-000000000000",
                                              newStartingHashKey: String(UInt128(1) << 127)), identity: identity)
            try await group.waitForAll()
        }
    }

    static func log(_ engine: KinesisEngine) async -> LogID {
        await engine.streams["us-east-1/s"]!.logID(shard: 0)
    }
}
