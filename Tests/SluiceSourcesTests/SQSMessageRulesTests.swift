import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

/// Pure SQS rules: digests, message attributes, receipt handles (`reference/wire-protocols.md` §7).
@Suite struct SQSMessageRulesTests {
    typealias Value = SQS.MessageAttributeValue

    @Test func md5OfBodyIsHexMD5OfUTF8() {
        #expect(SQS.MessageDigest.md5OfBody("hello") == "5d41402abc4b2a76b9719d911017c592")
    }

    @Test func md5OfAttributesMatchesTheRecordedAWSExample() {
        let attributes: [String: Value] = [
            "Title": .string("The Whistler"), "Author": .string("John Grisham"), "WeeksOn": .number("6"),
        ]
        #expect(SQS.MessageDigest.md5OfAttributes(attributes) == "d25a6aea97eb8f585bfa92d314504a92")
    }

    @Test func md5OfAttributesIsAbsentWithoutAttributes() {
        #expect(SQS.MessageDigest.md5OfAttributes([:]) == nil)
    }

    @Test func md5OfAttributesUsesTransportByteTwoForBinary() {
        let binary = SQS.MessageDigest.md5OfAttributes(["b": .binary(Data("x".utf8))])
        let string = SQS.MessageDigest.md5OfAttributes(["b": Value(dataType: "Binary", stringValue: "x")])
        #expect(binary != nil && binary != string)
    }

    @Test(arguments: [
        ("ok_name-1.x", true), ("", false), (".lead", false), ("trail.", false), ("a..b", false),
        ("AWS.reserved", false), ("amazon.x", false), ("sp ace", false), (String(repeating: "a", count: 256), false),
    ])
    func attributeNamesFollowAWSRules(name: String, valid: Bool) {
        #expect(((try? SQS.MessageAttributeRules.validateName(name)) != nil) == valid)
    }

    @Test func moreThanTenAttributesAreRefused() {
        let attributes = Dictionary(uniqueKeysWithValues: (0...10).map { ("a\($0)", Value.string("v")) })
        #expect(
            throws: AWSError.invalidParameterValue(
                "Number of message attributes [11] exceeds the allowed maximum [10]."
            )
        ) { try SQS.MessageAttributeRules.validate(attributes) }
    }

    @Test(arguments: [
        (Value.string("x"), true), (Value(dataType: "String.custom", stringValue: "x"), true),
        (Value.number("-1.5e3"), true), (Value.number("six"), false), (Value.string(""), false),
        (Value.binary(Data([1])), true), (Value.binary(Data()), false),
        (Value(dataType: "Blob", stringValue: "x"), false),
        (Value(dataType: "", stringValue: "x"), false), (Value(dataType: "Number.int", stringValue: "7"), true),
    ])
    func attributeValuesMustMatchTheirDataType(value: Value, valid: Bool) {
        #expect(((try? SQS.MessageAttributeRules.validate(["a": value])) != nil) == valid)
    }

    @Test func bodiesOutsideTheXMLCharacterSetAreRefused() {
        #expect(SQS.MessageBodyRules.isValidContent("tab\tnewline\n é 😀"))
        #expect(!SQS.MessageBodyRules.isValidContent("nul\u{0}"))
        #expect(!SQS.MessageBodyRules.isValidContent("\u{FFFE}"))
    }

    @Test func bodyAndAttributesMustFitTheMaximumSize() {
        #expect(throws: AWSError.self) {
            try SQS.MessageBodyRules.validate(
                body: String(repeating: "x", count: 1000), attributes: ["n": .string("abc")],
                maximumSize: 1005)
        }
        #expect(throws: Never.self) {
            try SQS.MessageBodyRules.validate(
                body: String(repeating: "x", count: 1000), attributes: [:], maximumSize: 1024)
        }
    }

    @Test func emptyBodyIsAMissingParameter() {
        #expect(throws: AWSError.missingParameter("MessageBody")) {
            try SQS.MessageBodyRules.validate(body: "", attributes: [:], maximumSize: 1024)
        }
    }

    @Test func receiptHandlesRoundTripTheirQueueMessageAndReceive() throws {
        let handle = SQS.ReceiptHandle(
            queueArn: "arn:aws:sqs:us-east-1:000000000000:q", messageId: "m-1", receiveCount: 3)
        #expect(try SQS.ReceiptHandle(decoding: handle.encoded) == handle)
    }

    @Test(arguments: ["", "garbage", "AQEB!!!", "AQEB" + Data("SLC1 a b".utf8).base64EncodedString()])
    func foreignReceiptHandlesAreInvalid(text: String) {
        #expect(throws: AWSError.receiptHandleIsInvalid(text)) { try SQS.ReceiptHandle(decoding: text) }
    }

    @Test func attributeSelectionTakesNamesPrefixesAndAll() {
        let selection = SQS.MessageSelection(messageAttributeNames: ["exact", "pre.*"])
        #expect(selection.wantsMessageAttribute("exact") && selection.wantsMessageAttribute("pre.fix"))
        // `pre.*` is the prefix `pre` (recorded: `Hel.*` returns `Hello` and `Help.Me`).
        #expect(selection.wantsMessageAttribute("prefix"))
        #expect(!selection.wantsMessageAttribute("pr") && !selection.wantsMessageAttribute("other"))
        #expect(SQS.MessageSelection(messageAttributeNames: [".*"]).wantsMessageAttribute("any"))
    }
}
