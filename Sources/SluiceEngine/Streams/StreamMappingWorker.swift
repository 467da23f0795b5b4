import Foundation
import Logging
import SluiceCore
import Synchronization

/// Runs one enabled stream mapping (`reference/semantics.md` §8, §11): lists the stream's shards, follows their
/// lineage (`ShardLineage`: parents before children, StartingPosition only for shards without a checkpoint) and runs
/// one ``ShardProcessor`` per shard being read, all as child tasks of ``run()``.
///
/// - A shard read to its end is stored as finished, then the stream is listed again: its children, which a reshard
///   created after the last listing, start once every parent is done. Listing happens at start, after a shard ends
///   and after a failed listing (with a backoff); never on a timer, so an idle mapping costs nothing.
/// - ``update(_:)`` hands new settings (a new function, batch size, destination, …) to every shard processor: they
///   apply from each lane's next batch.
/// - Cancelling the task that runs ``run()`` (Disable, Delete, shutdown) cancels the shard processors, which let
///   their invocations in flight finish and save the checkpoint those allow; ``run()`` returns once they all have.
/// - Each invocation outcome and each listing failure is reported as the mapping's LastProcessingResult
///   (``ProcessingResult``), only when the text changes.
public struct StreamMappingWorker<C: Clock<Duration>>: MappingWorker {
    /// What a worker reads, invokes, sends to and stores in.
    public struct Ports: Sendable {
        public var source: any StreamSource
        public var invoker: any MappingFunctionInvoker
        public var destination: any FailureDestination
        public var progress: any ShardProgressStore
        public var functions: any FunctionDirectory

        public init(
            source: any StreamSource, invoker: any MappingFunctionInvoker, destination: any FailureDestination,
            progress: any ShardProgressStore, functions: any FunctionDirectory
        ) {
            self.source = source
            self.invoker = invoker
            self.destination = destination
            self.progress = progress
            self.functions = functions
        }
    }

    enum Event: Sendable {
        case stopRequested
        case listed([StreamShard])
        case listFailed(any Error)
        case relist
        case shardEnded(String)
        case shardFailed(String, ShardStart, any Error)
        case restart(String, ShardStart)
    }

    public let uuid: String
    let configuration: EventSourceMappingConfiguration
    let ports: Ports
    let clock: C
    let now: @Sendable () -> Timestamp
    let backoff: StreamBatchProcessor.Backoff
    let reporter: ProcessingResultReporter
    let metrics: MappingMetrics
    let logger: Logger
    let mailbox = Mailbox<Event>()
    let running = RunningShards<C>()

