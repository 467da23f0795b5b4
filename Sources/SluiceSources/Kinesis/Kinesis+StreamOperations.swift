import Foundation
import SluiceCore

extension Kinesis {
    /// CreateStream: `ShardCount` for PROVISIONED (required there), or `StreamModeDetails` ON_DEMAND (4 shards).
    public struct CreateStreamInput: Sendable, Codable, Equatable {
        public var streamName: String
        public var shardCount: Int?
        public var streamModeDetails: StreamModeDetails?
        public var tags: [String: String]?

        public init(streamName: String, shardCount: Int? = nil, streamModeDetails: StreamModeDetails? = nil,
                    tags: [String: String]? = nil) {
            self.streamName = streamName
            self.shardCount = shardCount
            self.streamModeDetails = streamModeDetails
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case shardCount = "ShardCount"
            case streamModeDetails = "StreamModeDetails"
            case tags = "Tags"
        }
    }

    /// DeleteStream. `EnforceConsumerDeletion` is accepted; Sluice has no consumers.
    public struct DeleteStreamInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var enforceConsumerDeletion: Bool?

        public init(streamName: String? = nil, streamARN: String? = nil, enforceConsumerDeletion: Bool? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.enforceConsumerDeletion = enforceConsumerDeletion
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case enforceConsumerDeletion = "EnforceConsumerDeletion"
        }
    }

    /// DescribeStream: pages of `Limit` shards (1–10000, default 100) after `ExclusiveStartShardId`.
    public struct DescribeStreamInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var limit: Int?
        public var exclusiveStartShardId: String?

        public init(streamName: String? = nil, streamARN: String? = nil, limit: Int? = nil,
                    exclusiveStartShardId: String? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.limit = limit
            self.exclusiveStartShardId = exclusiveStartShardId
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case limit = "Limit"
            case exclusiveStartShardId = "ExclusiveStartShardId"
        }
    }

    public struct DescribeStreamOutput: Sendable, Codable, Equatable {
        public var streamDescription: StreamDescription

        enum CodingKeys: String, CodingKey {
            case streamDescription = "StreamDescription"
        }
    }

    /// DescribeStreamSummary.
    public struct DescribeStreamSummaryInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?

        public init(streamName: String? = nil, streamARN: String? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
        }
    }

    public struct DescribeStreamSummaryOutput: Sendable, Codable, Equatable {
        public var streamDescriptionSummary: StreamDescriptionSummary

        enum CodingKeys: String, CodingKey {
            case streamDescriptionSummary = "StreamDescriptionSummary"
        }
    }

    /// ListStreams: names in order, `Limit` (1–10000, default 100) a page, after `ExclusiveStartStreamName` or
    /// from a `NextToken`.
    public struct ListStreamsInput: Sendable, Codable, Equatable {
        public var limit: Int?
        public var exclusiveStartStreamName: String?
        public var nextToken: String?

        public init(limit: Int? = nil, exclusiveStartStreamName: String? = nil, nextToken: String? = nil) {
            self.limit = limit
            self.exclusiveStartStreamName = exclusiveStartStreamName
            self.nextToken = nextToken
        }

        enum CodingKeys: String, CodingKey {
            case limit = "Limit"
            case exclusiveStartStreamName = "ExclusiveStartStreamName"
            case nextToken = "NextToken"
        }
    }

    public struct ListStreamsOutput: Sendable, Codable, Equatable {
        public var streamNames: [String]
        public var hasMoreStreams: Bool
        public var nextToken: String?
        public var streamSummaries: [StreamSummary]

        enum CodingKeys: String, CodingKey {
            case streamNames = "StreamNames"
            case hasMoreStreams = "HasMoreStreams"
            case nextToken = "NextToken"
            case streamSummaries = "StreamSummaries"
        }
    }

    /// `ShardFilter` of ListShards.
    public struct ShardFilter: Sendable, Codable, Equatable {
        public var type: String
        public var shardId: String?
        public var timestamp: Date?

        public init(type: String, shardId: String? = nil, timestamp: Date? = nil) {
            self.type = type
            self.shardId = shardId
            self.timestamp = timestamp
        }

        static let types = ["AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP",
                            "FROM_TIMESTAMP"]

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case shardId = "ShardId"
            case timestamp = "Timestamp"
        }
    }

    /// ListShards: every shard, closed ones too, `MaxResults` (1–10000, default 1000) a page.
    public struct ListShardsInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var nextToken: String?
        public var exclusiveStartShardId: String?
        public var maxResults: Int?
        public var streamCreationTimestamp: Date?
        public var shardFilter: ShardFilter?

        public init(streamName: String? = nil, streamARN: String? = nil, nextToken: String? = nil,
                    exclusiveStartShardId: String? = nil, maxResults: Int? = nil, shardFilter: ShardFilter? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.nextToken = nextToken
            self.exclusiveStartShardId = exclusiveStartShardId
            self.maxResults = maxResults
            self.shardFilter = shardFilter
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case nextToken = "NextToken"
            case exclusiveStartShardId = "ExclusiveStartShardId"
            case maxResults = "MaxResults"
            case streamCreationTimestamp = "StreamCreationTimestamp"
            case shardFilter = "ShardFilter"
        }
    }

    public struct ListShardsOutput: Sendable, Codable, Equatable {
        public var shards: [Shard]
        public var nextToken: String?

        enum CodingKeys: String, CodingKey {
            case shards = "Shards"
            case nextToken = "NextToken"
        }
    }
}
