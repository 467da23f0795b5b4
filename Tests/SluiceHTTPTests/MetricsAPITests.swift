import HTTPTypes
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing

import SluiceServer
import SluiceTesting

@testable import SluiceEngine

/// `GET /metrics` on the real server: the registry it was given, in Prometheus text, without a signature.
@Suite struct MetricsAPITests {
    @Test func metricsAreServedAsPrometheusTextWithoutASignature() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = MappingMetrics(
            factory: PrometheusMetricsFactory(registry: registry), mappingUUID: "u-1", functionName: "f"
        )
        let invoked = StreamInvocationOutcome.invoked(
            requestId: "r", executedVersion: "$LATEST", functionError: nil, body: []
        )
        for _ in 0..<3 { metrics.invocationFinished(invoked) }
        var configuration = SluiceServer.Configuration.testing
        configuration.credentials = ["AKID": "SECRET"]
        try await withTestServer(configuration: configuration, metrics: registry) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status.code == 200)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains("# TYPE sluice_esm_invocations_total counter\n"))
            let series = #"sluice_esm_invocations_total{event_source_mapping_uuid="u-1",function_name="f"}"#
            #expect(text.contains("\n\(series) 3\n"))

            metrics.invocationFinished(invoked)
            let again = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: again.body).contains("\n\(series) 4\n"))
        }
    }

    @Test func otherMethodsOnMetricsAreNotAScrape() async throws {
        try await withTestServer { client in
            let response = try await client.execute(uri: "/metrics", method: .post)
            #expect(response.status.code != 200)
            #expect(response.headers[.contentType] != "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
