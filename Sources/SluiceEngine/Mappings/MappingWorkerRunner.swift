import CoreMetrics
import Logging
import SluiceCore

/// Runs the Kinesis mappings: one ``StreamMappingWorker`` per enabled mapping, each in its own task, stopped by
/// cancelling that task and awaiting it (the worker lets its in-flight invocations finish). Mappings of other sources
/// are not polled here (SQS is issue 6; DynamoDB Streams and Kafka are not embedded).
public actor StreamMappingRunner<C: Clock<Duration>>: MappingRunner {
    private struct Running {
        var configuration: EventSourceMappingConfiguration
        var worker: StreamMappingWorker<C>
        var task: Task<Void, Never>
    }

    private let ports: StreamMappingWorker<C>.Ports
    private let clock: C
    private let now: @Sendable () -> Timestamp
    private let backoff: StreamBatchProcessor.Backoff
    private let report: @Sendable (_ uuid: String, _ result: String) async -> Void
    private let metricsFactory: (any MetricsFactory)?
    private let logger: Logger
    private var running: [String: Running] = [:]
    /// Each mapping's metrics, kept while it is disabled and destroyed when it is deleted.
    private var metrics: [String: StreamMappingMetrics] = [:]

    /// - Parameters:
    ///   - metricsFactory: where each mapping's metrics live (`nil`: none).
    ///   - report: records a mapping's new LastProcessingResult.
    public init(
        ports: StreamMappingWorker<C>.Ports, clock: C, now: @escaping @Sendable () -> Timestamp,
        backoff: StreamBatchProcessor.Backoff = .init(), metricsFactory: (any MetricsFactory)? = nil,
        report: @escaping @Sendable (_ uuid: String, _ result: String) async -> Void, logger: Logger
    ) {
        self.ports = ports
        self.clock = clock
        self.now = now
        self.backoff = backoff
        self.report = report
        self.metricsFactory = metricsFactory
        self.logger = logger
    }

    /// The mappings with a worker.
    public var runningMappings: Set<String> { Set(running.keys) }

    public func start(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) {
        guard kind == .kinesis, running[configuration.uuid] == nil else { return }
        let (uuid, report) = (configuration.uuid, self.report)
        let worker = StreamMappingWorker(
            configuration: configuration, ports: ports, clock: clock, now: now, backoff: backoff,
            report: { await report(uuid, $0) }, metrics: metrics(of: configuration), logger: logger
        )
        running[uuid] = Running(configuration: configuration, worker: worker, task: Task { await worker.run() })
    }

    /// New settings reach the running shards from their next batch. Turning tumbling windows on, off or to another
    /// length restarts the mapping instead (in-flight batches finish; it resumes from its checkpoints), since a shard's
    /// windows are fixed when its processor starts.
    public func reconfigure(_ configuration: EventSourceMappingConfiguration) async {
        guard var current = running[configuration.uuid] else { return }
        guard current.configuration.tumblingWindowInSeconds == configuration.tumblingWindowInSeconds else {
            await stop(uuid: configuration.uuid)
            start(configuration, kind: .kinesis)
            return
        }
        current.configuration = configuration
        running[configuration.uuid] = current
        await current.worker.update(configuration)
    }

    public func stop(uuid: String) async {
        guard let stopping = running.removeValue(forKey: uuid) else { return }
        stopping.task.cancel()
        await stopping.task.value
    }

    public func remove(uuid: String) async throws {
        await stop(uuid: uuid)
        metrics.removeValue(forKey: uuid)?.destroy()
        try await ports.progress.forget(mapping: uuid)
    }

    /// The mapping's metrics, made at its first start. Their `function_name` label is the function the mapping
    /// first ran; a FunctionName update does not relabel them.
    private func metrics(of configuration: EventSourceMappingConfiguration) -> StreamMappingMetrics {
        if let existing = metrics[configuration.uuid] { return existing }
        guard let metricsFactory else { return .none }
        // arn:aws:lambda:region:account:function:name[:qualifier]
        let parts = configuration.functionArn.split(separator: ":", omittingEmptySubsequences: false)
        let name = parts.count > 6 ? String(parts[6]) : configuration.functionArn
        let made = StreamMappingMetrics(factory: metricsFactory, mappingUUID: configuration.uuid, functionName: name)
        metrics[configuration.uuid] = made
        return made
    }

    public func stopAll() async {
        let stopping = running.values.map(\.task)
        running = [:]
        stopping.forEach { $0.cancel() }
        for task in stopping { await task.value }
    }
}
