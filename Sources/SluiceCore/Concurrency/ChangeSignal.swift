import Synchronization

/// Wakes waiters when something they wait for may have happened, without polling: the readers of one embedded SQS
/// queue (a send, a visibility change, a delete on a FIFO queue, the queue's deletion; issue 3 item 6), the pollers
/// of an SQS mapping (an update).
///
/// A reader reads ``version`` while it still holds the state it checked, then calls ``wait(since:)``: a change in
/// between is never lost. Waiting is cancellation-safe: a cancelled waiter returns at once.
public final class ChangeSignal: Sendable {
    private struct State {
        var version: UInt64 = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var version: UInt64 { state.withLock { $0.version } }

    /// Wakes every waiter.
    public func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.version += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the version passed `version`, or when the task is cancelled.
    public func wait(since version: UInt64) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.version != version || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
