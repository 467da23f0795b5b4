import Crypto
import Foundation
import SluiceCore

extension Kinesis {
    /// A shard iterator: where a reader is in one shard, as an opaque string of at most 512 characters
    /// (`reference/wire-protocols.md` §7, GetRecords `ShardIterator`).
    ///
    /// The string is base64 of `version · issued (ms) · stream creation (ms) · shard index · position · region ·
    /// stream name · HMAC-SHA256 (first 16 bytes)`. The MAC makes a changed iterator an InvalidArgumentException;
    /// the key is the engine's, so iterators survive a restart. AWS lets an iterator live 5 minutes.
    public struct ShardIterator: Sendable, Equatable {
        public var region: String
        public var streamName: String
        public var streamCreation: Int64
        public var shardIndex: Int
        /// The position of the next record to read.
        public var position: UInt64
        public var issued: Timestamp

        /// AWS's tolerated delay: 300,000 ms.
        public static let lifetimeMilliseconds: Int64 = 300_000
        static let version: UInt8 = 1
        static let macLength = 16

        public init(
            region: String, streamName: String, streamCreation: Int64, shardIndex: Int, position: UInt64,
            issued: Timestamp
        ) {
            self.region = region
            self.streamName = streamName
            self.streamCreation = streamCreation
            self.shardIndex = shardIndex
            self.position = position
            self.issued = issued
        }

        /// The iterator as a string, signed with `key`.
        public func encoded(key: [UInt8]) -> String {
            var bytes: [UInt8] = [Self.version]
            Self.append(UInt64(bitPattern: issued.millisecondsSinceEpoch), to: &bytes)
            Self.append(UInt64(bitPattern: streamCreation), to: &bytes)
            Self.append(UInt64(shardIndex), to: &bytes)
            Self.append(position, to: &bytes)
            for text in [region, streamName] {
                let utf8 = Array(text.utf8.prefix(255))
                bytes.append(UInt8(utf8.count))
                bytes.append(contentsOf: utf8)
            }
            bytes.append(contentsOf: Self.mac(bytes, key: key))
            return Data(bytes).base64EncodedString()
        }

        /// Reads an iterator back, checking its MAC and its age.
        /// - Throws: InvalidArgumentException `Invalid ShardIterator.` when it is not one of ours or was changed;
        ///   ExpiredIteratorException with AWS's text when it is older than 5 minutes at `now`.
        public init(decoding text: String, key: [UInt8], now: Timestamp) throws(AWSError) {
            guard text.utf8.count <= 512, let data = Data(base64Encoded: text) else {
                throw Errors.invalidShardIterator
            }
            let bytes = [UInt8](data)
            guard bytes.count > 1 + 32 + 2 + Self.macLength, bytes[0] == Self.version else {
                throw Errors.invalidShardIterator
            }
            let body = Array(bytes.dropLast(Self.macLength))
            guard Self.mac(body, key: key).elementsEqual(bytes.suffix(Self.macLength)) else {
                throw Errors.invalidShardIterator
            }
            var offset = 1
            func integer() -> UInt64 {
                defer { offset += 8 }
                return body[offset..<offset + 8].reduce(0) { ($0 << 8) | UInt64($1) }
            }
            func string() throws(AWSError) -> String {
                guard offset < body.count else { throw Errors.invalidShardIterator }
                let count = Int(body[offset])
                guard offset + 1 + count <= body.count else { throw Errors.invalidShardIterator }
                defer { offset += 1 + count }
                return String(decoding: body[offset + 1..<offset + 1 + count], as: UTF8.self)
            }
            let issued = Timestamp(millisecondsSinceEpoch: Int64(bitPattern: integer()))
            let creation = Int64(bitPattern: integer())
            let shardIndex = integer()
            let position = integer()
            let region = try string()
            let name = try string()
            guard offset == body.count, shardIndex <= UInt64(Int.max) else { throw Errors.invalidShardIterator }
            if now.millisecondsSinceEpoch - issued.millisecondsSinceEpoch > Self.lifetimeMilliseconds {
                throw Errors.expiredIterator(
                    "Iterator expired. The iterator was created at time \(Self.awsDate(issued)) while right now it is "
                        + "\(Self.awsDate(now)) which is further in the future than the tolerated delay of "
                        + "\(Self.lifetimeMilliseconds) milliseconds."
                )
            }
            self.init(
                region: region, streamName: name, streamCreation: creation, shardIndex: Int(shardIndex),
                position: position, issued: issued
            )
        }

        private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            }
        }

        private static func mac(_ bytes: [UInt8], key: [UInt8]) -> [UInt8] {
            Array(Array(HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))).prefix(macLength))
        }

        /// `Thu Jan 22 01:22:02 UTC 2015`, the form of AWS's ExpiredIteratorException message.
        static func awsDate(_ time: Timestamp) -> String {
            let millis = time.millisecondsSinceEpoch
            let seconds = Int(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let secondOfDay = seconds - days * 86_400
            let (year, month, day) = civil(fromDays: days)
            let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            let weekday = weekdays[((days % 7) + 7) % 7]
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let clock = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
            return "\(weekday) \(months[month - 1]) \(two(day)) \(clock) UTC \(year)"
        }

        /// The proleptic Gregorian date of a day number (Howard Hinnant's algorithm).
        static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthIndex = (5 * dayOfYear + 2) / 153
            let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
            let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
            return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
        }
    }
}
