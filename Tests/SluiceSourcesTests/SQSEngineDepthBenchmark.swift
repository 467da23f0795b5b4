import Foundation
import Logging
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceSources

/// Prints what a receive of ten plus their batch delete costs at queue depths 1k, 10k and 50k (standard and FIFO,
/// with half of the queue in flight, in memory and over SQLite). A measurement to run by hand, never a timed
/// assertion: `SLUICE_SQS_BENCH=1 swift test --skip-build --filter SQSEngineDepthBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_SQS_BENCH"] != nil), .serialized)
struct SQSEngineDepthBenchmark {
    static let depths = [1_000, 10_000, 50_000]
    static let rounds = 50

    @Test(arguments: [false, true])
    func receiveAndDeleteInMemory(fifo: Bool) async throws {
        for depth in Self.depths {
            let storage = QueueMemoryStorage()
            if fifo, depth < 10_000 { continue }
            try await measure(depth: depth, fifo: fifo, storage: storage, label: "memory") {
                try await storage.apply($0)
            } restart: {
                try await QueueHarness(storage: storage)
            }
        }
    }

    @Test func receiveAndDeleteOverSQLite() async throws {
        for depth in Self.depths {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqs-bench-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try await SQLiteBatchStore.open(
                path: directory.appendingPathComponent("queues.sqlite").path, logger: Logger(label: "bench"))
            let storage = BatchQueueStorage(store: store)
            let memory = QueueMemoryStorage()
            try await measure(depth: depth, fifo: false, storage: memory, label: "sqlite") {
                try await storage.apply($0)
            } restart: {
                let clock = QueueTestClock()
                let harness = try await QueueHarness(storage: memory, clock: clock)
                return try await QueueHarness(sqlite: storage, clock: clock, like: harness)
            }
            try await store.close()
        }
    }

    /// What commits cost: the same rounds over BatchQueueStorage on a memory store (JSON, no disk) and over
    /// SQLite with 1, 4 and 8 pollers at once (their commits share transactions: SQLiteGroupCommit).
    @Test func concurrentPollersOverSQLite() async throws {
        for pollers in [0, 1, 4, 8] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqs-bench-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store: any BatchStore =
                pollers == 0
                ? MemoryBatchStore()
                : try await SQLiteBatchStore.open(
                    path: directory.appendingPathComponent("queues.sqlite").path, logger: Logger(label: "bench"))
            let storage = BatchQueueStorage(store: store)
            let memory = QueueMemoryStorage()
            let harness = try await QueueHarness(storage: memory)
            let url = try await harness.createQueue("bench", ["VisibilityTimeout": "600"])
            var header = SQS.StorageChanges()
            header.upsertedQueues = [try #require(await memory.queues.values.first)]
            try await storage.apply(header)
            let sqsOnStorage = try await QueueHarness(sqlite: storage, clock: harness.clock, like: harness)
            for start in stride(from: 0, to: 20_000, by: 10) {
                _ = try await sqsOnStorage.engine.sendMessageBatch(
                    .init(
                        queueUrl: url,
                        entries: (start..<start + 10).map { .init(id: "e\($0)", messageBody: "body \($0)") }),
                    identity: sqsOnStorage.identity)
            }
            let clock = ContinuousClock()
            let rounds = 100
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<max(1, pollers) {
                        group.addTask {
                            for _ in 0..<rounds {
                                let messages = try await sqsOnStorage.receive(url, max: 10, visibility: 600)
                                guard !messages.isEmpty else { continue }
                                _ = try await sqsOnStorage.engine.deleteMessageBatch(
                                    .init(
                                        queueUrl: url,
                                        entries: messages.enumerated().map {
                                            .init(id: "e\($0.offset)", receiptHandle: $0.element.receiptHandle)
                                        }),
                                    identity: sqsOnStorage.identity)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let messages = max(1, pollers) * rounds * 10
            print(
                "[bench] \(pollers == 0 ? "json-memory" : "sqlite") pollers \(max(1, pollers)) depth 20000: "
                    + String(format: "%.0f msg/s received+deleted", Double(messages) / seconds))
            try await store.close()
        }
    }

    /// Creates the queue, preloads `depth` messages straight into storage, restarts, puts half of them in flight,
    /// then times `rounds` receive-ten-and-delete-them rounds.
    func measure(
        depth: Int, fifo: Bool, storage: QueueMemoryStorage, label: String,
        preload: (SQS.StorageChanges) async throws -> Void, restart: () async throws -> QueueHarness
    ) async throws {
        let first = try await QueueHarness(storage: storage)
        let name = fifo ? "bench.fifo" : "bench"
        let url = try await first.createQueue(
            name, fifo ? ["FifoQueue": "true", "ContentBasedDeduplication": "true"] : ["VisibilityTimeout": "600"])
        let record = try #require(await storage.queues.values.first)
        var header = SQS.StorageChanges()
        header.upsertedQueues = [record]
        try await preload(header)
        let time = first.clock.timestamp
        for start in stride(from: 0, to: depth, by: 1000) {
            var changes = SQS.StorageChanges()
            for index in start..<min(depth, start + 1000) {
                changes.upsertedMessages.append(
                    SQS.MessageRecord(
                        queueArn: record.key, messageId: "m-\(index)", body: "body \(index)", md5OfBody: "",
                        messageAttributes: [:], md5OfMessageAttributes: nil, senderId: "bench", awsTraceHeader: nil,
                        deadLetterQueueSourceArn: nil, sentTimestamp: time, visibleFrom: time, receiveCount: 0,
                        firstReceiveTimestamp: nil, lastReceiveTimestamp: nil,
                        messageGroupId: fifo ? "g-\(index % 1000)" : nil,
                        messageDeduplicationId: fifo ? "d-\(index)" : nil,
                        sequenceNumber: fifo ? String(index + 1) : nil, enqueueSequence: Int64(index + 1)
                    ))
            }
            try await preload(changes)
        }
        let sqs = try await restart()
        // Half in flight: received and not deleted. FIFO: a receive locks the groups it takes from, so only half of
        // the 1,000 groups get a message in flight and the rest stay receivable.
        var inFlight = 0
        while inFlight < (fifo ? 500 : depth / 2) {
            let taken = try await sqs.receive(url, max: 10, visibility: 600).count
            if taken == 0 { break }
            inFlight += taken
        }
        let clock = ContinuousClock()
        var received = 0
        let elapsed = try await clock.measure {
            for _ in 0..<Self.rounds {
                let messages = try await sqs.receive(url, max: 10, visibility: 600)
                received += messages.count
                guard !messages.isEmpty else { continue }
                _ = try await sqs.engine.deleteMessageBatch(
                    .init(
                        queueUrl: url,
                        entries: messages.enumerated().map { .init(id: "e\($0.offset)", receiptHandle: $0.element.receiptHandle) }
                    ),
                    identity: sqs.identity)
            }
        }
        let perRound = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        print(
            "[bench] \(label) \(fifo ? "fifo" : "standard") depth \(depth) (\(inFlight) in flight): "
                + String(format: "%.2f ms per receive+delete of 10 (%d received in %d rounds)",
                    perRound / Double(Self.rounds), received, Self.rounds))
    }
}

extension QueueHarness {
    /// An engine over `storage` instead of memory, on `clock`.
    init(sqlite storage: BatchQueueStorage, clock: QueueTestClock, like harness: QueueHarness) async throws {
        self.storage = harness.storage
        self.clock = clock
        engine = try await SQSEngine(
            storage: storage, configuration: .init(baseURL: "http://localhost:4566"), clock: clock,
            now: { [clock] in clock.timestamp }
        )
    }
}
