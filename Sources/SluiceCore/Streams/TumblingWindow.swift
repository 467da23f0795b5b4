/// The tumbling window of one shard (`reference/semantics.md` §5, `reference/events.md` §5): records are grouped
/// into windows by arrival time; the function's `state` is carried from one invocation of a window to the next; a
/// last invocation with `isFinalInvokeForWindow: true` hands it the final state, and only after it succeeds does the
/// shard checkpoint pass the window's records and the state is discarded.
///
/// ```
/// records of window W ──nextInvocation──▶ .invoke(W, state, final: false) ──invocationSucceeded(state:)──▶ keep state
/// record of a later window, time past W's end, shard end, or state > 1 MB
///                     ──nextInvocation──▶ .invoke(W, state, final: true)  ──invocationSucceeded(state:)──▶ .checkpoint
/// ```
///
/// Choices where the reference is uncertain:
/// - Windows are aligned to multiples of their length since the Unix epoch, by record arrival time
///   (`approximateArrivalTimestamp`), as the docs' 120 s windows starting on whole minutes suggest.
/// - The final invocation carries no records: it is sent once the window is known to be complete — a record of
///   another window is next, the poller read the shard at or after the window's end and holds none of its records, the
///   shard ended (resharding closes the window), or the state outgrew 1 MB.
/// - The state limit is 1 MB = 1,048,576 bytes of the state's compact JSON text. A window whose state exceeds it gets
///   its final invocation at once with `isWindowTerminatedEarly: true` and that state; later records of the same
///   interval open a new window with the same bounds and an empty state (aws-lambda-go: "subsequent invoke will
///   continue the same window with a fresh state").
/// - A response without `state` fails the invocation, final ones included; the state before it is kept for the retry.
/// - A late record (its window already closed) opens a new window for its own interval with an empty state.
/// - The first invocation of a window gets `state: {}`.
/// - With ReportBatchItemFailures, the state of a partly failed response is kept and the retried rest gets it.
/// - Given-up invocations (retries or record age exhausted) keep the state; a given-up final invocation closes the
///   window all the same, so that the shard does not stop forever.
/// - State is per shard: a shard with windows runs one batch at a time (ParallelizationFactor is not applied).
public struct TumblingWindow: Sendable, Equatable {
    /// A window's bounds, `[start, end)`.
    public struct Interval: Sendable, Hashable {
        public var start: Timestamp
        public var end: Timestamp

        public init(start: Timestamp, end: Timestamp) {
            self.start = start
            self.end = end
        }

        /// The window of `length` milliseconds that holds `instant`, aligned to multiples of the length since the
        /// epoch.
        public init(containing instant: Timestamp, lengthInMilliseconds length: Int64) {
            let time = instant.millisecondsSinceEpoch
            let floor = time >= 0 ? time / length * length : (time - length + 1) / length * length
            self.init(
                start: Timestamp(millisecondsSinceEpoch: floor),
                end: Timestamp(millisecondsSinceEpoch: floor + length)
            )
        }

        public func contains(_ instant: Timestamp) -> Bool { start <= instant && instant < end }
    }

    /// One invocation of the function for a window: the records and the keys `events.md` §5 adds to the event.
    public struct Invocation: Sendable, Equatable {
        public var records: [StreamRecord]
        public var window: Interval
        public var state: JSONObject
        public var isFinalInvokeForWindow: Bool
        public var isWindowTerminatedEarly: Bool

        public init(
            records: [StreamRecord],
            window: Interval,
            state: JSONObject,
            isFinalInvokeForWindow: Bool = false,
            isWindowTerminatedEarly: Bool = false
        ) {
            self.records = records
            self.window = window
            self.state = state
            self.isFinalInvokeForWindow = isFinalInvokeForWindow
            self.isWindowTerminatedEarly = isWindowTerminatedEarly
        }
    }

    /// What the poller does next for the shard.
    public enum Step: Sendable, Equatable {
        /// Invoke the function with this invocation (its records are a prefix of the pending records).
        case invoke(Invocation)
        /// Nothing to invoke: read more records; ask again by `closingAt` at the latest, to close the open window.
        case waitForRecords(closingAt: Timestamp?)
    }

    /// What a response (or giving up) means for the shard.
    public enum Outcome: Sendable, Equatable {
        /// The window goes on with the state returned.
        case proceed
        /// The response had no `state`: handle it as a function error (retry policy of §3), state unchanged.
        case retryAsFunctionError
        /// The window is closed: everything read up to and including this record is done (`nil`: no record).
        case checkpoint(through: StreamSequenceNumber?)
    }

