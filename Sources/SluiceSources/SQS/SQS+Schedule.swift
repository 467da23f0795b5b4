extension SQS {
    /// An entry of a ``Schedule``: a message (or FIFO group) `id` due at `time`, ties broken by `sequence` (the
    /// message's enqueue sequence, so equal times keep enqueue order).
    struct Scheduled: Sendable, Comparable {
        var time: Int64
        var sequence: Int64
        var id: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
        }
    }

    /// A binary min-heap of ``Scheduled`` entries: O(log n) push and pop, O(1) peek.
    ///
    /// The queue's indexes use it with lazy deletion: an entry is never searched for and removed; its owner checks
    /// the entry against the current state when it reaches the top and drops it if stale, and calls
    /// ``compact(keeping:)`` when stale entries outnumber live ones, so the heap stays O(live) amortized.
    struct Schedule: Sendable {
        private(set) var entries: [Scheduled] = []

        var isEmpty: Bool { entries.isEmpty }
        var count: Int { entries.count }
        var first: Scheduled? { entries.first }

        mutating func push(_ entry: Scheduled) {
            entries.append(entry)
            var child = entries.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard entries[child] < entries[parent] else { break }
                entries.swapAt(child, parent)
                child = parent
            }
        }

        @discardableResult
        mutating func pop() -> Scheduled? {
            guard !entries.isEmpty else { return nil }
            entries.swapAt(0, entries.count - 1)
            let top = entries.removeLast()
            siftDown(from: 0)
            return top
        }

        /// Drops every entry `isLive` rejects and restores the heap in O(n).
        mutating func compact(keeping isLive: (Scheduled) -> Bool) {
            entries.removeAll { !isLive($0) }
            for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
        }

        /// Compacts once the heap holds more than twice `live` entries (plus slack), so compaction is amortized O(1).
        mutating func compactIfSparse(live: Int, keeping isLive: (Scheduled) -> Bool) {
            if entries.count > 2 * live + 64 { compact(keeping: isLive) }
        }

        mutating func removeAll() { entries = [] }

        private mutating func siftDown(from start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < entries.count else { return }
                var smallest = left
                if left + 1 < entries.count, entries[left + 1] < entries[left] { smallest = left + 1 }
                guard entries[smallest] < entries[parent] else { return }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
}
