/// The kind of source a mapping reads, decided by the service of its EventSourceArn, or by
/// `SelfManagedEventSource` (`reference/esm-api.md` §7).
public enum EventSourceKind: String, Sendable, Codable, Equatable, CaseIterable {
    case kinesis
    case dynamoDBStreams
    case sqs
    case amazonMSK
    case selfManagedKafka

    /// Classifies an EventSourceArn; `nil` when Lambda does not recognise it as a source Sluice serves.
    public init?(eventSourceArn: ARN) {
        switch eventSourceArn.service {
        case "kinesis" where eventSourceArn.resource.hasPrefix("stream/"):
            self = .kinesis
        case "dynamodb" where eventSourceArn.resource.hasPrefix("table/") && eventSourceArn.resource.contains("/stream/"):
            self = .dynamoDBStreams
        case "sqs" where !eventSourceArn.resource.isEmpty && !eventSourceArn.resource.contains(":"):
            self = .sqs
        case "kafka" where eventSourceArn.resource.hasPrefix("cluster/"):
            self = .amazonMSK
        default:
            return nil
        }
    }

    /// Kinesis and DynamoDB Streams: the stream-only knobs apply.
    public var isStream: Bool { self == .kinesis || self == .dynamoDBStreams }

    public var isKafka: Bool { self == .amazonMSK || self == .selfManagedKafka }

    /// `StateTransitionReason` for user-driven changes (recorded: `User action` for streams, `USER_INITIATED` for
    /// SQS and Kafka).
    public var userTransitionReason: String { isStream ? "User action" : "USER_INITIATED" }

    /// `BatchSize` when the request leaves it out (esm-api.md §2).
    public var defaultBatchSize: Int { self == .sqs ? 10 : 100 }
}
