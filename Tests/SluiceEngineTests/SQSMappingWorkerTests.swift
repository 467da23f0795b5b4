import Logging
import SluiceCore
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceEngine

/// The SQS mapping worker over a memory queue and a scripted function, on a manual clock (issue 6 items 1, 3, 4, 6).
@Suite(.timeLimit(.minutes(1))) struct SQSMappingWorkerTests {
    @Test func aReturnedBatchIsDeleted() async throws {
        let harness = SQSHarness()
        harness.queue.send(["a", "b", "c"])
        let task = harness.start()
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map(messageIds) == [["m1", "m2", "m3"]])
        #expect(harness.queue.deleted == ["m1", "m2", "m3"])
    }

    @Test func aFailedBatchStaysToReappearWithAHigherReceiveCount() async throws {
        let harness = SQSHarness { _, index in index == 0 ? .functionError(index) : .success(index) }
        harness.queue.send(["a"])
        let task = harness.start()
        await harness.invoker.returned.waitForCount(1)
        harness.queue.visibilityTimeoutsEnded()
        await harness.invoker.returned.waitForCount(2)
        await harness.stop(task)
        let second = try JSONValue(parsing: await harness.invoker.calls.elements[1].payload)
        guard case .array(let records)? = second["Records"] else { Issue.record("no Records"); return }
        #expect(records[0]["attributes"]?["ApproximateReceiveCount"] == "2")
        #expect(harness.queue.deleted == ["m1"])
    }

    @Test func aThrottledBatchReturnsToTheQueue() async throws {
        let harness = SQSHarness { _, index in index == 0 ? .throttled : .success(index) }
        harness.queue.send(["a"])
        let task = harness.start()
        await harness.invoker.returned.waitForCount(1)
        #expect(harness.queue.deleted.isEmpty)
        harness.queue.visibilityTimeoutsEnded()
        await harness.invoker.returned.waitForCount(2)
        await harness.stop(task)
        #expect(harness.queue.deleted == ["m1"])
    }

    @Test func reportedFailuresStayAndTheRestIsDeleted() async throws {
        let harness = SQSHarness { _, index in .success(index, body: #"{"batchItemFailures":[{"itemIdentifier":"m2"}]}"#) }
        harness.queue.send(["a", "b", "c"])
        let task = harness.start(harness.configuration(reportBatchItemFailures: true))
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(harness.queue.deleted == ["m1", "m3"])
        #expect(harness.queue.remaining == ["m2"])
    }

    @Test func withoutReportBatchItemFailuresTheResponseIsIgnored() async throws {
        let harness = SQSHarness { _, index in .success(index, body: #"{"batchItemFailures":[{"itemIdentifier":"m2"}]}"#) }
        harness.queue.send(["a", "b"])
        let task = harness.start()
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(harness.queue.deleted == ["m1", "m2"])
    }

    @Test func messagesNoFilterMatchesAreDeletedUnseen() async throws {
        let harness = SQSHarness()
        harness.queue.send(["drop", "keep", #"{"kind":"keep"}"#])
        let task = harness.start(harness.configuration(filter: #"{"body":["keep"]}"#))
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map(messageIds) == [["m2"]])
        #expect(Set(harness.queue.deleted) == ["m1", "m2", "m3"])
    }

    @Test func aFIFOFailureHoldsBackTheRestOfItsGroupUntilItReappears() async throws {
        let harness = SQSHarness(isFIFO: true) { _, index in
            .success(index, body: index == 0 ? #"{"batchItemFailures":[{"itemIdentifier":"m1"}]}"# : "")
        }
        harness.queue.send(["1", "2", "3"], group: "g")
        let task = harness.start(harness.configuration(reportBatchItemFailures: true))
        await harness.invoker.returned.waitForCount(1)
        #expect(harness.queue.deleted.isEmpty)
        harness.queue.visibilityTimeoutsEnded()
        await harness.invoker.returned.waitForCount(2)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map(messageIds) == [["m1", "m2", "m3"], ["m1", "m2", "m3"]])
        #expect(harness.queue.deleted == ["m1", "m2", "m3"])
    }

    @Test func fivePollersInvokeAtOnceFromTheStart() async throws {
        let gate = Gate()
        let harness = SQSHarness { _, index in
            await gate.wait()
            return .success(index)
        }
        harness.queue.send((1...8).map { "\($0)" })
        let task = harness.start(harness.configuration(batchSize: 1))
        await harness.invoker.calls.waitForCount(5)
        await gate.open()
        await harness.invoker.returned.waitForCount(8)
        await harness.stop(task)
        #expect(Set(harness.queue.deleted) == Set((1...8).map { "m\($0)" }))
    }

    @Test func maximumConcurrencyCapsTheBatchesInFlight() async throws {
        let gate = Gate()
        let inFlight = Mutex((now: 0, most: 0))
        let harness = SQSHarness { _, index in
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            await gate.wait()
            inFlight.withLock { $0.now -= 1 }
            return .success(index)
        }
        harness.queue.send((1...6).map { "\($0)" })
        let task = harness.start(harness.configuration(batchSize: 1, maximumConcurrency: 2))
        await harness.invoker.calls.waitForCount(2)
        await gate.open()
        await harness.invoker.returned.waitForCount(6)
        await harness.stop(task)
        #expect(inFlight.withLock { $0.most } == 2)
    }

    @Test func aReservedConcurrencyOfZeroReceivesNothingUntilItIsRaised() async throws {
        let harness = SQSHarness(reservedConcurrency: 0)
        harness.queue.send(["a"])
        let task = harness.start()
        await harness.clock.nextTimerScheduled()
        #expect(harness.queue.receives == 0)
        harness.functions.reservedConcurrency = 1
        harness.clock.advance(by: SQSMappingWorker<ManualClock>.reservedConcurrencyInterval)
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(harness.queue.deleted == ["m1"])
    }

    @Test func theWindowGathersABurstIntoOneBatchWhileThePollersTakeTurns() async throws {
        let harness = SQSHarness()
        harness.queue.send(["a", "b"])
        let task = harness.start(harness.configuration(batchSize: 100, window: 1))
        await harness.untilReceived(1)
        harness.queue.send(["c"])
        await harness.untilReceived(2)
        #expect(await harness.invoker.calls.elements.isEmpty)
        // The poller's wait is relative to the time it read: step until the window it waits for has passed.
        while await harness.invoker.calls.elements.isEmpty {
            harness.clock.advance(by: .milliseconds(250))
            await Task.yield()
        }
        await harness.invoker.returned.waitForCount(1)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map(messageIds) == [["m1", "m2", "m3"]])
    }

    @Test func stoppingWaitsForTheBatchInFlightAndSettlesIt() async throws {
        let gate = Gate()
        let harness = SQSHarness { _, index in
            await gate.wait()
            return .success(index)
        }
        harness.queue.send(["a"])
        let task = harness.start()
        await harness.invoker.calls.waitForCount(1)
        task.cancel()
        await gate.open()
        await task.value
        #expect(harness.queue.deleted == ["m1"])
    }

    @Test func anUpdateEndsTheWaitingReceivesSoALargerBatchSizeAppliesAtOnce() async throws {
        let harness = SQSHarness(reservedConcurrency: 1)
        let worker = harness.worker(harness.configuration(batchSize: 2))
        let task = Task { await worker.run() }
        harness.queue.send(["a", "b", "c"])
        await harness.invoker.returned.waitForCount(2)
        while harness.queue.waitingReceives == 0 { await Task.yield() }
        await worker.update(harness.configuration(batchSize: 10))
        harness.queue.send((1...6).map { "\($0)" })
        await harness.invoker.returned.waitForCount(3)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map { messageIds($0).count }.sorted() == [1, 2, 6])
    }

    @Test func anUpdateSendsTheNextBatchToTheNewFunction() async throws {
        let harness = SQSHarness()
        harness.queue.send(["a"])
        let worker = harness.worker(harness.configuration())
        let task = Task { await worker.run() }
        await harness.invoker.returned.waitForCount(1)
        var updated = harness.configuration()
        updated.functionArn = SQSHarness.otherFunctionArn
        await worker.update(updated)
        harness.queue.send(["b"])
        await harness.invoker.returned.waitForCount(2)
        await harness.stop(task)
        #expect(await harness.invoker.calls.elements.map(\.functionArn) == [SQSHarness.functionArn, SQSHarness.otherFunctionArn])
    }
}

/// Functions whose reserved concurrency the test changes.
final class AdjustableFunctions: FunctionDirectory {
    private let reserved: Mutex<Int?>

    init(reservedConcurrency: Int?) {
        reserved = Mutex(reservedConcurrency)
    }

    var reservedConcurrency: Int? {
        get { reserved.withLock { $0 } }
        set { reserved.withLock { $0 = newValue } }
    }

    func timeout(of reference: FunctionReference) async -> Int? { 3 }
    func role(of reference: FunctionReference) async -> String? { nil }
    func reservedConcurrency(of reference: FunctionReference) async -> Int? { reservedConcurrency }
}

private struct SQSHarness {
    static let mapping = "a1b2c3d4-0000-0000-0000-0000000000sq"
    static let functionArn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    static let otherFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:g"

    let epoch = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
    let clock = ManualClock()
    let queue: MemoryQueueSource
    let invoker: ScriptedInvoker
    let functions: AdjustableFunctions

    init(
        isFIFO: Bool = false, reservedConcurrency: Int? = nil,
        respond: @escaping @Sendable (ScriptedInvoker.Call, Int) async -> StreamInvocationOutcome = { _, index in
            .success(index)
        }
    ) {
        queue = MemoryQueueSource(clock: clock, isFIFO: isFIFO)
        invoker = ScriptedInvoker(respond)
        functions = AdjustableFunctions(reservedConcurrency: reservedConcurrency)
    }

    var queueArn: String { "arn:aws:sqs:us-east-1:123456789012:q" + (queue.isFIFO ? ".fifo" : "") }

    func configuration(
        batchSize: Int? = nil, window: Int? = nil, maximumConcurrency: Int? = nil, reportBatchItemFailures: Bool = false,
        filter: String? = nil
    ) -> EventSourceMappingConfiguration {
        var configuration = EventSourceMappingConfiguration(
            uuid: Self.mapping,
            eventSourceMappingArn: "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:\(Self.mapping)",
            functionArn: Self.functionArn, lastModified: 0, state: .enabled, stateTransitionReason: "User action"
        )
        configuration.eventSourceArn = queueArn
        configuration.batchSize = batchSize
        configuration.maximumBatchingWindowInSeconds = window
        configuration.scalingConfig = maximumConcurrency.map { ScalingConfig(maximumConcurrency: $0) }
        configuration.functionResponseTypes = reportBatchItemFailures ? ["ReportBatchItemFailures"] : nil
        configuration.filterCriteria = filter.map { FilterCriteria(filters: [FilterCriteria.Filter(pattern: $0)]) }
        return configuration
    }

    func worker(_ configuration: EventSourceMappingConfiguration) -> SQSMappingWorker<ManualClock> {
        let (clock, epoch) = (self.clock, self.epoch)
        return SQSMappingWorker(
            configuration: configuration, ports: .init(source: queue, invoker: invoker, functions: functions),
            clock: clock,
            now: { clock.wallTime(from: epoch) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func start(_ configuration: EventSourceMappingConfiguration? = nil) -> Task<Void, Never> {
        let worker = worker(configuration ?? self.configuration())
        return Task { await worker.run() }
    }

    func stop(_ task: Task<Void, Never>) async {
        task.cancel()
        await task.value
    }

    /// Returns once `count` receives returned something or nothing (a busy wait: the fake has no signal for it).
    func untilReceived(_ count: Int) async {
        while queue.receives < count { await Task.yield() }
    }
}
