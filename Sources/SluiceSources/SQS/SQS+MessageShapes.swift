extension SQS {
    /// SendMessage (botocore sqs model). `MessageSystemAttributes` carries only `AWSTraceHeader`.
    public struct SendMessageInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var messageBody: String
        public var delaySeconds: Int?
        public var messageAttributes: [String: MessageAttributeValue]?
        public var messageSystemAttributes: [String: MessageAttributeValue]?
        public var messageDeduplicationId: String?
        public var messageGroupId: String?

        public init(
            queueUrl: String, messageBody: String, delaySeconds: Int? = nil,
            messageAttributes: [String: MessageAttributeValue]? = nil, messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.queueUrl = queueUrl
            self.messageBody = messageBody
            self.delaySeconds = delaySeconds
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case messageBody = "MessageBody"
            case delaySeconds = "DelaySeconds"
            case messageAttributes = "MessageAttributes"
            case messageSystemAttributes = "MessageSystemAttributes"
            case messageDeduplicationId = "MessageDeduplicationId"
            case messageGroupId = "MessageGroupId"
        }
    }

    public struct SendMessageOutput: Sendable, Codable, Equatable {
        public var md5OfMessageBody: String
        public var md5OfMessageAttributes: String?
        public var md5OfMessageSystemAttributes: String?
        public var messageId: String
        public var sequenceNumber: String?

        enum CodingKeys: String, CodingKey {
            case md5OfMessageBody = "MD5OfMessageBody"
            case md5OfMessageAttributes = "MD5OfMessageAttributes"
            case md5OfMessageSystemAttributes = "MD5OfMessageSystemAttributes"
            case messageId = "MessageId"
            case sequenceNumber = "SequenceNumber"
        }
    }

    public struct SendMessageBatchRequestEntry: Sendable, Codable, Equatable {
        public var id: String
        public var messageBody: String
        public var delaySeconds: Int?
        public var messageAttributes: [String: MessageAttributeValue]?
        public var messageSystemAttributes: [String: MessageAttributeValue]?
        public var messageDeduplicationId: String?
        public var messageGroupId: String?

        public init(
            id: String, messageBody: String, delaySeconds: Int? = nil,
            messageAttributes: [String: MessageAttributeValue]? = nil, messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.id = id
            self.messageBody = messageBody
            self.delaySeconds = delaySeconds
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case messageBody = "MessageBody"
            case delaySeconds = "DelaySeconds"
            case messageAttributes = "MessageAttributes"
            case messageSystemAttributes = "MessageSystemAttributes"
            case messageDeduplicationId = "MessageDeduplicationId"
            case messageGroupId = "MessageGroupId"
        }
    }

    public struct SendMessageBatchInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var entries: [SendMessageBatchRequestEntry]

        public init(queueUrl: String, entries: [SendMessageBatchRequestEntry]) {
            self.queueUrl = queueUrl
            self.entries = entries
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case entries = "Entries"
        }
    }

    public struct SendMessageBatchResultEntry: Sendable, Codable, Equatable {
        public var id: String
        public var messageId: String
        public var md5OfMessageBody: String
        public var md5OfMessageAttributes: String?
        public var md5OfMessageSystemAttributes: String?
        public var sequenceNumber: String?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case messageId = "MessageId"
            case md5OfMessageBody = "MD5OfMessageBody"
            case md5OfMessageAttributes = "MD5OfMessageAttributes"
            case md5OfMessageSystemAttributes = "MD5OfMessageSystemAttributes"
            case sequenceNumber = "SequenceNumber"
        }
    }

    /// SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch answers: both lists always present
    /// (both are required members of the model).
    public struct BatchOutput<Success: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
        public var successful: [Success]
        public var failed: [BatchResultErrorEntry]

        enum CodingKeys: String, CodingKey {
            case successful = "Successful"
            case failed = "Failed"
        }
    }

    public struct ReceiveMessageInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var attributeNames: [String]?
        public var messageSystemAttributeNames: [String]?
        public var messageAttributeNames: [String]?
        public var maxNumberOfMessages: Int?
        public var visibilityTimeout: Int?
        public var waitTimeSeconds: Int?
        public var receiveRequestAttemptId: String?

        public init(
            queueUrl: String, messageSystemAttributeNames: [String]? = nil, messageAttributeNames: [String]? = nil,
            maxNumberOfMessages: Int? = nil, visibilityTimeout: Int? = nil, waitTimeSeconds: Int? = nil
        ) {
            self.queueUrl = queueUrl
            self.messageSystemAttributeNames = messageSystemAttributeNames
            self.messageAttributeNames = messageAttributeNames
            self.maxNumberOfMessages = maxNumberOfMessages
            self.visibilityTimeout = visibilityTimeout
            self.waitTimeSeconds = waitTimeSeconds
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case attributeNames = "AttributeNames"
            case messageSystemAttributeNames = "MessageSystemAttributeNames"
            case messageAttributeNames = "MessageAttributeNames"
            case maxNumberOfMessages = "MaxNumberOfMessages"
            case visibilityTimeout = "VisibilityTimeout"
            case waitTimeSeconds = "WaitTimeSeconds"
            case receiveRequestAttemptId = "ReceiveRequestAttemptId"
        }
    }

    /// `Message` of ReceiveMessage: `Attributes` are the system attributes, values as strings.
    public struct Message: Sendable, Codable, Equatable {
        public var messageId: String
        public var receiptHandle: String
        public var md5OfBody: String
        public var body: String
        public var attributes: [String: String]?
        public var md5OfMessageAttributes: String?
        public var messageAttributes: [String: MessageAttributeValue]?

        enum CodingKeys: String, CodingKey {
            case messageId = "MessageId"
            case receiptHandle = "ReceiptHandle"
            case md5OfBody = "MD5OfBody"
            case body = "Body"
            case attributes = "Attributes"
            case md5OfMessageAttributes = "MD5OfMessageAttributes"
            case messageAttributes = "MessageAttributes"
        }
    }

    public struct ReceiveMessageOutput: Sendable, Codable, Equatable {
        public var messages: [Message]?

        enum CodingKeys: String, CodingKey { case messages = "Messages" }
    }

    public struct DeleteMessageInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var receiptHandle: String

        public init(queueUrl: String, receiptHandle: String) {
            self.queueUrl = queueUrl
            self.receiptHandle = receiptHandle
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case receiptHandle = "ReceiptHandle"
        }
    }

    /// An entry of DeleteMessageBatch (no `VisibilityTimeout`) or ChangeMessageVisibilityBatch.
    public struct ReceiptHandleBatchEntry: Sendable, Codable, Equatable {
        public var id: String
        public var receiptHandle: String
        public var visibilityTimeout: Int?

        public init(id: String, receiptHandle: String, visibilityTimeout: Int? = nil) {
            self.id = id
            self.receiptHandle = receiptHandle
            self.visibilityTimeout = visibilityTimeout
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case receiptHandle = "ReceiptHandle"
            case visibilityTimeout = "VisibilityTimeout"
        }
    }

    /// DeleteMessageBatch and ChangeMessageVisibilityBatch.
    public struct ReceiptHandleBatchInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var entries: [ReceiptHandleBatchEntry]

        public init(queueUrl: String, entries: [ReceiptHandleBatchEntry]) {
            self.queueUrl = queueUrl
            self.entries = entries
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case entries = "Entries"
        }
    }

    public struct ChangeMessageVisibilityInput: Sendable, Codable, Equatable {
        public var queueUrl: String
        public var receiptHandle: String
        public var visibilityTimeout: Int

        public init(queueUrl: String, receiptHandle: String, visibilityTimeout: Int) {
            self.queueUrl = queueUrl
            self.receiptHandle = receiptHandle
            self.visibilityTimeout = visibilityTimeout
        }

        enum CodingKeys: String, CodingKey {
            case queueUrl = "QueueUrl"
            case receiptHandle = "ReceiptHandle"
            case visibilityTimeout = "VisibilityTimeout"
        }
    }
}
