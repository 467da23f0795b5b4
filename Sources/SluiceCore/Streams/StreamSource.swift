/// What a stream mapping reads (`reference/semantics.md` §8): the shards of a stream with their lineage, records
/// from a position, and a wait until more arrive. A port, so the rule machines and their drivers need no source;
/// the embedded Kinesis implements it, and so will DynamoDB Streams and external streams.
public protocol StreamSource: Sendable {
    /// The stream's shards, open and closed, as the stream lists them.
    func shards(streamArn: String) async throws -> [StreamShard]
    /// A cursor at `start` in the shard.
    func cursor(streamArn: String, shardId: String, at start: ShardStart) async throws -> ShardCursor
    /// At most `limit` records after the cursor, and where to read next.
    func read(_ cursor: ShardCursor, limit: Int) async throws -> ShardPage
    /// Returns once the shard may have a record after `cursor` (or has ended), or the task is cancelled; never
    /// polls.
    func waitForRecords(after cursor: ShardCursor) async throws
}

/// A shard and its parents (a split has one, a merge two).
public struct StreamShard: Sendable, Hashable {
    public var id: String
    public var parentShardId: String?
    public var adjacentParentShardId: String?
    /// A closed shard takes no more records; once read to its end, its children may start.
    public var isClosed: Bool

    public init(id: String, parentShardId: String? = nil, adjacentParentShardId: String? = nil, isClosed: Bool = false) {
        self.id = id
        self.parentShardId = parentShardId
        self.adjacentParentShardId = adjacentParentShardId
        self.isClosed = isClosed
    }
}

/// Where reading a shard starts: a mapping's StartingPosition, or its checkpoint.
public enum ShardStart: Sendable, Hashable {
    case trimHorizon
    case latest
    case atTimestamp(Timestamp)
    case afterSequenceNumber(StreamSequenceNumber)
}

/// A position in a shard. `resume` is where reading would restart if `token` (the source's own iterator) could
/// no longer be used: the cursor's start until a record is read, then after the last record read.
public struct ShardCursor: Sendable, Equatable {
    public var streamArn: String
    public var shardId: String
    public var resume: ShardStart
    public var token: String

    public init(streamArn: String, shardId: String, resume: ShardStart, token: String) {
        self.streamArn = streamArn
        self.shardId = shardId
        self.resume = resume
        self.token = token
    }
}

/// One read of a shard.
public struct ShardPage: Sendable, Equatable {
    public var records: [StreamRecord]
    /// Where to read next; `nil` once a closed shard has been read to its end.
    public var next: ShardCursor?
    /// The shards that continue this one, once it has ended.
    public var childShardIds: [String]
    /// How far the read is behind the newest record (Kinesis `MillisBehindLatest`, the IteratorAge metric).
    public var millisBehindLatest: Int64

    public init(records: [StreamRecord], next: ShardCursor?, childShardIds: [String] = [], millisBehindLatest: Int64 = 0) {
        self.records = records
        self.next = next
        self.childShardIds = childShardIds
        self.millisBehindLatest = millisBehindLatest
    }
}
