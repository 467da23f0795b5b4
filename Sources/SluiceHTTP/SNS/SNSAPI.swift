import SluiceCore
import SluiceSources

/// The embedded SNS on the query protocol (`Action=<Op>&Version=2010-03-31`, XML answers;
/// `reference/wire-protocols.md` §4, §7): every operation of ``SNSEngine``.
public struct SNSAPI: AWSQueryService {
    let engine: SNSEngine

    public init(engine: SNSEngine) {
        self.engine = engine
    }

    public var service: AWSService { .sns }

    public func handle(action: String, request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let parameters = AWSQuery.parameters(of: request)
        switch action {
        case "CreateTopic":
            let input = SNS.CreateTopicInput(
                name: try parameters.required("Name"), attributes: Self.attributes(parameters),
                tags: Self.tags(parameters)
            )
            let arn = try await engine.createTopic(input, identity: identity)
            return respond(action) { $0.element("TopicArn", arn) }
        case "DeleteTopic":
            try await engine.deleteTopic(topicArn: try parameters.required("TopicArn"), identity: identity)
            return respond(action)
        case "ListTopics":
            let page = try await engine.listTopics(nextToken: parameters["NextToken"], identity: identity)
            return respond(action) { writer in
                writer.element("Topics") { topics in
                    for arn in page.topicArns { topics.element("member") { $0.element("TopicArn", arn) } }
                }
                if let token = page.nextToken { writer.element("NextToken", token) }
            }
        case "GetTopicAttributes":
            let attributes = try await engine.getTopicAttributes(
                topicArn: try parameters.required("TopicArn"), identity: identity
            )
            return respond(action) { $0.map("Attributes", attributes, flattened: false) }
        case "SetTopicAttributes":
            try await engine.setTopicAttributes(
                topicArn: try parameters.required("TopicArn"), name: try parameters.required("AttributeName"),
                value: parameters["AttributeValue"], identity: identity
            )
            return respond(action)
        case "Subscribe":
            let input = SNS.SubscribeInput(
                topicArn: try parameters.required("TopicArn"), protocol: try parameters.required("Protocol"),
                endpoint: parameters["Endpoint"], attributes: Self.attributes(parameters),
                returnSubscriptionArn: boolean(parameters, "ReturnSubscriptionArn") ?? false
            )
            let arn = try await engine.subscribe(input, identity: identity)
            return respond(action) { $0.element("SubscriptionArn", arn) }
        case "Unsubscribe":
            try await engine.unsubscribe(
                subscriptionArn: try parameters.required("SubscriptionArn"), identity: identity)
            return respond(action)
        case "ListSubscriptions":
            let page = try await engine.listSubscriptions(nextToken: parameters["NextToken"], identity: identity)
            return respond(action) { Self.write(page, into: &$0) }
        case "ListSubscriptionsByTopic":
            let page = try await engine.listSubscriptionsByTopic(
                topicArn: try parameters.required("TopicArn"), nextToken: parameters["NextToken"], identity: identity
            )
            return respond(action) { Self.write(page, into: &$0) }
        case "GetSubscriptionAttributes":
            let attributes = try await engine.getSubscriptionAttributes(
                subscriptionArn: try parameters.required("SubscriptionArn"), identity: identity
            )
            return respond(action) { $0.map("Attributes", attributes, flattened: false) }
        case "SetSubscriptionAttributes":
            try await engine.setSubscriptionAttributes(
                subscriptionArn: try parameters.required("SubscriptionArn"),
                name: try parameters.required("AttributeName"), value: parameters["AttributeValue"],
                identity: identity
            )
            return respond(action)
        case "Publish":
            let output = try await engine.publish(try Self.publishInput(parameters), identity: identity)
            return respond(action) { writer in
                writer.element("MessageId", output.messageId)
                if let sequenceNumber = output.sequenceNumber { writer.element("SequenceNumber", sequenceNumber) }
            }
        case "PublishBatch":
            let output = try await engine.publishBatch(
                topicArn: try parameters.required("TopicArn"), entries: try Self.batchEntries(parameters),
                identity: identity
            )
            return respond(action) { Self.write(output, into: &$0) }
        case "TagResource":
            try await engine.tagResource(
                resourceArn: try parameters.required("ResourceArn"), tags: Self.tags(parameters), identity: identity
            )
            return respond(action) { _ in }
        case "UntagResource":
            try await engine.untagResource(
                resourceArn: try parameters.required("ResourceArn"),
                tagKeys: parameters.list("TagKeys", flattened: false), identity: identity
            )
            return respond(action) { _ in }
        case "ListTagsForResource":
            let tags = try await engine.listTagsForResource(
                resourceArn: try parameters.required("ResourceArn"), identity: identity
            )
            return respond(action) { writer in
                writer.element("Tags") { list in
                    for tag in tags {
                        list.element("member") { member in
                            member.element("Key", tag.key)
                            member.element("Value", tag.value)
                        }
                    }
                }
            }
        default:
            throw AWSQuery.invalidAction(action)
        }
    }

    static func write(_ page: SNS.ListSubscriptionsOutput, into writer: inout XMLWriter) {
        writer.element("Subscriptions") { list in
            for subscription in page.subscriptions {
                list.element("member") { member in
                    member.element("SubscriptionArn", subscription.subscriptionArn)
                    member.element("Owner", subscription.owner)
                    member.element("Protocol", subscription.protocol)
                    member.element("Endpoint", subscription.endpoint)
                    member.element("TopicArn", subscription.topicArn)
                }
            }
        }
        if let token = page.nextToken { writer.element("NextToken", token) }
    }

    static func write(_ output: SNS.PublishBatchOutput, into writer: inout XMLWriter) {
        writer.element("Successful") { list in
            for entry in output.successful {
                list.element("member") { member in
                    member.element("Id", entry.id)
                    member.element("MessageId", entry.messageId)
                    if let sequenceNumber = entry.sequenceNumber { member.element("SequenceNumber", sequenceNumber) }
                }
            }
        }
        writer.element("Failed") { list in
            for entry in output.failed {
                list.element("member") { member in
                    member.element("Id", entry.id)
                    member.element("Code", entry.code)
                    member.element("Message", entry.message)
                    member.element("SenderFault", entry.senderFault ? "true" : "false")
                }
            }
        }
    }
}
