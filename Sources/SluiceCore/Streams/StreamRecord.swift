/// A record of one stream shard as a mapping's poller sees it (`reference/events.md` §1; Kinesis now, DynamoDB
/// Streams later): the rule machines of `reference/semantics.md` §1–§5 work on these.
public struct StreamRecord: Sendable, Equatable, Hashable {
    public var sequenceNumber: StreamSequenceNumber
    public var partitionKey: String
    public var data: [UInt8]
    /// When the stream accepted the record (`approximateArrivalTimestamp`), which record age is measured from.
    public var arrival: Timestamp

    public init(sequenceNumber: StreamSequenceNumber, partitionKey: String, data: [UInt8], arrival: Timestamp) {
        self.sequenceNumber = sequenceNumber
        self.partitionKey = partitionKey
        self.data = data
        self.arrival = arrival
    }
}

/// A shard's sequence number: a decimal string (Kinesis: 56 digits), ordered and compared as the number it spells
/// (leading zeros do not count), while ``text`` keeps the string as the source wrote it.
public struct StreamSequenceNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String
    /// `text` without leading zeros, and its FNV-1a hash, made once: the shard machines compare and hash sequence
    /// numbers several times per record, so these must not walk the text each time.
    private let digits: String
    private let digitsHash: UInt64

    public init(_ text: String) {
        self.text = text
        digits = text.utf8.first == UInt8(ascii: "0") ? String(text.drop { $0 == "0" }) : text
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in digits.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        digitsHash = hash
    }

    /// More digits is a larger number; with as many, the ASCII order is the numeric one (a byte comparison).
    public static func < (lhs: StreamSequenceNumber, rhs: StreamSequenceNumber) -> Bool {
        let (left, right) = (lhs.digits.utf8.count, rhs.digits.utf8.count)
        return left != right ? left < right : lhs.digits < rhs.digits
    }

    public static func == (lhs: StreamSequenceNumber, rhs: StreamSequenceNumber) -> Bool {
        lhs.digitsHash == rhs.digitsHash && lhs.digits == rhs.digits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digitsHash)
    }

    public var description: String { text }
}
