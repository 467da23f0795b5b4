import Logging
import SluiceCore

/// Runs one enabled SQS mapping (`reference/semantics.md` §1, §7, §11): a pool of pollers, each receiving into its
/// own ``SQSBatcher`` and invoking one batch at a time, as many as ``SQSPollerScaling`` allows, all child tasks of
/// ``run()``.
///
/// - A poller long-polls the queue (woken by a send), deletes at once the messages no filter matches, invokes the
///   function with each batch the batcher cuts and settles it with ``SQSBatchOutcome``: deleted, or left in flight to
///   reappear after the queue's visibility timeout (where the queue's redrive policy may move them to its
///   dead-letter queue).
/// - FIFO order needs nothing more here: the queue hands out no message of a group that has one in flight, so a
///   group's messages are in one batch at a time, in order, and a failure holds the rest of its group back.
/// - ``update(_:)`` hands new settings to every poller, from its next receive; the function's reserved concurrency is
///   read at start, on each update and every ``reservedConcurrencyInterval``.
/// - Cancelling the task that runs ``run()`` (Disable, Delete, shutdown) ends the pollers' long polls at once, with
///   nothing received, and lets each invocation in flight finish and its batch be settled; ``run()`` returns once
///   they all have. Messages received but not yet invoked reappear after their visibility timeout.
public struct SQSMappingWorker<C: Clock<Duration>>: MappingWorker {
    /// What a worker reads from, invokes and asks about its function.
    public struct Ports: Sendable {
        public var source: any QueueSource
        public var invoker: any MappingFunctionInvoker
        public var functions: any FunctionDirectory

        public init(source: any QueueSource, invoker: any MappingFunctionInvoker, functions: any FunctionDirectory) {
            self.source = source
            self.invoker = invoker
            self.functions = functions
        }
    }

    enum Event: Sendable {
        case stopRequested
        /// The scaling target grew: start the missing pollers.
        case scaled
        /// Time to read the function's reserved concurrency again.
        case checkReservedConcurrency
    }

    /// The longest long poll (ReceiveMessage's WaitTimeSeconds ≤ 20).
    static var longPoll: Duration { .seconds(20) }
    /// How often a running mapping reads its function's reserved concurrency (PutFunctionConcurrency does not
    /// update the mapping).
    static var reservedConcurrencyInterval: Duration { .seconds(5) }

    public let uuid: String
    let configuration: EventSourceMappingConfiguration
    let ports: Ports
    let clock: C
    let now: @Sendable () -> Timestamp
    let backoff: StreamBatchProcessor.Backoff
    let metrics: MappingMetrics
    let logger: Logger
    let mailbox = Mailbox<Event>()
    let pool: SQSPollerPool

    /// - Parameters:
    ///   - configuration: the mapping as stored now.
    ///   - ports: the queue, the function, the function directory.
    ///   - clock: for backoffs and the reserved-concurrency check.
    ///   - now: the wall time, consistent with `clock` (batching windows, scaling).
    ///   - backoff: the delays after failed receives.
    ///   - metrics: the mapping's metrics.
    ///   - logger: the server's logger.
    public init(
        configuration: EventSourceMappingConfiguration, ports: Ports, clock: C, now: @escaping @Sendable () -> Timestamp,
        backoff: StreamBatchProcessor.Backoff = .init(), metrics: MappingMetrics = .none, logger: Logger
    ) {
        self.uuid = configuration.uuid
        self.configuration = configuration
        self.ports = ports
        self.clock = clock
        self.now = now
        self.backoff = backoff
        self.metrics = metrics
        // The function's reserved concurrency is read when the mapping runs.
        self.pool = SQSPollerPool(
            settings: SQSPollerSettings(
                configuration, reservedConcurrency: nil, messagesPerReceive: ports.source.maximumMessagesPerReceive
            ),
            now: now()
        )
        var logger = logger
        logger[metadataKey: "aws.lambda.event_source_mapping.uuid"] = "\(configuration.uuid)"
        self.logger = logger
    }

    /// The mapping was updated: its pollers take the new settings before their next receive. A new cap applies at
    /// once (pollers above it stop after their batch).
    public func update(_ configuration: EventSourceMappingConfiguration) async {
        let reserved = await reservedConcurrency(of: configuration.functionArn)
        if pool.settingsChanged(settings(configuration, reservedConcurrency: reserved), now: now()) {
            mailbox.post(.scaled)
        }
    }

    /// Runs the mapping until the task is cancelled; returns once every poller has stopped.
    public func run() async {
        let reserved = await reservedConcurrency(of: configuration.functionArn)
        _ = pool.settingsChanged(settings(configuration, reservedConcurrency: reserved), now: now())

        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                func startPollers() {
                    for index in pool.pollersToStart() {
                        group.addTask {
                            await poll(index)
                        }
                    }
                }
                func checkLater() {
                    let (clock, mailbox) = (self.clock, self.mailbox)
                    group.addTask {
                        guard (try? await clock.sleep(for: Self.reservedConcurrencyInterval)) != nil else { return }
                        mailbox.post(.checkReservedConcurrency)
                    }
                }

                startPollers()
                checkLater()
                while true {
                    switch await mailbox.next() {
                    case .stopRequested:
                        group.cancelAll()
                        return
                    case .scaled:
                        startPollers()
                    case .checkReservedConcurrency:
                        let (settings, _) = pool.settings
                        let reserved = await reservedConcurrency(of: settings.functionArn)
                        if reserved != pool.reservedConcurrency {
                            var changed = settings
                            changed.scaling.reservedConcurrency = reserved
                            if pool.settingsChanged(changed, now: now()) { startPollers() }
                        }
                        checkLater()
                    }
                }
            }
        } onCancel: {
            mailbox.post(.stopRequested)
        }
    }

    private func settings(_ configuration: EventSourceMappingConfiguration, reservedConcurrency: Int?) -> SQSPollerSettings {
        SQSPollerSettings(
            configuration, reservedConcurrency: reservedConcurrency,
            messagesPerReceive: ports.source.maximumMessagesPerReceive
        )
    }

    private func reservedConcurrency(of functionArn: String) async -> Int? {
        let region = ARN(functionArn)?.region ?? "us-east-1"
        guard let function = try? FunctionReference(
            parsing: functionArn, identity: RequestIdentity(region: region), maxLength: 256
        ) else { return nil }
        return await ports.functions.reservedConcurrency(of: function)
    }
}

extension SQSMappingWorker {
    /// How SQS mappings run in a ``MappingWorkerRunner``: a worker each, updated in place; an SQS mapping has no
    /// position to forget (its messages stay in the queue).
    public static func source(
        ports: Ports, clock: C, now: @escaping @Sendable () -> Timestamp, backoff: StreamBatchProcessor.Backoff = .init(),
        logger: Logger
    ) -> MappingWorkerRunner.Source {
        MappingWorkerRunner.Source(makeWorker: { configuration, metrics in
            SQSMappingWorker(
                configuration: configuration, ports: ports, clock: clock, now: now, backoff: backoff, metrics: metrics,
                logger: logger
            )
        })
    }
}
