import SluiceCore
import SluiceStore

extension Kinesis {
    /// `StreamStatus` of the model.
    public enum StreamStatus: String, Sendable, Codable, Equatable {
        case creating = "CREATING"
        case deleting = "DELETING"
        case active = "ACTIVE"
        case updating = "UPDATING"
    }

    /// `StreamMode` of the model; an ON_DEMAND stream starts with 4 shards, as on AWS.
    public enum StreamMode: String, Sendable, Codable, Equatable, CaseIterable {
        case provisioned = "PROVISIONED"
        case onDemand = "ON_DEMAND"
    }

    /// One shard as the engine keeps it: its index, parents, hash keys and the positions it spans.
    public struct ShardState: Sendable, Codable, Equatable {
        public var index: Int
        public var parentIndex: Int?
        public var adjacentParentIndex: Int?
        public var hashKeyRange: HashKeyRange
        /// The stream position current when the shard opened: every record of the shard is after it.
        public var startingPosition: UInt64
        /// Set when a reshard closes the shard: every record of the shard is before it.
        public var endingPosition: UInt64?

        public init(index: Int, parentIndex: Int? = nil, adjacentParentIndex: Int? = nil,
                    hashKeyRange: HashKeyRange, startingPosition: UInt64, endingPosition: UInt64? = nil) {
            self.index = index
            self.parentIndex = parentIndex
            self.adjacentParentIndex = adjacentParentIndex
            self.hashKeyRange = hashKeyRange
            self.startingPosition = startingPosition
            self.endingPosition = endingPosition
        }

        public var isOpen: Bool { endingPosition == nil }
        public var shardId: String { ShardId.string(index) }
    }

    /// A stream as stored: one document per stream (key `region/name`); the records are in the `RecordLog`, one
    /// log per shard (``logID(shard:)``).
    ///
    /// `nextPosition` is the stream-wide counter that record positions, and so sequence numbers, come from. Each
    /// reshard takes one position: the parents end at it and the children start from it, so the children of a
    /// closed shard are the shards that start where it ends.
    public struct StoredStream: Sendable, Codable, Equatable {
        public var name: String
        public var region: String
        public var account: String
        public var mode: StreamMode
        public var retentionPeriodHours: Int
        public var creation: Timestamp
        /// The stream reads CREATING before this instant and ACTIVE from it on (`Configuration.creationDelay`).
        public var activeFrom: Timestamp
        public var shards: [ShardState]
        public var tags: [String: String]
        public var nextPosition: UInt64

        public static let defaultRetentionHours = 24
        public static let onDemandShardCount = 4

        /// A new stream of `shardCount` shards over an even split of the key space.
        public init(name: String, region: String, account: String, mode: StreamMode, shardCount: Int,
                    tags: [String: String], now: Timestamp, activeFrom: Timestamp) {
            self.name = name
            self.region = region
            self.account = account
            self.mode = mode
            self.retentionPeriodHours = Self.defaultRetentionHours
            self.creation = now
            self.activeFrom = activeFrom
            self.tags = tags
            self.nextPosition = 1
            self.shards = HashKeyRange.evenSplit(count: shardCount).enumerated().map { index, range in
                ShardState(index: index, hashKeyRange: range, startingPosition: 0)
            }
        }

        public var arn: String { Self.arn(region: region, account: account, name: name) }
        var key: String { Self.key(region: region, name: name) }

        public static func arn(region: String, account: String, name: String) -> String {
            "arn:aws:kinesis:\(region):\(account):stream/\(name)"
        }

        static func key(region: String, name: String) -> String { "\(region)/\(name)" }

        public func status(now: Timestamp) -> StreamStatus { now < activeFrom ? .creating : .active }

        public var openShards: [ShardState] { shards.filter(\.isOpen) }

        /// The logs of a stream; the creation time keeps a re-created stream's logs apart from the old one's.
        public var logStream: String { "\(region)/\(name)/\(creation.millisecondsSinceEpoch)" }

        public func logID(shard index: Int) -> LogID {
            LogID(stream: logStream, shard: ShardId.string(index))
        }

        public func sequenceNumber(position: UInt64, shard index: Int) -> SequenceNumber {
            SequenceNumber(streamCreation: creation.millisecondsSinceEpoch, position: position, shardIndex: index)
        }

        /// The open shard whose hash key range holds `hashKey` (the open shards cover the whole space).
        public func openShard(for hashKey: UInt128) -> ShardState? {
            shards.first { $0.isOpen && $0.hashKeyRange.contains(hashKey) }
        }

        /// The shard named by `shardId` (`shardId-000000000001`, or a form AWS also accepts, such as `1`).
        public func shard(named shardId: String) -> ShardState? {
            guard let index = ShardId.index(shardId), shards.indices.contains(index) else { return nil }
            return shards[index]
        }

        /// The shards a closed shard was split or merged into (empty while it is open).
        public func children(of shard: ShardState) -> [ShardState] {
            guard let end = shard.endingPosition else { return [] }
            return shards.filter { child in
                child.startingPosition == end
                    && child.hashKeyRange.startingHashKey <= shard.hashKeyRange.endingHashKey
                    && shard.hashKeyRange.startingHashKey <= child.hashKeyRange.endingHashKey
            }
        }

        /// A shard as the API describes it (`Shard` of the model).
        public func description(of shard: ShardState) -> Shard {
            Shard(
                shardId: shard.shardId,
                parentShardId: shard.parentIndex.map(ShardId.string),
                adjacentParentShardId: shard.adjacentParentIndex.map(ShardId.string),
                hashKeyRange: shard.hashKeyRange,
                sequenceNumberRange: SequenceNumberRange(
                    startingSequenceNumber: sequenceNumber(position: shard.startingPosition, shard: shard.index)
                        .description,
                    endingSequenceNumber: shard.endingPosition.map {
                        sequenceNumber(position: $0, shard: shard.index).description
                    }
                )
            )
        }
    }
}
