/// The Lambda errors Sluice answers with, with the status and message casing of the Lambda model
/// (`reference/esm-api.md` §5, §6).
extension AWSError {
    public static func invalidParameterValue(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameterValueException", message: message)
    }

    public static func validation(_ message: String) -> AWSError {
        AWSError(code: "ValidationException", message: message)
    }

    public static func resourceNotFound(_ message: String) -> AWSError {
        AWSError(code: "ResourceNotFoundException", message: message, status: 404, messageKey: .capitalized)
    }

    public static func resourceConflict(_ message: String) -> AWSError {
        AWSError(code: "ResourceConflictException", message: message, status: 409)
    }

    public static func resourceInUse(_ message: String) -> AWSError {
        AWSError(code: "ResourceInUseException", message: message, messageKey: .capitalized)
    }

    public static func invalidRequestContent(_ message: String) -> AWSError {
        AWSError(code: "InvalidRequestContentException", message: message)
    }

    public static func requestEntityTooLarge(limit: Int, operation: String) -> AWSError {
        AWSError(
            code: "RequestEntityTooLargeException",
            message: "Request must be smaller than \(limit) bytes for the \(operation) operation",
            status: 413
        )
    }

    /// Throttling (`reference/runtime-api.md` §3): `Rate Exceeded.` with the limit named in `Reason`, and
    /// `Retry-After` in seconds.
    public static func tooManyRequests(reason: String, retryAfterSeconds: Int = 1) -> AWSError {
        AWSError(
            code: "TooManyRequestsException", message: "Rate Exceeded.", status: 429,
            extraMembers: ["Reason": reason], extraHeaders: ["Retry-After": String(retryAfterSeconds)]
        )
    }

    public static func unknownOperation() -> AWSError {
        AWSError(code: "UnknownOperationException", message: "Unknown operation", status: 404)
    }

    public static func service(_ message: String) -> AWSError {
        AWSError(code: "ServiceException", message: message, status: 500, fault: .server, messageKey: .capitalized)
    }

    /// The mapping named by a UUID does not exist (recorded text).
    public static let mappingNotFound = AWSError.resourceNotFound("The resource you requested does not exist.")

    /// `Function not found: <arn>` (recorded, GetFunction / DeleteFunction / Invoke).
    public static func functionNotFound(arn: String) -> AWSError {
        .resourceNotFound("Function not found: \(arn)")
    }
}

/// Authentication errors of JSON and REST services (`reference/wire-protocols.md` §6).
extension AWSError {
    public static let invalidSignature = AWSError(
        code: "InvalidSignatureException",
        message: "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        status: 403
    )

    public static let unrecognizedClient = AWSError(
        code: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
        status: 403
    )

    public static let missingAuthenticationToken = AWSError(
        code: "MissingAuthenticationTokenException",
        message: "Missing Authentication Token",
        status: 403
    )
}
