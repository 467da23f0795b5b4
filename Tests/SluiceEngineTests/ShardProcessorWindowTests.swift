import SluiceCore
import SluiceTesting
import Testing

@testable import SluiceEngine

/// The shard driver with `TumblingWindowInSeconds` (`reference/semantics.md` §5, `reference/events.md` §5), over the
/// `ShardProcessorTests` harness. Windows are 10 s long; the harness's time zero (2023-11-14T22:13:20Z) starts one,
/// so records that arrive at 0–9 s share the first window and the second starts at 10 s.
@Suite(.timeLimit(.minutes(1))) struct ShardProcessorWindowTests {
    static let firstStart = "2023-11-14T22:13:20Z"
    static let secondStart = "2023-11-14T22:13:30Z"

    @Test func stateIsCarriedAcrossTwoInvocationsOfAWindow() async throws {
        let harness = Harness(respond: countingRecords)
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.append("k", arrival: harness.time(seconds: 1))
        let running = harness.start(windowed(harness.settings(batchSize: 1)))
        await harness.invoker.returned.waitForCount(2)
        let calls = try await windowCalls(harness)
        #expect(calls == [.init(records: [1], state: "{}"), .init(records: [2], state: #"{"n":1}"#)])
        let event = try JSONValue(parsing: try #require(await harness.invoker.calls.elements.first).payload)
        #expect(event["window"]?["start"] == .string(Self.firstStart))
        #expect(event["window"]?["end"] == .string("2023-11-14T22:13:30Z"))
        #expect(event["shardId"] == .string(Fixture.shardId))
        #expect(event["eventSourceARN"] == .string(Fixture.streamArn))
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func aRecordOfALaterWindowBringsTheFinalInvokeOfTheOpenOne() async throws {
        let harness = Harness(respond: countingRecords)
        harness.source.append("k", arrival: harness.time(seconds: 0))
        let running = harness.start(windowed(harness.settings()))
        await harness.invoker.returned.waitForCount(1)
        harness.source.append("k", arrival: harness.time(seconds: 12))
        await harness.invoker.returned.waitForCount(3)
        await harness.checkpoints.waitForCheckpoint(1)
        #expect(
            try await windowCalls(harness) == [
                .init(records: [1], state: "{}"), .init(records: [], state: #"{"n":1}"#, isFinal: true),
                .init(records: [2], state: "{}", start: Self.secondStart),
            ])
        running.cancel()
        #expect(try await running.value == .stopped)
        // The second window is still open: its record stays behind the checkpoint.
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }

    @Test func theFinalInvokeComesWhenTheWindowEndPassesWithNoRecords() async throws {
        let harness = Harness(respond: countingRecords)
        harness.source.append("k", arrival: harness.time(seconds: 0))
        let running = harness.start(windowed(harness.settings()))
        await harness.invoker.returned.waitForCount(1)
        await harness.clock.nextTimerScheduled()
        #expect(await harness.invoker.calls.elements.count == 1)
        harness.clock.advance(by: .seconds(10))
        await harness.checkpoints.waitForCheckpoint(1)
        #expect(
            try await windowCalls(harness) == [
                .init(records: [1], state: "{}"), .init(records: [], state: #"{"n":1}"#, isFinal: true),
            ])
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func stateOverOneMegabyteEndsTheWindowEarly() async throws {
        let big = String(repeating: "x", count: TumblingWindow.maximumStateBytes)
        let harness = Harness { _, index in
            .success(index, body: index == 0 ? #"{"state":{"blob":"\#(big)"}}"# : #"{"state":{}}"#)
        }
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.append("k", arrival: harness.time(seconds: 1))
        let running = harness.start(windowed(harness.settings(batchSize: 1)))
        await harness.invoker.returned.waitForCount(3)
        let calls = try await windowCalls(harness)
        #expect(calls.map(\.records) == [[1], [], [2]])
        #expect(calls[1].isFinal && calls[1].isTerminatedEarly && calls[1].state == #"{"blob":"\#(big)"}"#)
        // Later records of the same interval open a new window with a fresh state.
        #expect(calls[2] == .init(records: [2], state: "{}"))
        await harness.checkpoints.waitForCheckpoint(1)
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func aFailedInvocationIsRetriedWithTheStateItHad() async throws {
        // Call 1 fails with a function error, call 2 answers without `state` (a failure too), call 3 succeeds.
        let harness = Harness { call, index in
            switch index {
            case 1: .functionError(index)
            case 2: .success(index, body: "{}")
            default: countingRecords(call, index)
            }
        }
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.append("k", arrival: harness.time(seconds: 1))
        let running = harness.start(windowed(harness.settings(batchSize: 1)))
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(1))
        await harness.invoker.returned.waitForCount(3)
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(2))
        await harness.invoker.returned.waitForCount(4)
        let retried = WindowCall(records: [2], state: #"{"n":1}"#)
        #expect(try await windowCalls(harness) == [.init(records: [1], state: "{}"), retried, retried, retried])
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func theCheckpointWaitsUntilTheFinalInvokeSucceeded() async throws {
        let checkpoints = MemoryCheckpointStore()
        let savedAtFinalInvokes = Recorder<[StreamSequenceNumber]>()
        // The first final invoke (call 1) fails; its retry (call 2) succeeds.
        let harness = Harness(checkpoints: checkpoints) { call, index in
            guard index > 0 else { return countingRecords(call, index) }
            await savedAtFinalInvokes.append(await checkpoints.saves.elements)
            return index == 1 ? .functionError(index) : countingRecords(call, index)
        }
        harness.source.append("k", arrival: harness.time(seconds: 0))
        let running = harness.start(windowed(harness.settings()))
        await harness.invoker.returned.waitForCount(1)
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(10))
        await harness.invoker.returned.waitForCount(2)
        await harness.clock.nextTimerScheduled()
        harness.clock.advance(by: .seconds(1))
        await checkpoints.waitForCheckpoint(1)
        #expect(await savedAtFinalInvokes.elements == [[], []])
        #expect(try await windowCalls(harness).map(\.isFinal) == [false, true, true])
        running.cancel()
        #expect(try await running.value == .stopped)
    }

    @Test func theShardEndClosesTheWindow() async throws {
        let harness = Harness(respond: countingRecords)
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.close(childShardIds: ["shardId-000000000001"])
        let outcome = try await harness.processor(windowed(harness.settings())).run()
        #expect(outcome == .ended(childShardIds: ["shardId-000000000001"]))
        #expect(
            try await windowCalls(harness) == [
                .init(records: [1], state: "{}"), .init(records: [], state: #"{"n":1}"#, isFinal: true),
            ])
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }

    @Test func theStateCountsTowardsThePayloadLimit() async throws {
        // The limit fits two records with an empty state; once the state has grown, one record per invocation.
        let padded = #"{"state":{"pad":"\#(String(repeating: "x", count: 100))"}}"#
        let harness = Harness { _, index in .success(index, body: padded) }
        harness.append(4)
        let encoder = KinesisEventEncoder(
            shardId: Fixture.shardId, streamARN: Fixture.streamArn, awsRegion: "us-east-1",
            invokeIdentityArn: Fixture.role
        )
        let two = (1...2).map {
            StreamRecord(
                sequenceNumber: seq($0), partitionKey: "k", data: Array("{}".utf8), arrival: harness.time(seconds: 0)
            )
        }
        let window = TumblingWindowEvent(start: harness.time(seconds: 0), end: harness.time(seconds: 10))
        var settings = windowed(harness.settings())
        settings.maximumPayloadBytes = encoder.eventSize(two, window: window)
        harness.source.close(childShardIds: [])
        #expect(try await harness.processor(settings).run() == .ended(childShardIds: []))
        #expect(await harness.invoker.batches == [[1, 2], [3], [4], []])
    }

    @Test func givenUpRecordsGoToTheDestinationAndTheWindowStillCloses() async throws {
        let harness = Harness { call, index in
            call.sequenceNumbers.isEmpty ? countingRecords(call, index) : .functionError(index)
        }
        harness.source.append("k", arrival: harness.time(seconds: 0))
        harness.source.close(childShardIds: [])
        let settings = harness.settings(processing: .init(maximumRetryAttempts: 0), destination: Fixture.dlq)
        #expect(try await harness.processor(windowed(settings)).run() == .ended(childShardIds: []))
        let failures = await harness.destination.accepted.elements
        #expect(failures.map(\.batchInfo.startSequenceNumber) == [seq(1)])
        #expect(failures.map(\.requestId) == ["request-0"])
        #expect(
            try await windowCalls(harness) == [
                .init(records: [1], state: "{}"), .init(records: [], state: "{}", isFinal: true),
            ])
        #expect(await harness.checkpoints.saves.elements == [seq(1)])
    }
}

// MARK: Helpers

/// What one window invocation carried.
struct WindowCall: Equatable, CustomStringConvertible {
    var records: [Int]
    /// The `state` as compact JSON text.
    var state: String
    var isFinal = false
    var isTerminatedEarly = false
    var start = ShardProcessorWindowTests.firstStart

    var description: String {
        "\(records) \(state.prefix(40)) final: \(isFinal) early: \(isTerminatedEarly) \(start)"
    }
}

private func windowed(_ settings: ShardProcessor<ManualClock>.Settings) -> ShardProcessor<ManualClock>.Settings {
    var settings = settings
    settings.tumblingWindow = .seconds(10)
    return settings
}

private func windowCalls(_ harness: Harness) async throws -> [WindowCall] {
    try await harness.invoker.calls.elements.map { call in
        let event = try JSONValue(parsing: call.payload)
        return WindowCall(
            records: call.sequenceNumbers, state: event["state"]?.jsonText ?? "absent",
            isFinal: event["isFinalInvokeForWindow"] == .bool(true),
            isTerminatedEarly: event["isWindowTerminatedEarly"] == .bool(true),
            start: event["window"]?["start"]?.stringValue ?? "absent"
        )
    }
}

/// A window function that counts the records it saw in the state's `n`.
private func countingRecords(_ call: ScriptedInvoker.Call, _ index: Int) -> StreamInvocationOutcome {
    var count = 0
    if case .number(let n)? = (try? JSONValue(parsing: call.payload))?["state"]?["n"] {
        count = Int(n.literal) ?? 0
    }
    return .success(index, body: #"{"state":{"n":\#(count + call.sequenceNumbers.count)}}"#)
}
