import SluiceCore

extension SQS {
    /// FIFO deduplication ids seen in the last five minutes (model doc of `MessageDeduplicationId`), with an
    /// expiry schedule by send time so forgetting old ids costs O(expired log n), not a scan of every id.
    struct DeduplicationWindow: Sendable {
        /// The deduplication interval.
        static let interval: Int64 = 5 * 60 * 1000

        struct Entry: Sendable {
            var messageId: String
            var sequenceNumber: String?
            var sentTimestamp: Timestamp
        }

        private(set) var entries: [String: Entry] = [:]
        /// One entry per recorded id: time = send time, id = the key; stale once the key was recorded again.
        private var expiry = Schedule()

        subscript(key: String) -> Entry? { entries[key] }

        /// The earlier send of `key` when it is inside the interval at `now`.
        func duplicate(of key: String, at now: Timestamp) -> Entry? {
            guard let earlier = entries[key],
                now.millisecondsSinceEpoch - earlier.sentTimestamp.millisecondsSinceEpoch < Self.interval
            else { return nil }
            return earlier
        }

        mutating func record(_ key: String, _ entry: Entry) {
            entries[key] = entry
            expiry.push(Scheduled(time: entry.sentTimestamp.millisecondsSinceEpoch, sequence: 0, id: key))
            let entries = self.entries
            expiry.compactIfSparse(live: entries.count) { entries[$0.id]?.sentTimestamp.millisecondsSinceEpoch == $0.time }
        }

        /// Takes back the id a failed send recorded for `messageId`.
        mutating func forget(_ key: String, messageId: String) {
            if entries[key]?.messageId == messageId { entries[key] = nil }
        }

        /// Forgets the ids older than the interval at `now`.
        mutating func expire(now: Timestamp) {
            while let top = expiry.first, now.millisecondsSinceEpoch - top.time >= Self.interval {
                expiry.pop()
                if entries[top.id]?.sentTimestamp.millisecondsSinceEpoch == top.time { entries[top.id] = nil }
            }
        }

        /// PurgeQueue: AWS forgets deduplication ids on purge (validated).
        mutating func removeAll() {
            entries = [:]
            expiry.removeAll()
        }
    }
}
