/// The stream error-handling rules of `reference/semantics.md` §3 for one batch of one shard (or lane), following
/// its pseudo-code: a batch becomes a queue of pieces (the batch, its bisected halves, the rest after a partial
/// failure), each with a retry counter and an invocation count; the machine says what to invoke, send, checkpoint
/// or wait for, and the poller reports what happened.
///
/// Every event returns a list of actions to perform **in order**: zero or more `.sendFailure` and `.checkpoint`,
/// then exactly one of `.invoke`, `.sleep(until:)` or `.finished`, which says what the poller waits for next.
///
/// Rules (§3, and `reference/events.md` §6–§7):
/// - Before **every** attempt, records older than `MaximumRecordAgeInSeconds` leave the piece and are reported
///   `RecordAgeExceeded`; a piece left empty is not invoked.
/// - Success checkpoints after the piece; the batch is finished when no piece is left.
/// - A valid non-empty batch-item-failure list (``BatchItemFailures``, only with `ReportBatchItemFailures`)
///   checkpoints before the lowest reported record; the rest is a new piece with a fresh retry budget and
///   invocation count, invoked at once. If the lowest reported record is the piece's first, the attempt counts as
///   a retry of the same piece (no bisect: the report already cut the batch).
/// - A function error, or an invalid batch-item-failure response, bisects a piece of two or more records when
///   `BisectBatchOnFunctionError` is on: halves (the first `count / 2` records, then the rest), first half fully
///   first, each inheriting the retry counter, invoked at once; a split does not use a retry. Otherwise — and for
///   a single record — the attempt uses a retry.
/// - A retry waits ``Backoff`` (exponential from 1 s, capped at 10 s); past `MaximumRetryAttempts` (unlimited when
///   −1) the piece is reported `RetryAttemptsExhausted` and checkpointed past.
/// - An invocation that was not made (throttle, missing or inactive function, service error) is retried after a
///   backoff of its own and does not count; only record age ends it.
///
/// Choices where AWS is silent (**uncertain**): `approximateInvokeCount` is the number of invocations that carried
/// the records being given up since their batch got its budget (halves inherit it), at least 1 (recorded: 1 for a
/// record that expired before any invocation); a record is too old when its age is strictly greater than
/// `MaximumRecordAgeInSeconds`; the halves of an odd piece put the extra record in the second half.
public struct StreamBatchProcessor: Sendable, Equatable {
    /// The error-handling knobs of a mapping, captured when a batch starts: an Update applies from the next batch.
    public struct Settings: Sendable, Equatable {
        /// `MaximumRetryAttempts`; `nil` for −1 (retry until the records are too old).
        public var maximumRetryAttempts: Int?
        /// `MaximumRecordAgeInSeconds`; `nil` for −1 (no age limit).
        public var maximumRecordAge: Duration?
        /// `BisectBatchOnFunctionError`.
        public var bisectBatchOnFunctionError: Bool
        /// `FunctionResponseTypes` contains `ReportBatchItemFailures`: the response body is read; otherwise ignored.
        public var reportBatchItemFailures: Bool
        /// The delays between attempts.
        public var backoff: Backoff

        /// - Parameters:
        ///   - maximumRetryAttempts: retries after the first attempt; `nil` for unlimited (AWS −1, the default).
        ///   - maximumRecordAge: the age past which records are dropped; `nil` for unlimited (AWS −1, the default).
        ///   - bisectBatchOnFunctionError: halve failing batches.
        ///   - reportBatchItemFailures: honour batch-item-failure responses.
        ///   - backoff: retry delays.
        public init(
            maximumRetryAttempts: Int? = nil, maximumRecordAge: Duration? = nil,
            bisectBatchOnFunctionError: Bool = false, reportBatchItemFailures: Bool = false, backoff: Backoff = .init()
        ) {
            self.maximumRetryAttempts = maximumRetryAttempts
            self.maximumRecordAge = maximumRecordAge
            self.bisectBatchOnFunctionError = bisectBatchOnFunctionError
            self.reportBatchItemFailures = reportBatchItemFailures
            self.backoff = backoff
        }

