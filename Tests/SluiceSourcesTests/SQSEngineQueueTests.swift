import SluiceCore
import Testing

@testable import SluiceSources

/// Queue operations of ``SQSEngine`` (botocore sqs model; issue 3 item 3).
@Suite struct SQSEngineQueueTests {
    @Test func createQueueAnswersTheURLUnderTheBaseURL() async throws {
        let sqs = try await QueueHarness()
        #expect(try await sqs.createQueue("orders") == "http://localhost:4566/000000000000/orders")
    }

    @Test func createQueueIsIdempotentWithTheSameAttributes() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders", ["VisibilityTimeout": "60"])
        #expect(try await sqs.createQueue("orders", ["VisibilityTimeout": "60"]) == url)
        #expect(try await sqs.createQueue("orders") == url)
    }

    @Test func createQueueWithOtherAttributesFailsWithQueueNameExists() async throws {
        let sqs = try await QueueHarness()
        try await sqs.createQueue("orders", ["VisibilityTimeout": "60"])
        #expect(
            await errorMessage { try await sqs.createQueue("orders", ["VisibilityTimeout": "30"]) }
                == "A queue already exists with the same name and a different value for attribute VisibilityTimeout")
    }

    @Test func createQueueRefusesBadNamesAndAttributes() async throws {
        let sqs = try await QueueHarness()
        #expect(await errorCode { try await sqs.createQueue("x.fifo") } == "InvalidParameterValueException")
        #expect(
            await errorCode { try await sqs.createQueue("x", ["FifoQueue": "true"]) }
                == "InvalidParameterValueException")
        #expect(
            await errorCode { try await sqs.createQueue("x", ["VisibilityTimeout": "43201"]) }
                == "InvalidAttributeValue")
        #expect(await errorCode { try await sqs.createQueue("x", ["QueueArn": "a"]) } == "InvalidAttributeName")
    }

    @Test func missingQueuesAreQueueDoesNotExist() async throws {
        let sqs = try await QueueHarness()
        #expect(
            await errorMessage {
                _ = try await sqs.engine.getQueueUrl(.init(queueName: "none"), identity: sqs.identity)
            }
                == "The specified queue does not exist.")
        #expect(
            await errorCode { try await sqs.send("http://localhost:4566/000000000000/none", "x") }
                == "QueueDoesNotExist")
    }

    @Test func queuesLiveInTheirRegion() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        let other = RequestIdentity(region: "eu-west-1")
        #expect(
            await errorCode { _ = try await sqs.engine.getQueueUrl(.init(queueName: "orders"), identity: other) }
                == "QueueDoesNotExist")
        #expect(
            await errorCode {
                _ = try await sqs.engine.sendMessage(.init(queueUrl: url, messageBody: "x"), identity: other)
            }
                == "QueueDoesNotExist")
    }

    @Test func listQueuesFiltersByPrefixAndPagesWithMaxResults() async throws {
        let sqs = try await QueueHarness()
        for name in ["b-1", "a-1", "a-2", "a-3"] { try await sqs.createQueue(name) }
        let first = try await sqs.engine.listQueues(.init(queueNamePrefix: "a-", maxResults: 2), identity: sqs.identity)
        #expect(first.queueUrls?.map { $0.split(separator: "/").last! } == ["a-1", "a-2"])
        let second = try await sqs.engine.listQueues(
            .init(queueNamePrefix: "a-", nextToken: first.nextToken, maxResults: 2), identity: sqs.identity
        )
        #expect(second.queueUrls?.map { $0.split(separator: "/").last! } == ["a-3"] && second.nextToken == nil)
        #expect(try await sqs.engine.listQueues(.init(), identity: sqs.identity).queueUrls?.count == 4)
        #expect(try await sqs.engine.listQueues(.init(queueNamePrefix: "z"), identity: sqs.identity).queueUrls == nil)
    }

    @Test func deleteQueueForgetsTheQueueAndItsMessages() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        try await sqs.send(url, "x")
        try await sqs.engine.deleteQueue(.init(queueUrl: url), identity: sqs.identity)
        #expect(await errorCode { _ = try await sqs.receive(url) } == "QueueDoesNotExist")
        let (messages, queues) = await (sqs.storage.messages, sqs.storage.queues)
        #expect(messages.isEmpty && queues.isEmpty)
    }

    @Test func purgeQueueEmptiesTheQueueOnceAMinute() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        try await sqs.send(url, "x")
        try await sqs.engine.purgeQueue(.init(queueUrl: url), identity: sqs.identity)
        #expect(try await sqs.bodies(url) == [])
        #expect(
            await errorCode { try await sqs.engine.purgeQueue(.init(queueUrl: url), identity: sqs.identity) }
                == "PurgeQueueInProgress")
        sqs.clock.advance(by: .seconds(60))
        try await sqs.engine.purgeQueue(.init(queueUrl: url), identity: sqs.identity)
    }

    @Test func getQueueAttributesAllAnswersArnTimestampsAndCounts() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        try await sqs.send(url, "visible")
        try await sqs.send(url, "delayed", delay: 10)
        let attributes =
            try await sqs.engine.getQueueAttributes(
                .init(queueUrl: url, attributeNames: ["All"]), identity: sqs.identity
            )
            .attributes ?? [:]
        #expect(attributes["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:orders")
        #expect(attributes["CreatedTimestamp"] == "1732528800" && attributes["VisibilityTimeout"] == "30")
        #expect(
            attributes["ApproximateNumberOfMessages"] == "1" && attributes["ApproximateNumberOfMessagesDelayed"] == "1")
        #expect(attributes["ApproximateNumberOfMessagesNotVisible"] == "0")
        #expect(try await sqs.engine.getQueueAttributes(.init(queueUrl: url), identity: sqs.identity).attributes == nil)
        #expect(await errorCode { _ = try await sqs.attribute(url, "Nope") } == "InvalidAttributeName")
    }

    @Test func setQueueAttributesChangesTheQueueAndItsLastModified() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        sqs.clock.advance(by: .seconds(5))
        try await sqs.engine.setQueueAttributes(
            .init(queueUrl: url, attributes: ["VisibilityTimeout": "5"]), identity: sqs.identity)
        #expect(try await sqs.attribute(url, "VisibilityTimeout") == "5")
        #expect(try await sqs.attribute(url, "LastModifiedTimestamp") == "1732528805")
    }

    @Test func redrivePolicyNeedsAnExistingDeadLetterQueueOfTheSameType() async throws {
        let sqs = try await QueueHarness()
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}"#
        #expect(
            await errorMessage { try await sqs.createQueue("src", ["RedrivePolicy": policy]) }
                == "Value \(policy) for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.")
        try await sqs.createQueue("dlq")
        try await sqs.createQueue("src", ["RedrivePolicy": policy])
        #expect(try await sqs.attribute(sqs.createQueue("src"), "RedrivePolicy") == policy)
    }

    @Test func tagsAreAddedListedAndRemoved() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("orders")
        try await sqs.engine.tagQueue(.init(queueUrl: url, tags: ["a": "1", "b": "2"]), identity: sqs.identity)
        try await sqs.engine.untagQueue(.init(queueUrl: url, tagKeys: ["a"]), identity: sqs.identity)
        #expect(try await sqs.engine.listQueueTags(.init(queueUrl: url), identity: sqs.identity).tags == ["b": "2"])
    }
}
