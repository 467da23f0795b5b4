import Testing

@testable import SluiceCore

/// Seconds after an arbitrary epoch, as the machines' `now:`.
private func t(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64((seconds * 1000).rounded()))
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

/// Records numbered as their sequence numbers, arrived at `arrival` seconds.
private func records(_ numbers: ClosedRange<Int>, arrival: Double = 0) -> [StreamRecord] {
    numbers.map { StreamRecord(sequenceNumber: seq($0), partitionKey: "k\($0)", data: [1, 2, 3], arrival: t(arrival)) }
}

private func batch(_ numbers: ClosedRange<Int>, through: Int? = nil) -> StreamBatcher.Batch {
    StreamBatcher.Batch(records: records(numbers), lastSequenceNumber: through.map(seq))
}

/// A response reporting these sequence numbers as failed.
private func failures(_ numbers: Int...) -> [UInt8] {
    let items = numbers.map { #"{"itemIdentifier":"\#($0)"}"# }.joined(separator: ",")
    return Array(#"{"batchItemFailures":[\#(items)]}"#.utf8)
}

private let ok: [UInt8] = Array("null".utf8)

/// The stream error-handling rules of `reference/semantics.md` §3, one event and its actions per line.
@Suite struct StreamBatchProcessorTests {
    typealias Settings = StreamBatchProcessor.Settings

    static let report = Settings(reportBatchItemFailures: true)

    // MARK: Success

    @Test func successCheckpointsAfterTheLastRecordAndFinishes() {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...3), settings: Settings(), now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(ok, now: t(1)) == [.checkpoint(after: seq(3)), .finished])
        #expect(processor.isIdle)
    }

    @Test func successCheckpointsPastTheFilteredRecordsTheBatchCovers() {
        var processor = StreamBatchProcessor()
        let covering = batch(1...3, through: 9)
        #expect(processor.batchStarted(covering, settings: Settings(), now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(ok, now: t(1)) == [.checkpoint(after: seq(9)), .finished])
    }

    @Test(arguments: [failures(2), Array("OK".utf8), Array(#"{"batchItemFailures":[{"foo":1}]}"#.utf8)])
    func responseBodyIsIgnoredWithoutReportBatchItemFailures(response: [UInt8]) {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...3), settings: Settings(), now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(response, now: t(1)) == [.checkpoint(after: seq(3)), .finished])
    }

    @Test(arguments: ["", "null", #""""#, "[]", "{}", #"{"batchItemFailures":[]}"#, #"{"batchItemFailures":null}"#])
    func emptyItemFailureResponsesAreSuccess(response: String) {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...3), settings: Self.report, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(Array(response.utf8), now: t(1)) == [.checkpoint(after: seq(3)), .finished])
    }

    // MARK: Partial failure (ReportBatchItemFailures)

    @Test func partialFailureCheckpointsBeforeTheLowestReportedRecordAndRetriesTheRestAtOnce() {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...5), settings: Self.report, now: t(0)) == [.invoke(records(1...5))])
        let rest: [StreamBatchProcessor.Action] = [.checkpoint(after: seq(1)), .invoke(records(2...5))]
        #expect(processor.functionReturned(failures(4, 2), now: t(1)) == rest)
        #expect(processor.functionReturned(ok, now: t(2)) == [.checkpoint(after: seq(5)), .finished])
    }

    @Test func partialFailureThatMovesTheCheckpointGivesTheRestAFreshRetryBudget() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 1, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...3))])
        #expect(
            processor.functionReturned(failures(3), now: t(1)) == [.checkpoint(after: seq(2)), .invoke(records(3...3))])
        #expect(processor.functionFailed(now: t(1)) == [.sleep(until: t(2))])
        #expect(processor.retryDue(now: t(2)) == [.invoke(records(3...3))])
        #expect(
            processor.functionFailed(now: t(2)) == [
                .sendFailure(records: records(3...3), condition: .retryAttemptsExhausted, approximateInvokeCount: 2),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    @Test func partialFailureOfTheFirstRecordCountsAsARetryOfTheSameBatch() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 1, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(failures(1), now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...3))])
        #expect(
            processor.functionReturned(failures(3, 1), now: t(1)) == [
                .sendFailure(records: records(1...3), condition: .retryAttemptsExhausted, approximateInvokeCount: 2),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    /// Recorded on AWS (Kinesis and DynamoDB): 6 records, BatchSize 3, MaximumRetryAttempts 3, the 6th reported
    /// failed every time. Records 1–5 are delivered once, the 6th five times (once in its batch of 3, then 4 times
    /// alone), and the failure record says `approximateInvokeCount: 4`, `batchSize: 1`.
    @Test func recordedSixRecordsExampleRetriesTheReportedRecordAloneWithAFreshBudget() {
        var batcher = StreamBatcher(settings: .init(batchSize: 3))
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 3, reportBatchItemFailures: true)
        #expect(batcher.recordsRead(records(1...6), now: t(0)) == .invoke(batch(1...3)))
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(failures(), now: t(0)) == [.checkpoint(after: seq(3)), .finished])
        #expect(batcher.batchFinished(now: t(0)) == .invoke(batch(4...6)))
        #expect(processor.batchStarted(batch(4...6), settings: settings, now: t(0)) == [.invoke(records(4...6))])
        #expect(
            processor.functionReturned(failures(6), now: t(0)) == [.checkpoint(after: seq(5)), .invoke(records(6...6))])
        #expect(processor.functionReturned(failures(6), now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(6...6))])
        #expect(processor.functionReturned(failures(6), now: t(1)) == [.sleep(until: t(3))])
        #expect(processor.retryDue(now: t(3)) == [.invoke(records(6...6))])
        #expect(processor.functionReturned(failures(6), now: t(3)) == [.sleep(until: t(7))])
        #expect(processor.retryDue(now: t(7)) == [.invoke(records(6...6))])
        #expect(
            processor.functionReturned(failures(6), now: t(7)) == [
                .sendFailure(records: records(6...6), condition: .retryAttemptsExhausted, approximateInvokeCount: 4),
                .checkpoint(after: seq(6)), .finished,
            ]
        )
        #expect(batcher.batchFinished(now: t(7)) == StreamBatcher.Action.none)
    }

    @Test func recordedSixRecordsExampleDeliversRecordsOneToFiveOnceAndTheSixthFiveTimes() {
        var shard = ScriptedShard(
            batching: .init(batchSize: 3), settings: Settings(maximumRetryAttempts: 3, reportBatchItemFailures: true)
        ) { records in
            records.contains { $0.sequenceNumber == seq(6) } ? .returned(failures(6)) : .returned(ok)
        }
        shard.read(records(1...6))
        #expect(shard.deliveries == [1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 5])
        #expect(shard.failures == [.init(records: [6], condition: .retryAttemptsExhausted, approximateInvokeCount: 4)])
        #expect(shard.checkpoints == [3, 5, 6])
    }

    // MARK: Invalid item-failure responses (events.md §6)

    @Test(arguments: [
        #"{"batchItemFailures":[{"foo":123}]}"#, #"{"batchItemFailures":[{"foo":null}]}"#,
        #"{"batchItemFailures":[{"itemIdentifier":""}]}"#, #"{"batchItemFailures":[{"itemIdentifier":null}]}"#,
        #"{"batchItemFailures":[{"itemIdentifier":123}]}"#, #"{"batchItemFailures":[{"itemIdentifier":"123"}]}"#,
        #"{"batchItemFailures":[{"itemIdentifier":"2"},{"itemIdentifier":""}]}"#, "not json", #""OK""#,
    ])
    func invalidItemFailureResponseIsAWholeFunctionError(response: String) {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 0, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(
            processor.functionReturned(Array(response.utf8), now: t(1)) == [
                .sendFailure(records: records(1...3), condition: .retryAttemptsExhausted, approximateInvokeCount: 1),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    @Test func invalidItemFailureResponseIsBisectedLikeAFunctionError() {
        var processor = StreamBatchProcessor()
        let settings = Settings(bisectBatchOnFunctionError: true, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...4), settings: settings, now: t(0)) == [.invoke(records(1...4))])
        let unusable = Array(#"{"batchItemFailures":[{"foo":1}]}"#.utf8)
        #expect(processor.functionReturned(unusable, now: t(1)) == [.invoke(records(1...2))])
    }

    // MARK: Function errors, MaximumRetryAttempts

    @Test func functionErrorRetriesTheWholeBatchAfterABackoff() {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...3), settings: Settings(), now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(0.5)) == [.sleep(until: t(1.5))])
        #expect(processor.retryDue(now: t(1.5)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(2)) == [.sleep(until: t(4))])
        #expect(processor.retryDue(now: t(4)) == [.invoke(records(1...3))])
        #expect(processor.functionReturned(ok, now: t(5)) == [.checkpoint(after: seq(3)), .finished])
    }

    @Test func maximumRetryAttemptsNMeansNPlusOneInvocationsThenDiscard() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 2)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(1)) == [.sleep(until: t(3))])
        #expect(processor.retryDue(now: t(3)) == [.invoke(records(1...3))])
        #expect(
            processor.functionFailed(now: t(3)) == [
                .sendFailure(records: records(1...3), condition: .retryAttemptsExhausted, approximateInvokeCount: 3),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    @Test func maximumRetryAttemptsZeroGivesUpAfterTheFirstAttempt() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 0)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(
            processor.functionFailed(now: t(0)) == [
                .sendFailure(records: records(1...3), condition: .retryAttemptsExhausted, approximateInvokeCount: 1),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    @Test func exhaustionCheckpointsPastTheFilteredRecordsTheBatchCovers() {
        var processor = StreamBatchProcessor()
        #expect(
            processor.batchStarted(batch(1...2, through: 4), settings: Settings(maximumRetryAttempts: 0), now: t(0))
                == [.invoke(records(1...2))])
        #expect(
            processor.functionFailed(now: t(0)) == [
                .sendFailure(records: records(1...2), condition: .retryAttemptsExhausted, approximateInvokeCount: 1),
                .checkpoint(after: seq(4)), .finished,
            ]
        )
    }

    @Test func maximumRetryAttemptsMinusOneRetriesUntilTheRecordsAreTooOld() {
        var processor = StreamBatchProcessor()
        let settings = Settings(mapping(maximumRetryAttempts: -1, maximumRecordAgeInSeconds: 60))
        #expect(settings.maximumRetryAttempts == nil)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        for (failedAt, retryAt) in [(0.0, 1.0), (1, 3), (3, 7), (7, 15), (15, 25), (25, 35), (35, 45), (45, 55)] {
            #expect(processor.functionFailed(now: t(failedAt)) == [.sleep(until: t(retryAt))])
            #expect(processor.retryDue(now: t(retryAt)) == [.invoke(records(1...3))])
        }
        #expect(processor.functionFailed(now: t(55)) == [.sleep(until: t(65))])
        #expect(
            processor.retryDue(now: t(65)) == [
                .sendFailure(records: records(1...3), condition: .recordAgeExceeded, approximateInvokeCount: 9),
                .checkpoint(after: seq(3)), .finished,
            ]
        )
    }

    // MARK: MaximumRecordAgeInSeconds

    @Test func recordTooOldBeforeTheFirstAttemptIsNeverInvoked() {
        var processor = StreamBatchProcessor()
        #expect(
            processor.batchStarted(batch(1...2), settings: Settings(maximumRecordAge: .seconds(60)), now: t(61)) == [
                .sendFailure(records: records(1...2), condition: .recordAgeExceeded, approximateInvokeCount: 1),
                .checkpoint(after: seq(2)), .finished,
            ]
        )
    }

    @Test func recordExactlyAsOldAsTheLimitIsStillInvoked() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRecordAge: .seconds(60))
        #expect(processor.batchStarted(batch(1...2), settings: settings, now: t(60)) == [.invoke(records(1...2))])
    }

    @Test func recordAgeIsCheckedBeforeEveryRetry() {
        var processor = StreamBatchProcessor()
        let batch = StreamBatcher.Batch(records: records(1...2) + records(3...3, arrival: 5))
        let settings = Settings(maximumRecordAge: .seconds(60))
        #expect(processor.batchStarted(batch, settings: settings, now: t(58)) == [.invoke(batch.records)])
        #expect(processor.functionFailed(now: t(58.5)) == [.sleep(until: t(59.5))])
        #expect(processor.retryDue(now: t(59.5)) == [.invoke(batch.records)])
        #expect(processor.functionFailed(now: t(60)) == [.sleep(until: t(62))])
        #expect(
            processor.retryDue(now: t(62)) == [
                .sendFailure(records: records(1...2), condition: .recordAgeExceeded, approximateInvokeCount: 2),
                .checkpoint(after: seq(2)), .invoke(records(3...3, arrival: 5)),
            ]
        )
        #expect(processor.functionReturned(ok, now: t(63)) == [.checkpoint(after: seq(3)), .finished])
    }

    @Test func maximumRecordAgeMinusOneNeverExpiresRecords() {
        var processor = StreamBatchProcessor()
        let settings = Settings(mapping(maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1))
        #expect(settings.maximumRecordAge == nil)
        #expect(
            processor.batchStarted(batch(1...1), settings: settings, now: t(30 * 86_400)) == [.invoke(records(1...1))])
        #expect(processor.functionFailed(now: t(30 * 86_400)) == [.sleep(until: t(30 * 86_400 + 1))])
        #expect(processor.retryDue(now: t(365 * 86_400)) == [.invoke(records(1...1))])
    }

    // MARK: BisectBatchOnFunctionError

    @Test func bisectHalvesAFailedBatchAndFinishesTheFirstHalfBeforeTheSecond() {
        var processor = StreamBatchProcessor()
        let settings = Settings(bisectBatchOnFunctionError: true)
        #expect(processor.batchStarted(batch(1...4), settings: settings, now: t(0)) == [.invoke(records(1...4))])
        #expect(processor.functionFailed(now: t(0)) == [.invoke(records(1...2))])
        #expect(processor.functionFailed(now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.functionReturned(ok, now: t(0)) == [.checkpoint(after: seq(1)), .invoke(records(2...2))])
        #expect(processor.functionReturned(ok, now: t(0)) == [.checkpoint(after: seq(2)), .invoke(records(3...4))])
        #expect(processor.functionReturned(ok, now: t(0)) == [.checkpoint(after: seq(4)), .finished])
    }

    @Test func bisectPutsTheExtraRecordOfAnOddBatchInTheSecondHalf() {
        var processor = StreamBatchProcessor()
        let settings = Settings(bisectBatchOnFunctionError: true)
        #expect(processor.batchStarted(batch(1...3), settings: settings, now: t(0)) == [.invoke(records(1...3))])
        #expect(processor.functionFailed(now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.functionReturned(ok, now: t(0)) == [.checkpoint(after: seq(1)), .invoke(records(2...3))])
    }

    @Test func bisectOfASingleRecordUsesARetry() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 1, bisectBatchOnFunctionError: true)
        #expect(processor.batchStarted(batch(1...2), settings: settings, now: t(0)) == [.invoke(records(1...2))])
        #expect(processor.functionFailed(now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.functionFailed(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...1))])
        #expect(
            processor.functionFailed(now: t(1)) == [
                .sendFailure(records: records(1...1), condition: .retryAttemptsExhausted, approximateInvokeCount: 3),
                .checkpoint(after: seq(1)), .invoke(records(2...2)),
            ]
        )
        #expect(processor.functionReturned(ok, now: t(1)) == [.checkpoint(after: seq(2)), .finished])
    }

    @Test func bisectHalvesInheritTheRetryCounterOfTheirBatch() {
        var processor = StreamBatchProcessor()
        let settings = Settings(
            maximumRetryAttempts: 1, bisectBatchOnFunctionError: true, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...4), settings: settings, now: t(0)) == [.invoke(records(1...4))])
        #expect(processor.functionReturned(failures(1), now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...4))])
        #expect(processor.functionFailed(now: t(1)) == [.invoke(records(1...2))])
        #expect(processor.functionFailed(now: t(1)) == [.invoke(records(1...1))])
        #expect(
            processor.functionFailed(now: t(1)) == [
                .sendFailure(records: records(1...1), condition: .retryAttemptsExhausted, approximateInvokeCount: 4),
                .checkpoint(after: seq(1)), .invoke(records(2...2)),
            ]
        )
    }

    @Test func bisectWithReportBatchItemFailuresCutsAtTheReportedRecordInsteadOfHalving() {
        var processor = StreamBatchProcessor()
        let settings = Settings(bisectBatchOnFunctionError: true, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...4), settings: settings, now: t(0)) == [.invoke(records(1...4))])
        #expect(
            processor.functionReturned(failures(4), now: t(0)) == [.checkpoint(after: seq(3)), .invoke(records(4...4))])
        #expect(processor.functionReturned(ok, now: t(0)) == [.checkpoint(after: seq(4)), .finished])
    }

    @Test func bisectIsNotAppliedWhenTheFirstRecordIsReported() {
        var processor = StreamBatchProcessor()
        let settings = Settings(bisectBatchOnFunctionError: true, reportBatchItemFailures: true)
        #expect(processor.batchStarted(batch(1...4), settings: settings, now: t(0)) == [.invoke(records(1...4))])
        #expect(processor.functionReturned(failures(1, 3), now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...4))])
    }

    @Test func bisectDeliversEveryGoodRecordAndGivesUpOnlyThePoisonRecord() {
        var shard = ScriptedShard(
            batching: .init(batchSize: 8), settings: Settings(maximumRetryAttempts: 2, bisectBatchOnFunctionError: true)
        ) { records in
            records.contains { $0.sequenceNumber == seq(6) } ? .failed : .returned(ok)
        }
        shard.read(records(1...8))
        #expect(shard.failures == [.init(records: [6], condition: .retryAttemptsExhausted, approximateInvokeCount: 6)])
        let invocations = [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [5, 6, 7, 8], [5, 6], [5], [6], [6], [6], [7, 8]]
        #expect(shard.invocations == invocations)
        #expect(shard.checkpoints == [4, 5, 6, 8])
    }

    // MARK: Invocations not made

    @Test func invocationNotMadeIsRetriedWithBackoffWithoutUsingARetry() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRetryAttempts: 0)
        #expect(processor.batchStarted(batch(1...2), settings: settings, now: t(0)) == [.invoke(records(1...2))])
        #expect(processor.invocationNotMade(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...2))])
        #expect(processor.invocationNotMade(now: t(1)) == [.sleep(until: t(3))])
        #expect(processor.retryDue(now: t(3)) == [.invoke(records(1...2))])
        #expect(processor.invocationNotMade(now: t(3)) == [.sleep(until: t(7))])
        #expect(processor.retryDue(now: t(7)) == [.invoke(records(1...2))])
        #expect(
            processor.functionFailed(now: t(7)) == [
                .sendFailure(records: records(1...2), condition: .retryAttemptsExhausted, approximateInvokeCount: 1),
                .checkpoint(after: seq(2)), .finished,
            ]
        )
    }

    @Test func invocationNotMadeEndsOnlyWhenTheRecordsAreTooOld() {
        var processor = StreamBatchProcessor()
        let settings = Settings(maximumRecordAge: .seconds(60))
        #expect(processor.batchStarted(batch(1...2), settings: settings, now: t(0)) == [.invoke(records(1...2))])
        for (throttledAt, retryAt) in [(0.0, 1.0), (1, 3), (3, 7), (7, 15), (15, 25), (25, 35), (35, 45), (45, 55)] {
            #expect(processor.invocationNotMade(now: t(throttledAt)) == [.sleep(until: t(retryAt))])
            #expect(processor.retryDue(now: t(retryAt)) == [.invoke(records(1...2))])
        }
        #expect(processor.invocationNotMade(now: t(55)) == [.sleep(until: t(65))])
        #expect(
            processor.retryDue(now: t(65)) == [
                .sendFailure(records: records(1...2), condition: .recordAgeExceeded, approximateInvokeCount: 1),
                .checkpoint(after: seq(2)), .finished,
            ]
        )
    }

    @Test func invocationNotMadeBackoffRestartsOnceAnInvocationIsMade() {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...1), settings: Settings(), now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.invocationNotMade(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...1))])
        #expect(processor.invocationNotMade(now: t(1)) == [.sleep(until: t(3))])
        #expect(processor.retryDue(now: t(3)) == [.invoke(records(1...1))])
        #expect(processor.functionFailed(now: t(3)) == [.sleep(until: t(4))])
        #expect(processor.retryDue(now: t(4)) == [.invoke(records(1...1))])
        #expect(processor.invocationNotMade(now: t(4)) == [.sleep(until: t(5))])
    }

    // MARK: Backoff and timers

    @Test func backoffIsExponentialFromOneSecondCappedAtTenSeconds() {
        let backoff = StreamBatchProcessor.Backoff()
        #expect((0...6).map(backoff.delay(afterFailures:)) == [1, 2, 4, 8, 10, 10, 10].map(Duration.seconds))
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(10))
    }

    @Test func retryDueBeforeItsTimeSleepsAgain() {
        var processor = StreamBatchProcessor()
        #expect(processor.batchStarted(batch(1...1), settings: Settings(), now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.functionFailed(now: t(0)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(0.999)) == [.sleep(until: t(1))])
        #expect(processor.retryDue(now: t(1)) == [.invoke(records(1...1))])
    }

    @Test func eventsThatDoNotMatchTheStateAreIgnored() {
        var processor = StreamBatchProcessor()
        #expect(processor.functionReturned(ok, now: t(0)) == [])
        #expect(processor.functionFailed(now: t(0)) == [])
        #expect(processor.invocationNotMade(now: t(0)) == [])
        #expect(processor.retryDue(now: t(0)) == [])
        #expect(processor.batchStarted(batch(1...1), settings: Settings(), now: t(0)) == [.invoke(records(1...1))])
        #expect(processor.retryDue(now: t(0)) == [])
    }

    // MARK: Settings

    @Test func settingsComeFromTheMappingWithMinusOneAsUnlimited() {
        #expect(Settings(mapping()) == Settings())
        #expect(Settings(mapping(maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1)) == Settings())
        var configuration = mapping(maximumRetryAttempts: 0, maximumRecordAgeInSeconds: 60)
        configuration.bisectBatchOnFunctionError = true
        configuration.functionResponseTypes = ["ReportBatchItemFailures"]
        #expect(
            Settings(configuration)
                == Settings(
                    maximumRetryAttempts: 0, maximumRecordAge: .seconds(60), bisectBatchOnFunctionError: true,
                    reportBatchItemFailures: true
                )
        )
    }

    @Test func settingsAreThoseOfTheBatchWhenItStarted() {
        var processor = StreamBatchProcessor()
        let noRetries = Settings(maximumRetryAttempts: 0)
        #expect(processor.batchStarted(batch(1...1), settings: noRetries, now: t(0)) == [.invoke(records(1...1))])
        #expect(
            processor.functionFailed(now: t(0)) == [
                .sendFailure(records: records(1...1), condition: .retryAttemptsExhausted, approximateInvokeCount: 1),
                .checkpoint(after: seq(1)), .finished,
            ]
        )
        let fiveRetries = Settings(maximumRetryAttempts: 5)
        #expect(processor.batchStarted(batch(2...2), settings: fiveRetries, now: t(1)) == [.invoke(records(2...2))])
        #expect(processor.functionFailed(now: t(1)) == [.sleep(until: t(2))])
    }

    private func mapping(maximumRetryAttempts: Int? = nil, maximumRecordAgeInSeconds: Int? = nil)
        -> EventSourceMappingConfiguration
    {
        var configuration = EventSourceMappingConfiguration(
            uuid: "u", eventSourceMappingArn: "arn", functionArn: "f", lastModified: 0, state: .enabled,
            stateTransitionReason: "User action"
        )
        configuration.maximumRetryAttempts = maximumRetryAttempts
        configuration.maximumRecordAgeInSeconds = maximumRecordAgeInSeconds
        return configuration
    }
}

