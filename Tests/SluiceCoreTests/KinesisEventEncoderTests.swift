import Foundation
import Testing

@testable import SluiceCore

/// `reference/events.md` §1: the Kinesis event, byte for byte, and its size function.
@Suite struct KinesisEventEncoderTests {
    /// The example of `reference/events.md` §1, as printed there.
    static let referenceExample = """
        {"Records":[{
          "kinesis":{
            "kinesisSchemaVersion":"1.0",
            "partitionKey":"test_0",
            "sequenceNumber":"49590338271490256608559692538361571095921575989136588898",
            "data":"aGVsbG8=",
            "approximateArrivalTimestamp":1545084650.987
          },
          "eventSource":"aws:kinesis",
          "eventVersion":"1.0",
          "eventID":"shardId-000000000000:49590338271490256608559692538361571095921575989136588898",
          "eventName":"aws:kinesis:record",
          "invokeIdentityArn":"arn:aws:iam::123456789012:role/lambda-role",
          "awsRegion":"us-east-1",
          "eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s"
        }]}
        """

    static let encoder = KinesisEventEncoder(
        shardId: "shardId-000000000000", streamARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
        awsRegion: "us-east-1", invokeIdentityArn: "arn:aws:iam::123456789012:role/lambda-role"
    )

    static let exampleRecord = StreamRecord(
        sequenceNumber: StreamSequenceNumber("49590338271490256608559692538361571095921575989136588898"),
        partitionKey: "test_0", data: Array("hello".utf8), arrival: Timestamp(millisecondsSinceEpoch: 1_545_084_650_987)
    )

    @Test func encodesTheReferenceExampleByteForByte() {
        let event = Self.encoder.encode([Self.exampleRecord])
        #expect(String(decoding: event, as: UTF8.self) == PayloadFixtures.compactJSON(Self.referenceExample))
    }

