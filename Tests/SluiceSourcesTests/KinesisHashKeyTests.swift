import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

@Suite struct KinesisHashKeyTests {
    typealias Range = Kinesis.HashKeyRange
    let top = UInt128.max

    @Test func oneShardCoversTheWholeKeySpace() {
        #expect(Range.evenSplit(count: 1) == [Range(startingHashKey: 0, endingHashKey: top)])
    }

    @Test func twoShardsSplitAtTwoToThe127() {
        let half = UInt128(1) << 127
        #expect(Range.evenSplit(count: 2) == [
            Range(startingHashKey: 0, endingHashKey: half - 1), Range(startingHashKey: half, endingHashKey: top),
        ])
    }

    @Test func threeShardsUseTheFloorWidthAndTheLastEndsAtTheTop() {
        let w = UInt128("113427455640312821154458202477256070485")!
        let ranges = Range.evenSplit(count: 3)
        #expect(ranges.map(\.startingHashKey) == [0, w, 2 * w])
        #expect(ranges.map(\.endingHashKey) == [w - 1, 2 * w - 1, top])
    }

    @Test func rangesRenderAsAWSDecimalStrings() throws {
        let json = try JSONEncoder.sorted.encode(Range.evenSplit(count: 2)[1])
        #expect(String(decoding: json, as: UTF8.self)
            == #"{"EndingHashKey":"340282366920938463463374607431768211455","#
            + #""StartingHashKey":"170141183460469231731687303715884105728"}"#)
    }

    @Test func partitionKeyHashesToTheBigEndianMD5() {
        // md5("a") = 0cc175b9c0f1b6a831c399e269772661
        #expect(Range.hashKey(forPartitionKey: "a") == UInt128("0cc175b9c0f1b6a831c399e269772661", radix: 16))
    }

    @Test func explicitHashKeyParsesDecimal() throws {
        #expect(try Range.explicitHashKey("340282366920938463463374607431768211455") == top)
        #expect(try Range.explicitHashKey("0") == 0)
    }

    @Test func explicitHashKeyOfTwoToThe128IsInvalidArgument() {
        let text = "340282366920938463463374607431768211456"
        #expect(throws: Kinesis.Errors.invalidArgument(
            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + text
        )) { try Range.explicitHashKey(text) }
    }

    @Test func explicitHashKeyWithASignIsInvalidArgument() {
        #expect(throws: AWSError.self) { try Range.explicitHashKey("-1") }
    }

    @Test func hashKeyPatternRejectsLeadingZeros() {
        #expect(Range.matchesPattern("0"))
        #expect(!Range.matchesPattern("01"))
        #expect(!Range.matchesPattern(String(repeating: "9", count: 40)))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }
}
