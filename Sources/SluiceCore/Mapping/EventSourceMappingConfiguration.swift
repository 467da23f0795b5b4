/// An event source mapping exactly as Lambda returns it (`EventSourceMappingConfiguration`,
/// `reference/esm-api.md` §3). A `nil` member is absent from the JSON, as AWS leaves keys out per source type.
public struct EventSourceMappingConfiguration: Sendable, Codable, Equatable {
    public var uuid: String
    public var eventSourceMappingArn: String
    public var startingPosition: String?
    public var startingPositionTimestamp: Double?
    public var batchSize: Int?
    public var maximumBatchingWindowInSeconds: Int?
    public var parallelizationFactor: Int?
    public var eventSourceArn: String?
    public var filterCriteria: FilterCriteria?
    public var functionArn: String
    public var lastModified: Double
    public var lastProcessingResult: String?
    public var state: MappingState
    public var stateTransitionReason: String
    public var destinationConfig: DestinationConfig?
    public var topics: [String]?
    public var queues: [String]?
    public var sourceAccessConfigurations: [SourceAccessConfiguration]?
    public var selfManagedEventSource: SelfManagedEventSource?
    public var maximumRecordAgeInSeconds: Int?
    public var bisectBatchOnFunctionError: Bool?
    public var maximumRetryAttempts: Int?
    public var tumblingWindowInSeconds: Int?
    public var functionResponseTypes: [String]?
    public var amazonManagedKafkaEventSourceConfig: KafkaEventSourceConfig?
    public var selfManagedKafkaEventSourceConfig: KafkaEventSourceConfig?
    public var scalingConfig: ScalingConfig?
    public var kmsKeyArn: String?
    public var metricsConfig: MetricsConfig?
    public var loggingConfig: LoggingConfig?
    public var provisionedPollerConfig: ProvisionedPollerConfig?

    public init(uuid: String, eventSourceMappingArn: String, functionArn: String, lastModified: Double,
                state: MappingState, stateTransitionReason: String) {
        self.uuid = uuid
        self.eventSourceMappingArn = eventSourceMappingArn
        self.functionArn = functionArn
        self.lastModified = lastModified
        self.state = state
        self.stateTransitionReason = stateTransitionReason
    }

    enum CodingKeys: String, CodingKey {
        case uuid = "UUID", eventSourceMappingArn = "EventSourceMappingArn", startingPosition = "StartingPosition"
        case startingPositionTimestamp = "StartingPositionTimestamp", batchSize = "BatchSize"
        case maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds"
        case parallelizationFactor = "ParallelizationFactor", eventSourceArn = "EventSourceArn"
        case filterCriteria = "FilterCriteria", functionArn = "FunctionArn", lastModified = "LastModified"
        case lastProcessingResult = "LastProcessingResult", state = "State"
        case stateTransitionReason = "StateTransitionReason", destinationConfig = "DestinationConfig"
        case topics = "Topics", queues = "Queues", sourceAccessConfigurations = "SourceAccessConfigurations"
        case selfManagedEventSource = "SelfManagedEventSource"
        case maximumRecordAgeInSeconds = "MaximumRecordAgeInSeconds"
        case bisectBatchOnFunctionError = "BisectBatchOnFunctionError"
        case maximumRetryAttempts = "MaximumRetryAttempts", tumblingWindowInSeconds = "TumblingWindowInSeconds"
        case functionResponseTypes = "FunctionResponseTypes"
        case amazonManagedKafkaEventSourceConfig = "AmazonManagedKafkaEventSourceConfig"
        case selfManagedKafkaEventSourceConfig = "SelfManagedKafkaEventSourceConfig"
        case scalingConfig = "ScalingConfig", kmsKeyArn = "KMSKeyArn", metricsConfig = "MetricsConfig"
        case loggingConfig = "LoggingConfig", provisionedPollerConfig = "ProvisionedPollerConfig"
    }
}
