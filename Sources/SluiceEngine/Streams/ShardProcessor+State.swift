import Logging
import SluiceCore

extension ShardProcessor {
    /// What a child task of the processor reports, or what is asked of it from outside.
    enum Event: Sendable {
        /// The processor's task was cancelled (Disable, Delete, shutdown).
        case stopRequested
        case settingsChanged(Settings)
        case read(ShardPage)
        case readFailed(any Error)
        case invoked(lane: Int, StreamInvocationOutcome)
        case sent(lane: Int)
        case sendFailed(lane: Int, any Error)
        case saved(StreamSequenceNumber)
        case saveFailed(any Error)
        case woke(Wakeup)
    }

    /// Timers.
    enum Wakeup: Sendable, Hashable {
        /// A lane's batching window may have ended.
        case window(lane: Int)
        /// A lane's retry backoff (`StreamBatchProcessor`'s `.sleep`) ended.
        case retry(lane: Int)
        /// Send a refused failure record again.
        case resend(lane: Int)
        /// Save the checkpoint again after a failed save.
        case resave
        /// Read again after a failed read.
        case reread
        /// The open tumbling window ends now, unless records closed it first.
        case windowEnd(Timestamp)
    }

    /// Where the next read starts.
    enum ReadPosition: Sendable {
        case start(ShardStart)
        case cursor(ShardCursor)
    }

    /// Work the driver performs in a child task, which reports an ``Event`` when done.
    enum Effect: Sendable {
        /// Read up to `limit` records, waiting for records when there are none (`StreamSource.waitForRecords`).
        case read(ReadPosition, limit: Int)
        case invoke(lane: Int, functionArn: String, payload: [UInt8])
        case send(lane: Int, StreamFailureRecord, destination: String)
        case save(StreamSequenceNumber)
        case wake(Wakeup, at: Timestamp)
    }

    /// The batch a lane is processing, and where its `StreamBatchProcessor` is in it.
    struct LaneWork {
        /// The function and the destination of the mapping when the batch started: an Update applies from the next
        /// batch (`reference/semantics.md` §11), also to a batch being retried.
        var functionArn: String
        var onFailureDestination: String?
        var processor = StreamBatchProcessor()
        /// The processor's actions not performed yet, in order.
        var pending: [StreamBatchProcessor.Action] = []
        /// The batch's last invocation, for its failure record.
        var lastRequestId: String?
        var lastResponse: StreamFailureRecord.ResponseContext?
        /// A failure record being sent, or refused and waiting to be sent again, and where to (the destination of
        /// when the records were given up, even if an Update changed it since).
        var unsent: (record: StreamFailureRecord, destination: String)?
        var sendFailures = 0
    }

    /// The state of one shard's processing: the Core machines (``ShardLanes``, a ``StreamBatcher`` and a
    /// ``StreamBatchProcessor`` per lane) and what is in flight. Events in, effects out; no I/O, no clock.
    struct State {
        let shardId: String
        let streamArn: String
        let start: ShardStart
        var settings: Settings
        var encoder: KinesisEventEncoder
        var lanes: ShardLanes
        var batchers: [Int: StreamBatcher] = [:]
        var work: [Int: LaneWork] = [:]
        /// The window timer set per lane, so a lane that sleeps again to the same time sets no second timer.
        var windowTimers: [Int: Timestamp] = [:]
        /// The tumbling window, when the mapping has one (`ShardProcessor+Windows.swift`): the shard then runs one
        /// batch at a time, in lane 0.
        var windows: ShardProcessor.Windows?

        var cursor: ShardCursor?
        var isReading = false
        var readFailures = 0
        var isWaitingToReread = false
        /// Set once the shard was read to its end.
        var childShardIds: [String]?

        var saved: StreamSequenceNumber?
        var isSaving = false
        var saveFailures = 0
        var isWaitingToResave = false
        var gaveUpSaving = false

        var isStopping = false
        /// Invocations and failure-record sends running; a stop waits for them.
        var tasksInFlight = 0
        /// Set when the processor is done.
        var outcome: Outcome?

