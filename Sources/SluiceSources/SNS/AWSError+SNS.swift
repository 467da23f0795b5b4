import SluiceCore

/// SNS's errors: the query codes and statuses of botocore's sns model (`NotFound` 404, `InvalidParameter` 400,
/// `ParameterValueInvalid` 400, …; `reference/wire-protocols.md` §4), with AWS's message texts.
extension AWSError {
    /// `InvalidParameter`, e.g. `Invalid parameter: TopicArn`.
    public static func snsInvalidParameter(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameter", message: message)
    }

    /// `ParameterValueInvalid` (the model's `InvalidParameterValueException`), for message attribute values.
    public static func snsParameterValueInvalid(_ message: String) -> AWSError {
        AWSError(code: "ParameterValueInvalid", message: message)
    }

    /// A topic ARN that names no topic.
    public static let topicNotFound = AWSError(code: "NotFound", message: "Topic does not exist", status: 404)

    /// A subscription ARN that names no subscription.
    public static let subscriptionNotFound = AWSError(
        code: "NotFound", message: "Subscription does not exist", status: 404
    )

    /// The tagging operations' missing resource (`ResourceNotFoundException`).
    public static let snsResourceNotFound = AWSError(
        code: "ResourceNotFound", message: "Resource does not exist", status: 404
    )

    public static let snsTagLimitExceeded = AWSError(
        code: "TagLimitExceeded", message: "Could not complete request: tag quota of per resource exceeded"
    )

    public static let snsEmptyBatchRequest = AWSError(
        code: "EmptyBatchRequest", message: "The batch request doesn't contain any entries"
    )

    public static let snsTooManyEntriesInBatchRequest = AWSError(
        code: "TooManyEntriesInBatchRequest", message: "The batch request contains more entries than permissible."
    )

    public static let snsBatchEntryIdsNotDistinct = AWSError(
        code: "BatchEntryIdsNotDistinct", message: "Two or more batch entries in the request have the same Id."
    )

    public static let snsInvalidBatchEntryId = AWSError(
        code: "InvalidBatchEntryId",
        message: "The Id of a batch entry in a batch request doesn't abide by the specification."
    )

    public static let snsBatchRequestTooLong = AWSError(
        code: "BatchRequestTooLong", message: "The length of all the messages put together is more than the limit."
    )

    /// A failure of the service itself (a storage error while publishing), `InternalError` 500.
    public static func snsInternalError(_ message: String) -> AWSError {
        AWSError(code: "InternalError", message: message, status: 500, fault: .server)
    }
}
