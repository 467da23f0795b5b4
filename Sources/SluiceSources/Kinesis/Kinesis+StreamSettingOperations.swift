import SluiceCore

extension Kinesis {
    /// AddTagsToStream: at most 50 tags a stream (AWS's limit for this operation's stream).
    public struct AddTagsToStreamInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var tags: [String: String]

        public init(streamName: String? = nil, streamARN: String? = nil, tags: [String: String]) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case tags = "Tags"
        }
    }

    /// RemoveTagsFromStream: 1–50 keys.
    public struct RemoveTagsFromStreamInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var tagKeys: [String]

        public init(streamName: String? = nil, streamARN: String? = nil, tagKeys: [String]) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.tagKeys = tagKeys
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case tagKeys = "TagKeys"
        }
    }

    /// ListTagsForStream: tags in key order, `Limit` (1–50, default 50) after `ExclusiveStartTagKey`.
    public struct ListTagsForStreamInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var exclusiveStartTagKey: String?
        public var limit: Int?

        public init(streamName: String? = nil, streamARN: String? = nil, exclusiveStartTagKey: String? = nil,
                    limit: Int? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.exclusiveStartTagKey = exclusiveStartTagKey
            self.limit = limit
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case exclusiveStartTagKey = "ExclusiveStartTagKey"
            case limit = "Limit"
        }
    }

    public struct ListTagsForStreamOutput: Sendable, Codable, Equatable {
        public var tags: [Tag]
        public var hasMoreTags: Bool

        enum CodingKeys: String, CodingKey {
            case tags = "Tags"
            case hasMoreTags = "HasMoreTags"
        }
    }

    /// IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod (same members): 24–8760 hours.
    public struct StreamRetentionPeriodInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var retentionPeriodHours: Int

        public init(streamName: String? = nil, streamARN: String? = nil, retentionPeriodHours: Int) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.retentionPeriodHours = retentionPeriodHours
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case retentionPeriodHours = "RetentionPeriodHours"
        }
    }

    public typealias IncreaseStreamRetentionPeriodInput = StreamRetentionPeriodInput
    public typealias DecreaseStreamRetentionPeriodInput = StreamRetentionPeriodInput

    /// UpdateShardCount: `UNIFORM_SCALING` to `TargetShardCount`, at most double and at least half the open shards.
    public struct UpdateShardCountInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var targetShardCount: Int
        public var scalingType: String

        public init(streamName: String? = nil, streamARN: String? = nil, targetShardCount: Int,
                    scalingType: String = "UNIFORM_SCALING") {
            self.streamName = streamName
            self.streamARN = streamARN
            self.targetShardCount = targetShardCount
            self.scalingType = scalingType
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case targetShardCount = "TargetShardCount"
            case scalingType = "ScalingType"
        }
    }

    public struct UpdateShardCountOutput: Sendable, Codable, Equatable {
        public var streamName: String?
        public var currentShardCount: Int?
        public var targetShardCount: Int?
        public var streamARN: String?

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case currentShardCount = "CurrentShardCount"
            case targetShardCount = "TargetShardCount"
            case streamARN = "StreamARN"
        }
    }

    /// SplitShard: the children cover `[start, NewStartingHashKey − 1]` and `[NewStartingHashKey, end]`.
    public struct SplitShardInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var shardToSplit: String
        public var newStartingHashKey: String

        public init(streamName: String? = nil, streamARN: String? = nil, shardToSplit: String,
                    newStartingHashKey: String) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.shardToSplit = shardToSplit
            self.newStartingHashKey = newStartingHashKey
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case shardToSplit = "ShardToSplit"
            case newStartingHashKey = "NewStartingHashKey"
        }
    }

    /// MergeShards: two open shards whose hash key ranges touch.
    public struct MergeShardsInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var shardToMerge: String
        public var adjacentShardToMerge: String

        public init(streamName: String? = nil, streamARN: String? = nil, shardToMerge: String,
                    adjacentShardToMerge: String) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.shardToMerge = shardToMerge
            self.adjacentShardToMerge = adjacentShardToMerge
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case shardToMerge = "ShardToMerge"
            case adjacentShardToMerge = "AdjacentShardToMerge"
        }
    }
}
