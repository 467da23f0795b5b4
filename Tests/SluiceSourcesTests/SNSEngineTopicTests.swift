import SluiceCore
import SluiceStore
import Testing

@testable import SluiceSources

/// Topics and subscriptions: idempotent creation, attributes, listing, tags, persistence over a restart and SNS's
/// errors (botocore sns model; issue 3 items 4, 5, 8).
@Suite struct SNSEngineTopicTests {
    @Test func createTopicIsIdempotentAndRefusesDifferentAttributes() async throws {
        let sns = try await SNSHarness()
        let arn = try await sns.createTopic("orders", ["DisplayName": "Orders"])
        #expect(arn == "arn:aws:sns:us-east-1:000000000000:orders")
        #expect(try await sns.createTopic("orders", ["DisplayName": "Orders"]) == arn)
        #expect(try await sns.createTopic("orders") == arn)
        #expect(
            await snsError { _ = try await sns.createTopic("orders", ["DisplayName": "Other"]) }
                == "InvalidParameter: Invalid parameter: Attributes Reason: Topic already exists with different "
                + "attributes (400)"
        )
    }

    @Test func topicAttributesHaveAWSsDefaults() async throws {
        let sns = try await SNSHarness()
        let arn = try await sns.createTopic("orders.fifo", ["FifoTopic": "true"])
        _ = try await sns.subscribeQueue(arn, queue: "q.fifo")
        let attributes = Dictionary(
            uniqueKeysWithValues: try await sns.engine.getTopicAttributes(topicArn: arn, identity: sns.identity)
                .map { ($0.key, $0.value) }
        )
        #expect(attributes["TopicArn"] == arn)
        #expect(attributes["Owner"] == "000000000000")
        #expect(attributes["DisplayName"] == "")
        #expect(attributes["SubscriptionsConfirmed"] == "1")
        #expect(attributes["SubscriptionsPending"] == "0")
        #expect(attributes["FifoTopic"] == "true")
        #expect(attributes["ContentBasedDeduplication"] == "false")
        #expect(attributes["Policy"]?.contains(#""Resource":"\#(arn)""#) == true)
        #expect(attributes["EffectiveDeliveryPolicy"]?.hasPrefix(#"{"http":{"defaultHealthyRetryPolicy""#) == true)
        try await sns.engine.setTopicAttributes(
            topicArn: arn, name: "ContentBasedDeduplication", value: "TRUE", identity: sns.identity
        )
        let changed = try await sns.engine.getTopicAttributes(topicArn: arn, identity: sns.identity)
        #expect(changed.first { $0.key == "ContentBasedDeduplication" }?.value == "true")
    }

    @Test func listingPagesByOneHundred() async throws {
        let sns = try await SNSHarness()
        for index in 0..<101 { _ = try await sns.createTopic("t\(index)") }
        let first = try await sns.engine.listTopics(nextToken: nil, identity: sns.identity)
        #expect(first.topicArns.count == 100)
        let second = try await sns.engine.listTopics(nextToken: first.nextToken, identity: sns.identity)
        #expect(second.topicArns == ["arn:aws:sns:us-east-1:000000000000:t100"] && second.nextToken == nil)
        let elsewhere = RequestIdentity(region: "eu-west-1")
        #expect(try await sns.engine.listTopics(nextToken: nil, identity: elsewhere).topicArns.isEmpty)
    }

    @Test func subscriptionsListAndUnsubscribe() async throws {
        let sns = try await SNSHarness()
        let arn = try await sns.createTopic("orders")
        let (_, subscription) = try await sns.subscribeQueue(arn, queue: "q", raw: true)
        let again = try await sns.engine.subscribe(
            .init(
                topicArn: arn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q",
                attributes: ["RawMessageDelivery": "true"]
            ),
            identity: sns.identity
        )
        #expect(again == subscription)
        let listed = try await sns.engine.listSubscriptionsByTopic(
            topicArn: arn, nextToken: nil, identity: sns.identity)
        #expect(listed.subscriptions.map(\.endpoint) == ["arn:aws:sqs:us-east-1:000000000000:q"])
        let attributes = try await sns.engine.getSubscriptionAttributes(
            subscriptionArn: subscription, identity: sns.identity)
        #expect(attributes.first { $0.key == "RawMessageDelivery" }?.value == "true")
        #expect(attributes.first { $0.key == "PendingConfirmation" }?.value == "false")
        try await sns.engine.unsubscribe(subscriptionArn: subscription, identity: sns.identity)
        try await sns.engine.unsubscribe(subscriptionArn: subscription, identity: sns.identity)
        #expect(try await sns.engine.listSubscriptions(nextToken: nil, identity: sns.identity).subscriptions.isEmpty)
        let topicAttributes = try await sns.engine.getTopicAttributes(topicArn: arn, identity: sns.identity)
        #expect(topicAttributes.first { $0.key == "SubscriptionsDeleted" }?.value == "1")
    }

    @Test func aRestartKeepsTopicsSubscriptionsTagsAndFifoSequence() async throws {
        let sns = try await SNSHarness()
        let arn = try await sns.createTopic("orders.fifo", ["FifoTopic": "true", "ContentBasedDeduplication": "true"])
        try await sns.engine.tagResource(
            resourceArn: arn, tags: [.init(key: "team", value: "x")], identity: sns.identity)
        let (url, subscription) = try await sns.subscribeQueue(arn, queue: "q.fifo", raw: true)
        let first = try await sns.publish(.init(topicArn: arn, message: "before", messageGroupId: "g"))
        #expect(try await sns.sqs.bodies(url) == ["before"])
        let restarted = try await sns.restarted()
        #expect(try await restarted.engine.listTopics(nextToken: nil, identity: sns.identity).topicArns == [arn])
        #expect(
            try await restarted.engine.listTagsForResource(resourceArn: arn, identity: sns.identity).map(\.key) == [
                "team"
            ])
        let attributes = try await restarted.engine.getSubscriptionAttributes(
            subscriptionArn: subscription, identity: sns.identity
        )
        #expect(attributes.first { $0.key == "RawMessageDelivery" }?.value == "true")
        let second = try await restarted.publish(.init(topicArn: arn, message: "after", messageGroupId: "g"))
        #expect(second.sequenceNumber! > first.sequenceNumber!)
        try await restarted.engine.deleteTopic(topicArn: arn, identity: sns.identity)
        let again = try await restarted.restarted()
        #expect(try await again.engine.listSubscriptions(nextToken: nil, identity: sns.identity).subscriptions.isEmpty)
    }

    @Test func errorsCarrySNSsCodesAndTexts() async throws {
        let sns = try await SNSHarness()
        let missing = "arn:aws:sns:us-east-1:000000000000:missing"
        let arn = try await sns.createTopic("orders")
        let cases: [(String?, String)] = [
            (
                await snsError {
                    _ = try await sns.engine.getTopicAttributes(topicArn: missing, identity: sns.identity)
                },
                "NotFound: Topic does not exist (404)"
            ),
            (
                await snsError { _ = try await sns.publish(.init(topicArn: missing, message: "m")) },
                "NotFound: Topic does not exist (404)"
            ),
            (
                await snsError { _ = try await sns.publish(.init(topicArn: "nope", message: "m")) },
                "InvalidParameter: Invalid parameter: TopicArn (400)"
            ),
            (
                await snsError { _ = try await sns.publish(.init(topicArn: arn, message: "")) },
                "InvalidParameter: Empty message (400)"
            ),
            (
                await snsError { _ = try await sns.publish(.init(topicArn: arn, message: "m", messageGroupId: "g")) },
                "InvalidParameter: Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId "
                    + "parameter that is not valid for this topic type (400)"
            ),
            (
                await snsError { _ = try await sns.createTopic("bad name") },
                "InvalidParameter: Invalid parameter: Topic Name (400)"
            ),
            (
                await snsError {
                    _ = try await sns.engine.subscribe(
                        .init(topicArn: arn, protocol: "sqs", endpoint: "x"), identity: sns.identity)
                }, "InvalidParameter: Invalid parameter: SQS endpoint ARN (400)"
            ),
            (
                await snsError {
                    _ = try await sns.engine.getSubscriptionAttributes(
                        subscriptionArn: arn + ":nope", identity: sns.identity)
                }, "NotFound: Subscription does not exist (404)"
            ),
            (
                await snsError {
                    _ = try await sns.engine.listTagsForResource(resourceArn: missing, identity: sns.identity)
                },
                "ResourceNotFound: Resource does not exist (404)"
            ),
        ]
        for (actual, expected) in cases { #expect(actual == expected) }
        let fifo = try await sns.createTopic("f.fifo", ["FifoTopic": "true"])
        #expect(
            await snsError { _ = try await sns.publish(.init(topicArn: fifo, message: "m", messageGroupId: "g")) }
                == "InvalidParameter: Invalid parameter: The topic should either have ContentBasedDeduplication "
                + "enabled or MessageDeduplicationId provided explicitly (400)"
        )
    }
}