        let newRequestId: @Sendable () -> String
        let logger: Logger
        var metrics = MappingMetrics.none

        init(
            shardId: String, streamArn: String, start: ShardStart, settings: Settings,
            storedCheckpoint: StreamSequenceNumber?, newRequestId: @escaping @Sendable () -> String, logger: Logger
        ) {
            self.shardId = shardId
            self.streamArn = streamArn
            self.start = storedCheckpoint.map { .afterSequenceNumber($0) } ?? start
            self.settings = settings
            self.encoder = Self.encoder(shardId: shardId, streamArn: streamArn, settings: settings)
            var initial = storedCheckpoint
            if storedCheckpoint == nil, case .afterSequenceNumber(let sequenceNumber) = start {
                initial = sequenceNumber
            }
            let windows = settings.tumblingWindow.map { ShardProcessor.Windows(length: $0) }
            self.windows = windows
            let factor = windows == nil ? settings.parallelizationFactor : 1
            self.lanes = ShardLanes(parallelizationFactor: factor, checkpoint: initial)
            self.saved = storedCheckpoint
            self.newRequestId = newRequestId
            self.logger = logger
        }

        static func encoder(shardId: String, streamArn: String, settings: Settings) -> KinesisEventEncoder {
            KinesisEventEncoder(
                shardId: shardId, streamARN: streamArn, awsRegion: settings.awsRegion,
                invokeIdentityArn: settings.invokeIdentityArn
            )
        }

        /// The shard checkpoint: every record up to it is done, and no open tumbling window holds it back.
        var checkpoint: StreamSequenceNumber? {
            if let held = windows?.held { return held.checkpoint }
            return lanes.checkpoint
        }

        // MARK: Events

        mutating func started(now: Timestamp) -> [Effect] {
            var effects: [Effect] = []
            settle(now: now, into: &effects)
            return effects
        }

        mutating func handle(_ event: Event, now: Timestamp) -> [Effect] {
            var effects: [Effect] = []
            switch event {
            case .stopRequested:
                isStopping = true
                isWaitingToResave = false
            case .settingsChanged(let settings):
                settingsChanged(settings, now: now, into: &effects)
            case .read(let page):
                pageRead(page)
            case .readFailed(let error):
                isReading = false
                logger.warning("Reading the shard failed", metadata: ["error": "\(error)"])
                if !isStopping {
                    isWaitingToReread = true
                    effects.append(.wake(.reread, at: later(now, settings.processing.backoff, readFailures)))
                    readFailures += 1
                }
            case .invoked(let lane, let outcome):
                tasksInFlight -= 1
                metrics.invocationFinished(outcome)
                invoked(lane: lane, outcome, now: now, into: &effects)
            case .sent(let lane):
                tasksInFlight -= 1
                work[lane]?.unsent = nil
                work[lane]?.sendFailures = 0
                advance(lane: lane, now: now, into: &effects)
            case .sendFailed(let lane, let error):
                tasksInFlight -= 1
                metrics.destinationDeliveryFailed()
                sendFailed(lane: lane, error, now: now, into: &effects)
            case .saved(let sequenceNumber):
                isSaving = false
                saveFailures = 0
                saved = sequenceNumber
            case .saveFailed(let error):
                isSaving = false
                logger.error("Saving the shard checkpoint failed", metadata: ["error": "\(error)"])
                if isStopping {
                    gaveUpSaving = true
                } else {
                    isWaitingToResave = true
                    effects.append(.wake(.resave, at: later(now, settings.processing.backoff, saveFailures)))
                    saveFailures += 1
                }
            case .woke(let wakeup):
                woke(wakeup, now: now, into: &effects)
            }
            settle(now: now, into: &effects)
            return effects
        }

