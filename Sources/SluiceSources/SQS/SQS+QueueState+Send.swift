import SluiceCore

extension SQS {
    /// What a producer sends: SendMessage or one SendMessageBatch entry, plus who sent it.
    struct MessageDraft: Sendable {
        var body: String
        var attributes: [String: MessageAttributeValue]
        var delaySeconds: Int?
        var messageGroupId: String?
        var messageDeduplicationId: String?
        var awsTraceHeader: String?
        var senderId: String
    }

    /// What SendMessage answers; `enqueued` is false for a FIFO duplicate inside the deduplication interval.
    struct SendResult: Sendable {
        var messageId: String
        var md5OfMessageBody: String
        var md5OfMessageAttributes: String?
        var sequenceNumber: String?
        var enqueued: MessageRecord?
    }
}

extension SQS.QueueState {
    /// SendMessage: validation in AWS's order, then FIFO deduplication, then the new message (delayed by its own
    /// DelaySeconds or the queue's).
    mutating func send(_ draft: SQS.MessageDraft, messageId: String, now: Timestamp) throws(AWSError) -> SQS.SendResult
    {
        try SQS.MessageBodyRules.validate(
            body: draft.body, attributes: draft.attributes, maximumSize: attributes.maximumMessageSize
        )
        try SQS.MessageAttributeRules.validate(draft.attributes)
        try Self.validateIdentifier(draft.messageGroupId, parameter: "MessageGroupId")
        try Self.validateIdentifier(draft.messageDeduplicationId, parameter: "MessageDeduplicationId")
        if let delay = draft.delaySeconds, !(0...900).contains(delay) {
            throw .invalidParameter(
                "DelaySeconds", value: String(delay), reason: "DelaySeconds must be >= 0 and <= 900."
            )
        }
        let md5OfBody = SQS.MessageDigest.md5OfBody(draft.body)
        let md5OfAttributes = SQS.MessageDigest.md5OfAttributes(draft.attributes)
        var deduplicationId: String?
        var sequenceNumber: String?
        if isFifo {
            if let delay = draft.delaySeconds, delay != 0 {
                throw .invalidParameter(
                    "DelaySeconds", value: String(delay),
                    reason: "The request include parameter that is not valid for this queue type."
                )
            }
            guard let group = draft.messageGroupId else { throw .missingParameter("MessageGroupId") }
            deduplicationId =
                draft.messageDeduplicationId
                ?? (attributes.contentBasedDeduplication ? SQS.MessageDigest.sha256OfBody(draft.body) : nil)
            guard let deduplicationId else {
                throw .invalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                        + "provided explicitly"
                )
            }
            let key = deduplicationKey(deduplicationId, group: group)
            if let earlier = deduplication.duplicate(of: key, at: now) {
                return SQS.SendResult(
                    messageId: earlier.messageId, md5OfMessageBody: md5OfBody, md5OfMessageAttributes: md5OfAttributes,
                    sequenceNumber: earlier.sequenceNumber, enqueued: nil
                )
            }
            sequenceNumber = nextSequenceNumber(now: now)
            deduplication.record(
                key, .init(messageId: messageId, sequenceNumber: sequenceNumber, sentTimestamp: now))
        } else if let id = draft.messageDeduplicationId {
            throw .invalidParameter(
                "MessageDeduplicationId", value: id,
                reason: "The request includes a parameter that is not valid for this queue type."
            )
        }
        let delay = Int64(draft.delaySeconds ?? attributes.delaySeconds)
        let message = SQS.MessageRecord(
            queueArn: arn, messageId: messageId, body: draft.body, md5OfBody: md5OfBody,
            messageAttributes: draft.attributes, md5OfMessageAttributes: md5OfAttributes, senderId: draft.senderId,
            awsTraceHeader: draft.awsTraceHeader, deadLetterQueueSourceArn: nil, sentTimestamp: now,
            visibleFrom: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + delay * 1000),
            receiveCount: 0, firstReceiveTimestamp: nil, lastReceiveTimestamp: nil,
            messageGroupId: draft.messageGroupId, messageDeduplicationId: deduplicationId,
            sequenceNumber: sequenceNumber, enqueueSequence: nextEnqueueSequence
        )
        insert(message)
        return SQS.SendResult(
            messageId: messageId, md5OfMessageBody: md5OfBody, md5OfMessageAttributes: md5OfAttributes,
            sequenceNumber: sequenceNumber, enqueued: message
        )
    }

    /// A message moved here from the queue whose redrive policy names this one: same id, body and attributes,
    /// ApproximateReceiveCount and ApproximateFirstReceiveTimestamp, visible at once (as LocalStack's AWS-recorded
    /// behaviour: the count goes on in the dead-letter queue).
    mutating func acceptDeadLetter(_ message: SQS.MessageRecord, from source: String, now: Timestamp)
        -> SQS.MessageRecord
    {
        var moved = message
        moved.queueArn = arn
        moved.deadLetterQueueSourceArn = source
        moved.visibleFrom = now
        moved.enqueueSequence = nextEnqueueSequence
        if isFifo { moved.sequenceNumber = nextSequenceNumber(now: now) }
        insert(moved)
        return moved
    }

    /// Increasing per queue and across restarts: the send time in the high bits, a counter below.
    mutating func nextSequenceNumber(now: Timestamp) -> String {
        let fromClock = UInt64(max(0, now.millisecondsSinceEpoch)) << 22
        lastSequenceNumber = max(lastSequenceNumber + 1, fromClock)
        return String(lastSequenceNumber)
    }

    /// MessageGroupId and MessageDeduplicationId: 1–128 alphanumeric and punctuation characters.
    static func validateIdentifier(_ value: String?, parameter: String) throws(AWSError) {
        guard let value else { return }
        let valid =
            (1...128).contains(value.utf8.count)
            && value.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }
        guard valid else {
            throw .invalidParameter(
                parameter, value: value,
                reason: "\(parameter) can only include alphanumeric and punctuation characters. 1 to 128 in length."
            )
        }
    }
}
