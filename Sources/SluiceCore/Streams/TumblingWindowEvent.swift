/// The tumbling-window keys an invocation carries when a mapping has `TumblingWindowInSeconds > 0`
/// (`reference/events.md` §5, `reference/semantics.md` §5).
///
/// They follow `Records` at the top of the event, in this order:
///
/// ```json
/// {"Records":[…],"window":{"start":"2020-12-09T07:04:00Z","end":"2020-12-09T07:06:00Z"},"state":{"1":282},
///  "shardId":"shardId-000000000006","eventSourceARN":"arn:aws:kinesis:…:stream/s",
///  "isFinalInvokeForWindow":false,"isWindowTerminatedEarly":false}
/// ```
///
/// `shardId` and `eventSourceARN` come from the ``KinesisEventEncoder``; this value holds what changes per
/// invocation. The window state machine decides the values; ``KinesisEventEncoder/encode(_:window:)`` writes them.
public struct TumblingWindowEvent: Sendable, Equatable {
    /// `window.start`, written to the second (`2020-12-09T07:04:00Z`).
    public var start: Timestamp
    /// `window.end`, written to the second.
    public var end: Timestamp
    /// The `state` the function returned for the previous invocation of this window; `{}` for the first one.
    public var state: JSONObject
    /// `true` on the extra invocation at the end of the window (its `Records` may be empty).
    public var isFinalInvokeForWindow: Bool
    /// `true` when the window ends before its time, because the state grew past 1 MB.
    public var isWindowTerminatedEarly: Bool

    /// - Parameters:
    ///   - start: the window's first instant (windows are aligned to multiples of their length since the epoch,
    ///     `reference/semantics.md` §5).
    ///   - end: `start` + `TumblingWindowInSeconds`.
    ///   - state: the state carried from the previous invocation of this window.
    ///   - isFinalInvokeForWindow: whether this is the window's closing invocation.
    ///   - isWindowTerminatedEarly: whether the window closes early.
    public init(
        start: Timestamp, end: Timestamp, state: JSONObject = JSONObject(), isFinalInvokeForWindow: Bool = false,
        isWindowTerminatedEarly: Bool = false
    ) {
        self.start = start
        self.end = end
        self.state = state
        self.isFinalInvokeForWindow = isFinalInvokeForWindow
        self.isWindowTerminatedEarly = isWindowTerminatedEarly
    }
}
