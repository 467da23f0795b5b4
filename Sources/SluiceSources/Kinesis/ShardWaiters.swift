import SluiceStore
import Synchronization

extension Kinesis {
    /// Readers waiting for records of a shard, woken when a record past their position becomes readable, without
    /// polling (issue 3, item 6).
    ///
    /// A `Mutex` around the latest readable position of each log and the waiting continuations, so that a reader
    /// cannot miss an append between looking and waiting, and a cancelled reader is resumed at once from its
    /// cancellation handler. Continuations are resumed outside the lock.
    final class ShardWaiters: Sendable {
        private struct Waiter {
            var after: UInt64
            var continuation: CheckedContinuation<Void, Never>
        }

        private struct State {
            var latest: [LogID: UInt64] = [:]
            var waiters: [LogID: [Int: Waiter]] = [:]
            /// Waits that have neither been resumed nor cancelled.
            var active: Set<Int> = []
            var nextID = 0
        }

        private let state = Mutex(State())

        /// Records up to `position` of `log` are readable: wakes the readers waiting below it.
        func publish(_ log: LogID, position: UInt64) {
            let woken = state.withLock { state -> [Waiter] in
                guard (state.latest[log] ?? 0) < position else { return [] }
                state.latest[log] = position
                guard var waiting = state.waiters[log] else { return [] }
                let ready = waiting.filter { $0.value.after < position }
                for id in ready.keys {
                    waiting[id] = nil
                    state.active.remove(id)
                }
                state.waiters[log] = waiting.isEmpty ? nil : waiting
                return Array(ready.values)
            }
            for waiter in woken { waiter.continuation.resume() }
        }

        /// No record will come to `log` again (closed shard, deleted stream): wakes every reader and lets later
        /// ones through.
        func close(_ log: LogID) {
            publish(log, position: .max)
        }

        /// Returns once a record past `position` is readable in `log`, the log is closed, or the task is cancelled.
        func wait(_ log: LogID, after position: UInt64) async {
            let id = state.withLock { state in
                defer { state.nextID += 1 }
                state.active.insert(state.nextID)
                return state.nextID
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        guard state.active.contains(id) else { return true }
                        if (state.latest[log] ?? 0) > position {
                            state.active.remove(id)
                            return true
                        }
                        state.waiters[log, default: [:]][id] = Waiter(after: position, continuation: continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    state.active.remove(id)
                    return state.waiters[log]?.removeValue(forKey: id)
                }
                waiter?.continuation.resume()
            }
        }

        /// How many readers wait on `log` (tests).
        func waiterCount(_ log: LogID) -> Int {
            state.withLock { $0.waiters[log]?.count ?? 0 }
        }
    }
}
