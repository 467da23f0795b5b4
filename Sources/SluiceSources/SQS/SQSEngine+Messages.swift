import SluiceCore

/// Message operations: SendMessage(Batch), DeleteMessage(Batch), ChangeMessageVisibility(Batch).
extension SQSEngine {
    /// SendMessage: answered once the message is durable; readers of the queue wake.
    public func sendMessage(_ input: SQS.SendMessageInput, identity: RequestIdentity) async throws
        -> SQS.SendMessageOutput
    {
        let address = try address(input.queueUrl, identity)
        let draft = Self.draft(
            body: input.messageBody, attributes: input.messageAttributes, system: input.messageSystemAttributes,
            delaySeconds: input.delaySeconds, groupId: input.messageGroupId,
            deduplicationId: input.messageDeduplicationId, identity: identity
        )
        let results = try await send([draft], to: address)
        let result = try results[0].get()
        return SQS.SendMessageOutput(
            md5OfMessageBody: result.md5OfMessageBody, md5OfMessageAttributes: result.md5OfMessageAttributes,
            md5OfMessageSystemAttributes: SQS.MessageDigest.md5OfAttributes(input.messageSystemAttributes ?? [:]),
            messageId: result.messageId, sequenceNumber: result.sequenceNumber
        )
    }

    /// SendMessageBatch: request-level checks first (empty, too many, ids, total size), then a result per entry;
    /// the successful ones are written in one commit.
    public func sendMessageBatch(
        _ input: SQS.SendMessageBatchInput, identity: RequestIdentity
    ) async throws -> SQS.BatchOutput<SQS.SendMessageBatchResultEntry> {
        let address = try address(input.queueUrl, identity)
        try Self.checkBatch(input.entries.map(\.id), entry: "SendMessageBatchRequestEntry")
        let size = input.entries.reduce(0) {
            $0 + SQS.MessageBodyRules.size(body: $1.messageBody, attributes: $1.messageAttributes ?? [:])
        }
        guard size <= Self.batchSizeLimit else {
            throw AWSError.batchRequestTooLong(size: size, limit: Self.batchSizeLimit)
        }
        try checkFIFOEntries(input.entries, of: address)
        let drafts = input.entries.map {
            Self.draft(
                body: $0.messageBody, attributes: $0.messageAttributes, system: $0.messageSystemAttributes,
                delaySeconds: $0.delaySeconds, groupId: $0.messageGroupId, deduplicationId: $0.messageDeduplicationId,
                identity: identity
            )
        }
        let results = try await send(drafts, to: address)
        var output = SQS.BatchOutput<SQS.SendMessageBatchResultEntry>(successful: [], failed: [])
        for (entry, result) in zip(input.entries, results) {
            switch result {
            case .success(let sent):
                output.successful.append(
                    SQS.SendMessageBatchResultEntry(
                        id: entry.id, messageId: sent.messageId, md5OfMessageBody: sent.md5OfMessageBody,
                        md5OfMessageAttributes: sent.md5OfMessageAttributes,
                        md5OfMessageSystemAttributes: SQS.MessageDigest.md5OfAttributes(
                            entry.messageSystemAttributes ?? [:]),
                        sequenceNumber: sent.sequenceNumber
                    ))
            case .failure(let error):
                output.failed.append(SQS.BatchResultErrorEntry(id: entry.id, error: error))
            }
        }
        return output
    }

    /// Sends each draft in order, commits the enqueued ones together, then wakes readers. On a storage failure
    /// the enqueued messages are taken back and the error thrown.
    func send(_ drafts: [SQS.MessageDraft], to address: SQS.QueueAddress) async throws -> [Result<
        SQS.SendResult, AWSError
    >] {
        guard queues[address] != nil else { throw AWSError.queueDoesNotExist }
        let time = now()
        var results: [Result<SQS.SendResult, AWSError>] = []
        var changes = SQS.StorageChanges()
        for draft in drafts {
            do throws(AWSError) {
                let result = try queues[address]!.send(draft, messageId: newMessageId(), now: time)
                if let message = result.enqueued { changes.upsertedMessages.append(message) }
                results.append(.success(result))
            } catch {
                results.append(.failure(error))
            }
        }
        guard !changes.upsertedMessages.isEmpty else { return results }
        do {
            try await commit(changes)
        } catch {
            for message in changes.upsertedMessages {
                queues[address]?.remove(message.messageId)
                if let id = message.messageDeduplicationId, let key = queues[address]?.deduplicationKey(
                    id, group: message.messageGroupId)
                {
                    queues[address]?.deduplication.forget(key, messageId: message.messageId)
                }
            }
            throw error
        }
        notify(address)
        return results
    }

    static func draft(
        body: String, attributes: [String: SQS.MessageAttributeValue]?, system: [String: SQS.MessageAttributeValue]?,
        delaySeconds: Int?, groupId: String?, deduplicationId: String?, identity: RequestIdentity
    ) -> SQS.MessageDraft {
        SQS.MessageDraft(
            body: body, attributes: attributes ?? [:], delaySeconds: delaySeconds, messageGroupId: groupId,
            messageDeduplicationId: deduplicationId, awsTraceHeader: system?["AWSTraceHeader"]?.stringValue,
            senderId: identity.accessKeyID ?? identity.account
        )
    }

