extension SQS {
    /// The messages of one FIFO message group in enqueue order, as (enqueue sequence, message id) members.
    ///
    /// Removed messages are dropped lazily: `start` skips those at the front, and the list is compacted once the
    /// dead outnumber the live. A member is live when the queue still holds its message with that sequence (an id can
    /// come back to a queue through a redrive cycle, under a new sequence).
    struct MessageGroup: Sendable {
        struct Member: Sendable {
            var sequence: Int64
            var messageId: String
        }

        private(set) var members: [Member] = []
        private var start = 0
        /// How many members are live.
        private(set) var live = 0

        var isEmpty: Bool { live == 0 }

        mutating func append(_ member: Member) {
            members.append(member)
            live += 1
        }

        /// The first live member after `sequence` (from the front when nil); O(log n) plus the dead skipped.
        func first(after sequence: Int64? = nil, isLive: (Member) -> Bool) -> Member? {
            var low = start
            if let sequence {
                var high = members.count
                while low < high {
                    let middle = (low + high) / 2
                    if members[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
                }
            }
            for index in low..<members.count where isLive(members[index]) { return members[index] }
            return nil
        }

        /// One member's message left the queue (it is no longer live by `isLive`).
        mutating func removed(isLive: (Member) -> Bool) {
            live -= 1
            while start < members.count, !isLive(members[start]) { start += 1 }
            if members.count - start > 2 * live + 16 {
                members = members[start...].filter(isLive)
                start = 0
            } else if start > 64, start * 2 > members.count {
                members.removeFirst(start)
                start = 0
            }
        }
    }
}
