import Foundation

/// What an invocation returns to the Invoke API (`reference/runtime-api.md` §2.3, §3).
public enum InvocationResult: Sendable, Equatable {
    /// The bytes the runtime posted to `/response`.
    case success([UInt8])
    /// `X-Amz-Function-Error` (`Unhandled`) and the error object as the payload.
    case functionError(type: String, payload: [UInt8])
}

/// An invocation's result with what the runtime layer saw of it.
public struct InvocationReport: Sendable {
    public var result: InvocationResult
    /// The last 4 KB of the process output written during this invocation (for LogType=Tail, §3).
    public var logTail: [UInt8]
    /// The runtime process that ran it.
    public var processID: Int32
    /// Whether the environment had to be started for it.
    public var coldStart: Bool
}

/// The error objects Lambda itself produces (§1.2, §2.3).
enum InvocationErrorPayload {
    static let unhandled = "Unhandled"

    static func result(of outcome: InvocationOutcome, requestID: String, timeoutSeconds: Int) -> InvocationResult?
    {
        switch outcome {
        case .response(let bytes): return .success(bytes)
        case .error(let bytes), .initError(let bytes): return .functionError(type: unhandled, payload: bytes)
        case .responseTooLarge: return error(responseTooLarge)
        case .timedOut: return error(timedOut(requestID: requestID, seconds: timeoutSeconds))
        case .exited(let exit): return error(exited(requestID: requestID, exit: exit))
        case .shutDown, .notTaken: return nil
        }
    }

    static func error(_ object: [String: String]) -> InvocationResult {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        let data = try? JSONSerialization.data(withJSONObject: object, options: options)
        return .functionError(type: unhandled, payload: Array(data ?? Data()))
    }

    static let responseTooLarge = [
        "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
    ]

    /// The current recorded format (2025-11): `Sandbox.Timedout`, `RequestId: <id> Error: Task timed out after
    /// 3.00 seconds` (§2.3; the older `<date> <id> Task timed out…` message is what the log line still says).
    static func timedOut(requestID: String, seconds: Int) -> [String: String] {
        [
            "errorType": "Sandbox.Timedout",
            "errorMessage": "RequestId: \(requestID) Error: Task timed out after \(seconds).00 seconds",
        ]
    }

    /// `Runtime.ExitError` (§2.3), with Go's wording for the exit (`exit status N`, `signal: killed`).
    static func exited(requestID: String, exit: ProcessExit) -> [String: String] {
        let reason: String
        switch exit {
        case .status(0): reason = "Runtime exited without providing a reason"
        case .status(let status): reason = "Runtime exited with error: exit status \(status)"
        case .signal(let signal): reason = "Runtime exited with error: signal: \(signalName(signal))"
        }
        return ["errorType": "Runtime.ExitError", "errorMessage": "RequestId: \(requestID) Error: \(reason)"]
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 6: "aborted"
        case 9: "killed"
        case 11: "segmentation fault"
        case 15: "terminated"
        default: "signal \(signal)"
        }
    }

    /// A `provided` zip without an executable `bootstrap` (AWS: `Runtime.InvalidEntrypoint`).
    static func invalidEntrypoint(requestID: String, taskRoot: String) -> InvocationResult {
        error([
            "errorType": "Runtime.InvalidEntrypoint",
            "errorMessage": "RequestId: \(requestID) Error: Couldn't find valid bootstrap(s): [\(taskRoot)/bootstrap]",
        ])
    }
}
