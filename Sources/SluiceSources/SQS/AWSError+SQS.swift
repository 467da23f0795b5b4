import SluiceCore

/// The SQS errors, with the codes of the JSON protocol (botocore sqs model; the HTTP layer maps them to the legacy
/// query codes for `x-amzn-query-error`, `reference/wire-protocols.md` §3) and AWS's messages where recorded.
extension AWSError {
    /// `The specified queue does not exist.` (recorded, §3).
    public static let queueDoesNotExist = AWSError(
        code: "QueueDoesNotExist", message: "The specified queue does not exist.")

    public static func queueNameExists(attribute: String) -> AWSError {
        AWSError(
            code: "QueueNameExists",
            message: "A queue already exists with the same name and a different value for attribute \(attribute)"
        )
    }

    /// `Unknown Attribute <name>.`
    public static func invalidAttributeName(_ message: String) -> AWSError {
        AWSError(code: "InvalidAttributeName", message: message)
    }

    /// `Invalid value for the parameter <name>.` and the RedrivePolicy reasons.
    public static func invalidAttributeValue(_ message: String) -> AWSError {
        AWSError(code: "InvalidAttributeValue", message: message)
    }

    public static func missingParameter(_ name: String) -> AWSError {
        AWSError(code: "MissingRequiredParameterException", message: "The request must contain the parameter \(name).")
    }

    /// `Value <v> for parameter <name> is invalid. Reason: <reason>`, the form of SQS's parameter errors.
    public static func invalidParameter(_ name: String, value: String, reason: String) -> AWSError {
        .invalidParameterValue("Value \(value) for parameter \(name) is invalid. Reason: \(reason)")
    }

    public static func receiptHandleIsInvalid(_ handle: String) -> AWSError {
        AWSError(
            code: "ReceiptHandleIsInvalid",
            message: "The input receipt handle \"\(handle)\" is not a valid receipt handle."
        )
    }

    /// A receipt handle whose message was deleted or received again (ChangeMessageVisibility).
    public static func receiptHandleNotAvailable(_ handle: String) -> AWSError {
        .invalidParameter(
            "ReceiptHandle", value: handle,
            reason: "Message does not exist or is not available for visibility timeout change."
        )
    }

    /// The message of the current receipt handle is visible again (ChangeMessageVisibility).
    public static let messageNotInflight = AWSError(code: "MessageNotInflight", message: "Message is not in flight.")

    public static func batchEntryIdsNotDistinct(_ id: String) -> AWSError {
        AWSError(code: "BatchEntryIdsNotDistinct", message: "Id \(id) repeated.")
    }

    public static func tooManyEntriesInBatchRequest(_ count: Int) -> AWSError {
        AWSError(
            code: "TooManyEntriesInBatchRequest",
            message: "Maximum number of entries per request are 10. You have sent \(count)."
        )
    }

    /// `There should be at least one <EntryShape> in the request.`
    public static func emptyBatchRequest(entry: String) -> AWSError {
        AWSError(code: "EmptyBatchRequest", message: "There should be at least one \(entry) in the request.")
    }

    public static let invalidBatchEntryId = AWSError(
        code: "InvalidBatchEntryId",
        message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
            + "It can be at most 80 letters long."
    )

    public static func batchRequestTooLong(size: Int, limit: Int) -> AWSError {
        AWSError(
            code: "BatchRequestTooLong",
            message: "Batch requests cannot be longer than \(limit) bytes. You have sent \(size) bytes."
        )
    }

    public static func purgeQueueInProgress(queue: String) -> AWSError {
        AWSError(
            code: "PurgeQueueInProgress",
            message: "Only one PurgeQueue operation on \(queue) is allowed every 60 seconds.", status: 403
        )
    }

    public static func invalidMessageContents() -> AWSError {
        AWSError(
            code: "InvalidMessageContents",
            message: "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
                + "#xE000 to #xFFFD | #x10000 to #x10FFFF"
        )
    }

    public static func unsupportedOperation(_ message: String) -> AWSError {
        AWSError(code: "UnsupportedOperation", message: message)
    }
}