    /// Batch request checks in AWS's order: empty, more than ten, an invalid id, a repeated id.
    static func checkBatch(_ ids: [String], entry: String) throws(AWSError) {
        guard !ids.isEmpty else { throw .emptyBatchRequest(entry: entry) }
        guard ids.count <= batchLimit else { throw .tooManyEntriesInBatchRequest(ids.count) }
        var seen: Set<String> = []
        for id in ids {
            guard (1...80).contains(id.utf8.count),
                id.unicodeScalars.allSatisfy({ SQS.QueueName.isNameScalar($0) })
            else { throw .invalidBatchEntryId }
            guard seen.insert(id).inserted else { throw .batchEntryIdsNotDistinct(id) }
        }
    }

    // MARK: Delete and visibility

    public func deleteMessage(_ input: SQS.DeleteMessageInput, identity: RequestIdentity) async throws {
        let address = try address(input.queueUrl, identity)
        let results = try await apply([(input.receiptHandle, nil)], to: address)
        try results[0].get()
    }

    public func deleteMessageBatch(
        _ input: SQS.ReceiptHandleBatchInput, identity: RequestIdentity
    ) async throws -> SQS.BatchOutput<SQS.BatchResultEntry> {
        let address = try address(input.queueUrl, identity)
        try Self.checkBatch(input.entries.map(\.id), entry: "DeleteMessageBatchRequestEntry")
        let results = try await apply(input.entries.map { ($0.receiptHandle, nil) }, to: address)
        return Self.batchOutput(input.entries, results)
    }

    public func changeMessageVisibility(_ input: SQS.ChangeMessageVisibilityInput, identity: RequestIdentity)
        async throws
    {
        let address = try address(input.queueUrl, identity)
        let results = try await apply([(input.receiptHandle, input.visibilityTimeout)], to: address)
        try results[0].get()
    }

    public func changeMessageVisibilityBatch(
        _ input: SQS.ReceiptHandleBatchInput, identity: RequestIdentity
    ) async throws -> SQS.BatchOutput<SQS.BatchResultEntry> {
        let address = try address(input.queueUrl, identity)
        try Self.checkBatch(input.entries.map(\.id), entry: "ChangeMessageVisibilityBatchRequestEntry")
        let results = try await apply(input.entries.map { ($0.receiptHandle, $0.visibilityTimeout ?? 0) }, to: address)
        return Self.batchOutput(input.entries, results)
    }

    /// Deletes (`timeout` nil) or changes the visibility of the message of each handle, writes the changes in one
    /// commit and wakes readers (a FIFO delete can free a group; a visibility change can make a message visible).
    func apply(_ operations: [(handle: String, timeout: Int?)], to address: SQS.QueueAddress) async throws
        -> [Result<Void, AWSError>]
    {
        guard queues[address] != nil else { throw AWSError.queueDoesNotExist }
        let time = now()
        var changes = SQS.StorageChanges()
        var results: [Result<Void, AWSError>] = []
        for (raw, timeout) in operations {
            do throws(AWSError) {
                let handle = try SQS.ReceiptHandle(decoding: raw)
                if let timeout {
                    changes.upsertedMessages.append(
                        try queues[address]!.changeVisibility(handle, raw: raw, timeout: timeout, now: time))
                } else if let deleted = try queues[address]!.delete(handle, raw: raw, now: time) {
                    changes.deletedMessages.append(deleted.key)
                }
                results.append(.success(()))
            } catch {
                results.append(.failure(error))
            }
        }
        guard !changes.isEmpty else { return results }
        try await commit(changes)
        notify(address)
        return results
    }

    static func batchOutput(
        _ entries: [SQS.ReceiptHandleBatchEntry], _ results: [Result<Void, AWSError>]
    ) -> SQS.BatchOutput<SQS.BatchResultEntry> {
        var output = SQS.BatchOutput<SQS.BatchResultEntry>(successful: [], failed: [])
        for (entry, result) in zip(entries, results) {
            switch result {
            case .success: output.successful.append(SQS.BatchResultEntry(id: entry.id))
            case .failure(let error): output.failed.append(SQS.BatchResultErrorEntry(id: entry.id, error: error))
            }
        }
        return output
    }
}

extension SQSEngine {
    /// On a FIFO queue, an entry without MessageGroupId, or without a deduplication id where none can be derived,
    /// fails the whole batch with InvalidParameterValue (recorded), not one entry.
    func checkFIFOEntries(_ entries: [SQS.SendMessageBatchRequestEntry], of address: SQS.QueueAddress) throws {
        let queue = try existing(address)
        guard queue.attributes.fifoQueue else { return }
        if entries.contains(where: { $0.messageGroupId == nil }) {
            throw AWSError.invalidParameterValue("The request must contain the parameter MessageGroupId.")
        }
        if !queue.attributes.contentBasedDeduplication, entries.contains(where: { $0.messageDeduplicationId == nil }) {
            throw AWSError.invalidParameterValue(
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
                    + "explicitly"
            )
        }
    }
}
