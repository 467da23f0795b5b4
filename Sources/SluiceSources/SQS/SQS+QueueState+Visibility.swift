import SluiceCore

/// The visibility indexes of ``SQS/QueueState``: `pending`/`hiddenSchedule` for hidden messages, `ready` for what a
/// receive may take.
extension SQS.QueueState {
    /// Hides `message` until its `visibleFrom` (replacing an earlier wait).
    mutating func hide(_ message: SQS.MessageRecord) {
        unhide(message.messageId)
        let delayed = message.receiveCount == 0
        pending[message.messageId] = Pending(
            visibleFrom: message.visibleFrom.millisecondsSinceEpoch, sequence: message.enqueueSequence,
            delayed: delayed)
        if delayed { pendingDelayed += 1 }
        hiddenSchedule.push(
            SQS.Scheduled(
                time: message.visibleFrom.millisecondsSinceEpoch, sequence: message.enqueueSequence,
                id: message.messageId))
        let pending = self.pending
        hiddenSchedule.compactIfSparse(live: pending.count) {
            pending[$0.id]?.visibleFrom == $0.time && pending[$0.id]?.sequence == $0.sequence
        }
    }

    /// Forgets the wait of `messageId`, if any (its schedule entry goes stale).
    mutating func unhide(_ messageId: String) {
        if let previous = pending.removeValue(forKey: messageId), previous.delayed { pendingDelayed -= 1 }
    }

    /// Whether a `hiddenSchedule` entry is still the wait of its message.
    func isPending(_ entry: SQS.Scheduled) -> Bool {
        guard let wait = pending[entry.id] else { return false }
        return wait.visibleFrom == entry.time && wait.sequence == entry.sequence
    }

    /// Whether a `ready` entry can be received: the visible message (standard), or the group whose first message is
    /// visible (FIFO), with the sequence recorded.
    func isReady(_ entry: SQS.Scheduled) -> Bool {
        if isFifo {
            guard let first = groups[entry.id]?.first(isLive: isLive) else { return false }
            return first.sequence == entry.time && pending[first.messageId] == nil
        }
        guard let message = messages[entry.id] else { return false }
        return message.enqueueSequence == entry.time && pending[entry.id] == nil
    }

    /// Makes visible every message whose wait ended by `now` and drops stale entries from the top of `ready`, so
    /// `ready.first` is receivable exactly when something is. O((due + stale) log n).
    mutating func prepare(now: Timestamp) {
        while let top = hiddenSchedule.first, top.time <= now.millisecondsSinceEpoch {
            hiddenSchedule.pop()
            guard isPending(top), let message = messages[top.id] else { continue }
            unhide(top.id)
            if let group = group(of: message) {
                if groups[group]?.first(isLive: isLive)?.messageId == message.messageId {
                    pushReady(SQS.Scheduled(time: message.enqueueSequence, sequence: 0, id: group))
                }
            } else {
                pushReady(SQS.Scheduled(time: message.enqueueSequence, sequence: 0, id: message.messageId))
            }
        }
        while let top = ready.first, !isReady(top) { ready.pop() }
    }

    mutating func pushReady(_ entry: SQS.Scheduled) {
        ready.push(entry)
        let live = isFifo ? groups.count : messages.count
        if ready.count > 2 * live + 64 {
            let state = self
            ready.compact(keeping: state.isReady)
        }
    }
}
