import SluiceCore
import SluiceStore

/// GetShardIterator, GetRecords and waiting for records (issue 3, items 2 and 6).
extension KinesisEngine {
    /// GetShardIterator, with AWS's checks of the type and the starting sequence number.
    public func getShardIterator(_ input: Kinesis.GetShardIteratorInput, identity: RequestIdentity) async throws
        -> Kinesis.GetShardIteratorOutput
    {
        try input.validate()
        // GetShardIterator names the shard when the stream is missing too (recorded by kinesalite against AWS).
        guard let stream = try? existing(input, identity: identity), stream.status(now: now()) == .active else {
            let name = input.streamName ?? input.streamARN.map { String($0.split(separator: "/").last ?? "") } ?? ""
            throw Kinesis.Errors.shardDoesNotExist(input.shardId, stream: name, account: identity.account)
        }
        guard let shard = stream.shard(named: input.shardId),
            let type = Kinesis.ShardIteratorType(rawValue: input.shardIteratorType)
        else { throw Kinesis.Errors.shardDoesNotExist(input.shardId, stream: stream.name, account: stream.account) }
        let position = try await startingPosition(type, input, stream: stream, shard: shard)
        let iterator = Kinesis.ShardIterator(
            region: stream.region, streamName: stream.name, streamCreation: stream.creation.millisecondsSinceEpoch,
            shardIndex: shard.index, position: position, issued: now()
        )
        return Kinesis.GetShardIteratorOutput(shardIterator: iterator.encoded(key: configuration.iteratorKey))
    }

    /// GetRecords: up to `Limit` (default 10,000) readable records from the iterator's position. At the end of a
    /// closed shard the answer has no NextShardIterator and names the ChildShards.
    public func getRecords(_ input: Kinesis.GetRecordsInput, identity: RequestIdentity) async throws
        -> Kinesis.GetRecordsOutput
    {
        try input.validate()
        let time = now()
        let iterator = try Kinesis.ShardIterator(
            decoding: input.shardIterator, key: configuration.iteratorKey, now: time
        )
        let (stream, shard) = try iterated(iterator, account: identity.account)
        let limit = input.limit ?? 10_000
        let mark = watermark(of: stream)
        let id = stream.logID(shard: shard.index)
        let read = try await log.read(log: id, from: iterator.position, limit: limit + 1).filter { $0.position <= mark }
        let page = read.prefix(limit)
        let caughtUp = read.count <= limit
        let next = page.last.map { $0.position + 1 } ?? iterator.position
        let cutoff = time.millisecondsSinceEpoch - Int64(stream.retentionPeriodHours) * 3_600_000
        let records = page.filter { $0.arrivalMilliseconds >= cutoff }.map { record in
            Kinesis.Record(
                sequenceNumber: stream.sequenceNumber(position: record.position, shard: shard.index).description,
                approximateArrivalTimestamp: Self.date(Timestamp(millisecondsSinceEpoch: record.arrivalMilliseconds)),
                data: record.data, partitionKey: record.partitionKey
            )
        }
        let behind = caughtUp ? 0 : max(0, time.millisecondsSinceEpoch - (page.last?.arrivalMilliseconds ?? 0))
        if let end = shard.endingPosition, caughtUp, mark >= end {
            let children = stream.children(of: shard).map { child in
                Kinesis.ChildShard(
                    shardId: child.shardId,
                    parentShards: [child.parentIndex, child.adjacentParentIndex].compactMap { $0 }
                        .map(Kinesis.ShardId.string),
                    hashKeyRange: child.hashKeyRange
                )
            }
            return Kinesis.GetRecordsOutput(
                records: records, nextShardIterator: nil, millisBehindLatest: 0, childShards: children
            )
        }
        var nextIterator = iterator
        nextIterator.position = next
        nextIterator.issued = time
        return Kinesis.GetRecordsOutput(
            records: records, nextShardIterator: nextIterator.encoded(key: configuration.iteratorKey),
            millisBehindLatest: behind, childShards: nil
        )
    }

    /// Returns once a record after `position` (a position of ``Kinesis/SequenceNumber``) is readable in the shard,
    /// the shard is closed or its stream deleted, or the task is cancelled; returns at once for an unknown shard.
    public func waitForRecords(stream name: String, shard shardId: String, after position: UInt64,
                               identity: RequestIdentity) async {
        guard let stream = try? existing(name: name, region: identity.region, account: identity.account),
            let shard = stream.shard(named: shardId)
        else { return }
        await waiters.wait(stream.logID(shard: shard.index), after: position)
    }

