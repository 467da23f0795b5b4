import SluiceCore

/// A service that answers query-protocol requests (`Action=<Op>&Version=…`, XML answers): the embedded SNS and the
/// legacy SQS protocol (`reference/wire-protocols.md` §4). The query counterpart of ``AWSJSONService``.
public protocol AWSQueryService: Sendable {
    var service: AWSService { get }

    /// Answers one action; throws `AWSError` (encoded by the caller with `AWSQuery.errorResponse`), or
    /// `AWSQuery.invalidAction` for an action it does not serve.
    func handle(action: String, request: IncomingRequest, identity: RequestIdentity) async throws -> OutgoingResponse
}

extension AWSQueryService {
    /// An XML answer to `action` carrying the request's id (the one in `x-amzn-RequestId`); `result` writes the members of `<ActionResult>`, `nil`
    /// leaves the result element out (actions without output).
    func respond(_ action: String, _ result: ((inout XMLWriter) -> Void)? = nil) -> OutgoingResponse {
        AWSQuery.response(action: action, service: service, requestID: RequestID.current ?? RequestID.next(), result: result)
    }

    /// A boolean parameter: `true` / `false` as botocore writes them; absent is `nil`.
    func boolean(_ parameters: AWSQuery.Parameters, _ name: String) -> Bool? {
        parameters[name].map { $0.lowercased() == "true" }
    }
}
