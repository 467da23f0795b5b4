import Testing

@testable import SluiceCore

/// Seconds after an arbitrary epoch, as the machines' `now:`.
private func t(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64((seconds * 1000).rounded()))
}

private let encoder = SQSEventEncoder(queueARN: "arn:aws:sqs:us-east-1:123456789012:my-queue", awsRegion: "us-east-1")

private func message(_ number: Int, bodyBytes: Int = 1) -> SQSEventMessage {
    SQSEventMessage(
        messageId: "m\(number)", receiptHandle: "r\(number)", body: String(repeating: "x", count: bodyBytes),
        attributes: [.init("ApproximateReceiveCount", "1")], md5OfBody: "d41d8cd98f00b204e9800998ecf8427e")
}

private func messages(_ numbers: ClosedRange<Int>, bodyBytes: Int = 1) -> [SQSEventMessage] {
    numbers.map { message($0, bodyBytes: bodyBytes) }
}

/// The size of the event holding `messages`, as the encoder writes it.
private func eventSize(_ numbers: ClosedRange<Int>, bodyBytes: Int = 1) -> Int {
    encoder.encode(messages(numbers, bodyBytes: bodyBytes)).count
}

private func settings(batchSize: Int = 10, window: Duration = .zero, maximumBytes: Int? = nil) -> SQSBatcher.Settings {
    var settings = SQSBatcher.Settings(batchSize: batchSize, maximumBatchingWindow: window, encoder: encoder)
    if let maximumBytes { settings.maximumBytes = maximumBytes }
    return settings
}

/// The SQS batching rules of `reference/semantics.md` §1 and §7.
@Suite struct SQSBatcherTests {
    // MARK: BatchSize

