import Foundation
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceSources

/// Publish → SQS: the envelope byte for byte, raw delivery, FIFO numbering, MessageStructure (`reference/events.md`
/// §7.5; issue 3 item 4).
@Suite struct SNSEngineDeliveryTests {
    static let topic = "arn:aws:sns:us-east-1:000000000000:orders"
    static let certificateURL = "http://localhost:4566/SimpleNotificationService-56c4228bc58d4cdf3ff01c3fc6e84189.pem"

    @Test func theEnvelopeIsExactlyAWSs() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        let (url, subscription) = try await sns.subscribeQueue(topic, queue: "q")
        sns.sqs.clock.advance(by: .milliseconds(123))
        let output = try await sns.publish(
            .init(
                topicArn: topic, message: "line \"one\"\n/two", subject: "Hi",
                messageAttributes: ["b": .number("6"), "a": .string("x")]
            )
        )
        #expect(output == SNS.PublishOutput(messageId: "sns-2", sequenceNumber: nil))
        let body = try #require(try await sns.sqs.receive(url).first).body
        let signature = SNS.Envelope.signature(
            SNS.Notification(
                messageId: "sns-2", topicArn: topic, subject: "Hi", message: "line \"one\"\n/two",
                timestamp: Timestamp(millisecondsSinceEpoch: 0), subscriptionArn: "", messageAttributes: [:]
            ),
            timestamp: "2024-11-25T10:00:00.123Z"
        )
        #expect(
            body == """
                {
                  "Type" : "Notification",
                  "MessageId" : "sns-2",
                  "TopicArn" : "\(Self.topic)",
                  "Subject" : "Hi",
                  "Message" : "line \\"one\\"\\n/two",
                  "Timestamp" : "2024-11-25T10:00:00.123Z",
                  "SignatureVersion" : "1",
                  "Signature" : "\(signature)",
                  "SigningCertURL" : "\(Self.certificateURL)",
                  "UnsubscribeURL" : "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=\(subscription)",
                  "MessageAttributes" : {
                    "a" : {"Type":"String","Value":"x"},
                    "b" : {"Type":"Number","Value":"6"}
                  }
                }
                """
        )
        #expect(Data(base64Encoded: signature)?.count == 32)
    }

    @Test func withoutSubjectOrAttributesTheEnvelopeLeavesThemOut() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        let (url, _) = try await sns.subscribeQueue(topic, queue: "q")
        _ = try await sns.publish(.init(topicArn: topic, message: "{\"k\":1}"))
        let body = try #require(try await sns.sqs.receive(url).first).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        #expect(
            Set(object.keys) == [
                "Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature",
                "SigningCertURL", "UnsubscribeURL",
            ]
        )
        #expect(object["Message"] == "{\"k\":1}")
    }

    @Test func rawDeliveryCarriesTheMessageAndItsAttributes() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        let (raw, _) = try await sns.subscribeQueue(topic, queue: "raw", raw: true)
        let (wrapped, _) = try await sns.subscribeQueue(topic, queue: "wrapped")
        let binary = SNS.MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1]))
        _ = try await sns.publish(
            .init(topicArn: topic, message: "payload", messageAttributes: ["s": .string("v"), "bin": binary])
        )
        let message = try #require(try await sns.sqs.receive(raw).first)
        #expect(message.body == "payload")
        #expect(message.messageAttributes?["s"] == .string("v"))
        #expect(message.messageAttributes?["bin"] == .binary(Data([0, 1])))
        let envelope = try #require(try await sns.sqs.receive(wrapped).first)
        #expect(envelope.messageAttributes == nil)
        #expect(envelope.body.contains(#""bin" : {"Type":"Binary","Value":"AAE="}"#))
    }

    @Test func fifoTopicsNumberDeduplicateAndKeepGroups() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders.fifo", ["FifoTopic": "true"])
        let (url, _) = try await sns.subscribeQueue(topic, queue: "q.fifo")
        let first = try await sns.publish(
            .init(topicArn: topic, message: "a", messageDeduplicationId: "d1", messageGroupId: "g")
        )
        let second = try await sns.publish(
            .init(topicArn: topic, message: "b", messageDeduplicationId: "d2", messageGroupId: "g")
        )
        let repeated = try await sns.publish(
            .init(topicArn: topic, message: "a", messageDeduplicationId: "d1", messageGroupId: "g")
        )
        #expect(first.sequenceNumber == "10000000000000000001")
        #expect(second.sequenceNumber == "10000000000000000002")
        #expect(repeated == first)
        let messages = try await sns.sqs.receive(url)
        #expect(messages.count == 2)
        #expect(messages.map { $0.attributes?["MessageGroupId"] } == ["g", "g"])
        #expect(messages[0].body.contains(#""SequenceNumber" : "10000000000000000001""#))
    }

    @Test func messageStructureJSONSendsTheSQSEntryOrTheDefault() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        let (url, _) = try await sns.subscribeQueue(topic, queue: "q", raw: true)
        _ = try await sns.publish(
            .init(topicArn: topic, message: #"{"default":"d","sqs":"for queues"}"#, messageStructure: "json")
        )
        _ = try await sns.publish(.init(topicArn: topic, message: #"{"default":"d"}"#, messageStructure: "json"))
        #expect(try await sns.sqs.bodies(url) == ["for queues", "d"])
    }

    @Test func publishBatchAnswersPerEntryAndDeliversInOrder() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        let (url, _) = try await sns.subscribeQueue(topic, queue: "q", raw: true)
        let output = try await sns.engine.publishBatch(
            topicArn: topic,
            entries: [.init(id: "a", message: "one"), .init(id: "b", message: ""), .init(id: "c", message: "three")],
            identity: sns.identity
        )
        #expect(output.successful.map(\.id) == ["a", "c"])
        #expect(
            output.failed == [.init(id: "b", code: "InvalidParameter", message: "Empty message", senderFault: true)]
        )
        #expect(try await sns.sqs.bodies(url) == ["one", "three"])
        let eleven = (0..<11).map { SNS.PublishBatchEntry(id: "e\($0)", message: "m") }
        #expect(
            await snsError {
                _ = try await sns.engine.publishBatch(topicArn: topic, entries: eleven, identity: sns.identity)
            }
                == "TooManyEntriesInBatchRequest: The batch request contains more entries than permissible. (400)"
        )
    }

    @Test func aMissingQueueIsSkippedAndAFailedCommitFailsThePublish() async throws {
        let sns = try await SNSHarness()
        let topic = try await sns.createTopic("orders")
        _ = try await sns.engine.subscribe(
            .init(topicArn: topic, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:gone"),
            identity: sns.identity
        )
        let (url, _) = try await sns.subscribeQueue(topic, queue: "q", raw: true)
        _ = try await sns.publish(.init(topicArn: topic, message: "kept"))
        #expect(try await sns.sqs.bodies(url) == ["kept"])
        await sns.sqs.storage.failNext()
        #expect(
            await snsError { _ = try await sns.publish(.init(topicArn: topic, message: "lost")) }?.hasPrefix(
                "InternalError: Delivery to arn:aws:sqs:us-east-1:000000000000:q failed") == true)
    }
}
