import Foundation
import SluiceSources

/// The XML of the legacy SQS query answers (botocore 1.31 sqs model): flattened `<Attribute><Name/><Value/>`,
/// `<Tag><Key/><Value/>`, `<Message>…</Message>` per message, `<MessageAttribute><Name/><Value>…</Value>`, batch
/// entries by their shape names (`SendMessageBatchResultEntry`, `BatchResultErrorEntry`, …).
extension SQSQueryAPI {
    /// A flattened map in key order.
    static func writeMap(_ map: [String: String], name: String, key: String, into writer: inout XMLWriter) {
        writer.map(
            name, map.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, flattened: true, key: key, value: "Value"
        )
    }

    static func write(_ output: SQS.SendMessageOutput, into writer: inout XMLWriter) {
        writer.element("MD5OfMessageBody", output.md5OfMessageBody)
        if let md5 = output.md5OfMessageAttributes { writer.element("MD5OfMessageAttributes", md5) }
        if let md5 = output.md5OfMessageSystemAttributes { writer.element("MD5OfMessageSystemAttributes", md5) }
        writer.element("MessageId", output.messageId)
        if let sequenceNumber = output.sequenceNumber { writer.element("SequenceNumber", sequenceNumber) }
    }

    static func write(_ output: SQS.BatchOutput<SQS.SendMessageBatchResultEntry>, into writer: inout XMLWriter) {
        for entry in output.successful {
            writer.element("SendMessageBatchResultEntry") { writer in
                writer.element("Id", entry.id)
                writer.element("MessageId", entry.messageId)
                writer.element("MD5OfMessageBody", entry.md5OfMessageBody)
                if let md5 = entry.md5OfMessageAttributes { writer.element("MD5OfMessageAttributes", md5) }
                if let md5 = entry.md5OfMessageSystemAttributes { writer.element("MD5OfMessageSystemAttributes", md5) }
                if let sequenceNumber = entry.sequenceNumber { writer.element("SequenceNumber", sequenceNumber) }
            }
        }
        write(output.failed, into: &writer)
    }

    /// DeleteMessageBatch and ChangeMessageVisibilityBatch: `<entry><Id>…</Id></entry>` per success.
    static func write(_ output: SQS.BatchOutput<SQS.BatchResultEntry>, entry: String, into writer: inout XMLWriter) {
        for success in output.successful {
            writer.element(entry) { $0.element("Id", success.id) }
        }
        write(output.failed, into: &writer)
    }

    static func write(_ failed: [SQS.BatchResultErrorEntry], into writer: inout XMLWriter) {
        for failure in failed {
            writer.element("BatchResultErrorEntry") { writer in
                writer.element("Id", failure.id)
                writer.element("SenderFault", failure.senderFault ? "true" : "false")
                writer.element("Code", AWSJSON.sqsQueryErrorCode(for: failure.code))
                if let message = failure.message { writer.element("Message", message) }
            }
        }
    }

    static func write(_ message: SQS.Message, into writer: inout XMLWriter) {
        writer.element("Message") { writer in
            writer.element("MessageId", message.messageId)
            writer.element("ReceiptHandle", message.receiptHandle)
            writer.element("MD5OfBody", message.md5OfBody)
            writer.element("Body", message.body)
            writeMap(message.attributes ?? [:], name: "Attribute", key: "Name", into: &writer)
            if let md5 = message.md5OfMessageAttributes { writer.element("MD5OfMessageAttributes", md5) }
            for (name, value) in (message.messageAttributes ?? [:]).sorted(by: { $0.key < $1.key }) {
                writer.element("MessageAttribute") { writer in
                    writer.element("Name", name)
                    writer.element("Value") { writer in
                        if let string = value.stringValue { writer.element("StringValue", string) }
                        if let binary = value.binaryValue {
                            writer.element("BinaryValue", binary.base64EncodedString())
                        }
                        writer.element("DataType", value.dataType)
                    }
                }
            }
        }
    }
}
