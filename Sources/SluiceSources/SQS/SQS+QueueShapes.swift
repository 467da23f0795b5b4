import SluiceCore

extension SQS {
    /// CreateQueue (botocore sqs model; `tags` is lower-case in the model).
    public struct CreateQueueInput: Sendable, Codable, Equatable {
        public var queueName: String
        public var attributes: [String: String]?
        public var tags: [String: String]?

        public init(queueName: String, attributes: [String: String]? = nil, tags: [String: String]? = nil) {
            self.queueName = queueName
            self.attributes = attributes
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case queueName = "QueueName"
            case attributes = "Attributes"
            case tags
        }
    }

    /// The answer of CreateQueue and GetQueueUrl.
    public struct QueueUrlOutput: Sendable, Codable, Equatable {
        public var queueUrl: String

        enum CodingKeys: String, CodingKey { case queueUrl = "QueueUrl" }
    }

    public struct GetQueueUrlInput: Sendable, Codable, Equatable {
        public var queueName: String
        public var queueOwnerAWSAccountId: String?

        public init(queueName: String, queueOwnerAWSAccountId: String? = nil) {
            self.queueName = queueName
            self.queueOwnerAWSAccountId = queueOwnerAWSAccountId
        }

        enum CodingKeys: String, CodingKey {
            case queueName = "QueueName"
            case queueOwnerAWSAccountId = "QueueOwnerAWSAccountId"
        }
    }

    public struct ListQueuesInput: Sendable, Codable, Equatable {
        public var queueNamePrefix: String?
        public var nextToken: String?
        public var maxResults: Int?

        public init(queueNamePrefix: String? = nil, nextToken: String? = nil, maxResults: Int? = nil) {
            self.queueNamePrefix = queueNamePrefix
            self.nextToken = nextToken
            self.maxResults = maxResults
        }

        enum CodingKeys: String, CodingKey {
            case queueNamePrefix = "QueueNamePrefix"
            case nextToken = "NextToken"
            case maxResults = "MaxResults"
        }
    }

    public struct ListQueuesOutput: Sendable, Codable, Equatable {
        public var queueUrls: [String]?
        public var nextToken: String?

        enum CodingKeys: String, CodingKey {
            case queueUrls = "QueueUrls"
            case nextToken = "NextToken"
        }
    }

    /// DeleteQueue, PurgeQueue, ListQueueTags: only the queue.
    public struct QueueUrlInput: Sendable, Codable, Equatable {
        public var queueUrl: String

        public init(queueUrl: String) { self.queueUrl = queueUrl }

        enum CodingKeys: String, CodingKey { case queueUrl = "QueueUrl" }
    }

    public struct GetQueueAttributesInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var attributeNames: [String]?

        public init(queueUrl: String, attributeNames: [String]? = nil) {
            self.queueUrl = queueUrl
            self.attributeNames = attributeNames
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case attributeNames = "AttributeNames"
        }
    }

    public struct GetQueueAttributesOutput: Sendable, Codable, Equatable {
        public var attributes: [String: String]?

        enum CodingKeys: String, CodingKey { case attributes = "Attributes" }
    }

    public struct SetQueueAttributesInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var attributes: [String: String]

        public init(queueUrl: String, attributes: [String: String]) {
            self.queueUrl = queueUrl
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case attributes = "Attributes"
        }
    }

    public struct TagQueueInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var tags: [String: String]

        public init(queueUrl: String, tags: [String: String]) {
            self.queueUrl = queueUrl
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case tags = "Tags"
        }
    }

    public struct UntagQueueInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var tagKeys: [String]

        public init(queueUrl: String, tagKeys: [String]) {
            self.queueUrl = queueUrl
            self.tagKeys = tagKeys
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case tagKeys = "TagKeys"
        }
    }

    public struct ListQueueTagsOutput: Sendable, Codable, Equatable {
        public var tags: [String: String]?

        enum CodingKeys: String, CodingKey { case tags = "Tags" }
    }

    /// A failed entry of a batch operation.
    public struct BatchResultErrorEntry: Sendable, Codable, Equatable {
        public var id: String
        public var senderFault: Bool
        public var code: String
        public var message: String?

        public init(id: String, error: AWSError) {
            self.id = id
            self.senderFault = error.fault == .client
            self.code = error.code
            self.message = error.message
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case senderFault = "SenderFault"
            case code = "Code"
            case message = "Message"
        }
    }

    /// A successful entry of DeleteMessageBatch and ChangeMessageVisibilityBatch.
    public struct BatchResultEntry: Sendable, Codable, Equatable {
        public var id: String

        enum CodingKeys: String, CodingKey { case id = "Id" }
    }
}
