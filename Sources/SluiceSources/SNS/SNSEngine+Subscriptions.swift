import SluiceCore

/// Subscription operations: Subscribe, Unsubscribe, ListSubscriptions(ByTopic), Get/SetSubscriptionAttributes
/// (botocore sns model; issue 3 item 4: protocol `sqs`).
extension SNSEngine {
    /// Subscribe: an `sqs` endpoint is a queue ARN and is confirmed at once; subscribing the same endpoint again
    /// returns the existing subscription when the attributes agree.
    public func subscribe(_ input: SNS.SubscribeInput, identity: RequestIdentity) async throws -> String {
        let topic = try topic(input.topicArn)
        guard SNS.TopicRules.protocols.contains(input.protocol) else {
            throw AWSError.snsInvalidParameter(
                "Invalid parameter: Amazon SNS does not support this protocol string: \(input.protocol)"
            )
        }
        guard input.protocol == "sqs" else {
            throw AWSError.snsInvalidParameter(
                "Invalid parameter: Protocol Reason: Sluice delivers to the sqs protocol only, not \(input.protocol)"
            )
        }
        guard let endpoint = input.endpoint, let queue = SQS.QueueAddress(arn: endpoint) else {
            throw AWSError.snsInvalidParameter("Invalid parameter: SQS endpoint ARN")
        }
        if queue.name.hasSuffix(SNS.TopicRules.fifoSuffix), !topic.isFifo {
            throw AWSError.snsInvalidParameter(
                "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to "
                    + "standard SNS topics"
            )
        }
        var attributes: [String: String] = [:]
        for (name, value) in input.attributes.sorted(by: { $0.key < $1.key }) {
            attributes[name] = try SNS.TopicRules.subscriptionAttribute(name, value, reason: "Attributes Reason: ")
        }
        if let existing = subscriptions(of: topic.arn).first(where: {
            $0.protocol == input.protocol && $0.endpoint == endpoint
        }) {
            let same = attributes.allSatisfy { name, value in
                existing.attributes[name] == value
                    || (name == "RawMessageDelivery" && value == "false"
                        && existing.attributes[name] == nil)
            }
            guard same else {
                throw AWSError.snsInvalidParameter(
                    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
                )
            }
            return existing.arn
        }
        let subscription = SNS.SubscriptionRecord(
            arn: "\(topic.arn):\(newMessageId())", topicArn: topic.arn, protocol: input.protocol, endpoint: endpoint,
            owner: identity.account, attributes: attributes
        )
        try await commit(subscriptions: [subscription])
        return subscription.arn
    }

    /// Unsubscribe: a subscription that does not exist (any more) is no error.
    public func unsubscribe(subscriptionArn: String, identity: RequestIdentity) async throws {
        guard SNS.ResourceName(arn: subscriptionArn, subscription: true) != nil else {
            throw AWSError.snsInvalidParameter("Invalid parameter: SubscriptionArn")
        }
        guard let subscription = subscriptions[subscriptionArn] else { return }
        var changedTopics: [SNS.TopicRecord] = []
        if var topic = topics[subscription.topicArn] {
            topic.deletedSubscriptions += 1
            changedTopics.append(topic)
        }
        try await commit(topics: changedTopics, deletedSubscriptions: [subscriptionArn])
    }

    /// ListSubscriptions: the caller's region and account, 100 per page.
    public func listSubscriptions(nextToken: String?, identity: RequestIdentity) throws -> SNS.ListSubscriptionsOutput {
        let listed = subscriptionOrder.compactMap { subscriptions[$0] }.filter { subscription in
            guard let name = SNS.ResourceName(arn: subscription.topicArn) else { return false }
            return name.region == identity.region && name.account == identity.account
        }
        let page = try Self.page(listed.map(\.listed), nextToken: nextToken)
        return SNS.ListSubscriptionsOutput(subscriptions: page.items, nextToken: page.nextToken)
    }

    public func listSubscriptionsByTopic(
        topicArn: String, nextToken: String?, identity: RequestIdentity
    ) throws -> SNS.ListSubscriptionsOutput {
        let topic = try topic(topicArn)
        let page = try Self.page(subscriptions(of: topic.arn).map(\.listed), nextToken: nextToken)
        return SNS.ListSubscriptionsOutput(subscriptions: page.items, nextToken: page.nextToken)
    }

    public func getSubscriptionAttributes(subscriptionArn: String, identity: RequestIdentity) throws
        -> [(key: String, value: String)]
    {
        try subscription(subscriptionArn).attributeMap
    }

    /// SetSubscriptionAttributes: one attribute; an empty value removes `FilterPolicy` and the like.
    public func setSubscriptionAttributes(
        subscriptionArn: String, name: String, value: String?, identity: RequestIdentity
    ) async throws {
        var subscription = try subscription(subscriptionArn)
        let value = value ?? ""
        if value.isEmpty, name != "RawMessageDelivery", SNS.TopicRules.subscriptionAttributes.contains(name) {
            subscription.attributes[name] = nil
        } else {
            subscription.attributes[name] = try SNS.TopicRules.subscriptionAttribute(name, value, reason: "")
        }
        try await commit(subscriptions: [subscription])
    }
}
