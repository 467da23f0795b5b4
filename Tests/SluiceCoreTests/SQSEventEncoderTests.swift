import Foundation
import Testing

@testable import SluiceCore

/// `reference/events.md` §3: the SQS event, byte for byte, and its size function.
@Suite struct SQSEventEncoderTests {
    /// The standard-queue example of `reference/events.md` §3, as printed there.
    static let standardExample = """
        {"Records":[{
          "messageId":"059f36b4-87a3-44ab-83d2-661975830a7d",
          "receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
          "body":"{\\"foo\\": \\"bar\\"}",
          "attributes":{
            "ApproximateReceiveCount":"1",
            "SentTimestamp":"1545082649183",
            "SenderId":"AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp":"1545082649185"
          },
          "messageAttributes":{},
          "md5OfMessageAttributes":null,
          "md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3",
          "eventSource":"aws:sqs",
          "eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:my-queue",
          "awsRegion":"us-east-1"
        }]}
        """

    static let encoder = SQSEventEncoder(
        queueARN: "arn:aws:sqs:us-east-1:123456789012:my-queue", awsRegion: "us-east-1"
    )

    static let standardMessage = SQSEventMessage(
        messageId: "059f36b4-87a3-44ab-83d2-661975830a7d", receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
        body: #"{"foo": "bar"}"#,
        attributes: [
            .init("ApproximateReceiveCount", "1"), .init("SentTimestamp", "1545082649183"),
            .init("SenderId", "AIDAIENQZJOLO23YVJ4VO"), .init("ApproximateFirstReceiveTimestamp", "1545082649185"),
        ],
        md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3"
    )

    /// §3 prints no FIFO event; this one follows its rules: the standard keys, FIFO's `SequenceNumber`,
    /// `MessageGroupId`, `MessageDeduplicationId`, `AWSTraceHeader` when present, and the message attributes and
    /// MD5 recorded on AWS (`reference/wire-protocols.md`, "SQS MD5 fields").
    static let fifoExample = """
        {"Records":[{
          "messageId":"11d6ee51-4cc7-4302-9e22-7cd8afdaadf5",
          "receiptHandle":"AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw...",
          "body":"Test message.",
          "attributes":{
            "ApproximateReceiveCount":"1",
            "SentTimestamp":"1573251510774",
            "SenderId":"AIDAIO23YVJENQZJOL4VO",
            "ApproximateFirstReceiveTimestamp":"1573251510774",
            "SequenceNumber":"18849496460467696128",
            "MessageGroupId":"1",
            "MessageDeduplicationId":"1",
            "AWSTraceHeader":"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
          },
          "messageAttributes":{
            "Author":{"stringValue":"John Grisham","stringListValues":[],"binaryListValues":[],"dataType":"String"},
            "Title":{"stringValue":"The Whistler","stringListValues":[],"binaryListValues":[],"dataType":"String"},
            "WeeksOn":{"stringValue":"6","stringListValues":[],"binaryListValues":[],"dataType":"Number"}
          },
          "md5OfMessageAttributes":"d25a6aea97eb8f585bfa92d314504a92",
          "md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3",
          "eventSource":"aws:sqs",
          "eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:my-queue.fifo",
          "awsRegion":"us-east-2"
        }]}
        """

    static let fifoEncoder = SQSEventEncoder(
        queueARN: "arn:aws:sqs:us-east-2:123456789012:my-queue.fifo", awsRegion: "us-east-2"
    )

    static let fifoMessage = SQSEventMessage(
        messageId: "11d6ee51-4cc7-4302-9e22-7cd8afdaadf5", receiptHandle: "AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw...",
        body: "Test message.",
        attributes: SQSEventMessage.orderedAttributes([
            "MessageDeduplicationId": "1", "SentTimestamp": "1573251510774", "MessageGroupId": "1",
            "AWSTraceHeader": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            "SenderId": "AIDAIO23YVJENQZJOL4VO", "ApproximateFirstReceiveTimestamp": "1573251510774",
            "SequenceNumber": "18849496460467696128", "ApproximateReceiveCount": "1",
        ]),
        messageAttributes: [
            .init(name: "Author", dataType: "String", value: .string("John Grisham")),
            .init(name: "Title", dataType: "String", value: .string("The Whistler")),
            .init(name: "WeeksOn", dataType: "Number", value: .string("6")),
        ],
        md5OfMessageAttributes: "d25a6aea97eb8f585bfa92d314504a92", md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3"
    )

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func encodesTheStandardReferenceExampleByteForByte() {
        let event = Self.encoder.encode([Self.standardMessage])
        #expect(Self.text(event) == PayloadFixtures.compactJSON(Self.standardExample))
        #expect(event.count == Self.encoder.eventSize([Self.standardMessage]))
    }

