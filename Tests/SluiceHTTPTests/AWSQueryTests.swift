import Testing

import SluiceCore
@testable import SluiceHTTP

/// The AWS query protocol's request side (`reference/wire-protocols.md` §4): form bodies as botocore sends them
/// (`CapturedRequest`) read through `AWSQuery.Parameters`. The XML side is in `AWSQueryXMLTests`.
@Suite struct AWSQueryTests {
    static func parameters(_ captured: CapturedRequest) -> AWSQuery.Parameters {
        AWSQuery.parameters(of: captured.request())
    }

    @Test func formDecodingTreatsPlusAsSpaceAndDecodesPercentEscapes() {
        let items = AWSQuery.decodeForm(Array("a=x+y%2Bz&b=%E2%82%AC&c=&d&e=1=2&=v&f=%zz%4".utf8))
        #expect(items.map(\.name) == ["a", "b", "c", "d", "e", "", "f"])
        #expect(items.map(\.value) == ["x y+z", "€", "", "", "1=2", "v", "%zz%4"])
        #expect(AWSQuery.decodeForm([]).isEmpty)
        #expect(AWSQuery.decodeForm(Array("a=%FF".utf8)).first?.value == "\u{FFFD}")
    }

    @Test func readsSNSPublishAsBotocoreSendsIt() {
        let parameters = Self.parameters(.snsPublish)
        #expect(parameters["Action"] == "Publish")
        #expect(parameters["TopicArn"] == "arn:aws:sns:us-east-1:000000000000:t")
        #expect(parameters["Message"] == "hello world+1")
        let attributes = parameters.messageAttributes("MessageAttributes", flattened: false)
        #expect(attributes.map(\.name) == ["a", "n"])
        #expect(attributes.map(\.value) == [
            AWSQuery.MessageAttributeValue(dataType: "String", stringValue: "x y"),
            AWSQuery.MessageAttributeValue(dataType: "Number", stringValue: "6"),
        ])
    }

    @Test func readsSNSMapsAndListsAsBotocoreSendsThem() {
        let subscribe = Self.parameters(.snsSubscribe)
        #expect(subscribe["Protocol"] == "sqs")
        let attributes = subscribe.map("Attributes", flattened: false)
        #expect(attributes.map { "\($0.key)=\($0.value)" } == ["RawMessageDelivery=true", #"FilterPolicy={"a":["x"]}"#])

        let batch = Self.parameters(.snsPublishBatch).structures("PublishBatchRequestEntries", flattened: false)
        #expect(batch.map { $0.items.map { "\($0.name)=\($0.value)" } } == [
            ["Id=1", "Message=a"], ["Id=2", "Message=b", "Subject=s"],
        ])
        #expect(Self.parameters(.snsUntagResource).list("TagKeys", flattened: false) == ["k1", "k2"])
    }

    @Test func readsLegacySQSShapesAsBotocoreSentThem() {
        let send = Self.parameters(.legacySQSSendMessage)
        #expect(send["QueueUrl"] == "http://localhost:4566/000000000000/q")
        #expect(send["MessageBody"] == #"a "b" & <c>"#)
        let attributes = send.messageAttributes("MessageAttribute", flattened: true)
        #expect(attributes.map(\.name) == ["Author"])
        #expect(attributes.first?.value == .init(dataType: "String", stringValue: "John Grisham"))

        let receive = Self.parameters(.legacySQSReceiveMessage)
        #expect(receive.list("AttributeName", flattened: true) == ["All"])
        #expect(receive.list("MessageAttributeName", flattened: true) == ["All"])
        #expect(receive["MaxNumberOfMessages"] == "10")

        let entries = Self.parameters(.legacySQSDeleteMessageBatch).structures(
            "DeleteMessageBatchRequestEntry", flattened: true
        )
        #expect(entries.map { "\($0["Id"] ?? "-")/\($0["ReceiptHandle"] ?? "-")" } == ["a/r1", "b/r2"])

        let queueAttributes = Self.parameters(.legacySQSSetQueueAttributes).map(
            "Attribute", flattened: true, key: "Name", value: "Value"
        )
        #expect(queueAttributes.map { "\($0.key)=\($0.value)" } == ["VisibilityTimeout=30"])

        let permission = Self.parameters(.legacySQSAddPermission)
        #expect(permission.list("AWSAccountId", flattened: true) == ["111111111111"])
        #expect(permission.list("ActionName", flattened: true) == ["SendMessage"])
    }

    @Test func indexedMembersAreOrderedByNumberAndIncompleteEntriesDropped() {
        let parameters = AWSQuery.Parameters([
            ("Attribute.10.Name", "J"), ("Attribute.10.Value", "10"), ("Attribute.2.Name", "B"),
            ("Attribute.2.Value", "2"), ("Attribute.3.Name", "C"),
            ("Attribute.x.Name", "X"), ("Attribute.x.Value", "x"),
            ("Name.member.2", "second"), ("Name.member.1", "first"), ("Other.member.1", "no"),
        ])
        let map = parameters.map("Attribute", flattened: true, key: "Name", value: "Value")
        #expect(map.map { "\($0.key)=\($0.value)" } == ["B=2", "J=10"])
        #expect(parameters.list("Name", flattened: false) == ["first", "second"])
        #expect(parameters.list("Missing", flattened: true).isEmpty)
    }

    @Test func structuresDropTheirPrefixAndScalarsTakeTheFirstValue() {
        let parameters = AWSQuery.Parameters([
            ("Parent.Child", "1"), ("Parent.Nested.Leaf", "2"), ("ParentX.Child", "no"),
            ("Scalar", "a"), ("Scalar", "b"),
        ])
        #expect(parameters.structure("Parent").items.map(\.name) == ["Child", "Nested.Leaf"])
        #expect(parameters.structure("Parent").structure("Nested")["Leaf"] == "2")
        #expect(parameters["Scalar"] == "a")
        #expect(parameters["Absent"] == nil)
    }

    @Test func aMissingRequiredParameterIsMissingParameter() throws {
        let parameters = AWSQuery.Parameters([("QueueUrl", "u")])
        #expect(try parameters.required("QueueUrl") == "u")
        #expect(throws: AWSQuery.missingParameter("MessageBody")) { try parameters.required("MessageBody") }
        let message = AWSQuery.missingParameter("MessageBody").message
        #expect(message == "The request must contain the parameter MessageBody.")
    }

    @Test func theQueryStringAndTheFormBodyBothCount() {
        let request = IncomingRequest(
            method: "POST", rawPath: "/000000000000/q", rawQuery: "Action=SendMessage&Version=2012-11-05",
            headers: [("content-type", "application/x-www-form-urlencoded")], body: Array("MessageBody=a+b".utf8)
        )
        #expect(AWSQuery.parameters(of: request).items.map(\.name) == ["Action", "Version", "MessageBody"])
        var json = request
        json.headers = [("content-type", "application/json")]
        #expect(AWSQuery.parameters(of: json).items.map(\.name) == ["Action", "Version"])
    }
}
