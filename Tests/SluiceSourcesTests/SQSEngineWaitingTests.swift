import SluiceCore
import Testing

@testable import SluiceSources

/// Long polling and the poller's wake-up, on a manual clock (issue 3 item 6): no sleeps.
@Suite struct SQSEngineWaitingTests {
    @Test func aLongPollReturnsAsSoonAsAMessageIsSent() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        async let received = sqs.receive(url, wait: 20)
        await sqs.clock.nextTimerScheduled()
        try await sqs.send(url, "hello")
        #expect(try await received.map(\.body) == ["hello"])
    }

    @Test func aLongPollAnswersNothingAtItsDeadline() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        async let received = sqs.receive(url, wait: 5)
        await sqs.clock.nextTimerScheduled()
        sqs.clock.advance(by: .seconds(5))
        #expect(try await received.isEmpty)
    }

    @Test func aLongPollWakesWhenAnInFlightMessageBecomesVisible() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "3"])
        try await sqs.send(url, "again")
        _ = try await sqs.receive(url)
        async let received = sqs.receive(url, wait: 20)
        await sqs.clock.nextTimerScheduled()
        sqs.clock.advance(by: .seconds(3))
        #expect(try await received.map(\.body) == ["again"])
    }

    @Test func theQueueWaitTimeIsTheDefaultWait() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["ReceiveMessageWaitTimeSeconds": "20"])
        async let received = sqs.engine.receiveMessage(.init(queueUrl: url), identity: sqs.identity)
        await sqs.clock.nextTimerScheduled()
        try await sqs.send(url, "x")
        #expect(try await received.messages?.map(\.body) == ["x"])
    }

    @Test func waitForMessagesReturnsOnSendAndPollerReceivesEverything() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let address = try #require(SQS.QueueAddress(arn: "arn:aws:sqs:us-east-1:000000000000:q"))
        async let woke: Void = sqs.engine.waitForMessages(in: address)
        try await sqs.send(url, "x")
        try await woke
        let messages = try await sqs.engine.receive(from: address, maximum: 10)
        #expect(messages.first?.attributes?["ApproximateReceiveCount"] == "1")
    }

    @Test func waitForMessagesEndsWithCancellation() async throws {
        let sqs = try await QueueHarness()
        try await sqs.createQueue("q")
        let address = SQS.QueueAddress(region: "us-east-1", account: "000000000000", name: "q")
        let waiter = Task { try await sqs.engine.waitForMessages(in: address) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func waitForMessagesFailsWhenTheQueueIsDeleted() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let address = SQS.QueueAddress(region: "us-east-1", account: "000000000000", name: "q")
        let waiter = Task { try await sqs.engine.waitForMessages(in: address) }
        try await sqs.engine.deleteQueue(.init(queueUrl: url), identity: sqs.identity)
        await #expect(throws: AWSError.queueDoesNotExist) { try await waiter.value }
    }
}
