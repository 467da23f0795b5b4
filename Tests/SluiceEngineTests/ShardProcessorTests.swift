import Logging
import SluiceCore
import SluiceTesting
import Testing

@testable import SluiceEngine

/// The shard driver of `reference/semantics.md` §1–§4, §8, §11 over an in-memory stream, a scripted function, an
/// in-memory destination and checkpoint store, and a manual clock: no sleeps.
@Suite(.timeLimit(.minutes(1))) struct ShardProcessorTests {
    @Test func deliversRecordsInOrderInBatchesOfBatchSize() async throws {
        let harness = Harness()
        harness.append(7)
        harness.source.close(childShardIds: [])
        let outcome = try await harness.processor(harness.settings(batchSize: 3)).run()
        #expect(outcome == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2, 3], [4, 5, 6], [7]])
        let call = try #require(await harness.invoker.calls.elements.first)
        #expect(call.functionArn == Fixture.functionArn)
        let record = try #require(try JSONValue(parsing: call.payload)["Records"].flatMap(firstElement))
        #expect(record["eventID"] == .string("shardId-000000000000:1"))
        #expect(record["eventSourceARN"] == .string(Fixture.streamArn))
        #expect(record["invokeIdentityArn"] == .string(Fixture.role))
        #expect(record["awsRegion"] == .string("us-east-1"))
        #expect(record["kinesis"]?["data"] == .string("e30="))
    }

    @Test func checkpointsAfterEachSuccessfulBatch() async throws {
        let harness = Harness()
        harness.append(2)
        let running = harness.start(harness.settings())
        await harness.checkpoints.waitForCheckpoint(2)
        harness.append(1)
        await harness.checkpoints.waitForCheckpoint(3)
        #expect(await harness.checkpoints.saves.elements == [seq(2), seq(3)])
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func retriesUntilMaximumRetryAttemptsThenSendsTheFailureRecordAndCheckpointsPast() async throws {
        let harness = Harness { call, index in
            call.sequenceNumbers.contains(1) ? .functionError(index) : .success(index)
        }
        harness.append(3)
        harness.source.close(childShardIds: [])
        let settings = harness.settings(
            batchSize: 2, processing: .init(maximumRetryAttempts: 2), destination: Fixture.dlq)
        let running = harness.start(settings)
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(1))
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(2))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2], [1, 2], [1, 2], [3]])
        let failures = await harness.destination.accepted.elements
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(failure.requestId == "request-2")
        #expect(failure.functionArn == Fixture.functionArn)
        #expect(
            failure.condition == .retryAttemptsExhausted(.init(executedVersion: "$LATEST", functionError: "Unhandled"))
        )
        #expect(failure.approximateInvokeCount == 3)
        #expect(failure.timestamp == harness.time(seconds: 3))
        #expect(failure.batchInfo.startSequenceNumber == seq(1) && failure.batchInfo.endSequenceNumber == seq(2))
        #expect(failure.batchInfo.batchSize == 2 && failure.batchInfo.shardId == Fixture.shardId)
        #expect(failure.batchInfo.streamArn == Fixture.streamArn)
        #expect(await harness.checkpoints.saves.elements.last == seq(3))
    }

    @Test func recordsOlderThanMaximumRecordAgeAreSentToTheDestinationWithoutInvoking() async throws {
        let harness = Harness()
        harness.source.append("k", arrival: harness.time(seconds: -120))
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.close(childShardIds: [])
        let settings = harness.settings(processing: .init(maximumRecordAge: .seconds(60)), destination: Fixture.dlq)
        #expect(try await harness.processor(settings).run() == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[2]])
        let failure = try #require(await harness.destination.accepted.elements.first)
        #expect(failure.condition == .recordAgeExceeded)
        #expect(failure.requestId == "fresh-request-id")
        #expect(failure.approximateInvokeCount == 1)
        #expect(failure.batchInfo.startSequenceNumber == seq(1) && failure.batchInfo.batchSize == 1)
        #expect(await harness.checkpoints.saves.elements.last == seq(2))
    }

    @Test func bisectsAFailingBatchUntilTheBadRecordIsAlone() async throws {
        let harness = Harness { call, index in
            call.sequenceNumbers.contains(3) ? .functionError(index) : .success(index)
        }
        harness.append(4)
        harness.source.close(childShardIds: [])
        let settings = harness.settings(
            batchSize: 4, processing: .init(maximumRetryAttempts: 0, bisectBatchOnFunctionError: true),
            destination: Fixture.dlq
        )
        #expect(try await harness.processor(settings).run() == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]])
        let failures = await harness.destination.accepted.elements
        #expect(failures.map(\.batchInfo.startSequenceNumber) == [seq(3)])
        #expect(failures.map(\.approximateInvokeCount) == [3])
        #expect(await harness.checkpoints.saves.elements.last == seq(4))
    }

    @Test func partialBatchResponseCheckpointsBeforeTheLowestFailedRecordAndRetriesTheRest() async throws {
        let harness = Harness { _, index in
            index == 0 ? .success(index, body: #"{"batchItemFailures":[{"itemIdentifier":"2"}]}"#) : .success(index)
        }
        harness.append(3)
        harness.source.close(childShardIds: [])
        let settings = harness.settings(processing: .init(reportBatchItemFailures: true))
        #expect(try await harness.processor(settings).run() == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2, 3], [2, 3]])
        #expect(await harness.checkpoints.saves.elements == [seq(1), seq(3)])
    }

    @Test func throttledInvocationsAreRetriedWithoutCountingAsAttempts() async throws {
        let harness = Harness { _, index in index < 2 ? .throttled : .success(index) }
        harness.append(1)
        harness.source.close(childShardIds: [])
        let running = harness.start(
            harness.settings(processing: .init(maximumRetryAttempts: 0), destination: Fixture.dlq))
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(1))
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(2))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1], [1], [1]])
        #expect(await harness.destination.attempts.elements.isEmpty)
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }

    @Test func twoPartitionKeysRunInTwoLanesAtOnceWhileEachKeyKeepsItsOrder() async throws {
        // Under FNV-1a 64 with factor 2, key "a" is in lane 0 and key "b" in lane 1.
        let gate = Gate()
        let harness = Harness { call, index in
            if call.sequenceNumbers == [1] { await gate.wait() }
            return .success(index)
        }
        for key in ["a", "b", "a", "b", "b"] { harness.source.append(key, arrival: harness.time(seconds: 0)) }
        let running = harness.start(harness.settings(batchSize: 1, parallelizationFactor: 2))
        // While "a"'s first record is in flight, lane 1 delivers all of "b" in order; "a" waits for its first.
        await harness.invoker.returned.waitForCount(3)
        let whileInFlight = await harness.invoker.batches
        #expect(Set(whileInFlight.prefix(2)) == [[1], [2]] && whileInFlight.dropFirst(2) == [[4], [5]])
        await gate.open()
        harness.source.close(childShardIds: [])
        #expect(try await running.value == .ended(childShardIds: []))
        let calls = await harness.invoker.calls.elements
        #expect(calls.filter { $0.partitionKeys == ["a"] }.map(\.sequenceNumbers) == [[1], [3]])
        #expect(calls.filter { $0.partitionKeys == ["b"] }.map(\.sequenceNumbers) == [[2], [4], [5]])
        #expect(await harness.checkpoints.saves.elements.last == seq(5))
    }

    @Test func checkpointNeverPassesARecordInFlightInAnotherLane() async throws {
        let gate = Gate()
        let savedWhileInFlight = Recorder<[StreamSequenceNumber]>()
        let checkpoints = MemoryCheckpointStore()
        let harness = Harness(checkpoints: checkpoints) { call, index in
            if call.sequenceNumbers == [1] {
                await gate.wait()
                await savedWhileInFlight.append(await checkpoints.saves.elements)
            }
            return .success(index)
        }
        for key in ["a", "b", "b", "b"] { harness.source.append(key, arrival: harness.time(seconds: 0)) }
        let running = harness.start(harness.settings(batchSize: 1, parallelizationFactor: 2))
        await harness.invoker.returned.waitForCount(3)
        await gate.open()
        await checkpoints.waitForCheckpoint(4)
        #expect(await savedWhileInFlight.elements == [[]])
        #expect(await checkpoints.saves.elements == [seq(4)])
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func filteredOutRecordsAreSkippedAndCheckpointed() async throws {
        let harness = Harness()
        let filter = try KinesisRecordFilter(FilterCriteria(filters: [.init(pattern: #"{"data":{"keep":[true]}}"#)]))
        harness.source.append("k", data: #"{"keep":false}"#, arrival: harness.time(seconds: 0))
        harness.source.append("k", data: "not json", arrival: harness.time(seconds: 0))
        let running = harness.start(harness.settings(filter: filter))
        await harness.checkpoints.waitForCheckpoint(2)
        #expect(await harness.invoker.calls.elements.isEmpty)
        harness.source.append("k", data: #"{"keep":true}"#, arrival: harness.time(seconds: 0))
        harness.source.append("k", data: #"{"keep":false}"#, arrival: harness.time(seconds: 0))
        harness.source.close(childShardIds: [])
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[3]])
        #expect(await harness.checkpoints.saves.elements.last == seq(4))
    }

    @Test func resumesAfterTheStoredCheckpoint() async throws {
        let harness = Harness(
            checkpoints: MemoryCheckpointStore([MemoryCheckpointStore.key(Fixture.mapping, Fixture.shardId): seq(2)]))
        harness.append(4)
        harness.source.close(childShardIds: [])
        #expect(try await harness.processor(harness.settings(), start: .trimHorizon).run() == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[3, 4]])
        #expect(await harness.checkpoints.saves.elements == [seq(4)])
    }

    @Test func cancellationLetsTheInvocationInFlightFinishAndKeepsTheCheckpoint() async throws {
        let gate = Gate()
        let harness = Harness { call, index in
            if call.sequenceNumbers.contains(3) { await gate.wait() }
            return .success(index)
        }
        harness.append(4)
        let running = harness.start(harness.settings(batchSize: 2))
        await harness.invoker.calls.waitForCount(2)
        running.cancel()
        await gate.open()
        #expect(try await running.value == .stopped)
        #expect(await harness.invoker.batches == [[1, 2], [3, 4]])
        #expect(await harness.checkpoints.saves.elements == [seq(2), seq(4)])
        #expect(try await harness.checkpoints.checkpoint(mapping: Fixture.mapping, shard: Fixture.shardId) == seq(4))
    }

    @Test func cancellationDuringARetryBackoffStopsAtOnceWithoutPassingTheBatch() async throws {
        let harness = Harness { call, index in
            call.sequenceNumbers.contains(3) ? .functionError(index) : .success(index)
        }
        harness.append(4)
        let running = harness.start(harness.settings(batchSize: 2))
        await harness.clock.nextTimerScheduled()
        running.cancel()
        #expect(try await running.value == .stopped)
        #expect(await harness.invoker.batches == [[1, 2], [3, 4]])
        #expect(await harness.checkpoints.saves.elements == [seq(2)])
    }

    @Test func failedCheckpointSaveIsRetriedBeforeTheShardEnds() async throws {
        let harness = Harness(checkpoints: MemoryCheckpointStore(failures: 1))
        harness.append(1)
        harness.source.close(childShardIds: [])
        let running = harness.start(harness.settings())
        await harness.clock.nextTimerScheduled()
        #expect(await harness.checkpoints.saves.elements.isEmpty)
        harness.clock.advance(by: .seconds(1))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }

    @Test func closedShardEndsWithItsChildrenOnceEveryRecordIsCheckpointed() async throws {
        let harness = Harness()
        harness.append(2)
        let running = harness.start(harness.settings())
        await harness.checkpoints.waitForCheckpoint(2)
        harness.append(1)
        harness.source.close(childShardIds: ["shardId-000000000001", "shardId-000000000002"])
        #expect(try await running.value == .ended(childShardIds: ["shardId-000000000001", "shardId-000000000002"]))
        #expect(await harness.checkpoints.saves.elements.last == seq(3))
    }

    @Test func refusedFailureRecordIsSentAgainBeforeTheCheckpointPassesIt() async throws {
        let harness = Harness(destination: MemoryFailureDestination(refusals: 2)) { _, index in .functionError(index) }
        harness.append(1)
        harness.source.close(childShardIds: [])
        let running = harness.start(
            harness.settings(processing: .init(maximumRetryAttempts: 0), destination: Fixture.dlq))
        await harness.clock.nextTimerScheduled()
        #expect(await harness.checkpoints.saves.elements.isEmpty)
        harness.clock.advance(by: .seconds(1))
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(2))
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.destination.attempts.elements.count == 3)
        #expect(await harness.destination.accepted.elements.count == 1)
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }

    @Test func updatedSettingsApplyFromTheNextBatch() async throws {
        let gate = Gate()
        let harness = Harness { call, index in
            if call.sequenceNumbers.contains(1) { await gate.wait() }
            return .success(index)
        }
        harness.append(5)
        let processor = harness.processor(harness.settings(batchSize: 2))
        let running = Task { try await processor.run() }
        await harness.invoker.calls.waitForCount(1)
        processor.update(harness.settings(batchSize: 3))
        await gate.open()
        harness.source.close(childShardIds: [])
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2], [3, 4, 5]])
    }

    @Test func changedParallelizationFactorKeepsEveryKeyInOrderWithoutLosingRecords() async throws {
        let gate = Gate()
        let harness = Harness { call, index in
            if call.sequenceNumbers == [1] { await gate.wait() }
            return .success(index)
        }
        for key in ["a", "b", "a", "c", "b", "g", "a"] { harness.source.append(key, arrival: harness.time(seconds: 0)) }
        let processor = harness.processor(harness.settings(batchSize: 1))
        let running = Task { try await processor.run() }
        await harness.invoker.calls.waitForCount(1)
        processor.update(harness.settings(batchSize: 1, parallelizationFactor: 3))
        await gate.open()
        harness.source.close(childShardIds: [])
        #expect(try await running.value == .ended(childShardIds: []))
        let calls = await harness.invoker.calls.elements
        #expect(calls.map(\.sequenceNumbers).sorted { $0[0] < $1[0] } == (1...7).map { [$0] })
        #expect(calls.filter { $0.partitionKeys == ["a"] }.map(\.sequenceNumbers) == [[1], [3], [7]])
        #expect(calls.filter { $0.partitionKeys == ["b"] }.map(\.sequenceNumbers) == [[2], [5]])
        #expect(await harness.checkpoints.saves.elements.last == seq(7))
    }

    @Test func updatedFunctionReceivesTheNextBatch() async throws {
        let gate = Gate()
        let harness = Harness { call, index in
            if call.sequenceNumbers.contains(1) { await gate.wait() }
            return .success(index)
        }
        harness.append(2)
        let processor = harness.processor(harness.settings(batchSize: 1))
        let running = Task { try await processor.run() }
        await harness.invoker.calls.waitForCount(1)
        var updated = harness.settings(batchSize: 1)
        updated.functionArn = Fixture.functionArn + ":2"
        processor.update(updated)
        await gate.open()
        harness.source.close(childShardIds: [])
        #expect(try await running.value == .ended(childShardIds: []))
        #expect(
            await harness.invoker.calls.elements.map(\.functionArn) == [
                Fixture.functionArn, Fixture.functionArn + ":2",
            ])
    }

    @Test func batchingWindowGathersRecordsReadWithinIt() async throws {
        let harness = Harness()
        harness.append(1)
        let running = harness.start(harness.settings(window: .seconds(2)))
        await harness.clock.nextTimerScheduled()
        harness.append(1)
        // The second record is read (and the next read waits) before the window ends.
        try await waitUntil { harness.source.waitingReads == 1 }
        #expect(await harness.invoker.calls.elements.isEmpty)
        harness.clock.advance(by: .seconds(2))
        await harness.checkpoints.waitForCheckpoint(2)
        #expect(await harness.invoker.batches == [[1, 2]])
        running.cancel()
        #expect(try await running.value == .stopped)
    }
}

