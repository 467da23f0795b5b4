import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

/// Send, receive, delete and visibility on standard queues (`reference/semantics.md` §7, `events.md` §3).
@Suite struct SQSEngineMessageTests {
    @Test func receivedMessagesCarryBodyDigestsAndSystemAttributes() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let sent = try await sqs.send(url, "hello")
        #expect(sent.md5OfMessageBody == "5d41402abc4b2a76b9719d911017c592" && sent.md5OfMessageAttributes == nil)
        sqs.clock.advance(by: .milliseconds(250))
        let message = try #require(try await sqs.receive(url).first)
        #expect(
            message.messageId == sent.messageId && message.body == "hello" && message.md5OfBody == sent.md5OfMessageBody
        )
        #expect(
            message.attributes == [
                "SenderId": "000000000000", "SentTimestamp": "1732528800000", "ApproximateReceiveCount": "1",
                "ApproximateFirstReceiveTimestamp": "1732528800250",
            ])
    }

    @Test func aReceivedMessageIsHiddenUntilItsVisibilityTimeoutPasses() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "10"])
        try await sqs.send(url, "a")
        #expect(try await sqs.bodies(url) == ["a"])
        sqs.clock.advance(by: .seconds(9))
        #expect(try await sqs.bodies(url) == [])
        sqs.clock.advance(by: .seconds(1))
        let again = try await sqs.receive(url)
        #expect(again.map(\.body) == ["a"] && again.first?.attributes?["ApproximateReceiveCount"] == "2")
        #expect(again.first?.attributes?["ApproximateFirstReceiveTimestamp"] == "1732528800000")
    }

    @Test func receiveTakesAtMostMaxNumberOfMessagesInOrder() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        for index in 1...4 { try await sqs.send(url, "m\(index)") }
        #expect(try await sqs.bodies(url, max: 3) == ["m1", "m2", "m3"])
        #expect(await errorCode { _ = try await sqs.receive(url, max: 11) } == "InvalidParameterValueException")
        #expect(await errorCode { _ = try await sqs.receive(url, wait: 21) } == "InvalidParameterValueException")
    }

    @Test func deleteWithTheLatestHandleRemovesTheMessage() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "0"])
        try await sqs.send(url, "a")
        try await sqs.delete(url, try #require(try await sqs.receive(url).first))
        #expect(try await sqs.bodies(url) == [])
    }

    @Test func deleteWithAStaleHandleSucceedsButKeepsTheMessage() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "0"])
        try await sqs.send(url, "a")
        let first = try #require(try await sqs.receive(url).first)
        _ = try await sqs.receive(url)
        try await sqs.delete(url, first)
        #expect(try await sqs.bodies(url) == ["a"])
    }

    @Test func handlesOfAnotherQueueOrGarbageAreInvalid() async throws {
        let sqs = try await QueueHarness()
        let one = try await sqs.createQueue("one")
        let two = try await sqs.createQueue("two")
        try await sqs.send(one, "a")
        let message = try #require(try await sqs.receive(one).first)
        #expect(await errorCode { try await sqs.delete(two, message) } == "ReceiptHandleIsInvalid")
        #expect(
            await errorCode {
                try await sqs.engine.deleteMessage(.init(queueUrl: one, receiptHandle: "nope"), identity: sqs.identity)
            } == "ReceiptHandleIsInvalid")
    }

    @Test func changeMessageVisibilityMovesTheMomentAMessageReappears() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.send(url, "a")
        let message = try #require(try await sqs.receive(url).first)
        let change = { (timeout: Int) in
            try await sqs.engine.changeMessageVisibility(
                .init(queueUrl: url, receiptHandle: message.receiptHandle, visibilityTimeout: timeout),
                identity: sqs.identity
            )
        }
        try await change(0)
        // Visible again but not received since: the same handle hides it again (recorded on AWS).
        try await change(10)
        #expect(try await sqs.receive(url).isEmpty)
        try await change(0)
        let second = try #require(try await sqs.receive(url).first)
        #expect(
            await errorMessage { try await change(10) }
                == "Value \(message.receiptHandle) for parameter ReceiptHandle is invalid. Reason: Message does "
                + "not exist or is not available for visibility timeout change."
        )
        try await sqs.engine.changeMessageVisibility(
            .init(queueUrl: url, receiptHandle: second.receiptHandle, visibilityTimeout: 43_200), identity: sqs.identity
        )
        sqs.clock.advance(by: .seconds(1))
        #expect(
            await errorCode {
                try await sqs.engine.changeMessageVisibility(
                    .init(queueUrl: url, receiptHandle: second.receiptHandle, visibilityTimeout: 43_200),
                    identity: sqs.identity
                )
            } == "InvalidParameterValueException")
    }

    @Test func delaysComeFromTheMessageOrTheQueue() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["DelaySeconds": "5"])
        try await sqs.send(url, "queue-delay")
        try await sqs.send(url, "own-delay", delay: 2)
        try await sqs.send(url, "no-delay", delay: 0)
        #expect(try await sqs.bodies(url) == ["no-delay"])
        sqs.clock.advance(by: .seconds(2))
        #expect(try await sqs.bodies(url) == ["own-delay"])
        sqs.clock.advance(by: .seconds(3))
        #expect(try await sqs.bodies(url) == ["queue-delay"])
        #expect(await errorCode { try await sqs.send(url, "x", delay: 901) } == "InvalidParameterValueException")
    }

    @Test func messagesOlderThanTheRetentionPeriodDisappear() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["MessageRetentionPeriod": "60"])
        try await sqs.send(url, "old")
        sqs.clock.advance(by: .seconds(30))
        try await sqs.send(url, "new")
        sqs.clock.advance(by: .seconds(30))
        #expect(try await sqs.bodies(url) == ["new"])
        #expect(await sqs.storage.messages.count == 1)
    }

    @Test func countsFollowVisibleInFlightAndDelayedMessages() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        for body in ["a", "b", "c"] { try await sqs.send(url, body) }
        try await sqs.send(url, "later", delay: 60)
        _ = try await sqs.receive(url, max: 1)
        #expect(try await sqs.attribute(url, "ApproximateNumberOfMessages") == "2")
        #expect(try await sqs.attribute(url, "ApproximateNumberOfMessagesNotVisible") == "1")
        #expect(try await sqs.attribute(url, "ApproximateNumberOfMessagesDelayed") == "1")
    }

    @Test func messageAttributesAreReturnedByNamePrefixOrAllWithTheirDigest() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "0"])
        let attributes: [String: SQS.MessageAttributeValue] = [
            "Title": .string("The Whistler"), "Author": .string("John Grisham"), "WeeksOn": .number("6"),
        ]
        let sent = try await sqs.engine.sendMessage(
            .init(queueUrl: url, messageBody: "book", messageAttributes: attributes), identity: sqs.identity
        )
        #expect(sent.md5OfMessageAttributes == "d25a6aea97eb8f585bfa92d314504a92")
        func receive(_ names: [String]?) async throws -> SQS.Message? {
            try await sqs.engine.receiveMessage(
                .init(queueUrl: url, messageAttributeNames: names), identity: sqs.identity
            )
            .messages?.first
        }
        #expect(try await receive(["All"])?.md5OfMessageAttributes == "d25a6aea97eb8f585bfa92d314504a92")
        #expect(try await receive(["Title", "Weeks.*"])?.messageAttributes?.keys.sorted() == ["Title", "WeeksOn"])
        let none = try await receive(nil)
        #expect(none?.messageAttributes == nil && none?.md5OfMessageAttributes == nil && none?.attributes == nil)
    }

    @Test func sendMessageBatchAnswersPerEntry() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        let output = try await sqs.engine.sendMessageBatch(
            .init(
                queueUrl: url,
                entries: [.init(id: "ok", messageBody: "a"), .init(id: "bad", messageBody: "b", delaySeconds: 901)]),
            identity: sqs.identity
        )
        #expect(output.successful.map(\.id) == ["ok"] && output.failed.map(\.id) == ["bad"])
        #expect(
            output.failed.first?.code == "InvalidParameterValueException" && output.failed.first?.senderFault == true)
        #expect(try await sqs.bodies(url) == ["a"])
    }

    @Test func batchRequestsAreCheckedAsAWhole() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        func send(_ entries: [SQS.SendMessageBatchRequestEntry]) async -> String? {
            await errorCode {
                _ = try await sqs.engine.sendMessageBatch(
                    .init(queueUrl: url, entries: entries), identity: sqs.identity)
            }
        }
        #expect(await send([]) == "EmptyBatchRequest")
        #expect(await send((0...10).map { .init(id: "e\($0)", messageBody: "x") }) == "TooManyEntriesInBatchRequest")
        #expect(
            await send([.init(id: "a", messageBody: "x"), .init(id: "a", messageBody: "y")])
                == "BatchEntryIdsNotDistinct")
        #expect(await send([.init(id: "a b", messageBody: "x")]) == "InvalidBatchEntryId")
        let big = String(repeating: "x", count: 600_000)
        #expect(
            await send([.init(id: "a", messageBody: big), .init(id: "b", messageBody: big)]) == "BatchRequestTooLong")
    }

    @Test func deleteMessageBatchDeletesValidHandlesAndReportsTheOthers() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        for body in ["a", "b"] { try await sqs.send(url, body) }
        let messages = try await sqs.receive(url)
        let output = try await sqs.engine.deleteMessageBatch(
            .init(
                queueUrl: url,
                entries: [
                    .init(id: "a", receiptHandle: messages[0].receiptHandle),
                    .init(id: "b", receiptHandle: messages[1].receiptHandle),
                    .init(id: "c", receiptHandle: "junk"),
                ]), identity: sqs.identity)
        #expect(output.successful.map(\.id) == ["a", "b"] && output.failed.map(\.code) == ["ReceiptHandleIsInvalid"])
        #expect(await sqs.storage.messages.isEmpty)
    }

    @Test func changeMessageVisibilityBatchMakesMessagesVisible() async throws {
        let sqs = try await QueueHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.send(url, "a")
        let message = try #require(try await sqs.receive(url).first)
        let output = try await sqs.engine.changeMessageVisibilityBatch(
            .init(
                queueUrl: url,
                entries: [
                    .init(id: "a", receiptHandle: message.receiptHandle, visibilityTimeout: 0)
                ]), identity: sqs.identity)
        #expect(output.successful.map(\.id) == ["a"] && output.failed.isEmpty)
        #expect(try await sqs.bodies(url) == ["a"])
    }
}
