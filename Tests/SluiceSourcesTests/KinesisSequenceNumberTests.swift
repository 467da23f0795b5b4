import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

@Suite struct KinesisSequenceNumberTests {
    typealias Sequence = Kinesis.SequenceNumber
    let sample = Sequence(streamCreation: 1_732_530_000_123, position: 42, shardIndex: 7)

    @Test func rendersFiftySixDigits() {
        #expect(sample.description == "49" + "01732530000123" + "00000000000000000042" + "000000000007" + "00000000")
        #expect(sample.description.count == 56)
    }

    @Test func parsesBackToShardAndPosition() {
        #expect(Sequence(sample.description) == sample)
    }

    @Test func laterPositionsCompareGreaterAsNumbers() {
        let later = Sequence(streamCreation: sample.streamCreation, position: 43, shardIndex: 0)
        #expect(later.description > sample.description)
        #expect(later > sample)
    }

    @Test func rejectsTheWrongLength() { #expect(Sequence("4901732530000123") == nil) }
    @Test func rejectsNonDigits() { #expect(Sequence(String(sample.description.dropLast()) + "x") == nil) }
    @Test func rejectsAForeignPrefix() { #expect(Sequence("5" + sample.description.dropFirst()) == nil) }
    @Test func rejectsANonZeroSuffix() { #expect(Sequence(sample.description.dropLast() + "1") == nil) }

    @Test func shardIdsAreTwelveDigits() { #expect(Kinesis.ShardId.string(3) == "shardId-000000000003") }
    @Test func shardIdIndexAcceptsTheLongAndShortForms() {
        #expect(Kinesis.ShardId.index("shardId-000000000003") == 3)
        #expect(Kinesis.ShardId.index("3") == 3)
        #expect(Kinesis.ShardId.index("shard-3") == nil)
    }
}

@Suite struct KinesisShardIteratorTests {
    let key = Array("k".utf8)
    let issued = Timestamp(millisecondsSinceEpoch: 1_421_889_722_000)  // Thu Jan 22 01:22:02 UTC 2015
    var iterator: Kinesis.ShardIterator {
        Kinesis.ShardIterator(region: "us-east-1", streamName: String(repeating: "n", count: 128),
                              streamCreation: 1, shardIndex: 3, position: 99, issued: issued)
    }

    @Test func roundTripsWithinFiveMinutes() throws {
        let text = iterator.encoded(key: key)
        let now = Timestamp(millisecondsSinceEpoch: issued.millisecondsSinceEpoch + 300_000)
        #expect(try Kinesis.ShardIterator(decoding: text, key: key, now: now) == iterator)
    }

    @Test func staysWithin512CharactersForTheLongestName() {
        #expect(iterator.encoded(key: key).count <= 512)
    }

    @Test func expiresAfterFiveMinutesWithAWSText() {
        let now = Timestamp(millisecondsSinceEpoch: issued.millisecondsSinceEpoch + 301_000)
        #expect(throws: Kinesis.Errors.expiredIterator(
            "Iterator expired. The iterator was created at time Thu Jan 22 01:22:02 UTC 2015 while right now it is "
                + "Thu Jan 22 01:27:03 UTC 2015 which is further in the future than the tolerated delay of 300000 "
                + "milliseconds."
        )) { try Kinesis.ShardIterator(decoding: iterator.encoded(key: key), key: key, now: now) }
    }

    @Test func aTamperedIteratorIsInvalid() {
        var bytes = Array(Data(base64Encoded: iterator.encoded(key: key))!)
        bytes[20] ^= 1
        let text = Data(bytes).base64EncodedString()
        #expect(throws: Kinesis.Errors.invalidShardIterator) {
            try Kinesis.ShardIterator(decoding: text, key: key, now: issued)
        }
    }

    @Test func anotherKeysIteratorIsInvalid() {
        #expect(throws: Kinesis.Errors.invalidShardIterator) {
            try Kinesis.ShardIterator(decoding: iterator.encoded(key: [1]), key: key, now: issued)
        }
    }

    @Test func garbageIsInvalid() {
        #expect(throws: Kinesis.Errors.invalidShardIterator) {
            try Kinesis.ShardIterator(decoding: "not an iterator", key: key, now: issued)
        }
    }
}
