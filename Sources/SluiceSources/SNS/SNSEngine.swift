import Foundation
import SluiceCore
import SluiceStore

/// Where SNS delivers `sqs` subscriptions: the embedded SQS, whose `sendMessage` answers only once the message is
/// committed.
public protocol SNSQueueSender: Sendable {
    func sendMessage(_ input: SQS.SendMessageInput, identity: RequestIdentity) async throws -> SQS.SendMessageOutput
}

extension SQSEngine: SNSQueueSender {}

/// The embedded SNS (issue 3 item 4): topics and subscriptions in memory for reads, every change written through to
/// a `BatchStore` (tables `sns-topics` and `sns-subscriptions`, subscriptions grouped by topic ARN) before it is
/// acknowledged; Publish answers once every subscribed queue that exists holds the message
/// (`reference/wire-protocols.md` §7, `reference/events.md` §7.5).
public actor SNSEngine {
    public struct Configuration: Sendable {
        /// The server's base URL, `http://<host:port>`: `UnsubscribeURL` and `SigningCertURL` point at it.
        public var baseURL: @Sendable () -> String

        public init(baseURL: String = "http://localhost:4566") {
            self.baseURL = { baseURL }
        }

        public init(baseURL: @escaping @Sendable () -> String) {
            self.baseURL = baseURL
        }
    }

    static let topicsTable = "sns-topics"
    static let subscriptionsTable = "sns-subscriptions"
    /// ListTopics and ListSubscriptions pages (SNS API reference).
    static let pageSize = 100
    /// FIFO topics drop a repeated MessageDeduplicationId within five minutes.
    static let deduplicationMilliseconds: Int64 = 300_000

    let store: any BatchStore
    let queues: any SNSQueueSender
    let configuration: Configuration
    let now: @Sendable () -> Timestamp
    let newMessageId: @Sendable () -> String
    var topics: [String: SNS.TopicRecord] = [:]
    var topicOrder: [String] = []
    var subscriptions: [String: SNS.SubscriptionRecord] = [:]
    var subscriptionOrder: [String] = []
    /// Per FIFO topic: deduplication id → the answer given and when.
    var deduplication: [String: [String: (output: SNS.PublishOutput, at: Timestamp)]] = [:]

    /// Restores topics and subscriptions from `store`.
    public init(
        store: any BatchStore, queues: any SNSQueueSender, configuration: Configuration = .init(),
        now: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) },
        newMessageId: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) async throws {
        self.store = store
        self.queues = queues
        self.configuration = configuration
        self.now = now
        self.newMessageId = newMessageId
        let decoder = JSONDecoder()
        for row in try await store.rows(in: Self.topicsTable) {
            let topic = try decoder.decode(SNS.TopicRecord.self, from: Data(row.body.utf8))
            topics[topic.arn] = topic
            topicOrder.append(topic.arn)
        }
        for row in try await store.rows(in: Self.subscriptionsTable) {
            let subscription = try decoder.decode(SNS.SubscriptionRecord.self, from: Data(row.body.utf8))
            subscriptions[subscription.arn] = subscription
            subscriptionOrder.append(subscription.arn)
        }
    }

    // MARK: Lookup

    /// The topic a `TopicArn` names: `InvalidParameter` when it is no topic ARN, `NotFound` when there is none.
    func topic(_ arn: String, member: String = "TopicArn") throws(AWSError) -> SNS.TopicRecord {
        guard SNS.ResourceName(arn: arn) != nil else { throw .snsInvalidParameter("Invalid parameter: \(member)") }
        guard let topic = topics[arn] else { throw .topicNotFound }
        return topic
    }

    func subscription(_ arn: String) throws(AWSError) -> SNS.SubscriptionRecord {
        guard SNS.ResourceName(arn: arn, subscription: true) != nil else {
            throw .snsInvalidParameter("Invalid parameter: SubscriptionArn")
        }
        guard let subscription = subscriptions[arn] else { throw .subscriptionNotFound }
        return subscription
    }

    func subscriptions(of topicArn: String) -> [SNS.SubscriptionRecord] {
        subscriptionOrder.compactMap { subscriptions[$0] }.filter { $0.topicArn == topicArn }
    }

    /// One page of `items` from a `NextToken` (the offset of the page, as text).
    static func page<T>(_ items: [T], nextToken: String?) throws(AWSError) -> (items: [T], nextToken: String?) {
        var start = 0
        if let nextToken {
            guard let offset = Int(nextToken), offset >= 0, offset <= items.count else {
                throw .snsInvalidParameter("Invalid parameter: NextToken")
            }
            start = offset
        }
        let end = min(items.count, start + pageSize)
        return (Array(items[start..<end]), end < items.count ? String(end) : nil)
    }

    // MARK: Storage

    /// Writes topics and subscriptions through, then applies them in memory.
    func commit(
        topics changedTopics: [SNS.TopicRecord] = [], deletedTopics: [String] = [],
        subscriptions changedSubscriptions: [SNS.SubscriptionRecord] = [], deletedSubscriptions: [String] = []
    ) async throws {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        var writes: [BatchWrite] = []
        for arn in deletedTopics {
            writes.append(.delete(table: Self.topicsTable, key: arn))
            writes.append(.deleteGroup(table: Self.subscriptionsTable, group: arn))
        }
        for arn in deletedSubscriptions { writes.append(.delete(table: Self.subscriptionsTable, key: arn)) }
        for topic in changedTopics {
            writes.append(
                .put(table: Self.topicsTable, row: StoredRow(key: topic.arn, group: "", body: try json(topic))))
        }
        for subscription in changedSubscriptions {
            let row = StoredRow(key: subscription.arn, group: subscription.topicArn, body: try json(subscription))
            writes.append(.put(table: Self.subscriptionsTable, row: row))
        }
        try await store.apply(writes)
        for arn in deletedTopics {
            topics[arn] = nil
            topicOrder.removeAll { $0 == arn }
            deduplication[arn] = nil
            let gone = Set(subscriptions.values.filter { $0.topicArn == arn }.map(\.arn))
            for subscriptionArn in gone { subscriptions[subscriptionArn] = nil }
            subscriptionOrder.removeAll { gone.contains($0) }
        }
        for arn in deletedSubscriptions {
            subscriptions[arn] = nil
            subscriptionOrder.removeAll { $0 == arn }
        }
        for topic in changedTopics {
            if topics.updateValue(topic, forKey: topic.arn) == nil { topicOrder.append(topic.arn) }
        }
        for subscription in changedSubscriptions {
            if subscriptions.updateValue(subscription, forKey: subscription.arn) == nil {
                subscriptionOrder.append(subscription.arn)
            }
        }
    }
}
