import Synchronization

/// Wakes the readers of one queue when something they wait for may have happened (a send, a visibility change,
/// a delete on a FIFO queue, the queue's deletion), without polling (issue 3 item 6).
///
/// A reader reads ``version`` while it still holds the state it checked, then calls ``wait(since:)``: a change in
/// between is never lost. Waiting is cancellation-safe: a cancelled waiter returns at once.
final class QueueSignal: Sendable {
    private struct State {
        var version: UInt64 = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var version: UInt64 { state.withLock { $0.version } }

    /// Wakes every waiter.
    func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.version += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the version passed `version`, or when the task is cancelled.
    func wait(since version: UInt64) async {
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
