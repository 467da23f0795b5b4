import SluiceCore

extension SNS {
    /// What Publish and PublishBatch accept (SNS API reference of Publish; texts as AWS answers).
    public enum PublishRules {
        /// Message, subject and attributes together (256 KiB).
        public static let maximumMessageBytes = 262_144
        public static let maximumSubjectLength = 100
        public static let batchLimit = 10
        static let maximumBatchIdLength = 80

        /// The checks of one message against its topic; returns the message per protocol key when
        /// `MessageStructure` is `json` (`default` required), else `nil`.
        static func validate(
            message: String, subject: String?, structure: String?, attributes: [String: MessageAttributeValue],
            groupId: String?, deduplicationId: String?, topic: TopicRecord
        ) throws(AWSError) -> [String: String]? {
            guard !message.isEmpty else { throw .snsInvalidParameter("Empty message") }
            if let subject { try validateSubject(subject) }
            try validateAttributes(attributes)
            var size = message.utf8.count + (subject?.utf8.count ?? 0)
            for (name, value) in attributes { size += name.utf8.count + Self.size(of: value) }
            guard size <= maximumMessageBytes else { throw .snsInvalidParameter("Invalid parameter: Message too long") }
            if topic.isFifo {
                guard groupId != nil else {
                    throw .snsInvalidParameter(
                        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
                }
                guard deduplicationId != nil || topic.contentBasedDeduplication else {
                    throw .snsInvalidParameter(
                        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
                            + "MessageDeduplicationId provided explicitly"
                    )
                }
            } else {
                if deduplicationId != nil { throw notForTopicType("MessageDeduplicationId") }
                if groupId != nil { throw notForTopicType("MessageGroupId") }
            }
            guard let structure else { return nil }
            guard structure == "json" else {
                throw .snsInvalidParameter("Invalid parameter: MessageStructure")
            }
            return try messagesByProtocol(message)
        }

        /// 1–100 printable ASCII characters, no line breaks, not starting with a space.
        static func validateSubject(_ subject: String) throws(AWSError) {
            let valid =
                !subject.isEmpty && subject.count <= maximumSubjectLength && !subject.hasPrefix(" ")
                && subject.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }
            guard valid else { throw .snsInvalidParameter("Invalid parameter: Subject") }
        }

        /// `MessageStructure=json`: a JSON object of strings with a `default` entry.
        static func messagesByProtocol(_ message: String) throws(AWSError) -> [String: String] {
            guard let parsed = try? JSONValue(parsing: message), let object = parsed.objectValue else {
                throw .snsInvalidParameter("Invalid parameter: Message Structure - No JSON message body is parseable")
            }
            var messages: [String: String] = [:]
            for key in ["default", "sqs"] {
                if let value = object[key]?.stringValue { messages[key] = value }
            }
            guard messages["default"] != nil else {
                throw .snsInvalidParameter(
                    "Invalid parameter: Message Structure - No default entry in JSON message body")
            }
            return messages
        }

        /// Data types `String`, `String.Array`, `Number`, `Binary` (custom `.suffix`es allowed), each with a value.
        static func validateAttributes(_ attributes: [String: MessageAttributeValue]) throws(AWSError) {
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                guard !name.isEmpty, name.utf8.count <= 256 else {
                    throw .snsInvalidParameter("Invalid parameter: MessageAttributes")
                }
                let base = value.dataType.prefix { $0 != "." }
                switch base {
                case "String", "Number":
                    guard let string = value.stringValue, !string.isEmpty else { throw missingValue(name, value) }
                    if base == "Number", Double(string) == nil {
                        throw .snsParameterValueInvalid(
                            "Could not cast message attribute '\(name)' value to number."
                        )
                    }
                    if value.dataType == "String.Array", !isJSONArray(string) {
                        throw .snsParameterValueInvalid(
                            "The message attribute '\(name)' has an invalid message attribute value of type "
                                + "'String.Array'."
                        )
                    }
                case "Binary":
                    guard let binary = value.binaryValue, !binary.isEmpty else { throw missingValue(name, value) }
                default:
                    throw .snsParameterValueInvalid(
                        "The message attribute '\(name)' has an invalid message attribute type, the set of supported "
                            + "type prefixes is Binary, Number, and String."
                    )
                }
            }
        }

        /// Batch entry ids: 1–80 of `[A-Za-z0-9_-]`.
        static func isValidBatchId(_ id: String) -> Bool {
            !id.isEmpty && id.count <= maximumBatchIdLength
                && id.unicodeScalars.allSatisfy { TopicRules.isNameScalar($0) }
        }

        static func isJSONArray(_ text: String) -> Bool {
            guard case .array? = try? JSONValue(parsing: text) else { return false }
            return true
        }

        static func size(of value: MessageAttributeValue) -> Int {
            value.dataType.utf8.count + (value.stringValue?.utf8.count ?? 0) + (value.binaryValue?.count ?? 0)
        }

        static func missingValue(_ name: String, _ value: MessageAttributeValue) -> AWSError {
            .snsParameterValueInvalid(
                "The message attribute '\(name)' must contain non-empty message attribute value for message "
                    + "attribute type '\(value.dataType)'."
            )
        }

        static func notForTopicType(_ member: String) -> AWSError {
            .snsInvalidParameter(
                "Invalid parameter: \(member) Reason: The request includes \(member) parameter that is not valid "
                    + "for this topic type"
            )
        }
    }
}
