import SluiceCore

/// Topic operations: CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes and the tagging operations
/// (botocore sns model; `reference/wire-protocols.md` §7).
extension SNSEngine {
    /// CreateTopic: idempotent for the same name, attributes and tags; returns the topic ARN.
    public func createTopic(_ input: SNS.CreateTopicInput, identity: RequestIdentity) async throws -> String {
        let attributes = try SNS.TopicRules.creationAttributes(input.attributes)
        try SNS.TopicRules.validateName(input.name, fifo: attributes["FifoTopic"] == "true")
        try Self.validateTags(input.tags)
        let arn = "arn:aws:sns:\(identity.region):\(identity.account):\(input.name)"
        if let existing = topics[arn] {
            let sameAttributes =
                attributes.allSatisfy { existing.attributes[$0.key] == $0.value }
                && existing.isFifo == (attributes["FifoTopic"] == "true")
            guard sameAttributes else {
                throw AWSError.snsInvalidParameter(
                    "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
                )
            }
            guard input.tags.isEmpty || input.tags.allSatisfy({ existing.tags.contains($0) }) else {
                throw AWSError.snsInvalidParameter(
                    "Invalid parameter: Tags Reason: Topic already exists with different tags"
                )
            }
            return arn
        }
        var tags: [SNS.Tag] = []
        for tag in input.tags { Self.upsert(tag, into: &tags) }
        let topic = SNS.TopicRecord(
            arn: arn, region: identity.region, account: identity.account, name: input.name, attributes: attributes,
            tags: tags, lastSequence: 0, deletedSubscriptions: 0
        )
        try await commit(topics: [topic])
        return arn
    }

    /// DeleteTopic: removes the topic and its subscriptions; a topic that does not exist is no error (AWS documents
    /// the action as idempotent).
    public func deleteTopic(topicArn: String, identity: RequestIdentity) async throws {
        guard SNS.ResourceName(arn: topicArn) != nil else {
            throw AWSError.snsInvalidParameter("Invalid parameter: TopicArn")
        }
        guard topics[topicArn] != nil else { return }
        try await commit(deletedTopics: [topicArn])
    }

    /// ListTopics: the caller's region and account, in creation order, 100 per page.
    public func listTopics(nextToken: String?, identity: RequestIdentity) throws -> SNS.ListTopicsOutput {
        let arns = topicOrder.filter {
            topics[$0]?.region == identity.region && topics[$0]?.account == identity.account
        }
        let page = try Self.page(arns, nextToken: nextToken)
        return SNS.ListTopicsOutput(topicArns: page.items, nextToken: page.nextToken)
    }

    public func getTopicAttributes(topicArn: String, identity: RequestIdentity) throws
        -> [(key: String, value: String)]
    {
        let topic = try topic(topicArn)
        return topic.attributeMap(confirmedSubscriptions: subscriptions(of: topicArn).count)
    }

    /// SetTopicAttributes: one settable attribute; an empty `DisplayName`/`Policy` value resets it.
    public func setTopicAttributes(
        topicArn: String, name: String, value: String?, identity: RequestIdentity
    ) async throws {
        var topic = try topic(topicArn)
        let value = value ?? ""
        let normalised = try SNS.TopicRules.topicAttribute(name, value, fifo: topic.isFifo)
        topic.attributes[name] = value.isEmpty && name != "DisplayName" ? nil : normalised
        try await commit(topics: [topic])
    }

    public func tagResource(resourceArn: String, tags: [SNS.Tag], identity: RequestIdentity) async throws {
        var topic = try taggable(resourceArn)
        try Self.validateTags(tags)
        for tag in tags { Self.upsert(tag, into: &topic.tags) }
        guard topic.tags.count <= SNS.TopicRules.maximumTags else { throw AWSError.snsTagLimitExceeded }
        try await commit(topics: [topic])
    }

    public func untagResource(resourceArn: String, tagKeys: [String], identity: RequestIdentity) async throws {
        var topic = try taggable(resourceArn)
        topic.tags.removeAll { tagKeys.contains($0.key) }
        try await commit(topics: [topic])
    }

    public func listTagsForResource(resourceArn: String, identity: RequestIdentity) throws -> [SNS.Tag] {
        try taggable(resourceArn).tags
    }

    /// The topic a tagging operation names; `ResourceNotFound` otherwise.
    func taggable(_ arn: String) throws(AWSError) -> SNS.TopicRecord {
        guard SNS.ResourceName(arn: arn) != nil else { throw .snsInvalidParameter("Invalid parameter: ResourceArn") }
        guard let topic = topics[arn] else { throw .snsResourceNotFound }
        return topic
    }

    /// Keys 1–128, values 0–256 characters, at most 50.
    static func validateTags(_ tags: [SNS.Tag]) throws(AWSError) {
        guard tags.count <= SNS.TopicRules.maximumTags else { throw .snsTagLimitExceeded }
        for tag in tags where tag.key.isEmpty || tag.key.count > 128 || tag.value.count > 256 {
            throw .snsInvalidParameter("Invalid parameter: Tags")
        }
    }

    static func upsert(_ tag: SNS.Tag, into tags: inout [SNS.Tag]) {
        if let index = tags.firstIndex(where: { $0.key == tag.key }) {
            tags[index].value = tag.value
        } else {
            tags.append(tag)
        }
    }
}
