import Foundation
import SluiceCore

extension Kinesis {
    /// PutRecord. `SequenceNumberForOrdering` is accepted: Sluice orders every shard's records by arrival anyway.
    public struct PutRecordInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var data: [UInt8]
        public var partitionKey: String
        public var explicitHashKey: String?
        public var sequenceNumberForOrdering: String?

        public init(streamName: String? = nil, streamARN: String? = nil, data: [UInt8], partitionKey: String,
                    explicitHashKey: String? = nil, sequenceNumberForOrdering: String? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.data = data
            self.partitionKey = partitionKey
            self.explicitHashKey = explicitHashKey
            self.sequenceNumberForOrdering = sequenceNumberForOrdering
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case data = "Data"
            case partitionKey = "PartitionKey"
            case explicitHashKey = "ExplicitHashKey"
            case sequenceNumberForOrdering = "SequenceNumberForOrdering"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            streamName = try container.decodeIfPresent(String.self, forKey: .streamName)
            streamARN = try container.decodeIfPresent(String.self, forKey: .streamARN)
            data = try Blob.decode(container, .data)
            partitionKey = try container.decode(String.self, forKey: .partitionKey)
            explicitHashKey = try container.decodeIfPresent(String.self, forKey: .explicitHashKey)
            sequenceNumberForOrdering = try container.decodeIfPresent(String.self, forKey: .sequenceNumberForOrdering)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(streamName, forKey: .streamName)
            try container.encodeIfPresent(streamARN, forKey: .streamARN)
            try container.encode(Blob.encode(data), forKey: .data)
            try container.encode(partitionKey, forKey: .partitionKey)
            try container.encodeIfPresent(explicitHashKey, forKey: .explicitHashKey)
            try container.encodeIfPresent(sequenceNumberForOrdering, forKey: .sequenceNumberForOrdering)
        }
    }

    public struct PutRecordOutput: Sendable, Codable, Equatable {
        public var shardId: String
        public var sequenceNumber: String
        public var encryptionType: String?

        enum CodingKeys: String, CodingKey {
            case shardId = "ShardId"
            case sequenceNumber = "SequenceNumber"
            case encryptionType = "EncryptionType"
        }
    }

    /// `PutRecordsRequestEntry`.
    public struct PutRecordsRequestEntry: Sendable, Codable, Equatable {
        public var data: [UInt8]
        public var explicitHashKey: String?
        public var partitionKey: String

        public init(data: [UInt8], partitionKey: String, explicitHashKey: String? = nil) {
            self.data = data
            self.partitionKey = partitionKey
            self.explicitHashKey = explicitHashKey
        }

        enum CodingKeys: String, CodingKey {
            case data = "Data"
            case explicitHashKey = "ExplicitHashKey"
            case partitionKey = "PartitionKey"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            data = try Blob.decode(container, .data)
            explicitHashKey = try container.decodeIfPresent(String.self, forKey: .explicitHashKey)
            partitionKey = try container.decode(String.self, forKey: .partitionKey)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Blob.encode(data), forKey: .data)
            try container.encodeIfPresent(explicitHashKey, forKey: .explicitHashKey)
            try container.encode(partitionKey, forKey: .partitionKey)
        }
    }

    /// PutRecords: 1–500 entries, written all together.
    public struct PutRecordsInput: Sendable, Codable, Equatable, StreamAddressing {
        public var records: [PutRecordsRequestEntry]
        public var streamName: String?
        public var streamARN: String?

        public init(records: [PutRecordsRequestEntry], streamName: String? = nil, streamARN: String? = nil) {
            self.records = records
            self.streamName = streamName
            self.streamARN = streamARN
        }

        enum CodingKeys: String, CodingKey {
            case records = "Records"
            case streamName = "StreamName"
            case streamARN = "StreamARN"
        }
    }

    /// `PutRecordsResultEntry`: a sequence number and shard, or an `ErrorCode` and `ErrorMessage`.
    public struct PutRecordsResultEntry: Sendable, Codable, Equatable {
        public var sequenceNumber: String?
        public var shardId: String?
        public var errorCode: String?
        public var errorMessage: String?

        enum CodingKeys: String, CodingKey {
            case sequenceNumber = "SequenceNumber"
            case shardId = "ShardId"
            case errorCode = "ErrorCode"
            case errorMessage = "ErrorMessage"
        }
    }

    public struct PutRecordsOutput: Sendable, Codable, Equatable {
        /// AWS sends `0` when every record was written, though the model's minimum is 1.
        public var failedRecordCount: Int
        public var records: [PutRecordsResultEntry]
        public var encryptionType: String?

        enum CodingKeys: String, CodingKey {
            case failedRecordCount = "FailedRecordCount"
            case records = "Records"
            case encryptionType = "EncryptionType"
        }
    }

    /// `ShardIteratorType` of the model.
    public enum ShardIteratorType: String, Sendable, Codable, CaseIterable {
        case atSequenceNumber = "AT_SEQUENCE_NUMBER"
        case afterSequenceNumber = "AFTER_SEQUENCE_NUMBER"
        case trimHorizon = "TRIM_HORIZON"
        case latest = "LATEST"
        case atTimestamp = "AT_TIMESTAMP"
    }

    /// GetShardIterator.
    public struct GetShardIteratorInput: Sendable, Codable, Equatable, StreamAddressing {
        public var streamName: String?
        public var streamARN: String?
        public var shardId: String
        /// A ``ShardIteratorType`` raw value; anything else is a ValidationException.
        public var shardIteratorType: String
        public var startingSequenceNumber: String?
        public var timestamp: Date?

        public init(streamName: String? = nil, streamARN: String? = nil, shardId: String,
                    shardIteratorType: ShardIteratorType, startingSequenceNumber: String? = nil,
                    timestamp: Date? = nil) {
            self.streamName = streamName
            self.streamARN = streamARN
            self.shardId = shardId
            self.shardIteratorType = shardIteratorType.rawValue
            self.startingSequenceNumber = startingSequenceNumber
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName"
            case streamARN = "StreamARN"
            case shardId = "ShardId"
            case shardIteratorType = "ShardIteratorType"
            case startingSequenceNumber = "StartingSequenceNumber"
            case timestamp = "Timestamp"
        }
    }

    public struct GetShardIteratorOutput: Sendable, Codable, Equatable {
        public var shardIterator: String

        enum CodingKeys: String, CodingKey {
            case shardIterator = "ShardIterator"
        }
    }

    /// GetRecords: `Limit` 1–10000, default 10000.
    public struct GetRecordsInput: Sendable, Codable, Equatable {
        public var shardIterator: String
        public var limit: Int?
        public var streamARN: String?

        public init(shardIterator: String, limit: Int? = nil, streamARN: String? = nil) {
            self.shardIterator = shardIterator
            self.limit = limit
            self.streamARN = streamARN
        }

        enum CodingKeys: String, CodingKey {
            case shardIterator = "ShardIterator"
            case limit = "Limit"
            case streamARN = "StreamARN"
        }
    }

    /// GetRecords' answer: `NextShardIterator` is absent once a closed shard is read to its end, and `ChildShards`
    /// then names the shards to read next.
    public struct GetRecordsOutput: Sendable, Codable, Equatable {
        public var records: [Record]
        public var nextShardIterator: String?
        public var millisBehindLatest: Int64
        public var childShards: [ChildShard]?

        enum CodingKeys: String, CodingKey {
            case records = "Records"
            case nextShardIterator = "NextShardIterator"
            case millisBehindLatest = "MillisBehindLatest"
            case childShards = "ChildShards"
        }
    }
}
