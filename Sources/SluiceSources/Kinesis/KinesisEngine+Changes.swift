import SluiceCore

/// Tags, retention and resharding: each change is validated, applied to a copy of the stream, and written through.
extension KinesisEngine {
    /// AddTagsToStream: at most 50 tags a stream, as AWS allows for this operation.
    public func addTagsToStream(_ input: Kinesis.AddTagsToStreamInput, identity: RequestIdentity) async throws {
        try input.validate()
        let previous = try existing(input, identity: identity)
        var stream = previous
        stream.tags.merge(input.tags) { $1 }
        guard stream.tags.count <= 50 else {
            throw Kinesis.Errors.invalidArgument(
                "Failed to add tags to stream \(stream.name) under account \(stream.account) because a given stream "
                    + "cannot have more than 50 tags associated with it."
            )
        }
        try await save(stream, previous: previous)
    }

    /// RemoveTagsFromStream: removing a key the stream does not have is not an error.
    public func removeTagsFromStream(_ input: Kinesis.RemoveTagsFromStreamInput, identity: RequestIdentity)
        async throws
    {
        try input.validate()
        let previous = try existing(input, identity: identity)
        var stream = previous
        for key in input.tagKeys { stream.tags[key] = nil }
        try await save(stream, previous: previous)
    }

    /// ListTagsForStream: tags by key, `Limit` (default 50) after `ExclusiveStartTagKey`.
    public func listTagsForStream(_ input: Kinesis.ListTagsForStreamInput, identity: RequestIdentity) throws
        -> Kinesis.ListTagsForStreamOutput
    {
        try input.validate()
        let stream = try existing(input, identity: identity)
        let sorted = stream.tags.sorted { $0.key < $1.key }
            .filter { tag in input.exclusiveStartTagKey.map { tag.key > $0 } ?? true }
        let page = sorted.prefix(input.limit ?? 50)
        return Kinesis.ListTagsForStreamOutput(
            tags: page.map { Kinesis.Tag(key: $0.key, value: $0.value) }, hasMoreTags: sorted.count > page.count
        )
    }

    /// IncreaseStreamRetentionPeriod: 24–8760 hours, not shorter than now.
    public func increaseStreamRetentionPeriod(_ input: Kinesis.StreamRetentionPeriodInput,
                                              identity: RequestIdentity) async throws {
        try await changeRetention(input, identity: identity, increase: true)
    }

    /// DecreaseStreamRetentionPeriod: 24–8760 hours, not longer than now.
    public func decreaseStreamRetentionPeriod(_ input: Kinesis.StreamRetentionPeriodInput,
                                              identity: RequestIdentity) async throws {
        try await changeRetention(input, identity: identity, increase: false)
    }

    /// UpdateShardCount (UNIFORM_SCALING): at most double and at least half the open shards.
    public func updateShardCount(_ input: Kinesis.UpdateShardCountInput, identity: RequestIdentity) async throws
        -> Kinesis.UpdateShardCountOutput
    {
        try input.validate()
        let previous = try reshardable(input, identity: identity)
        var stream = previous
        try checkShardLimit(adding: input.targetShardCount - previous.openShards.count, identity: identity)
        let current = try stream.updateShardCount(to: input.targetShardCount)
        try await resharded(stream, previous: previous)
        return Kinesis.UpdateShardCountOutput(
            streamName: stream.name, currentShardCount: current, targetShardCount: input.targetShardCount,
            streamARN: stream.arn
        )
    }

    /// SplitShard.
    public func splitShard(_ input: Kinesis.SplitShardInput, identity: RequestIdentity) async throws {
        try input.validate()
        let previous = try reshardable(input, identity: identity)
        var stream = previous
        try stream.split(shardId: input.shardToSplit, newStartingHashKey: input.newStartingHashKey)
        try checkShardLimit(adding: 1, identity: identity)
        try await resharded(stream, previous: previous)
    }

    /// MergeShards.
    public func mergeShards(_ input: Kinesis.MergeShardsInput, identity: RequestIdentity) async throws {
        try input.validate()
        let previous = try reshardable(input, identity: identity)
        var stream = previous
        try stream.merge(shardId: input.shardToMerge, adjacentShardId: input.adjacentShardToMerge)
        try await resharded(stream, previous: previous)
    }

    private func changeRetention(_ input: Kinesis.StreamRetentionPeriodInput, identity: RequestIdentity,
                                 increase: Bool) async throws {
        try input.validateStream()
        let previous = try activeStream(input, identity: identity)
        let hours = input.retentionPeriodHours
        let current = previous.retentionPeriodHours
        if hours < 24 {
            throw Kinesis.Errors.invalidArgument(
                "Minimum allowed retention period is 24 hours. Requested retention period (\(hours) hours) is too "
                    + "short."
            )
        }
        if hours > 8760 {
            throw Kinesis.Errors.invalidArgument(
                "Maximum allowed retention period is 8760 hours. Requested retention period (\(hours) hours) is too "
                    + "long."
            )
        }
        if increase, hours < current {
            throw Kinesis.Errors.invalidArgument(
                "Requested retention period (\(hours) hours) for stream \(previous.name) can not be shorter than "
                    + "existing retention period (\(current) hours). Use DecreaseRetentionPeriod API."
            )
        }
        if !increase, hours > current {
            throw Kinesis.Errors.invalidArgument(
                "Requested retention period (\(hours) hours) for stream \(previous.name) can not be longer than "
                    + "existing retention period (\(current) hours). Use IncreaseRetentionPeriod API."
            )
        }
        var stream = previous
        stream.retentionPeriodHours = hours
        try await save(stream, previous: previous)
    }

    /// An ACTIVE PROVISIONED stream (an ON_DEMAND stream scales itself on AWS).
    private func reshardable(_ input: some Kinesis.StreamAddressing, identity: RequestIdentity) throws(AWSError)
        -> Kinesis.StoredStream
    {
        let stream = try activeStream(input, identity: identity)
        guard stream.mode == .provisioned else {
            throw Kinesis.Errors.validation(
                "Request is invalid. Stream \(stream.name) under account \(stream.account) is in On-Demand mode."
            )
        }
        return stream
    }

    /// Saves a reshard, wakes the readers of the closed shards and opens the new ones for waiting.
    private func resharded(_ stream: Kinesis.StoredStream, previous: Kinesis.StoredStream) async throws {
        // Appends reserved while the document was written keep their positions: take the latest counter.
        var latest = stream
        latest.nextPosition = max(stream.nextPosition, streams[stream.key]?.nextPosition ?? 0)
        try await save(latest, previous: previous)
        for shard in latest.shards where shard.index >= previous.shards.count {
            waiters.publish(latest.logID(shard: shard.index), position: shard.startingPosition)
        }
        for shard in previous.openShards where !latest.shards[shard.index].isOpen {
            waiters.close(latest.logID(shard: shard.index))
        }
    }
}
