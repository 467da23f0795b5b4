/// Building a mapping from CreateEventSourceMapping and changing it with UpdateEventSourceMapping.
extension EventSourceMappingConfiguration {
    /// What Create's validation learned: the source kind and the function the mapping targets.
    public struct CreateTarget: Sendable, Equatable {
        public var kind: EventSourceKind
        public var function: FunctionReference
        /// The region of the request: the mapping lives there, whatever region a function ARN names.
        public var region: String
        public var account: String
    }

    /// Validates a CreateEventSourceMapping request without I/O, in AWS's order (esm-api.md §5): model
    /// constraints, OnSuccess, event source present, starting position, per-source rules.
    public static func validate(_ request: CreateEventSourceMappingRequest, identity: RequestIdentity)
        throws(AWSError) -> CreateTarget
    {
        var errors = ValidationErrors()
        MappingValidation.checkModel(request.settings, errors: &errors)
        if request.settings.functionName == nil {
            errors.addMissing(path: "functionName")
        }
        if let arn = request.eventSourceArn, ARN(arn) == nil {
            errors.add(
                value: arn, path: "eventSourceArn",
                rule: "satisfy regular expression pattern: \(MappingValidation.arnPattern)"
            )
        }
        errors.checkEnum(request.startingPosition, MappingValidation.startingPositions, path: "startingPosition")
        if let topics = request.topics {
            if topics.count != 1 {
                let rule = topics.isEmpty ? "greater than or equal to 1" : "less than or equal to 1"
                errors.add(value: "[\(topics.joined(separator: ", "))]", path: "topics", rule: "have length \(rule)")
            }
            for topic in topics { errors.checkLength(topic, 1...249, path: "topics.member") }
        }
        try errors.throwIfAny()
        let function = try FunctionReference(
            parsing: request.settings.functionName ?? "", identity: identity, maxLength: 256
        )
        if request.settings.destinationConfig?.onSuccess != nil {
            throw MappingValidation.unsupported("DestinationConfig")
        }
        let kind = try sourceKind(of: request)
        try checkCreateOnly(request, kind: kind)
        try MappingValidation.checkApplicability(request.settings, kind: kind)
        return CreateTarget(kind: kind, function: function, region: identity.region, account: identity.account)
    }

    private static func sourceKind(of request: CreateEventSourceMappingRequest) throws(AWSError) -> EventSourceKind {
        if let text = request.eventSourceArn {
            guard let arn = ARN(text), let kind = EventSourceKind(eventSourceArn: arn) else {
                throw .invalidParameterValue("Unrecognized event source.")
            }
            return kind
        }
        guard request.selfManagedEventSource != nil else {
            throw .invalidParameterValue("Unrecognized event source.")
        }
        return .selfManagedKafka
    }

    /// Members fixed at creation: StartingPosition, Topics, Queues, SelfManagedEventSource.
    private static func checkCreateOnly(_ request: CreateEventSourceMappingRequest, kind: EventSourceKind)
        throws(AWSError)
    {
        if request.queues != nil { throw MappingValidation.unsupported("Queues") }
        if kind == .selfManagedKafka, request.settings.sourceAccessConfigurations == nil {
            throw .invalidParameterValue("Required 'sourceAccessConfigurations' parameter is missing.")
        }
        switch kind {
        case .kinesis, .dynamoDBStreams:
            guard let position = request.startingPosition else {
                throw .invalidParameterValue(
                    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
                        + "Member must not be null."
                )
            }
            if kind == .dynamoDBStreams, position == "AT_TIMESTAMP" {
                throw .invalidParameterValue("Unsupported starting position for arn type: \(request.eventSourceArn ?? "")")
            }
            if request.topics != nil { throw MappingValidation.unsupported("Topics") }
        case .amazonMSK, .selfManagedKafka:
            guard request.topics != nil else {
                throw .invalidParameterValue("Required 'topics' parameter is missing.")
            }
        case .sqs:
            if request.startingPosition != nil { throw MappingValidation.unsupported("StartingPosition") }
            if request.startingPositionTimestamp != nil {
                throw MappingValidation.unsupported("StartingPositionTimestamp")
            }
            if request.topics != nil { throw MappingValidation.unsupported("Topics") }
        }
        if request.startingPosition == "AT_TIMESTAMP", request.startingPositionTimestamp == nil {
            throw .invalidParameterValue("StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP.")
        }
    }

