import SluiceCore

/// The embedded SQS as an SQS mapping's ``QueueSource``: the same long poll, visibility, redrive and delete as
/// ReceiveMessage and DeleteMessageBatch, without the HTTP round trip.
extension SQSEngine: QueueSource {
    /// A whole batch (BatchSize ≤ 10,000) in one step and one commit: what consecutive ReceiveMessage calls of 10
    /// would take, without a commit each.
    public nonisolated var maximumMessagesPerReceive: Int { 10_000 }

    public func receive(queueArn: String, maximum: Int, waitingUpTo wait: Duration) async throws -> [SQSEventMessage] {
        guard let address = SQS.QueueAddress(arn: queueArn) else { throw AWSError.queueDoesNotExist }
        let received = try await receive(
            from: address, maximum: min(max(maximum, 1), maximumMessagesPerReceive), visibilityTimeout: nil,
            waitingUpTo: wait
        )
        return received.map { $0.record.eventMessage(receiptHandle: $0.handle) }
    }

    /// One commit for the whole batch, as consecutive DeleteMessageBatch calls of 10 would leave the queue.
    public func delete(queueArn: String, receiptHandles: [String]) async throws {
        guard let address = SQS.QueueAddress(arn: queueArn) else { throw AWSError.queueDoesNotExist }
        _ = try await apply(receiptHandles.map { ($0, nil) }, to: address)
    }
}

extension SQS.MessageRecord {
    /// The message as a Lambda SQS event carries it: every system attribute (as ReceiveMessage with `All` returns
    /// them, in the event's order) and every message attribute, sorted by name.
    func eventMessage(receiptHandle: String) -> SQSEventMessage {
        var system: [String: String] = [
            "ApproximateReceiveCount": String(receiveCount),
            "SentTimestamp": String(sentTimestamp.millisecondsSinceEpoch),
            "SenderId": senderId,
            "ApproximateFirstReceiveTimestamp": String(
                (firstReceiveTimestamp ?? sentTimestamp).millisecondsSinceEpoch
            ),
        ]
        system["SequenceNumber"] = sequenceNumber
        system["MessageGroupId"] = messageGroupId
        system["MessageDeduplicationId"] = messageDeduplicationId
        system["AWSTraceHeader"] = awsTraceHeader
        system["DeadLetterQueueSourceArn"] = deadLetterQueueSourceArn
        let attributes = messageAttributes.sorted { $0.key < $1.key }.map { name, value in
            SQSEventMessage.MessageAttribute(
                name: name, dataType: value.dataType,
                value: value.binaryValue.map { .binary([UInt8]($0)) } ?? .string(value.stringValue ?? "")
            )
        }
        return SQSEventMessage(
            messageId: messageId, receiptHandle: receiptHandle, body: body,
            attributes: SQSEventMessage.orderedAttributes(system), messageAttributes: attributes,
            md5OfMessageAttributes: attributes.isEmpty ? nil : md5OfMessageAttributes, md5OfBody: md5OfBody
        )
    }
}
