/// The lines Lambda writes around each invocation in the function's log (`reference/runtime-api.md` §2.5), as
/// CloudWatch shows them:
///
/// ```
/// START RequestId: <id> Version: $LATEST
/// END RequestId: <id>
/// REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t
/// ```
///
/// A cold start adds `Init Duration: 123.45 ms\t` after `Max Memory Used`; a timeout or a runtime failure ends the
/// `REPORT` line with `Status: timeout` or `Status: error\tError Type: <type>` instead of the final tab (recorded
/// 2025 lines).
public enum FunctionLogLine {
    public static func start(requestId: String, version: String) -> String {
        "START RequestId: \(requestId) Version: \(version)"
    }

    public static func end(requestId: String) -> String {
        "END RequestId: \(requestId)"
    }

    public static func report(requestId: String, _ report: InvocationLogReport) -> String {
        var fields = [
            "REPORT RequestId: \(requestId)",
            "Duration: \(milliseconds(report.duration)) ms",
            "Billed Duration: \(report.billedDurationMilliseconds) ms",
            "Memory Size: \(report.memorySizeMB) MB",
            "Max Memory Used: \(report.maxMemoryUsedMB) MB",
        ]
        if let initDuration = report.initDuration {
            fields.append("Init Duration: \(milliseconds(initDuration)) ms")
        }
        switch report.status {
        case .success:
            fields.append("")
        case .timeout:
            fields.append("Status: timeout")
        case .error(let errorType):
            fields.append("Status: error")
            fields.append("Error Type: \(errorType)")
        }
        return fields.joined(separator: "\t")
    }

    /// `duration` in milliseconds with two decimals, rounded half up (`12.34`); negative durations read `0.00`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = max(duration, .zero).components
        // Hundredths of a millisecond are 10^13 attoseconds.
        let hundredths = Int(seconds) * 100_000 + Int((attoseconds + 5_000_000_000_000) / 10_000_000_000_000)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
