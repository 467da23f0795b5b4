import Logging
import SluiceCore

extension ShardProcessor {
    /// The tumbling window of a shard whose mapping has `TumblingWindowInSeconds > 0` (`reference/semantics.md` §5,
    /// `reference/events.md` §5). The ``TumblingWindow`` machine decides what each invocation carries and when a
    /// window closes; this holds what the driver needs to perform its steps.
    ///
    /// How the driver performs them:
    /// - One batch at a time, in lane 0 (the machine's state is per shard: `ParallelizationFactor` is not applied),
    ///   and without `MaximumBatchingWindowInSeconds`: the window's records are invoked as they are read, cut by
    ///   BatchSize and the 6 MB limit (the event's size counts the window keys and the state).
    /// - Each batch of window records runs through a ``StreamBatchProcessor`` as a plain stream batch does: retries,
    ///   record age, bisect, partial batch responses and on-failure records (the machine's documented choices). A
    ///   retried piece is encoded with ``TumblingWindow/invocation(of:)``, so it carries the state as it is then.
    /// - The final invocation carries no records. It runs through a ``StreamBatchProcessor`` too, with one stand-in
    ///   record that is never encoded: its retries follow MaximumRetryAttempts and the backoff, and its age counts
    ///   from when the window became complete, so MaximumRecordAgeInSeconds gives it up that long after, not at once
    ///   for a window longer than the age limit. A given-up final invocation closes the window (the machine's
    ///   choice) and sends no failure record: it carried no records.
    /// - The shard checkpoint stays where it was when a window's first batch started until the machine says the
    ///   window is closed (its final invocation succeeded or was given up).
    /// - When the window's end passes with no record pending, a `.wake` at the end asks the machine again: the final
    ///   invocation is on time without polling.
    /// - `TumblingWindowInSeconds` is read when the processor starts; an Update that changes it applies when the
    ///   shard's processor starts again.
    struct Windows {
        var machine: TumblingWindow
        /// The invocation in flight (or last sent) in lane 0, whose answer the machine is told.
        var invocation: TumblingWindow.Invocation?
        /// `ReportBatchItemFailures` as the batch in lane 0 started with.
        var reportBatchItemFailures = false
        /// The last record handed out in the open window: its final invocation's stand-in takes its sequence number.
        var lastRecord: StreamRecord?
        /// Set while a window is open: the checkpoint the shard keeps until the window closes.
        var held: HeldCheckpoint?
        /// The window-end timer set, so that waiting for the same end again sets no second timer.
        var timer: Timestamp?

        struct HeldCheckpoint {
            var checkpoint: StreamSequenceNumber?
        }

        init(length: Duration) {
            machine = TumblingWindow(length: length)
        }
    }
}

extension ShardProcessor.State {
    /// Asks the window machine for the shard's next invocation when lane 0 is free, and starts it.
    ///
    /// - Returns: whether the batch finished at once (every record given up, no destination), so it must be pumped
    ///   again.
    mutating func pumpWindow(now: Timestamp, into effects: inout [Effect]) -> Bool {
        guard var windows, work[0] == nil else { return false }
        let pending = lanes.waitingRecords(inLane: 0)
        let wasOpen = windows.machine.openWindow != nil
        let limit = windowBatchLimit(pending, machine: windows.machine)
        let records: [StreamRecord]
        switch windows.machine.nextInvocation(pending: pending, maximumCount: limit, now: now) {
        case .waitForRecords(let closingAt):
            if let closingAt, windows.timer != closingAt {
                windows.timer = closingAt
                effects.append(.wake(.windowEnd(closingAt), at: closingAt))
            }
            self.windows = windows
            return false
        case .invoke(let invocation) where invocation.isFinalInvokeForWindow:
            let last = windows.lastRecord
            records = [
                StreamRecord(
                    sequenceNumber: last?.sequenceNumber ?? lanes.checkpoint ?? StreamSequenceNumber("0"),
                    partitionKey: last?.partitionKey ?? "", data: [], arrival: now
                )
            ]
        case .invoke(let invocation):
            if !wasOpen {
                windows.held = .init(checkpoint: lanes.checkpoint)
            }
            records = lanes.batchStarted(inLane: 0, count: invocation.records.count)
            if records != invocation.records {
                logger.error("Lane and window disagree on a batch")
            }
            windows.lastRecord = records.last ?? windows.lastRecord
        }
        guard !records.isEmpty else { return false }
        windows.reportBatchItemFailures = settings.processing.reportBatchItemFailures
        self.windows = windows
        var lanework = LaneWork(functionArn: settings.functionArn, onFailureDestination: settings.onFailureDestination)
        lanework.pending = lanework.processor.batchStarted(
            StreamBatcher.Batch(records: records), settings: settings.processing, now: now
        )
        work[0] = lanework
        advance(lane: 0, now: now, into: &effects)
        return work[0] == nil
    }

