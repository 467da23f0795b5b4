/// Writes compact JSON text straight into bytes, for the payloads a mapping sends (`reference/events.md` §1, §5, §7).
///
/// Event encoding is on the hot path (thousands of records a second), so payloads are written by hand, key order as
/// AWS sends it, with no intermediate `JSONValue` tree. Every `write…` has a matching `…Size` that counts the same
/// bytes without writing them, so a batcher can add up an event's size before encoding it; encoders reserve that
/// size once and append into it.
///
/// Strings are escaped as ``JSONValue/quoted(_:)`` escapes them, so all of Sluice writes one JSON dialect: `"` and
/// `\` with a backslash; `\b`, `\f`, `\n`, `\r`, `\t` short; other control characters as `\u00xx` (lowercase hex);
/// `/`, DEL and non-ASCII written as they are, in UTF-8.
struct PayloadWriter {
    private(set) var bytes: [UInt8]

    /// - Parameters:
    ///   - capacity: the exact (or a close) final size, reserved once.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Raw bytes

    mutating func write(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func write(_ constant: [UInt8]) {
        bytes.append(contentsOf: constant)
    }

    mutating func write(_ value: Bool) {
        value ? write("true") : write("false")
    }

    static func size(of text: StaticString) -> Int { text.utf8CodeUnitCount }

    static func size(of value: Bool) -> Int { value ? 4 : 5 }

    // MARK: - Strings

    /// A JSON string literal, quotes included.
    mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        writeEscaped(string)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string literal, without quotes: for values built from pieces (`eventID`).
    mutating func writeEscaped(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            guard Self.escapedSize(utf8) != utf8.count else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                appendEscaped(byte)
            }
        }
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): short = byte
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0..<0x20: short = UInt8(ascii: "u")
        default:
            bytes.append(byte)
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(short)
        if short == UInt8(ascii: "u") {
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes of `writeString`: the escaped text plus two quotes.
    static func stringSize(_ string: String) -> Int {
        escapedSize(string) + 2
    }

    /// Bytes of `writeEscaped`.
    static func escapedSize(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { escapedSize($0) }
    }

    private static func escapedSize(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var size = utf8.count
        for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            switch byte {
            case 0x08, 0x09, 0x0A, 0x0C, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "\\"): size += 1
            default: size += 5
            }
        }
        return size
    }

    // MARK: - Base64

    /// Standard alphabet, padded (`reference/events.md` §1, `kinesis.data`), without quotes.
    mutating func writeBase64(_ data: [UInt8]) {
        let start = bytes.count
        let size = Self.base64Size(data.count)
        guard size > 0 else { return }
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBufferPointer { buffer in
            data.withUnsafeBufferPointer { input in
                Self.alphabet.withUnsafeBufferPointer { alphabet in
                    var out = start
                    var index = 0
                    while index + 3 <= input.count {
                        let chunk =
                            UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        buffer[out] = alphabet[Int(chunk >> 18)]
                        buffer[out + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                        buffer[out + 2] = alphabet[Int(chunk >> 6 & 0x3F)]
                        buffer[out + 3] = alphabet[Int(chunk & 0x3F)]
                        index += 3
                        out += 4
                    }
                    let rest = input.count - index
                    guard rest > 0 else { return }
                    let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                    buffer[out] = alphabet[Int(chunk >> 18)]
                    buffer[out + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                    buffer[out + 2] = rest == 2 ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "=")
                    buffer[out + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64Size(_ count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    // MARK: - Numbers and times

    mutating func writeInteger(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    static func integerSize(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var digits = 1
        while magnitude >= 10 {
            magnitude /= 10
            digits += 1
        }
        return value < 0 ? digits + 1 : digits
    }

    /// `1545084650.987`, ``Timestamp/epochSecondsText``: the number form of `approximateArrivalTimestamp`.
    mutating func writeEpochSeconds(_ timestamp: Timestamp) {
        let parts = timestamp.epochSecondsParts
        if parts.negative { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: String(parts.seconds).utf8)
        bytes.append(UInt8(ascii: "."))
        let fraction = parts.milliseconds
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        if fraction % 100 != 0 { bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10)) }
        if fraction % 10 != 0 { bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10)) }
    }

    static func epochSecondsSize(_ timestamp: Timestamp) -> Int {
        let parts = timestamp.epochSecondsParts
        let fractionDigits = parts.milliseconds % 10 != 0 ? 3 : parts.milliseconds % 100 != 0 ? 2 : 1
        var magnitude = parts.seconds
        var digits = 1
        while magnitude >= 10 {
            magnitude /= 10
            digits += 1
        }
        return (parts.negative ? 1 : 0) + digits + 1 + fractionDigits
    }
}
