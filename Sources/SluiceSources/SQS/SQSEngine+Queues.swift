import Foundation
import SluiceCore

/// Queue operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue, Get/SetQueueAttributes and tags.
extension SQSEngine {
    /// CreateQueue: idempotent with the same attributes, `QueueNameExists` naming the first that differs.
    /// Attributes are checked before the name, as AWS answers `Unknown Attribute FifoQueue.` for `x.fifo` with
    /// `FifoQueue=false`.
    public func createQueue(_ input: SQS.CreateQueueInput, identity: RequestIdentity) async throws -> SQS.QueueUrlOutput
    {
        let values = input.attributes ?? [:]
        let fifo = values["FifoQueue"]?.lowercased() == "true"
        let address = SQS.QueueAddress(region: identity.region, account: identity.account, name: input.queueName)
        if let queue = queues[address] {
            if let name = try queue.attributes.firstDifference(from: values) {
                throw AWSError.queueNameExists(attribute: name)
            }
            return SQS.QueueUrlOutput(queueUrl: url(address))
        }
        var attributes = SQS.QueueAttributes(fifoQueue: fifo)
        try attributes.apply(values)
        try SQS.QueueName.validate(input.queueName, fifo: fifo)
        try checkRedrive(attributes, raw: values["RedrivePolicy"], of: address)
        let record = SQS.QueueRecord(
            address: address, attributes: attributes, tags: input.tags ?? [:], createdTimestamp: now()
        )
        queues[address] = SQS.QueueState(record: record)
        var changes = SQS.StorageChanges()
        changes.upsertedQueues = [record]
        do {
            try await commit(changes)
        } catch {
            queues[address] = nil
            throw error
        }
        return SQS.QueueUrlOutput(queueUrl: url(address))
    }

    /// GetQueueUrl (`QueueOwnerAWSAccountId` must be the caller's: Sluice serves one account).
    public func getQueueUrl(_ input: SQS.GetQueueUrlInput, identity: RequestIdentity) throws -> SQS.QueueUrlOutput {
        let account = input.queueOwnerAWSAccountId ?? identity.account
        let address = SQS.QueueAddress(region: identity.region, account: account, name: input.queueName)
        guard queues[address] != nil else { throw AWSError.queueDoesNotExist }
        return SQS.QueueUrlOutput(queueUrl: url(address))
    }

    /// ListQueues in name order; `NextToken` only when `MaxResults` was given (model doc), at most 1,000 URLs.
    public func listQueues(_ input: SQS.ListQueuesInput, identity: RequestIdentity) throws -> SQS.ListQueuesOutput {
        if let max = input.maxResults, !(1...1000).contains(max) {
            throw AWSError.invalidParameter(
                "MaxResults", value: String(max), reason: "MaxResults must be an integer between 1 and 1000."
            )
        }
        var names = queues.keys
            .filter { $0.region == identity.region && $0.account == identity.account }
            .map(\.name)
            .filter { $0.hasPrefix(input.queueNamePrefix ?? "") }
            .sorted()
        if let token = input.nextToken {
            guard let data = Data(base64Encoded: token) else {
                throw AWSError.invalidParameterValue("Invalid NextToken value.")
            }
            let after = String(decoding: data, as: UTF8.self)
            names = names.filter { $0 > after }
        }
        let limit = input.maxResults ?? 1000
        let page = Array(names.prefix(limit))
        let next =
            input.maxResults != nil && names.count > limit ? page.last.map { Data($0.utf8).base64EncodedString() } : nil
        let urls = page.map {
            url(SQS.QueueAddress(region: identity.region, account: identity.account, name: $0))
        }
        return SQS.ListQueuesOutput(queueUrls: urls.isEmpty ? nil : urls, nextToken: next)
    }

    /// DeleteQueue: the queue and its messages; waiting readers wake and find it gone.
    public func deleteQueue(_ input: SQS.QueueUrlInput, identity: RequestIdentity) async throws {
        let address = try address(input.queueUrl, identity)
        let previous = queues.removeValue(forKey: address)
        var changes = SQS.StorageChanges()
        changes.deletedQueues = [address.arn]
        do {
            try await commit(changes)
        } catch {
            queues[address] = previous
            throw error
        }
        notify(address)
        signals[address] = nil
    }

    /// PurgeQueue: every message goes at once; one purge per queue every 60 seconds.
    public func purgeQueue(_ input: SQS.QueueUrlInput, identity: RequestIdentity) async throws {
        let address = try address(input.queueUrl, identity)
        var queue = try existing(address)
        let time = now()
        if let last = queue.record.lastPurgeTimestamp,
            time.millisecondsSinceEpoch - last.millisecondsSinceEpoch < 60_000
        {
            throw AWSError.purgeQueueInProgress(queue: address.name)
        }
        queue.removeAll()
        queue.deduplication.removeAll()  // AWS forgets deduplication ids on purge (validated)
        queue.record.lastPurgeTimestamp = time
        queues[address] = queue
        var changes = SQS.StorageChanges()
        changes.upsertedQueues = [queue.record]
        changes.purgedQueues = [address.arn]
        try await commit(changes)
    }

