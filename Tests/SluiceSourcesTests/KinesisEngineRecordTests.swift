import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

@Suite struct KinesisEngineRecordTests {
    let fixture = KinesisFixture()
    var identity: RequestIdentity { fixture.identity }

    func iterator(_ engine: KinesisEngine, _ type: Kinesis.ShardIteratorType, shard: String = "shardId-000000000000",
                  sequence: String? = nil) async throws -> String {
        try await engine.getShardIterator(
            .init(streamName: "s", shardId: shard, shardIteratorType: type, startingSequenceNumber: sequence),
            identity: identity
        ).shardIterator
    }

    @Test func putRecordIsReadFromTrimHorizonWithItsArrivalTime() async throws {
        let engine = try await fixture.createdEngine()
        let put = try await engine.putRecord(.init(streamName: "s", data: bytes("hi"), partitionKey: "k"),
                                             identity: identity)
        let got = try await engine.getRecords(.init(shardIterator: iterator(engine, .trimHorizon)), identity: identity)
        #expect(got.records.map(\.sequenceNumber) == [put.sequenceNumber])
        #expect(got.records[0].data == bytes("hi") && got.records[0].partitionKey == "k")
        #expect(got.records[0].approximateArrivalTimestamp?.timeIntervalSince1970 == 1_732_530_000.123)
        #expect(got.nextShardIterator != nil && got.millisBehindLatest == 0)
    }

    @Test func recordsRouteByExplicitHashKey() async throws {
        let engine = try await fixture.createdEngine("s", shards: 2)
        let low = try await engine.putRecord(.init(streamName: "s", data: [], partitionKey: "k", explicitHashKey: "0"),
                                             identity: identity)
        let high = try await engine.putRecord(
            .init(streamName: "s", data: [], partitionKey: "k", explicitHashKey: String(UInt128.max)),
            identity: identity
        )
        #expect(low.shardId == "shardId-000000000000" && high.shardId == "shardId-000000000001")
    }

    @Test func sequenceNumbersIncreaseAcrossPutRecords() async throws {
        let engine = try await fixture.createdEngine()
        let entries = (0..<3).map { Kinesis.PutRecordsRequestEntry(data: bytes("\($0)"), partitionKey: "k") }
        let put = try await engine.putRecords(.init(records: entries, streamName: "s"), identity: identity)
        let numbers = put.records.compactMap(\.sequenceNumber)
        #expect(put.failedRecordCount == 0 && numbers.count == 3 && numbers == numbers.sorted())
    }

    @Test func outOfRangeExplicitHashKeyFailsTheWholePutRecords() async throws {
        let engine = try await fixture.createdEngine()
        let entries = [
            Kinesis.PutRecordsRequestEntry(data: [], partitionKey: "a"),
            Kinesis.PutRecordsRequestEntry(
                data: [], partitionKey: "a", explicitHashKey: "340282366920938463463374607431768211456"
            ),
        ]
        let error = await kinesisError {
            _ = try await engine.putRecords(.init(records: entries, streamName: "s"), identity: identity)
        }
        #expect(error?.code == "InvalidArgumentException")
        #expect(await fixture.log.recordCount() == 0)
    }

