import SluiceCore
import SluiceEngine
import Synchronization

/// A stream held in memory, one shard at a time appended to by the test: `waitForRecords` returns once a record is
/// appended or the shard is closed (or the waiting task is cancelled), never by polling. Cursor tokens are positions
/// in the shard's record list.
final class MemoryStreamSource: StreamSource {
    private struct Shard {
        var records: [StreamRecord] = []
        var childShardIds: [String]?
    }

    private struct Waiter {
        var id: Int
        var shardId: String
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var shards: [String: Shard] = [:]
        var order: [String] = []
        var parents: [String: String] = [:]
        var listingFailures = 0
        var lastSequenceNumber = 0
        var nextWaiterID = 0
        var waiters: [Waiter] = []
    }

    private let state = Mutex(State())

    /// Appends a record; sequence numbers count 1, 2, 3 … across all shards.
    @discardableResult
    func append(
        _ partitionKey: String, data: String = "{}", arrival: Timestamp, shardId: String = "shardId-000000000000"
    ) -> StreamSequenceNumber {
        let (sequenceNumber, woken) = state.withLock { state in
            state.lastSequenceNumber += 1
            let sequenceNumber = StreamSequenceNumber("\(state.lastSequenceNumber)")
            if state.shards[shardId] == nil { state.order.append(shardId) }
            state.shards[shardId, default: Shard()].records.append(
                StreamRecord(
                    sequenceNumber: sequenceNumber, partitionKey: partitionKey, data: Array(data.utf8), arrival: arrival
                )
            )
            return (sequenceNumber, Self.takeWaiters(of: shardId, from: &state))
        }
        woken.forEach { $0.resume() }
        return sequenceNumber
    }

    /// Closes the shard (a reshard): once read to its end, reads return no next cursor and these children.
    func close(shardId: String = "shardId-000000000000", childShardIds: [String]) {
        let woken = state.withLock { state in
            if state.shards[shardId] == nil { state.order.append(shardId) }
            state.shards[shardId, default: Shard()].childShardIds = childShardIds
            return Self.takeWaiters(of: shardId, from: &state)
        }
        woken.forEach { $0.resume() }
    }

    /// Adds an empty shard, a child of `parent` after a split (listed after it).
    func addShard(_ shardId: String, parent: String? = nil) {
        state.withLock { state in
            if state.shards[shardId] == nil { state.order.append(shardId) }
            state.shards[shardId, default: Shard()] = Shard()
            state.parents[shardId] = parent
        }
    }

    /// The next `count` listings of the shards fail.
    func failListings(_ count: Int) {
        state.withLock { $0.listingFailures = count }
    }

    /// How many reads are waiting for records.
    var waitingReads: Int { state.withLock { $0.waiters.count } }

    private static func takeWaiters(of shardId: String, from state: inout State) -> [CheckedContinuation<
        Void, any Error
    >] {
        let woken = state.waiters.filter { $0.shardId == shardId }.map(\.continuation)
        state.waiters.removeAll { $0.shardId == shardId }
        return woken
    }

    // MARK: StreamSource

    func shards(streamArn: String) async throws -> [StreamShard] {
        try state.withLock { state in
            if state.listingFailures > 0 {
                state.listingFailures -= 1
                throw StreamUnavailable()
            }
            return state.order.map {
                StreamShard(
                    id: $0, parentShardId: state.parents[$0], isClosed: state.shards[$0]?.childShardIds != nil
                )
            }
        }
    }

    func cursor(streamArn: String, shardId: String, at start: ShardStart) async throws -> ShardCursor {
        let position = state.withLock { state -> Int in
            let records = state.shards[shardId]?.records ?? []
            switch start {
            case .trimHorizon: return 0
            case .latest: return records.count
            case .atTimestamp(let time): return records.firstIndex { $0.arrival >= time } ?? records.count
            case .afterSequenceNumber(let after):
                return records.firstIndex { $0.sequenceNumber > after } ?? records.count
            }
        }
        return ShardCursor(streamArn: streamArn, shardId: shardId, resume: start, token: "\(position)")
    }

    func read(_ cursor: ShardCursor, limit: Int) async throws -> ShardPage {
        let position = Int(cursor.token) ?? 0
        return state.withLock { state in
            let shard = state.shards[cursor.shardId] ?? Shard()
            let end = min(shard.records.count, position + limit)
            let records = Array(shard.records[min(position, end)..<end])
            if let children = shard.childShardIds, end == shard.records.count {
                return ShardPage(records: records, next: nil, childShardIds: children)
            }
            var next = cursor
            next.token = "\(end)"
            if let last = records.last { next.resume = .afterSequenceNumber(last.sequenceNumber) }
            return ShardPage(records: records, next: next)
        }
    }

