import SluiceCore

extension SQS {
    /// One queue in memory: its record and messages, with the rules that need no I/O (send, receive, delete,
    /// visibility, retention). Every mutation returns the records it changed; ``SQSEngine`` writes them through.
    ///
    /// Receive, delete and expiry cost O(messages touched × log n), whatever the depth, thanks to three indexes
    /// kept beside `messages` (all with lazy deletion: a stale entry is dropped when it reaches the top):
    /// - `pending` and `hiddenSchedule`: every message whose visibility changed (sent, received, its visibility
    ///   changed) waits there, by `visibleFrom`, until ``prepare(now:)`` finds it due; until then it is hidden.
    /// - `ready`: what a receive may take, by enqueue sequence. On a standard queue, every visible message; on a
    ///   FIFO queue, every group whose first message (`groups`) is visible — a group with its first message in
    ///   flight or delayed yields nothing, and a receive walks on within a group from the message it took.
    /// - `retention`: every message by `sentTimestamp`, so expiry only looks at the expired.
    struct QueueState: Sendable {
        /// A message waiting in `hiddenSchedule`: hidden until `visibleFrom`; `delayed` when never received.
        struct Pending: Sendable {
            var visibleFrom: Int64
            var sequence: Int64
            var delayed: Bool
        }

        var record: QueueRecord
        private(set) var messages: [String: MessageRecord] = [:]
        var deduplication = DeduplicationWindow()
        var nextEnqueueSequence: Int64 = 1
        var lastSequenceNumber: UInt64 = 0

        // The indexes below change only through insert, update, remove, removeAll, expire and the methods of
        // SQS+QueueState+Visibility.swift.

        /// Messages not yet visible (or not yet seen visible by ``prepare(now:)``), by id.
        var pending: [String: Pending] = [:]
        /// How many of `pending` were never received: ApproximateNumberOfMessagesDelayed.
        var pendingDelayed = 0
        /// `pending` by (visibleFrom, enqueue sequence); id = message id.
        var hiddenSchedule = Schedule()
        /// Receivable, by enqueue sequence (`time`); id = message id, or the group id on FIFO queues.
        var ready = Schedule()
        /// Every message by (sentTimestamp, enqueue sequence): MessageRetentionPeriod.
        private var retention = Schedule()
        /// FIFO queues: each group's messages in order.
        private(set) var groups: [String: MessageGroup] = [:]

        init(record: QueueRecord, messages: [MessageRecord] = []) {
            self.record = record
            for message in messages.sorted(by: { $0.enqueueSequence < $1.enqueueSequence }) {
                insert(message)
                if let id = message.messageDeduplicationId {
                    deduplication.record(
                        deduplicationKey(id, group: message.messageGroupId),
                        .init(
                            messageId: message.messageId, sequenceNumber: message.sequenceNumber,
                            sentTimestamp: message.sentTimestamp))
                }
                if let sequence = message.sequenceNumber.flatMap(UInt64.init) {
                    lastSequenceNumber = max(lastSequenceNumber, sequence)
                }
            }
        }

        var arn: String { record.address.arn }
        var attributes: QueueAttributes { record.attributes }
        var isFifo: Bool { record.attributes.fifoQueue }

        // MARK: Counts

        /// ApproximateNumberOfMessages, …NotVisible, …Delayed; O(due messages).
        mutating func counts(now: Timestamp) -> (visible: Int, notVisible: Int, delayed: Int) {
            prepare(now: now)
            return (messages.count - pending.count, pending.count - pendingDelayed, pendingDelayed)
        }

        /// The next instant after `now` when a delayed or in-flight message becomes visible.
        mutating func nextVisibilityChange(after now: Timestamp) -> Timestamp? {
            prepare(now: now)
            while let top = hiddenSchedule.first, !isPending(top) { hiddenSchedule.pop() }
            return hiddenSchedule.first.map { Timestamp(millisecondsSinceEpoch: $0.time) }
        }

        // MARK: Records

        mutating func insert(_ message: MessageRecord) {
            messages[message.messageId] = message
            nextEnqueueSequence = max(nextEnqueueSequence, message.enqueueSequence + 1)
            retention.push(
                Scheduled(
                    time: message.sentTimestamp.millisecondsSinceEpoch, sequence: message.enqueueSequence,
                    id: message.messageId))
            let messages = self.messages
            retention.compactIfSparse(live: messages.count) { messages[$0.id]?.enqueueSequence == $0.sequence }
            if let group = group(of: message) {
                groups[group, default: MessageGroup()].append(
                    .init(sequence: message.enqueueSequence, messageId: message.messageId))
            }
            hide(message)
        }

        /// A received message or one whose visibility changed: hidden until ``prepare(now:)`` sees it visible.
        mutating func update(_ message: MessageRecord) {
            guard messages[message.messageId] != nil else { return }
            messages[message.messageId] = message
            hide(message)
        }

        @discardableResult
        mutating func remove(_ messageId: String) -> MessageRecord? {
            guard let removed = messages.removeValue(forKey: messageId) else { return nil }
            unhide(messageId)
            if let group = group(of: removed), var members = groups[group] {
                groups[group] = nil  // no copy of the members while they change
                members.removed(isLive: isLive)
                // The group's first message left: the next one may be receivable now.
                if let first = members.first(isLive: isLive), first.sequence > removed.enqueueSequence,
                    pending[first.messageId] == nil
                {
                    groups[group] = members
                    pushReady(Scheduled(time: first.sequence, sequence: 0, id: group))
                } else if !members.isEmpty {
                    groups[group] = members
                }
            }
            return removed
        }

        /// PurgeQueue: every message goes.
        mutating func removeAll() {
            messages = [:]
            pending = [:]
            pendingDelayed = 0
            hiddenSchedule.removeAll()
            ready.removeAll()
            retention.removeAll()
            groups = [:]
        }

        /// Messages past MessageRetentionPeriod (counted from their first enqueue) disappear; returns them. The
        /// deduplication ids past their interval go too.
        mutating func expire(now: Timestamp) -> [MessageRecord] {
            let limit = Int64(attributes.messageRetentionPeriod) * 1000
            var expired: [MessageRecord] = []
            while let top = retention.first, now.millisecondsSinceEpoch - top.time >= limit {
                retention.pop()
                if messages[top.id]?.enqueueSequence == top.sequence, let message = remove(top.id) {
                    expired.append(message)
                }
            }
            deduplication.expire(now: now)
            return expired
        }

        func deduplicationKey(_ id: String, group: String?) -> String {
            attributes.deduplicationScope == "messageGroup" ? "\(group ?? "")\u{0}\(id)" : id
        }

        /// The group whose order a message keeps: FIFO queues only.
        func group(of message: MessageRecord) -> String? {
            isFifo ? message.messageGroupId ?? "" : nil
        }

        func isLive(_ member: MessageGroup.Member) -> Bool {
            messages[member.messageId]?.enqueueSequence == member.sequence
        }
    }
}