        /// The settings of a stream mapping's configuration: −1 or an absent member means unlimited.
        ///
        /// - Parameters:
        ///   - configuration: the mapping as stored.
        ///   - backoff: retry delays.
        public init(_ configuration: EventSourceMappingConfiguration, backoff: Backoff = .init()) {
            self.init(
                maximumRetryAttempts: configuration.maximumRetryAttempts.flatMap { $0 < 0 ? nil : $0 },
                maximumRecordAge: configuration.maximumRecordAgeInSeconds.flatMap { $0 < 0 ? nil : .seconds($0) },
                bisectBatchOnFunctionError: configuration.bisectBatchOnFunctionError ?? false,
                reportBatchItemFailures: configuration.functionResponseTypes?.contains("ReportBatchItemFailures")
                    ?? false,
                backoff: backoff
            )
        }
    }

    /// Why records are given up, as the on-failure record's `requestContext.condition` spells it.
    public enum FailureCondition: String, Sendable, Equatable {
        case retryAttemptsExhausted = "RetryAttemptsExhausted"
        case recordAgeExceeded = "RecordAgeExceeded"
    }

    /// What the poller does, in list order.
    public enum Action: Sendable, Equatable {
        /// Invoke the function synchronously with these records; report ``functionReturned(_:now:)``,
        /// ``functionFailed(now:)`` or ``invocationNotMade(now:)``.
        case invoke([StreamRecord])
        /// Give these records up: send the on-failure record (`reference/events.md` §7.1) if the mapping has a
        /// destination — `responseContext` from the last invocation for `RetryAttemptsExhausted`, none for
        /// `RecordAgeExceeded` — and only then perform the next action.
        case sendFailure(records: [StreamRecord], condition: FailureCondition, approximateInvokeCount: Int)
        /// Every record of the shard up to and including this one is done: store the checkpoint.
        case checkpoint(after: StreamSequenceNumber)
        /// Wait until then, then report ``retryDue(now:)``.
        case sleep(until: Timestamp)
        /// The batch is done and checkpointed: tell the batcher (`StreamBatcher.batchFinished(now:)`).
        case finished
    }

    /// Records still to be processed together, with what they have used of their budget.
    struct Piece: Sendable, Equatable {
        var records: [StreamRecord]
        /// Retries used (`r` of the pseudo-code).
        var retries: Int
        /// Invocations that carried these records since their budget started.
        var invocations: Int
    }

    enum Phase: Sendable, Equatable {
        case idle
        /// The first piece is being invoked.
        case invoking
        /// Waiting before the next attempt.
        case sleeping(until: Timestamp)
    }

    private var settings = Settings()
    private var phase = Phase.idle
    /// Pieces left, in order; the first is the one being invoked or waited for.
    private var pieces: [Piece] = []
    /// The batch's covered position, checkpointed when the last piece is done.
    private var lastSequenceNumber: StreamSequenceNumber?
    private var checkpointed: StreamSequenceNumber?
    /// Invocations not made in a row, for their backoff.
    private var invocationsNotMade = 0

    public init() {}

    /// Whether no batch is being processed.
    public var isIdle: Bool { phase == .idle }

    // MARK: Events

    /// A batch from the batcher starts: check ages, invoke.
    ///
    /// - Parameters:
    ///   - batch: the records and the position they cover.
    ///   - settings: the mapping's settings now; they hold for this whole batch.
    ///   - now: the current time.
    public mutating func batchStarted(_ batch: StreamBatcher.Batch, settings: Settings, now: Timestamp) -> [Action] {
        precondition(phase == .idle, "a batch started while another is in progress")
        self.settings = settings
        pieces = [Piece(records: batch.records, retries: 0, invocations: 0)]
        lastSequenceNumber = batch.lastSequenceNumber
        checkpointed = nil
        invocationsNotMade = 0
        return next(now: now)
    }

