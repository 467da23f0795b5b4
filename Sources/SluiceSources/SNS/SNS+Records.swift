import SluiceCore

extension SNS {
    /// A topic as stored: its ARN parts, the attributes set on it, tags, and FIFO bookkeeping.
    public struct TopicRecord: Sendable, Codable, Equatable {
        public var arn: String
        public var region: String
        public var account: String
        public var name: String
        /// Attributes given to CreateTopic or SetTopicAttributes (`DisplayName`, `Policy`, `FifoTopic`, …).
        public var attributes: [String: String]
        public var tags: [Tag]
        /// The last SequenceNumber handed out (FIFO topics), kept so that numbers grow across restarts.
        public var lastSequence: UInt64
        public var deletedSubscriptions: Int

        public var isFifo: Bool { attributes["FifoTopic"] == "true" }
        public var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"] == "true" }

        /// GetTopicAttributes: the stored attributes over AWS's defaults (`Policy`, `EffectiveDeliveryPolicy`,
        /// `DisplayName` empty, `Owner`, the subscription counts; FIFO topics `FifoTopic` and
        /// `ContentBasedDeduplication`).
        func attributeMap(confirmedSubscriptions: Int) -> [(key: String, value: String)] {
            var map: [(key: String, value: String)] = [
                ("Policy", attributes["Policy"] ?? Self.defaultPolicy(arn: arn, account: account)),
                ("Owner", account),
                ("SubscriptionsPending", "0"),
                ("TopicArn", arn),
                ("EffectiveDeliveryPolicy", attributes["DeliveryPolicy"] ?? Self.defaultEffectiveDeliveryPolicy),
                ("SubscriptionsConfirmed", String(confirmedSubscriptions)),
                ("DisplayName", attributes["DisplayName"] ?? ""),
                ("SubscriptionsDeleted", String(deletedSubscriptions)),
            ]
            if isFifo {
                map.append(("FifoTopic", "true"))
                map.append(("ContentBasedDeduplication", contentBasedDeduplication ? "true" : "false"))
            }
            let shown = Set(map.map(\.key)).union(["FifoTopic", "ContentBasedDeduplication"])
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) where !shown.contains(key) {
                map.append((key, value))
            }
            return map
        }

        /// The policy AWS gives a new topic.
        static func defaultPolicy(arn: String, account: String) -> String {
            #"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","#
                + #""Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","#
                + #""SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","#
                + #""SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"\#(arn)","#
                + #""Condition":{"StringEquals":{"AWS:SourceOwner":"\#(account)"}}}]}"#
        }

        /// The effective delivery policy of a topic without one of its own.
        static let defaultEffectiveDeliveryPolicy =
            #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"#
            + #""numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"#
            + #""disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"#
            + #""text/plain; charset=UTF-8"}}}"#
    }

    /// A subscription as stored; `sqs` subscriptions are confirmed when made.
    public struct SubscriptionRecord: Sendable, Codable, Equatable {
        public var arn: String
        public var topicArn: String
        public var `protocol`: String
        public var endpoint: String
        public var owner: String
        /// `RawMessageDelivery` (`true`/`false`), `FilterPolicy`, `FilterPolicyScope`, `RedrivePolicy`, ….
        public var attributes: [String: String]

        public var rawMessageDelivery: Bool { attributes["RawMessageDelivery"] == "true" }

        var listed: Subscription {
            Subscription(
                subscriptionArn: arn, owner: owner, protocol: self.protocol, endpoint: endpoint, topicArn: topicArn
            )
        }

        /// GetSubscriptionAttributes: AWS's members for a confirmed subscription, then the attributes set.
        var attributeMap: [(key: String, value: String)] {
            var map: [(key: String, value: String)] = [
                ("Owner", owner),
                ("RawMessageDelivery", rawMessageDelivery ? "true" : "false"),
                ("TopicArn", topicArn),
                ("Endpoint", endpoint),
                ("Protocol", self.protocol),
                ("PendingConfirmation", "false"),
                ("ConfirmationWasAuthenticated", "true"),
                ("SubscriptionArn", arn),
            ]
            if attributes["FilterPolicy"] != nil, attributes["FilterPolicyScope"] == nil {
                map.append(("FilterPolicyScope", "MessageAttributes"))
            }
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) where key != "RawMessageDelivery" {
                map.append((key, value))
            }
            return map
        }
    }
}