        private mutating func woke(_ wakeup: Wakeup, now: Timestamp, into effects: inout [Effect]) {
            switch wakeup {
            case .window(let lane):
                windowTimers[lane] = nil
            case .retry(let lane):
                guard var lanework = work[lane] else { return }
                lanework.pending += lanework.processor.retryDue(now: now)
                work[lane] = lanework
                advance(lane: lane, now: now, into: &effects)
            case .resend(let lane):
                guard !isStopping, let unsent = work[lane]?.unsent else { return }
                tasksInFlight += 1
                effects.append(.send(lane: lane, unsent.record, destination: unsent.destination))
            case .resave:
                isWaitingToResave = false
            case .reread:
                isWaitingToReread = false
            case .windowEnd(let end):
                if windows?.timer == end { windows?.timer = nil }
            }
        }

        private mutating func settingsChanged(_ new: Settings, now: Timestamp, into effects: inout [Effect]) {
            let factorChanged = windows == nil && new.parallelizationFactor != settings.parallelizationFactor
            settings = new
            encoder = Self.encoder(shardId: shardId, streamArn: streamArn, settings: new)
            if factorChanged {
                // Waiting records may move between lanes: every batcher starts again from its lane's records, a busy
                // lane's once its batch is done.
                lanes.parallelizationFactorChanged(to: new.parallelizationFactor)
                batchers = [:]
                return
            }
            let batcherSettings = new.batcher(encoder: encoder)
            for lane in batchers.keys.sorted() {
                guard var batcher = batchers.removeValue(forKey: lane) else { continue }
                let action = batcher.settingsChanged(batcherSettings, now: now)
                batchers[lane] = batcher
                perform(action, lane: lane, now: now, into: &effects)
            }
        }

        private mutating func pageRead(_ page: ShardPage) {
            isReading = false
            readFailures = 0
            guard !isStopping else { return }
            cursor = page.next
            if page.next == nil {
                childShardIds = page.childShardIds
                windows?.machine.shardEnded()
            }
            let filter = settings.filter
            var filtered = 0
            _ = lanes.recordsRead(page.records) { record in
                let delivered = filter.matches(record)
                if !delivered { filtered += 1 }
                return delivered
            }
            metrics.recordsRead(polled: page.records.count, filtered: filtered)
        }

        // MARK: Settling

        /// After every event: start batches in free lanes, read more, save the checkpoint, and see whether the
        /// processor is done.
        private mutating func settle(now: Timestamp, into effects: inout [Effect]) {
            var again = !isStopping
            while again {
                again = false
                guard windows == nil else {
                    again = pumpWindow(now: now, into: &effects)
                    continue
                }
                let laneCount = max(lanes.laneCount, (work.keys.max() ?? -1) + 1)
                for lane in 0..<laneCount where pump(lane: lane, now: now, into: &effects) {
                    again = true
                }
            }
            readIfWanted(into: &effects)
            saveIfNeeded(into: &effects)
            if isStopping {
                if tasksInFlight == 0, !isSaving, saved == checkpoint || gaveUpSaving {
                    outcome = .stopped
                }
            } else if let childShardIds, work.isEmpty, lanes.isIdle, windows?.machine.openWindow == nil,
                tasksInFlight == 0, !isSaving, saved == checkpoint
            {
                outcome = .ended(childShardIds: childShardIds)
            }
        }

        /// How many records may wait in the lanes before reading stops: enough for two batches per lane.
        var readAhead: Int {
            min(10_000, max(100, 2 * settings.batchSize * settings.parallelizationFactor))
        }

        private mutating func readIfWanted(into effects: inout [Effect]) {
            guard !isStopping, !isReading, !isWaitingToReread, childShardIds == nil else { return }
            let waiting = (0..<lanes.laneCount).reduce(0) { $0 + lanes.waitingRecords(inLane: $1).count }
            guard waiting < readAhead else { return }
            isReading = true
            effects.append(.read(cursor.map { .cursor($0) } ?? .start(start), limit: readAhead - waiting))
        }

        private mutating func saveIfNeeded(into effects: inout [Effect]) {
            guard !isSaving, !isWaitingToResave, !gaveUpSaving, let checkpoint, checkpoint != saved else { return }
            isSaving = true
            effects.append(.save(checkpoint))
        }

        func later(_ now: Timestamp, _ backoff: StreamBatchProcessor.Backoff, _ failures: Int) -> Timestamp {
            now.adding(backoff.delay(afterFailures: failures))
        }
    }
}
