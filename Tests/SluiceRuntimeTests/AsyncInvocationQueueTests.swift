import Foundation
import Synchronization
import Testing

import SluiceCore
@testable import SluiceRuntime

/// `Event` invocations: retried twice on a function error, retried while throttled, dropped otherwise
/// (`reference/runtime-api.md` §3).
@Suite struct AsyncInvocationQueueTests {
    typealias Event = AsyncInvocationQueue.Event

    /// Runs events through `outcomes` (one per attempt, the last repeating) and returns the attempts made once
    /// `expected` were made (or after a second).
    static func attempts(_ outcomes: [Result<InvocationResult, AWSError>], expected: Int) async throws -> Int {
        let queue = AsyncInvocationQueue(retryDelays: [.milliseconds(10), .milliseconds(20)])
        let count = Mutex(0)
        await queue.add(Event(requestId: "r", payload: [])) { _ in
            let attempt = count.withLock { count in
                count += 1
                return count
            }
            return try outcomes[min(attempt, outcomes.count) - 1].get()
        }
        for _ in 0..<200 where count.withLock({ $0 }) < expected {
            try await Task.sleep(for: .milliseconds(5))
        }
        // Give an unexpected further attempt the chance to happen.
        try await Task.sleep(for: .milliseconds(100))
        await queue.shutDown()
        return count.withLock { $0 }
    }

    static let error = Result<InvocationResult, AWSError>.success(.functionError(type: "Unhandled", payload: []))
    static let success = Result<InvocationResult, AWSError>.success(.success([]))

    @Test func aSuccessRunsOnce() async throws {
        #expect(try await Self.attempts([Self.success], expected: 1) == 1)
    }

    @Test func aFunctionErrorIsRetriedTwice() async throws {
        #expect(try await Self.attempts([Self.error], expected: 3) == 3)
    }

    @Test func aRetryThatSucceedsStops() async throws {
        #expect(try await Self.attempts([Self.error, Self.success], expected: 2) == 2)
    }

    @Test func aThrottledEventIsTriedAgain() async throws {
        let throttled = Result<InvocationResult, AWSError>.failure(.tooManyRequests(reason: "x"))
        #expect(try await Self.attempts([throttled, Self.success], expected: 2) == 2)
    }

    @Test func anEventOfADeletedFunctionIsDropped() async throws {
        let missing = Result<InvocationResult, AWSError>.failure(.functionNotFound(arn: "arn"))
        #expect(try await Self.attempts([missing, Self.success], expected: 1) == 1)
    }
}
