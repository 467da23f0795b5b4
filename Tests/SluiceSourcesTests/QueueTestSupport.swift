import Foundation
import SluiceCore
import SluiceTesting
import Synchronization

@testable import SluiceSources

/// The SQS tests drive time with `SluiceTesting.ManualClock`.
typealias QueueTestClock = ManualClock

extension ManualClock {
    /// The wall clock the engine reads: 2024-11-25T10:00:00Z plus the time this clock has advanced.
    var timestamp: Timestamp {
        wallTime(from: Timestamp(millisecondsSinceEpoch: 1_732_528_800_000))
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
