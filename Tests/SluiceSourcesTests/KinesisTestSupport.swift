import SluiceCore
import SluiceStore
import Synchronization

@testable import SluiceSources

/// A `RecordLog` in memory for the Kinesis tests: appends all or nothing, counts appends, and can be told to fail.
actor KinesisMemoryRecordLog: RecordLog {
    private var logs: [LogID: [LogRecord]] = [:]
    private(set) var appendCount = 0
    var failNextAppend = false

    func append(_ entries: [LogEntry]) throws {
        if failNextAppend {
            failNextAppend = false
            throw AWSError.service("append failed")
        }
        appendCount += 1
        for entry in entries { logs[entry.log, default: []].append(entry.record) }
    }

    func read(log: LogID, from position: UInt64, limit: Int) -> [LogRecord] {
        Array((logs[log] ?? []).filter { $0.position >= position }.sorted { $0.position < $1.position }.prefix(limit))
    }

    func lastPosition(of log: LogID) -> UInt64? {
        logs[log]?.map(\.position).max()
    }

    func trim(log: LogID, arrivedBefore arrivalMilliseconds: Int64) {
        logs[log]?.removeAll { $0.arrivalMilliseconds < arrivalMilliseconds }
    }

    func deleteLogs(stream: String) {
        for key in logs.keys where key.stream == stream { logs[key] = nil }
    }

    func close() {}

    func failNext() { failNextAppend = true }

    func recordCount() -> Int { logs.values.reduce(0) { $0 + $1.count } }
}

/// A wall clock the test moves by hand.
final class KinesisTestClock: Sendable {
    private let time: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_732_530_000_123)) {
        time = Mutex(start)
    }

    var now: Timestamp { time.withLock { $0 } }

    func advance(milliseconds: Int64) {
        time.withLock { $0.millisecondsSinceEpoch += milliseconds }
    }
}

/// An engine over a memory store and log, and what the tests need around it.
struct KinesisFixture {
    let store = MemoryDocumentStore()
    let log = KinesisMemoryRecordLog()
    let clock = KinesisTestClock()
    let identity = RequestIdentity(region: "us-east-1")

    func engine(_ configuration: KinesisEngine.Configuration = .init()) async throws -> KinesisEngine {
        let clock = clock
        return try await KinesisEngine(store: store, log: log, configuration: configuration, now: { clock.now })
    }

    func createdEngine(_ name: String = "s", shards: Int = 1) async throws -> KinesisEngine {
        let engine = try await engine()
        try await engine.createStream(.init(streamName: name, shardCount: shards), identity: identity)
        return engine
    }
}

func kinesisError(_ body: () async throws -> Void) async -> AWSError? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return error
    } catch {
        return AWSError(code: "Unexpected", message: "\(error)")
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
