/// A mapping as Sluice keeps it: what AWS shows, plus the lifecycle and bookkeeping AWS does not show.
public struct EventSourceMapping: Sendable, Codable, Equatable {
    public var configuration: EventSourceMappingConfiguration
    public var lifecycle: MappingLifecycle
    public var kind: EventSourceKind
    /// Creation order; List pages follow it so markers stay valid.
    public var sequence: Int64
    public var tags: [String: String]

    public init(
        configuration: EventSourceMappingConfiguration, lifecycle: MappingLifecycle, kind: EventSourceKind,
        sequence: Int64, tags: [String: String]
    ) {
        self.configuration = configuration
        self.lifecycle = lifecycle
        self.kind = kind
        self.sequence = sequence
        self.tags = tags
    }

    public var uuid: String { configuration.uuid }

    /// The region of the mapping, from its ARN.
    public var region: String { ARN(configuration.eventSourceMappingArn)?.region ?? "" }

    /// Whether the mapping lives in `region` (a prefix test: this runs on every Get).
    public func isIn(region: String) -> Bool {
        let arn = configuration.eventSourceMappingArn.utf8
        let prefix = "arn:aws:lambda:".utf8
        guard arn.starts(with: prefix) else { return false }
        let rest = arn.dropFirst(prefix.count)
        return rest.starts(with: region.utf8) && rest.dropFirst(region.utf8.count).first == UInt8(ascii: ":")
    }

    /// The function the mapping invokes, without qualifier, as the duplicate messages name it.
    public var functionName: String {
        let parts = configuration.functionArn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 6 ? String(parts[6]) : configuration.functionArn
    }

    /// Moves the mapping to its lifecycle's state, stamping `LastModified` (esm-api.md §3: it changes on every
    /// update and state change).
    public mutating func recordState(now: Timestamp) {
        configuration.state = lifecycle.state
        configuration.lastModified = now.secondsSinceEpoch
    }

    /// The ResourceConflictException a new mapping `other` meets because this one exists, with AWS's texts
    /// (esm-api.md §5); `nil` when they do not collide.
    public func conflict(with other: EventSourceMapping) -> AWSError? {
        guard uuid != other.uuid, kind == other.kind, configuration.functionArn == other.configuration.functionArn
        else { return nil }
        let suffix = "already exists. Please update or delete the existing mapping with UUID \(uuid)"
        let arn = configuration.eventSourceArn ?? ""
        switch kind {
        case .sqs:
            guard arn == other.configuration.eventSourceArn else { return nil }
            return .resourceConflict(
                "An event source mapping with SQS arn (\" \(arn) \") and function (\" \(other.functionName) \") "
                    + suffix
            )
        case .kinesis, .dynamoDBStreams:
            guard arn == other.configuration.eventSourceArn else { return nil }
            return .resourceConflict(
                "The event source arn (\" \(arn) \") and function (\" \(other.functionName) \") provided mapping "
                    + suffix
            )
        case .amazonMSK, .selfManagedKafka:
            let servers = Set(configuration.selfManagedEventSource?.bootstrapServers ?? [])
            let otherServers = other.configuration.selfManagedEventSource?.bootstrapServers ?? []
            let sameSource = kind == .amazonMSK
                ? arn == other.configuration.eventSourceArn
                : otherServers.contains(where: servers.contains)
            guard sameSource, configuration.topics == other.configuration.topics else { return nil }
            let source = kind == .amazonMSK ? arn : otherServers.joined(separator: ",")
            let topics = (other.configuration.topics ?? []).joined(separator: ",")
            return .resourceConflict(
                "An event source mapping with event source (\"\(source)\"), function "
                    + "(\"\(other.configuration.functionArn)\"), topics (\"\(topics)\") " + suffix
            )
        }
    }
}
