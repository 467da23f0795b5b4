import SluiceCore

/// SplitShard, MergeShards and UpdateShardCount as changes of a stream's shards, with AWS's checks and texts
/// (kinesalite's, recorded against AWS). Each closes its parents at one new position (`EndingSequenceNumber`) and
/// opens the children from it, naming `ParentShardId` / `AdjacentParentShardId`.
extension Kinesis.StoredStream {
    typealias Errors = Kinesis.Errors

    /// Splits an open shard at `newStartingHashKey`, which must lie strictly inside it: greater than one plus its
    /// StartingHashKey and less than its EndingHashKey, as AWS's message says.
    public mutating func split(shardId: String, newStartingHashKey text: String) throws(AWSError) {
        let parent = try openShardToReshard(shardId)
        let range = parent.hashKeyRange
        guard let key = UInt128(text), range.startingHashKey < .max, key > range.startingHashKey + 1,
            key < range.endingHashKey
        else {
            throw Errors.invalidArgument(
                "NewStartingHashKey \(text) used in SplitShard() on shard \(parent.shardId) in stream \(name) under "
                    + "account \(account) is not both greater than one plus the shard's StartingHashKey "
                    + "\(range.startingHashKey) and less than the shard's EndingHashKey \(range.endingHashKey)."
            )
        }
        let position = closeShards([parent.index])
        append(Kinesis.HashKeyRange(startingHashKey: range.startingHashKey, endingHashKey: key - 1),
               parents: (parent.index, nil), from: position)
        append(Kinesis.HashKeyRange(startingHashKey: key, endingHashKey: range.endingHashKey),
               parents: (parent.index, nil), from: position)
    }

    /// Merges two open shards whose hash key ranges touch (in either order) into one.
    public mutating func merge(shardId: String, adjacentShardId: String) throws(AWSError) {
        let first = try openShardToReshard(shardId)
        let second = try openShardToReshard(adjacentShardId)
        let (low, high) = first.hashKeyRange.startingHashKey < second.hashKeyRange.startingHashKey
            ? (first, second) : (second, first)
        guard low.index != high.index, low.hashKeyRange.endingHashKey < .max,
            low.hashKeyRange.endingHashKey + 1 == high.hashKeyRange.startingHashKey
        else {
            throw Errors.invalidArgument(
                "Shards \(first.shardId) and \(second.shardId) in stream \(name) under account \(account) are not an "
                    + "adjacent pair of shards eligible for merging"
            )
        }
        let position = closeShards([first.index, second.index])
        let range = Kinesis.HashKeyRange(
            startingHashKey: low.hashKeyRange.startingHashKey, endingHashKey: high.hashKeyRange.endingHashKey
        )
        append(range, parents: (first.index, second.index), from: position)
    }

    /// UNIFORM_SCALING: closes every open shard and opens `target` shards over the even split of the key space.
    /// Each child names the parent holding its StartingHashKey and, when another parent holds its EndingHashKey,
    /// that one as AdjacentParentShardId.
    /// - Returns: the number of open shards before the change.
    @discardableResult
    public mutating func updateShardCount(to target: Int) throws(AWSError) -> Int {
        let open = openShards
        let current = open.count
        if target > current * 2 {
            throw Errors.limitExceeded(
                "UpdateShardCount cannot scale up over double your current open shard count. Current open shard "
                    + "count: \(current), Target shard count: \(target)"
            )
        }
        if target * 2 < current {
            throw Errors.limitExceeded(
                "UpdateShardCount cannot scale down below half your current open shard count. Current open shard "
                    + "count: \(current), Target shard count: \(target)"
            )
        }
        let position = closeShards(open.map(\.index))
        for range in Kinesis.HashKeyRange.evenSplit(count: target) {
            let parent = open.first { $0.hashKeyRange.contains(range.startingHashKey) }
            let adjacent = open.first { $0.hashKeyRange.contains(range.endingHashKey) }
            let parentIndex = parent?.index ?? open[0].index
            append(range, parents: (parentIndex, adjacent?.index == parentIndex ? nil : adjacent?.index),
                   from: position)
        }
        return current
    }

    /// An open shard named in a reshard request.
    private func openShardToReshard(_ shardId: String) throws(AWSError) -> Kinesis.ShardState {
        guard let shard = shard(named: shardId) else {
            throw Errors.shardNotFound(shardId, stream: name, account: account)
        }
        guard shard.isOpen else { throw Errors.shardClosed(shard.shardId, stream: name, account: account) }
        return shard
    }

    /// Closes shards at the next position, which the reshard takes for itself.
    private mutating func closeShards(_ indexes: [Int]) -> UInt64 {
        let position = nextPosition
        nextPosition += 1
        for index in indexes { shards[index].endingPosition = position }
        return position
    }

    private mutating func append(_ range: Kinesis.HashKeyRange, parents: (Int, Int?), from position: UInt64) {
        shards.append(
            Kinesis.ShardState(
                index: shards.count, parentIndex: parents.0, adjacentParentIndex: parents.1, hashKeyRange: range,
                startingPosition: position
            )
        )
    }
}
