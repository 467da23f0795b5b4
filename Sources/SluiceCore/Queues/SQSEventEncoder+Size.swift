extension SQSEventEncoder {
    /// The exact number of bytes `message` takes inside `Records`, without the comma that separates it from the
    /// next one.
    ///
    /// Scans the strings for characters to escape; the base64 of binary attributes is arithmetic.
    ///
    /// - Parameters:
    ///   - message: a message of this encoder's queue.
    public func recordSize(_ message: SQSEventMessage) -> Int {
        var size = Self.fixedRecordSize + recordSuffix.count + PayloadWriter.stringSize(message.messageId)
            + PayloadWriter.stringSize(message.receiptHandle) + PayloadWriter.stringSize(message.body)
            + PayloadWriter.stringSize(message.md5OfBody)
        size += message.md5OfMessageAttributes.map(PayloadWriter.stringSize) ?? PayloadWriter.size(of: "null")
        size += max(0, message.attributes.count - 1) + max(0, message.messageAttributes.count - 1)
        for attribute in message.attributes {
            size += PayloadWriter.stringSize(attribute.name) + 1 + PayloadWriter.stringSize(attribute.value)
        }
        for attribute in message.messageAttributes {
            size += Self.size(of: attribute)
        }
        return size
    }

    /// The bytes of an event without records: `{"Records":[]}` (14).
    public func envelopeSize() -> Int {
        Self.envelopeHead.utf8CodeUnitCount + Self.envelopeTail.utf8CodeUnitCount
    }

    /// The exact size of ``encode(_:)``'s result: envelope + Σ record sizes + one comma between records.
    ///
    /// - Parameters:
    ///   - messages: the batch.
    public func eventSize(_ messages: some Collection<SQSEventMessage>) -> Int {
        var size = envelopeSize() + max(0, messages.count - 1)
        for message in messages {
            size += recordSize(message)
        }
        return size
    }

    private static func size(of attribute: SQSEventMessage.MessageAttribute) -> Int {
        let value =
            switch attribute.value {
            case .string(let value): PayloadWriter.size(of: #":{"stringValue":"#) + PayloadWriter.stringSize(value)
            case .binary(let value):
                PayloadWriter.size(of: #":{"binaryValue":""#) + PayloadWriter.base64Size(value.count) + 1
            }
        return PayloadWriter.stringSize(attribute.name) + value
            + PayloadWriter.size(of: #","stringListValues":[],"binaryListValues":[],"dataType":"#)
            + PayloadWriter.stringSize(attribute.dataType) + 1
    }

    /// The keys every record has, around the message's values; the queue's part is counted from `recordSuffix`.
    private static let fixedRecordSize =
        PayloadWriter.size(of: #"{"messageId":"#) + PayloadWriter.size(of: #","receiptHandle":"#)
        + PayloadWriter.size(of: #","body":"#) + PayloadWriter.size(of: #","attributes":{"#)
        + PayloadWriter.size(of: #"},"messageAttributes":{"#) + PayloadWriter.size(of: #"},"md5OfMessageAttributes":"#)
        + PayloadWriter.size(of: #","md5OfBody":"#)
}
