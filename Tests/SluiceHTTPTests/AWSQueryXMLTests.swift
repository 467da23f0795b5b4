import Testing

import SluiceCore
@testable import SluiceHTTP

/// Query-protocol XML responses, byte for byte (`reference/wire-protocols.md` §4).
///
/// How the goldens were checked: each body was handed as the HTTP response to real botocore clients — current
/// botocore for SNS, botocore 1.31.0 (query-protocol SQS model) for SQS — and parsed to the expected output (message
/// body with `"`, `&`, `<`, `>`, `\r\n`, `'` and tab intact, MD5 check passing, flattened `Attribute` and
/// `MessageAttribute`, SNS `entry` maps and `member` lists) or error (`Code`, `Message`, `Type`, modeled exception
/// class, e.g. `QueueDoesNotExist` for `AWS.SimpleQueueService.NonExistentQueue`); `create_parser("query")` agreed.
@Suite struct AWSQueryXMLTests {
    static let requestID = "5b2c0e1f-0000-4000-8000-000000000001"
    static let sqs = #"xmlns="http://queue.amazonaws.com/doc/2012-11-05/""#
    static let sns = #"xmlns="http://sns.amazonaws.com/doc/2010-03-31/""#
    static let metadata = "<ResponseMetadata><RequestId>\(requestID)</RequestId></ResponseMetadata>"

    static func text(_ response: OutgoingResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    @Test func snsPublish() {
        let response = AWSQuery.response(action: "Publish", service: .sns, requestID: Self.requestID) {
            $0.element("MessageId", "8f1d0c1e-0000-4000-8000-000000000002")
        }
        #expect(response.status == 200)
        #expect(response.headers.map(\.value) == ["text/xml"])
        #expect(Self.text(response) == "<PublishResponse \(Self.sns)><PublishResult>"
            + "<MessageId>8f1d0c1e-0000-4000-8000-000000000002</MessageId></PublishResult>\(Self.metadata)"
            + "</PublishResponse>")
    }

    @Test func snsMapsAreEntriesAndListsAreMembers() {
        let entries = [("TopicArn", "arn:aws:sns:us-east-1:000000000000:t"), ("Policy", #"{"a":"<b> & 'c'"}"#)]
        let attributes = AWSQuery.response(action: "GetTopicAttributes", service: .sns, requestID: Self.requestID) {
            $0.map("Attributes", entries, flattened: false)
        }
        #expect(Self.text(attributes) == "<GetTopicAttributesResponse \(Self.sns)><GetTopicAttributesResult>"
            + "<Attributes><entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:000000000000:t</value></entry>"
            + "<entry><key>Policy</key><value>{&quot;a&quot;:&quot;&lt;b&gt; &amp; 'c'&quot;}</value></entry>"
            + "</Attributes></GetTopicAttributesResult>\(Self.metadata)</GetTopicAttributesResponse>")

        let topics = AWSQuery.response(action: "ListTopics", service: .sns, requestID: Self.requestID) { writer in
            writer.element("Topics") { writer in
                writer.element("member") { $0.element("TopicArn", "arn:aws:sns:us-east-1:000000000000:t") }
            }
        }
        #expect(Self.text(topics) == "<ListTopicsResponse \(Self.sns)><ListTopicsResult><Topics><member>"
            + "<TopicArn>arn:aws:sns:us-east-1:000000000000:t</TopicArn></member></Topics></ListTopicsResult>"
            + "\(Self.metadata)</ListTopicsResponse>")
        var list = XMLWriter()
        list.list("Endpoints", ["a", "b"], flattened: false)
        #expect(list.text == "<Endpoints><member>a</member><member>b</member></Endpoints>")
    }