/// A poller in miniature: drives a batcher and a processor over records already read, answering each invocation
/// from a script, and tallies what the machines asked for. It shows how a poller performs the action lists.
private struct ScriptedShard {
    enum Response {
        case returned([UInt8])
        case failed
        case notMade
    }

    struct Failure: Equatable {
        var records: [Int]
        var condition: StreamBatchProcessor.FailureCondition
        var approximateInvokeCount: Int
    }

    var batcher: StreamBatcher
    var processor = StreamBatchProcessor()
    let settings: StreamBatchProcessor.Settings
    let respond: ([StreamRecord]) -> Response
    var now = t(0)
    var invocations: [[Int]] = []
    var failures: [Failure] = []
    var checkpoints: [Int] = []

    var deliveries: [Int: Int] {
        invocations.joined().reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    init(
        batching: StreamBatcher.Settings, settings: StreamBatchProcessor.Settings,
        respond: @escaping ([StreamRecord]) -> Response
    ) {
        self.batcher = StreamBatcher(settings: batching)
        self.settings = settings
        self.respond = respond
    }

    mutating func read(_ records: [StreamRecord]) {
        var action = batcher.recordsRead(records, now: now)
        while true {
            switch action {
            case .invoke(let batch):
                action = perform(processor.batchStarted(batch, settings: settings, now: now))
            case .sleep(let until):
                now = until
                action = batcher.windowElapsed(now: now)
            case .checkpoint(let after):
                checkpoints.append(Int(after.text)!)
                return
            case .none:
                return
            }
        }
    }

    /// Performs one action list after another until the batch is finished; returns the batcher's next action.
    private mutating func perform(_ first: [StreamBatchProcessor.Action]) -> StreamBatcher.Action {
        var actions = first
        while !actions.isEmpty {
            switch actions.removeFirst() {
            case .invoke(let records):
                invocations.append(records.map { Int($0.sequenceNumber.text)! })
                switch respond(records) {
                case .returned(let body): actions = processor.functionReturned(body, now: now)
                case .failed: actions = processor.functionFailed(now: now)
                case .notMade: actions = processor.invocationNotMade(now: now)
                }
            case .sendFailure(let records, let condition, let count):
                failures.append(
                    .init(
                        records: records.map { Int($0.sequenceNumber.text)! }, condition: condition,
                        approximateInvokeCount: count))
            case .checkpoint(let after):
                checkpoints.append(Int(after.text)!)
            case .sleep(let until):
                now = until
                actions = processor.retryDue(now: now)
            case .finished:
                return batcher.batchFinished(now: now)
            }
        }
        return .none
    }
}
