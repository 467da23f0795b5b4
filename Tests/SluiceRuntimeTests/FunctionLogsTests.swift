import Foundation
import Testing

@testable import SluiceRuntime

/// Per-function log files: paths, whole lines, platform lines, concurrent environments and rotation
/// (`reference/runtime-api.md` §2.5).
@Suite struct FunctionLogsTests {
    static let arn = "arn:aws:lambda:eu-west-1:000000000000:function:orders"
    static let report = InvocationLogReport(duration: .microseconds(2_350), memorySizeMB: 128, maxMemoryUsedMB: 48)

    /// A scratch `logs` directory, removed after `body`.
    func withLogs<T>(
        maximumFileSize: Int = FunctionLogs.defaultMaximumFileSize, _ body: (FunctionLogs, URL) throws -> T
    )
        throws -> T
    {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = FunctionLogs(directory: root.appendingPathComponent("logs"), maximumFileSize: maximumFileSize)
        return try body(logs, logs.fileURL(region: "eu-west-1", functionName: "orders")!)
    }

    static func contents(_ url: URL) throws -> String {
        try String(decoding: Data(contentsOf: url), as: UTF8.self)
    }

    @Test func fileIsPerRegionAndFunctionUnderTheDataDirectory() {
        let data = URL(fileURLWithPath: "/srv/sluice")
        let logs = FunctionLogs(directory: FunctionLogs.directory(dataDirectory: data))
        #expect(
            logs.fileURL(region: "eu-west-1", functionName: "orders")?.path == "/srv/sluice/logs/eu-west-1/orders.log")
        #expect(FunctionLogs.rotatedURL(URL(fileURLWithPath: "/l/orders.log")).path == "/l/orders.log.1")
    }

    @Test func functionIsANameOrAnArnWhoseRegionWins() {
        let logs = FunctionLogs(directory: URL(fileURLWithPath: "/d/logs"))
        #expect(logs.fileURL(function: "orders", defaultRegion: "us-east-2")?.path == "/d/logs/us-east-2/orders.log")
        #expect(logs.fileURL(function: Self.arn, defaultRegion: "us-east-2")?.path == "/d/logs/eu-west-1/orders.log")
        #expect(
            logs.fileURL(function: Self.arn + ":7", defaultRegion: "us-east-2")?.path == "/d/logs/eu-west-1/orders.log")
        #expect(
            logs.fileURL(function: "orders:prod", defaultRegion: "us-east-2")?.path == "/d/logs/us-east-2/orders.log")
    }

    @Test(arguments: [
        "../orders", "a/b", "", String(repeating: "x", count: 65), "arn:aws:sqs:us-east-1:000000000000:q",
    ])
    func notAFunctionHasNoFile(function: String) {
        let logs = FunctionLogs(directory: URL(fileURLWithPath: "/d/logs"))
        #expect(logs.fileURL(function: function, defaultRegion: "us-east-1") == nil)
        #expect(logs.fileURL(region: "us-east-1", functionName: function) == nil)
    }

    @Test func discardedLogsHaveNoFile() {
        let logs = FunctionLogs(directory: nil)
        #expect(logs.fileURL(region: "eu-west-1", functionName: "orders") == nil)
        #expect(logs.fileURL(function: Self.arn, defaultRegion: "us-east-1") == nil)
    }

    @Test func invocationIsFramedByStartEndAndReport() throws {
        try withLogs { logs, file throws in
            let stream = logs.stream(functionArn: Self.arn)
            stream.start(requestId: "r1", version: "$LATEST")
            stream.append(Array("hello\nworld\n".utf8))
            stream.end(requestId: "r1", report: Self.report)
            #expect(
                try Self.contents(file) == """
                    START RequestId: r1 Version: $LATEST
                    hello
                    world
                    END RequestId: r1
                    \(FunctionLogLine.report(requestId: "r1", Self.report))

                    """
            )
        }
    }

    @Test func partialLineWaitsForItsNewline() throws {
        try withLogs { logs, file throws in
            let stream = logs.stream(functionArn: Self.arn)
            stream.append(Array("first line\nsecond ".utf8))
            #expect(try Self.contents(file) == "first line\n")
            stream.append(Array("half".utf8))
            #expect(try Self.contents(file) == "first line\n")
            stream.append(Array(" done\nthird".utf8))
            #expect(try Self.contents(file) == "first line\nsecond half done\n")
        }
    }

    @Test func partialLineIsEndedBeforeThePlatformLines() throws {
        try withLogs { logs, file throws in
            let stream = logs.stream(functionArn: Self.arn)
            stream.append(Array("no newline".utf8))
            stream.end(requestId: "r1", report: Self.report)
            stream.append(Array("then more".utf8))
            stream.note("2025-01-01T00:00:00.000Z r2 Task timed out after 3.00 seconds")
            stream.append(Array("last".utf8))
            stream.flush()
            #expect(
                try Self.contents(file) == """
                    no newline
                    END RequestId: r1
                    \(FunctionLogLine.report(requestId: "r1", Self.report))
                    then more
                    2025-01-01T00:00:00.000Z r2 Task timed out after 3.00 seconds
                    last

                    """
            )
        }
    }

    @Test func overlongPartialLineIsWrittenAtTheLimit() throws {
        try withLogs { logs, file throws in
            let stream = logs.stream(functionArn: Self.arn)
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 100 * 1024)
            for _ in 0..<3 { stream.append(chunk) }
            let written = try Data(contentsOf: file)
            #expect(written.count == 300 * 1024 + 1)
            #expect(written.last == UInt8(ascii: "\n"))
        }
    }

    @Test func appendsToTheFileOfAnEarlierRun() throws {
        try withLogs { logs, file throws in
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("from before\n".utf8).write(to: file)
            logs.stream(functionArn: Self.arn).append(Array("from now\n".utf8))
            #expect(try Self.contents(file) == "from before\nfrom now\n")
        }
    }

    @Test func concurrentStreamsNeverInterleaveWithinALine() async throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = FunctionLogs(directory: root)
        let streamCount = 8
        let lineCount = 200
        // Lines of different lengths, some far longer than a pipe read, each naming its stream and number.
        let expected = (0..<streamCount).map { stream in
            (0..<lineCount).map { line in
                "stream \(stream) line \(line) "
                    + String(repeating: "0123456789", count: line % 20 == 0 ? 2_000 : line % 9 + 1)
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, lines) in expected.enumerated() {
                let stream = logs.stream(functionArn: Self.arn)
                group.addTask {
                    let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
                    // Cut at arbitrary points, as pipe reads are.
                    var start = 0
                    var size = index + 1
                    while start < bytes.count {
                        let end = min(bytes.count, start + size)
                        stream.append(Array(bytes[start..<end]))
                        start = end
                        size = size * 7 % 1_031 + 1
                        await Task.yield()
                    }
                }
            }
        }
        let file = logs.fileURL(region: "eu-west-1", functionName: "orders")!
        let written = try Self.contents(file).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(written.count == streamCount * lineCount)
        for (stream, lines) in expected.enumerated() {
            #expect(written.filter { $0.hasPrefix("stream \(stream) ") }.map(String.init) == lines)
        }
    }

    @Test func fileIsRotatedKeepingOnePreviousFile() throws {
        try withLogs(maximumFileSize: 1_000) { logs, file throws in
            let stream = logs.stream(functionArn: Self.arn)
            let lines = (0..<100).map { "line \($0) of the function's output, padded" }
            for line in lines { stream.append(Array((line + "\n").utf8)) }
            let rotated = FunctionLogs.rotatedURL(file)
            let current = try Data(contentsOf: file)
            let previous = try Data(contentsOf: rotated)
            #expect(current.count <= 1_000 && previous.count <= 1_000)
            #expect(previous.count > 1_000 - 50)
            // The two files hold the last lines, whole and in order; older files are gone.
            let kept = try (Self.contents(rotated) + Self.contents(file)).split(separator: "\n").map(String.init)
            #expect(kept == Array(lines.suffix(kept.count)))
            #expect(kept.count < lines.count)
            #expect(!FileManager.default.fileExists(atPath: file.path + ".2"))
        }
    }

    @Test func rotationCountsTheFileOfAnEarlierRun() throws {
        try withLogs(maximumFileSize: 1_000) { logs, file throws in
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let before = String(repeating: "b", count: 899) + "\n"
            try Data(before.utf8).write(to: file)
            logs.stream(functionArn: Self.arn).append(Array((String(repeating: "n", count: 199) + "\n").utf8))
            #expect(try Self.contents(FunctionLogs.rotatedURL(file)) == before)
            #expect(try Self.contents(file) == String(repeating: "n", count: 199) + "\n")
        }
    }

    @Test func streamsOfOneFunctionShareItsFile() throws {
        try withLogs { logs, file throws in
            logs.stream(functionArn: Self.arn).append(Array("one\n".utf8))
            logs.stream(functionArn: Self.arn + ":3").append(Array("two\n".utf8))
            logs.stream(functionArn: "arn:aws:lambda:eu-west-1:000000000000:function:other").append(Array("x\n".utf8))
            #expect(try Self.contents(file) == "one\ntwo\n")
        }
    }
}
