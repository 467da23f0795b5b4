import Foundation
import SluiceCore
import SluiceSources
import Testing

@testable import SluiceHTTP

/// SNS on the query protocol: requests as botocore 1.43 writes them (captured with a `before-send` hook), answers as
/// botocore's query parser reads them (`reference/wire-protocols.md` §4, §7).
@Suite struct SNSAPITests {
    static let ns = #"xmlns="http://sns.amazonaws.com/doc/2010-03-31/""#
    static let topic = "arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At"

    @Test func decodesPublishAsBotocoreSendsIt() throws {
        let input = try SNSAPI.publishInput(AWSQuery.parameters(of: CapturedRequest.snsPublish.request()))
        #expect(input.topicArn == "arn:aws:sns:us-east-1:000000000000:t")
        #expect(input.message == "hello world+1")
        #expect(input.messageAttributes == ["a": .string("x y"), "n": .number("6")])
        let binary = QueryHarness.request(
            "Action=Publish&Message=m&MessageAttributes.entry.1.Name=blob"
                + "&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=AQI%3D"
        )
        let decoded = try SNSAPI.publishInput(AWSQuery.parameters(of: binary))
        #expect(decoded.messageAttributes["blob"]?.binaryValue == Data([1, 2]))
    }

    @Test func decodesMapsListsAndBatchEntries() throws {
        let create = AWSQuery.parameters(
            of: QueryHarness.request(
                "Action=CreateTopic&Version=2010-03-31&Name=orders.fifo&Attributes.entry.1.key=FifoTopic"
                    + "&Attributes.entry.1.value=true&Attributes.entry.2.key=ContentBasedDeduplication"
                    + "&Attributes.entry.2.value=true&Tags.member.1.Key=team&Tags.member.1.Value=data"
            )
        )
        #expect(SNSAPI.attributes(create) == ["FifoTopic": "true", "ContentBasedDeduplication": "true"])
        #expect(SNSAPI.tags(create) == [SNS.Tag(key: "team", value: "data")])
        let batch = AWSQuery.parameters(
            of: QueryHarness.request(
                "Action=PublishBatch&Version=2010-03-31&TopicArn=\(Self.topic)"
                    + "&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=one"
                    + "&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=two"
                    + "&PublishBatchRequestEntries.member.2.MessageGroupId=g"
                    + "&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Name=k"
                    + "&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.DataType=String"
                    + "&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.StringValue=v"
            )
        )
        #expect(
            try SNSAPI.batchEntries(batch) == [
                .init(id: "a", message: "one"),
                .init(id: "b", message: "two", messageAttributes: ["k": .string("v")], messageGroupId: "g"),
            ]
        )
    }

    @Test func answersInSNSsXML() async throws {
        let api = try await QueryHarness()
        let created = await api.sns("Action=CreateTopic&Version=2010-03-31&Name=t")
        #expect(created.status == 200)
        #expect(
            created.xml == "<CreateTopicResponse \(Self.ns)><CreateTopicResult><TopicArn>"
                + "arn:aws:sns:us-east-1:000000000000:t</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>*"
                + "</RequestId></ResponseMetadata></CreateTopicResponse>"
        )
        _ = await api.sqsQuery("Action=CreateQueue&QueueName=q")
        let subscribed = await api.sns(String(decoding: CapturedRequest.snsSubscribe.request().body, as: UTF8.self))
        #expect(subscribed.xml.contains("<SubscriptionArn>arn:aws:sns:us-east-1:000000000000:t:*</SubscriptionArn>"))
        let listed = await api.sns("Action=ListSubscriptionsByTopic&TopicArn=\(Self.topic)")
        #expect(
            listed.xml.contains(
                "<ListSubscriptionsByTopicResult><Subscriptions><member><SubscriptionArn>"
                    + "arn:aws:sns:us-east-1:000000000000:t:*</SubscriptionArn><Owner>000000000000</Owner><Protocol>sqs"
                    + "</Protocol><Endpoint>arn:aws:sqs:us-east-1:000000000000:q</Endpoint><TopicArn>"
                    + "arn:aws:sns:us-east-1:000000000000:t</TopicArn></member></Subscriptions>"
                    + "</ListSubscriptionsByTopicResult>"
            )
        )
        let published = await api.sns(String(decoding: CapturedRequest.snsPublish.request().body, as: UTF8.self))
        #expect(
            published.xml == "<PublishResponse \(Self.ns)><PublishResult><MessageId>*</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>*</RequestId></ResponseMetadata></PublishResponse>"
        )
        let attributes = await api.sns("Action=GetTopicAttributes&TopicArn=\(Self.topic)")
        #expect(attributes.xml.contains("<Attributes><entry><key>Policy</key><value>{&quot;Version&quot;"))
        #expect(attributes.xml.contains("<entry><key>SubscriptionsConfirmed</key><value>1</value></entry>"))
        let tags = await api.sns("Action=ListTagsForResource&ResourceArn=\(Self.topic)")
        #expect(tags.xml.contains("<ListTagsForResourceResult><Tags/></ListTagsForResourceResult>"))
        let deleted = await api.sns("Action=DeleteTopic&TopicArn=\(Self.topic)")
        #expect(
            deleted.xml == "<DeleteTopicResponse \(Self.ns)><ResponseMetadata><RequestId>*</RequestId>"
                + "</ResponseMetadata></DeleteTopicResponse>"
        )
    }

    @Test func answersErrorsAndBatchFailuresInSNSsXML() async throws {
        let api = try await QueryHarness()
        let missing = await api.sns("Action=GetTopicAttributes&TopicArn=\(Self.topic)")
        #expect(missing.status == 404)
        #expect(
            missing.xml == "<ErrorResponse \(Self.ns)><Error><Type>Sender</Type><Code>NotFound</Code>"
                + "<Message>Topic does not exist</Message></Error><RequestId>*</RequestId></ErrorResponse>"
        )
        _ = await api.sns("Action=CreateTopic&Name=t")
        let batch = await api.sns(
            "Action=PublishBatch&TopicArn=\(Self.topic)&PublishBatchRequestEntries.member.1.Id=a"
                + "&PublishBatchRequestEntries.member.1.Message=&PublishBatchRequestEntries.member.2.Id=b"
                + "&PublishBatchRequestEntries.member.2.Message=ok"
        )
        #expect(
            batch.xml.contains(
                "<PublishBatchResult><Successful><member><Id>b</Id><MessageId>*</MessageId></member></Successful>"
                    + "<Failed><member><Id>a</Id><Code>InvalidParameter</Code><Message>Empty message</Message>"
                    + "<SenderFault>true</SenderFault></member></Failed></PublishBatchResult>"
            )
        )
        let unknown = await api.sns("Action=CreatePlatformApplication")
        #expect(unknown.xml.contains("<Code>InvalidAction</Code>"))
        let noMessage = await api.sns("Action=Publish&TopicArn=\(Self.topic)")
        #expect(noMessage.xml.contains("<Code>MissingParameter</Code>"))
    }
}