    /// - Parameters:
    ///   - configuration: the mapping as stored now.
    ///   - ports: the stream, the function, the destination and the checkpoints.
    ///   - clock: for backoffs, windows and retries.
    ///   - now: the wall time, consistent with `clock`.
    ///   - backoff: the delays between retries, failed listings and failed saves.
    ///   - report: records a new LastProcessingResult text.
    ///   - metrics: the mapping's metrics, shared by its shards.
    ///   - logger: the server's logger.
    public init(
        configuration: EventSourceMappingConfiguration, ports: Ports, clock: C, now: @escaping @Sendable () -> Timestamp,
        backoff: StreamBatchProcessor.Backoff = .init(), report: @escaping @Sendable (String) async -> Void,
        metrics: MappingMetrics = .none, logger: Logger
    ) {
        self.uuid = configuration.uuid
        self.configuration = configuration
        self.ports = ports
        self.clock = clock
        self.now = now
        self.backoff = backoff
        self.reporter = ProcessingResultReporter(record: report)
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "aws.lambda.event_source_mapping.uuid"] = "\(configuration.uuid)"
        self.logger = logger
    }

    /// The mapping was updated: the new configuration applies from each lane's next batch. When this returns, every
    /// shard processor has it.
    public func update(_ configuration: EventSourceMappingConfiguration) async {
        guard let settings = await settings(for: configuration) else { return }
        running.settingsChanged(settings)
    }

    /// Runs the mapping until the task is cancelled; returns once every shard processor has stopped.
    public func run() async {
        guard let streamArn = configuration.eventSourceArn else { return }
        let startingPosition =
            ShardLineage.StartingPosition(
                configuration.startingPosition ?? "LATEST",
                timestamp: configuration.startingPositionTimestamp.map(Timestamp.init(secondsSinceEpoch:))
            ) ?? .latest
        guard let stored = await loadProgress() else { return }
        var lineage = ShardLineage(startingPosition: startingPosition, progress: stored)
        guard let settings = await self.settings(for: configuration) else { return }
        running.settingsStarting(settings)
        let invoker = ReportingInvoker(invoker: ports.invoker, reporter: reporter)
        var listFailures = 0

        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                func startReading(_ shardId: String, from start: ShardStart) {
                    guard let processor = running.add(shardId, make: { settings in
                        ShardProcessor(
                            mappingUUID: uuid, streamArn: streamArn, shardId: shardId, start: start,
                            settings: settings, source: ports.source, invoker: invoker,
                            destination: ports.destination, checkpoints: ports.progress, clock: clock, now: now,
                            logger: logger, metrics: metrics
                        )
                    }) else { return }
                    let mailbox = self.mailbox
                    group.addTask {
                        do {
                            if case .ended = try await processor.run() { mailbox.post(.shardEnded(shardId)) }
                        } catch {
                            mailbox.post(.shardFailed(shardId, start, error))
                        }
                    }
                }
                func perform(_ actions: [ShardLineage.Action]) {
                    for case .startReading(let shardId, let start) in actions { startReading(shardId, from: start) }
                }
                func after(_ delay: Duration, post event: Event) {
                    let (clock, mailbox) = (self.clock, self.mailbox)
                    group.addTask {
                        guard (try? await clock.sleep(for: delay)) != nil else { return }
                        mailbox.post(event)
                    }
                }

                list(streamArn, in: &group)
                while true {
                    switch await mailbox.next() {
                    case .stopRequested:
                        group.cancelAll()
                        return
                    case .listed(let shards):
                        listFailures = 0
                        perform(lineage.shardsListed(shards))
                    case .listFailed(let error):
                        logger.warning("Listing the stream's shards failed", metadata: ["error": "\(error)"])
                        await reporter.report(ProcessingResult.problem(error))
                        after(backoff.delay(afterFailures: listFailures), post: .relist)
                        listFailures += 1
                    case .relist:
                        list(streamArn, in: &group)
                    case .shardEnded(let shardId):
                        running.remove(shardId)
                        await markFinished(shardId)
                        perform(lineage.shardFinished(shardId))
                        list(streamArn, in: &group)
                    case .shardFailed(let shardId, let start, let error):
                        running.remove(shardId)
                        logger.error(
                            "A shard processor failed; it restarts", metadata: ["aws.shard.id": "\(shardId)", "error": "\(error)"]
                        )
                        after(backoff.delay(afterFailures: 0), post: .restart(shardId, start))
                    case .restart(let shardId, let start):
                        startReading(shardId, from: start)
                    }
                }
            }
        } onCancel: {
            mailbox.post(.stopRequested)
        }
    }

    // MARK: Steps

    private func list(_ streamArn: String, in group: inout DiscardingTaskGroup) {
        let (source, mailbox) = (ports.source, self.mailbox)
        group.addTask {
            do {
                mailbox.post(.listed(try await source.shards(streamArn: streamArn)))
            } catch {
                guard !Task.isCancelled else { return }
                mailbox.post(.listFailed(error))
            }
        }
    }

    /// The stored progress, retried after a backoff until it loads; `nil` when cancelled meanwhile.
    private func loadProgress() async -> [String: ShardLineage.Progress]? {
        var failures = 0
        while !Task.isCancelled {
            do {
                return try await ports.progress.progress(mapping: uuid)
            } catch {
                logger.error("Loading the mapping's checkpoints failed", metadata: ["error": "\(error)"])
                guard (try? await clock.sleep(for: backoff.delay(afterFailures: failures))) != nil else { return nil }
                failures += 1
            }
        }
        return nil
    }

    /// Stores that a shard was read to its end, retried until it is: a finished shard must not be read again.
    private func markFinished(_ shardId: String) async {
        var failures = 0
        while true {
            do {
                return try await ports.progress.markFinished(mapping: uuid, shard: shardId)
            } catch {
                logger.error("Storing a finished shard failed", metadata: ["aws.shard.id": "\(shardId)", "error": "\(error)"])
                guard (try? await clock.sleep(for: backoff.delay(afterFailures: failures))) != nil else { return }
                failures += 1
            }
        }
    }

    /// The processors' settings for a configuration; `nil` only for a filter that does not parse, which Create and
    /// Update refuse.
    private func settings(for configuration: EventSourceMappingConfiguration) async -> ShardProcessor<C>.Settings? {
        let region = ARN(configuration.functionArn)?.region ?? "us-east-1"
        let function = try? FunctionReference(
            parsing: configuration.functionArn, identity: RequestIdentity(region: region), maxLength: 256
        )
        // A missing function has no role; its invocations are refused and retried until it exists again.
        let role = await function.asyncMap { await ports.functions.role(of: $0) } ?? ""
        do {
            return try ShardProcessor<C>.Settings(configuration, functionRole: role, backoff: backoff)
        } catch {
            logger.error("The mapping's filter does not parse", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// The shard processors of a worker and the settings new ones get: an update reaches every processor before it
/// returns, and a processor started meanwhile gets the new settings.
final class RunningShards<C: Clock<Duration>>: Sendable {
    private struct State {
        var settings: ShardProcessor<C>.Settings?
        var processors: [String: ShardProcessor<C>] = [:]
    }

    private let state = Mutex(State())

    func settingsChanged(_ settings: ShardProcessor<C>.Settings) {
        let processors = state.withLock { state in
            state.settings = settings
            return Array(state.processors.values)
        }
        processors.forEach { $0.update(settings) }
    }

    /// The settings of the configuration the worker started with, unless an update came first.
    func settingsStarting(_ settings: ShardProcessor<C>.Settings) {
        state.withLock { state in
            if state.settings == nil { state.settings = settings }
        }
    }

    /// Makes the shard's processor with the current settings and keeps it; `nil` before any settings.
    func add(_ shardId: String, make: (ShardProcessor<C>.Settings) -> ShardProcessor<C>) -> ShardProcessor<C>? {
        state.withLock { state in
            guard let settings = state.settings else { return nil }
            let processor = make(settings)
            state.processors[shardId] = processor
            return processor
        }
    }

    func remove(_ shardId: String) {
        state.withLock { _ = $0.processors.removeValue(forKey: shardId) }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async -> T?) async -> T? {
        guard let self else { return nil }
        return await transform(self)
    }
}

extension StreamMappingWorker {
    /// How Kinesis mappings run in a ``MappingWorkerRunner``: a worker each; turning tumbling windows on, off or to
    /// another length restarts the mapping (in-flight batches finish; it resumes from its checkpoints), since a
    /// shard's windows are fixed when its processor starts; Delete forgets the checkpoints.
    ///
    /// - Parameters:
    ///   - report: records a mapping's new LastProcessingResult.
    public static func source(
        ports: Ports, clock: C, now: @escaping @Sendable () -> Timestamp, backoff: StreamBatchProcessor.Backoff = .init(),
        report: @escaping @Sendable (_ uuid: String, _ result: String) async -> Void, logger: Logger
    ) -> MappingWorkerRunner.Source {
        MappingWorkerRunner.Source(
            makeWorker: { configuration, metrics in
                let uuid = configuration.uuid
                return StreamMappingWorker(
                    configuration: configuration, ports: ports, clock: clock, now: now, backoff: backoff,
                    report: { await report(uuid, $0) }, metrics: metrics, logger: logger
                )
            },
            restartsOnUpdate: { $0.tumblingWindowInSeconds != $1.tumblingWindowInSeconds },
            forget: { try await ports.progress.forget(mapping: $0) }
        )
    }
}
