/// The checks of CreateEventSourceMapping and UpdateEventSourceMapping that need no I/O, in AWS's order
/// (`reference/esm-api.md` §2, §5; `docs/compatibility.md`).
public enum MappingValidation {
    static let startingPositions = ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"]
    static let arnPattern = #"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"#
    static let destinationPattern = #"^$|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"#
    public static let maximumFilters = 5

    /// Model constraints (ValidationException) of the members Create and Update share.
    static func checkModel(_ settings: MappingSettings, errors: inout ValidationErrors) {
        errors.checkRange(settings.batchSize, 1...10000, path: "batchSize")
        errors.checkRange(settings.maximumBatchingWindowInSeconds, 0...300, path: "maximumBatchingWindowInSeconds")
        errors.checkRange(settings.parallelizationFactor, 1...10, path: "parallelizationFactor")
        errors.checkRange(settings.maximumRecordAgeInSeconds, -1...604_800, path: "maximumRecordAgeInSeconds")
        errors.checkRange(settings.maximumRetryAttempts, -1...10000, path: "maximumRetryAttempts")
        errors.checkRange(settings.tumblingWindowInSeconds, 0...900, path: "tumblingWindowInSeconds")
        errors.checkRange(settings.scalingConfig?.maximumConcurrency, 2...1000, path: "scalingConfig.maximumConcurrency")
        errors.checkRange(
            settings.provisionedPollerConfig?.minimumPollers, 1...200, path: "provisionedPollerConfig.minimumPollers"
        )
        errors.checkRange(
            settings.provisionedPollerConfig?.maximumPollers, 1...2000, path: "provisionedPollerConfig.maximumPollers"
        )
        if let types = settings.functionResponseTypes {
            let listed = "[\(types.joined(separator: ", "))]"
            if types.count > 1 {
                errors.add(value: listed, path: "functionResponseTypes", rule: "have length less than or equal to 1")
            }
            if types.contains(where: { $0 != "ReportBatchItemFailures" }) {
                errors.add(
                    value: listed, path: "functionResponseTypes",
                    rule: "satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]"
                )
            }
        }
        for (index, filter) in (settings.filterCriteria?.filters ?? []).enumerated() {
            errors.checkLength(filter.pattern, 0...4096, path: "filterCriteria.filters.\(index + 1).member.pattern")
        }
        if let destination = settings.destinationConfig?.onFailure?.destination,
            !(destination.isEmpty || destination.hasPrefix("kafka://") || ARN(destination) != nil)
        {
            errors.add(
                value: destination, path: "destinationConfig.onFailure.destination",
                rule: "satisfy regular expression pattern: \(destinationPattern)"
            )
        }
        if let configurations = settings.sourceAccessConfigurations {
            if configurations.count > 22 {
                errors.add(
                    value: "\(configurations.count) items", path: "sourceAccessConfigurations",
                    rule: "have length less than or equal to 22"
                )
            }
            for (index, configuration) in configurations.enumerated() {
                let path = "sourceAccessConfigurations.\(index + 1).member"
                errors.checkEnum(configuration.type, SourceAccessConfiguration.types, path: path + ".type")
                errors.checkLength(configuration.uri, 1...200, path: path + ".uRI")
            }
        }
        for (name, config) in [
            ("amazonManagedKafkaEventSourceConfig", settings.amazonManagedKafkaEventSourceConfig),
            ("selfManagedKafkaEventSourceConfig", settings.selfManagedKafkaEventSourceConfig),
        ] {
            errors.checkLength(config?.consumerGroupId, 1...200, path: name + ".consumerGroupId")
        }
        for metric in settings.metricsConfig?.metrics ?? [] {
            errors.checkEnum(metric, ["EventCount", "ErrorCount", "KafkaMetrics"], path: "metricsConfig.metrics")
        }
        errors.checkEnum(settings.loggingConfig?.systemLogLevel, ["DEBUG", "INFO", "WARN"], path: "loggingConfig.systemLogLevel")
    }