    /// A new mapping with the per-source defaults of esm-api.md §3 and the request's members applied.
    public init(
        creating request: CreateEventSourceMappingRequest, target: CreateTarget, uuid: String, now: Timestamp,
        state: MappingState
    ) throws(AWSError) {
        let kind = target.kind
        self.init(
            uuid: uuid,
            eventSourceMappingArn: "arn:aws:lambda:\(target.region):\(target.account):"
                + "event-source-mapping:\(uuid)",
            functionArn: target.function.arn, lastModified: now.secondsSinceEpoch, state: state,
            stateTransitionReason: kind.userTransitionReason
        )
        eventSourceArn = request.eventSourceArn
        batchSize = kind.defaultBatchSize
        switch kind {
        case .sqs:
            maximumBatchingWindowInSeconds = 0
            functionResponseTypes = []
        case .kinesis, .dynamoDBStreams:
            maximumBatchingWindowInSeconds = 0
            functionResponseTypes = []
            bisectBatchOnFunctionError = false
            destinationConfig = DestinationConfig(onFailure: .init(destination: nil))
            lastProcessingResult = "No records processed"
            maximumRecordAgeInSeconds = -1
            maximumRetryAttempts = -1
            parallelizationFactor = 1
            tumblingWindowInSeconds = 0
            startingPosition = request.startingPosition
        case .amazonMSK, .selfManagedKafka:
            lastProcessingResult = "No records processed"
            startingPosition = request.startingPosition ?? "TRIM_HORIZON"
            topics = request.topics
            selfManagedEventSource = request.selfManagedEventSource
            let group = KafkaEventSourceConfig(consumerGroupId: uuid)
            if kind == .amazonMSK {
                amazonManagedKafkaEventSourceConfig = group
            } else {
                selfManagedKafkaEventSourceConfig = group
            }
        }
        if startingPosition == "AT_TIMESTAMP" {
            startingPositionTimestamp = request.startingPositionTimestamp
        }
        try apply(request.settings, kind: kind, creating: true)
        try MappingValidation.checkRules(self, kind: kind)
    }

    /// Validates an UpdateEventSourceMapping request against this mapping and applies it. The caller moves the
    /// lifecycle and sets `State` / `LastModified`.
    public mutating func update(with settings: MappingSettings, kind: EventSourceKind) throws(AWSError) {
        var errors = ValidationErrors()
        MappingValidation.checkModel(settings, errors: &errors)
        try errors.throwIfAny()
        if settings.destinationConfig?.onSuccess != nil {
            throw MappingValidation.unsupported("DestinationConfig")
        }
        try MappingValidation.checkApplicability(settings, kind: kind)
        var updated = self
        try updated.apply(settings, kind: kind, creating: false)
        try MappingValidation.checkRules(updated, kind: kind)
        self = updated
    }

    /// Copies every member the settings name; omitted members keep their values.
    private mutating func apply(_ settings: MappingSettings, kind: EventSourceKind, creating: Bool) throws(AWSError) {
        if let value = settings.batchSize { batchSize = value }
        if let value = settings.maximumBatchingWindowInSeconds { maximumBatchingWindowInSeconds = value }
        if let value = settings.parallelizationFactor { parallelizationFactor = value }
        if let value = settings.maximumRecordAgeInSeconds { maximumRecordAgeInSeconds = value }
        if let value = settings.maximumRetryAttempts { maximumRetryAttempts = value }
        if let value = settings.bisectBatchOnFunctionError { bisectBatchOnFunctionError = value }
        if let value = settings.tumblingWindowInSeconds { tumblingWindowInSeconds = value }
        if let value = settings.functionResponseTypes { functionResponseTypes = value }
        if let value = settings.destinationConfig {
            let destination = value.onFailure?.destination.flatMap { $0.isEmpty ? nil : $0 }
            destinationConfig = DestinationConfig(onFailure: .init(destination: destination))
        }
        if let value = settings.filterCriteria {
            filterCriteria = (value.filters ?? []).isEmpty ? nil : value
        }
        if let value = settings.scalingConfig {
            scalingConfig = value.maximumConcurrency == nil ? nil : value
        }
        if let value = settings.sourceAccessConfigurations { sourceAccessConfigurations = value }
        try applyKafkaConfig(settings, creating: creating)
        if let value = settings.kmsKeyArn { kmsKeyArn = value.isEmpty ? nil : value }
        if let value = settings.metricsConfig { metricsConfig = (value.metrics ?? []).isEmpty ? nil : value }
        if let value = settings.loggingConfig { loggingConfig = value }
        if let value = settings.provisionedPollerConfig { provisionedPollerConfig = value }
    }

    /// The consumer group is fixed at creation; only the schema registry may change later.
    private mutating func applyKafkaConfig(_ settings: MappingSettings, creating: Bool) throws(AWSError) {
        func merged(_ current: KafkaEventSourceConfig?, _ requested: KafkaEventSourceConfig?) throws(AWSError)
            -> KafkaEventSourceConfig?
        {
            guard let requested else { return current }
            var result = current ?? KafkaEventSourceConfig(consumerGroupId: nil)
            if let group = requested.consumerGroupId, group != result.consumerGroupId {
                guard creating else {
                    throw .invalidParameterValue("The ConsumerGroupId of an event source mapping cannot be updated.")
                }
                result.consumerGroupId = group
            }
            if let registry = requested.schemaRegistryConfig { result.schemaRegistryConfig = registry }
            return result
        }
        amazonManagedKafkaEventSourceConfig = try merged(
            amazonManagedKafkaEventSourceConfig, settings.amazonManagedKafkaEventSourceConfig
        )
        selfManagedKafkaEventSourceConfig = try merged(
            selfManagedKafkaEventSourceConfig, settings.selfManagedKafkaEventSourceConfig
        )
    }

    /// The source kind of a stored mapping.
    public var kind: EventSourceKind? {
        if let text = eventSourceArn, let arn = ARN(text) { return EventSourceKind(eventSourceArn: arn) }
        return selfManagedEventSource != nil ? .selfManagedKafka : nil
    }
}