    @Test func batchSizeMessagesAreInvokedAtOnceEvenInsideAWindow() {
        var batcher = SQSBatcher(settings: settings(batchSize: 3, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...3)))
    }

    @Test func messagesBeyondBatchSizeWaitForTheNextBatch() {
        var batcher = SQSBatcher(settings: settings(batchSize: 2))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .invoke(messages(3...3)))
    }

    @Test func withoutAWindowMessagesAreInvokedAsSoonAsReceived() {
        var batcher = SQSBatcher(settings: settings(batchSize: 10))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...3)))
    }

    @Test func onlyOneBatchIsInFlightAtATime() {
        var batcher = SQSBatcher(settings: settings(batchSize: 10))
        #expect(batcher.messagesReceived(messages(1...1), now: t(0)) == .invoke(messages(1...1)))
        #expect(batcher.messagesReceived(messages(2...2), now: t(1)) == .none)
        #expect(batcher.batchFinished(now: t(2)) == .invoke(messages(2...2)))
    }

    @Test func anEmptyReceiveWithNothingBufferedDoesNothing() {
        var batcher = SQSBatcher(settings: settings(window: .seconds(5)))
        #expect(batcher.messagesReceived([], now: t(0)) == .none)
        #expect(batcher.batchFinished(now: t(1)) == .none)
    }

    // MARK: Window

    @Test func aWindowHoldsAPartialBatchUntilItCloses() {
        var batcher = SQSBatcher(settings: settings(batchSize: 100, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...2), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.messagesReceived(messages(3...3), now: t(2)) == .sleep(until: t(5)))
        #expect(batcher.messagesReceived([], now: t(4)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(5)) == .invoke(messages(1...3)))
    }

    @Test func aStaleWindowTimerSleepsAgain() {
        var batcher = SQSBatcher(settings: settings(batchSize: 100, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.windowElapsed(now: t(4.999)) == .sleep(until: t(5)))
    }

    @Test func anEmptyReceiveThatEndsAfterTheWindowInvokes() {
        var batcher = SQSBatcher(settings: settings(batchSize: 100, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...1), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.messagesReceived([], now: t(6)) == .invoke(messages(1...1)))
    }

    @Test func theWindowStartsWhenThePreviousBatchFinished() {
        var batcher = SQSBatcher(settings: settings(batchSize: 2, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...2), now: t(0)) == .invoke(messages(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .none)
        #expect(batcher.messagesReceived(messages(3...3), now: t(3)) == .sleep(until: t(6)))
    }

    @Test func anIdleBatcherOpensNoEmptyWindows() {
        var batcher = SQSBatcher(settings: settings(batchSize: 2, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...2), now: t(0)) == .invoke(messages(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .none)
        #expect(batcher.messagesReceived(messages(3...3), now: t(10)) == .sleep(until: t(15)))
    }

    @Test func messagesLeftInFlightWaitForTheWindowAfterTheBatch() {
        var batcher = SQSBatcher(settings: settings(batchSize: 2, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .sleep(until: t(6)))
        #expect(batcher.windowElapsed(now: t(6)) == .invoke(messages(3...3)))
    }

    // MARK: 6 MB

    @Test func theBatchStopsBeforeTheMessageThatWouldPassTheLimit() {
        var batcher = SQSBatcher(settings: settings(maximumBytes: eventSize(1...2) + 10))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...2)))
    }

    @Test func anEventOfExactlyTheLimitIsAllowed() {
        var batcher = SQSBatcher(settings: settings(maximumBytes: eventSize(1...3)))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...3)))
    }

    @Test func oneByteOverTheLimitCutsTheLastMessage() {
        var batcher = SQSBatcher(settings: settings(maximumBytes: eventSize(1...3) - 1))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...2)))
    }

    @Test func aSizeCutInvokesAtOnceEvenInsideAWindow() {
        let limit = eventSize(1...2)
        var batcher = SQSBatcher(settings: settings(batchSize: 100, window: .seconds(5), maximumBytes: limit))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .invoke(messages(1...2)))
        #expect(batcher.batchFinished(now: t(1)) == .sleep(until: t(6)))
    }

    @Test func aMessageAloneOverTheLimitIsInvokedAlone() {
        var batcher = SQSBatcher(settings: settings(maximumBytes: eventSize(1...1) - 1))
        #expect(batcher.messagesReceived(messages(1...2), now: t(0)) == .invoke(messages(1...1)))
        #expect(batcher.batchFinished(now: t(1)) == .invoke(messages(2...2)))
    }

    @Test func sixOneMebibyteBodiesDoNotFitTheInvokePayloadLimit() {
        var batcher = SQSBatcher(settings: settings(batchSize: 10))
        let big = messages(1...6, bodyBytes: 1_048_576)
        #expect(batcher.messagesReceived(big, now: t(0)) == .invoke(Array(big.prefix(5))))
    }

    // MARK: ReceiveMessage size

    @Test func aReceiveAsksForAtMostTenMessages() {
        let batcher = SQSBatcher(settings: settings(batchSize: 10_000, window: .seconds(5)))
        #expect(batcher.messagesWanted == 10)
    }

    @Test func aReceiveAsksForNoMoreThanTheBatchStillWants() {
        var batcher = SQSBatcher(settings: settings(batchSize: 4, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .sleep(until: t(5)))
        #expect(batcher.messagesWanted == 1)
    }

    @Test func aReceiveAsksForNothingWhileABatchIsInFlight() {
        var batcher = SQSBatcher(settings: settings(batchSize: 4))
        #expect(batcher.messagesReceived(messages(1...1), now: t(0)) == .invoke(messages(1...1)))
        #expect(batcher.messagesWanted == 0)
        #expect(batcher.batchFinished(now: t(1)) == .none)
        #expect(batcher.messagesWanted == 4)
    }

    // MARK: Settings

    @Test func newSettingsShapeTheNextBatch() {
        var batcher = SQSBatcher(settings: settings(batchSize: 100, window: .seconds(5)))
        #expect(batcher.messagesReceived(messages(1...3), now: t(0)) == .sleep(until: t(5)))
        let smaller = settings(batchSize: 2, window: .seconds(5))
        #expect(batcher.settingsChanged(smaller, now: t(1)) == .invoke(messages(1...2)))
    }
}
