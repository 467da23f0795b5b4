/// The batching rules of `reference/semantics.md` §1 and §7 for one SQS poller: received messages go in, batches
/// come out when the first of these is reached:
///
/// 1. `BatchSize` messages are buffered (10 by default; up to 10,000 with a window, at most 10 on FIFO queues —
///    `MappingValidation` enforces the limits, the batcher takes any positive size);
/// 2. the next buffered message would push the event JSON over 6 MB, as ``SQSEventEncoder`` writes it (exact
///    sizes, metadata included, §1); a message alone over the limit is invoked alone;
/// 3. the batching window (`MaximumBatchingWindowInSeconds`) has expired.
///
/// This is not ``StreamBatcher`` made generic: that machine is built on sequence numbers (a batch covers a position,
/// filtered-out records become a `.checkpoint`) and its payload model carries a Kinesis encoder, and the stream
/// engine drives it directly. SQS has no position (filtered-out messages are deleted at once, §7, by the engine),
/// so only the cut and the window are shared; they follow the same rules here.
///
/// Choices the reference leaves open (also in `docs/compatibility.md`, "SQS mappings"):
///
/// - The window starts when the previous batch finished; if the batcher was idle — nothing buffered, no batch in
///   flight, and the last batch's window already over — when the first message of the new batch is received. An
///   idle poller opens no empty windows (§1, the idle case **uncertain**, chosen as for streams).
/// - One batch is in flight per poller; the poller receives nothing more until it finishes
///   (``messagesWanted`` is 0), because a received message's visibility timeout runs while it waits. Concurrency
///   comes from more pollers (``SQSPollerScaling``). Messages left over by a 6 MB cut wait for the next batch.
/// - A batch may hold several FIFO message groups, in receive order; keeping one batch in flight per group is
///   the engine's part.
public struct SQSBatcher: Sendable, Equatable {
    /// The most messages one ReceiveMessage call returns (`MaxNumberOfMessages`, §7).
    public static let maximumMessagesPerReceive = 10

    /// The batching knobs of a mapping, as they apply to the next batch.
    public struct Settings: Sendable, Equatable {
        /// `BatchSize`: the most messages in one batch.
        public var batchSize: Int
        /// `MaximumBatchingWindowInSeconds` as a duration.
        public var maximumBatchingWindow: Duration
        /// The queue's event encoder, whose sizes decide the 6 MB cut.
        public var encoder: SQSEventEncoder
        /// The largest event the function may receive.
        public var maximumBytes: Int
        /// The most messages one receive may take: ReceiveMessage's 10, or more for a source that receives in-process
        /// (``QueueSource/maximumMessagesPerReceive``).
        public var messagesPerReceive = SQSBatcher.maximumMessagesPerReceive

        /// - Parameters:
        ///   - batchSize: `BatchSize` (SQS default 10).
        ///   - maximumBatchingWindow: the window; `.zero` invokes as soon as messages are received.
        ///   - encoder: the queue's event encoder.
        ///   - maximumBytes: the limit; the Invoke payload limit unless a test wants less.
        public init(
            batchSize: Int = EventSourceKind.sqs.defaultBatchSize, maximumBatchingWindow: Duration = .zero,
            encoder: SQSEventEncoder, maximumBytes: Int = StreamBatcher.PayloadSize.invokePayloadLimit
        ) {
            self.batchSize = batchSize
            self.maximumBatchingWindow = maximumBatchingWindow
            self.encoder = encoder
            self.maximumBytes = maximumBytes
        }

        /// The settings of an SQS mapping's configuration (absent members take the SQS defaults: 10 messages, no
        /// window).
        ///
        /// - Parameters:
        ///   - configuration: the mapping as stored.
        ///   - encoder: the queue's event encoder.
        public init(_ configuration: EventSourceMappingConfiguration, encoder: SQSEventEncoder) {
            self.init(
                batchSize: configuration.batchSize ?? EventSourceKind.sqs.defaultBatchSize,
                maximumBatchingWindow: .seconds(configuration.maximumBatchingWindowInSeconds ?? 0),
                encoder: encoder
            )
        }

        /// How many of the first `messages` one batch takes: at most ``batchSize``, and no more than fit
        /// ``maximumBytes``; at least one.
        func fittingCount(of messages: [SQSEventMessage]) -> Int {
            var total = encoder.envelopeSize() - 1
            for (index, message) in messages.prefix(batchSize).enumerated() {
                total += encoder.recordSize(message) + 1
                if total > maximumBytes { return max(1, index) }
            }
            return min(batchSize, messages.count)
        }
    }

    /// What the poller does next.
    public enum Action: Sendable, Equatable {
        /// Invoke the function with these messages, in receive order; report ``batchFinished(now:)`` once the
        /// batch is settled (``SQSBatchOutcome``).
        case invoke([SQSEventMessage])
        /// A window is open: keep receiving (``messagesWanted``) and report ``windowElapsed(now:)`` at this time,
        /// unless the batch fills first.
        case sleep(until: Timestamp)
        /// Nothing to do until messages are received or the batch in flight finishes.
        case none
    }

    public private(set) var settings: Settings
    /// Messages received and not yet handed out, in receive order.
    public private(set) var buffered: [SQSEventMessage] = []
    /// The batching window, and whether a batch is in flight.
    private var window = BatchingWindow()

    /// Whether a batch is in flight (from `.invoke` until ``batchFinished(now:)``).
    public var isBatchInFlight: Bool { window.isBatchInFlight }

    public init(settings: Settings) {
        self.settings = settings
    }

    /// `MaxNumberOfMessages` for the next ReceiveMessage: what the next batch still wants, at most
    /// ``Settings/messagesPerReceive`` (10); 0 while a batch is in flight.
    public var messagesWanted: Int {
        guard !isBatchInFlight else { return 0 }
        return min(settings.messagesPerReceive, max(0, settings.batchSize - buffered.count))
    }

    // MARK: Events

    /// A ReceiveMessage call returned (possibly nothing).
    ///
    /// - Parameters:
    ///   - messages: the messages that passed the mapping's filters, in receive order.
    ///   - now: the time of the receive.
    public mutating func messagesReceived(_ messages: [SQSEventMessage], now: Timestamp) -> Action {
        if !messages.isEmpty {
            window.itemsArrived(bufferWasEmpty: buffered.isEmpty, now: now, length: settings.maximumBatchingWindow)
        }
        buffered += messages
        return decide(now: now)
    }

    /// The time of a `.sleep(until:)` came (a stale timer is harmless: the answer is a new `.sleep`).
    public mutating func windowElapsed(now: Timestamp) -> Action {
        decide(now: now)
    }

    /// The batch in flight is settled: the next window starts now.
    public mutating func batchFinished(now: Timestamp) -> Action {
        window.batchFinished(now: now)
        return decide(now: now)
    }

    /// The mapping was updated: the new settings shape the next batch.
    public mutating func settingsChanged(_ settings: Settings, now: Timestamp) -> Action {
        self.settings = settings
        return decide(now: now)
    }

    // MARK: Rules

    private mutating func decide(now: Timestamp) -> Action {
        guard !isBatchInFlight, !buffered.isEmpty else { return .none }
        let count = settings.fittingCount(of: buffered)
        let full = count == settings.batchSize || count < buffered.count
        let deadline = window.deadline(now: now, length: settings.maximumBatchingWindow)
        guard full || now >= deadline else { return .sleep(until: deadline) }
        let batch = Array(buffered.prefix(count))
        buffered.removeFirst(count)
        window.batchStarted()
        return .invoke(batch)
    }
}
