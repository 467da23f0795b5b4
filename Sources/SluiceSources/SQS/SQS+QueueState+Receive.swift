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
    ///
    /// O((taken + stale entries) × log n): messages come off `ready` in enqueue order. On a FIFO queue `ready`
    /// holds groups whose first message is visible; once a message of a group is taken, the group's next message
    /// (when visible) joins the merge through `following`, so groups interleave in enqueue order as before.
    mutating func receive(
        maximum: Int, visibilityTimeout: Int, now: Timestamp, maxReceiveCount: Int?
    ) -> SQS.ReceiveResult {
        prepare(now: now)
        var result = SQS.ReceiveResult()
        let hiddenUntil = Timestamp(
            millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(visibilityTimeout) * 1000
        )
        var following = SQS.Schedule()
        while result.received.count < maximum {
            while let top = ready.first, !isReady(top) { ready.pop() }
            while let top = following.first, !isFollowing(top) { following.pop() }
            let message: SQS.MessageRecord
            if let next = following.first, ready.first.map({ next.time < $0.time }) ?? true {
                following.pop()
                guard let found = messages[next.id] else { continue }
                message = found
            } else if let top = ready.pop() {
                let id = isFifo ? groups[top.id]?.first(isLive: isLive)?.messageId : top.id
                guard let id, let found = messages[id] else { continue }
                message = found
            } else {
                break
            }
            if let maxReceiveCount, message.receiveCount >= maxReceiveCount {
                result.deadLettered.append(message)
                remove(message.messageId)
            } else {
                var received = message
                received.receiveCount += 1
                received.firstReceiveTimestamp = received.firstReceiveTimestamp ?? now
                received.lastReceiveTimestamp = now
                received.visibleFrom = hiddenUntil
                result.received.append(received)
                update(received)
            }
            if let group = group(of: message),
                let next = groups[group]?.first(after: message.enqueueSequence, isLive: isLive),
                pending[next.messageId] == nil
            {
                following.push(SQS.Scheduled(time: next.sequence, sequence: 0, id: next.messageId))
            }
        }
        return result
    }

    /// Whether a `following` entry's message is still there and visible.
    private func isFollowing(_ entry: SQS.Scheduled) -> Bool {
        messages[entry.id]?.enqueueSequence == entry.time && pending[entry.id] == nil
    }

    /// Whether a receive at `now` would take something (what a waiting poller waits for).
    mutating func hasReceivableMessages(at now: Timestamp) -> Bool {
        prepare(now: now)
        return ready.first != nil
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
