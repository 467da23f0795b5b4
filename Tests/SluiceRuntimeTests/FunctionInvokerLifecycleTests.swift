import Foundation
import Testing

@testable import SluiceRuntime

/// `provided` bootstraps, warm reuse and one environment per concurrent invocation (`reference/runtime-api.md` §2).
@Suite struct FunctionInvokerLifecycleTests {
    typealias Fixtures = RuntimeFixtures

    static let echoBootstrap = """
        #!/bin/bash
        set -euo pipefail
        API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
        HEADERS="$(mktemp)"
        while true; do
            EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
            ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
            echo "bash got $ID"
            curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT}"
        done

        """

    @Test func providedBashBootstrapEchoes() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.providedZip(Self.echoBootstrap, in: root)
            let function = try Fixtures.function(runtime: "provided.al2023", handler: "bootstrap", zip: zip)
            let id = Fixtures.requestID()
            let report = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array(#"{"a":1}"#.utf8),
                requestId: id
            )
            #expect(report.result == .success(Array(#"{"echo":{"a":1}}"#.utf8)))
            #expect(Fixtures.text(report.logTail).contains("bash got \(id)"))
            let second = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("[2]".utf8),
                requestId: Fixtures.requestID()
            )
            #expect(second.result == .success(Array(#"{"echo":[2]}"#.utf8)))
            #expect(second.processID == report.processID)
        }
    }

    @Test func providedWithoutBootstrapIsInvalidEntrypoint() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.zip([Fixtures.Entry(name: "readme.txt")], in: root)
            let function = try Fixtures.function(runtime: "provided.al2", handler: "bootstrap", zip: zip)
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: "id"
            )
            guard case .functionError("Unhandled", let payload) = result else { throw Failure.unexpected(result) }
            #expect(try Fixtures.object(payload)["errorType"] as? String == "Runtime.InvalidEntrypoint")
        }
    }

    @Test func concurrentInvokesGetOneEnvironmentEach() async throws {
        try await withInvoker { invoker, root in
            let source = "import os, time\ndef handler(event, context):\n    time.sleep(0.5)\n    return os.getpid()\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            async let first = invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            async let second = invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            let reports = try await [first, second]
            #expect(reports[0].processID != reports[1].processID)
            for report in reports {
                #expect(report.result == .success(Array(String(report.processID).utf8)))
            }
            #expect(await invoker.idleEnvironmentCount(for: function) == 2)
        }
    }

    @Test func warmEnvironmentIsReusedAndFaster() async throws {
        try await withInvoker { invoker, root in
            let source = "count = 0\ndef handler(event, context):\n    global count\n    count += 1\n    return count\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            let clock = ContinuousClock()
            var cold: InvocationReport?
            let coldTime = try await clock.measure {
                cold = try await invoker.invokeReporting(
                    function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                    requestId: Fixtures.requestID()
                )
            }
            var warm: InvocationReport?
            let warmTime = try await clock.measure {
                warm = try await invoker.invokeReporting(
                    function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                    requestId: Fixtures.requestID()
                )
            }
            #expect(cold?.result == .success(Array("1".utf8)) && cold?.coldStart == true)
            #expect(warm?.result == .success(Array("2".utf8)) && warm?.coldStart == false)
            #expect(warm?.processID == cold?.processID)
            #expect(warmTime < coldTime)
            var changed = function
            changed.memorySize = 256
            let other = try await invoker.invokeReporting(
                function: changed, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            #expect(other.coldStart && other.processID != cold?.processID)
        }
    }

    @Test func stoppingAnEnvironmentKillsWhatItStarted() async throws {
        let bootstrap = """
            #!/bin/bash
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            sleep 300 &
            CHILD=$!
            HEADERS="$(mktemp)"
            curl -sS -o /dev/null -D "$HEADERS" "$API/invocation/next"
            ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
            curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "$CHILD"
            sleep 300

            """
        let child = try await withInvoker { invoker, root in
            let zip = try Fixtures.providedZip(bootstrap, in: root)
            let function = try Fixtures.function(runtime: "provided", handler: "bootstrap", zip: zip)
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: "c")
            guard case .success(let bytes) = result, let child = Int32(Fixtures.text(bytes)) else {
                throw Failure.unexpected(result)
            }
            #expect(Self.isAlive(child))
            return child
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!Self.isAlive(child))
    }

    /// Running and not a zombie waiting to be reaped.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    @Test func shutDownStopsEveryProcess() async throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let invoker = FunctionInvoker(runtimeRoot: root)
        let zip = try Fixtures.pythonZip("def handler(event, context):\n    return 1\n", in: root)
        let report = try await invoker.invokeReporting(
            function: try Fixtures.function(zip: zip), codeDirectory: try Fixtures.unpacked(zip), payload: [],
            requestId: "x"
        )
        #expect(kill(report.processID, 0) == 0)
        await invoker.shutDown()
        #expect(kill(report.processID, 0) != 0)
        await #expect(throws: FunctionInvokerError.shutDown) {
            try await invoker.invoke(
                function: try Fixtures.function(zip: zip), codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: "y"
            )
        }
    }
}
