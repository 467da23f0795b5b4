import SluiceCore
import Synchronization

/// A stream mapping's `LastProcessingResult` texts (`reference/esm-api.md` §4): `No records processed` until the
/// first invocation, `OK` after an invocation the function returned from, `PROBLEM: Function call failed` after a
/// function error, `PROBLEM: Function call throttled` when throttled, and `PROBLEM: <reason>` when the function could not be invoked or the stream could not be read
/// (free text on AWS; ours is the error's message, `docs/compatibility.md`).
public enum ProcessingResult {
    public static let initial = "No records processed"
    public static let ok = "OK"
    public static let functionCallFailed = "PROBLEM: Function call failed"
    public static let functionCallThrottled = "PROBLEM: Function call throttled"

    /// The text after an invocation outcome.
    public static func text(after outcome: StreamInvocationOutcome) -> String {
        switch outcome {
        case .invoked(_, _, nil, _): ok
        case .invoked: functionCallFailed
        case .notInvoked where outcome.isThrottled: functionCallThrottled
        case .notInvoked(let reason): "PROBLEM: \(reason)"
        }
    }

    /// The text after a failure to read the source.
    public static func problem(_ error: any Error) -> String {
        "PROBLEM: \((error as? AWSError)?.message ?? "\(error)")"
    }
}

/// Records a mapping's LastProcessingResult only when the text differs from the last one recorded, so that a mapping
/// that keeps succeeding writes once.
final class ProcessingResultReporter: Sendable {
    private let record: @Sendable (String) async -> Void
    private let lastRecorded = Mutex<String?>(nil)

    init(record: @escaping @Sendable (String) async -> Void) {
        self.record = record
    }

    func report(_ text: String) async {
        let changed = lastRecorded.withLock { last in
            defer { last = text }
            return last != text
        }
        if changed { await record(text) }
    }
}

/// Invokes through another invoker and reports each outcome's LastProcessingResult text.
struct ReportingInvoker: MappingFunctionInvoker {
    let invoker: any MappingFunctionInvoker
    let reporter: ProcessingResultReporter

    func invoke(functionArn: String, payload: [UInt8]) async -> StreamInvocationOutcome {
        let outcome = await invoker.invoke(functionArn: functionArn, payload: payload)
        await reporter.report(ProcessingResult.text(after: outcome))
        return outcome
    }
}
