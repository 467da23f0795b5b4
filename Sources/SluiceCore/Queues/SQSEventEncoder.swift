/// Encodes the events an SQS mapping sends its function for batches of one queue (`reference/events.md` §3).
///
/// ```json
/// {"Records":[{"messageId":"059f36b4-…","receiptHandle":"AQEB…","body":"{\"foo\": \"bar\"}",
///  "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183","SenderId":"AIDAIENQZJOLO23YVJ4VO",
///  "ApproximateFirstReceiveTimestamp":"1545082649185"},"messageAttributes":{},"md5OfMessageAttributes":null,
///  "md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs",
///  "eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:my-queue","awsRegion":"us-east-1"}]}
/// ```
///
/// Compact JSON, keys in the reference's order, written with ``PayloadWriter`` like ``KinesisEventEncoder``. The
/// queue's part of each record is encoded once, at `init`. Without message attributes `md5OfMessageAttributes` is
/// `null`: AWS sends either `null` or no key, and the reference calls `null` safe (§3). ``recordSize(_:)`` and
/// ``envelopeSize()`` (in `SQSEventEncoder+Size.swift`) give the exact byte count before encoding, so a batcher can
/// cut at ``KinesisEventEncoder/maximumPayloadSize``.
public struct SQSEventEncoder: Sendable, Equatable {
    public let queueARN: String
    public let awsRegion: String

    /// `,"eventSource":"aws:sqs","eventSourceARN":"…","awsRegion":"…"}`: what follows `md5OfBody`.
    let recordSuffix: [UInt8]

    /// - Parameters:
    ///   - queueARN: `eventSourceARN`, the queue's ARN.
    ///   - awsRegion: `awsRegion`, the queue's region.
    public init(queueARN: String, awsRegion: String) {
        self.queueARN = queueARN
        self.awsRegion = awsRegion
        var suffix = PayloadWriter(capacity: 64 + queueARN.utf8.count + awsRegion.utf8.count)
        suffix.write(#","eventSource":"aws:sqs","eventSourceARN":"#)
        suffix.writeString(queueARN)
        suffix.write(#","awsRegion":"#)
        suffix.writeString(awsRegion)
        suffix.write("}")
        recordSuffix = suffix.bytes
    }

    /// The event for `messages`, in their order: `{"Records":[…]}`.
    ///
    /// - Parameters:
    ///   - messages: the batch, all received from this encoder's queue.
    public func encode(_ messages: some Collection<SQSEventMessage>) -> [UInt8] {
        var writer = PayloadWriter(capacity: eventSize(messages))
        writer.write(Self.envelopeHead)
        var first = true
        for message in messages {
            if !first { writer.write(",") }
            first = false
            write(message, to: &writer)
        }
        writer.write(Self.envelopeTail)
        return writer.bytes
    }

    /// One element of `Records`, appended to `writer`.
    func write(_ message: SQSEventMessage, to writer: inout PayloadWriter) {
        writer.write(#"{"messageId":"#)
        writer.writeString(message.messageId)
        writer.write(#","receiptHandle":"#)
        writer.writeString(message.receiptHandle)
        writer.write(#","body":"#)
        writer.writeString(message.body)
        writer.write(#","attributes":{"#)
        for (index, attribute) in message.attributes.enumerated() {
            if index > 0 { writer.write(",") }
            writer.writeString(attribute.name)
            writer.write(":")
            writer.writeString(attribute.value)
        }
        writer.write(#"},"messageAttributes":{"#)
        for (index, attribute) in message.messageAttributes.enumerated() {
            if index > 0 { writer.write(",") }
            write(attribute, to: &writer)
        }
        writer.write(#"},"md5OfMessageAttributes":"#)
        if let md5 = message.md5OfMessageAttributes {
            writer.writeString(md5)
        } else {
            writer.write("null")
        }
        writer.write(#","md5OfBody":"#)
        writer.writeString(message.md5OfBody)
        writer.write(recordSuffix)
    }

    /// `"name":{"stringValue":"6","stringListValues":[],"binaryListValues":[],"dataType":"Number"}`, or
    /// `"binaryValue":"<base64>"` in place of `stringValue` (§3).
    private func write(_ attribute: SQSEventMessage.MessageAttribute, to writer: inout PayloadWriter) {
        writer.writeString(attribute.name)
        switch attribute.value {
        case .string(let value):
            writer.write(#":{"stringValue":"#)
            writer.writeString(value)
        case .binary(let value):
            writer.write(#":{"binaryValue":""#)
            writer.writeBase64(value)
            writer.write("\"")
        }
        writer.write(#","stringListValues":[],"binaryListValues":[],"dataType":"#)
        writer.writeString(attribute.dataType)
        writer.write("}")
    }

    static let envelopeHead: StaticString = #"{"Records":["#
    static let envelopeTail: StaticString = "]}"
}
