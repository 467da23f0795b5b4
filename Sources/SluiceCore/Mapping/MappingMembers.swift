/// The structured members of mapping requests and responses, spelled as the Lambda model spells them.

public struct FilterCriteria: Sendable, Codable, Equatable {
    public var filters: [Filter]?

    public init(filters: [Filter]?) { self.filters = filters }

    public struct Filter: Sendable, Codable, Equatable {
        /// The pattern as the client sent it; AWS echoes the string, never a parsed form.
        public var pattern: String?
        public init(pattern: String?) { self.pattern = pattern }
        enum CodingKeys: String, CodingKey { case pattern = "Pattern" }
    }

    enum CodingKeys: String, CodingKey { case filters = "Filters" }
}

public struct DestinationConfig: Sendable, Codable, Equatable {
    public var onSuccess: Destination?
    public var onFailure: Destination?

    public init(onSuccess: Destination? = nil, onFailure: Destination?) {
        self.onSuccess = onSuccess
        self.onFailure = onFailure
    }

    public struct Destination: Sendable, Codable, Equatable {
        public var destination: String?
        public init(destination: String?) { self.destination = destination }
        enum CodingKeys: String, CodingKey { case destination = "Destination" }
    }

    enum CodingKeys: String, CodingKey { case onSuccess = "OnSuccess", onFailure = "OnFailure" }
}

public struct SourceAccessConfiguration: Sendable, Codable, Equatable {
    public var type: String?
    public var uri: String?

    public static let types = [
        "BASIC_AUTH", "VPC_SUBNET", "VPC_SECURITY_GROUP", "SASL_SCRAM_512_AUTH", "SASL_SCRAM_256_AUTH",
        "VIRTUAL_HOST", "CLIENT_CERTIFICATE_TLS_AUTH", "SERVER_ROOT_CA_CERTIFICATE",
    ]

    enum CodingKeys: String, CodingKey { case type = "Type", uri = "URI" }
}

public struct SelfManagedEventSource: Sendable, Codable, Equatable {
    public var endpoints: [String: [String]]?
    enum CodingKeys: String, CodingKey { case endpoints = "Endpoints" }

    /// The bootstrap servers, `KAFKA_BOOTSTRAP_SERVERS`.
    public var bootstrapServers: [String] { endpoints?["KAFKA_BOOTSTRAP_SERVERS"] ?? [] }
}

public struct KafkaEventSourceConfig: Sendable, Codable, Equatable {
    public var consumerGroupId: String?
    public var schemaRegistryConfig: SchemaRegistryConfig?

    public init(consumerGroupId: String?, schemaRegistryConfig: SchemaRegistryConfig? = nil) {
        self.consumerGroupId = consumerGroupId
        self.schemaRegistryConfig = schemaRegistryConfig
    }

    enum CodingKeys: String, CodingKey {
        case consumerGroupId = "ConsumerGroupId", schemaRegistryConfig = "SchemaRegistryConfig"
    }
}

public struct SchemaRegistryConfig: Sendable, Codable, Equatable {
    public var schemaRegistryURI: String?
    public var eventRecordFormat: String?
    public var accessConfigs: [AccessConfig]?
    public var schemaValidationConfigs: [ValidationConfig]?

    public struct AccessConfig: Sendable, Codable, Equatable {
        public var type: String?
        public var uri: String?
        enum CodingKeys: String, CodingKey { case type = "Type", uri = "URI" }
    }

    public struct ValidationConfig: Sendable, Codable, Equatable {
        public var attribute: String?
        enum CodingKeys: String, CodingKey { case attribute = "Attribute" }
    }

    enum CodingKeys: String, CodingKey {
        case schemaRegistryURI = "SchemaRegistryURI", eventRecordFormat = "EventRecordFormat"
        case accessConfigs = "AccessConfigs", schemaValidationConfigs = "SchemaValidationConfigs"
    }
}

public struct ScalingConfig: Sendable, Codable, Equatable {
    public var maximumConcurrency: Int?
    public init(maximumConcurrency: Int?) { self.maximumConcurrency = maximumConcurrency }
    enum CodingKeys: String, CodingKey { case maximumConcurrency = "MaximumConcurrency" }
}

public struct MetricsConfig: Sendable, Codable, Equatable {
    public var metrics: [String]?
    enum CodingKeys: String, CodingKey { case metrics = "Metrics" }
}

public struct LoggingConfig: Sendable, Codable, Equatable {
    public var systemLogLevel: String?
    enum CodingKeys: String, CodingKey { case systemLogLevel = "SystemLogLevel" }
}

public struct ProvisionedPollerConfig: Sendable, Codable, Equatable {
    public var minimumPollers: Int?
    public var maximumPollers: Int?
    public var pollerGroupName: String?
    enum CodingKeys: String, CodingKey {
        case minimumPollers = "MinimumPollers", maximumPollers = "MaximumPollers"
        case pollerGroupName = "PollerGroupName"
    }
}
