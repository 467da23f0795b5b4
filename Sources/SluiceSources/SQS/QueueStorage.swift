import SluiceCore

/// Where ``SQSEngine`` keeps queues and messages: the engine acknowledges a change only after ``apply(_:)``
/// returned (issue 3 item 5), and restores itself from ``loadQueues()`` and ``loadMessages()`` on start.
///
/// One ``SQS/StorageChanges`` is one atomic unit (a send batch, a receive batch with its dead-letter moves), so an
/// implementation can commit it in one transaction and group the transactions of concurrent callers.
public protocol QueueStorage: Sendable {
    func loadQueues() async throws -> [SQS.QueueRecord]
    func loadMessages() async throws -> [SQS.MessageRecord]
    /// Applies every change at once; returns when they are durable.
    func apply(_ changes: SQS.StorageChanges) async throws
}

extension SQS {
    /// A queue as stored: its address, settable attributes, tags and timestamps.
    public struct QueueRecord: Sendable, Codable, Equatable {
        public var address: QueueAddress
        public var attributes: QueueAttributes
        public var tags: [String: String]
        public var createdTimestamp: Timestamp
        public var lastModifiedTimestamp: Timestamp
        public var lastPurgeTimestamp: Timestamp?

        public init(
            address: QueueAddress, attributes: QueueAttributes, tags: [String: String] = [:],
            createdTimestamp: Timestamp,
            lastModifiedTimestamp: Timestamp? = nil, lastPurgeTimestamp: Timestamp? = nil
        ) {
            self.address = address
            self.attributes = attributes
            self.tags = tags
            self.createdTimestamp = createdTimestamp
            self.lastModifiedTimestamp = lastModifiedTimestamp ?? createdTimestamp
            self.lastPurgeTimestamp = lastPurgeTimestamp
        }

        /// The storage key: the queue ARN.
        public var key: String { address.arn }
    }

    /// A message as stored, with all of its state: in flight or delayed while `visibleFrom` is in the future
    /// (delayed before its first receive, in flight after).
    public struct MessageRecord: Sendable, Codable, Equatable {
        public var queueArn: String
        public var messageId: String
        public var body: String
        public var md5OfBody: String
        public var messageAttributes: [String: MessageAttributeValue]
        public var md5OfMessageAttributes: String?
        public var senderId: String
        public var awsTraceHeader: String?
        public var deadLetterQueueSourceArn: String?
        public var sentTimestamp: Timestamp
        public var visibleFrom: Timestamp
        public var receiveCount: Int
        public var firstReceiveTimestamp: Timestamp?
        public var lastReceiveTimestamp: Timestamp?
        public var messageGroupId: String?
        public var messageDeduplicationId: String?
        public var sequenceNumber: String?
        /// The position in its queue: receives go in this order (per group on FIFO queues).
        public var enqueueSequence: Int64

        public var key: MessageKey { MessageKey(queueArn: queueArn, messageId: messageId) }

        func isVisible(at now: Timestamp) -> Bool { visibleFrom <= now }
        func isInFlight(at now: Timestamp) -> Bool { receiveCount > 0 && visibleFrom > now }
        func isDelayed(at now: Timestamp) -> Bool { receiveCount == 0 && visibleFrom > now }
    }

    public struct MessageKey: Sendable, Codable, Hashable {
        public var queueArn: String
        public var messageId: String

        public init(queueArn: String, messageId: String) {
            self.queueArn = queueArn
            self.messageId = messageId
        }
    }

    /// One atomic write: `deletedQueues` and `purgedQueues` (queue ARNs) remove every message of those queues too.
    public struct StorageChanges: Sendable, Equatable {
        public var upsertedQueues: [QueueRecord] = []
        public var deletedQueues: [String] = []
        public var purgedQueues: [String] = []
        public var upsertedMessages: [MessageRecord] = []
        public var deletedMessages: [MessageKey] = []

        public init() {}

        public var isEmpty: Bool {
            upsertedQueues.isEmpty && deletedQueues.isEmpty && purgedQueues.isEmpty && upsertedMessages.isEmpty
                && deletedMessages.isEmpty
        }
    }
}