    @Test func encodesAFIFOMessageWithItsAttributesInReferenceOrderByteForByte() {
        let event = Self.fifoEncoder.encode([Self.fifoMessage])
        #expect(Self.text(event) == PayloadFixtures.compactJSON(Self.fifoExample))
        #expect(event.count == Self.fifoEncoder.eventSize([Self.fifoMessage]))
    }

    @Test func ordersAttributesStandardThenFIFOThenOptionalThenUnknownByName() {
        let ordered = SQSEventMessage.orderedAttributes([
            "Zeta": "z", "DeadLetterQueueSourceArn": "arn", "Alpha": "a", "SenderId": "s", "SequenceNumber": "9",
            "ApproximateReceiveCount": "2",
        ])
        #expect(
            ordered.map(\.name) == [
                "ApproximateReceiveCount", "SenderId", "SequenceNumber", "DeadLetterQueueSourceArn", "Alpha", "Zeta",
            ])
        #expect(ordered.map(\.value) == ["2", "s", "9", "arn", "a", "z"])
    }

    @Test func separatesRecordsWithOneCommaAndNoSpaces() throws {
        var second = Self.standardMessage
        second.messageId = "second"
        let text = Self.text(Self.encoder.encode([Self.standardMessage, second]))
        #expect(text.contains(#""awsRegion":"us-east-1"},{"messageId":"second","#))
        #expect(text.hasSuffix(#""awsRegion":"us-east-1"}]}"#))
        let records = try #require(try PayloadFixtures.parse(Array(text.utf8))["Records"] as? [[String: Any]])
        #expect(records.map { $0["messageId"] as? String } == ["059f36b4-87a3-44ab-83d2-661975830a7d", "second"])
    }

    @Test func encodesAnEmptyBatchAsAnEmptyRecordsList() {
        #expect(Self.encoder.encode([SQSEventMessage]()) == Array(#"{"Records":[]}"#.utf8))
        #expect(Self.encoder.envelopeSize() == 14)
        #expect(Self.encoder.eventSize([SQSEventMessage]()) == 14)
    }

    // MARK: - Escaping

    static let oddBodies = [
        #"{"foo": "bar"}"#, #"quote " inside"#, #"back\slash"#, "new\nline\r\n", "tab\tand\u{08}\u{0C}",
        "nul\u{0}byte\u{1F}\u{7F}", "é and e\u{301}", "日本語", "emoji 🦀🏳️‍🌈", "\u{2028}\u{2029}", "",
        "slash/kept",
        String(repeating: "b\"", count: 1_000),
    ]

    @Test(arguments: oddBodies)
    func escapesBodiesSoTheyParseBackUnchanged(_ body: String) throws {
        var message = Self.fifoMessage
        message.body = body
        message.attributes.append(.init("Custom\"\n", body))
        let event = Self.encoder.encode([message])
        #expect(event.count == Self.encoder.eventSize([message]))
        #expect(Self.text(event).contains(#","body":"# + JSONValue.quoted(body) + #","attributes":{"#))
        let record = try #require((try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])?.first)
        let parsed = try #require(record["body"] as? String)
        #expect(parsed.unicodeScalars.elementsEqual(body.unicodeScalars))
        let attributes = try #require(record["attributes"] as? [String: String])
        #expect(attributes["Custom\"\n"].map { $0.unicodeScalars.elementsEqual(body.unicodeScalars) } == true)
    }

    @Test func escapesOddQueueArnsRegionsAndAttributeNames() throws {
        let encoder = SQSEventEncoder(queueARN: "arn:aws:sqs:r:1:q\"\\", awsRegion: "r\u{1}")
        var message = Self.standardMessage
        message.messageAttributes = [.init(name: "na\"me", dataType: "String.x\n", value: .string("v\\"))]
        message.md5OfMessageAttributes = "abc"
        let event = encoder.encode([message])
        #expect(event.count == encoder.eventSize([message]))
        let record = try #require((try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])?.first)
        #expect(record["eventSourceARN"] as? String == "arn:aws:sqs:r:1:q\"\\")
        #expect(record["awsRegion"] as? String == "r\u{1}")
        #expect(record["md5OfMessageAttributes"] as? String == "abc")
        let attribute = try #require((record["messageAttributes"] as? [String: Any])?["na\"me"] as? [String: Any])
        #expect(attribute["stringValue"] as? String == "v\\")
        #expect(attribute["dataType"] as? String == "String.x\n")
    }

    // MARK: - Binary attributes

    @Test func writesBinaryAttributesAsBinaryValueInPaddedBase64() throws {
        var message = Self.standardMessage
        message.messageAttributes = [
            .init(name: "raw", dataType: "Binary", value: .binary([0xFF, 0x00, 0x10, 0x7F])),
            .init(name: "empty", dataType: "Binary.custom", value: .binary([])),
        ]
        message.md5OfMessageAttributes = "0123456789abcdef0123456789abcdef"
        let event = Self.encoder.encode([message])
        #expect(event.count == Self.encoder.eventSize([message]))
        let expected = #""messageAttributes":{"#
            + #""raw":{"binaryValue":"/wAQfw==","stringListValues":[],"binaryListValues":[],"dataType":"Binary"},"#
            + #""empty":{"binaryValue":"","stringListValues":[],"binaryListValues":[],"dataType":"Binary.custom"}},"#
            + #""md5OfMessageAttributes":"0123456789abcdef0123456789abcdef","#
        #expect(Self.text(event).contains(expected))
    }

    @Test func binaryValuesDecodeBackToTheirBytes() throws {
        var generator = PayloadFixtures.SeededGenerator(seed: 5)
        for count in 0..<40 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var message = Self.standardMessage
            message.messageAttributes = [.init(name: "b", dataType: "Binary", value: .binary(bytes))]
            let event = Self.encoder.encode([message])
            #expect(event.count == Self.encoder.eventSize([message]))
            let record = try #require((try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])?.first)
            let attribute = try #require((record["messageAttributes"] as? [String: Any])?["b"] as? [String: Any])
            #expect(attribute["binaryValue"] as? String == Data(bytes).base64EncodedString())
            #expect(attribute["stringValue"] == nil)
        }
    }

    // MARK: - Size

    static func randomMessage(using generator: inout PayloadFixtures.SeededGenerator) -> SQSEventMessage {
        let alphabet: [Character] = ["a", "Z", "0", "\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "é", "日", "🦀", " "]
        func string(_ range: ClosedRange<Int>) -> String {
            let count = Int.random(in: range, using: &generator)
            return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let attributes = (0..<Int.random(in: 0...9, using: &generator)).map { _ in
            SQSEventMessage.Attribute(string(1...20), string(0...60))
        }
        let messageAttributes = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
            let value: SQSEventMessage.MessageAttribute.Value =
                Bool.random(using: &generator)
                ? .string(string(0...200))
                : .binary((0..<Int.random(in: 0...300, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                })
            return SQSEventMessage.MessageAttribute(name: string(1...20), dataType: string(1...12), value: value)
        }
        return SQSEventMessage(
            messageId: string(1...36), receiptHandle: string(1...200), body: string(0...3_000), attributes: attributes,
            messageAttributes: messageAttributes,
            md5OfMessageAttributes: Bool.random(using: &generator) ? nil : string(0...32), md5OfBody: string(0...32)
        )
    }

    @Test(arguments: [0, 1, 2, 10, 100, 1_000])
    func sizeFunctionsCountExactlyTheEncodedBytes(batchSize: Int) throws {
        var generator = PayloadFixtures.SeededGenerator(seed: UInt64(batchSize) + 1)
        let messages = (0..<batchSize).map { _ in Self.randomMessage(using: &generator) }
        let event = Self.encoder.encode(messages)
        #expect(event.count == Self.encoder.eventSize(messages))
        let summed = Self.encoder.envelopeSize() + messages.map(Self.encoder.recordSize).reduce(0, +)
            + max(0, batchSize - 1)
        #expect(event.count == summed)
        for message in messages.prefix(20) {
            let single = Self.encoder.encode([message]).count
            #expect(single == Self.encoder.envelopeSize() + Self.encoder.recordSize(message))
        }
        let records = try #require(try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])
        #expect(records.count == batchSize)
        for (message, record) in zip(messages, records) {
            #expect((record["body"] as? String)?.unicodeScalars.elementsEqual(message.body.unicodeScalars) == true)
            #expect((record["messageAttributes"] as? [String: Any])?.isEmpty == message.messageAttributes.isEmpty)
        }
    }
}
