extension Duration {
    /// The duration in whole milliseconds, rounded toward zero: what the engines add to ``Timestamp``s.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension Timestamp {
    /// This time plus `duration`, to the millisecond.
    public func adding(_ duration: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + duration.wholeMilliseconds)
    }
}
