import Crypto
import Foundation
import SluiceCore

extension SNS {
    /// One published message on its way to one subscriber.
    public struct Notification: Sendable, Equatable {
        public var messageId: String
        public var sequenceNumber: String?
        public var topicArn: String
        public var subject: String?
        public var message: String
        public var timestamp: Timestamp
        public var subscriptionArn: String
        public var messageAttributes: [String: MessageAttributeValue]
    }

    /// The JSON envelope SNS wraps a notification in for an `sqs` subscriber without raw delivery
    /// (`reference/events.md` §7.5; layout of the SNS developer guide's "Sending Amazon SNS messages to an Amazon
    /// SQS queue": two-space indent, ` : ` separators, attributes one per line in compact JSON).
    public enum Envelope {
        /// The envelope text: `Type`, `MessageId`, (`SequenceNumber` on FIFO topics), `TopicArn`, `Subject` (only
        /// when given), `Message`, `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`,
        /// `UnsubscribeURL` (on `baseURL`), `MessageAttributes` (only when present, sorted by name).
        public static func json(_ notification: Notification, baseURL: String) -> String {
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            let timestamp = iso8601(notification.timestamp)
            var fields: [(String, String)] = [("Type", "Notification"), ("MessageId", notification.messageId)]
            if let sequenceNumber = notification.sequenceNumber { fields.append(("SequenceNumber", sequenceNumber)) }
            fields.append(("TopicArn", notification.topicArn))
            if let subject = notification.subject { fields.append(("Subject", subject)) }
            fields += [
                ("Message", notification.message),
                ("Timestamp", timestamp),
                ("SignatureVersion", "1"),
                ("Signature", signature(notification, timestamp: timestamp)),
                ("SigningCertURL", "\(base)/SimpleNotificationService-\(certificateHash).pem"),
                ("UnsubscribeURL", "\(base)/?Action=Unsubscribe&SubscriptionArn=\(notification.subscriptionArn)"),
            ]
            var lines = fields.map { "  \(quoted($0.0)) : \(quoted($0.1))" }
            if !notification.messageAttributes.isEmpty {
                let attributes = notification.messageAttributes.sorted { $0.key < $1.key }.map { name, value in
                    "    \(quoted(name)) : {\"Type\":\(quoted(value.dataType)),\"Value\":\(quoted(text(of: value)))}"
                }
                lines.append("  \"MessageAttributes\" : {\n" + attributes.joined(separator: ",\n") + "\n  }")
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n}"
        }

        /// `2024-11-25T10:00:00.123Z`.
        public static func iso8601(_ timestamp: Timestamp) -> String {
            timestamp.iso8601Milliseconds
        }

        /// A stable stand-in for the RSA signature: base64 of the SHA-256 of SNS's string to sign.
        static func signature(_ notification: Notification, timestamp: String) -> String {
            var toSign = "Message\n\(notification.message)\nMessageId\n\(notification.messageId)\n"
            if let subject = notification.subject { toSign += "Subject\n\(subject)\n" }
            toSign += "Timestamp\n\(timestamp)\nTopicArn\n\(notification.topicArn)\nType\nNotification\n"
            return Data(SHA256.hash(data: Array(toSign.utf8))).base64EncodedString()
        }

        static let certificateHash = Insecure.MD5.hash(data: Array("sluice".utf8))
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()

        /// The value as it appears in the envelope: the string, or the bytes in base64.
        static func text(of value: MessageAttributeValue) -> String {
            value.stringValue ?? value.binaryValue?.base64EncodedString() ?? ""
        }

        /// A JSON string literal (``JSONValue/quoted(_:)``).
        static func quoted(_ text: String) -> String { JSONValue.quoted(text) }
    }
}