    /// The function returned without `X-Amz-Function-Error`.
    ///
    /// - Parameters:
    ///   - response: the response payload; read as a batch-item-failure list only with `ReportBatchItemFailures`.
    ///   - now: when the invocation finished.
    public mutating func functionReturned(_ response: [UInt8], now: Timestamp) -> [Action] {
        guard var piece = invokedPiece() else { return [] }
        piece.invocations += 1
        guard settings.reportBatchItemFailures else { return succeeded(piece, now: now) }
        let identifiers = Set(piece.records.map(\.sequenceNumber.text))
        switch BatchItemFailures(parsing: response, itemIdentifiers: identifiers) {
        case .none:
            return succeeded(piece, now: now)
        case .invalid:
            return failed(piece, now: now)
        case .reported(let failed):
            let reported = Set(failed)
            let lowest = piece.records.firstIndex { reported.contains($0.sequenceNumber.text) } ?? 0
            return partiallyFailed(piece, from: lowest, now: now)
        }
    }

    /// The function failed: `X-Amz-Function-Error` (handled or unhandled error, timeout, runtime crash, oversized
    /// response). Its body is not read.
    public mutating func functionFailed(now: Timestamp) -> [Action] {
        guard var piece = invokedPiece() else { return [] }
        piece.invocations += 1
        return failed(piece, now: now)
    }

    /// The invocation was not made: throttled (429), function missing or inactive, service error. It does not
    /// count as an attempt.
    public mutating func invocationNotMade(now: Timestamp) -> [Action] {
        guard phase == .invoking else { return [] }
        let delay = settings.backoff.delay(afterFailures: invocationsNotMade)
        invocationsNotMade += 1
        return [sleep(delay, now: now)]
    }

    /// The time of a `.sleep(until:)` came: check ages, attempt again. A stale call (before the time, or with no
    /// sleep pending) answers the sleep again, or nothing.
    public mutating func retryDue(now: Timestamp) -> [Action] {
        guard case .sleeping(let until) = phase else { return [] }
        guard now >= until else { return [.sleep(until: until)] }
        return next(now: now)
    }

    // MARK: Outcomes

    private mutating func invokedPiece() -> Piece? {
        guard phase == .invoking, let piece = pieces.first else { return nil }
        invocationsNotMade = 0
        return piece
    }

    private mutating func succeeded(_ piece: Piece, now: Timestamp) -> [Action] {
        pieces.removeFirst()
        var actions: [Action] = []
        checkpoint(after: piece.records.last, into: &actions)
        return next(now: now, after: actions)
    }

    /// The response reported records from `index` on as failed.
    private mutating func partiallyFailed(_ piece: Piece, from index: Int, now: Timestamp) -> [Action] {
        guard index > 0 else { return retryOrGiveUp(piece, now: now) }
        pieces[0] = Piece(records: Array(piece.records[index...]), retries: 0, invocations: 0)
        var actions: [Action] = []
        checkpoint(after: piece.records[index - 1], into: &actions)
        return next(now: now, after: actions)
    }

    private mutating func failed(_ piece: Piece, now: Timestamp) -> [Action] {
        guard settings.bisectBatchOnFunctionError, piece.records.count > 1 else {
            return retryOrGiveUp(piece, now: now)
        }
        let middle = piece.records.count / 2
        var first = piece
        var second = piece
        first.records = Array(piece.records[..<middle])
        second.records = Array(piece.records[middle...])
        pieces.replaceSubrange(0..<1, with: [first, second])
        return next(now: now)
    }

    private mutating func retryOrGiveUp(_ piece: Piece, now: Timestamp) -> [Action] {
        if let maximum = settings.maximumRetryAttempts, piece.retries + 1 > maximum {
            pieces.removeFirst()
            var actions: [Action] = [
                .sendFailure(
                    records: piece.records, condition: .retryAttemptsExhausted,
                    approximateInvokeCount: piece.invocations
                )
            ]
            checkpoint(after: piece.records.last, into: &actions)
            return next(now: now, after: actions)
        }
        var retried = piece
        retried.retries += 1
        pieces[0] = retried
        return [sleep(settings.backoff.delay(afterFailures: piece.retries), now: now)]
    }