    /// GetQueueAttributes: the named attributes, `All` for every one; no names, no attributes.
    public func getQueueAttributes(
        _ input: SQS.GetQueueAttributesInput, identity: RequestIdentity
    ) throws -> SQS.GetQueueAttributesOutput {
        let address = try address(input.queueUrl, identity)
        _ = try existing(address)
        let names = input.attributeNames ?? []
        for name in names where name != "All" && !SQS.QueueAttributes.names.contains(name) {
            throw AWSError.invalidAttributeName("Unknown Attribute \(name).")
        }
        let all = attributeValues(of: address)
        let selected = names.contains("All") ? all : all.filter { names.contains($0.key) }
        return SQS.GetQueueAttributesOutput(attributes: selected.isEmpty ? nil : selected)
    }

    /// Every attribute of a queue, as strings: settable ones, QueueArn, timestamps in epoch seconds, counts.
    func attributeValues(of address: SQS.QueueAddress) -> [String: String] {
        guard queues[address] != nil else { return [:] }
        let counts = queues[address]!.counts(now: now())
        let queue = queues[address]!
        var values = queue.attributes.values
        values["QueueArn"] = queue.arn
        values["CreatedTimestamp"] = String(queue.record.createdTimestamp.millisecondsSinceEpoch / 1000)
        values["LastModifiedTimestamp"] = String(queue.record.lastModifiedTimestamp.millisecondsSinceEpoch / 1000)
        values["ApproximateNumberOfMessages"] = String(counts.visible)
        values["ApproximateNumberOfMessagesNotVisible"] = String(counts.notVisible)
        values["ApproximateNumberOfMessagesDelayed"] = String(counts.delayed)
        return values
    }

    /// SetQueueAttributes: all or nothing.
    public func setQueueAttributes(_ input: SQS.SetQueueAttributesInput, identity: RequestIdentity) async throws {
        let address = try address(input.queueUrl, identity)
        var queue = try existing(address)
        var attributes = queue.attributes
        try attributes.apply(input.attributes)
        try checkRedrive(attributes, raw: input.attributes["RedrivePolicy"], of: address)
        queue.record.attributes = attributes
        queue.record.lastModifiedTimestamp = now()
        try await save(queue)
        notify(address)
    }

    public func tagQueue(_ input: SQS.TagQueueInput, identity: RequestIdentity) async throws {
        var queue = try existing(try address(input.queueUrl, identity))
        queue.record.tags.merge(input.tags) { $1 }
        try await save(queue)
    }

    public func untagQueue(_ input: SQS.UntagQueueInput, identity: RequestIdentity) async throws {
        var queue = try existing(try address(input.queueUrl, identity))
        for key in input.tagKeys { queue.record.tags[key] = nil }
        try await save(queue)
    }

    public func listQueueTags(_ input: SQS.QueueUrlInput, identity: RequestIdentity) throws -> SQS.ListQueueTagsOutput {
        let tags = try existing(try address(input.queueUrl, identity)).record.tags
        return SQS.ListQueueTagsOutput(tags: tags.isEmpty ? nil : tags)
    }

    /// Writes a queue's record through; only the record changes, so the messages in memory stay as they are.
    func save(_ queue: SQS.QueueState) async throws {
        let address = queue.record.address
        let previous = queues[address]?.record
        queues[address]?.record = queue.record
        var changes = SQS.StorageChanges()
        changes.upsertedQueues = [queue.record]
        do {
            try await commit(changes)
        } catch {
            if let previous, queues[address]?.record == queue.record { queues[address]?.record = previous }
            throw error
        }
    }

    /// The dead-letter queue must exist in the same region and account and be of the same type.
    func checkRedrive(_ attributes: SQS.QueueAttributes, raw: String?, of address: SQS.QueueAddress) throws(AWSError) {
        guard let policy = attributes.redrivePolicy, let raw else { return }
        guard let target = SQS.QueueAddress(arn: policy.deadLetterTargetArn), let dlq = queues[target],
            target.region == address.region, target.account == address.account
        else {
            throw .invalidParameter("RedrivePolicy", value: raw, reason: "Dead letter target does not exist.")
        }
        guard dlq.isFifo == attributes.fifoQueue else {
            throw .invalidParameter(
                "RedrivePolicy", value: raw, reason: "Dead-letter queue must be same type of queue as the source.."
            )
        }
    }
}
