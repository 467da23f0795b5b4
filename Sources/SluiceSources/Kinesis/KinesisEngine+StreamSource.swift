import Foundation
import SluiceCore

/// The embedded Kinesis as a mapping's ``StreamSource``: the same iterators and reads as GetShardIterator and
/// GetRecords, in-process, woken on append by ``waitForRecords(shardIterator:identity:)``. An iterator that
/// expired while its mapping waited (five minutes) is taken again from after the last record read.
extension KinesisEngine: StreamSource {
    public func shards(streamArn: String) async throws -> [StreamShard] {
        let identity = try Self.identity(of: streamArn)
        var shards: [StreamShard] = []
        var nextToken: String?
        repeat {
            let input = nextToken.map { Kinesis.ListShardsInput(nextToken: $0) }
                ?? Kinesis.ListShardsInput(streamARN: streamArn)
            let page = try listShards(input, identity: identity)
            shards += page.shards.map { shard in
                StreamShard(
                    id: shard.shardId, parentShardId: shard.parentShardId,
                    adjacentParentShardId: shard.adjacentParentShardId,
                    isClosed: shard.sequenceNumberRange.endingSequenceNumber != nil
                )
            }
            nextToken = page.nextToken
        } while nextToken != nil
        return shards
    }

    public func cursor(streamArn: String, shardId: String, at start: ShardStart) async throws -> ShardCursor {
        let identity = try Self.identity(of: streamArn)
        var input: Kinesis.GetShardIteratorInput
        switch start {
        case .trimHorizon:
            input = .init(streamARN: streamArn, shardId: shardId, shardIteratorType: .trimHorizon)
        case .latest:
            input = .init(streamARN: streamArn, shardId: shardId, shardIteratorType: .latest)
        case .atTimestamp(let time):
            input = .init(
                streamARN: streamArn, shardId: shardId, shardIteratorType: .atTimestamp,
                timestamp: Date(timeIntervalSince1970: time.secondsSinceEpoch)
            )
        case .afterSequenceNumber(let sequenceNumber):
            input = .init(
                streamARN: streamArn, shardId: shardId, shardIteratorType: .afterSequenceNumber,
                startingSequenceNumber: sequenceNumber.text
            )
        }
        let iterator = try await getShardIterator(input, identity: identity).shardIterator
        return ShardCursor(streamArn: streamArn, shardId: shardId, resume: start, token: iterator)
    }

    public func read(_ cursor: ShardCursor, limit: Int) async throws -> ShardPage {
        let identity = try Self.identity(of: cursor.streamArn)
        let output: Kinesis.GetRecordsOutput
        var current = cursor
        do {
            output = try await getRecords(.init(shardIterator: cursor.token, limit: limit), identity: identity)
        } catch let error as AWSError where error.code == "ExpiredIteratorException" {
            current = try await self.cursor(streamArn: cursor.streamArn, shardId: cursor.shardId, at: cursor.resume)
            output = try await getRecords(.init(shardIterator: current.token, limit: limit), identity: identity)
        }
        let records = output.records.map { record in
            StreamRecord(
                sequenceNumber: StreamSequenceNumber(record.sequenceNumber), partitionKey: record.partitionKey,
                data: record.data,
                arrival: Timestamp(secondsSinceEpoch: record.approximateArrivalTimestamp?.timeIntervalSince1970 ?? 0)
            )
        }
        let next = output.nextShardIterator.map { token in
            ShardCursor(
                streamArn: cursor.streamArn, shardId: cursor.shardId,
                resume: records.last.map { .afterSequenceNumber($0.sequenceNumber) } ?? current.resume, token: token
            )
        }
        return ShardPage(
            records: records, next: next, childShardIds: output.childShards?.map(\.shardId) ?? [],
            millisBehindLatest: output.millisBehindLatest
        )
    }

    public func waitForRecords(after cursor: ShardCursor) async throws {
        do {
            try await waitForRecords(shardIterator: cursor.token, identity: try Self.identity(of: cursor.streamArn))
        } catch let error as AWSError where error.code == "ExpiredIteratorException" {
            // The next read takes a fresh iterator.
        }
    }

    /// The region and account a stream ARN names.
    static func identity(of streamArn: String) throws(AWSError) -> RequestIdentity {
        guard let arn = ARN(streamArn), arn.service == "kinesis" else {
            throw AWSError.invalidParameterValue("Not a Kinesis stream ARN: \(streamArn)")
        }
        return RequestIdentity(region: arn.region, account: arn.account)
    }
}
