import Foundation
import SluiceCore
import SluiceSources
import Testing

@testable import SluiceHTTP

/// SQS on the legacy query protocol: requests as botocore 1.31.0 (the last SQS model on the query protocol) writes
/// them, captured with a `before-send` hook; answers with flattened lists and maps (`reference/wire-protocols.md` §4).
@Suite struct SQSQueryAPITests {
    static let ns = #"xmlns="http://queue.amazonaws.com/doc/2012-11-05/""#
    static let queue = "http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq"

    static func body(_ captured: CapturedRequest) -> String { captured.body }

    @Test func decodesFlattenedShapesAsBotocore131SendsThem() throws {
        let send = try SQSQueryAPI.sendMessageInput(
            AWSQuery.parameters(of: CapturedRequest.legacySQSSendMessage.request()),
            CapturedRequest.legacySQSSendMessage.request()
        )
        #expect(send.queueUrl == "http://localhost:4566/000000000000/q")
        #expect(send.messageBody == #"a "b" & <c>"#)
        #expect(send.messageAttributes == ["Author": .string("John Grisham")])
        let receiveRequest = CapturedRequest.legacySQSReceiveMessage.request()
        let receive = try SQSQueryAPI.receiveMessageInput(AWSQuery.parameters(of: receiveRequest), receiveRequest)
        #expect(receive.attributeNames == ["All"] && receive.messageAttributeNames == ["All"])
        #expect(receive.maxNumberOfMessages == 10)
        let batch = QueryHarness.request(
            "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=\(Self.queue)&SendMessageBatchRequestEntry.1.Id=a"
                + "&SendMessageBatchRequestEntry.1.MessageBody=one&SendMessageBatchRequestEntry.1.DelaySeconds=5"
                + "&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two"
                + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=bin"
                + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Binary"
                + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.BinaryValue=AAE%3D"
        )
        let entries = try SQSQueryAPI.sendMessageBatchInput(AWSQuery.parameters(of: batch), batch).entries
        #expect(entries.map(\.id) == ["a", "b"] && entries[0].delaySeconds == 5)
        #expect(entries[1].messageAttributes == ["bin": .binary(Data([0, 1]))])
        let deleteRequest = CapturedRequest.legacySQSDeleteMessageBatch.request()
        let delete = try SQSQueryAPI.receiptHandleBatchInput(
            AWSQuery.parameters(of: deleteRequest), deleteRequest, entry: "DeleteMessageBatchRequestEntry"
        )
        #expect(delete.entries == [.init(id: "a", receiptHandle: "r1"), .init(id: "b", receiptHandle: "r2")])
        let create = AWSQuery.parameters(
            of: QueryHarness.request(
                "Action=CreateQueue&Version=2012-11-05&QueueName=q.fifo&Attribute.1.Name=FifoQueue"
                    + "&Attribute.1.Value=true&Attribute.2.Name=VisibilityTimeout&Attribute.2.Value=40"
                    + "&Tag.1.Key=team&Tag.1.Value=data"
            )
        )
        #expect(SQSQueryAPI.map(create, "Attribute") == ["FifoQueue": "true", "VisibilityTimeout": "40"])
        #expect(SQSQueryAPI.map(create, "Tag", key: "Key") == ["team": "data"])
    }

    @Test func sendAndReceiveAnswerInFlattenedXML() async throws {
        let api = try await QueryHarness()
        let created = await api.sqsQuery("Action=CreateQueue&Version=2012-11-05&QueueName=q")
        #expect(
            created.xml == "<CreateQueueResponse \(Self.ns)><CreateQueueResult><QueueUrl>"
                + "http://localhost:4566/000000000000/q</QueueUrl></CreateQueueResult><ResponseMetadata><RequestId>*"
                + "</RequestId></ResponseMetadata></CreateQueueResponse>"
        )
        let sent = await api.sqsQuery(Self.body(.legacySQSSendMessage))
        #expect(
            sent.xml == "<SendMessageResponse \(Self.ns)><SendMessageResult><MD5OfMessageBody>"
                + "\(SQS.MessageDigest.md5OfBody(#"a "b" & <c>"#))</MD5OfMessageBody><MD5OfMessageAttributes>"
                + "\(SQS.MessageDigest.md5OfAttributes(["Author": .string("John Grisham")])!)</MD5OfMessageAttributes>"
                + "<MessageId>*</MessageId></SendMessageResult><ResponseMetadata><RequestId>*</RequestId>"
                + "</ResponseMetadata></SendMessageResponse>"
        )
        let received = await api.sqsQuery(Self.body(.legacySQSReceiveMessage))
        #expect(received.xml.contains("<ReceiveMessageResult><Message><MessageId>*</MessageId><ReceiptHandle>*"))
        #expect(received.xml.contains("<Body>a &quot;b&quot; &amp; &lt;c&gt;</Body>"))
        #expect(received.xml.contains("<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"))
        #expect(
            received.xml.contains(
                "<MessageAttribute><Name>Author</Name><Value><StringValue>John Grisham</StringValue>"
                    + "<DataType>String</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>"
            )
        )
        let empty = await api.sqsQuery(Self.body(.legacySQSReceiveMessage))
        #expect(empty.xml.contains("<ReceiveMessageResult/>"))
    }

    @Test func batchesAttributesTagsAndErrorsAnswerInQueryForm() async throws {
        let api = try await QueryHarness()
        _ = await api.sqsQuery("Action=CreateQueue&QueueName=q&Tag.1.Key=team&Tag.1.Value=data")
        let deleted = await api.sqsQuery(Self.body(.legacySQSDeleteMessageBatch))
        #expect(
            deleted.xml.contains(
                "<DeleteMessageBatchResult><BatchResultErrorEntry><Id>a</Id><SenderFault>true</SenderFault>"
                    + "<Code>ReceiptHandleIsInvalid</Code>"
            )
        )
        let set = await api.sqsQuery(Self.body(.legacySQSSetQueueAttributes))
        #expect(set.status == 200 && !set.xml.contains("Result"))
        let attributes = await api.sqsQuery(
            "Action=GetQueueAttributes&QueueUrl=\(Self.queue)&AttributeName.1=QueueArn"
                + "&AttributeName.2=VisibilityTimeout"
        )
        #expect(
            attributes.xml.contains(
                "<GetQueueAttributesResult><Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:q"
                    + "</Value></Attribute><Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                    + "</GetQueueAttributesResult>"
            )
        )
        let tags = await api.sqsQuery("Action=ListQueueTags&QueueUrl=\(Self.queue)")
        #expect(tags.xml.contains("<ListQueueTagsResult><Tag><Key>team</Key><Value>data</Value></Tag>"))
        let byPath = await api.sqsQuery("Action=SendMessage&MessageBody=x", path: "/000000000000/q")
        #expect(byPath.status == 200)
        let listed = await api.sqsQuery("Action=ListQueues")
        #expect(listed.xml.contains("<ListQueuesResult><QueueUrl>http://localhost:4566/000000000000/q</QueueUrl>"))
        let missing = await api.sqsQuery("Action=GetQueueUrl&QueueName=nope")
        #expect(
            missing.xml == "<ErrorResponse \(Self.ns)><Error><Type>Sender</Type>"
                + "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist."
                + "</Message></Error><RequestId>*</RequestId></ErrorResponse>"
        )
        let notANumber = await api.sqsQuery("Action=SendMessage&QueueUrl=\(Self.queue)&MessageBody=x&DelaySeconds=x")
        #expect(notANumber.xml.contains("<Code>InvalidParameterValue</Code>"))
    }
}
