/// The errors of versions, aliases and reserved concurrency, with AWS's texts (recorded in LocalStack's AWS
/// snapshots unless noted).
extension AWSError {
    /// A RevisionId that is not the current one (recorded: UpdateFunction*, PublishVersion, UpdateAlias).
    public static let revisionMismatch = AWSError(
        code: "PreconditionFailedException",
        message: "The Revision Id provided does not match the latest Revision Id. "
            + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
        status: 412,
        messageKey: .capitalized
    )

    /// A function-level operation given a version or an alias (recorded for PutFunctionConcurrency).
    public static let qualifierNotSupported = AWSError.invalidParameterValue(
        "This operation is permitted on Lambda functions only. Aliases and versions do not support this "
            + "operation. Please specify either a function name or an unqualified function ARN."
    )

    /// `Cannot find alias arn: <alias arn>` (recorded, GetAlias).
    public static func aliasNotFound(arn: String) -> AWSError {
        .resourceNotFound("Cannot find alias arn: \(arn)")
    }

    /// `Alias already exists: <alias arn>` (recorded, CreateAlias).
    public static func aliasExists(arn: String) -> AWSError {
        .resourceConflict("Alias already exists: \(arn)")
    }

    /// PublishVersion's CodeSha256 differs from `$LATEST`'s (LocalStack's text, believed AWS).
    public static func codeSha256Mismatch(given: String, latest: String) -> AWSError {
        .invalidParameterValue(
            "CodeSHA256 (\(given)) is different from current CodeSHA256 in $LATEST (\(latest)). "
                + "Please try again with the CodeSHA256 in $LATEST."
        )
    }

    /// DeleteFunction of a version an alias still points at (text of other emulators, believed AWS).
    public static func versionInUse(aliases: [String]) -> AWSError {
        .resourceConflict(
            "Unable to delete version because the following aliases reference it: [\(aliases.joined(separator: ", "))]"
        )
    }
}
