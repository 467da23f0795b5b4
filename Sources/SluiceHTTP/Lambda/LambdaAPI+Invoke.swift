import Foundation
import SluiceCore
import SluiceRuntime

/// Invoke: `POST /2015-03-31/functions/{name}/invocations` (`reference/runtime-api.md` §3).
extension LambdaAPI {
    /// The largest payload of a synchronous invocation (6 MB).
    static let maximumSyncPayloadBytes = 6_291_456
    /// The largest payload of an `Event` invocation (1 MB, current model docs).
    static let maximumEventPayloadBytes = 1_048_576
    /// The largest `X-Amz-Client-Context` (model).
    static let maximumClientContextBytes = 3583

    func invoke(_ name: String, _ request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let reference = try Self.function(name, request, identity: identity)
        guard reference.region == identity.region else {
            throw AWSError.resourceNotFound(
                "Functions from '\(reference.region)' are not reachable in this region ('\(identity.region)')"
            )
        }
        let invocationType = request.header("x-amz-invocation-type") ?? "RequestResponse"
        let logType = request.header("x-amz-log-type") ?? "None"
        var errors = ValidationErrors()
        errors.checkEnum(invocationType, ["Event", "RequestResponse", "DryRun"], path: "invocationType")
        errors.checkEnum(logType, ["None", "Tail"], path: "logType")
        try errors.throwIfAny()
        let limit = invocationType == "Event" ? Self.maximumEventPayloadBytes : Self.maximumSyncPayloadBytes
        guard request.body.count <= limit else {
            throw AWSError(
                code: "RequestTooLargeException",
                message: "Request must be smaller than \(limit) bytes for the InvokeFunction operation", status: 413
            )
        }
        // No payload reaches the function as `{}`, as the console and the CLI invoke it.
        let payload = request.body.isEmpty ? Array("{}".utf8) : request.body
        try Self.checkJSON(payload)
        let clientContext = try Self.clientContext(request.header("x-amz-client-context"))
        let requestId = RequestID.current ?? RequestID.next()
        switch invocationType {
        case "DryRun":
            try await invocations.check(reference)
            return .empty(status: 204)
        case "Event":
            try await invocations.enqueue(reference, payload: payload, requestId: requestId)
            return .empty(status: 202)
        default:
            let output = try await invocations.invoke(
                reference, payload: payload, requestId: requestId, clientContext: clientContext
            )
            var headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", output.executedVersion)]
            let body: [UInt8]
            switch output.result {
            case .success(let bytes):
                body = bytes
            case .functionError(let type, let payload):
                headers.append(("X-Amz-Function-Error", type))
                body = payload
            }
            if logType == "Tail" {
                headers.append(("X-Amz-Log-Result", Data(output.logTail).base64EncodedString()))
            }
            return OutgoingResponse(status: 200, headers: headers, body: body)
        }
    }

    /// The payload must be JSON (any value), as Lambda parses it before invoking.
    static func checkJSON(_ payload: [UInt8]) throws(AWSError) {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw .invalidRequestContent(
                "Could not parse request body into json: Could not parse payload into json: \(detail)"
            )
        }
    }

    /// `X-Amz-Client-Context`: base64 of a JSON object, handed to the runtime decoded.
    static func clientContext(_ header: String?) throws(AWSError) -> String? {
        guard let header else { return nil }
        var errors = ValidationErrors()
        errors.checkLength(header, 0...maximumClientContextBytes, path: "clientContext")
        try errors.throwIfAny()
        guard let data = Data(base64Encoded: header),
            (try? JSONSerialization.jsonObject(with: data)) is [String: Any]
        else {
            throw .invalidRequestContent("Client context must be a valid Base64-encoded JSON object.")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
