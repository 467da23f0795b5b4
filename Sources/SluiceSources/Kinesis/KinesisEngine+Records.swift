import SluiceCore
import SluiceStore

/// PutRecord, PutRecords and trimming: records are routed by hash key to the open shards, given positions from the
/// stream's counter, appended to the log, and acknowledged only after the append returned (issue 3, item 5).
extension KinesisEngine {
    /// PutRecord.
    public func putRecord(_ input: Kinesis.PutRecordInput, identity: RequestIdentity) async throws
        -> Kinesis.PutRecordOutput
    {
        try input.validate()
        let entry = Kinesis.PutRecordsRequestEntry(
            data: input.data, partitionKey: input.partitionKey, explicitHashKey: input.explicitHashKey
        )
        try Self.checkRecordSize([entry])
        let written = try await append([entry], to: writableStream(input, identity: identity))
        return Kinesis.PutRecordOutput(
            shardId: written[0].shardId, sequenceNumber: written[0].sequenceNumber, encryptionType: "NONE"
        )
    }

    /// PutRecords: 1–500 entries, all written or none. An entry AWS would refuse (an ExplicitHashKey out of range)
    /// fails the whole request with InvalidArgumentException, as on AWS, so `FailedRecordCount` is 0.
    public func putRecords(_ input: Kinesis.PutRecordsInput, identity: RequestIdentity) async throws
        -> Kinesis.PutRecordsOutput
    {
        try input.validate()
        try Self.checkRecordSize(input.records)
        let written = try await append(input.records, to: writableStream(input, identity: identity))
        return Kinesis.PutRecordsOutput(
            failedRecordCount: 0,
            records: written.map {
                Kinesis.PutRecordsResultEntry(sequenceNumber: $0.sequenceNumber, shardId: $0.shardId)
            },
            encryptionType: "NONE"
        )
    }

    /// Removes the records older than each stream's retention period. Calling it on a timer is the caller's job.
    public func trimExpiredRecords(now: Timestamp) async throws {
        for stream in streams.values {
            let cutoff = now.millisecondsSinceEpoch - Int64(stream.retentionPeriodHours) * 3_600_000
            for shard in stream.shards {
                try await log.trim(log: stream.logID(shard: shard.index), arrivedBefore: cutoff)
            }
        }
    }

    /// Puts go to ACTIVE streams; a CREATING one is not found yet, as on AWS.
    private func writableStream(_ input: some Kinesis.StreamAddressing, identity: RequestIdentity)
        throws(AWSError) -> Kinesis.StoredStream
    {
        let stream = try existing(input, identity: identity)
        guard stream.status(now: now()) == .active else {
            throw Kinesis.Errors.streamNotFound(stream.name, account: stream.account)
        }
        return stream
    }

    /// Reserves positions, appends, then lets readers see the records once every earlier append has committed.
    private func append(_ entries: [Kinesis.PutRecordsRequestEntry], to stream: Kinesis.StoredStream) async throws
        -> [(shardId: String, sequenceNumber: String)]
    {
        var shards: [Int] = []
        for entry in entries {
            let hashKey = try entry.explicitHashKey.map(Kinesis.HashKeyRange.explicitHashKey)
                ?? Kinesis.HashKeyRange.hashKey(forPartitionKey: entry.partitionKey)
            guard let shard = stream.openShard(for: hashKey) else {
                throw AWSError.service("No open shard of stream \(stream.name) holds hash key \(hashKey)")
            }
            shards.append(shard.index)
        }
        guard var current = streams[stream.key] else {
            throw Kinesis.Errors.streamNotFound(stream.name, account: stream.account)
        }
        let first = current.nextPosition
        let last = first + UInt64(entries.count) - 1
        current.nextPosition = last + 1
        streams[stream.key] = current
        appends[stream.key, default: Appends()].pending.append(first...last)
        let arrival = now().millisecondsSinceEpoch
        let logEntries = entries.enumerated().map { offset, entry in
            LogEntry(
                log: stream.logID(shard: shards[offset]),
                record: LogRecord(
                    position: first + UInt64(offset), arrivalMilliseconds: arrival, partitionKey: entry.partitionKey,
                    data: entry.data
                )
            )
        }
        do {
            try await log.append(logEntries)
        } catch {
            settle(first...last, of: stream, shards: [:])
            throw error
        }
        var written: [Int: UInt64] = [:]
        for entry in logEntries {
            let index = shards[Int(entry.record.position - first)]
            written[index] = max(written[index] ?? 0, entry.record.position)
        }
        settle(first...last, of: stream, shards: written)
        return logEntries.enumerated().map { offset, entry in
            (entry.log.shard, stream.sequenceNumber(position: entry.record.position, shard: shards[offset]).description)
        }
    }

    /// An append finished (or failed): moves the watermark and wakes the readers of the shards it made readable.
    private func settle(_ range: ClosedRange<UInt64>, of stream: Kinesis.StoredStream, shards: [Int: UInt64]) {
        guard var state = appends[stream.key], let current = streams[stream.key],
            current.creation == stream.creation
        else { return }
        state.pending.removeAll { $0 == range }
        for (shard, position) in shards { state.unpublished[shard] = max(state.unpublished[shard] ?? 0, position) }
        appends[stream.key] = state
        let mark = watermark(of: current)
        for (shard, position) in state.unpublished where position <= mark {
            waiters.publish(current.logID(shard: shard), position: position)
            state.unpublished[shard] = nil
        }
        appends[stream.key] = state.pending.isEmpty && state.unpublished.isEmpty ? nil : state
    }
}

extension KinesisEngine {
    /// A stream's default maximum record size: 1 MiB of data and partition key together (the model allows 10 MiB
    /// for streams whose record size was raised, which Sluice does not offer).
    static let maximumRecordBytes = 1_048_576

    static func checkRecordSize(_ entries: [Kinesis.PutRecordsRequestEntry]) throws(AWSError) {
        for entry in entries where entry.data.count + entry.partitionKey.utf8.count > maximumRecordBytes {
            throw Kinesis.Errors.invalidArgument(
                "Record size (data and partition key) of \(entry.data.count + entry.partitionKey.utf8.count) bytes "
                    + "exceeds the maximum record size of \(maximumRecordBytes) bytes."
            )
        }
    }
}
