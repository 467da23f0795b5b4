import Foundation
import Synchronization
import Testing

@testable import SluiceRuntime

/// The capture hands every byte of a real process's output to its sink, beyond the in-memory window.
@Suite struct OutputCaptureSinkTests {
    /// Runs `script` with `/bin/sh`, stdout and stderr on one pipe as an execution environment has them, and returns
    /// what the sink received and what the capture kept, once the process has exited and the pipe is drained.
    static func capture(_ script: String) throws -> (sink: [UInt8], kept: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let received = Mutex<[UInt8]>([])
        try process.run()
        let reader = dup(pipe.fileHandleForReading.fileDescriptor)
        try pipe.fileHandleForReading.close()
        try pipe.fileHandleForWriting.close()
        let capture = OutputCapture(descriptor: reader) { chunk in received.withLock { $0 += chunk } }
        process.waitUntilExit()
        // The process is gone: what it wrote is in the pipe or already read; drain reads the rest to end of file.
        capture.drain()
        return (received.withLock { $0 }, capture.output(since: 0))
    }

    @Test func sinkReceivesAllOutputOfAProcessInOrder() throws {
        // About 200 KB, stdout and stderr alternating: more than the pipe buffer and the 64 KB window.
        let script = """
            i=0
            while [ $i -lt 3000 ]; do
                printf 'out %05d the quick brown fox jumps over the lazy dog\\n' $i
                printf 'err %05d\\n' $i >&2
                i=$((i+1))
            done
            printf 'no newline at the end'
            """
        let (sink, kept) = try Self.capture(script)
        var expected = ""
        for i in 0..<3000 {
            let number = String(repeating: "0", count: 5 - String(i).count) + String(i)
            expected += "out \(number) the quick brown fox jumps over the lazy dog\nerr \(number)\n"
        }
        expected += "no newline at the end"
        #expect(sink.count == expected.utf8.count)
        #expect(String(decoding: sink, as: UTF8.self) == expected)
        #expect(kept.count == OutputCapture.retainedBytes)
        #expect(kept == Array(sink.suffix(OutputCapture.retainedBytes)))
    }

    @Test func sinkFeedsAFunctionLog() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = FunctionLogs(directory: root)
        let stream = logs.stream(functionArn: "arn:aws:lambda:us-east-1:000000000000:function:printer")
        stream.start(requestId: "r1", version: "$LATEST")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf 'hello\\n'; printf 'partial' >&2; printf ' line\\n'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = dup(pipe.fileHandleForReading.fileDescriptor)
        try pipe.fileHandleForReading.close()
        try pipe.fileHandleForWriting.close()
        let capture = OutputCapture(descriptor: reader, sink: stream.append)
        process.waitUntilExit()
        capture.drain()
        stream.end(
            requestId: "r1",
            report: InvocationLogReport(duration: .milliseconds(5), memorySizeMB: 128, maxMemoryUsedMB: 3))
        let file = logs.fileURL(region: "us-east-1", functionName: "printer")!
        #expect(
            try String(decoding: Data(contentsOf: file), as: UTF8.self)
                == "START RequestId: r1 Version: $LATEST\nhello\npartial line\nEND RequestId: r1\n"
                + "REPORT RequestId: r1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 3 MB\t\n"
        )
    }
}