    @Test func sqsReceiveMessageWithFlattenedAttributesAndEscapedBody() {
        let response = AWSQuery.response(action: "ReceiveMessage", service: .sqs, requestID: Self.requestID) { writer in
            writer.element("Message") { writer in
                writer.element("MessageId", "m1")
                writer.element("ReceiptHandle", "r1")
                writer.element("MD5OfBody", "89189e0614de2084c76b9b0407c797b7")
                writer.element("Body", "a \"b\" & <c>\r\nd'e\tf")
                writer.map("Attribute", [("SenderId", "000000000000"), ("ApproximateReceiveCount", "1")],
                           flattened: true, key: "Name", value: "Value")
                writer.element("MessageAttribute") { writer in
                    writer.element("Name", "Author")
                    writer.element("Value") { writer in
                        writer.element("StringValue", "John Grisham")
                        writer.element("DataType", "String")
                    }
                }
            }
        }
        #expect(Self.text(response) == "<ReceiveMessageResponse \(Self.sqs)><ReceiveMessageResult><Message>"
            + "<MessageId>m1</MessageId><ReceiptHandle>r1</ReceiptHandle>"
            + "<MD5OfBody>89189e0614de2084c76b9b0407c797b7</MD5OfBody>"
            + "<Body>a &quot;b&quot; &amp; &lt;c&gt;&#xD;\nd'e\tf</Body>"
            + "<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>"
            + "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"
            + "<MessageAttribute><Name>Author</Name><Value><StringValue>John Grisham</StringValue>"
            + "<DataType>String</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>"
            + "\(Self.metadata)</ReceiveMessageResponse>")
    }

    @Test func anEmptyResultIsSelfClosingAndNoResultIsLeftOut() {
        let empty = AWSQuery.response(action: "ReceiveMessage", service: .sqs, requestID: Self.requestID) { _ in }
        #expect(Self.text(empty) == "<ReceiveMessageResponse \(Self.sqs)><ReceiveMessageResult/>\(Self.metadata)"
            + "</ReceiveMessageResponse>")
        let none = AWSQuery.response(action: "DeleteMessage", service: .sqs, requestID: Self.requestID)
        #expect(Self.text(none) == "<DeleteMessageResponse \(Self.sqs)>\(Self.metadata)</DeleteMessageResponse>")
    }

    @Test func sqsFlattenedListsRepeatTheElement() {
        let response = AWSQuery.response(action: "ListQueues", service: .sqs, requestID: Self.requestID) {
            $0.list("QueueUrl", ["http://localhost:4566/000000000000/a", "http://localhost:4566/000000000000/b"],
                    flattened: true)
        }
        #expect(Self.text(response) == "<ListQueuesResponse \(Self.sqs)><ListQueuesResult>"
            + "<QueueUrl>http://localhost:4566/000000000000/a</QueueUrl>"
            + "<QueueUrl>http://localhost:4566/000000000000/b</QueueUrl></ListQueuesResult>"
            + "\(Self.metadata)</ListQueuesResponse>")
    }

    @Test(arguments: [
        (AWSError(code: "QueueDoesNotExist", message: "The specified queue does not exist for this wsdl version."),
         AWSService.sqs, 400, "Sender", "AWS.SimpleQueueService.NonExistentQueue",
         "The specified queue does not exist for this wsdl version."),
        (AWSError(code: "QueueNameExists", message: "exists"), .sqs, 400, "Sender", "QueueAlreadyExists", "exists"),
        (AWSError(code: "NotFound", message: "Topic does not exist", status: 404), .sns, 404, "Sender", "NotFound",
         "Topic does not exist"),
        (AWSError(code: "InternalError", message: "boom", status: 500, fault: .server), .sns, 500, "Receiver",
         "InternalError", "boom"),
        (AWSQuery.invalidAction("Nope"), .sns, 400, "Sender", "InvalidAction",
         "The action Nope is not valid for this web service."),
        (AWSQuery.missingParameter("TopicArn"), .sqs, 400, "Sender", "MissingParameter",
         "The request must contain the parameter TopicArn."),
        (AWSError(code: "InvalidParameterValueException", message: "a < b & \"c\""), .sqs, 400, "Sender",
         "InvalidParameterValue", "a &lt; b &amp; &quot;c&quot;"),
    ] as [(AWSError, AWSService, Int, String, String, String)])
    func errorResponsesAreGoldenByteForByte(
        error: AWSError, service: AWSService, status: Int, type: String, code: String, message: String
    ) {
        let response = AWSQuery.errorResponse(error, service: service, requestID: Self.requestID)
        #expect(response.status == status)
        #expect(response.headers.map(\.value) == ["text/xml"])
        #expect(Self.text(response) == "<ErrorResponse \(service == .sqs ? Self.sqs : Self.sns)><Error>"
            + "<Type>\(type)</Type><Code>\(code)</Code><Message>\(message)</Message></Error>"
            + "<RequestId>\(Self.requestID)</RequestId></ErrorResponse>")
    }

    @Test(arguments: [
        ("plain text", "plain text"), ("&", "&amp;"), ("<a>", "&lt;a&gt;"), ("\"q\"", "&quot;q&quot;"),
        ("\r\n", "&#xD;\n"), ("it's\ttab", "it's\ttab"), ("€ 🎉", "€ 🎉"), ("&amp;", "&amp;amp;"),
    ])
    func textIsEscapedAsSQSEscapesIt(text: String, escaped: String) {
        #expect(XMLWriter.escape(text) == escaped)
    }
}
