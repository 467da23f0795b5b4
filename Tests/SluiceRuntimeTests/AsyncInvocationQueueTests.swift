import Foundation
import Synchronization
import Testing

import SluiceCore
import SluiceStore
@testable import SluiceRuntime

/// `Event` invocations: retried twice on a function error, retried while throttled, dropped otherwise, and kept in
/// the store until they have run (`reference/runtime-api.md` §3).
@Suite struct AsyncInvocationQueueTests {
    typealias Event = AsyncInvocationQueue.Event

    static let error = Result<InvocationResult, AWSError>.success(.functionError(type: "Unhandled", payload: []))
    static let success = Result<InvocationResult, AWSError>.success(.success([]))
    static let now: @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: 1_000) }

    /// The events a queue ran, in order.
    final class Attempts: Sendable {
        let events = Mutex<[Event]>([])

        func record(_ event: Event) -> Int {
            events.withLock { events in
                events.append(event)
                return events.count
            }
        }

        var count: Int { events.withLock { $0.count } }
        var first: Event? { events.withLock { $0.first } }
    }

    /// A queue whose runs follow `outcomes` (one per attempt, the last repeating), recording the attempts.
    static func queue(_ outcomes: [Result<InvocationResult, AWSError>], store: (any BatchStore)? = nil)
        -> (AsyncInvocationQueue, Attempts)
    {
        let seen = Attempts()
        let queue = AsyncInvocationQueue(retryDelays: [.milliseconds(10), .milliseconds(20)], store: store, now: now) {
            event in
            let attempt = seen.record(event)
            return try outcomes[min(attempt, outcomes.count) - 1].get()
        }
        return (queue, seen)
    }

    /// Waits until `count` attempts were made (or a second passed), then a little more for unexpected ones.
    static func settle(_ seen: Attempts, count: Int) async throws -> Int {
        for _ in 0..<200 where seen.count < count {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(100))
        return seen.count
    }

    static func attempts(_ outcomes: [Result<InvocationResult, AWSError>], expected: Int) async throws -> Int {
        let (queue, seen) = queue(outcomes)
        try await queue.add(requestId: "r", function: "arn:aws:lambda:us-east-1:000000000000:function:f", payload: "{}")
        let count = try await settle(seen, count: expected)
        await queue.shutDown()
        return count
    }

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

    @Test func anEventIsStoredUntilItHasRun() async throws {
        let store = MemoryBatchStore()
        let (queue, seen) = Self.queue([Self.error, Self.success], store: store)
        try await queue.add(requestId: "r", function: "f", payload: #"{"a":1}"#)
        #expect(try await Self.settle(seen, count: 2) == 2)
        #expect(try await store.rows(in: AsyncInvocationQueue.table).isEmpty)
        await queue.shutDown()
    }

    @Test func eventsLeftByAPreviousRunAreRestoredAndRun() async throws {
        let store = MemoryBatchStore()
        let (first, firstSeen) = Self.queue([.failure(.tooManyRequests(reason: "x"))], store: store)
        try await first.add(requestId: "r", function: "f", payload: #"{"a":1}"#)
        _ = try await Self.settle(firstSeen, count: 1)
        await first.shutDown()
        #expect(try await store.rows(in: AsyncInvocationQueue.table).map(\.key) == ["r"])

        let (second, seen) = Self.queue([Self.success], store: store)
        try await second.restore()
        #expect(try await Self.settle(seen, count: 1) == 1)
        #expect(seen.first?.payload == #"{"a":1}"#)
        #expect(try await store.rows(in: AsyncInvocationQueue.table).isEmpty)
        await second.shutDown()
    }
}
