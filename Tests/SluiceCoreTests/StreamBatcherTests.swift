import Testing

@testable import SluiceCore

/// Seconds after an arbitrary epoch, as the machines' `now:`.
private func t(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64((seconds * 1000).rounded()))
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

private func records(_ numbers: ClosedRange<Int>, bytes: Int = 1) -> [StreamRecord] {
    numbers.map {
        StreamRecord(
            sequenceNumber: seq($0), partitionKey: "k", data: Array(repeating: 7, count: bytes),
            arrival: t(0))
    }
}

private func batch(_ numbers: ClosedRange<Int>, through: Int? = nil) -> StreamBatcher.Batch {
    StreamBatcher.Batch(records: records(numbers), lastSequenceNumber: through.map(seq))
}

/// The batching rules of `reference/semantics.md` §1.
@Suite struct StreamBatcherTests {
    typealias Settings = StreamBatcher.Settings

    // MARK: BatchSize

    @Test func batchSizeRecordsAreInvokedAtOnceEvenInsideAWindow() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 3, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...3), now: t(0)) == .invoke(batch(1...3)))
    }

    @Test func recordsBeyondBatchSizeWaitForTheNextBatch() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 2))
        #expect(batcher.recordsRead(records(1...5), now: t(0)) == .invoke(batch(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .invoke(batch(3...4)))
        #expect(batcher.batchFinished(now: t(2)) == .invoke(batch(5...5)))
        #expect(batcher.batchFinished(now: t(3)) == StreamBatcher.Action.none)
    }

    @Test func recordsWantedFillsTheNextBatch() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 4, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsWanted == 4)
        #expect(batcher.recordsRead(records(1...3), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.recordsWanted == 1)
    }

    // MARK: MaximumBatchingWindowInSeconds

    @Test func windowZeroInvokesAsSoonAsRecordsAreRead() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .invoke(batch(1...1)))
    }

    @Test func windowOfAnIdleBatcherStartsWhenTheFirstRecordIsRead() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...1), now: t(10)) == .sleep(until: t(15)))
        #expect(batcher.recordsRead(records(2...3), now: t(12)) == .sleep(until: t(15)))
        #expect(batcher.windowElapsed(now: t(15)) == .invoke(batch(1...3)))
    }

    @Test func windowStartsWhenThePreviousBatchFinished() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(5)) == .invoke(batch(1...1)))
        #expect(batcher.recordsRead(records(2...3), now: t(6)) == StreamBatcher.Action.none)
        #expect(batcher.batchFinished(now: t(9)) == .sleep(until: t(14)))
        #expect(batcher.windowElapsed(now: t(14)) == .invoke(batch(2...3)))
    }

    @Test func recordsReadInsideTheWindowOpenedByTheLastBatchAreInvokedWhenItEnds() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(5)) == .invoke(batch(1...1)))
        #expect(batcher.batchFinished(now: t(9)) == StreamBatcher.Action.none)
        #expect(batcher.recordsRead(records(2...2), now: t(12)) == .sleep(until: t(14)))
    }

    @Test func idleBatcherOpensNoEmptyWindows() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(5)) == .invoke(batch(1...1)))
        #expect(batcher.batchFinished(now: t(6)) == StreamBatcher.Action.none)
        #expect(batcher.recordsRead(records(2...4), now: t(30)) == .sleep(until: t(35)))
        #expect(batcher.windowElapsed(now: t(35)) == .invoke(batch(2...4)))
    }

    @Test func windowTimerBeforeItsTimeSleepsAgain() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(4.999)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(5)) == .invoke(batch(1...1)))
    }

    @Test func windowTimerWithNothingBufferedDoesNothing() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.windowElapsed(now: t(5)) == StreamBatcher.Action.none)
    }

    // MARK: 6 MB

    @Test func invokePayloadLimitIsSixMegabytes() {
        #expect(StreamBatcher.PayloadSize.invokePayloadLimit == 6_291_456)
        #expect(StreamBatcher.PayloadSize().maximumBytes == 6_291_456)
    }

    @Test func batchEndsBeforeTheRecordThatWouldPushTheEventOverTheLimit() {
        let sixFit = StreamBatcher.PayloadSize(
            maximumBytes: StreamBatcher.PayloadSize().bytes(of: records(1...6, bytes: 1_048_576))
        )
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, payloadSize: sixFit))
        #expect(
            batcher.recordsRead(records(1...10, bytes: 1_048_576), now: t(0))
                == .invoke(StreamBatcher.Batch(records: records(1...6, bytes: 1_048_576)))
        )
        #expect(batcher.buffered == records(7...10, bytes: 1_048_576))
    }

    @Test func sixMegabyteCutInvokesAtOnceEvenInsideAWindow() {
        let twoFit = StreamBatcher.PayloadSize(maximumBytes: StreamBatcher.PayloadSize().bytes(of: records(1...2)))
        var batcher = StreamBatcher(
            settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5), payloadSize: twoFit)
        )
        #expect(batcher.recordsRead(records(1...2), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.recordsRead(records(3...3), now: t(1)) == .invoke(batch(1...2)))
    }

    @Test func recordAloneOverTheLimitIsInvokedAlone() {
        var batcher = StreamBatcher(settings: Settings(payloadSize: .init(maximumBytes: 10)))
        #expect(batcher.recordsRead(records(1...2), now: t(0)) == .invoke(batch(1...1)))
    }

    @Test func kinesisPayloadSizeIsTheEncodedEventSize() {
        let encoder = KinesisEventEncoder(
            shardId: "shardId-000000000000", streamARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            awsRegion: "us-east-1", invokeIdentityArn: "arn:aws:iam::123456789012:role/lambda-role"
        )
        let size = StreamBatcher.PayloadSize(kinesis: encoder)
        let sequence = "49590338271490256608559692538361571095921575989136588898"
        let samples = [
            StreamRecord(
                sequenceNumber: .init(sequence), partitionKey: "test_0", data: Array("hello".utf8),
                arrival: Timestamp(millisecondsSinceEpoch: 1_545_084_650_987)),
            StreamRecord(
                sequenceNumber: .init(sequence + "1"), partitionKey: "ключ \"q\"", data: Array(0...255),
                arrival: Timestamp(millisecondsSinceEpoch: 1_545_084_651_000)),
        ]
        #expect(size.bytes(of: samples) == encoder.encode(samples).count)
        #expect(size.bytes(of: Array(samples.prefix(1))) == encoder.encode(samples.prefix(1)).count)
        #expect(size.bytes(of: [StreamRecord]()) == encoder.encode([StreamRecord]()).count)
    }

    // MARK: Filtered records and zero-record batches

    @Test func zeroRecordBatchIsCheckpointedNotInvoked() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100, maximumBatchingWindow: .seconds(5)))
        #expect(batcher.recordsRead([], through: seq(4), now: t(0)) == .checkpoint(after: seq(4)))
        #expect(batcher.windowElapsed(now: t(5)) == StreamBatcher.Action.none)
    }

    @Test func zeroRecordBatchWaitsForTheBatchInFlight() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100))
        #expect(batcher.recordsRead(records(1...1), now: t(0)) == .invoke(batch(1...1)))
        #expect(batcher.recordsRead([], through: seq(3), now: t(1)) == StreamBatcher.Action.none)
        #expect(batcher.batchFinished(now: t(2)) == .checkpoint(after: seq(3)))
    }

    @Test func batchCoversRecordsFilteredOutAfterItsLastRecord() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 100))
        #expect(batcher.recordsRead(records(1...2), through: seq(5), now: t(0)) == .invoke(batch(1...2, through: 5)))
    }

    @Test func batchCutByBatchSizeCoversOnlyItsOwnRecords() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 2))
        #expect(batcher.recordsRead(records(1...3), through: seq(5), now: t(0)) == .invoke(batch(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .invoke(batch(3...3, through: 5)))
    }

    @Test func readWithNothingNewDoesNothing() {
        var batcher = StreamBatcher(settings: Settings())
        #expect(batcher.recordsRead([], now: t(0)) == StreamBatcher.Action.none)
    }

    // MARK: Blocking and settings

    @Test func recordsReadWhileABatchIsInFlightWaitForIt() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 2))
        #expect(batcher.recordsRead(records(1...2), now: t(0)) == .invoke(batch(1...2)))
        #expect(batcher.isBatchInFlight)
        #expect(batcher.recordsRead(records(3...4), now: t(1)) == StreamBatcher.Action.none)
        #expect(batcher.windowElapsed(now: t(60)) == StreamBatcher.Action.none)
        #expect(batcher.batchFinished(now: t(61)) == .invoke(batch(3...4)))
    }

    @Test func newSettingsShapeTheNextBatch() {
        var batcher = StreamBatcher(settings: Settings(batchSize: 10, maximumBatchingWindow: .seconds(60)))
        #expect(batcher.recordsRead(records(1...3), now: t(0)) == .sleep(until: t(60)))
        #expect(
            batcher.settingsChanged(Settings(batchSize: 2, maximumBatchingWindow: .seconds(60)), now: t(1))
                == .invoke(batch(1...2)))
        #expect(batcher.settingsChanged(Settings(batchSize: 2), now: t(2)) == StreamBatcher.Action.none)
        #expect(batcher.batchFinished(now: t(3)) == .invoke(batch(3...3)))
    }

    @Test func settingsComeFromTheMappingWithStreamDefaults() {
        var configuration = EventSourceMappingConfiguration(
            uuid: "u", eventSourceMappingArn: "arn", functionArn: "f", lastModified: 0, state: .enabled,
            stateTransitionReason: "User action"
        )
        #expect(StreamBatcher.Settings(configuration, payloadSize: .init()) == Settings(batchSize: 100))
        configuration.batchSize = 7
        configuration.maximumBatchingWindowInSeconds = 300
        #expect(
            StreamBatcher.Settings(configuration, payloadSize: .init())
                == Settings(batchSize: 7, maximumBatchingWindow: .seconds(300))
        )
    }
}

/// Standard padded base64, to build the reference event in the size test.
private func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var text = ""
    var index = 0
    while index < bytes.count {
        let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
        let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for position in 0..<4 {
            text.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
        }
        index += 3
    }
    return text
}
