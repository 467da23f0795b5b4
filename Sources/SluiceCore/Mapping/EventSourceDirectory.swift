/// What the mapping service asks of the embedded sources when a mapping is created or updated: does the source
/// exist, and (for SQS) what is its visibility timeout (`reference/esm-api.md` §5).
///
/// A port, so the mapping service needs no source engine and tests can replace it.
public protocol EventSourceDirectory: Sendable {
    func lookUp(_ eventSourceArn: String, kind: EventSourceKind) async -> EventSourceLookup
}

/// The answer of an ``EventSourceDirectory``.
public enum EventSourceLookup: Sendable, Equatable {
    /// The source exists; `visibilityTimeout` is the queue's, in seconds, for SQS.
    case exists(visibilityTimeout: Int?)
    /// Sluice serves this kind of source and it does not exist.
    case missing
    /// Sluice does not serve this kind of source (an external Kafka cluster, a DynamoDB stream while DynamoDB is not
    /// embedded): any well-formed ARN is accepted.
    case unchecked
}

/// The directory used when no source is embedded: every source is accepted.
public struct UncheckedEventSources: EventSourceDirectory {
    public init() {}
    public func lookUp(_ eventSourceArn: String, kind: EventSourceKind) async -> EventSourceLookup { .unchecked }
}

extension EventSourceLookup {
    /// The error AWS answers for a mapping whose source is `self`, or `nil` when the source is fine (recorded texts,
    /// esm-api.md §5). `functionTimeout` is the target function's Timeout, for SQS's visibility rule.
    public func mappingError(eventSourceArn: String, kind: EventSourceKind, functionTimeout: Int?) -> AWSError? {
        switch self {
        case .unchecked:
            return nil
        case .missing where kind == .sqs:
            return .invalidParameterValue(
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
                    + "SQS Error Message: The specified queue does not exist."
            )
        case .missing:
            return .invalidParameterValue("Stream not found: \(eventSourceArn)")
        case .exists(let visibilityTimeout?):
            guard kind == .sqs, let functionTimeout, visibilityTimeout < functionTimeout else { return nil }
            return .invalidParameterValue(
                "Queue visibility timeout: \(visibilityTimeout) seconds is less than Function timeout: "
                    + "\(functionTimeout) seconds"
            )
        case .exists(nil):
            return nil
        }
    }
}
