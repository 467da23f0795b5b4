import Foundation
import SluiceCore

/// The platform's lines around an invocation in the function's log, and the `LogType: Tail` excerpt that AWS
/// takes from the same log (`reference/runtime-api.md` §2.5, §3).
extension FunctionInvoker {
    /// What the invoker knows of one invocation when it ends.
    struct LoggedInvocation {
        var requestID: String
        var function: FunctionConfiguration
        var environment: ExecutionEnvironment
        var outcome: InvocationOutcome
        /// When the invoker handed the invocation over (the runtime may have taken it later, after its init).
        var invokedAt: ContinuousClock.Instant
        /// When the environment was launched, for a cold start.
        var launchedAt: ContinuousClock.Instant?
        /// The output position before the invocation (init output included on a cold start).
        var outputStart: Int
    }

    /// Writes `END` and `REPORT` (and `START` if the runtime never took the invocation) to the log and returns the
    /// last 4 KB of this invocation's part of it.
    static func finishLog(_ invocation: LoggedInvocation) -> [UInt8] {
        let environment = invocation.environment
        let id = invocation.requestID
        let now = ContinuousClock.now
        let output = environment.output.output(since: invocation.outputStart)
        let handOut = environment.handOut(of: id)
        let start = FunctionLogLine.start(requestId: id, version: invocation.function.version)
        if handOut == nil { environment.log.start(requestId: id, version: invocation.function.version) }
        var notes: [String] = []
        if case .exited(let exit) = invocation.outcome {
            notes = [
                InvocationErrorPayload.exited(requestID: id, exit: exit)["errorMessage"] ?? "", "Runtime.ExitError",
            ]
        }
        for note in notes { environment.log.note(note) }
        let duration: Duration =
            invocation.outcome == .timedOut
            ? .seconds(invocation.function.timeout) : now - (handOut?.at ?? invocation.invokedAt)
        let report = InvocationLogReport(
            duration: duration, memorySizeMB: invocation.function.memorySize,
            maxMemoryUsedMB: environment.peakMemoryMegabytes,
            initDuration: invocation.launchedAt.map { (handOut?.at ?? now) - $0 }, status: status(invocation.outcome)
        )
        environment.log.end(requestId: id, report: report)
        // The tail reads as the log does: init output, START, the handler's output, notes, END, REPORT.
        let split = handOut.map { min(max($0.outputPosition - invocation.outputStart, 0), output.count) } ?? 0
        var tail = Array(output[..<split]) + Array((start + "\n").utf8)
        tail += output[split...]
        if let last = tail.last, last != UInt8(ascii: "\n") { tail.append(UInt8(ascii: "\n")) }
        for line in notes + [FunctionLogLine.end(requestId: id), FunctionLogLine.report(requestId: id, report)] {
            tail += Array((line + "\n").utf8)
        }
        return Array(tail.suffix(OutputCapture.tailBytes))
    }

    private static func status(_ outcome: InvocationOutcome) -> InvocationLogReport.Status {
        switch outcome {
        case .response, .error, .responseTooLarge, .shutDown, .notTaken: .success
        case .timedOut: .timeout
        case .exited: .error(errorType: "Runtime.ExitError")
        case .initError(let body):
            .error(
                errorType: (try? JSONDecoder().decode(ErrorType.self, from: Data(body)))?.errorType ?? "Runtime.Unknown"
            )
        }
    }

    private struct ErrorType: Decodable {
        var errorType: String
    }
}
