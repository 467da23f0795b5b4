import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a function's log as `sluice logs` prints it: the rotated file (`<name>.log.1`), then the current one, then,
/// when following, what is appended to it — across rotations (``FunctionLogs``).
///
/// Rotation is seen as a new file at the path: the old file, which the writer no longer touches once renamed, is
/// read to its end before the new one is opened, so nothing written before the rotation is lost. (Two rotations
/// between reads would skip the middle file; that is 16 MiB between two polls.)
public final class FunctionLogReader {
    public let url: URL
    private var descriptor: Int32 = -1
    private var file: (device: UInt64, inode: UInt64)?
    private var offset: off_t = 0

    /// - Parameter url: the current file (``FunctionLogs/fileURL(region:functionName:)``).
    public init(url: URL) {
        self.url = url
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Passes the rotated file's content, then the current file's, to `body` in chunks; the current file stays
    /// open for ``readAppended(_:)``.
    ///
    /// - Returns: whether there was a log: `false` when neither file exists.
    public func readExisting(_ body: ([UInt8]) throws -> Void) rethrows -> Bool {
        var found = false
        let rotated = open(FunctionLogs.rotatedURL(url).path, O_RDONLY | O_CLOEXEC)
        if rotated >= 0 {
            found = true
            defer { close(rotated) }
            try readToEnd(rotated, body)
        }
        if openCurrent() {
            found = true
            try readToEnd(descriptor, body)
        }
        return found
    }

    /// Passes what was appended since the last read to `body`; after a rotation, the end of the old file and then
    /// the new file. Passes nothing when nothing was appended (or there is no file yet).
    public func readAppended(_ body: ([UInt8]) throws -> Void) rethrows {
        if descriptor < 0 {
            if openCurrent() { try readToEnd(descriptor, body) }
            return
        }
        try readToEnd(descriptor, body)
        var status = stat()
        let replaced = stat(url.path, &status) != 0 || !isCurrentFile(status)
        if replaced {
            // Renamed away: the old file is complete now; read its end, then start on the new one.
            try readToEnd(descriptor, body)
            close(descriptor)
            descriptor = -1
            file = nil
            if openCurrent() { try readToEnd(descriptor, body) }
        } else if status.st_size < offset {
            // Truncated in place: start again from its beginning.
            offset = lseek(descriptor, 0, SEEK_SET)
            try readToEnd(descriptor, body)
        }
    }

    private func openCurrent() -> Bool {
        let opened = open(url.path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { return false }
        var status = stat()
        guard fstat(opened, &status) == 0 else {
            close(opened)
            return false
        }
        descriptor = opened
        file = (UInt64(status.st_dev), UInt64(status.st_ino))
        offset = 0
        return true
    }

    private func isCurrentFile(_ status: stat) -> Bool {
        guard let file else { return false }
        return file.device == UInt64(status.st_dev) && file.inode == UInt64(status.st_ino)
    }

    private func readToEnd(_ descriptor: Int32, _ body: ([UInt8]) throws -> Void) rethrows {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                if descriptor == self.descriptor { offset += off_t(count) }
                try body(Array(chunk[0..<count]))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
