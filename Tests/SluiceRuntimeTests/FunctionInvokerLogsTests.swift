import Foundation
import SluiceCore
import Testing

@testable import SluiceRuntime

/// The function's log file: the process's output between START and END / REPORT, as Lambda writes it
/// (`reference/runtime-api.md` §2.5; issue 4, item 7).
@Suite struct FunctionInvokerLogsTests {
    typealias Fixtures = RuntimeFixtures

    static func logLines(_ root: URL, function: String = "fn") throws -> [String] {
        let url = root.appendingPathComponent("logs/eu-west-1/\(function).log")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    @Test func coldAndWarmInvocationsAreFramedByStartEndAndReport() async throws {
        try await withInvoker(logsInRoot: true) { invoker, root in
            let source =
                "print('init')\ndef handler(event, context):\n    print('handling', event['n'])\n    return 1\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            let code = try Fixtures.unpacked(zip)
            _ = try await invoker.invoke(
                function: function, codeDirectory: code, payload: Array(#"{"n":1}"#.utf8), requestId: "a")
            _ = try await invoker.invoke(
                function: function, codeDirectory: code, payload: Array(#"{"n":2}"#.utf8), requestId: "b")
            let lines = try Self.logLines(root)
            #expect(
                Array(lines[0..<4]) == [
                    "init", "START RequestId: a Version: $LATEST", "handling 1", "END RequestId: a",
                ])
            let cold =
                #"^REPORT RequestId: a\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\t"#
                + #"Max Memory Used: [1-9]\d* MB\tInit Duration: \d+\.\d\d ms\t$"#
            #expect(lines[4].range(of: cold, options: .regularExpression) != nil, "\(lines[4])")
            #expect(Array(lines[5..<8]) == ["START RequestId: b Version: $LATEST", "handling 2", "END RequestId: b"])
            #expect(lines[8].hasPrefix("REPORT RequestId: b\tDuration: ") && !lines[8].contains("Init Duration"))
            #expect(lines[8].hasSuffix(" MB\t"))
            #expect(lines.count == 10 && lines[9].isEmpty)
        }
    }

    @Test func aTimeoutReportsStatusTimeoutWithTheTimeoutAsDuration() async throws {
        try await withInvoker(logsInRoot: true) { invoker, root in
            let source = "import time\ndef handler(event, context):\n    time.sleep(5)\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(timeout: 1, zip: zip)
            _ = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: "t")
            let report = try #require(try Self.logLines(root).first { $0.hasPrefix("REPORT") })
            #expect(report.hasPrefix("REPORT RequestId: t\tDuration: 1000.00 ms\tBilled Duration: "))
            #expect(report.hasSuffix("\tStatus: timeout"))
        }
    }

    @Test func anExitMidInvokeIsNotedWithItsErrorType() async throws {
        try await withInvoker(logsInRoot: true) { invoker, root in
            let source = "import os\ndef handler(event, context):\n    print('bye')\n    os._exit(3)\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            _ = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: "x")
            let lines = try Self.logLines(root)
            #expect(
                Array(lines[0..<5]) == [
                    "START RequestId: x Version: $LATEST", "bye",
                    "RequestId: x Error: Runtime exited with error: exit status 3", "Runtime.ExitError",
                    "END RequestId: x",
                ])
            #expect(lines[5].hasSuffix("\tStatus: error\tError Type: Runtime.ExitError"))
        }
    }
}