    func waitForRecords(after cursor: ShardCursor) async throws {
        let position = Int(cursor.token) ?? 0
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> Bool in
                    let shard = state.shards[cursor.shardId] ?? Shard()
                    if Task.isCancelled || shard.records.count > position || shard.childShardIds != nil { return true }
                    state.waiters.append(Waiter(id: id, shardId: cursor.shardId, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// Something an async test waits for, without sleeping: continuations resumed when a condition on a recorded list
/// becomes true.
actor Recorder<Element: Sendable> {
    private(set) var elements: [Element] = []
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func append(_ element: Element) {
        elements.append(element)
        let due = waiters.filter { $0.count <= elements.count }
        waiters.removeAll { $0.count <= elements.count }
        due.forEach { $0.continuation.resume() }
    }

    /// Returns once at least `count` elements were recorded.
    func waitForCount(_ count: Int) async {
        guard elements.count < count else { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}

/// A gate a scripted call waits at until the test opens it; ignores cancellation, as a running function does.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        guard !isOpen else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}

/// A function whose answers the test scripts: `respond` gets each call (numbered from 0) and returns its outcome.
final class ScriptedInvoker: MappingFunctionInvoker {
    struct Call: Sendable, Equatable {
        var functionArn: String
        var payload: [UInt8]
        /// The records' sequence numbers, as integers, in event order.
        var sequenceNumbers: [Int]
        var partitionKeys: [String]
    }

    let calls = Recorder<Call>()
    /// Calls that returned, in the order they returned.
    let returned = Recorder<Call>()
    private let counter = Mutex(0)
    private let respond: @Sendable (Call, Int) async -> StreamInvocationOutcome

    init(_ respond: @escaping @Sendable (Call, Int) async -> StreamInvocationOutcome = { _, index in .success(index) })
    {
        self.respond = respond
    }

    func invoke(functionArn: String, payload: [UInt8]) async -> StreamInvocationOutcome {
        let index = counter.withLock { count in
            defer { count += 1 }
            return count
        }
        let records = (try? JSONValue(parsing: payload))?["Records"]
        var call = Call(functionArn: functionArn, payload: payload, sequenceNumbers: [], partitionKeys: [])
        if case .array(let elements)? = records {
            for element in elements {
                call.sequenceNumbers.append(Int(element["kinesis"]?["sequenceNumber"]?.stringValue ?? "") ?? -1)
                call.partitionKeys.append(element["kinesis"]?["partitionKey"]?.stringValue ?? "")
            }
        }
        await calls.append(call)
        let outcome = await respond(call, index)
        await returned.append(call)
        return outcome
    }

    var batches: [[Int]] {
        get async { await calls.elements.map(\.sequenceNumbers) }
    }
}

extension StreamInvocationOutcome {
    static func success(_ index: Int, body: String = "") -> Self {
        .invoked(requestId: "request-\(index)", executedVersion: "$LATEST", functionError: nil, body: Array(body.utf8))
    }

    static func functionError(_ index: Int) -> Self {
        .invoked(
            requestId: "request-\(index)", executedVersion: "$LATEST", functionError: "Unhandled",
            body: Array(#"{"errorMessage":"boom"}"#.utf8)
        )
    }

    static var throttled: Self { .notInvoked(reason: "TooManyRequestsException") }
}

struct DestinationRefused: Error {}

/// An on-failure destination that keeps what it accepts and refuses the first `refusals` sends.
final class MemoryFailureDestination: FailureDestination {
    let accepted = Recorder<StreamFailureRecord>()
    let attempts = Recorder<String>()
    private let refusals: Mutex<Int>

    init(refusals: Int = 0) {
        self.refusals = Mutex(refusals)
    }

    func send(_ record: StreamFailureRecord, to destinationArn: String) async throws {
        await attempts.append(destinationArn)
        let refuse = refusals.withLock { refusals in
            defer { refusals = max(0, refusals - 1) }
            return refusals > 0
        }
        if refuse { throw DestinationRefused() }
        await accepted.append(record)
    }
}

struct StoreUnavailable: Error {}

struct StreamUnavailable: Error {}

/// Checkpoints and finished shards in memory, with every save in order; the first `failures` saves throw.
actor MemoryCheckpointStore: ShardProgressStore {
    private var checkpoints: [String: StreamSequenceNumber] = [:]
    private(set) var finished: Set<String> = []
    private(set) var forgotten: [String] = []
    private var failures: Int
    let saves = Recorder<StreamSequenceNumber>()

    init(_ checkpoints: [String: StreamSequenceNumber] = [:], failures: Int = 0) {
        self.checkpoints = checkpoints
        self.failures = failures
    }

    static func key(_ mapping: String, _ shard: String) -> String { "\(mapping)/\(shard)" }

    func checkpoint(mapping: String, shard: String) async throws -> StreamSequenceNumber? {
        checkpoints[Self.key(mapping, shard)]
    }

    func save(mapping: String, shard: String, sequenceNumber: StreamSequenceNumber) async throws {
        guard failures == 0 else {
            failures -= 1
            throw StoreUnavailable()
        }
        checkpoints[Self.key(mapping, shard)] = sequenceNumber
        await saves.append(sequenceNumber)
    }

    func progress(mapping: String) async throws -> [String: ShardLineage.Progress] {
        var progress: [String: ShardLineage.Progress] = [:]
        for (key, sequenceNumber) in checkpoints where key.hasPrefix("\(mapping)/") {
            progress[String(key.dropFirst(mapping.count + 1))] = .checkpoint(sequenceNumber)
        }
        for key in finished where key.hasPrefix("\(mapping)/") {
            progress[String(key.dropFirst(mapping.count + 1))] = .finished
        }
        return progress
    }

    func markFinished(mapping: String, shard: String) async throws {
        finished.insert(Self.key(mapping, shard))
    }

    func forget(mapping: String) async throws {
        checkpoints = checkpoints.filter { !$0.key.hasPrefix("\(mapping)/") }
        finished = finished.filter { !$0.hasPrefix("\(mapping)/") }
        forgotten.append(mapping)
    }

    /// Returns once `sequenceNumber` (as an integer) was saved.
    func waitForCheckpoint(_ sequenceNumber: Int) async {
        while true {
            let elements = await saves.elements
            if elements.contains(StreamSequenceNumber("\(sequenceNumber)")) { return }
            await saves.waitForCount(elements.count + 1)
        }
    }
}
