import Foundation
import SluiceCore

/// The embedded SNS: topics, `sqs` subscriptions and publishing into the embedded SQS, as the query protocol's
/// operations with typed inputs and outputs (member names of botocore's sns model; `reference/wire-protocols.md`
/// §4, §7; issue 3 item 4). ``SNSEngine`` is the actor that keeps them.
public enum SNS {}

extension SNS {
    /// `MessageAttributeValue` of Publish: `binaryValue` holds the decoded bytes (base64 on the wire).
    public struct MessageAttributeValue: Sendable, Codable, Equatable {
        public var dataType: String
        public var stringValue: String?
        public var binaryValue: Data?

        public init(dataType: String, stringValue: String? = nil, binaryValue: Data? = nil) {
            self.dataType = dataType
            self.stringValue = stringValue
            self.binaryValue = binaryValue
        }

        public static func string(_ value: String) -> Self { .init(dataType: "String", stringValue: value) }
        public static func number(_ value: String) -> Self { .init(dataType: "Number", stringValue: value) }
    }

    /// A resource tag (`Tag`: `Key` 1–128, `Value` 0–256 characters).
    public struct Tag: Sendable, Codable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A topic's or a subscription's address parts, read from its ARN:
    /// `arn:aws:sns:<region>:<account>:<topic>` and `…:<topic>:<subscription id>`.
    public struct ResourceName: Sendable, Equatable {
        public var region: String
        public var account: String
        public var topic: String
        public var subscriptionID: String?

        /// `nil` unless `text` is an SNS topic ARN (or, with `subscription`, a subscription ARN).
        public init?(arn text: String, subscription: Bool = false) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == (subscription ? 7 : 6), parts[0] == "arn", !parts[1].isEmpty, parts[2] == "sns",
                !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
            else { return nil }
            region = parts[3]
            account = parts[4]
            topic = parts[5]
            subscriptionID = subscription ? parts[6] : nil
            if subscription, parts[6].isEmpty { return nil }
        }
    }
}
