import SluiceCore

extension ManualClock {
    /// The wall time a test's engine reads: `epoch` plus the time this clock has advanced, to the millisecond.
    public func wallTime(from epoch: Timestamp) -> Timestamp {
        epoch.adding(now.offset)
    }
}
