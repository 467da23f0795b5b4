import Foundation
import SluiceCore
import Testing

@testable import SluiceRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Reserved concurrency, the environment limit, retiring and reaping environments (issue 4, item 5).
@Suite struct FunctionInvokerLimitsTests {
    typealias Fixtures = RuntimeFixtures

    static let slow =
        "import os, time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return os.getpid()\n"

    static func pid(_ result: InvocationResult) -> Int32? {
        guard case .success(let bytes) = result else { return nil }
        return Int32(Fixtures.text(bytes))
    }

    static func isRunning(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    /// Starts a slow invocation and returns once the invoker counts it.
    static func startSlow(
        _ invoker: FunctionInvoker, _ function: FunctionConfiguration, code: URL, reserved: Int? = nil
    ) async throws -> Task<InvocationReport, any Error> {
        let before = await invoker.environmentCount
        let task = Task {
            try await invoker.invokeReporting(
                function: function, codeDirectory: code, payload: Array(#"{"sleep":1}"#.utf8),
                requestId: Fixtures.requestID(), reservedConcurrency: reserved
            )
        }
        while await invoker.environmentCount == before { try await Task.sleep(for: .milliseconds(5)) }
        return task
    }

    @Test func reservedConcurrencyThrottlesPastTheLimit() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let function = try Fixtures.function(zip: zip)
            let code = try Fixtures.unpacked(zip)
            let running = try await Self.startSlow(invoker, function, code: code, reserved: 1)
            await #expect(throws: FunctionInvokerError.throttled(reason: .reservedFunctionConcurrency)) {
                try await invoker.invokeReporting(
                    function: function, codeDirectory: code, payload: [], requestId: "x", reservedConcurrency: 1
                )
            }
            _ = try await invoker.invokeReporting(
                function: function, codeDirectory: code, payload: [], requestId: "y", reservedConcurrency: 2
            )
            #expect(Self.pid(try await running.value.result) != nil)
        }
    }

    @Test func reservedConcurrencyZeroThrottlesEveryInvocation() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            await #expect(throws: FunctionInvokerError.throttled(reason: .reservedFunctionConcurrency)) {
                try await invoker.invokeReporting(
                    function: try Fixtures.function(zip: zip), codeDirectory: try Fixtures.unpacked(zip), payload: [],
                    requestId: "x", reservedConcurrency: 0
                )
            }
            #expect(await invoker.environmentCount == 0)
        }
    }

    @Test func environmentLimitStopsAnIdleEnvironmentOfAnotherFunction() async throws {
        var limits = FunctionInvoker.Limits()
        limits.maxEnvironments = 1
        try await withInvoker(limits: limits) { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let code = try Fixtures.unpacked(zip)
            let first = try await invoker.invoke(
                function: try Fixtures.function(name: "a", zip: zip), codeDirectory: code, payload: [], requestId: "1"
            )
            let firstPID = try #require(Self.pid(first))
            let second = try await invoker.invoke(
                function: try Fixtures.function(name: "b", zip: zip), codeDirectory: code, payload: [], requestId: "2"
            )
            #expect(Self.pid(second) != firstPID)
            #expect(!Self.isRunning(firstPID))
            #expect(await invoker.environmentCount == 1)
        }
    }

    @Test func environmentLimitThrottlesWhenEveryEnvironmentIsBusy() async throws {
        var limits = FunctionInvoker.Limits()
        limits.maxEnvironments = 1
        try await withInvoker(limits: limits) { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let code = try Fixtures.unpacked(zip)
            let running = try await Self.startSlow(invoker, try Fixtures.function(name: "a", zip: zip), code: code)
            await #expect(throws: FunctionInvokerError.throttled(reason: .concurrentInvocations)) {
                try await invoker.invoke(
                    function: try Fixtures.function(name: "b", zip: zip), codeDirectory: code, payload: [],
                    requestId: "2"
                ) as InvocationResult
            }
            #expect(Self.pid(try await running.value.result) != nil)
        }
    }

    @Test func retiringStopsIdleEnvironmentsAndTheNextInvokeStartsAFreshOne() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let function = try Fixtures.function(zip: zip)
            let code = try Fixtures.unpacked(zip)
            let firstPID = try #require(
                Self.pid(try await invoker.invoke(function: function, codeDirectory: code, payload: [], requestId: "1"))
            )
            await invoker.retire(functionArn: function.functionArn)
            #expect(await invoker.idleEnvironmentCount(for: function) == 0)
            #expect(!Self.isRunning(firstPID))
            let secondPID = Self.pid(
                try await invoker.invoke(function: function, codeDirectory: code, payload: [], requestId: "2")
            )
            #expect(secondPID != firstPID)
        }
    }

    @Test func anEnvironmentRetiredWhileBusyStopsWhenItsInvocationEnds() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let function = try Fixtures.function(zip: zip)
            let running = try await Self.startSlow(invoker, function, code: try Fixtures.unpacked(zip))
            await invoker.retire(functionArn: function.functionArn + ":7")
            let pid = try #require(Self.pid(try await running.value.result))
            #expect(await invoker.idleEnvironmentCount(for: function) == 0)
            #expect(!Self.isRunning(pid))
        }
    }

    @Test func idleEnvironmentsAreReapedAfterTheIdleTimeout() async throws {
        var limits = FunctionInvoker.Limits()
        limits.idleTimeout = .seconds(60)
        try await withInvoker(limits: limits) { invoker, root in
            let zip = try Fixtures.pythonZip(Self.slow, in: root)
            let function = try Fixtures.function(zip: zip)
            let pid = try #require(
                Self.pid(
                    try await invoker.invoke(
                        function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: "1"
                    )
                )
            )
            await invoker.reapIdle(now: .now + .seconds(30))
            #expect(await invoker.idleEnvironmentCount(for: function) == 1)
            await invoker.reapIdle(now: .now + .seconds(61))
            #expect(await invoker.idleEnvironmentCount(for: function) == 0)
            #expect(!Self.isRunning(pid))
        }
    }

    @Test func aRuntimeThatNeverFinishesInitTimesOut() async throws {
        var limits = FunctionInvoker.Limits()
        limits.initTimeout = .milliseconds(100)
        try await withInvoker(limits: limits) { invoker, root in
            let zip = try Fixtures.providedZip("#!/bin/bash\nsleep 60\n", in: root)
            let function = try Fixtures.function(runtime: "provided.al2023", handler: "bootstrap", timeout: 1, zip: zip)
            let id = Fixtures.requestID()
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: id
            )
            guard case .functionError(_, let payload) = result else {
                Issue.record("expected a timeout, got \(result)")
                return
            }
            #expect(Fixtures.text(payload).contains("RequestId: \(id) Error: Task timed out after 1.00 seconds"))
            #expect(await invoker.environmentCount == 0)
        }
    }

    @Test func aBootstrapThatExitsDuringInitAlwaysAnswersExitError() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.providedZip("#!/bin/sh\nexit 7\n", in: root)
            let function = try Fixtures.function(runtime: "provided.al2023", handler: "bootstrap", zip: zip)
            let code = try Fixtures.unpacked(zip)
            for _ in 0..<20 {
                let id = Fixtures.requestID()
                let result = try await invoker.invoke(
                    function: function, codeDirectory: code, payload: [], requestId: id)
                guard case .functionError("Unhandled", let payload) = result else {
                    Issue.record("expected Runtime.ExitError, got \(result)")
                    return
                }
                let object = try Fixtures.object(payload)
                #expect(object["errorType"] as? String == "Runtime.ExitError")
                #expect(
                    object["errorMessage"] as? String
                        == "RequestId: \(id) Error: Runtime exited with error: exit status 7")
            }
        }
    }
}
