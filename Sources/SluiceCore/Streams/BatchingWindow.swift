/// `MaximumBatchingWindowInSeconds` (`reference/semantics.md` §1), shared by the stream and the queue batchers: a
/// window starts when the previous batch finished, or — when the poller was idle (nothing buffered, no batch in
/// flight, the last window over) — at the first item that arrives; a batch that is not full waits for its end.
struct BatchingWindow: Sendable, Equatable {
    /// Whether a batch is being processed (from its start until ``batchFinished(now:)``).
    private(set) var isBatchInFlight = false
    /// When the current window started.
    private var start: Timestamp?

    /// Items arrived at `now`; `bufferWasEmpty`: none were waiting before them.
    mutating func itemsArrived(bufferWasEmpty: Bool, now: Timestamp, length: Duration) {
        guard bufferWasEmpty, !isBatchInFlight else { return }
        if start.map({ now >= $0.adding(length) }) ?? true {
            start = now
        }
    }

    /// The end of the current window (a window starting `now` if none has started).
    func deadline(now: Timestamp, length: Duration) -> Timestamp {
        (start ?? now).adding(length)
    }

    mutating func batchStarted() {
        isBatchInFlight = true
    }

    /// The batch in flight finished: the next window starts now.
    mutating func batchFinished(now: Timestamp) {
        isBatchInFlight = false
        start = now
    }
}
