import Foundation
import Testing

@testable import SluiceCore

/// `reference/events.md` §7.1 and §7.5: the on-failure invocation record of a stream mapping.
@Suite struct StreamFailureRecordTests {
    /// The example of `reference/events.md` §7.1, as printed there.
    static let referenceExample = """
        {
          "requestContext":{
            "requestId":"c9b8fa9f-5a7f-4c4e-af9c-0c604cde93a5",
            "functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f",
            "condition":"RetryAttemptsExhausted",
            "approximateInvokeCount":2
          },
          "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
          "version":"1.0",
          "timestamp":"2019-11-14T00:38:06.021Z",
          "KinesisBatchInfo":{
            "shardId":"shardId-000000000001",
            "startSequenceNumber":"4960...4722",
            "endSequenceNumber":"4960...5186",
            "approximateArrivalOfFirstRecord":"2019-11-14T00:38:04.835Z",
            "approximateArrivalOfLastRecord":"2019-11-14T00:38:05.580Z",
            "batchSize":500,
            "streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"
          }
        }
        """

    static let batchInfo = StreamFailureRecord.BatchInfo(
        shardId: "shardId-000000000001", startSequenceNumber: StreamSequenceNumber("4960...4722"),
        endSequenceNumber: StreamSequenceNumber("4960...5186"),
        approximateArrivalOfFirstRecord: Timestamp(millisecondsSinceEpoch: 1_573_691_884_835),
        approximateArrivalOfLastRecord: Timestamp(millisecondsSinceEpoch: 1_573_691_885_580), batchSize: 500,
        streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    )

    static func record(_ condition: StreamFailureRecord.Condition, invokeCount: Int = 2) -> StreamFailureRecord {
        StreamFailureRecord(
            requestId: "c9b8fa9f-5a7f-4c4e-af9c-0c604cde93a5",
            functionArn: "arn:aws:lambda:us-east-1:123456789012:function:f", condition: condition,
            approximateInvokeCount: invokeCount, timestamp: Timestamp(millisecondsSinceEpoch: 1_573_691_886_021),
            batchInfo: batchInfo
        )
    }

    static let unhandled = StreamFailureRecord.ResponseContext(executedVersion: "$LATEST", functionError: "Unhandled")

    @Test func writesRetryAttemptsExhaustedAsTheReferenceExampleByteForByte() {
        let record = Self.record(.retryAttemptsExhausted(Self.unhandled))
        #expect(record.messageBody == PayloadFixtures.compactJSON(Self.referenceExample))
        #expect(record.json == Array(record.messageBody.utf8))
    }

    @Test func omitsResponseContextForRecordAgeExceeded() throws {
        let record = Self.record(.recordAgeExceeded, invokeCount: 1)
        let expected = PayloadFixtures.compactJSON(
            """
            {"requestContext":{"requestId":"c9b8fa9f-5a7f-4c4e-af9c-0c604cde93a5",
              "functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f",
              "condition":"RecordAgeExceeded","approximateInvokeCount":1},
             "version":"1.0","timestamp":"2019-11-14T00:38:06.021Z",
             "KinesisBatchInfo":{"shardId":"shardId-000000000001","startSequenceNumber":"4960...4722",
              "endSequenceNumber":"4960...5186","approximateArrivalOfFirstRecord":"2019-11-14T00:38:04.835Z",
              "approximateArrivalOfLastRecord":"2019-11-14T00:38:05.580Z","batchSize":500,
              "streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}}
            """
        )
        #expect(record.messageBody == expected)
        #expect(try PayloadFixtures.parse(record.json)["responseContext"] == nil)
        #expect(Self.record(.recordAgeExceeded, invokeCount: 8).messageBody.contains(#""approximateInvokeCount":8}"#))
    }