    /// The event for `records` of lane 0 (a batch, a retried piece, or a final invocation's stand-in), as the machine
    /// says the window's invocation of them looks now.
    mutating func windowEvent(for records: [StreamRecord]) -> [UInt8] {
        guard var windows, let invocation = windows.machine.invocation(of: records) else {
            return encoder.encode(records)
        }
        windows.invocation = invocation
        self.windows = windows
        let event = TumblingWindowEvent(
            start: invocation.window.start, end: invocation.window.end, state: invocation.state,
            isFinalInvokeForWindow: invocation.isFinalInvokeForWindow,
            isWindowTerminatedEarly: invocation.isWindowTerminatedEarly
        )
        return encoder.encode(invocation.records, window: event)
    }

    /// The function answered lane 0's window invocation without a function error: the machine takes the response's
    /// state, then the batch processor reads the same body (both read `batchItemFailures` through
    /// ``BatchItemFailures``). A response the window cannot use (no `state`, an unusable failure list) is a function
    /// error.
    mutating func windowFunctionReturned(
        _ body: [UInt8], processor: inout StreamBatchProcessor, now: Timestamp
    ) -> [StreamBatchProcessor.Action] {
        guard var windows, let invocation = windows.invocation else {
            return processor.functionReturned(body, now: now)
        }
        let response = TumblingWindowResponse(
            parsing: body, batch: invocation.records.map(\.sequenceNumber),
            reportBatchItemFailures: windows.reportBatchItemFailures
        )
        let outcome = windows.machine.invocationSucceeded(invocation, state: response.state)
        if case .checkpoint = outcome {
            windows.held = nil
            windows.lastRecord = nil
        }
        self.windows = windows
        guard outcome != .retryAsFunctionError else {
            logger.debug("Window response refused", metadata: ["reason": "\(response)"])
            return processor.functionFailed(now: now)
        }
        return processor.functionReturned(body, now: now)
    }

    /// The batch processor gave `records` of lane 0 up: the machine keeps the state, or closes the window when it was
    /// the final invocation.
    ///
    /// - Returns: whether to send their failure record (not for a final invocation's stand-in).
    mutating func windowRecordsGivenUp(_ records: [StreamRecord]) -> Bool {
        guard var windows, let invocation = windows.machine.invocation(of: records) else { return true }
        if case .checkpoint = windows.machine.invocationGivenUp(invocation) {
            windows.held = nil
            windows.lastRecord = nil
        }
        self.windows = windows
        if invocation.isFinalInvokeForWindow {
            logger.warning("The final invocation of a window was given up; the window is closed")
            return false
        }
        return true
    }

    /// How many of `pending` one window invocation may carry: BatchSize, and what fits the payload limit with the
    /// window keys and the open window's state.
    private func windowBatchLimit(_ pending: ArraySlice<StreamRecord>, machine: TumblingWindow) -> Int {
        guard let first = pending.first else { return settings.batchSize }
        let interval = machine.openWindow ?? machine.window(of: first)
        let event = TumblingWindowEvent(start: interval.start, end: interval.end, state: machine.openState ?? [:])
        var size = StreamBatcher.PayloadSize(kinesis: encoder, maximumBytes: settings.maximumPayloadBytes)
        size.envelopeBytes = encoder.envelopeSize(window: event)
        return size.fittingCount(of: Array(pending.prefix(settings.batchSize)), limit: settings.batchSize)
    }
}