    private struct OpenWindow: Sendable, Equatable {
        var interval: Interval
        var state = JSONObject()
        /// The last record handed out in this window.
        var lastRecord: StreamSequenceNumber?
        var isClosing = false
        var isTerminatedEarly = false
    }

    /// Largest state kept per shard: 1 MB (docs), counted as bytes of the state's compact JSON text.
    public static let maximumStateBytes = 1_048_576

    /// The window length (`TumblingWindowInSeconds`, 1–900 s).
    public let lengthInMilliseconds: Int64
    private var open: OpenWindow?
    private var shardHasEnded = false

    /// The window machine of a shard for a mapping with `TumblingWindowInSeconds` = `length`.
    public init(length: Duration) {
        self.lengthInMilliseconds = max(1, length.wholeMilliseconds)
    }

    /// The window open now, if any.
    public var openWindow: Interval? { open?.interval }

    /// The state the open window's next invocation carries, if a window is open (the poller sizes the event by it).
    public var openState: JSONObject? { open?.state }

    /// The window a record belongs to.
    public func window(of record: StreamRecord) -> Interval {
        Interval(containing: record.arrival, lengthInMilliseconds: lengthInMilliseconds)
    }

    // MARK: Events

    /// The poller holds `pending` records (read, not yet handed out, in sequence order) and read the shard at `now`.
    ///
    /// Call it only when no invocation of the shard is in flight. A batch never mixes windows: the invocation takes
    /// the pending records of the first one's window, at most `maximumCount` (the batcher's BatchSize / 6 MB cut).
    /// When the open window is complete, the answer is its final invocation, until that one is settled.
    public mutating func nextInvocation(
        pending: some Collection<StreamRecord>,
        maximumCount: Int,
        now: Timestamp
    ) -> Step {
        let first = pending.first
        if var current = open {
            let complete =
                current.isClosing || current.isTerminatedEarly
                || first.map { !current.interval.contains($0.arrival) }
                    ?? (now >= current.interval.end || shardHasEnded)
            if complete {
                current.isClosing = true
                open = current
                return .invoke(finalInvocation(of: current))
            }
        }
        guard let first else { return .waitForRecords(closingAt: open?.interval.end) }
        var current = open ?? OpenWindow(interval: window(of: first))
        let records = Array(pending.prefix(max(1, maximumCount)).prefix { current.interval.contains($0.arrival) })
        current.lastRecord = records.last?.sequenceNumber ?? current.lastRecord
        open = current
        return .invoke(Invocation(records: records, window: current.interval, state: current.state))
    }

    /// The invocation for a retry of `records` in the open window (the rest after a partial failure, a bisected
    /// half): the current state, and the final flags when the window is closing.
    public func invocation(of records: [StreamRecord]) -> Invocation? {
        guard let open else { return nil }
        return open.isClosing
            ? finalInvocation(of: open)
            : Invocation(records: records, window: open.interval, state: open.state)
    }

    /// The function answered `invocation` without a function error; `state` is the response's `state` object (`nil`:
    /// absent, `null` or not an object, as `TumblingWindowResponse` reads it).
    public mutating func invocationSucceeded(_ invocation: Invocation, state: JSONObject?) -> Outcome {
        guard var window = open, window.interval == invocation.window else { return .proceed }
        guard let state else { return .retryAsFunctionError }
        if invocation.isFinalInvokeForWindow {
            return close()
        }
        window.state = state
        if JSONValue.object(state).jsonText.utf8.count > Self.maximumStateBytes {
            window.isTerminatedEarly = true
        }
        open = window
        return .proceed
    }

    /// The poller gave `invocation` up (retries or record age exhausted, §3). A non-final one keeps the state; a final
    /// one closes the window anyway.
    public mutating func invocationGivenUp(_ invocation: Invocation) -> Outcome {
        guard let window = open, window.interval == invocation.window else { return .proceed }
        return invocation.isFinalInvokeForWindow ? close() : .proceed
    }

    /// The shard was read to its end (resharding): the open window closes as soon as its pending records are invoked.
    public mutating func shardEnded() {
        shardHasEnded = true
    }

    // MARK: Helpers

    private func finalInvocation(of window: OpenWindow) -> Invocation {
        Invocation(
            records: [],
            window: window.interval,
            state: window.state,
            isFinalInvokeForWindow: true,
            isWindowTerminatedEarly: window.isTerminatedEarly
        )
    }

    private mutating func close() -> Outcome {
        let last = open?.lastRecord
        open = nil
        return .checkpoint(through: last)
    }
}
