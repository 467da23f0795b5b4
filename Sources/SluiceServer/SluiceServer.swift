import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceRuntime
import SluiceSources
import SluiceStore
import Synchronization

/// Assembles Sluice: the store, the registries, the mapping supervisor and the HTTP front on one port, as one
/// Hummingbird application whose services run in one `ServiceGroup`.
public enum SluiceServer {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 4566
        /// Where SQLite and function code live; ignored with `inMemory`.
        public var dataDirectory = URL(fileURLWithPath: ".sluice")
        public var inMemory = false
        /// Secret keys by access key id; empty accepts any credentials.
        public var credentials: [String: String] = [:]
        public var region = "us-east-1"
        /// The least time a mapping spends in a transitional state.
        public var transitionDelay: Duration = .milliseconds(100)
        /// Execution environment limits (`--max-environments`, `--idle-timeout`).
        public var environments = FunctionInvoker.Limits()

        public init() {}
    }

    /// Builds the application. `onReady` receives the URL once the port accepts requests.
    ///
    /// - Parameters:
    ///   - configuration: what the command read.
    ///   - logger: the server's logger.
    ///   - metrics: the registry `GET /metrics` renders; each server has its own (no global `MetricsSystem`), so
    ///     servers in one process keep their metrics apart. The mapping runner makes each mapping's metrics over it.
    ///   - onReady: called with the server's URL once the port accepts requests.
    public static func makeApplication(
        configuration: Configuration, logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        onReady: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let storage = try await Storage.open(configuration, logger: logger)
        let now: @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }
        let functions = try await FunctionRegistry(
            store: storage.store, code: storage.code, now: now,
            runtimeProblem: { RuntimeSupport.problem(runtime: $0) }
        )
        let baseURL = BoundURL("http://\(configuration.host):\(configuration.port)")
        let invoker = FunctionInvoker(
            runtimeRoot: storage.root.appendingPathComponent("runtimes"), endpointURL: { baseURL.value },
            limits: configuration.environments,
            logs: FunctionLogs(directory: FunctionLogs.directory(dataDirectory: storage.root), logger: logger)
        )
        let invocations = FunctionInvocations(
            functions: functions, invoker: invoker, eventStore: storage.batches, now: now
        )
        var kinesisConfiguration = KinesisEngine.Configuration()
        // A new stream reads CREATING for as long as a new mapping reads Creating, then ACTIVE (issue 3 item 2).
        kinesisConfiguration.creationDelay = configuration.transitionDelay
        let kinesis = try await KinesisEngine(
            store: storage.store, log: storage.records, configuration: kinesisConfiguration, now: now
        )
        let sqs = try await SQSEngine(
            storage: BatchQueueStorage(store: storage.batches),
            configuration: .init(baseURL: { baseURL.value }), clock: ContinuousClock(), now: now
        )
        let sns = try await SNSEngine(
            store: storage.batches, queues: sqs, configuration: .init(baseURL: { baseURL.value }), now: now
        )
        let mappings = try await MappingRegistry(
            store: storage.store, functions: functions, sources: EmbeddedSources(kinesis: kinesis, sqs: sqs), now: now
        )
        let mappingInvocations = MappingInvocations(invocations: invocations)
        let runner = MappingWorkerRunner(
            sources: [
                .kinesis: StreamMappingWorker.source(
                    ports: .init(
                        source: kinesis, invoker: mappingInvocations,
                        destination: EmbeddedFailureDestinations(sqs: sqs, sns: sns),
                        progress: try await DocumentCheckpointStore(store: storage.store), functions: functions
                    ),
                    clock: ContinuousClock(), now: now,
                    report: { uuid, result in
                        do {
                            try await mappings.recordProcessingResult(uuid: uuid, result)
                        } catch {
                            logger.error("Could not record LastProcessingResult", metadata: ["error": "\(error)"])
                        }
                    },
                    logger: logger
                ),
                .sqs: SQSMappingWorker.source(
                    ports: .init(source: sqs, invoker: mappingInvocations, functions: functions),
                    clock: ContinuousClock(), now: now, logger: logger
                ),
            ],
            metricsFactory: PrometheusMetricsFactory(registry: metrics)
        )
        let supervisor = MappingSupervisor(
            registry: mappings, runner: runner, minimumTransition: configuration.transitionDelay, logger: logger
        )
        let responder = SluiceResponder(
            authenticator: RequestAuthenticator(
                credentials: configuration.credentials, defaultRegion: configuration.region),
            lambda: LambdaAPI(functions: functions, mappings: mappings, invocations: invocations),
            jsonServices: [KinesisAPI(engine: kinesis), SQSAPI(engine: sqs)],
            queryServices: [SNSAPI(engine: sns), SQSQueryAPI(engine: sqs)],
            metrics: MetricsAPI(registry: metrics)
        )
        let host = configuration.host
        return Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
            services: [
                storage, supervisor, FunctionRuntimeService(invocations: invocations, invoker: invoker),
                KinesisRetention(engine: kinesis, clock: ContinuousClock(), now: now, logger: logger),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                baseURL.value = url
                // Event invocations accepted before a restart run now that functions can be given the URL.
                do {
                    try await invocations.restoreQueuedEvents()
                } catch {
                    logger.error("Could not restore queued Event invocations", metadata: ["error": "\(error)"])
                }
                await onReady(url)
            },
            logger: logger
        )
    }
}

/// The server's URL, known once the port is bound (`--port 0` picks one): queue URLs are built from it.
final class BoundURL: Sendable {
    private let storage: Mutex<String>

    init(_ initial: String) {
        storage = Mutex(initial)
    }

    var value: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
