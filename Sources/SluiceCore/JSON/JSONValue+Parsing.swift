extension JSONValue {
    /// Arrays and objects may nest this deep; deeper input is rejected so hostile input cannot exhaust the stack.
    public static let maximumNestingDepth = 128

    /// Parses exactly one JSON value (RFC 8259), optionally surrounded by whitespace.
    ///
    /// - Parameters:
    ///   - text: the JSON text.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Parses exactly one JSON value (RFC 8259) from UTF-8 bytes, optionally surrounded by whitespace.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text; invalid UTF-8 inside strings is rejected, not repaired.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }
}

/// A strict recursive-descent RFC 8259 parser over UTF-8 bytes; recursion is bounded by `maximumNestingDepth`.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard isAtEnd else { throw JSONParseError(code: .trailingCharacters, offset: index) }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw unexpected() }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try parseKeyword("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseKeyword("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseKeyword("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected()
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var object = JSONObject()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            return leaveContainer(.object(object))
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            try consume(UInt8(ascii: ":"))
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                return leaveContainer(.object(object))
            }
            try consume(UInt8(ascii: ","))
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            return leaveContainer(.array(elements))
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                return leaveContainer(.array(elements))
            }
            try consume(UInt8(ascii: ","))
        }
    }

    /// Steps over `{` or `[`, counting depth.
    private mutating func enterContainer() throws(JSONParseError) {
        guard depth < JSONValue.maximumNestingDepth else {
            throw JSONParseError(code: .nestingTooDeep, offset: index)
        }
        depth += 1
        index += 1
    }

    /// Steps over `}` or `]`.
    private mutating func leaveContainer(_ value: JSONValue) -> JSONValue {
        depth -= 1
        index += 1
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw invalidNumber() }
        index += 1
        if first == UInt8(ascii: "0") {
            if let next = current, Self.isDigit(next) { throw invalidNumber() }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            index += 1
            try requireDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try requireDigits()
        }
        return JSONNumber(checkedLiteral: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func requireDigits() throws(JSONParseError) {
        guard let digit = current, Self.isDigit(digit) else { throw invalidNumber() }
        skipDigits()
    }

    private mutating func skipDigits() {
        while let digit = current, Self.isDigit(digit) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(code: .invalidUTF8, offset: start)
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw JSONParseError(code: .unescapedControlCharacter, offset: index)
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw JSONParseError(code: .unexpectedEndOfInput, offset: index)
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard let letter = current else { throw JSONParseError(code: .unexpectedEndOfInput, offset: index) }
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape(start: start)
            buffer.append(contentsOf: scalar.utf8)
        default:
            throw JSONParseError(code: .invalidEscape, offset: start)
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate a second `\uXXXX` low surrogate.
    private mutating func parseUnicodeEscape(start: Int) throws(JSONParseError) -> Unicode.Scalar {
        let invalid = JSONParseError(code: .invalidUnicodeEscape, offset: start)
        let first = try parseHex4(orThrow: invalid)
        var value = first
        if (0xD800...0xDBFF).contains(first) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw invalid
            }
            index += 2
            let second = try parseHex4(orThrow: invalid)
            guard (0xDC00...0xDFFF).contains(second) else { throw invalid }
            value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw invalid }
        return scalar
    }

    private mutating func parseHex4(orThrow error: JSONParseError) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw error }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseKeyword(_ keyword: String) throws(JSONParseError) {
        for expected in keyword.utf8 {
            guard current == expected else { throw unexpected() }
            index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) throws(JSONParseError) {
        guard current == byte else { throw unexpected() }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            index += 1
        }
    }

    private func invalidNumber() -> JSONParseError {
        JSONParseError(code: .invalidNumber, offset: index)
    }

    private func unexpected() -> JSONParseError {
        JSONParseError(code: isAtEnd ? .unexpectedEndOfInput : .unexpectedCharacter, offset: index)
    }
}
