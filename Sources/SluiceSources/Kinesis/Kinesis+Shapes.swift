import Foundation

extension Kinesis {
    /// `Shard` (botocore kinesis model).
    public struct Shard: Sendable, Codable, Equatable {
        public var shardId: String
        public var parentShardId: String?
        public var adjacentParentShardId: String?
        public var hashKeyRange: HashKeyRange
        public var sequenceNumberRange: SequenceNumberRange

        enum CodingKeys: String, CodingKey {
            case shardId = "ShardId"
            case parentShardId = "ParentShardId"
            case adjacentParentShardId = "AdjacentParentShardId"
            case hashKeyRange = "HashKeyRange"
            case sequenceNumberRange = "SequenceNumberRange"
        }
    }

    /// `SequenceNumberRange`: `EndingSequenceNumber` is set once the shard is closed.
    public struct SequenceNumberRange: Sendable, Codable, Equatable {
        public var startingSequenceNumber: String
        public var endingSequenceNumber: String?

        enum CodingKeys: String, CodingKey {
            case startingSequenceNumber = "StartingSequenceNumber"
            case endingSequenceNumber = "EndingSequenceNumber"
        }
    }

    /// `ChildShard` of GetRecords, when a reader reaches the end of a closed shard.
    public struct ChildShard: Sendable, Codable, Equatable {
        public var shardId: String
        public var parentShards: [String]
        public var hashKeyRange: HashKeyRange

        enum CodingKeys: String, CodingKey {
            case shardId = "ShardId"
            case parentShards = "ParentShards"
            case hashKeyRange = "HashKeyRange"
        }
    }

    /// `StreamModeDetails`.
    public struct StreamModeDetails: Sendable, Codable, Equatable {
        public var streamMode: String

        public init(streamMode: String) {
            self.streamMode = streamMode
        }

        enum CodingKeys: String, CodingKey {
            case streamMode = "StreamMode"
        }
    }

    /// `EnhancedMetrics`: Sluice keeps none, so DescribeStream answers `[{"ShardLevelMetrics": []}]` as AWS does
    /// for a stream without enhanced monitoring.
    public struct EnhancedMetrics: Sendable, Codable, Equatable {
        public var shardLevelMetrics: [String]

        enum CodingKeys: String, CodingKey {
            case shardLevelMetrics = "ShardLevelMetrics"
        }
    }

    /// `StreamDescription` of DescribeStream.
    public struct StreamDescription: Sendable, Codable, Equatable {
        public var streamName: String
        public var streamARN: String
        public var streamStatus: String
        public var streamModeDetails: StreamModeDetails?
        public var shards: [Shard]
        public var hasMoreShards: Bool
        public var retentionPeriodHours: Int
        /// Epoch seconds on the wire (AWSJSON's date strategy).
        public var streamCreationTimestamp: Date
        public var enhancedMonitoring: [EnhancedMetrics]
        public var encryptionType: String?

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case streamStatus = "StreamStatus"
            case streamModeDetails = "StreamModeDetails"
            case shards = "Shards"
            case hasMoreShards = "HasMoreShards"
            case retentionPeriodHours = "RetentionPeriodHours"
            case streamCreationTimestamp = "StreamCreationTimestamp"
            case enhancedMonitoring = "EnhancedMonitoring"
            case encryptionType = "EncryptionType"
        }
    }

    /// `StreamDescriptionSummary` of DescribeStreamSummary.
    public struct StreamDescriptionSummary: Sendable, Codable, Equatable {
        public var streamName: String
        public var streamARN: String
        public var streamStatus: String
        public var streamModeDetails: StreamModeDetails?
        public var retentionPeriodHours: Int
        public var streamCreationTimestamp: Date
        public var enhancedMonitoring: [EnhancedMetrics]
        public var encryptionType: String?
        public var openShardCount: Int
        public var consumerCount: Int?

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case streamStatus = "StreamStatus"
            case streamModeDetails = "StreamModeDetails"
            case retentionPeriodHours = "RetentionPeriodHours"
            case streamCreationTimestamp = "StreamCreationTimestamp"
            case enhancedMonitoring = "EnhancedMonitoring"
            case encryptionType = "EncryptionType"
            case openShardCount = "OpenShardCount"
            case consumerCount = "ConsumerCount"
        }
    }

    /// `StreamSummary` of ListStreams.
    public struct StreamSummary: Sendable, Codable, Equatable {
        public var streamName: String
        public var streamARN: String
        public var streamStatus: String
        public var streamModeDetails: StreamModeDetails?
        public var streamCreationTimestamp: Date?

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case streamStatus = "StreamStatus"
            case streamModeDetails = "StreamModeDetails"
            case streamCreationTimestamp = "StreamCreationTimestamp"
        }
    }

    /// `Record` of GetRecords. `Data` holds the raw bytes; it is base64 on the wire.
    public struct Record: Sendable, Codable, Equatable {
        public var sequenceNumber: String
        /// Epoch seconds with the milliseconds as the fraction (`1732530000.123`) through AWSJSON's date strategy.
        public var approximateArrivalTimestamp: Date?
        public var data: [UInt8]
        public var partitionKey: String
        public var encryptionType: String?

        public init(sequenceNumber: String, approximateArrivalTimestamp: Date?, data: [UInt8], partitionKey: String,
                    encryptionType: String? = nil) {
            self.sequenceNumber = sequenceNumber
            self.approximateArrivalTimestamp = approximateArrivalTimestamp
            self.data = data
            self.partitionKey = partitionKey
            self.encryptionType = encryptionType
        }

        enum CodingKeys: String, CodingKey {
            case sequenceNumber = "SequenceNumber"
            case approximateArrivalTimestamp = "ApproximateArrivalTimestamp"
            case data = "Data"
            case partitionKey = "PartitionKey"
            case encryptionType = "EncryptionType"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            sequenceNumber = try container.decode(String.self, forKey: .sequenceNumber)
            approximateArrivalTimestamp = try container.decodeIfPresent(Date.self, forKey: .approximateArrivalTimestamp)
            data = try Blob.decode(container, .data)
            partitionKey = try container.decode(String.self, forKey: .partitionKey)
            encryptionType = try container.decodeIfPresent(String.self, forKey: .encryptionType)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sequenceNumber, forKey: .sequenceNumber)
            try container.encodeIfPresent(approximateArrivalTimestamp, forKey: .approximateArrivalTimestamp)
            try container.encode(Blob.encode(data), forKey: .data)
            try container.encode(partitionKey, forKey: .partitionKey)
            try container.encodeIfPresent(encryptionType, forKey: .encryptionType)
        }
    }

    /// `Tag` of ListTagsForStream.
    public struct Tag: Sendable, Codable, Equatable {
        public var key: String
        public var value: String?

        enum CodingKeys: String, CodingKey {
            case key = "Key"
            case value = "Value"
        }
    }

    /// Blobs are base64 strings in JSON 1.1 (`reference/wire-protocols.md` §3).
    enum Blob {
        static func decode<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> [UInt8] {
            let text = try container.decode(String.self, forKey: key)
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "'\(text)' can not be converted to a Blob"
                )
            }
            return [UInt8](data)
        }

        static func encode(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString()
        }
    }
}