    /// Returns once GetRecords with `shardIterator` would return a record or reach the end of a closed shard, or
    /// the task is cancelled. Throws what GetRecords would throw for the iterator.
    public func waitForRecords(shardIterator: String, identity: RequestIdentity) async throws {
        let iterator = try Kinesis.ShardIterator(decoding: shardIterator, key: configuration.iteratorKey, now: now())
        let (stream, shard) = try iterated(iterator, account: identity.account)
        guard iterator.position > 0 else { return }
        await waiters.wait(stream.logID(shard: shard.index), after: iterator.position - 1)
    }

    /// The stream and shard of an iterator; a deleted or re-created stream's shard does not exist.
    private func iterated(_ iterator: Kinesis.ShardIterator, account: String) throws(AWSError)
        -> (Kinesis.StoredStream, Kinesis.ShardState)
    {
        let shardId = Kinesis.ShardId.string(iterator.shardIndex)
        let key = Kinesis.StoredStream.key(region: iterator.region, name: iterator.streamName)
        guard let stream = streams[key], stream.creation.millisecondsSinceEpoch == iterator.streamCreation,
            stream.shards.indices.contains(iterator.shardIndex)
        else { throw Kinesis.Errors.shardDoesNotExist(shardId, stream: iterator.streamName, account: account) }
        return (stream, stream.shards[iterator.shardIndex])
    }

    private func startingPosition(
        _ type: Kinesis.ShardIteratorType, _ input: Kinesis.GetShardIteratorInput, stream: Kinesis.StoredStream,
        shard: Kinesis.ShardState
    ) async throws -> UInt64 {
        let requested = input.shardIteratorType
        switch (type, input.startingSequenceNumber) {
        case (.atSequenceNumber, let text?), (.afterSequenceNumber, let text?):
            let sequence = try Self.sequenceNumber(text, for: shard, in: stream)
            return type == .atSequenceNumber ? sequence.position : sequence.position + 1
        case (.trimHorizon, nil):
            // No record sits at a shard's starting position: it is the reshard's own (or 0).
            return shard.startingPosition + 1
        case (.latest, nil):
            return shard.endingPosition ?? max(shard.startingPosition + 1, watermark(of: stream) + 1)
        case (.atTimestamp, _):
            guard let date = input.timestamp else {
                throw Kinesis.Errors.invalidArgument(
                    "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has "
                        + "no timestamp parameter."
                )
            }
            let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
            return try await firstPosition(arrivedAtOrAfter: millis, shard: shard, stream: stream)
        case (.atSequenceNumber, nil), (.afterSequenceNumber, nil):
            throw Kinesis.Errors.invalidArgument(Self.iteratorTypeMismatch + "Request specified \(requested) and no "
                + "StartingSequenceNumber.")
        case (.trimHorizon, _?), (.latest, _?):
            throw Kinesis.Errors.invalidArgument(Self.iteratorTypeMismatch + "Request specified \(requested) and also "
                + "a StartingSequenceNumber.")
        }
    }

    static let iteratorTypeMismatch = "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
        + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "

    /// A StartingSequenceNumber must be one of this shard of this stream (kinesalite's texts, after AWS).
    static func sequenceNumber(_ text: String, for shard: Kinesis.ShardState, in stream: Kinesis.StoredStream)
        throws(AWSError) -> Kinesis.SequenceNumber
    {
        let context = "used in GetShardIterator on shard \(shard.shardId) in stream \(stream.name) under account "
            + "\(stream.account) is invalid"
        guard let sequence = Kinesis.SequenceNumber(text) else {
            throw Kinesis.Errors.invalidArgument("StartingSequenceNumber \(text) \(context).")
        }
        guard sequence.shardIndex == shard.index else {
            throw Kinesis.Errors.invalidArgument(
                "Invalid StartingSequenceNumber. It encodes \(Kinesis.ShardId.string(sequence.shardIndex)), while it "
                    + "was used in a call to a shard with \(shard.shardId)"
            )
        }
        guard sequence.streamCreation == stream.creation.millisecondsSinceEpoch else {
            throw Kinesis.Errors.invalidArgument(
                "StartingSequenceNumber \(text) \(context) because it did not come from this stream."
            )
        }
        return sequence
    }

    /// The position of the shard's first record that arrived at or after `millis`, or the next position to come.
    private func firstPosition(arrivedAtOrAfter millis: Int64, shard: Kinesis.ShardState,
                               stream: Kinesis.StoredStream) async throws -> UInt64 {
        let id = stream.logID(shard: shard.index)
        let mark = watermark(of: stream)
        var from = shard.startingPosition
        while true {
            let page = try await log.read(log: id, from: from, limit: 1000).filter { $0.position <= mark }
            if let record = page.first(where: { $0.arrivalMilliseconds >= millis }) { return record.position }
            guard let last = page.last else { break }
            from = last.position + 1
        }
        return shard.endingPosition ?? max(shard.startingPosition + 1, mark + 1)
    }
}
