/// Typed inputs and outputs of the SNS operations (botocore sns model, 2010-03-31).
extension SNS {
    public struct CreateTopicInput: Sendable, Equatable {
        public var name: String
        public var attributes: [String: String]
        public var tags: [Tag]

        public init(name: String, attributes: [String: String] = [:], tags: [Tag] = []) {
            self.name = name
            self.attributes = attributes
            self.tags = tags
        }
    }

    /// A page of ListTopics: topic ARNs and, when more follow, the token for the next page.
    public struct ListTopicsOutput: Sendable, Equatable {
        public var topicArns: [String]
        public var nextToken: String?
    }

    public struct SubscribeInput: Sendable, Equatable {
        public var topicArn: String
        public var `protocol`: String
        public var endpoint: String?
        public var attributes: [String: String]
        public var returnSubscriptionArn: Bool

        public init(
            topicArn: String, protocol: String, endpoint: String?, attributes: [String: String] = [:],
            returnSubscriptionArn: Bool = false
        ) {
            self.topicArn = topicArn
            self.protocol = `protocol`
            self.endpoint = endpoint
            self.attributes = attributes
            self.returnSubscriptionArn = returnSubscriptionArn
        }
    }

    /// `Subscription` of ListSubscriptions and ListSubscriptionsByTopic.
    public struct Subscription: Sendable, Equatable {
        public var subscriptionArn: String
        public var owner: String
        public var `protocol`: String
        public var endpoint: String
        public var topicArn: String
    }

    public struct ListSubscriptionsOutput: Sendable, Equatable {
        public var subscriptions: [Subscription]
        public var nextToken: String?
    }

    public struct PublishInput: Sendable, Equatable {
        public var topicArn: String?
        public var targetArn: String?
        public var phoneNumber: String?
        public var message: String
        public var subject: String?
        public var messageStructure: String?
        public var messageAttributes: [String: MessageAttributeValue]
        public var messageDeduplicationId: String?
        public var messageGroupId: String?

        public init(
            topicArn: String? = nil, targetArn: String? = nil, phoneNumber: String? = nil, message: String,
            subject: String? = nil, messageStructure: String? = nil,
            messageAttributes: [String: MessageAttributeValue] = [:], messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.topicArn = topicArn
            self.targetArn = targetArn
            self.phoneNumber = phoneNumber
            self.message = message
            self.subject = subject
            self.messageStructure = messageStructure
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }
    }

    public struct PublishOutput: Sendable, Equatable {
        public var messageId: String
        /// Only for FIFO topics: 20 digits, increasing per topic.
        public var sequenceNumber: String?
    }

    /// `PublishBatchRequestEntry`: a Publish without the topic, named by `id` in the answer.
    public struct PublishBatchEntry: Sendable, Equatable {
        public var id: String
        public var message: String
        public var subject: String?
        public var messageStructure: String?
        public var messageAttributes: [String: MessageAttributeValue]
        public var messageDeduplicationId: String?
        public var messageGroupId: String?

        public init(
            id: String, message: String, subject: String? = nil, messageStructure: String? = nil,
            messageAttributes: [String: MessageAttributeValue] = [:], messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.id = id
            self.message = message
            self.subject = subject
            self.messageStructure = messageStructure
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }
    }

    public struct PublishBatchResultEntry: Sendable, Equatable {
        public var id: String
        public var messageId: String
        public var sequenceNumber: String?
    }

    /// `BatchResultErrorEntry`: `code` is the error's query code (`InvalidParameter`, …).
    public struct BatchResultErrorEntry: Sendable, Equatable {
        public var id: String
        public var code: String
        public var message: String
        public var senderFault: Bool
    }

    public struct PublishBatchOutput: Sendable, Equatable {
        public var successful: [PublishBatchResultEntry]
        public var failed: [BatchResultErrorEntry]
    }
}
