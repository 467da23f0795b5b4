import Logging
import SluiceCore
import SluiceTesting
import Testing

@testable import SluiceEngine

/// The worker of one stream mapping (`reference/semantics.md` §8, §11): shard discovery and lineage, resuming from
/// stored progress, live updates, LastProcessingResult, stopping. In-memory stream, scripted function, manual clock.
@Suite(.timeLimit(.minutes(1))) struct StreamMappingWorkerTests {
    @Test func readsEveryShardOfTheStream() async throws {
        let harness = WorkerHarness()
        harness.source.append("a", arrival: harness.epoch, shardId: shard0)
        harness.source.append("b", arrival: harness.epoch, shardId: shard1)
        let running = harness.start()
        await harness.invoker.calls.waitForCount(2)
        running.cancel()
        await running.value
        #expect(Set(await harness.invoker.batches) == [[1], [2]])
    }

    @Test func childrenStartAtTheirFirstRecordOnlyAfterTheParentIsReadToItsEnd() async throws {
        let harness = WorkerHarness()
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        harness.source.addShard(shard1, parent: shard0)
        harness.source.append("k", arrival: harness.epoch, shardId: shard1)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        let running = harness.start(startingPosition: "LATEST")
        try await waitUntil { harness.source.waitingReads == 1 }
        #expect(await harness.invoker.batches == [])
        harness.source.close(shardId: shard0, childShardIds: [shard1])
        await harness.invoker.calls.waitForCount(1)
        running.cancel()
        await running.value
        // LATEST: the open parent's old records are not read; once it closes, its child starts at TRIM_HORIZON.
        #expect(await harness.invoker.batches == [[2]])
        #expect(await harness.checkpoints.finished == ["\(WorkerHarness.mapping)/\(shard0)"])
    }

    @Test func aParentsRecordsAreAllDeliveredBeforeItsChildrensRecords() async throws {
        let harness = WorkerHarness()
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        harness.source.addShard(shard1, parent: shard0)
        harness.source.append("k", arrival: harness.epoch, shardId: shard1)
        harness.source.close(shardId: shard0, childShardIds: [shard1])
        let running = harness.start()
        await harness.invoker.calls.waitForCount(2)
        running.cancel()
        await running.value
        #expect(await harness.invoker.batches == [[1, 2], [3]])
    }

    @Test func resumesAfterTheStoredCheckpointAndSkipsFinishedShards() async throws {
        let checkpoints = MemoryCheckpointStore(["\(WorkerHarness.mapping)/\(shard1)": StreamSequenceNumber("3")])
        try await checkpoints.markFinished(mapping: WorkerHarness.mapping, shard: shard0)
        let harness = WorkerHarness(checkpoints: checkpoints)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        harness.source.close(shardId: shard0, childShardIds: [shard1])
        harness.source.addShard(shard1, parent: shard0)
        for _ in 0..<3 { harness.source.append("k", arrival: harness.epoch, shardId: shard1) }
        let running = harness.start()
        await harness.invoker.calls.waitForCount(1)
        running.cancel()
        await running.value
        #expect(await harness.invoker.batches == [[4]])
    }

    @Test func anUpdateSwitchesTheFunctionFromTheNextBatch() async throws {
        let harness = WorkerHarness()
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        let worker = harness.worker()
        let running = Task { await worker.run() }
        await harness.invoker.calls.waitForCount(1)
        await harness.checkpoints.waitForCheckpoint(1)
        var updated = harness.configuration()
        updated.functionArn = WorkerHarness.otherFunctionArn
        await worker.update(updated)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        await harness.invoker.calls.waitForCount(2)
        running.cancel()
        await running.value
        #expect(
            await harness.invoker.calls.elements.map(\.functionArn) == [
                WorkerHarness.functionArn, WorkerHarness.otherFunctionArn,
            ]
        )
    }

    @Test func lastProcessingResultIsReportedOnlyWhenItChanges() async throws {
        let harness = WorkerHarness { _, index in index == 2 ? .functionError(index) : .success(index) }
        let running = harness.start(maximumRetryAttempts: 0)
        for count in 1...4 {
            harness.source.append("k", arrival: harness.epoch, shardId: shard0)
            await harness.invoker.returned.waitForCount(count)
            await harness.checkpoints.waitForCheckpoint(count)
        }
        running.cancel()
        await running.value
        #expect(await harness.reports.elements == ["OK", "PROBLEM: Function call failed", "OK"])
    }

    @Test func aFailedListingIsReportedAndRetriedAfterABackoff() async throws {
        let harness = WorkerHarness()
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        harness.source.failListings(1)
        let running = harness.start()
        await harness.reports.waitForCount(1)
        #expect(await harness.reports.elements.first?.hasPrefix("PROBLEM: ") == true)
        #expect(await harness.invoker.calls.elements.isEmpty)
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(1))
        await harness.invoker.calls.waitForCount(1)
        running.cancel()
        await running.value
        #expect(await harness.reports.elements.last == "OK")
    }

    @Test func cancellingLetsTheInFlightInvocationFinishAndSavesItsCheckpoint() async throws {
        let gate = Gate()
        let harness = WorkerHarness { _, index in
            await gate.wait()
            return .success(index)
        }
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        let running = harness.start()
        await harness.invoker.calls.waitForCount(1)
        running.cancel()
        await gate.open()
        await running.value
        #expect(await harness.checkpoints.saves.elements == [StreamSequenceNumber("1")])
    }
}

