/// What the `REPORT` line of one invocation says (`reference/runtime-api.md` §2.5): its duration, the function's
/// memory, the process's peak memory and, on a cold start, how long the environment took to initialise.
public struct InvocationLogReport: Sendable, Equatable {
    /// How the invocation ended, as AWS appends it to the `REPORT` line of a failed invocation
    /// (`Status: timeout`, `Status: error\tError Type: Runtime.ExitError`).
    public enum Status: Sendable, Equatable {
        case success
        case timeout
        case error(errorType: String)
    }

    /// The invocation, from handing the event to the runtime to its response, error or end.
    public var duration: Duration
    public var memorySizeMB: Int
    /// The runtime process's peak resident memory (``ProcessMemory/peakMegabytes(processID:)``).
    public var maxMemoryUsedMB: Int
    /// Set on the first invocation of an environment: from launching the process to its first `next`.
    public var initDuration: Duration?
    public var status: Status

    public init(
        duration: Duration, memorySizeMB: Int, maxMemoryUsedMB: Int, initDuration: Duration? = nil,
        status: Status = .success
    ) {
        self.duration = duration
        self.memorySizeMB = memorySizeMB
        self.maxMemoryUsedMB = maxMemoryUsedMB
        self.initDuration = initDuration
        self.status = status
    }

    /// The billed milliseconds: the duration plus the init duration, rounded up to the millisecond, at least 1.
    ///
    /// Since August 2025 AWS bills the init phase of every function (it already did for custom runtimes), so a cold
    /// start's `Billed Duration` covers both: recorded lines read `Duration: 3000.00 ms`, `Init Duration: 67.49 ms`,
    /// `Billed Duration: 3068 ms`.
    public var billedDurationMilliseconds: Int {
        let billed = Self.clamped(duration) + Self.clamped(initDuration ?? .zero)
        let (seconds, attoseconds) = billed.components
        let milliseconds = Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        return max(1, milliseconds)
    }

    private static func clamped(_ duration: Duration) -> Duration { max(duration, .zero) }
}
