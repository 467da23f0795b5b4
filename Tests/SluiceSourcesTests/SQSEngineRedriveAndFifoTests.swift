import SluiceCore
import Testing

@testable import SluiceSources

/// Dead-letter redrive and FIFO queues (`reference/semantics.md` §7; model docs of `MessageGroupId`,
/// `MessageDeduplicationId`).
@Suite struct SQSEngineRedriveAndFifoTests {
    @Test func aMessageMovesToTheDeadLetterQueueOnTheReceiveThatWouldExceedMaxReceiveCount() async throws {
        let sqs = try await QueueHarness()
        let dlq = try await sqs.createQueue("dlq")
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}"#
        let url = try await sqs.createQueue("src", ["RedrivePolicy": policy, "VisibilityTimeout": "0"])
        let sent = try await sqs.engine.sendMessage(
            .init(queueUrl: url, messageBody: "poison", messageAttributes: ["k": .string("v")]), identity: sqs.identity
        )
        #expect(try await sqs.bodies(url) == ["poison"])
        #expect(try await sqs.bodies(url) == ["poison"])
        #expect(try await sqs.bodies(url) == [])
        let moved = try #require(try await sqs.receive(dlq).first)
        #expect(
            moved.messageId == sent.messageId && moved.body == "poison" && moved.messageAttributes?["k"] == .string("v")
        )
        #expect(moved.attributes?["DeadLetterQueueSourceArn"] == "arn:aws:sqs:us-east-1:000000000000:src")
        #expect(await sqs.storage.messages.keys.map(\.queueArn) == ["arn:aws:sqs:us-east-1:000000000000:dlq"])
    }

    func fifo(_ sqs: QueueHarness, _ attributes: [String: String] = [:]) async throws -> String {
        try await sqs.createQueue("q.fifo", attributes.merging(["FifoQueue": "true"]) { $1 })
    }

    @Test func fifoSendsNeedAGroupAndADeduplicationId() async throws {
        let sqs = try await QueueHarness()
        let url = try await fifo(sqs)
        #expect(await errorCode { try await sqs.send(url, "x", dedup: "1") } == "MissingRequiredParameterException")
        #expect(await errorCode { try await sqs.send(url, "x", group: "g") } == "InvalidParameterValueException")
        #expect(
            await errorCode { try await sqs.send(url, "x", group: "g", dedup: "1", delay: 5) }
                == "InvalidParameterValueException")
        let standard = try await sqs.createQueue("standard")
        #expect(await errorCode { try await sqs.send(standard, "x", dedup: "1") } == "InvalidParameterValueException")
    }

    @Test func fifoDeliversEachGroupInOrderAndHoldsAGroupWhileAMessageIsInFlight() async throws {
        let sqs = try await QueueHarness()
        let url = try await fifo(sqs, ["ContentBasedDeduplication": "true"])
        for body in ["a1", "b1", "a2", "b2"] { try await sqs.send(url, body, group: String(body.first!)) }
        let first = try await sqs.receive(url, max: 1)
        #expect(first.map(\.body) == ["a1"])
        #expect(try await sqs.bodies(url, max: 10) == ["b1", "b2"])
        try await sqs.delete(url, first[0])
        #expect(try await sqs.bodies(url, max: 10) == ["a2"])
    }

    @Test func fifoDropsDuplicatesForFiveMinutes() async throws {
        let sqs = try await QueueHarness()
        let url = try await fifo(sqs)
        let first = try await sqs.send(url, "x", group: "g", dedup: "d")
        let duplicate = try await sqs.send(url, "y", group: "g", dedup: "d")
        #expect(duplicate.messageId == first.messageId && duplicate.sequenceNumber == first.sequenceNumber)
        sqs.clock.advance(by: .seconds(300))
        let later = try await sqs.send(url, "z", group: "g", dedup: "d")
        #expect(later.messageId != first.messageId)
        #expect(try await sqs.bodies(url) == ["x", "z"])
    }

    @Test func contentBasedDeduplicationUsesTheBody() async throws {
        let sqs = try await QueueHarness()
        let url = try await fifo(sqs, ["ContentBasedDeduplication": "true"])
        try await sqs.send(url, "same", group: "g")
        try await sqs.send(url, "same", group: "h")
        try await sqs.send(url, "other", group: "g")
        let messages = try await sqs.receive(url)
        #expect(messages.map(\.body) == ["same", "other"])
        #expect(messages.first?.attributes?["MessageDeduplicationId"] == SQS.MessageDigest.sha256OfBody("same"))
    }

    @Test func fifoSequenceNumbersIncreaseAndAreReturnedWithTheGroup() async throws {
        let sqs = try await QueueHarness()
        let url = try await fifo(sqs)
        let numbers = try await (1...3).asyncMap {
            try await sqs.send(url, "m\($0)", group: "g", dedup: "d\($0)").sequenceNumber!
        }
        #expect(numbers.map { UInt64($0)! } == numbers.map { UInt64($0)! }.sorted() && Set(numbers).count == 3)
        let message = try #require(try await sqs.receive(url, max: 1).first)
        #expect(message.attributes?["SequenceNumber"] == numbers[0] && message.attributes?["MessageGroupId"] == "g")
    }
}

fileprivate extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
