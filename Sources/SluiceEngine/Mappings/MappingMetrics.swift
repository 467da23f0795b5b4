import CoreMetrics
import SluiceCore

/// The CloudWatch metrics AWS reports for an event source mapping (IteratorAge, Invocations, Errors, Throttles,
/// DestinationDeliveryFailures, and the filtered / dropped / polled record counts of
/// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), as swift-metrics with Prometheus-style
/// names and the dimensions as labels: `{event_source_mapping_uuid="…", function_name="…"}`. An SQS mapping records
/// invocations, errors, throttles and the polled and filtered counts; the rest are stream metrics.
///
/// Made once per mapping from an explicit factory (never the global `MetricsSystem`, so servers in one test process do
/// not share metrics) and shared by the mapping's shard processors or pollers. ``none`` records nothing.
public struct MappingMetrics: Sendable {
    /// The metric names, as `/metrics` shows them.
    public enum Name {
        /// Gauge: milliseconds from the arrival of a batch's last record to its invocation (AWS's IteratorAge).
        public static let iteratorAge = "sluice_esm_iterator_age_milliseconds"
        /// Counter: invocations the function ran, returned or failed (Invocations).
        public static let invocations = "sluice_esm_invocations_total"
        /// Counter: invocations that ended in a function error, timeouts and crashes included (Errors).
        public static let errors = "sluice_esm_errors_total"
        /// Counter: invocations not made because the function was throttled (Throttles).
        public static let throttles = "sluice_esm_throttles_total"
        /// Counter: failure records the on-failure destination refused (DestinationDeliveryFailures).
        public static let destinationDeliveryFailures = "sluice_esm_destination_delivery_failures_total"
        /// Counter: records read that `FilterCriteria` did not deliver (FilteredOutEventCount).
        public static let recordsFiltered = "sluice_esm_records_filtered_total"
        /// Counter: records given up without an on-failure destination (DroppedEventCount).
        public static let recordsDropped = "sluice_esm_records_dropped_total"
        /// Counter: records read from the stream (PolledEventCount).
        public static let recordsPolled = "sluice_esm_records_polled_total"
    }

    private struct Instruments: Sendable {
        var iteratorAge: Gauge
        var invocations: Counter
        var errors: Counter
        var throttles: Counter
        var destinationDeliveryFailures: Counter
        var recordsFiltered: Counter
        var recordsDropped: Counter
        var recordsPolled: Counter
    }

    private let instruments: Instruments?

    /// Records nothing: for tests and processors made without metrics.
    public static let none = MappingMetrics(instruments: nil)

    private init(instruments: Instruments?) {
        self.instruments = instruments
    }

    /// The metrics of one mapping.
    ///
    /// - Parameters:
    ///   - factory: where the metrics live; the server's `PrometheusMetricsFactory`, whose registry `/metrics` renders.
    ///   - mappingUUID: the mapping's UUID (the `EventSourceMappingUUID` dimension).
    ///   - functionName: the function's name (the `FunctionName` dimension).
    public init(factory: any MetricsFactory, mappingUUID: String, functionName: String) {
        let dimensions = [("event_source_mapping_uuid", mappingUUID), ("function_name", functionName)]
        func counter(_ label: String) -> Counter { Counter(label: label, dimensions: dimensions, factory: factory) }
        instruments = Instruments(
            iteratorAge: Gauge(label: Name.iteratorAge, dimensions: dimensions, factory: factory),
            invocations: counter(Name.invocations), errors: counter(Name.errors), throttles: counter(Name.throttles),
            destinationDeliveryFailures: counter(Name.destinationDeliveryFailures),
            recordsFiltered: counter(Name.recordsFiltered), recordsDropped: counter(Name.recordsDropped),
            recordsPolled: counter(Name.recordsPolled)
        )
    }

    /// Removes the mapping's metrics from the factory (DeleteEventSourceMapping): `/metrics` stops showing them.
    public func destroy() {
        guard let instruments else { return }
        instruments.iteratorAge.destroy()
        for counter in [
            instruments.invocations, instruments.errors, instruments.throttles, instruments.destinationDeliveryFailures,
            instruments.recordsFiltered, instruments.recordsDropped, instruments.recordsPolled,
        ] {
            counter.destroy()
        }
    }

    // MARK: Recording

    /// A batch is invoked now; its last record arrived at `lastArrival`.
    func batchInvoked(lastArrival: Timestamp, now: Timestamp) {
        instruments?.iteratorAge.record(max(0, now.millisecondsSinceEpoch - lastArrival.millisecondsSinceEpoch))
    }

    /// An invocation's outcome: the function ran (with or without an error), or it was not invoked.
    func invocationFinished(_ outcome: StreamInvocationOutcome) {
        guard let instruments else { return }
        switch outcome {
        case .invoked(_, _, let functionError, _):
            instruments.invocations.increment()
            if functionError != nil { instruments.errors.increment() }
        case .notInvoked:
            if outcome.isThrottled { instruments.throttles.increment() }
        }
    }

    /// The on-failure destination refused a failure record.
    func destinationDeliveryFailed() {
        instruments?.destinationDeliveryFailures.increment()
    }

    /// Records read from the stream: `polled` in all, `filtered` of them not delivered.
    func recordsRead(polled: Int, filtered: Int) {
        guard let instruments else { return }
        if polled > 0 { instruments.recordsPolled.increment(by: Int64(polled)) }
        if filtered > 0 { instruments.recordsFiltered.increment(by: Int64(filtered)) }
    }

    /// Records given up with no on-failure destination.
    func recordsDropped(_ count: Int) {
        guard count > 0 else { return }
        instruments?.recordsDropped.increment(by: Int64(count))
    }
}