    /// `Unsupported <Member> parameter for given event source mapping type.` for members the source does not use.
    static func checkApplicability(_ settings: MappingSettings, kind: EventSourceKind) throws(AWSError) {
        let streamOnly: Set<EventSourceKind> = [.kinesis, .dynamoDBStreams]
        let streamOrKafka: Set<EventSourceKind> = [.kinesis, .dynamoDBStreams, .amazonMSK, .selfManagedKafka]
        let rules: [(String, Bool, Set<EventSourceKind>)] = [
            ("DestinationConfig", settings.destinationConfig != nil, streamOrKafka),
            ("ParallelizationFactor", settings.parallelizationFactor != nil, streamOnly),
            ("TumblingWindowInSeconds", settings.tumblingWindowInSeconds != nil, streamOnly),
            ("MaximumRecordAgeInSeconds", settings.maximumRecordAgeInSeconds != nil, streamOrKafka),
            ("MaximumRetryAttempts", settings.maximumRetryAttempts != nil, streamOrKafka),
            ("BisectBatchOnFunctionError", settings.bisectBatchOnFunctionError != nil, streamOrKafka),
            ("ScalingConfig", settings.scalingConfig != nil, [.sqs]),
            ("SourceAccessConfigurations", settings.sourceAccessConfigurations != nil, [.amazonMSK, .selfManagedKafka]),
            ("AmazonManagedKafkaEventSourceConfig", settings.amazonManagedKafkaEventSourceConfig != nil, [.amazonMSK]),
            ("SelfManagedKafkaEventSourceConfig", settings.selfManagedKafkaEventSourceConfig != nil, [.selfManagedKafka]),
            ("ProvisionedPollerConfig", settings.provisionedPollerConfig != nil, [.sqs, .amazonMSK, .selfManagedKafka]),
            ("DocumentDBEventSourceConfig", settings.documentDBEventSourceConfig != nil, []),
        ]
        for (member, present, allowed) in rules where present && !allowed.contains(kind) {
            throw unsupported(member)
        }
    }

    static func unsupported(_ member: String) -> AWSError {
        .invalidParameterValue("Unsupported \(member) parameter for given event source mapping type.")
    }

    /// The rules that depend on the resulting configuration: record age, SQS batching, filters, destinations.
    static func checkRules(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) throws(AWSError) {
        if let age = configuration.maximumRecordAgeInSeconds, (0...59).contains(age) {
            throw .invalidParameterValue(
                "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
            )
        }
        if kind == .sqs {
            let batchSize = configuration.batchSize ?? kind.defaultBatchSize
            let window = configuration.maximumBatchingWindowInSeconds ?? 0
            let isFIFO = configuration.eventSourceArn?.hasSuffix(".fifo") ?? false
            if isFIFO, batchSize > 10 {
                throw .invalidParameterValue("Batch size for FIFO queues must be less than or equal to 10.")
            }
            if isFIFO, window > 0 {
                throw .invalidParameterValue("Batching window is not supported for FIFO queues.")
            }
            if batchSize > 10, window == 0 {
                throw .invalidParameterValue(
                    "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
                )
            }
        }
        try checkFilters(configuration.filterCriteria)
        try checkDestination(configuration.destinationConfig, kind: kind)
    }

    static func checkFilters(_ criteria: FilterCriteria?) throws(AWSError) {
        let filters = criteria?.filters ?? []
        guard filters.count <= maximumFilters else {
            throw .invalidParameterValue(
                "The maximum number of filters allowed for an event source mapping is \(maximumFilters)."
            )
        }
        for filter in filters {
            guard let pattern = filter.pattern, (try? FilterPattern(parsing: pattern)) != nil else {
                throw .invalidParameterValue("Invalid filter pattern definition.")
            }
        }
    }

    /// On-failure destinations: a standard SQS queue, an SNS topic, an S3 bucket; `kafka://topic` for Kafka.
    static func checkDestination(_ config: DestinationConfig?, kind: EventSourceKind) throws(AWSError) {
        guard let destination = config?.onFailure?.destination, !destination.isEmpty else { return }
        let valid: Bool
        if destination.hasPrefix("kafka://") {
            valid = kind.isKafka
        } else if let arn = ARN(destination) {
            switch arn.service {
            case "sqs": valid = !arn.resource.hasSuffix(".fifo")
            case "sns", "s3": valid = true
            default: valid = false
            }
        } else {
            valid = false
        }
        guard valid else {
            throw .invalidParameterValue(
                "The provided destination config DestinationConfig(onSuccess=null, "
                    + "onFailure=OnFailure(destination=\(destination))) is invalid."
            )
        }
    }
}
