import Synchronization

/// A single-consumer queue of events that, unlike `AsyncStream`, keeps delivering after the consumer's task is
/// cancelled: a cancelled ``ShardProcessor`` must still hear its in-flight invocation finish (`reference/semantics.md`
/// §11, Disable). Posting never suspends.
final class Mailbox<Event: Sendable>: Sendable {
    private struct State {
        var events: [Event] = []
        var head = 0
        var waiter: CheckedContinuation<Event, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Queues `event`, or hands it to the waiting consumer.
    func post(_ event: Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Event, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.events.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The oldest event, waiting for one if none is queued. Ignores cancellation. One consumer at a time.
    func next() async -> Event {
        await withCheckedContinuation { (continuation: CheckedContinuation<Event, Never>) in
            let event = state.withLock { state -> Event? in
                guard state.head < state.events.count else {
                    state.waiter = continuation
                    return nil
                }
                let event = state.events[state.head]
                state.head += 1
                if state.head == state.events.count {
                    state.events.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return event
            }
            if let event { continuation.resume(returning: event) }
        }
    }
}