    // MARK: Attempts

    /// Before an attempt: drop records too old, then invoke the first piece left, or finish the batch.
    private mutating func next(now: Timestamp, after earlier: [Action] = []) -> [Action] {
        var actions = earlier
        while var piece = pieces.first {
            let (expired, kept, leadingExpired) = split(piece.records, now: now)
            if !expired.isEmpty {
                actions.append(
                    .sendFailure(
                        records: expired, condition: .recordAgeExceeded,
                        approximateInvokeCount: max(1, piece.invocations)
                    )
                )
                checkpoint(after: piece.records.prefix(leadingExpired).last, into: &actions)
            }
            guard !kept.isEmpty else {
                pieces.removeFirst()
                continue
            }
            piece.records = kept
            pieces[0] = piece
            phase = .invoking
            actions.append(.invoke(kept))
            return actions
        }
        checkpoint(after: lastSequenceNumber, into: &actions)
        phase = .idle
        lastSequenceNumber = nil
        actions.append(.finished)
        return actions
    }

    /// The records older than `MaximumRecordAgeInSeconds` at `now`, the others, and how many of the first records
    /// are too old (arrival times grow along a shard, so normally all the expired ones).
    private func split(
        _ records: [StreamRecord], now: Timestamp
    ) -> (expired: [StreamRecord], kept: [StreamRecord], leadingExpired: Int) {
        guard let maximumAge = settings.maximumRecordAge else { return ([], records, 0) }
        let oldestArrival = now.millisecondsSinceEpoch - maximumAge.wholeMilliseconds
        let isExpired = { (record: StreamRecord) in record.arrival.millisecondsSinceEpoch < oldestArrival }
        let expired = records.filter(isExpired)
        let kept = records.filter { !isExpired($0) }
        let leadingExpired = records.firstIndex { !isExpired($0) } ?? records.count
        return (expired, kept, leadingExpired)
    }

    private mutating func checkpoint(after record: StreamRecord?, into actions: inout [Action]) {
        checkpoint(after: record?.sequenceNumber, into: &actions)
    }

    /// Appends a checkpoint unless one as far was already made; checkpoints in a row collapse into the last.
    private mutating func checkpoint(after sequenceNumber: StreamSequenceNumber?, into actions: inout [Action]) {
        guard let sequenceNumber, checkpointed.map({ $0 < sequenceNumber }) ?? true else { return }
        checkpointed = sequenceNumber
        if case .checkpoint? = actions.last {
            actions.removeLast()
        }
        actions.append(.checkpoint(after: sequenceNumber))
    }

    private mutating func sleep(_ delay: Duration, now: Timestamp) -> Action {
        let until = now.adding(delay)
        phase = .sleeping(until: until)
        return .sleep(until: until)
    }
}

extension StreamBatchProcessor {
    /// Delays between attempts (`reference/semantics.md` §3: recorded about 8 invocations in the first 60 s of
    /// unlimited retries; recommended exponential from about 1 s, capped around 10 s — **uncertain values**): the
    /// n-th delay (from 0) is `initial × 2ⁿ`, at most `maximum`. 1, 2, 4, 8, 10, 10 … seconds puts 9 attempts in
    /// the first 60 s when the function answers at once, about 8 when it takes a moment.
    public struct Backoff: Sendable, Equatable {
        public var initial: Duration
        public var maximum: Duration

        public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(10)) {
            self.initial = initial
            self.maximum = maximum
        }

        /// The delay after `failures` earlier failures of the same kind in a row (0 for the first).
        public func delay(afterFailures failures: Int) -> Duration {
            var delay = initial
            for _ in 0..<failures {
                guard delay < maximum else { break }
                delay *= 2
            }
            return min(delay, maximum)
        }
    }
}