// MARK: Fixtures

enum Fixture {
    static let mapping = "a1b2c3d4-0000-0000-0000-000000000001"
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    static let shardId = "shardId-000000000000"
    static let functionArn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    static let role = "arn:aws:iam::123456789012:role/lambda-role"
    static let dlq = "arn:aws:sqs:us-east-1:123456789012:dlq"
}

func seq(_ number: Int) -> StreamSequenceNumber { StreamSequenceNumber("\(number)") }

private func firstElement(_ value: JSONValue) -> JSONValue? {
    guard case .array(let elements) = value else { return nil }
    return elements.first
}

/// One shard's world: stream, function, destination, checkpoint store and clock.
struct Harness {
    static let epoch: Int64 = 1_700_000_000_000

    let clock = ManualClock()
    let source = MemoryStreamSource()
    let invoker: ScriptedInvoker
    let destination: MemoryFailureDestination
    let checkpoints: MemoryCheckpointStore

    init(
        destination: MemoryFailureDestination = .init(), checkpoints: MemoryCheckpointStore = .init(),
        respond: @escaping @Sendable (ScriptedInvoker.Call, Int) async -> StreamInvocationOutcome = { _, index in
            .success(index)
        }
    ) {
        self.invoker = ScriptedInvoker(respond)
        self.destination = destination
        self.checkpoints = checkpoints
    }

