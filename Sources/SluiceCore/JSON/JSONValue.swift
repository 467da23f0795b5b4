/// A JSON value (RFC 8259) as the filter engine needs it (`reference/semantics.md` §6.1): numbers keep their
/// literal text, objects keep "last key wins" semantics and strings compare by Unicode scalars, not by Swift's
/// canonical equivalence, so `"é"` and `"e\u0301"` stay different, as they are on AWS.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Equality of JSON texts: strings by Unicode scalars, numbers by literal (`300` ≠ `300.0`), objects ignoring
    /// member order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.number(let left), .number(let right)): left == right
        case (.string(let left), .string(let right)): left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.array(let left), .array(let right)): left == right
        case (.object(let left), .object(let right)): left == right
        default: false
        }
    }

    /// The member `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }
}

/// A JSON number that keeps its literal text (`300`, `300.0` and `3.0e2` are different, §6.1) and its value as a
/// `Double` for numeric ranges (§6.2).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written in the JSON text.
    public let literal: String
    /// The nearest `Double`; literals beyond its range become `±infinity`.
    public let doubleValue: Double

    /// A number from its JSON literal; `nil` unless `literal` is exactly one RFC 8259 number (no spaces).
    public init?(literal: String) {
        var parser = JSONParser(bytes: Array(literal.utf8))
        guard let number = try? parser.parseNumber(), parser.isAtEnd else { return nil }
        self = number
    }

    public init(_ value: Int) {
        self.init(checkedLiteral: String(value))
    }

    /// A number from a finite `Double`, written as Swift prints it (`5.0`, `1e+16`); `nil` for NaN and infinities.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(checkedLiteral: value.description)
    }

    /// For literals the parser has already checked against the RFC 8259 grammar.
    init(checkedLiteral literal: String) {
        self.literal = literal
        self.doubleValue = Double(literal) ?? .nan
    }

    /// Equal when the literals are equal: `300` and `300.0` are different numbers here (§6.1).
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.literal == rhs.literal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(literal)
    }

    public var description: String { literal }
}

/// A JSON object: members in first-appearance order, a repeated key replaces the earlier value ("last one wins",
/// §6.1). Keys compare by Unicode scalars.
public struct JSONObject: Sendable, Equatable {
    private var orderedKeys: [MemberKey] = []
    private var storage: [MemberKey: JSONValue] = [:]

    public init() {}

    /// An object from `members` in order; a later duplicate key replaces the earlier value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        for (key, value) in members {
            self[key] = value
        }
    }

    public var count: Int { orderedKeys.count }
    public var isEmpty: Bool { orderedKeys.isEmpty }
    public var keys: [String] { orderedKeys.map(\.string) }

    /// The members in the order their keys first appeared.
    public var members: [(key: String, value: JSONValue)] {
        orderedKeys.compactMap { key in storage[key].map { (key.string, $0) } }
    }

    /// The value of `key`; setting replaces the value in place, setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get { storage[MemberKey(key)] }
        set {
            let key = MemberKey(key)
            switch (storage[key], newValue) {
            case (nil, let value?):
                orderedKeys.append(key)
                storage[key] = value
            case (_?, let value?):
                storage[key] = value
            case (_?, nil):
                orderedKeys.removeAll { $0 == key }
                storage[key] = nil
            case (nil, nil):
                break
            }
        }
    }

    /// Equal when both hold the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.storage == rhs.storage
    }

    /// A key compared and hashed by Unicode scalars, so canonically equivalent keys stay distinct.
    private struct MemberKey: Hashable, Sendable {
        let string: String

        init(_ string: String) {
            self.string = string
        }

        static func == (lhs: MemberKey, rhs: MemberKey) -> Bool {
            lhs.string.unicodeScalars.elementsEqual(rhs.string.unicodeScalars)
        }

        func hash(into hasher: inout Hasher) {
            for scalar in string.unicodeScalars {
                hasher.combine(scalar.value)
            }
            hasher.combine(0xFFFF_FFFF as UInt32)
        }
    }
}

/// Why a text is not one RFC 8259 JSON value, and where (a UTF-8 byte offset from the start of the input).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unexpectedEndOfInput = "unexpected end of input"
            case unexpectedCharacter = "unexpected character"
            case invalidNumber = "invalid number"
            case invalidEscape = "invalid escape sequence"
            case invalidUnicodeEscape = "invalid \\u escape (lone surrogate)"
            case unescapedControlCharacter = "unescaped control character in string"
            case invalidUTF8 = "invalid UTF-8 in string"
            case trailingCharacters = "characters after the JSON value"
            case nestingTooDeep = "arrays and objects nested too deeply"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        public static let unexpectedEndOfInput = Code(.unexpectedEndOfInput)
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        public static let invalidNumber = Code(.invalidNumber)
        public static let invalidEscape = Code(.invalidEscape)
        /// A `\u` escape that is not hexadecimal or leaves a UTF-16 surrogate unpaired.
        public static let invalidUnicodeEscape = Code(.invalidUnicodeEscape)
        public static let unescapedControlCharacter = Code(.unescapedControlCharacter)
        public static let invalidUTF8 = Code(.invalidUTF8)
        public static let trailingCharacters = Code(.trailingCharacters)
        /// More than `JSONValue.maximumNestingDepth` open arrays and objects.
        public static let nestingTooDeep = Code(.nestingTooDeep)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// UTF-8 byte offset of the problem (for strings with invalid UTF-8: of the opening quote).
    public let offset: Int

    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "\(code) at byte \(offset)" }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Serialization

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text: no insignificant whitespace, members in object order, numbers as their literal, only
    /// `"`, `\` and control characters escaped.
    public var jsonText: String {
        var text = ""
        write(to: &text)
        return text
    }

    public var description: String { jsonText }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let number): text += number.literal
        case .string(let string): Self.writeString(string, to: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(to: &text)
            }
            text += "]"
        case .object(let object):
            text += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(member.key, to: &text)
                text += ":"
                member.value.write(to: &text)
            }
            text += "}"
        }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped; `/` and non-ASCII kept as they are.
    public static func quoted(_ string: String) -> String {
        var text = ""
        writeString(string, to: &text)
        return text
    }

    private static func writeString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
