import Foundation
import SluiceCore

extension SQS {
    /// `MessageAttributeValue` (botocore sqs model): `BinaryValue` is base64 in JSON, which `Data` encodes by default.
    public struct MessageAttributeValue: Sendable, Codable, Equatable {
        public var stringValue: String?
        public var binaryValue: Data?
        public var stringListValues: [String]?
        public var binaryListValues: [Data]?
        public var dataType: String

        public init(dataType: String, stringValue: String? = nil, binaryValue: Data? = nil) {
            self.dataType = dataType
            self.stringValue = stringValue
            self.binaryValue = binaryValue
        }

        public static func string(_ value: String) -> Self { .init(dataType: "String", stringValue: value) }
        public static func number(_ value: String) -> Self { .init(dataType: "Number", stringValue: value) }
        public static func binary(_ value: Data) -> Self { .init(dataType: "Binary", binaryValue: value) }

        enum CodingKeys: String, CodingKey {
            case stringValue = "StringValue"
            case binaryValue = "BinaryValue"
            case stringListValues = "StringListValues"
            case binaryListValues = "BinaryListValues"
            case dataType = "DataType"
        }

        /// The logical type: the part of `DataType` before the first `.` (`Number.float` is a Number).
        var baseType: Substring { dataType.prefix { $0 != "." } }

        /// The bytes this attribute counts toward MaximumMessageSize: name, type and value.
        func size(name: String) -> Int {
            name.utf8.count + dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0)
        }
    }

    /// Message attribute rules of SendMessage (SQS docs "Amazon SQS message attributes"; messages as AWS answers).
    public enum MessageAttributeRules {
        public static let maximumCount = 10
        public static let maximumNameLength = 256

        /// Validates names, data types and values; at most ten attributes.
        public static func validate(_ attributes: [String: MessageAttributeValue]) throws(AWSError) {
            guard attributes.count <= maximumCount else {
                throw .invalidParameterValue(
                    "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(maximumCount)]."
                )
            }
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                try validateName(name)
                try validateValue(value, name: name)
            }
        }

        /// A name: 1–256 of `[A-Za-z0-9_.-]`, no leading or trailing `.`, no `..`, no `AWS.` / `Amazon.` prefix.
        public static func validateName(_ name: String) throws(AWSError) {
            guard !name.isEmpty, name.utf8.count < maximumNameLength else {
                throw .invalidParameterValue("Message (user) attribute names must be shorter than 256 Bytes")
            }
            guard name.unicodeScalars.allSatisfy({ isNameScalar($0) }) else {
                throw .invalidParameterValue(
                    "Message (user) attributes name can only contain upper and lower score characters, digits, "
                        + "periods, hyphens and underscores. "
                )
            }
            let lowercased = name.lowercased()
            guard !lowercased.hasPrefix("aws."), !lowercased.hasPrefix("amazon."), !name.hasPrefix("."),
                !name.hasSuffix("."), !name.contains("..")
            else {
                throw .invalidParameterValue(
                    "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are "
                        + "reserved for internal use. Additionally, they cannot start or end with '.'."
                )
            }
        }

        static func validateValue(_ value: MessageAttributeValue, name: String) throws(AWSError) {
            guard !value.dataType.isEmpty else {
                throw .invalidParameterValue("The message attribute '\(name)' must contain a non-empty attribute type.")
            }
            guard value.dataType.utf8.count < 256 else {
                throw .invalidParameterValue("Message (user) attribute types must be shorter than 256 Bytes")
            }
            switch value.baseType {
            case "String", "Number":
                guard let string = value.stringValue, !string.isEmpty else {
                    // Recorded text.
                    throw .invalidParameterValue(
                        "Message (user) attribute '\(name)' must contain a non-empty value of type "
                            + "'\(value.dataType)'."
                    )
                }
                // Invalid characters in an attribute are InvalidParameterValue (in a body, InvalidMessageContents).
                guard MessageBodyRules.isValidContent(string) else {
                    throw .invalidParameterValue("Message (user) attribute '\(name)' contains invalid characters.")
                }
                if value.baseType == "Number", !isNumber(string) {
                    throw .invalidParameterValue(
                        "Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
            case "Binary":
                guard let binary = value.binaryValue, !binary.isEmpty else {
                    throw .invalidParameterValue(
                        "Message (user) attribute '\(name)' must contain a non-empty value of type "
                            + "'\(value.dataType)'."
                    )
                }
            default:
                throw .invalidParameterValue(
                    "The type of message (user) attribute '\(name)' is invalid. You must use only the following "
                        + "supported type prefixes: Binary, Number, String."
                )
            }
        }

        static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
                || scalar == "."
        }

        /// SQS Numbers: up to 38 digits, a sign and a decimal point, optionally an exponent.
        static func isNumber(_ text: String) -> Bool {
            guard let value = Double(text), value.isFinite else { return false }
            return text.utf8.filter { (48...57).contains($0) }.count <= 38
        }
    }

    /// Body rules of SendMessage (model doc of `MessageBody`).
    public enum MessageBodyRules {
        /// `#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`.
        public static func isValidContent(_ text: String) -> Bool {
            text.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
                default: false
                }
            }
        }

        /// Body and attributes must fit the queue's MaximumMessageSize.
        public static func validate(
            body: String, attributes: [String: MessageAttributeValue], maximumSize: Int
        ) throws(AWSError) {
            guard !body.isEmpty else { throw .missingParameter("MessageBody") }
            guard size(body: body, attributes: attributes) <= maximumSize else {
                throw .invalidParameterValue(
                    "One or more parameters are invalid. Reason: Message must be shorter than \(maximumSize) bytes."
                )
            }
            guard isValidContent(body) else { throw .invalidMessageContents() }
        }

        public static func size(body: String, attributes: [String: MessageAttributeValue]) -> Int {
            body.utf8.count + attributes.reduce(0) { $0 + $1.value.size(name: $1.key) }
        }
    }
}