    @Test func separatesRecordsWithOneCommaAndNoSpaces() throws {
        var second = Self.exampleRecord
        second.sequenceNumber = StreamSequenceNumber("49590338271490256608559692538361571095921575989136588899")
        let text = String(decoding: Self.encoder.encode([Self.exampleRecord, second]), as: UTF8.self)
        #expect(text.hasPrefix(#"{"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"test_0","#))
        #expect(text.contains(#"stream/s"},{"kinesis":"#))
        #expect(text.hasSuffix(#""eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}]}"#))
        let records = try #require(try PayloadFixtures.parse(Array(text.utf8))["Records"] as? [[String: Any]])
        #expect(
            records.map { $0["eventID"] as? String } == [
                "shardId-000000000000:49590338271490256608559692538361571095921575989136588898",
                "shardId-000000000000:49590338271490256608559692538361571095921575989136588899",
            ])
    }

    @Test func encodesAnEmptyBatchAsAnEmptyRecordsList() {
        #expect(Self.encoder.encode([StreamRecord]()) == Array(#"{"Records":[]}"#.utf8))
        #expect(Self.encoder.envelopeSize() == 14)
        #expect(Self.encoder.eventSize([StreamRecord]()) == 14)
    }

    // MARK: - Escaping

    static let oddPartitionKeys = [
        #"quote " inside"#, #"back\slash"#, #"\"#, #""""#, "slash/kept", "new\nline", "tab\tand\rreturn",
        "\u{08}\u{0C}", "nul\u{0}byte", "\u{1}\u{1F}\u{7F}", "é and e\u{301}", "日本語キー", "emoji 🦀🏳️‍🌈",
        "\u{2028}\u{2029}", "mid\u{FEFF}bom", String(repeating: "k", count: 256),
    ]

    @Test(arguments: oddPartitionKeys)
    func escapesOddPartitionKeysSoTheyParseBackUnchanged(_ partitionKey: String) throws {
        var record = Self.exampleRecord
        record.partitionKey = partitionKey
        let event = Self.encoder.encode([record])
        #expect(event.count == Self.encoder.eventSize([record]))
        let records = try #require(try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])
        let kinesis = try #require(records.first?["kinesis"] as? [String: Any])
        let parsed = try #require(kinesis["partitionKey"] as? String)
        #expect(parsed.unicodeScalars.elementsEqual(partitionKey.unicodeScalars))
        let ours = try JSONValue(parsing: event)["Records"].flatMap { value -> JSONValue? in
            guard case .array(let elements) = value else { return nil }
            return elements.first?["kinesis"]?["partitionKey"]
        }
        #expect(ours == .string(partitionKey))
        let expected = #""partitionKey":"# + JSONValue.quoted(partitionKey) + ","
        #expect(String(decoding: event, as: UTF8.self).contains(expected))
    }

    @Test func escapesControlCharactersTheWayJSONValueDoes() {
        var writer = PayloadWriter(capacity: 0)
        let every = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        writer.writeString(every)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == JSONValue.quoted(every))
        #expect(writer.bytes.count == PayloadWriter.stringSize(every))
        #expect(String(decoding: writer.bytes.prefix(13), as: UTF8.self) == #""\u0000\u0001"#)
    }

    @Test func escapesOddShardIdsInsideEventIDAndOddArnsInTheirOwnStrings() throws {
        let encoder = KinesisEventEncoder(
            shardId: #"shard"\1"#, streamARN: "arn:aws:kinesis:us-east-1:1:stream/s\u{1}", awsRegion: "r\"",
            invokeIdentityArn: #"arn:aws:iam::1:role/path\"x"#
        )
        let event = encoder.encode([Self.exampleRecord])
        #expect(event.count == encoder.eventSize([Self.exampleRecord]))
        let record = try #require((try PayloadFixtures.parse(event)["Records"] as? [[String: Any]])?.first)
        #expect(record["eventID"] as? String == #"shard"\1:"# + Self.exampleRecord.sequenceNumber.text)
        #expect(record["eventSourceARN"] as? String == "arn:aws:kinesis:us-east-1:1:stream/s\u{1}")
        #expect(record["awsRegion"] as? String == "r\"")
        #expect(record["invokeIdentityArn"] as? String == #"arn:aws:iam::1:role/path\"x"#)
    }

    // MARK: - Data and time

    @Test func encodesDataAsPaddedStandardBase64() {
        var generator = PayloadFixtures.SeededGenerator(seed: 7)
        for count in 0..<100 {
            let data = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var writer = PayloadWriter(capacity: 0)
            writer.writeBase64(data)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == Data(data).base64EncodedString())
            #expect(writer.bytes.count == PayloadWriter.base64Size(count))
        }
    }

    @Test(arguments: [
        (1_545_084_650_987, "1545084650.987"), (1_545_084_650_980, "1545084650.98"),
        (1_700_321_084_470, "1700321084.47"), (1_545_084_650_900, "1545084650.9"),
        (1_545_084_650_000, "1545084650.0"), (1_545_084_650_005, "1545084650.005"),
        (1_545_084_650_050, "1545084650.05"), (0, "0.0"), (7, "0.007"), (-1, "-0.001"), (-1_500, "-1.5"),
    ])
    func writesArrivalTimesAsEpochSecondsWithTheShortestMillisecondFraction(milliseconds: Int64, text: String) {
        let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(timestamp.epochSecondsText == text)
        #expect(PayloadWriter.epochSecondsSize(timestamp) == text.utf8.count)
        #expect(Double(text).map { ($0 * 1000).rounded() } == Double(milliseconds))
    }

    @Test func parsesBackToTheRecordsThatWentIn() throws {
        var generator = PayloadFixtures.SeededGenerator(seed: 11)
        let records = (0..<50).map { _ in PayloadFixtures.randomRecord(using: &generator) }
        let event = try PayloadFixtures.parse(Self.encoder.encode(records))
        let parsed = try #require(event["Records"] as? [[String: Any]])
        #expect(parsed.count == records.count)
        for (record, element) in zip(records, parsed) {
            let kinesis = try #require(element["kinesis"] as? [String: Any])
            #expect(kinesis["sequenceNumber"] as? String == record.sequenceNumber.text)
            #expect(Data(base64Encoded: kinesis["data"] as? String ?? "") == Data(record.data))
            let seconds = try #require(kinesis["approximateArrivalTimestamp"] as? Double)
            #expect(Int64((seconds * 1000).rounded()) == record.arrival.millisecondsSinceEpoch)
            #expect(element["eventID"] as? String == "shardId-000000000000:" + record.sequenceNumber.text)
            #expect(element["eventName"] as? String == "aws:kinesis:record")
        }
    }

    // MARK: - Size

    @Test func sizeFunctionEqualsTheEncodedSizeForRandomBatches() {
        var generator = PayloadFixtures.SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let records = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                PayloadFixtures.randomRecord(using: &generator)
            }
            let window: TumblingWindowEvent? =
                Bool.random(using: &generator)
                ? TumblingWindowEvent(
                    start: Timestamp(millisecondsSinceEpoch: 1_607_497_440_000),
                    end: Timestamp(millisecondsSinceEpoch: 1_607_497_560_000),
                    state: ["1": 282, "odd \"key\"": "v\u{1}"], isFinalInvokeForWindow: Bool.random(using: &generator)
                ) : nil
            let event = Self.encoder.encode(records, window: window)
            #expect(event.count == Self.encoder.eventSize(records, window: window))

            var size = KinesisEventEncoder.EventSize(envelope: Self.encoder.envelopeSize(window: window))
            for record in records {
                size.add(recordOfSize: Self.encoder.recordSize(record))
            }
            #expect(size.bytes == event.count)
            #expect(size.recordCount == records.count)
        }
    }

    @Test func eventSizeTellsWhenTheNextRecordWouldPassTheSixMegabyteLimit() {
        let record = StreamRecord(
            sequenceNumber: StreamSequenceNumber(String(repeating: "4", count: 56)), partitionKey: "p",
            data: [UInt8](repeating: 0xAB, count: 1_000_000),
            arrival: Timestamp(millisecondsSinceEpoch: 1_545_084_650_987)
        )
        let recordSize = Self.encoder.recordSize(record)
        var size = KinesisEventEncoder.EventSize(envelope: Self.encoder.envelopeSize())
        var batch: [StreamRecord] = []
        while size.adding(recordOfSize: recordSize) <= KinesisEventEncoder.maximumPayloadSize {
            size.add(recordOfSize: recordSize)
            batch.append(record)
        }
        #expect(batch.count == 4)  // 1,000,000 bytes take 1,333,336 in base64
        #expect(Self.encoder.encode(batch).count == size.bytes)
        #expect(size.bytes <= KinesisEventEncoder.maximumPayloadSize)
        #expect(size.adding(recordOfSize: recordSize) > KinesisEventEncoder.maximumPayloadSize)
    }
}
