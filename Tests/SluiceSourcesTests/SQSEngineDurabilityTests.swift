import SluiceCore
import Testing

@testable import SluiceSources

/// Every acknowledged change is in the storage before the answer (issue 3 item 5).
@Suite struct SQSEngineDurabilityTests {
    @Test func aRestartedEngineSeesEveryAcknowledgedMessage() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "30"])
        for body in ["a", "b", "c"] { try await sqs.send(url, body) }
        let inFlight = try await sqs.receive(url, max: 1)
        try await sqs.delete(url, try #require(try await sqs.receive(url, max: 1).first))
        let restarted = try await sqs.restarted()
        #expect(try await restarted.bodies(url) == ["c"])
        sqs.clock.advance(by: .seconds(30))
        let again = try await restarted.receive(url)
        #expect(again.map(\.body) == inFlight.map(\.body) + ["c"])
        #expect(again.map { $0.attributes?["ApproximateReceiveCount"] } == ["2", "2"])
    }

    @Test func aRestartedEngineKeepsQueuesAttributesTagsAndFifoDeduplication() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q.fifo", ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        try await sqs.engine.tagQueue(.init(queueUrl: url, tags: ["team": "x"]), identity: sqs.identity)
        let first = try await sqs.send(url, "once", group: "g")
        let restarted = try await sqs.restarted()
        #expect(try await restarted.send(url, "once", group: "g").messageId == first.messageId)
        #expect(try await restarted.attribute(url, "ContentBasedDeduplication") == "true")
        #expect(
            try await restarted.engine.listQueueTags(.init(queueUrl: url), identity: sqs.identity).tags == ["team": "x"]
        )
        #expect(try await restarted.send(url, "next", group: "g").sequenceNumber! > first.sequenceNumber!)
    }

    @Test func aFailedCommitAcknowledgesNothingAndLeavesNothingBehind() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        await sqs.storage.failNext()
        #expect(await errorCode { try await sqs.send(url, "lost") } != nil)
        #expect(try await sqs.bodies(url) == [])
        await sqs.storage.failNext()
        #expect(await errorCode { try await sqs.createQueue("other") } != nil)
        #expect(await errorCode { try await sqs.send("other", "x") } == "QueueDoesNotExist")
    }

    @Test func sendBatchesAndReceivesCommitOnce() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let before = await sqs.storage.commits
        _ = try await sqs.engine.sendMessageBatch(
            .init(queueUrl: url, entries: (1...10).map { .init(id: "e\($0)", messageBody: "m\($0)") }),
            identity: sqs.identity
        )
        _ = try await sqs.receive(url)
        #expect(await sqs.storage.commits == before + 2)
    }
}
