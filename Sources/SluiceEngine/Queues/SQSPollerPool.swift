import SluiceCore
import Synchronization

/// The state the pollers of one SQS mapping share: the current settings, the scaling machine
/// (``SQSPollerScaling``) and which pollers run. Pollers are numbered from 0; those below the scaling target run, a
/// poller at or above it stops once its buffered messages are invoked, and a growing target starts the missing
/// numbers again. A lock, not an actor: every call is a few assignments and pollers call it on each receive.
final class SQSPollerPool: Sendable {
    private struct State {
        var settings: SQSPollerSettings
        var version = 0
        var scaling: SQSPollerScaling
        var running: Set<Int> = []
        /// The poller filling a batch under a batching window, if any.
        var gatherer: Int?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state: Mutex<State>
    /// Notified after each settings change, so a poller's long poll ends and it takes the new settings.
    let updates = ChangeSignal()

    init(settings: SQSPollerSettings, now: Timestamp) {
        var scaling = SQSPollerScaling(settings: settings.scaling)
        _ = scaling.started(now: now)
        state = Mutex(State(settings: settings, scaling: scaling))
    }

    /// The settings and their version, which grows with each update.
    var settings: (SQSPollerSettings, version: Int) {
        state.withLock { ($0.settings, $0.version) }
    }

    /// The pollers to start now: the numbers below the target that are not running, marked running.
    func pollersToStart() -> [Int] {
        state.withLock { state in
            let missing = (0..<state.scaling.target).filter { !state.running.contains($0) }
            state.running.formUnion(missing)
            return missing
        }
    }

    /// Whether poller `index` goes on: it is below the target, or still holds messages to invoke. A poller told no is
    /// no longer running.
    func keepsPolling(_ index: Int, holdingMessages: Bool) -> Bool {
        state.withLock { state in
            guard index >= state.scaling.target, !holdingMessages else { return true }
            state.running.remove(index)
            return false
        }
    }

    /// A receive returned `count` messages (before filtering); `true` when pollers must be started.
    func received(_ count: Int, now: Timestamp) -> Bool {
        state.withLock { state in
            let action = count > 0 ? state.scaling.messagesReceived(now: now) : state.scaling.receivedNothing(now: now)
            return Self.grew(action, state)
        }
    }

    /// An invocation was throttled: one batch fewer at once.
    func throttled(now: Timestamp) {
        _ = state.withLock { $0.scaling.invocationThrottled(now: now) }
    }

    /// The mapping (or its function's reserved concurrency) changed; `true` when pollers must be started.
    func settingsChanged(_ settings: SQSPollerSettings, now: Timestamp) -> Bool {
        defer { updates.notify() }
        return state.withLock { state in
            state.settings = settings
            state.version += 1
            return Self.grew(state.scaling.settingsChanged(settings.scaling, now: now), state)
        }
    }

    // MARK: Gathering

    /// Returns once poller `index` is the one poller that receives to fill a batch under a batching window, or the
    /// task is cancelled. With a window, pollers take turns gathering, so a burst lands in one batch instead of one
    /// partial batch per poller; the others invoke their batches meanwhile.
    func gather(_ index: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard !Task.isCancelled, state.gatherer != nil, state.gatherer != index else {
                        if !Task.isCancelled { state.gatherer = index }
                        return true
                    }
                    state.waiters[index] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: index) }?.resume()
        }
    }

    /// Poller `index` stopped gathering (its batch is cut, or it stops): the next waiting poller gathers.
    func stopGathering(_ index: Int) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.gatherer == index else { return nil }
            guard let (waiter, continuation) = state.waiters.min(by: { $0.key < $1.key }) else {
                state.gatherer = nil
                return nil
            }
            state.waiters.removeValue(forKey: waiter)
            state.gatherer = waiter
            return continuation
        }
        next?.resume()
    }

    /// The function's reserved concurrency, as last read.
    var reservedConcurrency: Int? { state.withLock { $0.settings.scaling.reservedConcurrency } }

    private static func grew(_ action: SQSPollerScaling.Action, _ state: State) -> Bool {
        guard case .scale(let target) = action else { return false }
        return (0..<target).contains { !state.running.contains($0) }
    }
}
