import Testing

@testable import SluiceCore

private func m(_ number: Int, group: String? = nil) -> SQSReceivedMessage {
    SQSReceivedMessage(messageId: "id-\(number)", receiptHandle: "rh-\(number)", messageGroupId: group)
}

private func body(_ text: String) -> [UInt8] { Array(text.utf8) }

private func failures(_ numbers: Int...) -> [UInt8] {
    body(#"{"batchItemFailures":["# + numbers.map { #"{"itemIdentifier":"id-\#($0)"}"# }.joined(separator: ",") + "]}")
}

/// Settling an SQS batch: `reference/semantics.md` §7, `reference/events.md` §6.
@Suite struct SQSBatchOutcomeTests {
    typealias Action = SQSBatchOutcome.Action

    static let batch = [m(1), m(2), m(3)]
    static let reporting = SQSBatchOutcome(messages: batch, reportBatchItemFailures: true)
    static let plain = SQSBatchOutcome(messages: batch, reportBatchItemFailures: false)

    // MARK: Without ReportBatchItemFailures

    @Test func successDeletesEveryMessage() {
        #expect(Self.plain.functionReturned(body("{}")) == Action(delete: Self.batch))
    }

    @Test func withoutReportBatchItemFailuresTheResponseIsIgnored() {
        #expect(Self.plain.functionReturned(failures(2)) == Action(delete: Self.batch))
        #expect(Self.plain.functionReturned(body("not json")) == Action(delete: Self.batch))
    }

    @Test func functionErrorDeletesNothing() {
        #expect(Self.plain.functionFailed() == Action(leave: Self.batch))
        #expect(Self.reporting.functionFailed() == Action(leave: Self.batch))
    }

    @Test func throttledBatchDeletesNothing() {
        #expect(Self.plain.invocationNotMade() == Action(leave: Self.batch))
        #expect(Self.reporting.invocationNotMade() == Action(leave: Self.batch))
    }

    // MARK: ReportBatchItemFailures: complete success

    @Test(arguments: ["", "null", #""""#, "[]", "{}", #"{"batchItemFailures":[]}"#, #"{"batchItemFailures":null}"#])
    func emptyFailureListDeletesEveryMessage(response: String) {
        #expect(Self.reporting.functionReturned(body(response)) == Action(delete: Self.batch))
    }

    // MARK: ReportBatchItemFailures: partial failure

    @Test func listedMessagesStayAndTheRestAreDeleted() {
        #expect(Self.reporting.functionReturned(failures(2)) == Action(delete: [m(1), m(3)], leave: [m(2)]))
        #expect(Self.reporting.functionReturned(failures(3, 1)) == Action(delete: [m(2)], leave: [m(1), m(3)]))
    }

    @Test func everyMessageListedDeletesNothing() {
        #expect(Self.reporting.functionReturned(failures(1, 2, 3)) == Action(leave: Self.batch))
    }

    // MARK: ReportBatchItemFailures: complete failure

    @Test(arguments: [
        "not json", #"{"batchItemFailures":[{"foo":123}]}"#, #"{"batchItemFailures":[{"itemIdentifier":null}]}"#,
        #"{"batchItemFailures":[{"itemIdentifier":""}]}"#, #"{"batchItemFailures":[{"itemIdentifier":123}]}"#,
        #"{"batchItemFailures":[{"itemIdentifier":"id-2"},{"itemIdentifier":"id-9"}]}"#,
        #"{"batchItemFailures":{}}"#, "42",
    ])
    func unusableResponseDeletesNothing(response: String) {
        #expect(Self.reporting.functionReturned(body(response)) == Action(leave: Self.batch))
    }

    @Test func receiptHandleIsNotAnItemIdentifier() {
        #expect(
            Self.reporting.functionReturned(body(#"{"batchItemFailures":[{"itemIdentifier":"rh-2"}]}"#))
                == Action(leave: Self.batch))
    }

    // MARK: FIFO

    @Test func fifoFailureHoldsBackTheLaterMessagesOfItsGroupOnly() {
        let batch = [m(1, group: "a"), m(2, group: "a"), m(3, group: "b"), m(4, group: "a"), m(5, group: "b")]
        let fifo = SQSBatchOutcome(messages: batch, reportBatchItemFailures: true, isFIFO: true)
        #expect(
            fifo.functionReturned(failures(2))
                == Action(delete: [batch[0], batch[2], batch[4]], leave: [batch[1], batch[3]])
        )
    }

    @Test func standardQueueDoesNotHoldBackMessagesOfTheSameGroup() {
        let batch = [m(1, group: "a"), m(2, group: "a"), m(3, group: "a")]
        let standard = SQSBatchOutcome(messages: batch, reportBatchItemFailures: true, isFIFO: false)
        #expect(standard.functionReturned(failures(2)) == Action(delete: [batch[0], batch[2]], leave: [batch[1]]))
    }

    @Test func fifoSuccessDeletesEveryMessage() {
        let batch = [m(1, group: "a"), m(2, group: "a")]
        let fifo = SQSBatchOutcome(messages: batch, reportBatchItemFailures: true, isFIFO: true)
        #expect(fifo.functionReturned(body("")) == Action(delete: batch))
    }

    // MARK: DeleteMessageBatch

    @Test func deletionsAreCutIntoCallsOfTenEntries() {
        let messages = (1...23).map { m($0) }
        let batches = Action(delete: messages).deleteMessageBatches
        #expect(batches.map(\.count) == [10, 10, 3])
        #expect(batches.flatMap { $0 } == messages)
        #expect(Action(leave: messages).deleteMessageBatches.isEmpty)
    }
}
