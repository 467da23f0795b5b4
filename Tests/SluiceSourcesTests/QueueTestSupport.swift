import Foundation
import SluiceCore
import Synchronization

@testable import SluiceSources

/// A clock that moves only when a test says so (as `SluiceTesting.ManualClock`, which this target cannot import in
/// the scratch build): `nextTimerScheduled()` waits for a sleeper, `advance(by:)` wakes the due ones.
final class QueueTestClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
        var timerWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    /// The wall clock the engine reads: 2024-11-25T10:00:00Z plus the time this clock has advanced.
    var timestamp: Timestamp {
        let offset = now.offset.components
        return Timestamp(
            millisecondsSinceEpoch: 1_732_528_800_000 + offset.seconds * 1000
                + offset.attoseconds / 1_000_000_000_000_000)
    }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled || deadline <= state.now { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    defer { state.timerWaiters = [] }
                    return (false, state.timerWaiters)
                }
                if resumeNow {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
                waiters.forEach { $0.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    func nextTimerScheduled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if !state.sleepers.isEmpty { return true }
                state.timerWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves time forward and wakes the sleepers that are due.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            defer { state.sleepers.removeAll { $0.deadline <= now } }
            return state.sleepers.filter { $0.deadline <= now }
        }
        due.forEach { $0.continuation.resume() }
    }
}

/// A ``QueueStorage`` in memory that survives an engine: a second engine over it sees what the first committed.
actor QueueMemoryStorage: QueueStorage {
    private(set) var queues: [String: SQS.QueueRecord] = [:]
    private(set) var messages: [SQS.MessageKey: SQS.MessageRecord] = [:]
    private(set) var commits = 0
    var failNextCommit = false

    func loadQueues() -> [SQS.QueueRecord] { Array(queues.values) }
    func loadMessages() -> [SQS.MessageRecord] { Array(messages.values) }

    func failNext() { failNextCommit = true }

    func apply(_ changes: SQS.StorageChanges) throws {
        if failNextCommit {
            failNextCommit = false
            throw CancellationError()
        }
        commits += 1
        for arn in changes.deletedQueues + changes.purgedQueues {
            messages = messages.filter { $0.key.queueArn != arn }
        }
        for arn in changes.deletedQueues { queues[arn] = nil }
        for queue in changes.upsertedQueues { queues[queue.key] = queue }
        for key in changes.deletedMessages { messages[key] = nil }
        for message in changes.upsertedMessages { messages[message.key] = message }
    }
}

/// An engine on a manual clock, its storage and clock, in us-east-1 of the default account.
struct QueueHarness {
    let engine: SQSEngine<QueueTestClock>
    let storage: QueueMemoryStorage
    let clock: QueueTestClock
    let identity = RequestIdentity(region: "us-east-1")

    init(storage: QueueMemoryStorage = QueueMemoryStorage(), clock: QueueTestClock = QueueTestClock()) async throws {
        self.storage = storage
        self.clock = clock
        let counter = Mutex(0)
        engine = try await SQSEngine(
            storage: storage, configuration: .init(baseURL: "http://localhost:4566"), clock: clock,
            now: { [clock] in clock.timestamp },
            newMessageId: {
                counter.withLock {
                    $0 += 1
                    return "message-\($0)"
                }
            }
        )
    }

    /// A second engine over the same storage and clock: a restart.
    func restarted() async throws -> QueueHarness { try await QueueHarness(storage: storage, clock: clock) }

    @discardableResult
    func createQueue(_ name: String, _ attributes: [String: String]? = nil) async throws -> String {
        try await engine.createQueue(.init(queueName: name, attributes: attributes), identity: identity).queueUrl
    }

    @discardableResult
    func send(_ url: String, _ body: String, group: String? = nil, dedup: String? = nil, delay: Int? = nil)
        async throws -> SQS.SendMessageOutput
    {
        try await engine.sendMessage(
            .init(
                queueUrl: url, messageBody: body, delaySeconds: delay, messageDeduplicationId: dedup,
                messageGroupId: group),
            identity: identity
        )
    }

    func receive(_ url: String, max: Int = 10, visibility: Int? = nil, wait: Int = 0) async throws -> [SQS.Message] {
        try await engine.receiveMessage(
            .init(
                queueUrl: url, messageSystemAttributeNames: ["All"], messageAttributeNames: ["All"],
                maxNumberOfMessages: max, visibilityTimeout: visibility, waitTimeSeconds: wait),
            identity: identity
        ).messages ?? []
    }

    func bodies(_ url: String, max: Int = 10, visibility: Int? = nil) async throws -> [String] {
        try await receive(url, max: max, visibility: visibility).map(\.body)
    }

    func delete(_ url: String, _ message: SQS.Message) async throws {
        try await engine.deleteMessage(.init(queueUrl: url, receiptHandle: message.receiptHandle), identity: identity)
    }

    func attribute(_ url: String, _ name: String) async throws -> String? {
        try await engine.getQueueAttributes(.init(queueUrl: url, attributeNames: [name]), identity: identity)
            .attributes?[name]
    }
}

/// The `AWSError` code an operation throws, or nil.
func errorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return error.code
    } catch {
        return "\(error)"
    }
}

func errorMessage(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return error.message
    } catch {
        return "\(error)"
    }
}
