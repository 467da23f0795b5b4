/// Why an invocation was throttled: the `Reason` of Lambda's TooManyRequestsException (`reference/runtime-api.md`
/// §3).
public enum ThrottleReason: String, Sendable, Equatable {
    /// The function's reserved concurrency (PutFunctionConcurrency) is in use.
    case reservedFunctionConcurrency = "ReservedFunctionConcurrentInvocationLimitExceeded"
    /// Every execution environment Sluice may run (`--max-environments`) is busy.
    case concurrentInvocations = "ConcurrentInvocationLimitExceeded"
}
