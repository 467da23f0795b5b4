/// The batching rules of `reference/semantics.md` §1 for one shard (or one lane of a shard): records read go in,
/// batches come out when the first of these is reached:
///
/// 1. `BatchSize` records are buffered;
/// 2. the next buffered record would push the event JSON over 6 MB (``PayloadSize``);
/// 3. the batching window (`MaximumBatchingWindowInSeconds`) has expired.
///
/// The window starts when the previous batch finished (its last invocation, retries included); if the batcher was
/// idle — nothing buffered, no batch in flight, and any window opened by the last batch already over — it starts
/// when the first record of the new batch is read. So an idle batcher opens no empty windows: a burst after a quiet
/// period is invoked one window length after its first record was read (§1, the idle case **uncertain**, chosen as
/// the reference recommends). With a window of 0 records are invoked as soon as they are read.
///
/// One batch is in flight at a time: the shard (lane) is blocked while its batch is retried (§3); records read
/// meanwhile are buffered for the next batch. A batch with zero records (everything read was filtered out) is never
/// invoked, but its position is checkpointed.
///
/// Settings can change at any time (``settingsChanged(_:now:)``); they shape the next batch formed.
public struct StreamBatcher: Sendable, Equatable {
    /// The batching knobs of a mapping, as they apply to the next batch.
    public struct Settings: Sendable, Equatable {
        /// `BatchSize`: the most records in one batch.
        public var batchSize: Int
        /// `MaximumBatchingWindowInSeconds` as a duration.
        public var maximumBatchingWindow: Duration
        /// How big the event of a batch is, for the 6 MB cut.
        public var payloadSize: PayloadSize

        /// - Parameters:
        ///   - batchSize: `BatchSize` (Kinesis and DynamoDB default 100).
        ///   - maximumBatchingWindow: the window; `.zero` invokes as soon as records are read.
        ///   - payloadSize: the event size model and limit.
        public init(batchSize: Int = 100, maximumBatchingWindow: Duration = .zero, payloadSize: PayloadSize = .init()) {
            self.batchSize = batchSize
            self.maximumBatchingWindow = maximumBatchingWindow
            self.payloadSize = payloadSize
        }

        /// The settings of a stream mapping's configuration (absent members take the stream defaults: 100 records,
        /// no window).
        ///
        /// - Parameters:
        ///   - configuration: the mapping as stored.
        ///   - payloadSize: the event size model of the shard being read.
        public init(_ configuration: EventSourceMappingConfiguration, payloadSize: PayloadSize) {
            self.init(
                batchSize: configuration.batchSize ?? EventSourceKind.kinesis.defaultBatchSize,
                maximumBatchingWindow: .seconds(configuration.maximumBatchingWindowInSeconds ?? 0),
                payloadSize: payloadSize
            )
        }
    }

    /// Records of one shard, in sequence order, to be invoked together.
    public struct Batch: Sendable, Equatable {
        public var records: [StreamRecord]
        /// The position the batch covers: its last record, or a later record that was read and filtered out. Once
        /// the batch is done the checkpoint goes past it.
        public var lastSequenceNumber: StreamSequenceNumber

        /// - Parameters:
        ///   - records: the records to invoke, in sequence order; not empty.
        ///   - lastSequenceNumber: the position covered; the last record's when `nil`.
        public init(records: [StreamRecord], lastSequenceNumber: StreamSequenceNumber? = nil) {
            precondition(!records.isEmpty, "a batch with zero records is checkpointed, never invoked")
            self.records = records
            self.lastSequenceNumber = lastSequenceNumber ?? records[records.count - 1].sequenceNumber
        }
    }

    /// What the poller does next.
    public enum Action: Sendable, Equatable {
        /// Process this batch (``StreamBatchProcessor/batchStarted(_:settings:now:)``); report
        /// ``batchFinished(now:)`` when the processor says `.finished`.
        case invoke(Batch)
        /// Only filtered-out records were read: checkpoint past them (a zero-record batch, never invoked).
        case checkpoint(after: StreamSequenceNumber)
        /// A window is open: report ``windowElapsed(now:)`` at this time, unless more records come first.
        case sleep(until: Timestamp)
        /// Nothing to do until records are read or the batch in flight finishes.
        case none
    }

    public private(set) var settings: Settings
    /// Records read and not yet handed out, in sequence order.
    public private(set) var buffered: [StreamRecord] = []
    /// The batching window, and whether a batch is in flight.
    private var window = BatchingWindow()
    /// The last sequence number read (filtered out or not) that no handed-out batch or checkpoint covers yet.
    private var readThrough: StreamSequenceNumber?

    /// Whether a batch is in flight (from `.invoke` until ``batchFinished(now:)``).
    public var isBatchInFlight: Bool { window.isBatchInFlight }

    public init(settings: Settings) {
        self.settings = settings
    }

    /// How many more records the poller should read now: enough to fill the next batch. Records read while a batch
    /// is in flight wait here, so the next batch is ready when it finishes.
    public var recordsWanted: Int { max(0, settings.batchSize - buffered.count) }

    // MARK: Events

    /// The poller read records from the shard.
    ///
    /// - Parameters:
    ///   - records: the records that passed the mapping's filters, in sequence order.
    ///   - through: the sequence number of the last record read, filtered out or not; `nil` when no record was
    ///     filtered out after the last of `records`.
    ///   - now: the time of the read.
    public mutating func recordsRead(
        _ records: [StreamRecord], through: StreamSequenceNumber? = nil, now: Timestamp
    ) -> Action {
        guard let last = [through, records.last?.sequenceNumber].compactMap({ $0 }).max() else {
            return decide(now: now)
        }
        if !records.isEmpty {
            window.itemsArrived(bufferWasEmpty: buffered.isEmpty, now: now, length: settings.maximumBatchingWindow)
        }
        buffered += records
        readThrough = readThrough.map { max($0, last) } ?? last
        return decide(now: now)
    }

    /// The time of a `.sleep(until:)` came (a stale timer is harmless: the answer is a new `.sleep`).
    public mutating func windowElapsed(now: Timestamp) -> Action {
        decide(now: now)
    }

    /// The processor finished the batch in flight (`.finished`): the next window starts now.
    public mutating func batchFinished(now: Timestamp) -> Action {
        window.batchFinished(now: now)
        return decide(now: now)
    }

    /// The mapping was updated: the new settings shape the next batch (the batch in flight keeps its records).
    public mutating func settingsChanged(_ settings: Settings, now: Timestamp) -> Action {
        self.settings = settings
        return decide(now: now)
    }

    // MARK: Rules

    private mutating func decide(now: Timestamp) -> Action {
        guard !isBatchInFlight else { return .none }
        guard !buffered.isEmpty else {
            guard let through = readThrough else { return .none }
            readThrough = nil
            return .checkpoint(after: through)
        }
        let count = settings.payloadSize.fittingCount(of: buffered, limit: settings.batchSize)
        let full = count == settings.batchSize || count < buffered.count
        let deadline = window.deadline(now: now, length: settings.maximumBatchingWindow)
        guard full || now >= deadline else { return .sleep(until: deadline) }
        return .invoke(takeBatch(count))
    }

    private mutating func takeBatch(_ count: Int) -> Batch {
        let records = Array(buffered.prefix(count))
        buffered.removeFirst(count)
        window.batchStarted()
        guard buffered.isEmpty, let through = readThrough else { return Batch(records: records) }
        readThrough = nil
        return Batch(records: records, lastSequenceNumber: max(through, records[records.count - 1].sequenceNumber))
    }
}
