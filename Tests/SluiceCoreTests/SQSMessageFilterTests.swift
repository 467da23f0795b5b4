import Testing

@testable import SluiceCore

/// `reference/semantics.md` §6.3: what an SQS mapping's filters see of a message, and which messages they keep.
@Suite struct SQSMessageFilterTests {
    static func message(_ body: String, attributes: [SQSEventMessage.MessageAttribute] = []) -> SQSEventMessage {
        SQSEventMessage(
            messageId: "059f36b4-87a3-44ab-83d2-661975830a7d", receiptHandle: "AQEB", body: body,
            attributes: [.init("ApproximateReceiveCount", "1"), .init("SenderId", "AIDAIENQZJOLO23YVJ4VO")],
            messageAttributes: attributes, md5OfMessageAttributes: attributes.isEmpty ? nil : "md5", md5OfBody: "md5"
        )
    }

    private func keeps(_ patterns: [String], _ body: String, attributes: [SQSEventMessage.MessageAttribute] = [])
        throws -> Bool
    {
        let criteria = FilterCriteria(filters: patterns.map { FilterCriteria.Filter(pattern: $0) })
        return try SQSMessageFilter(criteria).matches(Self.message(body, attributes: attributes))
    }

    @Test func noFiltersKeepEverything() throws {
        #expect(try keeps([], "anything"))
    }

    @Test func anObjectPatternReadsTheBodyAsJSON() throws {
        #expect(try keeps([#"{"body":{"kind":["order"]}}"#], #"{"kind":"order","n":1}"#))
        #expect(try !keeps([#"{"body":{"kind":["order"]}}"#], #"{"kind":"refund"}"#))
    }

    @Test func anObjectPatternDropsABodyThatIsNotAJSONObject() throws {
        #expect(try !keeps([#"{"body":{"kind":["order"]}}"#], "kind order"))
        #expect(try !keeps([#"{"body":{"kind":[{"exists":false}]}}"#], "123"))
    }

    @Test func aListPatternComparesTheRawBody() throws {
        #expect(try keeps([#"{"body":["ping"]}"#], "ping"))
        #expect(try !keeps([#"{"body":["ping"]}"#], "ping "))
        #expect(try keeps([#"{"body":[{"prefix":"pi"}]}"#], "ping"))
    }

    @Test func aListPatternDropsAJSONObjectBody() throws {
        #expect(try !keeps([#"{"body":[{"exists":true}]}"#], #"{"body":"ping"}"#))
    }

    @Test func patternsOnTheOtherKeysSeeTheRecord() throws {
        let red = SQSEventMessage.MessageAttribute(name: "color", dataType: "String", value: .string("red"))
        #expect(try keeps([#"{"messageAttributes":{"color":{"stringValue":["red"]}}}"#], "x", attributes: [red]))
        #expect(try keeps([#"{"attributes":{"ApproximateReceiveCount":["1"]}}"#], "x"))
        #expect(try !keeps([#"{"attributes":{"ApproximateReceiveCount":["2"]}}"#], "x"))
    }

    @Test func theKeysLambdaAddsAfterFilteringAreNotThere() throws {
        #expect(try !keeps([#"{"eventSource":["aws:sqs"]}"#], "x"))
    }

    @Test func anyFilterKeepsTheMessage() throws {
        #expect(try keeps([#"{"body":["pong"]}"#, #"{"body":{"kind":["order"]}}"#], #"{"kind":"order"}"#))
    }
}
