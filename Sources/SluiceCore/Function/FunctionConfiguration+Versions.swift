/// The forms a configuration takes once versions exist: a published version, and the configuration as a qualified
/// read shows it.
extension FunctionConfiguration {
    /// `arn:aws:lambda:<region>:<account>:function:<name>` whatever qualifier `FunctionArn` carries.
    public var unqualifiedFunctionArn: String {
        functionArn.split(separator: ":", omittingEmptySubsequences: false).prefix(7).joined(separator: ":")
    }

    /// Version `number` of this (`$LATEST`) configuration: frozen code and settings, its own RevisionId,
    /// `FunctionArn` qualified with the number, `Description` replaced when PublishVersion gives one.
    public func published(number: Int, description: String?, revisionId: String) -> FunctionConfiguration {
        var version = self
        version.version = String(number)
        version.functionArn = unqualifiedFunctionArn + ":\(number)"
        version.revisionId = revisionId
        if let description { version.description = description }
        version.lastUpdateStatusReason = nil
        version.lastUpdateStatusReasonCode = nil
        return version
    }

    /// The configuration as a read names it: `FunctionArn` as the caller qualified it (`…:f:prod` for an alias
    /// read, whose `Version` stays the number it resolves to; recorded).
    public func named(arn: String) -> FunctionConfiguration {
        var named = self
        named.functionArn = arn
        return named
    }

    /// The response of UpdateFunctionCode with `Publish`: the new version while it is being created (recorded
    /// `Pending`, `Creating`).
    public func publishing() -> FunctionConfiguration {
        var shown = self
        shown.state = "Pending"
        shown.stateReason = "The function is being created."
        shown.stateReasonCode = "Creating"
        return shown
    }
}
