import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a runtime process's merged stdout/stderr (its function log, `reference/runtime-api.md` §2.5) and keeps
/// the recent part, so each invocation can report the last 4 KB of its own output (LogType=Tail, §3).
///
/// All reads happen under the lock on a non-blocking descriptor: a reader thread reads when data arrives, and
/// ``drain()`` reads what is still in the pipe when an invocation ends, so output written before the runtime's
/// `/response` is never missed.
///
/// Every chunk read, by either path, also goes to the optional sink (the function's log file, `FunctionLogStream`),
/// in the order it was read: the sink is called under the same lock as the read.
public final class OutputCapture: Sendable {
    struct Buffer {
        var bytes: [UInt8] = []
        /// Bytes ever read; `bytes` holds the last ones.
        var total = 0
        var closed = false
    }

    /// How much output is kept in memory.
    static let retainedBytes = 64 * 1024
    /// AWS's LogType=Tail size (§3).
    public static let tailBytes = 4 * 1024

    private let descriptor: Int32
    private let buffer = Mutex(Buffer())
    private let sink: (@Sendable ([UInt8]) -> Void)?

    /// Starts reading `descriptor` (the read end of the process's output pipe), which the capture owns.
    ///
    /// - Parameters:
    ///   - descriptor: the pipe's read end; closed by the capture at end of file.
    ///   - sink: called with every chunk read, in order, under the capture's lock (it must not call back into the
    ///     capture). The in-memory window is kept either way.
    public init(descriptor: Int32, sink: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.descriptor = descriptor
        self.sink = sink
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let thread = Thread { [self] in self.readUntilClosed() }
        thread.name = "sluice-runtime-output"
        thread.start()
    }

    /// A position in the output, for ``output(since:)``.
    public var position: Int { buffer.withLock { $0.total } }

    /// Everything kept since `position` (at most the retained window), after reading what is in the pipe.
    public func output(since position: Int) -> [UInt8] {
        drain()
        return buffer.withLock { buffer in
            let count = min(buffer.total - position, buffer.bytes.count)
            return count > 0 ? Array(buffer.bytes.suffix(count)) : []
        }
    }

    /// Reads whatever the pipe holds now.
    public func drain() {
        buffer.withLock { readAvailable(into: &$0) }
    }

    private func readUntilClosed() {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            _ = poll(&poller, 1, -1)
            let closed = buffer.withLock { buffer in
                readAvailable(into: &buffer)
                return buffer.closed
            }
            if closed { break }
        }
        close(descriptor)
    }

    private func readAvailable(into buffer: inout Buffer) {
        guard !buffer.closed else { return }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                sink?(Array(chunk[0..<count]))
                buffer.bytes.append(contentsOf: chunk[0..<count])
                buffer.total += count
                if buffer.bytes.count > Self.retainedBytes {
                    buffer.bytes.removeFirst(buffer.bytes.count - Self.retainedBytes)
                }
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                buffer.closed = true
                return
            } else if errno == EAGAIN {
                return
            }
        }
    }
}
