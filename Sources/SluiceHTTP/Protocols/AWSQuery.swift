import SluiceCore

/// The AWS query protocol's request side: form decoding and readers for the shapes SNS and query-protocol SQS
/// clients send (`reference/wire-protocols.md` §4). The XML response side is in `AWSQuery+XML.swift`.
public enum AWSQuery {
    /// Decodes `application/x-www-form-urlencoded` bytes into name–value pairs, in order: `&` separates pairs, the
    /// first `=` separates name from value, `+` is a space and `%XY` a byte. A `%` not followed by two hex digits is
    /// kept as it is, and bytes that are not UTF-8 become U+FFFD, so decoding never fails.
    /// - Parameter form: a form body or a raw query string (botocore sends spaces as `+` in both).
    public static func decodeForm(_ form: [UInt8]) -> [(name: String, value: String)] {
        form.split(separator: UInt8(ascii: "&")).map { pair in
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = decodeComponent(pair[..<(equals ?? pair.endIndex)])
            let value = equals.map { decodeComponent(pair[pair.index(after: $0)...]) } ?? ""
            return (name, value)
        }
    }

    /// The parameters of a query request: those of the query string, then those of a form body.
    public static func parameters(of request: IncomingRequest) -> Parameters {
        var items = decodeForm(Array((request.rawQuery ?? "").utf8))
        if ServiceRoute.mediaType(request.header("content-type")) == "application/x-www-form-urlencoded" {
            items += decodeForm(request.body)
        }
        return Parameters(items)
    }

    static func decodeComponent(_ bytes: ArraySlice<UInt8>) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension AWSQuery {
    /// Decoded query parameters with readers for §4's shapes. Readers never throw: an absent member reads as `nil` or
    /// empty, and validation stays with the operation (see `required(_:)`).
    public struct Parameters: Sendable {
        public var items: [(name: String, value: String)]

        public init(_ items: [(name: String, value: String)]) {
            self.items = items
        }

        /// A scalar member, `Name=value`; the first one when it repeats.
        public subscript(_ name: String) -> String? {
            items.first { $0.name == name }?.value
        }

        /// A scalar member the operation requires, or AWS's common `MissingParameter` error.
        public func required(_ name: String) throws(AWSError) -> String {
            guard let value = self[name] else { throw AWSQuery.missingParameter(name) }
            return value
        }

        /// The members of a structure, `Parent.Child=value`, with `Parent.` removed from their names.
        public func structure(_ name: String) -> Parameters {
            let prefix = name + "."
            let members = items.compactMap { item in
                item.name.hasPrefix(prefix) ? (String(item.name.dropFirst(prefix.count)), item.value) : nil
            }
            return Parameters(members)
        }

        /// A list of scalars: non-flattened `Name.member.N` (SNS), flattened `Name.N` (SQS `AttributeName.1`).
        public func list(_ name: String, flattened: Bool) -> [String] {
            entries(flattened ? name : name + ".member").compactMap { $0.entry[""] }
        }

        /// A list of structures: `Name.member.N.Child` or, flattened, `Name.N.Child`
        /// (`DeleteMessageBatchRequestEntry.1.Id`).
        public func structures(_ name: String, flattened: Bool) -> [Parameters] {
            entries(flattened ? name : name + ".member").map(\.entry)
        }

        /// A map of scalars: flattened `Name.N.<key>` / `Name.N.<value>` (SQS `Attribute.1.Name`, with
        /// `key: "Name", value: "Value"`) or non-flattened `Name.entry.N.key` / `…value` (SNS `Attributes`).
        /// Entries without a key or a value are left out.
        public func map(
            _ name: String, flattened: Bool, key: String = "key", value: String = "value"
        ) -> [(key: String, value: String)] {
            entries(flattened ? name : name + ".entry").compactMap { _, entry in
                guard let entryKey = entry[key], let entryValue = entry[value] else { return nil }
                return (entryKey, entryValue)
            }
        }

        /// Message attributes, `Name` plus `Value.DataType`, `Value.StringValue`, `Value.BinaryValue` per entry:
        /// SQS flattened `MessageAttribute.N.…`, SNS non-flattened `MessageAttributes.entry.N.…`.
        public func messageAttributes(
            _ name: String, flattened: Bool
        ) -> [(name: String, value: MessageAttributeValue)] {
            entries(flattened ? name : name + ".entry").compactMap { _, entry in
                guard let attributeName = entry["Name"] else { return nil }
                let value = entry.structure("Value")
                return (
                    attributeName,
                    MessageAttributeValue(
                        dataType: value["DataType"], stringValue: value["StringValue"],
                        binaryValue: value["BinaryValue"]
                    )
                )
            }
        }

        /// Members named `prefix.N` or `prefix.N.rest`, grouped by N in numeric order; in each group the rest of the
        /// name is the member name (empty for `prefix.N` itself). Groups whose N is not a number are ignored.
        func entries(_ prefix: String) -> [(index: Int, entry: Parameters)] {
            let dotted = prefix + "."
            var groups: [Int: [(name: String, value: String)]] = [:]
            for item in items where item.name.hasPrefix(dotted) {
                let rest = item.name.dropFirst(dotted.count)
                let number = rest.prefix { $0 != "." }
                guard let index = Int(number) else { continue }
                groups[index, default: []].append((String(rest.dropFirst(number.count + 1)), item.value))
            }
            return groups.sorted { $0.key < $1.key }.map { ($0.key, Parameters($0.value)) }
        }
    }

    /// An SQS or SNS message attribute value as both protocols send it; `binaryValue` stays base64 as sent (the JSON
    /// protocol carries the same members, so this type decodes SQS JSON bodies too).
    public struct MessageAttributeValue: Sendable, Equatable, Codable {
        public var dataType: String?
        public var stringValue: String?
        public var binaryValue: String?

        public init(dataType: String?, stringValue: String? = nil, binaryValue: String? = nil) {
            self.dataType = dataType
            self.stringValue = stringValue
            self.binaryValue = binaryValue
        }

        enum CodingKeys: String, CodingKey {
            case dataType = "DataType"
            case stringValue = "StringValue"
            case binaryValue = "BinaryValue"
        }
    }
}
