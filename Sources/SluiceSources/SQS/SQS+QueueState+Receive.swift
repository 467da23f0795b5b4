import SluiceCore

extension SQS {
    /// What one receive took: messages for the caller, messages bound for the dead-letter queue.
    struct ReceiveResult: Sendable {
        var received: [MessageRecord] = []
        var deadLettered: [MessageRecord] = []
    }
}

extension SQS.QueueState {
    /// ReceiveMessage at `now`: visible messages in enqueue order, each hidden for `visibilityTimeout` seconds with
    /// its receive count raised. A message that would exceed `maxReceiveCount` goes to `deadLettered` instead, on the
    /// receive that would exceed it (`reference/semantics.md` §7). FIFO: in order per group, and a group with a
    /// message in flight (or delayed) yields nothing (model doc of `MessageGroupId`).
    mutating func receive(
        maximum: Int, visibilityTimeout: Int, now: Timestamp, maxReceiveCount: Int?
    ) -> SQS.ReceiveResult {
        var result = SQS.ReceiveResult()
        let hiddenUntil = Timestamp(
            millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(visibilityTimeout) * 1000
        )
        forEachReceivable(at: now) { message in
            if let maxReceiveCount, message.receiveCount >= maxReceiveCount {
                result.deadLettered.append(message)
                return true
            }
            var received = message
            received.receiveCount += 1
            received.firstReceiveTimestamp = received.firstReceiveTimestamp ?? now
            received.lastReceiveTimestamp = now
            received.visibleFrom = hiddenUntil
            result.received.append(received)
            return result.received.count < maximum
        }
        for message in result.received { update(message) }
        for message in result.deadLettered { remove(message.messageId) }
        return result
    }

    /// Whether a receive at `now` would take something (what a waiting poller waits for).
    func hasReceivableMessages(at now: Timestamp) -> Bool {
        var found = false
        forEachReceivable(at: now) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with each message a receive at `now` may take, in order, until it returns false.
    func forEachReceivable(at now: Timestamp, _ body: (SQS.MessageRecord) -> Bool) {
        var blockedGroups: Set<String> = []
        for message in orderedMessages {
            let group = isFifo ? message.messageGroupId : nil
            if let group, blockedGroups.contains(group) { continue }
            guard message.isVisible(at: now) else {
                if let group { blockedGroups.insert(group) }
                continue
            }
            if !body(message) { return }
        }
    }

    /// DeleteMessage. A handle from an earlier receive succeeds without deleting (SQS docs: "the request succeeds,
    /// but the message will not be deleted"), as does a handle of a message already gone; on FIFO queues a handle
    /// whose visibility timeout has passed has expired.
    mutating func delete(_ handle: SQS.ReceiptHandle, raw: String, now: Timestamp) throws(AWSError) -> SQS
        .MessageRecord?
    {
        guard handle.queueArn == arn else { throw .receiptHandleIsInvalid(raw) }
        guard let message = messages[handle.messageId], message.receiveCount == handle.receiveCount else { return nil }
        if isFifo, message.isVisible(at: now) {
            throw .invalidParameter("ReceiptHandle", value: raw, reason: "The receipt handle has expired.")
        }
        return remove(message.messageId)
    }

    /// ChangeMessageVisibility: from now, at most 12 hours after the receive that issued the handle.
    mutating func changeVisibility(
        _ handle: SQS.ReceiptHandle, raw: String, timeout: Int, now: Timestamp
    ) throws(AWSError) -> SQS.MessageRecord {
        guard handle.queueArn == arn else { throw .receiptHandleIsInvalid(raw) }
        guard var message = messages[handle.messageId], message.receiveCount == handle.receiveCount else {
            throw .receiptHandleNotAvailable(raw)
        }
        guard (0...43_200).contains(timeout) else {
            throw .invalidParameter(
                "VisibilityTimeout", value: String(timeout), reason: "Must be >= 0 and <= 43200, if provided."
            )
        }
        // A message never received is not in flight; one whose timeout ran out (and not received since, as the
        // handle's receive count shows) can still be hidden again (recorded).
        guard message.receiveCount > 0 else { throw .messageNotInflight }
        let end = now.millisecondsSinceEpoch + Int64(timeout) * 1000
        let receivedAt = message.lastReceiveTimestamp?.millisecondsSinceEpoch ?? now.millisecondsSinceEpoch
        guard end - receivedAt <= 43_200_000 else {
            throw .invalidParameter(
                "VisibilityTimeout", value: String(timeout),
                reason: "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"
            )
        }
        message.visibleFrom = Timestamp(millisecondsSinceEpoch: end)
        update(message)
        return message
    }
}