    /// The wall time `seconds` after the test started (the manual clock's zero).
    func time(seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Self.epoch + seconds * 1000)
    }

    /// Appends `count` records of key "k", arrived now.
    func append(_ count: Int) {
        for _ in 0..<count { source.append("k", arrival: time(seconds: 0)) }
    }

    func settings(
        batchSize: Int = 100, window: Duration = .zero, processing: StreamBatchProcessor.Settings = .init(),
        parallelizationFactor: Int = 1, filter: KinesisRecordFilter = KinesisRecordFilter([]),
        destination: String? = nil
    ) -> ShardProcessor<ManualClock>.Settings {
        .init(
            functionArn: Fixture.functionArn, invokeIdentityArn: Fixture.role, awsRegion: "us-east-1",
            batchSize: batchSize,
            maximumBatchingWindow: window, processing: processing, parallelizationFactor: parallelizationFactor,
            filter: filter, onFailureDestination: destination
        )
    }

    func processor(
        _ settings: ShardProcessor<ManualClock>.Settings, start: ShardStart = .trimHorizon
    ) -> ShardProcessor<ManualClock> {
        let clock = self.clock
        return ShardProcessor(
            mappingUUID: Fixture.mapping, streamArn: Fixture.streamArn, shardId: Fixture.shardId, start: start,
            settings: settings,
            source: source, invoker: invoker, destination: destination, checkpoints: checkpoints, clock: clock,
            now: { clock.wallTime(from: Timestamp(millisecondsSinceEpoch: Self.epoch)) },
            newRequestId: { "fresh-request-id" },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// Runs a processor in a task the test can cancel and await.
    func start(_ settings: ShardProcessor<ManualClock>.Settings) -> Task<ShardProcessor<ManualClock>.Outcome, any Error>
    {
        let processor = processor(settings)
        return Task { try await processor.run() }
    }
}
