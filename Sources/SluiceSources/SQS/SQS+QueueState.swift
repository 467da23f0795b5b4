import SluiceCore

extension SQS {
    /// One queue in memory: its record and messages, with the rules that need no I/O (send, receive, delete,
    /// visibility, retention). Every mutation returns the records it changed; ``SQSEngine`` writes them through.
    struct QueueState: Sendable {
        /// FIFO deduplication interval (model doc of `MessageDeduplicationId`).
        static let deduplicationInterval: Int64 = 5 * 60 * 1000

        struct Deduplication: Sendable {
            var messageId: String
            var sequenceNumber: String?
            var sentTimestamp: Timestamp
        }

        var record: QueueRecord
        private(set) var messages: [String: MessageRecord] = [:]
        /// Message ids in enqueue order; ids of removed messages are skipped and compacted away lazily.
        private var order: [String] = []
        var deduplication: [String: Deduplication] = [:]
        var nextEnqueueSequence: Int64 = 1
        var lastSequenceNumber: UInt64 = 0

        init(record: QueueRecord, messages: [MessageRecord] = []) {
            self.record = record
            for message in messages.sorted(by: { $0.enqueueSequence < $1.enqueueSequence }) {
                insert(message)
                if let id = message.messageDeduplicationId {
                    deduplication[deduplicationKey(id, group: message.messageGroupId)] = Deduplication(
                        messageId: message.messageId, sequenceNumber: message.sequenceNumber,
                        sentTimestamp: message.sentTimestamp
                    )
                }
                if let sequence = message.sequenceNumber.flatMap(UInt64.init) {
                    lastSequenceNumber = max(lastSequenceNumber, sequence)
                }
            }
        }

        var arn: String { record.address.arn }
        var attributes: QueueAttributes { record.attributes }
        var isFifo: Bool { record.attributes.fifoQueue }

        /// Messages in enqueue order.
        var orderedMessages: some Sequence<MessageRecord> { order.lazy.compactMap { messages[$0] } }

        // MARK: Counts

        /// ApproximateNumberOfMessages, …NotVisible, …Delayed.
        func counts(now: Timestamp) -> (visible: Int, notVisible: Int, delayed: Int) {
            var counts = (visible: 0, notVisible: 0, delayed: 0)
            for message in messages.values {
                if message.isDelayed(at: now) {
                    counts.delayed += 1
                } else if message.isInFlight(at: now) {
                    counts.notVisible += 1
                } else {
                    counts.visible += 1
                }
            }
            return counts
        }

        /// The next instant after `now` when a delayed or in-flight message becomes visible.
        func nextVisibilityChange(after now: Timestamp) -> Timestamp? {
            messages.values.lazy.map(\.visibleFrom).filter { $0 > now }.min()
        }

        /// Whether a receive at `now` would find a message (ignoring FIFO group locks: a waiter re-checks).
        func hasVisibleMessages(at now: Timestamp) -> Bool {
            messages.values.contains { $0.isVisible(at: now) }
        }

        // MARK: Records

        mutating func insert(_ message: MessageRecord) {
            messages[message.messageId] = message
            order.append(message.messageId)
            nextEnqueueSequence = max(nextEnqueueSequence, message.enqueueSequence + 1)
        }

        mutating func update(_ message: MessageRecord) {
            guard messages[message.messageId] != nil else { return }
            messages[message.messageId] = message
        }

        @discardableResult
        mutating func remove(_ messageId: String) -> MessageRecord? {
            guard let removed = messages.removeValue(forKey: messageId) else { return nil }
            if order.count > 64, order.count > 2 * messages.count {
                order.removeAll { messages[$0] == nil }
            }
            return removed
        }

        /// PurgeQueue: every message goes.
        mutating func removeAll() {
            messages = [:]
            order = []
        }

        /// Messages past MessageRetentionPeriod (counted from their first enqueue) disappear; returns them.
        mutating func expire(now: Timestamp) -> [MessageRecord] {
            let limit = Int64(attributes.messageRetentionPeriod) * 1000
            let expired = messages.values.filter {
                now.millisecondsSinceEpoch - $0.sentTimestamp.millisecondsSinceEpoch >= limit
            }
            for message in expired { remove(message.messageId) }
            let window = Self.deduplicationInterval
            deduplication = deduplication.filter {
                now.millisecondsSinceEpoch - $0.value.sentTimestamp.millisecondsSinceEpoch < window
            }
            return expired
        }

        func deduplicationKey(_ id: String, group: String?) -> String {
            attributes.deduplicationScope == "messageGroup" ? "\(group ?? "")\u{0}\(id)" : id
        }
    }
}