    @Test func fiveHundredAndOneEntriesIsAValidationException() async throws {
        let engine = try await fixture.createdEngine()
        let entries = Array(repeating: Kinesis.PutRecordsRequestEntry(data: [], partitionKey: "a"), count: 501)
        let error = await kinesisError {
            _ = try await engine.putRecords(.init(records: entries, streamName: "s"), identity: identity)
        }
        #expect(error?.code == "ValidationException")
        #expect(error?.message.hasSuffix("at 'records' failed to satisfy constraint: Member must have length less "
            + "than or equal to 500") == true)
    }

    @Test func afterSequenceNumberSkipsThatRecord() async throws {
        let engine = try await fixture.createdEngine()
        let first = try await engine.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"),
                                               identity: identity)
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("2"), partitionKey: "k"), identity: identity)
        let at = try await iterator(engine, .atSequenceNumber, sequence: first.sequenceNumber)
        let after = try await iterator(engine, .afterSequenceNumber, sequence: first.sequenceNumber)
        #expect(try await engine.getRecords(.init(shardIterator: at), identity: identity).records.count == 2)
        #expect(try await engine.getRecords(.init(shardIterator: after), identity: identity).records.map(\.data)
            == [bytes("2")])
    }

    @Test func latestSeesOnlyLaterRecords() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("old"), partitionKey: "k"),
                                       identity: identity)
        let latest = try await iterator(engine, .latest)
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("new"), partitionKey: "k"),
                                       identity: identity)
        let got = try await engine.getRecords(.init(shardIterator: latest), identity: identity)
        #expect(got.records.map(\.data) == [bytes("new")])
    }

    @Test func limitPagesRecordsAndReportsMillisBehind() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"), identity: identity)
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("2"), partitionKey: "k"), identity: identity)
        fixture.clock.advance(milliseconds: 1_000)
        let first = try await engine.getRecords(.init(shardIterator: iterator(engine, .trimHorizon), limit: 1),
                                                identity: identity)
        let second = try await engine.getRecords(.init(shardIterator: first.nextShardIterator!), identity: identity)
        #expect(first.records.map(\.data) == [bytes("1")] && first.millisBehindLatest == 1_000)
        #expect(second.records.map(\.data) == [bytes("2")] && second.millisBehindLatest == 0)
    }

    @Test func sequenceNumberOfAnotherShardIsInvalidArgument() async throws {
        let engine = try await fixture.createdEngine("s", shards: 2)
        let put = try await engine.putRecord(.init(streamName: "s", data: [], partitionKey: "k", explicitHashKey: "0"),
                                             identity: identity)
        let error = await kinesisError {
            _ = try await iterator(engine, .atSequenceNumber, shard: "shardId-000000000001",
                                   sequence: put.sequenceNumber)
        }
        #expect(error?.message == "Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used "
            + "in a call to a shard with shardId-000000000001")
    }

    @Test func atSequenceNumberWithoutOneIsInvalidArgument() async throws {
        let engine = try await fixture.createdEngine()
        let error = await kinesisError { _ = try await iterator(engine, .atSequenceNumber) }
        #expect(error?.message.hasSuffix("Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.") == true)
    }

    @Test func atTimestampStartsAtTheFirstRecordArrivedThen() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"), identity: identity)
        fixture.clock.advance(milliseconds: 10)
        let since = Date(timeIntervalSince1970: Double(fixture.clock.now.millisecondsSinceEpoch) / 1000)
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("2"), partitionKey: "k"), identity: identity)
        let it = try await engine.getShardIterator(
            .init(streamName: "s", shardId: "shardId-000000000000", shardIteratorType: .atTimestamp, timestamp: since),
            identity: identity
        )
        let got = try await engine.getRecords(.init(shardIterator: it.shardIterator), identity: identity)
        #expect(got.records.map(\.data) == [bytes("2")])
    }

    @Test func iteratorExpiresAfterFiveMinutes() async throws {
        let engine = try await fixture.createdEngine()
        let it = try await iterator(engine, .trimHorizon)
        fixture.clock.advance(milliseconds: 300_001)
        let error = await kinesisError { _ = try await engine.getRecords(.init(shardIterator: it), identity: identity) }
        #expect(error?.code == "ExpiredIteratorException")
    }

    @Test func closedShardEndsWithoutNextIteratorAndNamesItsChildren() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"), identity: identity)
        let it = try await iterator(engine, .trimHorizon)
        try await engine.splitShard(.init(streamName: "s", shardToSplit: "shardId-000000000000",
                                          newStartingHashKey: String(UInt128(1) << 127)), identity: identity)
        let got = try await engine.getRecords(.init(shardIterator: it), identity: identity)
        #expect(got.records.count == 1 && got.nextShardIterator == nil)
        #expect(got.childShards?.map(\.shardId) == ["shardId-000000000001", "shardId-000000000002"])
        #expect(got.childShards?.allSatisfy { $0.parentShards == ["shardId-000000000000"] } == true)
    }

    @Test func recordsAfterASplitGoToTheChildren() async throws {
        let engine = try await fixture.createdEngine()
        try await engine.splitShard(.init(streamName: "s", shardToSplit: "shardId-000000000000",
                                          newStartingHashKey: String(UInt128(1) << 127)), identity: identity)
        let put = try await engine.putRecord(.init(streamName: "s", data: [], partitionKey: "k", explicitHashKey: "0"),
                                             identity: identity)
        let got = try await engine.getRecords(
            .init(shardIterator: iterator(engine, .trimHorizon, shard: "shardId-000000000001")), identity: identity
        )
        #expect(put.shardId == "shardId-000000000001" && got.records.map(\.sequenceNumber) == [put.sequenceNumber])
    }

    @Test func trimRemovesRecordsPastTheRetentionPeriod() async throws {
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("1"), partitionKey: "k"), identity: identity)
        fixture.clock.advance(milliseconds: 24 * 3_600_000 + 1)
        try await engine.trimExpiredRecords(now: fixture.clock.now)
        #expect(await fixture.log.recordCount() == 0)
    }

    @Test func recordsEncodeDataAsBase64AndArrivalAsEpochSeconds() throws {
        let record = Kinesis.Record(sequenceNumber: "1", approximateArrivalTimestamp: Date(timeIntervalSince1970: 1.5),
                                    data: bytes("hi"), partitionKey: "k")
        let json = String(decoding: try JSONEncoder.sorted.encode(record), as: UTF8.self)
        #expect(json == #"{"ApproximateArrivalTimestamp":1.5,"Data":"aGk=","PartitionKey":"k","SequenceNumber":"1"}"#)
    }
}
