import CoreMetrics
import Logging
import SluiceCore

/// What runs one enabled mapping: ``StreamMappingWorker`` for Kinesis, ``SQSMappingWorker`` for SQS.
public protocol MappingWorker: Sendable {
    /// Polls until the task is cancelled; returns once the in-flight invocations finished.
    func run() async
    /// The mapping's settings changed: they apply from the next batch.
    func update(_ configuration: EventSourceMappingConfiguration) async
}

/// Runs the mappings of the sources it knows: one ``MappingWorker`` per enabled mapping, each in its own task,
/// stopped by cancelling that task and awaiting it. Mappings of other sources (DynamoDB Streams, Kafka: not
/// embedded) are not polled.
public actor MappingWorkerRunner: MappingRunner {
    /// How the mappings of one kind of source run.
    public struct Source: Sendable {
        /// A worker for the mapping, recording into its metrics.
        public var makeWorker: @Sendable (EventSourceMappingConfiguration, MappingMetrics) -> any MappingWorker
        /// Whether an update must restart the worker instead of reaching it (it resumes from its position).
        public var restartsOnUpdate: @Sendable (_ old: EventSourceMappingConfiguration, _ new: EventSourceMappingConfiguration) -> Bool
        /// Forgets the position of a deleted mapping.
        public var forget: @Sendable (_ uuid: String) async throws -> Void

        public init(
            makeWorker: @escaping @Sendable (EventSourceMappingConfiguration, MappingMetrics) -> any MappingWorker,
            restartsOnUpdate: @escaping @Sendable (EventSourceMappingConfiguration, EventSourceMappingConfiguration) -> Bool = { _, _ in false },
            forget: @escaping @Sendable (String) async throws -> Void = { _ in }
        ) {
            self.makeWorker = makeWorker
            self.restartsOnUpdate = restartsOnUpdate
            self.forget = forget
        }
    }

    private struct Running {
        var kind: EventSourceKind
        var configuration: EventSourceMappingConfiguration
        var worker: any MappingWorker
        var task: Task<Void, Never>
    }

    private let sources: [EventSourceKind: Source]
    private let metricsFactory: (any MetricsFactory)?
    private var running: [String: Running] = [:]
    /// Each mapping's metrics, kept while it is disabled and destroyed when it is deleted.
    private var metrics: [String: MappingMetrics] = [:]

    /// - Parameters:
    ///   - sources: how each polled kind of source runs.
    ///   - metricsFactory: where each mapping's metrics live (`nil`: none).
    public init(sources: [EventSourceKind: Source], metricsFactory: (any MetricsFactory)? = nil) {
        self.sources = sources
        self.metricsFactory = metricsFactory
    }

    /// The mappings with a worker.
    public var runningMappings: Set<String> { Set(running.keys) }

    public func start(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) {
        guard let source = sources[kind], running[configuration.uuid] == nil else { return }
        let worker = source.makeWorker(configuration, metrics(of: configuration))
        running[configuration.uuid] = Running(
            kind: kind, configuration: configuration, worker: worker, task: Task { await worker.run() }
        )
    }

    /// New settings reach the running worker, or restart it when its source says they must.
    public func reconfigure(_ configuration: EventSourceMappingConfiguration) async {
        guard var current = running[configuration.uuid], let source = sources[current.kind] else { return }
        guard !source.restartsOnUpdate(current.configuration, configuration) else {
            await stop(uuid: configuration.uuid)
            start(configuration, kind: current.kind)
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

    /// Stops the mapping's worker, destroys its metrics and lets every source forget its position (a stopped
    /// mapping's kind is not known here; a source forgets nothing of a mapping it never ran).
    public func remove(uuid: String) async throws {
        await stop(uuid: uuid)
        metrics.removeValue(forKey: uuid)?.destroy()
        for source in sources.values { try await source.forget(uuid) }
    }

    /// The mapping's metrics, made at its first start. Their `function_name` label is the function the mapping
    /// first ran; a FunctionName update does not relabel them.
    private func metrics(of configuration: EventSourceMappingConfiguration) -> MappingMetrics {
        if let existing = metrics[configuration.uuid] { return existing }
        guard let metricsFactory else { return .none }
        // arn:aws:lambda:region:account:function:name[:qualifier]
        let parts = configuration.functionArn.split(separator: ":", omittingEmptySubsequences: false)
        let name = parts.count > 6 ? String(parts[6]) : configuration.functionArn
        let made = MappingMetrics(factory: metricsFactory, mappingUUID: configuration.uuid, functionName: name)
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
