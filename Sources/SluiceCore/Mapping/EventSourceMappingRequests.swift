/// The bodies of CreateEventSourceMapping and UpdateEventSourceMapping (`reference/esm-api.md` §2).

/// The members both requests share; every one optional, so an Update changes only what it names.
public struct MappingSettings: Sendable, Decodable, Equatable {
    public var functionName: String?
    public var enabled: Bool?
    public var batchSize: Int?
    public var maximumBatchingWindowInSeconds: Int?
    public var parallelizationFactor: Int?
    public var maximumRecordAgeInSeconds: Int?
    public var maximumRetryAttempts: Int?
    public var bisectBatchOnFunctionError: Bool?
    public var tumblingWindowInSeconds: Int?
    public var destinationConfig: DestinationConfig?
    public var functionResponseTypes: [String]?
    public var filterCriteria: FilterCriteria?
    public var scalingConfig: ScalingConfig?
    public var sourceAccessConfigurations: [SourceAccessConfiguration]?
    public var amazonManagedKafkaEventSourceConfig: KafkaEventSourceConfig?
    public var selfManagedKafkaEventSourceConfig: KafkaEventSourceConfig?
    public var kmsKeyArn: String?
    public var metricsConfig: MetricsConfig?
    public var loggingConfig: LoggingConfig?
    public var provisionedPollerConfig: ProvisionedPollerConfig?
    public var documentDBEventSourceConfig: DocumentDBEventSourceConfig?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", enabled = "Enabled", batchSize = "BatchSize"
        case maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds"
        case parallelizationFactor = "ParallelizationFactor"
        case maximumRecordAgeInSeconds = "MaximumRecordAgeInSeconds"
        case maximumRetryAttempts = "MaximumRetryAttempts"
        case bisectBatchOnFunctionError = "BisectBatchOnFunctionError"
        case tumblingWindowInSeconds = "TumblingWindowInSeconds", destinationConfig = "DestinationConfig"
        case functionResponseTypes = "FunctionResponseTypes", filterCriteria = "FilterCriteria"
        case scalingConfig = "ScalingConfig", sourceAccessConfigurations = "SourceAccessConfigurations"
        case amazonManagedKafkaEventSourceConfig = "AmazonManagedKafkaEventSourceConfig"
        case selfManagedKafkaEventSourceConfig = "SelfManagedKafkaEventSourceConfig"
        case kmsKeyArn = "KMSKeyArn", metricsConfig = "MetricsConfig", loggingConfig = "LoggingConfig"
        case provisionedPollerConfig = "ProvisionedPollerConfig"
        case documentDBEventSourceConfig = "DocumentDBEventSourceConfig"
    }
}

/// `DocumentDBEventSourceConfig`: accepted in the shape, refused for the sources Sluice serves.
public struct DocumentDBEventSourceConfig: Sendable, Codable, Equatable {
    public var databaseName: String?
    public var collectionName: String?
    public var fullDocument: String?
    enum CodingKeys: String, CodingKey {
        case databaseName = "DatabaseName", collectionName = "CollectionName", fullDocument = "FullDocument"
    }
}

/// CreateEventSourceMapping: the shared settings plus the members fixed at creation.
public struct CreateEventSourceMappingRequest: Sendable, Decodable {
    public var settings: MappingSettings
    public var eventSourceArn: String?
    public var startingPosition: String?
    public var startingPositionTimestamp: Double?
    public var topics: [String]?
    public var queues: [String]?
    public var selfManagedEventSource: SelfManagedEventSource?
    public var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case eventSourceArn = "EventSourceArn", startingPosition = "StartingPosition"
        case startingPositionTimestamp = "StartingPositionTimestamp", topics = "Topics", queues = "Queues"
        case selfManagedEventSource = "SelfManagedEventSource", tags = "Tags"
    }

    public init(from decoder: any Decoder) throws {
        settings = try MappingSettings(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventSourceArn = try container.decodeIfPresent(String.self, forKey: .eventSourceArn)
        startingPosition = try container.decodeIfPresent(String.self, forKey: .startingPosition)
        startingPositionTimestamp = try container.decodeIfPresent(Double.self, forKey: .startingPositionTimestamp)
        topics = try container.decodeIfPresent([String].self, forKey: .topics)
        queues = try container.decodeIfPresent([String].self, forKey: .queues)
        selfManagedEventSource = try container.decodeIfPresent(SelfManagedEventSource.self, forKey: .selfManagedEventSource)
        tags = try container.decodeIfPresent([String: String].self, forKey: .tags)
    }

    public init(settings: MappingSettings, eventSourceArn: String?, startingPosition: String? = nil) {
        self.settings = settings
        self.eventSourceArn = eventSourceArn
        self.startingPosition = startingPosition
    }
}
