import SluiceCore

extension Kinesis {
    /// A Kinesis sequence number: 56 decimal digits, as AWS's are (`4954…`), that Sluice can read back.
    ///
    /// Layout, most significant first: `49` · stream creation time in milliseconds (14 digits) · position (20 digits)
    /// · shard index (12 digits) · `00000000` (8 digits). Positions come from one counter per stream, so numbers rise
    /// strictly within a shard and compare as numbers across the whole stream in append order; the creation time tells
    /// a number of a deleted stream from one of a new stream of the same name (`reference/wire-protocols.md` §7).
    public struct SequenceNumber: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
        /// When the stream was created (milliseconds since the epoch): the same for every number of one stream.
        public var streamCreation: Int64
        /// The record's position in its shard's log (a stream-wide counter).
        public var position: UInt64
        /// The index of the shard (`shardId-000000000007` → 7).
        public var shardIndex: Int

        public static let length = 56
        static let prefix = "49"
        static let creationDigits = 14
        static let positionDigits = 20
        static let shardDigits = 12
        static let suffix = "00000000"

        public init(streamCreation: Int64, position: UInt64, shardIndex: Int) {
            self.streamCreation = streamCreation
            self.position = position
            self.shardIndex = shardIndex
        }

        /// Parses a sequence number Sluice issued; anything else is `nil`.
        public init?(_ text: String) {
            let bytes = Array(text.utf8)
            guard bytes.count == Self.length, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                text.hasPrefix(Self.prefix), text.hasSuffix(Self.suffix)
            else { return nil }
            var offset = Self.prefix.count
            func field(_ width: Int) -> Substring {
                defer { offset += width }
                return Substring(decoding: bytes[offset..<offset + width], as: UTF8.self)
            }
            guard let creation = Int64(field(Self.creationDigits)),
                let position = UInt64(field(Self.positionDigits)),
                let shardIndex = Int(field(Self.shardDigits))
            else { return nil }
            self.init(streamCreation: creation, position: position, shardIndex: shardIndex)
        }

        public var description: String {
            Self.prefix + Self.pad(String(streamCreation), Self.creationDigits)
                + Self.pad(String(position), Self.positionDigits) + Self.pad(String(shardIndex), Self.shardDigits)
                + Self.suffix
        }

        public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool {
            (lhs.streamCreation, lhs.position, lhs.shardIndex) < (rhs.streamCreation, rhs.position, rhs.shardIndex)
        }

        static func pad(_ text: String, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - text.count)) + text
        }

        /// Whether `text` matches the model's `SequenceNumber` pattern `0|([1-9]\d{0,128})`.
        static func matchesPattern(_ text: String) -> Bool {
            let digits = Array(text.utf8)
            guard !digits.isEmpty, digits.count <= 129, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return false
            }
            return digits.count == 1 || digits[0] != 0x30
        }
    }

    /// Shard ids as AWS spells them: `shardId-` and the index in 12 zero-padded digits.
    public enum ShardId {
        public static func string(_ index: Int) -> String {
            "shardId-" + SequenceNumber.pad(String(index), 12)
        }

        /// The index of `shardId-000000000007`; AWS also accepts the bare number or a zero-padded one (`7`, `0007`),
        /// kinesalite after AWS.
        public static func index(_ text: String) -> Int? {
            let digits = text.hasPrefix("shardId-") ? Substring(text.dropFirst(8)) : Substring(text)
            guard !digits.isEmpty, digits.count <= 12, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return nil
            }
            return Int(digits)
        }
    }
}
