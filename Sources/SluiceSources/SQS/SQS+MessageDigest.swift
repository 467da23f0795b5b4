import Crypto
import Foundation

extension SQS {
    /// The digests SQS returns beside a message: `MD5OfMessageBody` and `MD5OfMessageAttributes`
    /// (`reference/wire-protocols.md` §7, SQS docs "Calculating the MD5 message digest for message attributes").
    public enum MessageDigest {
        /// Hex MD5 of the UTF-8 body.
        public static func md5OfBody(_ body: String) -> String {
            hex(Insecure.MD5.hash(data: Array(body.utf8)))
        }

        /// Hex MD5 of the attributes sorted by name, each as name, DataType, transport byte and value, every
        /// part a 4-byte big-endian length and its bytes; `nil` without attributes (the field is then absent).
        ///
        /// Transport bytes: `1` String / Number (and custom `.suffix` types), value = StringValue; `2` Binary,
        /// value = the raw bytes; `3` / `4` for the (reserved) string and binary lists, each element length-prefixed,
        /// as the AWS SDKs verify them.
        public static func md5OfAttributes(_ attributes: [String: MessageAttributeValue]) -> String? {
            guard !attributes.isEmpty else { return nil }
            var buffer: [UInt8] = []
            for name in attributes.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let value = attributes[name]!
                appendField(Array(name.utf8), to: &buffer)
                appendField(Array(value.dataType.utf8), to: &buffer)
                if let string = value.stringValue {
                    buffer.append(1)
                    appendField(Array(string.utf8), to: &buffer)
                } else if let binary = value.binaryValue {
                    buffer.append(2)
                    appendField(Array(binary), to: &buffer)
                } else if let strings = value.stringListValues, !strings.isEmpty {
                    buffer.append(3)
                    for string in strings { appendField(Array(string.utf8), to: &buffer) }
                } else if let binaries = value.binaryListValues, !binaries.isEmpty {
                    buffer.append(4)
                    for binary in binaries { appendField(Array(binary), to: &buffer) }
                }
            }
            return hex(Insecure.MD5.hash(data: buffer))
        }

        /// Hex SHA-256 of the UTF-8 body: the deduplication id of a content-based-deduplication FIFO queue.
        public static func sha256OfBody(_ body: String) -> String {
            hex(SHA256.hash(data: Array(body.utf8)))
        }

        private static func appendField(_ bytes: [UInt8], to buffer: inout [UInt8]) {
            let count = UInt32(bytes.count)
            buffer.append(contentsOf: [
                UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF),
                UInt8(count & 0xFF),
            ])
            buffer.append(contentsOf: bytes)
        }

        private static func hex(_ digest: some Sequence<UInt8>) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            for byte in digest {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
