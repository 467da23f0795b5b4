import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends to one function's log file; every stream of the function shares it, so a write (whole lines) is never
/// interleaved with another. When the next write would take the file past `maximumSize`, the file is renamed to
/// `<name>.log.1` (replacing the previous one) and a new file is started.
///
/// The file is opened at the first write and created with its directory then; it stays open for the life of the
/// writer (opened with `O_APPEND | O_CLOEXEC`, so runtime processes do not inherit it).
final class LogFileWriter: Sendable {
    struct State {
        var descriptor: Int32 = -1
        var size = 0
        var reportedFailure = false
    }

    let url: URL
    let maximumSize: Int
    private let logger: Logger?
    private let state = Mutex(State())

    init(url: URL, maximumSize: Int, logger: Logger?) {
        self.url = url
        self.maximumSize = maximumSize
        self.logger = logger
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Appends `bytes` as one write, rotating first when they would not fit.
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            if state.descriptor < 0 { openFile(&state) }
            if state.descriptor >= 0, state.size > 0, state.size + bytes.count > maximumSize { rotate(&state) }
            guard state.descriptor >= 0 else { return }
            state.size += writeAll(bytes, to: state.descriptor, state: &state)
        }
    }

    private func openFile(_ state: inout State) {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true
            )
        } catch {
            report("sluice.logs.directory.failed", errno: nil, state: &state)
            return
        }
        let descriptor = openForAppending(url.path)
        guard descriptor >= 0 else {
            report("sluice.logs.open.failed", errno: errno, state: &state)
            return
        }
        var status = stat()
        state.size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        state.descriptor = descriptor
    }

    private func rotate(_ state: inout State) {
        close(state.descriptor)
        state.descriptor = -1
        state.size = 0
        if rename(url.path, FunctionLogs.rotatedURL(url).path) != 0 {
            report("sluice.logs.rotate.failed", errno: errno, state: &state)
        }
        openFile(&state)
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32, state: inout State) -> Int {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                writeBytes(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                report("sluice.logs.write.failed", errno: errno, state: &state)
                break
            }
        }
        return written
    }

    /// Logs the first failure of this file only: a log directory that cannot be written would otherwise log once
    /// per line of function output.
    private func report(_ message: Logger.Message, errno code: Int32?, state: inout State) {
        guard !state.reportedFailure else { return }
        state.reportedFailure = true
        var metadata: Logger.Metadata = ["sluice.logs.file": "\(url.path)"]
        if let code { metadata["error.errno"] = "\(code)" }
        logger?.error(message, metadata: metadata)
    }
}

// At file scope: inside the class, `open` and `write` would find the methods of the same name.
private func openForAppending(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
}

private func writeBytes(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}
