import Foundation
import Testing

@testable import SluiceCore

/// `reference/events.md` §5: the window keys of an invocation and the function's answer.
@Suite struct TumblingWindowEventTests {
    static let encoder = KinesisEventEncoder(
        shardId: "shardId-000000000006", streamARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
        awsRegion: "us-east-1", invokeIdentityArn: "arn:aws:iam::123456789012:role/lambda-role"
    )

    static let record = StreamRecord(
        sequenceNumber: StreamSequenceNumber("49590338271490256608559692538361571095921575989136588898"),
        partitionKey: "1", data: Array("hello".utf8), arrival: Timestamp(millisecondsSinceEpoch: 1_607_497_475_000)
    )

    /// 2020-12-09T07:04:00Z and 07:06:00Z, the 120-second window of the reference example.
    static let start = Timestamp(millisecondsSinceEpoch: 1_607_497_440_000)
    static let end = Timestamp(millisecondsSinceEpoch: 1_607_497_560_000)

    // MARK: - Event

    @Test func writesTheWindowKeysAfterRecordsInTheReferenceOrder() {
        let window = TumblingWindowEvent(start: Self.start, end: Self.end, state: ["1": 282])
        let event = String(decoding: Self.encoder.encode([Self.record], window: window), as: UTF8.self)
        let record = String(decoding: Self.encoder.encode([Self.record]), as: UTF8.self).dropFirst(12).dropLast(2)
        let expected = PayloadFixtures.compactJSON(
            """
            {"Records":[\(record)],
             "window":{"start":"2020-12-09T07:04:00Z","end":"2020-12-09T07:06:00Z"},
             "state":{"1":282},
             "shardId":"shardId-000000000006",
             "eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s",
             "isFinalInvokeForWindow":false,
             "isWindowTerminatedEarly":false}
            """
        )
        #expect(event == expected)
        #expect(record.contains(#""approximateArrivalTimestamp":1607497475.0},"#))
    }

    @Test func writesTheFinalInvocationOfAWindowWithNoRecords() throws {
        let window = TumblingWindowEvent(
            start: Self.start, end: Self.end, state: ["count": 3, "keys": ["a", "b"], "nested": ["n": nil]],
            isFinalInvokeForWindow: true, isWindowTerminatedEarly: true
        )
        let bytes = Self.encoder.encode([StreamRecord](), window: window)
        #expect(bytes.count == Self.encoder.eventSize([StreamRecord](), window: window))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"Records":[],"window":{"start":"2020-12-09T07:04:00Z","#))
        #expect(text.contains(#""state":{"count":3,"keys":["a","b"],"nested":{"n":null}},"#))
        #expect(text.hasSuffix(#""isFinalInvokeForWindow":true,"isWindowTerminatedEarly":true}"#))
        let event = try PayloadFixtures.parse(bytes)
        #expect(event["shardId"] as? String == "shardId-000000000006")
        #expect(event["isFinalInvokeForWindow"] as? Bool == true)
        #expect((event["state"] as? [String: Any])?["count"] as? Int == 3)
    }

    @Test func startsAWindowWithAnEmptyState() {
        let window = TumblingWindowEvent(start: Self.start, end: Self.end)
        let text = String(decoding: Self.encoder.encode([Self.record], window: window), as: UTF8.self)
        #expect(text.contains(#""end":"2020-12-09T07:06:00Z"},"state":{},"shardId":"#))
    }

    @Test func writesWindowBoundsToTheSecondRoundingDown() {
        let window = TumblingWindowEvent(
            start: Timestamp(millisecondsSinceEpoch: 1_607_497_440_999), end: Timestamp(millisecondsSinceEpoch: -1)
        )
        let text = String(decoding: Self.encoder.encode([Self.record], window: window), as: UTF8.self)
        #expect(text.contains(#""window":{"start":"2020-12-09T07:04:00Z","end":"1969-12-31T23:59:59Z"}"#))
    }

    // MARK: - Response

    static let batch = ["100", "200", "300"].map(StreamSequenceNumber.init)

