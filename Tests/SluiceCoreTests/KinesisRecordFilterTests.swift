import Testing

@testable import SluiceCore

/// `reference/semantics.md` §6.3: what a Kinesis mapping's filters see of a record, and which records they keep.
@Suite struct KinesisRecordFilterTests {
    static func record(_ data: String, partitionKey: String = "1", sequence: String = "49590338271490256608")
        -> StreamRecord
    {
        record(bytes: Array(data.utf8), partitionKey: partitionKey, sequence: sequence)
    }

    static func record(bytes: [UInt8], partitionKey: String = "1", sequence: String = "49590338271490256608")
        -> StreamRecord
    {
        StreamRecord(
            sequenceNumber: StreamSequenceNumber(sequence), partitionKey: partitionKey, data: bytes,
            arrival: Timestamp(millisecondsSinceEpoch: 1_545_084_650_987)
        )
    }

    private func keeps(_ patterns: [String], _ record: StreamRecord) throws -> Bool {
        let criteria = FilterCriteria(filters: patterns.map { FilterCriteria.Filter(pattern: $0) })
        return try KinesisRecordFilter(criteria).matches(record)
    }

    // MARK: - The document

    @Test func matchesAgainstTheKinesisRecordWithDecodedData() throws {
        let document = KinesisRecordFilter.Document(Self.record(#"{"RecordNumber":"0001","n":[1,2]}"#))
        let expected = try JSONValue(
            parsing: #"{"kinesisSchemaVersion":"1.0","partitionKey":"1","sequenceNumber":"49590338271490256608","#
                + #""approximateArrivalTimestamp":1545084650.987,"data":{"RecordNumber":"0001","n":[1,2]}}"#
        )
        #expect(document.value == expected)
        #expect(document.data == ["RecordNumber": "0001", "n": [1, 2]])
    }

    @Test(arguments: [
        [UInt8]("hello".utf8), [UInt8](), [UInt8](" ".utf8), [UInt8]("{\"a\":".utf8), [0xFF, 0xFE],
        [UInt8]("\"\u{FF}\"".utf8).map { $0 == 0xC3 ? 0xC0 : $0 }, [UInt8]("{} {}".utf8),
    ])
    func leavesDataOutOfTheDocumentWhenItIsNotJSON(_ data: [UInt8]) {
        let document = KinesisRecordFilter.Document(Self.record(bytes: data))
        #expect(document.data == nil)
        #expect(document.value["data"] == nil)
        #expect(document.value["partitionKey"] == "1")
    }

    // MARK: - Matching

    @Test func keepsRecordsWhoseJSONDataMatches() throws {
        let pattern = #"{"data":{"event_type":["function_1"]}}"#
        #expect(try keeps([pattern], Self.record(#"{"event_type":"function_1","message":"foo"}"#)))
        #expect(try !keeps([pattern], Self.record(#"{"event_type":"function_2","message":"foo"}"#)))
        #expect(try !keeps([pattern], Self.record(#"{"message":"foo"}"#)))
        #expect(try keeps([pattern], Self.record(#"[{"event_type":"function_2"},{"event_type":"function_1"}]"#)))
        #expect(try keeps([#"{"data":{"n":[{"numeric":[">",10]}]}}"#], Self.record(#"{"n":11.5}"#)))
        #expect(try !keeps([#"{"data":{"n":[{"numeric":[">",10]}]}}"#], Self.record(#"{"n":"11.5"}"#)))
    }

    @Test func filtersOnTheRecordsMetadata() throws {
        #expect(try keeps([#"{"partitionKey":["1"]}"#], Self.record("{}")))
        #expect(try !keeps([#"{"partitionKey":["2"]}"#], Self.record("{}")))
        #expect(try keeps([#"{"sequenceNumber":[{"prefix":"4959"}]}"#], Self.record("{}")))
        #expect(try keeps([#"{"kinesisSchemaVersion":["1.0"]}"#], Self.record("{}")))
        #expect(try keeps([#"{"approximateArrivalTimestamp":[{"numeric":[">=",1545084650.987]}]}"#], Self.record("")))
        #expect(try !keeps([#"{"approximateArrivalTimestamp":[{"numeric":["<",1545084650]}]}"#], Self.record("")))
        #expect(try keeps([#"{"partitionKey":["1"],"data":{"a":[1]}}"#], Self.record(#"{"a":1}"#)))
        #expect(try !keeps([#"{"partitionKey":["2"],"data":{"a":[1]}}"#], Self.record(#"{"a":1}"#)))
    }

    @Test func doesNotFilterOnKeysLambdaAddsAroundTheRecord() throws {
        for key in ["eventSource", "eventVersion", "eventID", "eventName", "invokeIdentityArn", "awsRegion"] {
            #expect(try !keeps(["{\"\(key)\":[{\"exists\":true}]}"], Self.record("{}")), "\(key)")
        }
        #expect(try !keeps([#"{"eventSourceARN":[{"prefix":"arn:"}]}"#], Self.record("{}")))
        #expect(try !keeps([#"{"kinesis":{"partitionKey":["1"]}}"#], Self.record("{}")))
    }

    @Test func dropsNonJSONDataForEveryPatternThatNamesData() throws {
        let text = Self.record("plain text, not JSON")
        #expect(try !keeps([#"{"data":{"a":["1"]}}"#], text))
        #expect(try !keeps([#"{"data":{"a":[{"exists":false}]}}"#], text))
        #expect(try !keeps([#"{"data":[{"exists":false}]}"#], text))
        #expect(try !keeps([#"{"data":["plain text, not JSON"]}"#], text))
        #expect(try !keeps([#"{"partitionKey":["1"],"data":{"a":[{"exists":false}]}}"#], text))
        #expect(try keeps([#"{"data":{"a":[{"exists":false}]}}"#], Self.record("{}")))
    }

    @Test func stillAppliesMetadataPatternsToNonJSONData() throws {
        let text = Self.record("plain text, not JSON")
        #expect(try keeps([#"{"partitionKey":["1"]}"#], text))
        #expect(try !keeps([#"{"partitionKey":["2"]}"#], text))
        #expect(try keeps([#"{"data":{"a":["1"]}}"#, #"{"partitionKey":["1"]}"#], text))
        #expect(try keeps([#"{"$or":[{"data":{"a":["1"]}},{"partitionKey":["1"]}]}"#], text))
        #expect(try !keeps([#"{"$or":[{"data":{"a":["1"]}},{"partitionKey":["2"]}]}"#], text))
        #expect(try !keeps([#"{"partitionKey":["1"],"$or":[{"data":{"a":["1"]}},{"data":{"b":["1"]}}]}"#], text))
    }

    @Test func matchesJSONScalarDataAsItsValue() throws {
        #expect(try keeps([#"{"data":["hello"]}"#], Self.record(#""hello""#)))
        #expect(try keeps([#"{"data":[{"numeric":["=",42]}]}"#], Self.record("42")))
        #expect(try !keeps([#"{"data":{"a":["1"]}}"#], Self.record("42")))
    }

    @Test func keepsARecordMatchingAnyOfFiveFilters() throws {
        let patterns = (1...5).map { #"{"data":{"kind":["k\#($0)"]}}"# }
        #expect(try keeps(patterns, Self.record(#"{"kind":"k5"}"#)))
        #expect(try keeps(patterns, Self.record(#"{"kind":"k1"}"#)))
        #expect(try !keeps(patterns, Self.record(#"{"kind":"k6"}"#)))
    }

    @Test func keepsEveryRecordWithoutFilters() throws {
        #expect(try keeps([], Self.record("not json")))
        #expect(try KinesisRecordFilter(nil).matches(Self.record("{}")))
        #expect(KinesisRecordFilter([]).patterns.isEmpty)
    }

    @Test func rejectsCriteriaThatAreNotValidPatterns() {
        #expect(throws: FilterPatternError.self) {
            try KinesisRecordFilter(FilterCriteria(filters: [.init(pattern: #"{"data":"x"}"#)]))
        }
    }
}
