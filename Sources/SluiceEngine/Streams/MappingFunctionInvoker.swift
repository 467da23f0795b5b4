/// How a stream mapping invokes its function: synchronously (`InvocationType=RequestResponse`), with the mapping's
/// `FunctionArn` and its qualifier (`reference/semantics.md`, opening and §3). A port: the runtime's
/// `FunctionInvocations` implements it in the server; tests script it.
public protocol MappingFunctionInvoker: Sendable {
    /// Invokes the function once with `payload` and reports what happened; never throws: an invocation that could
    /// not be made is an outcome too.
    ///
    /// - Parameters:
    ///   - functionArn: the mapping's `FunctionArn`, qualified or not.
    ///   - payload: the event, as the function receives it.
    func invoke(functionArn: String, payload: [UInt8]) async -> StreamInvocationOutcome
}

/// The outcome of one synchronous invocation as a stream poller sees it (`reference/semantics.md` §3, the outcome
/// table).
public enum StreamInvocationOutcome: Sendable, Equatable {
    /// The function ran. `functionError` is the `X-Amz-Function-Error` value (`"Unhandled"`: an error, a timeout, a
    /// crash, an oversized response), `nil` when it returned; `body` is the response payload (read for
    /// batch-item failures only when the function returned).
    case invoked(requestId: String, executedVersion: String, functionError: String?, body: [UInt8])
    /// The invocation was not made: throttled (429), the function is missing or inactive, a service error. Retried
    /// with backoff and never counted as an attempt.
    case notInvoked(reason: String)
}

extension StreamInvocationOutcome {
    /// The `notInvoked` reason of a throttled invocation: the code of AWS's 429 error. Invokers report throttling
    /// with this reason so it counts as a throttle (``MappingMetrics``).
    public static let throttledReason = "TooManyRequestsException"

    /// Whether the invocation was not made because the function was throttled (the Throttles metric).
    public var isThrottled: Bool {
        if case .notInvoked(let reason) = self { return reason == Self.throttledReason }
        return false
    }
}
