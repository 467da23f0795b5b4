import Foundation
import Testing

@testable import SluiceRuntime

/// `Max Memory Used`: the peak resident memory of the runtime process.
@Suite struct ProcessMemoryTests {
    @Test(arguments: [
        ("Name:\tpython3\nVmPeak:\t  30000 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1000 kB\n", 2),
        ("VmHWM:\t    2049 kB\n", 3),
        ("VmHWM:\t       1 kB\n", 1),
        ("Name:\tzombie\nState:\tZ (zombie)\n", 0),
        ("VmHWM:\t  lots kB\n", 0),
    ])
    func peakIsVmHWMInMegabytesRoundedUp(status: String, megabytes: Int) {
        #expect(ProcessMemory.peakMegabytes(status: status) == megabytes)
    }

    @Test func peakOfARealProcessCoversWhatItTouched() throws {
        // 48 MiB written (not just reserved), then it waits on stdin until the test has read its status.
        let script = "import sys\nb = b'x' * (48 * 1024 * 1024)\nprint('ready', flush=True)\nsys.stdin.read()\n"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        #expect(String(decoding: seen, as: UTF8.self) == "ready\n")
        let peak = ProcessMemory.peakMegabytes(processID: process.processIdentifier)
        #expect(peak >= 48)
        #expect(peak < 1024)
    }

    @Test func peakOfNoProcessIsZero() {
        #expect(ProcessMemory.peakMegabytes(processID: 0) == 0)
        #expect(ProcessMemory.peakMegabytes(processID: Int32.max) == 0)
    }
}
