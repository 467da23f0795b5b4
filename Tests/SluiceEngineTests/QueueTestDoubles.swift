import SluiceCore
import SluiceEngine
import SluiceTesting
import Synchronization

/// A queue held in memory: messages are hidden when received and stay hidden until the test makes them visible again
/// (their visibility timeout ran out) or they are deleted. A FIFO queue hands out no message of a group with one in
/// flight. A receive with nothing visible waits for a send, the end of its wait on the manual clock, or
/// cancellation, never polling.
final class MemoryQueueSource: QueueSource {
    struct Message: Sendable {
        var id: String
        var body: String
        var group: String?
        var receiveCount = 0
        var inFlight = false
    }

    private struct State {
        var messages: [Message] = []
        var deleted: [String] = []
        var receives = 0
        var sent = 0
        var version = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let clock: ManualClock
    let isFIFO: Bool

    init(clock: ManualClock, isFIFO: Bool = false) {
        self.clock = clock
        self.isFIFO = isFIFO
    }

    /// Sends `bodies` at once, with ids `m1`, `m2`, … in sending order; `group` on a FIFO queue.
    func send(_ bodies: [String], group: String? = nil) {
        let waiters = state.withLock { state in
            for body in bodies {
                state.sent += 1
                state.messages.append(Message(id: "m\(state.sent)", body: body, group: group))
            }
            return wake(&state)
        }
        waiters.forEach { $0.resume() }
    }

    /// The visibility timeout of every message in flight ran out.
    func visibilityTimeoutsEnded() {
        let waiters = state.withLock { state in
            for index in state.messages.indices { state.messages[index].inFlight = false }
            return wake(&state)
        }
        waiters.forEach { $0.resume() }
    }

    /// Ids of the messages still in the queue, in flight or not.
    var remaining: [String] { state.withLock { $0.messages.map(\.id) } }
    /// Ids of deleted messages, in deleting order.
    var deleted: [String] { state.withLock { $0.deleted } }
    /// How many receives returned.
    var receives: Int { state.withLock { $0.receives } }
    /// How many receives wait for a message now.
    var waitingReceives: Int { state.withLock { $0.waiters.count } }

    /// As ReceiveMessage: 10.
    var maximumMessagesPerReceive: Int { 10 }

    func receive(queueArn: String, maximum: Int, waitingUpTo wait: Duration) async throws -> [SQSEventMessage] {
        while true {
            let (taken, version) = state.withLock { state in (take(maximum, &state), state.version) }
            guard taken.isEmpty, wait > .zero, !Task.isCancelled else {
                state.withLock { $0.receives += 1 }
                return taken
            }
            let clock = self.clock
            let timedOut = await withTaskGroup(of: Bool.self) { group in
                group.addTask { await self.waitForChange(since: version) ; return false }
                group.addTask { (try? await clock.sleep(for: wait)) != nil }
                let first = await group.next() ?? true
                group.cancelAll()
                return first
            }
            if timedOut || Task.isCancelled {
                state.withLock { $0.receives += 1 }
                return []
            }
        }
    }

    func delete(queueArn: String, receiptHandles: [String]) async throws {
        state.withLock { state in
            for handle in receiptHandles {
                let parts = handle.split(separator: "#")
                guard let index = state.messages.firstIndex(where: {
                    $0.id == parts[0] && "\($0.receiveCount)" == parts[1]
                }) else { continue }
                state.deleted.append(state.messages.remove(at: index).id)
            }
        }
        let waiters = state.withLock { wake(&$0) }
        waiters.forEach { $0.resume() }
    }

    private func take(_ maximum: Int, _ state: inout State) -> [SQSEventMessage] {
        var taken: [SQSEventMessage] = []
        var blocked: Set<String> = []
        for index in state.messages.indices where taken.count < maximum {
            let message = state.messages[index]
            if let group = message.group, isFIFO {
                guard !blocked.contains(group) else { continue }
                if message.inFlight { blocked.insert(group) }
            }
            guard !message.inFlight else { continue }
            state.messages[index].inFlight = true
            state.messages[index].receiveCount += 1
            let count = state.messages[index].receiveCount
            var attributes = [SQSEventMessage.Attribute("ApproximateReceiveCount", "\(count)")]
            if let group = message.group { attributes.append(.init("MessageGroupId", group)) }
            taken.append(
                SQSEventMessage(
                    messageId: message.id, receiptHandle: "\(message.id)#\(count)", body: message.body,
                    attributes: attributes, md5OfBody: "md5"
                ))
        }
        return taken
    }

    private func wake(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        state.version += 1
        defer { state.waiters = [:] }
        return Array(state.waiters.values)
    }

    private func waitForChange(since version: Int) async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard state.version == version, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

/// The messageIds of a scripted call's SQS event, in order.
func messageIds(_ call: ScriptedInvoker.Call) -> [String] {
    guard case .array(let records)? = (try? JSONValue(parsing: call.payload))?["Records"] else { return [] }
    return records.compactMap { $0["messageId"]?.stringValue }
}
