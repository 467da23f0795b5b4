import Logging
import Prometheus
import SluiceCore
import SluiceTesting
import Testing

@testable import SluiceEngine

/// The per-mapping metrics a shard processor records, read back from the Prometheus registry's rendered text as
/// `GET /metrics` shows them.
@Suite(.timeLimit(.minutes(1))) struct MappingMetricsTests {
    static let mapping = "a1b2c3d4-0000-4000-8000-000000000001"
    static let epoch: Int64 = 1_700_000_000_000

    @Test func countsThrottlesErrorsFilteredAndDroppedRecordsAndTheIteratorAge() async throws {
        // Record 1 is throttled once, then fails and is dropped (no retries, no destination); record 2 is filtered
        // out; record 3 succeeds, invoked after the 1 s throttle backoff, 3 s after it arrived.
        let world = World { call, index in
            if call.sequenceNumbers == [1] { return index == 0 ? .throttled : .functionError(index) }
            return .success(index)
        }
        world.source.append("k", data: #"{"keep":true}"#, arrival: world.time(seconds: -5))
        world.source.append("k", data: #"{"keep":false}"#, arrival: world.time(seconds: -4))
        world.source.append("k", data: #"{"keep":true}"#, arrival: world.time(seconds: -2))
        world.source.close(childShardIds: [])
        let filter = try KinesisRecordFilter(FilterCriteria(filters: [.init(pattern: #"{"data":{"keep":[true]}}"#)]))
        let running = world.start(processing: .init(maximumRetryAttempts: 0), filter: filter)
        await world.clock.nextTimerScheduled()
        world.clock.advance(by: .seconds(1))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await world.invoker.batches == [[1], [1], [3]])

        let text = world.registry.emitToString()
        #expect(value(MappingMetrics.Name.invocations, in: text) == 2)
        #expect(value(MappingMetrics.Name.errors, in: text) == 1)
        #expect(value(MappingMetrics.Name.throttles, in: text) == 1)
        #expect(value(MappingMetrics.Name.recordsFiltered, in: text) == 1)
        #expect(value(MappingMetrics.Name.recordsDropped, in: text) == 1)
        #expect(value(MappingMetrics.Name.recordsPolled, in: text) == 3)
        #expect(value(MappingMetrics.Name.destinationDeliveryFailures, in: text) == 0)
        #expect(value(MappingMetrics.Name.iteratorAge, in: text) == 3000)
    }

    @Test func countsRefusedFailureRecordsAsDestinationDeliveryFailures() async throws {
        let world = World(destination: MemoryFailureDestination(refusals: 1)) { _, index in .functionError(index) }
        world.source.append("k", arrival: world.time(seconds: 0))
        world.source.close(childShardIds: [])
        let running = world.start(
            processing: .init(maximumRetryAttempts: 0), destination: "arn:aws:sqs:us-east-1:123456789012:dlq")
        await world.clock.nextTimerScheduled()
        world.clock.advance(by: .seconds(1))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await world.destination.accepted.elements.count == 1)

        let text = world.registry.emitToString()
        #expect(value(MappingMetrics.Name.destinationDeliveryFailures, in: text) == 1)
        #expect(value(MappingMetrics.Name.errors, in: text) == 1)
        #expect(value(MappingMetrics.Name.recordsDropped, in: text) == 0)
    }

    @Test func destroyedMetricsLeaveTheRegistry() {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let metrics = MappingMetrics(factory: factory, mappingUUID: Self.mapping, functionName: "f")
        let other = MappingMetrics(factory: factory, mappingUUID: "another", functionName: "f")
        metrics.recordsDropped(2)
        other.recordsDropped(5)
        #expect(value(MappingMetrics.Name.recordsDropped, in: registry.emitToString()) == 2)
        metrics.destroy()
        let text = registry.emitToString()
        #expect(value(MappingMetrics.Name.recordsDropped, in: text) == nil)
        let another = #"sluice_esm_records_dropped_total{event_source_mapping_uuid="another",function_name="f"} 5"#
        #expect(text.split(separator: "\n").contains { $0 == another })
    }

    @Test func onlyAnAWSThrottleCountsAsAThrottle() {
        #expect(StreamInvocationOutcome.throttled.isThrottled)
        #expect(!StreamInvocationOutcome.notInvoked(reason: "ResourceNotFoundException").isThrottled)
        #expect(!StreamInvocationOutcome.functionError(0).isThrottled)
    }
}

/// The value of the series of `name` for the test mapping and function `f` in Prometheus text, or `nil` without one.
private func value(_ name: String, in text: String) -> Double? {
    let prefix = #"\#(name){event_source_mapping_uuid="\#(MappingMetricsTests.mapping)",function_name="f"} "#
    return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
}

/// One shard's world with the mapping's metrics in a registry of its own.
private struct World {
    let clock = ManualClock()
    let source = MemoryStreamSource()
    let invoker: ScriptedInvoker
    let destination: MemoryFailureDestination
    let checkpoints = MemoryCheckpointStore()
    let registry = PrometheusCollectorRegistry()

    init(
        destination: MemoryFailureDestination = .init(),
        respond: @escaping @Sendable (ScriptedInvoker.Call, Int) async -> StreamInvocationOutcome
    ) {
        self.invoker = ScriptedInvoker(respond)
        self.destination = destination
    }

    /// The wall time `seconds` after the manual clock's zero.
    func time(seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: MappingMetricsTests.epoch + seconds * 1000)
    }

    /// Runs a processor of one-record batches, with metrics, in a task the test awaits.
    func start(
        processing: StreamBatchProcessor.Settings, filter: KinesisRecordFilter = KinesisRecordFilter([]),
        destination destinationArn: String? = nil
    ) -> Task<ShardProcessor<ManualClock>.Outcome, any Error> {
        let clock = self.clock
        let settings = ShardProcessor<ManualClock>.Settings(
            functionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
            invokeIdentityArn: "arn:aws:iam::123456789012:role/lambda-role", awsRegion: "us-east-1", batchSize: 1,
            processing: processing, filter: filter, onFailureDestination: destinationArn
        )
        let processor = ShardProcessor(
            mappingUUID: MappingMetricsTests.mapping,
            streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s", shardId: "shardId-000000000000",
            start: .trimHorizon, settings: settings, source: source, invoker: invoker, destination: destination,
            checkpoints: checkpoints, clock: clock,
            now: { clock.wallTime(from: Timestamp(millisecondsSinceEpoch: MappingMetricsTests.epoch)) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            metrics: MappingMetrics(
                factory: PrometheusMetricsFactory(registry: registry), mappingUUID: MappingMetricsTests.mapping,
                functionName: "f"
            )
        )
        return Task { try await processor.run() }
    }
}