    @Test func writesANullFunctionErrorWhenTheBatchFailedThroughItsResponse() throws {
        let response = StreamFailureRecord.ResponseContext(executedVersion: "1", functionError: nil)
        let record = Self.record(.retryAttemptsExhausted(response), invokeCount: 4)
        #expect(
            record.messageBody.contains(
                #""approximateInvokeCount":4},"responseContext":{"statusCode":200,"executedVersion":"1","#
                    + #""functionError":null},"version":"1.0","#
            )
        )
        let context = try #require(try PayloadFixtures.parse(record.json)["responseContext"] as? [String: Any])
        #expect(context["functionError"] is NSNull)
        #expect(context["statusCode"] as? Int == 200)
    }

    @Test func namesDynamoDBBatchInfoAndWritesItsArrivalsToTheSecond() {
        var record = Self.record(.retryAttemptsExhausted(Self.unhandled))
        record.source = .dynamoDBStreams
        record.batchInfo.approximateArrivalOfFirstRecord = Timestamp(millisecondsSinceEpoch: 1_573_690_399_900)
        let text = record.messageBody
        #expect(text.contains(#""timestamp":"2019-11-14T00:38:06.021Z","DDBStreamBatchInfo":{"shardId":"#))
        #expect(text.contains(#""approximateArrivalOfFirstRecord":"2019-11-14T00:13:19Z","#))
        #expect(text.contains(#""approximateArrivalOfLastRecord":"2019-11-14T00:38:05Z","#))
        #expect(!text.contains("KinesisBatchInfo"))
    }

    @Test func describesTheRecordsGivenUpFromTheirFirstAndLast() throws {
        let records = [(1, 1_000), (2, 500), (3, 2_500)].map { sequence, arrival in
            StreamRecord(
                sequenceNumber: StreamSequenceNumber(String(sequence)), partitionKey: "p", data: [],
                arrival: Timestamp(millisecondsSinceEpoch: Int64(arrival))
            )
        }
        let info = try #require(
            StreamFailureRecord.BatchInfo(records: records[1...], shardId: "shardId-000000000002", streamArn: "arn")
        )
        #expect(info.startSequenceNumber == StreamSequenceNumber("2"))
        #expect(info.endSequenceNumber == StreamSequenceNumber("3"))
        #expect(info.approximateArrivalOfFirstRecord == Timestamp(millisecondsSinceEpoch: 500))
        #expect(info.approximateArrivalOfLastRecord == Timestamp(millisecondsSinceEpoch: 2_500))
        #expect(info.batchSize == 2)
        #expect(info.shardId == "shardId-000000000002")
        #expect(StreamFailureRecord.BatchInfo(records: [StreamRecord](), shardId: "s", streamArn: "a") == nil)
    }

    @Test func travelsAsTheSQSBodyAndInsideTheSNSEnvelopeUnchanged() throws {
        let record = Self.record(.retryAttemptsExhausted(Self.unhandled))
        let body = try PayloadFixtures.parse(Array(record.messageBody.utf8))
        #expect((body["KinesisBatchInfo"] as? [String: Any])?["batchSize"] as? Int == 500)
        #expect((body["requestContext"] as? [String: Any])?["condition"] as? String == "RetryAttemptsExhausted")

        let envelope = #"{"Type":"Notification","Message":"# + JSONValue.quoted(record.messageBody) + "}"
        let message = try #require(try PayloadFixtures.parse(Array(envelope.utf8))["Message"] as? String)
        #expect(message == record.messageBody)
    }

    @Test func escapesOddValuesInsideTheRecord() throws {
        var record = Self.record(.retryAttemptsExhausted(.init(executedVersion: "$LATEST", functionError: "Un\"h")))
        record.functionArn = "arn:aws:lambda:us-east-1:1:function:f\\x"
        let parsed = try PayloadFixtures.parse(record.json)
        #expect(
            (parsed["requestContext"] as? [String: Any])?["functionArn"] as? String
                == "arn:aws:lambda:us-east-1:1:function:f\\x")
        #expect((parsed["responseContext"] as? [String: Any])?["functionError"] as? String == "Un\"h")
    }

    // MARK: - Time formats

    @Test(arguments: [
        (1_573_691_886_021, "2019-11-14T00:38:06.021Z", "2019-11-14T00:38:06Z"),
        (1_573_691_886_005, "2019-11-14T00:38:06.005Z", "2019-11-14T00:38:06Z"),
        (0, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z", "2000-02-29T00:00:00Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z", "2099-12-31T23:59:59Z"),
    ])
    func writesISO8601InUTCWithAndWithoutMilliseconds(milliseconds: Int64, withMilliseconds: String, seconds: String) {
        let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(timestamp.iso8601Milliseconds == withMilliseconds)
        #expect(timestamp.iso8601Seconds == seconds)
        #expect(timestamp.lambdaISO8601.dropLast(5) == withMilliseconds.dropLast())
    }
}