    private func response(_ body: String, reportBatchItemFailures: Bool = true) -> TumblingWindowResponse {
        TumblingWindowResponse(
            parsing: Array(body.utf8), batch: Self.batch, reportBatchItemFailures: reportBatchItemFailures
        )
    }

    @Test func keepsTheStateOfASuccessfulResponse() {
        #expect(response(#"{"state":{"1":282,"2":715}}"#) == .success(state: ["1": 282, "2": 715]))
        #expect(response(#" {"state":{}, "batchItemFailures":[]} "#) == .success(state: [:]))
        #expect(response(#"{"state":{"a":"b"},"batchItemFailures":null}"#) == .success(state: ["a": "b"]))
        #expect(response(#"{"state":{"a":1.50}}"#).state?["a"] == .number(JSONNumber(literal: "1.50")!))
    }

    @Test(
        arguments: [
            ("", .notAnObject), ("null", .notAnObject), ("[]", .notAnObject), (#""text""#, .notAnObject),
            ("not json", .notAnObject), (#"{"state":"#, .notAnObject), ("{}", .missingState),
            (#"{"batchItemFailures":[]}"#, .missingState),
        ] as [(String, TumblingWindowResponse.Failure)])
    func failsAResponseWithoutState(_ body: String, _ failure: TumblingWindowResponse.Failure) {
        #expect(response(body) == .failure(failure))
    }

    @Test func failsANullOrNonObjectState() {
        #expect(response(#"{"state":null}"#) == .failure(.missingState))
        #expect(response(#"{"state":5}"#) == .failure(.stateNotAnObject))
        #expect(response(#"{"state":"s"}"#) == .failure(.stateNotAnObject))
        #expect(response(#"{"state":[1]}"#) == .failure(.stateNotAnObject))
    }

    @Test func reportsListedFailuresAscendingWithoutDuplicates() {
        let body =
            #"{"state":{"n":1},"batchItemFailures":[{"itemIdentifier":"300"},{"itemIdentifier":"200"},"#
            + #"{"itemIdentifier":"300"}]}"#
        #expect(
            response(body) == .partialFailure(state: ["n": 1], failed: ["200", "300"].map(StreamSequenceNumber.init)))
        #expect(response(body).state == ["n": 1])
    }

    @Test(arguments: [
        #"[{"foo":123}]"#, #"[{"foo":null}]"#, #"[{"itemIdentifier":""}]"#, #"[{"itemIdentifier":null}]"#,
        #"[{"itemIdentifier":"123"}]"#, #"[{"itemIdentifier":123}]"#, #"[{"itemIdentifier":true}]"#,
        #"[{"itemIdentifier":"200"},{"x":1}]"#,
        #"["200"]"#, #"{"itemIdentifier":"200"}"#, #""200""#,
    ])
    func failsTheWholeBatchForAnUnusableFailureList(_ list: String) {
        #expect(response(#"{"state":{},"batchItemFailures":"# + list + "}") == .failure(.invalidBatchItemFailures))
    }

    /// As ``BatchItemFailures`` reads a stream batch's response (`reference/events.md` §6): a number matches by its
    /// literal text, so a window response and a plain one never disagree on the same list.
    @Test func readsANumericItemIdentifierByItsTextAsBatchItemFailuresDoes() {
        let body = #"{"state":{"n":1},"batchItemFailures":[{"itemIdentifier":200}]}"#
        #expect(response(body) == .partialFailure(state: ["n": 1], failed: [StreamSequenceNumber("200")]))
        let identifiers = Set(Self.batch.map(\.text))
        #expect(BatchItemFailures(parsing: Array(body.utf8), itemIdentifiers: identifiers) == .reported(["200"]))
    }

    @Test func ignoresBatchItemFailuresWithoutReportBatchItemFailures() {
        let body = #"{"state":{"n":1},"batchItemFailures":[{"itemIdentifier":"200"},{"foo":1}]}"#
        #expect(response(body, reportBatchItemFailures: false) == .success(state: ["n": 1]))
        #expect(response(#"{"batchItemFailures":[]}"#, reportBatchItemFailures: false) == .failure(.missingState))
    }
}
