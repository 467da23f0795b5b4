import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import SluiceServer

extension SluiceServer.Configuration {
    /// In memory, port 0, quick transitions.
    public static var testing: SluiceServer.Configuration {
        var configuration = SluiceServer.Configuration()
        configuration.inMemory = true
        configuration.port = 0
        configuration.transitionDelay = .milliseconds(10)
        return configuration
    }
}

/// Runs the real Sluice application (its whole `ServiceGroup`) on 127.0.0.1, port 0, for the duration of `body`,
/// which talks to it over real HTTP. `metrics` is the registry the server renders at `GET /metrics`.
public func withTestServer<Value: Sendable>(
    configuration: SluiceServer.Configuration = .testing,
    logger: Logger = Logger(label: "sluice.test", factory: { _ in SwiftLogNoOpLogHandler() }),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    var configuration = configuration
    configuration.port = 0
    let application = try await SluiceServer.makeApplication(
        configuration: configuration, logger: logger, metrics: metrics
    )
    return try await application.test(.live, body)
}
