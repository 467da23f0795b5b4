import Crypto
import SluiceCore

extension Kinesis {
    /// The hash keys a shard owns: a closed range of the 128-bit key space, rendered as AWS renders it (decimal
    /// strings `StartingHashKey` / `EndingHashKey`).
    ///
    /// `reference/wire-protocols.md` §7, "Kinesis shards and routing": CreateStream with N shards splits the space
    /// evenly with `w = floor(2^128 / N)`; shard i covers `[i·w, (i+1)·w − 1]` and the last one ends at
    /// `2^128 − 1`.
    public struct HashKeyRange: Sendable, Equatable, Hashable, Codable {
        public var startingHashKey: UInt128
        public var endingHashKey: UInt128

        public init(startingHashKey: UInt128, endingHashKey: UInt128) {
            self.startingHashKey = startingHashKey
            self.endingHashKey = endingHashKey
        }

        /// The whole key space, `0 … 2^128 − 1`.
        public static let all = HashKeyRange(startingHashKey: 0, endingHashKey: .max)

        public func contains(_ hashKey: UInt128) -> Bool {
            startingHashKey <= hashKey && hashKey <= endingHashKey
        }

        /// The even split of `range` into `count` parts (CreateStream over the whole space, UpdateShardCount).
        /// - Parameters:
        ///   - count: at least 1.
        ///   - range: the space to split; the whole key space unless given.
        public static func evenSplit(count: Int, of range: HashKeyRange = .all) -> [HashKeyRange] {
            precondition(count >= 1, "a stream has at least one shard")
            guard count > 1 else { return [range] }
            let parts = UInt128(count)
            // floor(size / N) where size = end − start + 1 may be 2^128: compute without overflowing.
            let span = range.endingHashKey - range.startingHashKey
            var width = span / parts
            if span % parts == parts - 1 { width += 1 }
            return (0..<count).map { index in
                let start = range.startingHashKey + UInt128(index) * width
                let end = index == count - 1 ? range.endingHashKey : start + width - 1
                return HashKeyRange(startingHashKey: start, endingHashKey: end)
            }
        }

        /// The MD5 of the UTF-8 partition key read as a big-endian unsigned 128-bit integer (Kinesis model docs).
        public static func hashKey(forPartitionKey partitionKey: String) -> UInt128 {
            Insecure.MD5.hash(data: Array(partitionKey.utf8)).reduce(UInt128(0)) { ($0 << 8) | UInt128($1) }
        }

        /// Parses an `ExplicitHashKey`: a decimal in `0 … 2^128 − 1`, else AWS's InvalidArgumentException.
        public static func explicitHashKey(_ text: String) throws(AWSError) -> UInt128 {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt128(text) else {
                throw Errors.invalidArgument(
                    "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
                        + text
                )
            }
            return value
        }

        /// Whether `text` matches the model's `HashKey` pattern `0|([1-9]\d{0,38})`.
        static func matchesPattern(_ text: String) -> Bool {
            let digits = Array(text.utf8)
            guard !digits.isEmpty, digits.count <= 39, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return false
            }
            return digits.count == 1 || digits[0] != 0x30
        }

        enum CodingKeys: String, CodingKey {
            case startingHashKey = "StartingHashKey"
            case endingHashKey = "EndingHashKey"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let start = try container.decode(String.self, forKey: .startingHashKey)
            let end = try container.decode(String.self, forKey: .endingHashKey)
            guard let startingHashKey = UInt128(start), let endingHashKey = UInt128(end) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .startingHashKey, in: container, debugDescription: "hash keys are decimal 128-bit integers"
                )
            }
            self.init(startingHashKey: startingHashKey, endingHashKey: endingHashKey)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(String(startingHashKey), forKey: .startingHashKey)
            try container.encode(String(endingHashKey), forKey: .endingHashKey)
        }
    }
}