@Suite(.timeLimit(.minutes(1))) struct MappingWorkerRunnerTests {
    @Test func changingTheTumblingWindowRestartsTheMappingFromItsCheckpoint() async throws {
        let harness = WorkerHarness()
        let runner = harness.runner()
        await runner.start(harness.configuration(), kind: .kinesis)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        await harness.checkpoints.waitForCheckpoint(1)
        var windowed = harness.configuration()
        windowed.tumblingWindowInSeconds = 60
        await runner.reconfigure(windowed)
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        await harness.invoker.calls.waitForCount(2)
        await runner.stopAll()
        let events = try await harness.invoker.calls.elements.map { try JSONValue(parsing: $0.payload) }
        #expect(await harness.invoker.batches == [[1], [2]])
        #expect(events[0]["window"] == nil)
        #expect(events[1]["window"] != nil)
    }

    @Test func onlyMappingsOfKnownSourcesRunAndDeleteForgetsTheCheckpoints() async throws {
        let harness = WorkerHarness()
        let runner = harness.runner()
        var queue = harness.configuration()
        queue.uuid = "sqs-mapping"
        await runner.start(queue, kind: .sqs)
        await runner.start(harness.configuration(), kind: .kinesis)
        #expect(await runner.runningMappings == [WorkerHarness.mapping])
        harness.source.append("k", arrival: harness.epoch, shardId: shard0)
        await harness.checkpoints.waitForCheckpoint(1)
        try await runner.remove(uuid: WorkerHarness.mapping)
        #expect(await runner.runningMappings.isEmpty)
        #expect(await harness.checkpoints.forgotten == [WorkerHarness.mapping])
        #expect(try await harness.checkpoints.progress(mapping: WorkerHarness.mapping).isEmpty)
    }
}

private let shard0 = "shardId-000000000000"
private let shard1 = "shardId-000000000001"

private struct WorkerHarness {
    static let mapping = "a1b2c3d4-0000-0000-0000-00000000000w"
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    static let functionArn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    static let otherFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:g"

    let epoch = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
    let clock = ManualClock()
    let source = MemoryStreamSource()
    let invoker: ScriptedInvoker
    let checkpoints: MemoryCheckpointStore
    let reports = Recorder<String>()

    init(
        checkpoints: MemoryCheckpointStore = .init(),
        respond: @escaping @Sendable (ScriptedInvoker.Call, Int) async -> StreamInvocationOutcome = { _, index in
            .success(index)
        }
    ) {
        self.invoker = ScriptedInvoker(respond)
        self.checkpoints = checkpoints
    }

    func configuration(startingPosition: String = "TRIM_HORIZON", maximumRetryAttempts: Int? = nil)
        -> EventSourceMappingConfiguration
    {
        var configuration = EventSourceMappingConfiguration(
            uuid: Self.mapping,
            eventSourceMappingArn: "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:\(Self.mapping)",
            functionArn: Self.functionArn, lastModified: 0, state: .enabled, stateTransitionReason: "User action"
        )
        configuration.eventSourceArn = Self.streamArn
        configuration.startingPosition = startingPosition
        configuration.maximumRetryAttempts = maximumRetryAttempts
        configuration.lastProcessingResult = ProcessingResult.initial
        return configuration
    }

    func worker(startingPosition: String = "TRIM_HORIZON", maximumRetryAttempts: Int? = nil)
        -> StreamMappingWorker<ManualClock>
    {
        let (clock, epoch, reports) = (self.clock, self.epoch, self.reports)
        return StreamMappingWorker(
            configuration: configuration(
                startingPosition: startingPosition, maximumRetryAttempts: maximumRetryAttempts
            ),
            ports: .init(
                source: source, invoker: invoker, destination: MemoryFailureDestination(), progress: checkpoints,
                functions: KnownFunctions(arns: [Self.functionArn, Self.otherFunctionArn])
            ),
            clock: clock,
            now: { clock.wallTime(from: epoch) },
            report: { await reports.append($0) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A runner that knows Kinesis mappings only.
    func runner() -> MappingWorkerRunner {
        let (clock, epoch) = (self.clock, self.epoch)
        return MappingWorkerRunner(sources: [
            .kinesis: StreamMappingWorker.source(
                ports: .init(
                    source: source, invoker: invoker, destination: MemoryFailureDestination(), progress: checkpoints,
                    functions: KnownFunctions(arns: [Self.functionArn])
                ),
                clock: clock,
                now: { clock.wallTime(from: epoch) },
                report: { _, _ in },
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        ])
    }

    func start(startingPosition: String = "TRIM_HORIZON", maximumRetryAttempts: Int? = nil) -> Task<Void, Never> {
        let worker = worker(startingPosition: startingPosition, maximumRetryAttempts: maximumRetryAttempts)
        return Task { await worker.run() }
    }
}
