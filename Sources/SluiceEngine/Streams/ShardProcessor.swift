import Foundation
import Logging
import SluiceCore

/// Processes one shard for one stream mapping (`reference/semantics.md` §1–§4, §8, §11): reads records as they
/// arrive, filters them (`KinesisRecordFilter`), spreads them over the `ParallelizationFactor` lanes (`ShardLanes`),
/// batches each lane (`StreamBatcher`), invokes the function with the Kinesis event (`KinesisEventEncoder`), handles
/// each outcome (`StreamBatchProcessor`: retries, record age, bisect, partial batch responses), sends on-failure
/// records, and saves the checkpoint as far as `ShardLanes` says every record is done.
///
/// The rules live in those Core machines; this driver only performs their actions. Its state
/// (``State``, events in, effects out) runs on one task; each effect — a read, an invocation, a failure-record send,
/// a checkpoint save, a timer — runs in a child task that reports back, so lanes invoke concurrently.
///
/// - Reading waits on `StreamSource.waitForRecords` (no polling) and pauses while the lanes hold enough records for
///   two batches per lane (at least 100, at most 10,000 records).
/// - Records given up are sent to the on-failure destination, again and again after a backoff until it accepts
///   them; the checkpoint does not pass them before (issue 5 item 6). Without a destination they are dropped (§3).
/// - One checkpoint save at a time, always of the latest checkpoint: moves during a save are coalesced into the next
///   save. A failed save is retried after a backoff.
/// - ``update(_:)`` applies new settings from each lane's next batch; a batch in flight (retries included) keeps its
///   function, destination and error-handling settings (§11).
/// - Cancelling the task that runs ``run()`` (Disable, Delete, shutdown) stops reading and starting work, lets the
///   invocations and sends in flight finish (cancellation does not reach them), saves the checkpoint they allow and
///   returns ``Outcome/stopped``; the stored checkpoint is kept (Delete forgets it elsewhere).
/// - A shard read to its end returns ``Outcome/ended(childShardIds:)`` once every record is done and saved.
/// - With `TumblingWindowInSeconds` the ``TumblingWindow`` machine decides each invocation, one batch at a time
///   (`ShardProcessor+Windows.swift`). Whether a shard has windows is fixed when its processor starts: the mapping's
///   runner restarts the mapping when an update changes `TumblingWindowInSeconds`.
public struct ShardProcessor<C: Clock<Duration>>: Sendable {
    /// How processing ended.
    public enum Outcome: Sendable, Equatable {
        /// The shard is closed and was read to its end, every record done and checkpointed: its children may start
        /// (`ShardLineage.shardFinished(_:)`).
        case ended(childShardIds: [String])
        /// The task was cancelled; the checkpoint saved is where the shard resumes.
        case stopped
    }

    public let mappingUUID: String
    public let streamArn: String
    public let shardId: String
    let start: ShardStart
    let settings: Settings
    let source: any StreamSource
    let invoker: any MappingFunctionInvoker
    let destination: any FailureDestination
    let checkpoints: any CheckpointStore
    let clock: C
    let now: @Sendable () -> Timestamp
    let newRequestId: @Sendable () -> String
    let logger: Logger
    let metrics: MappingMetrics
    let mailbox = Mailbox<Event>()

    /// - Parameters:
    ///   - mappingUUID: the mapping's UUID, the key of its checkpoints.
    ///   - streamArn: the stream (the event's `eventSourceARN`).
    ///   - shardId: the shard.
    ///   - start: where to start when the store has no checkpoint for the shard: the mapping's StartingPosition,
    ///     or what `ShardLineage.position(of:)` says.
    ///   - settings: the mapping's settings now.
    ///   - source: the stream.
    ///   - invoker: invokes the function.
    ///   - destination: sends on-failure records.
    ///   - checkpoints: where checkpoints are kept.
    ///   - clock: for windows and backoffs.
    ///   - now: the wall time (record age, window and failure-record times), consistent with `clock`.
    ///   - newRequestId: a lowercase UUID, for failure records of records never invoked.
    ///   - logger: the mapping's logger.
    ///   - metrics: the mapping's metrics, shared by its shards.
    public init(
        mappingUUID: String, streamArn: String, shardId: String, start: ShardStart, settings: Settings,
        source: any StreamSource, invoker: any MappingFunctionInvoker, destination: any FailureDestination,
        checkpoints: any CheckpointStore, clock: C, now: @escaping @Sendable () -> Timestamp,
        newRequestId: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }, logger: Logger,
        metrics: MappingMetrics = .none
    ) {
        self.mappingUUID = mappingUUID
        self.streamArn = streamArn
        self.shardId = shardId
        self.start = start
        self.settings = settings
        self.source = source
        self.invoker = invoker
        self.destination = destination
        self.checkpoints = checkpoints
        self.clock = clock
        self.now = now
        self.newRequestId = newRequestId
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "aws.shard.id"] = "\(shardId)"
        self.logger = logger
    }

    /// New settings for the mapping (UpdateEventSourceMapping): they apply from each lane's next batch. Before
    /// ``run()`` starts, they apply from its first.
    public func update(_ settings: Settings) {
        mailbox.post(.settingsChanged(settings))
    }

    /// Processes the shard until it is read to its end or the task is cancelled. Call once.
    ///
    /// - Throws: only when the stored checkpoint cannot be loaded.
    public func run() async throws -> Outcome {
        let stored = try await checkpoints.checkpoint(mapping: mappingUUID, shard: shardId)
        var state = State(
            shardId: shardId, streamArn: streamArn, start: start, settings: settings, storedCheckpoint: stored,
            newRequestId: newRequestId, logger: logger
        )
        state.metrics = metrics
        return await withTaskCancellationHandler {
            await withDiscardingTaskGroup(returning: Outcome.self) { group in
                var effects = state.started(now: now())
                while true {
                    for effect in effects {
                        perform(effect, in: &group)
                    }
                    if let outcome = state.outcome {
                        group.cancelAll()
                        return outcome
                    }
                    effects = state.handle(await mailbox.next(), now: now())
                }
            }
        } onCancel: {
            mailbox.post(.stopRequested)
        }
    }
}

extension ShardProcessor where C == ContinuousClock {
    /// A processor on the continuous clock and the wall time.
    public init(
        mappingUUID: String, streamArn: String, shardId: String, start: ShardStart, settings: Settings,
        source: any StreamSource, invoker: any MappingFunctionInvoker, destination: any FailureDestination,
        checkpoints: any CheckpointStore, logger: Logger, metrics: MappingMetrics = .none
    ) {
        self.init(
            mappingUUID: mappingUUID, streamArn: streamArn, shardId: shardId, start: start, settings: settings,
            source: source, invoker: invoker, destination: destination, checkpoints: checkpoints,
            clock: ContinuousClock(), now: { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) },
            logger: logger, metrics: metrics
        )
    }
}
