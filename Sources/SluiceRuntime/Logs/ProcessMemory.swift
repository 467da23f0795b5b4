#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A runtime process's peak memory, for the `Max Memory Used` of the `REPORT` line (`reference/runtime-api.md`
/// §2.5).
///
/// It is the peak resident set (`VmHWM` in `/proc/<pid>/status`) of the runtime process itself, since it started:
/// like AWS's figure it never decreases within an environment, but it leaves out processes the runtime starts.
public enum ProcessMemory {
    /// The peak resident memory of `processID` in MB (MiB), rounded up; 0 when it cannot be read (no `/proc`, the
    /// process is gone or is a zombie).
    public static func peakMegabytes(processID: Int32) -> Int {
        guard processID > 0, let status = readFile("/proc/\(processID)/status") else { return 0 }
        return peakMegabytes(status: status)
    }

    /// The `VmHWM:   <n> kB` line of a `/proc/<pid>/status` text, in MB rounded up; 0 without one.
    static func peakMegabytes(status: String) -> Int {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, fields[1] == "kB", let kilobytes = Int(fields[0]) else { return 0 }
            return (kilobytes + 1023) / 1024
        }
        return 0
    }

    /// A `/proc` file: its size reads as 0, so it is read until end of file.
    private static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil
            }
        }
    }
}
