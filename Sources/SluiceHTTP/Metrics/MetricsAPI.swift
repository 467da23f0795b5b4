import Prometheus

/// `GET /metrics`: the server's metrics in the Prometheus text exposition format (version 0.0.4), on the same port
/// as the AWS APIs. The metrics are the ones made with a `PrometheusMetricsFactory` over `registry`, such as each
/// mapping's `MappingMetrics`.
///
/// Not authenticated: Prometheus scrapers do not sign requests with SigV4, and the server binds to loopback unless
/// told otherwise.
public struct MetricsAPI: Sendable {
    let registry: PrometheusCollectorRegistry

    static let path = "/metrics"
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// - Parameter registry: the server's metrics.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Whether a request is a scrape: `GET /metrics`, whatever its query.
    static func isScrape(method: String, path: String) -> Bool {
        method == "GET" && path == Self.path
    }

    /// The rendered registry.
    func scrape() -> OutgoingResponse {
        OutgoingResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: registry.emitToBuffer())
    }
}
