import SluiceCore
import Testing

@testable import SluiceSources

/// The embedded SQS as an SQS mapping's `QueueSource` (issue 6): messages as the Lambda event carries them, deletes
/// by receipt handle, and a long poll that ends with nothing when the poller stops.
@Suite struct SQSEngineQueueSourceTests {
    let queueArn = "arn:aws:sqs:us-east-1:000000000000:q"

    @Test func aReceivedMessageCarriesEveryAttributeInTheEventsOrder() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        _ = try await sqs.engine.sendMessage(
            SQS.SendMessageInput(
                queueUrl: url, messageBody: "hello",
                messageAttributes: ["b": .string("2"), "a": .binary(.init([1, 2]))]
            ),
            identity: sqs.identity
        )
        let messages = try await sqs.engine.receive(queueArn: queueArn, maximum: 10, waitingUpTo: .zero)
        let message = try #require(messages.first)
        #expect(message.body == "hello")
        #expect(message.attributes.map(\.name) == [
            "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
        ])
        #expect(message.attributes[0].value == "1")
        #expect(message.messageAttributes.map(\.name) == ["a", "b"])
        #expect(message.messageAttributes[0].value == .binary([1, 2]))
        #expect(message.md5OfMessageAttributes != nil)
        #expect(message.messageGroupId == nil)
    }

    @Test func deletingByReceiptHandleEmptiesTheQueue() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        _ = try await sqs.engine.sendMessage(SQS.SendMessageInput(queueUrl: url, messageBody: "x"), identity: sqs.identity)
        let messages = try await sqs.engine.receive(queueArn: queueArn, maximum: 10, waitingUpTo: .zero)
        try await sqs.engine.delete(queueArn: queueArn, receiptHandles: messages.map(\.receiptHandle))
        let attributes = try await sqs.engine.getQueueAttributes(
            SQS.GetQueueAttributesInput(queueUrl: url, attributeNames: ["All"]), identity: sqs.identity
        )
        #expect(attributes.attributes?["ApproximateNumberOfMessages"] == "0")
        #expect(attributes.attributes?["ApproximateNumberOfMessagesNotVisible"] == "0")
    }

    @Test func aCancelledLongPollTakesNothingSentAfterwards() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let (engine, arn) = (sqs.engine, self.queueArn)
        let poll = Task { try await engine.receive(queueArn: arn, maximum: 10, waitingUpTo: .seconds(20)) }
        await sqs.clock.nextTimerScheduled()
        poll.cancel()
        #expect(try await poll.value.isEmpty)
        _ = try await sqs.engine.sendMessage(SQS.SendMessageInput(queueUrl: url, messageBody: "x"), identity: sqs.identity)
        let attributes = try await sqs.engine.getQueueAttributes(
            SQS.GetQueueAttributesInput(queueUrl: url, attributeNames: ["ApproximateNumberOfMessages"]),
            identity: sqs.identity
        )
        #expect(attributes.attributes?["ApproximateNumberOfMessages"] == "1")
    }
}
