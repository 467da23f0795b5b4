import Synchronization

/// The log of one execution environment: the process's output and the platform's lines around each invocation
/// (`reference/runtime-api.md` §2.5), written to the function's file (``FunctionLogs``).
///
/// Output is written by whole lines: a partial line waits for its newline, and is ended with one when a platform
/// line follows (``start(requestId:version:)``, ``end(requestId:report:)``, ``note(_:)``, ``flush()``) or when it
/// grows past 256 KiB (CloudWatch's event size). Each call is one write to the shared file, so lines of concurrent
/// environments never mix.
public final class FunctionLogStream: Sendable {
    /// The longest partial line held back.
    static let maximumLineBytes = 256 * 1024

    private let writer: LogFileWriter?
    private let pending = Mutex<[UInt8]>([])

    init(writer: LogFileWriter?) {
        self.writer = writer
    }

    /// Process output, as read from its pipe (``OutputCapture``'s sink).
    public func append(_ bytes: [UInt8]) {
        guard let writer, !bytes.isEmpty else { return }
        pending.withLock { pending in
            if let newline = bytes.lastIndex(of: Self.newline) {
                var lines = pending
                pending = []
                lines.append(contentsOf: bytes[...newline])
                pending.append(contentsOf: bytes[(newline + 1)...])
                writer.write(lines)
            } else {
                pending.append(contentsOf: bytes)
            }
            if pending.count >= Self.maximumLineBytes {
                pending.append(Self.newline)
                writer.write(pending)
                pending = []
            }
        }
    }

    /// `START RequestId: <id> Version: <version>`.
    public func start(requestId: String, version: String) {
        write([FunctionLogLine.start(requestId: requestId, version: version)])
    }

    /// `END RequestId: <id>` and the `REPORT` line.
    public func end(requestId: String, report: InvocationLogReport) {
        write([FunctionLogLine.end(requestId: requestId), FunctionLogLine.report(requestId: requestId, report)])
    }

    /// A platform line, e.g. the timeout message or the runtime's exit (`RequestId: <id> Error: Runtime exited…`).
    public func note(_ line: String) {
        write([line])
    }

    /// Writes a partial line that waits for its newline (e.g. when the environment stops), ending it with one.
    public func flush() {
        write([])
    }

    private static let newline = UInt8(ascii: "\n")

    /// The partial line (ended), then `lines`, in one write.
    private func write(_ lines: [String]) {
        guard let writer else { return }
        pending.withLock { pending in
            var bytes = pending
            pending = []
            if !bytes.isEmpty { bytes.append(Self.newline) }
            for line in lines {
                bytes.append(contentsOf: line.utf8)
                bytes.append(Self.newline)
            }
            writer.write(bytes)
        }
    }
}
