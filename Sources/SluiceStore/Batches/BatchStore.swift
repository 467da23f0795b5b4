/// Rows of JSON in named tables, written in atomic batches: for state that changes many rows at once and often
/// (SQS messages: a receive updates ten, with their dead-letter moves), where each change must be durable before it
/// is acknowledged. Implementations may commit the batches of concurrent writers together.
public protocol BatchStore: Sendable {
    /// Every row of a table, in insertion order.
    func rows(in table: String) async throws -> [StoredRow]
    /// Applies the writes, all or none, durably.
    func apply(_ writes: [BatchWrite]) async throws
    func close() async throws
}

/// One row: its key, the group it belongs to (e.g. the queue of a message) and its JSON body.
public struct StoredRow: Sendable, Equatable {
    public var key: String
    public var group: String
    public var body: String

    public init(key: String, group: String, body: String) {
        self.key = key
        self.group = group
        self.body = body
    }
}

/// A write of a batch.
public enum BatchWrite: Sendable, Equatable {
    /// Inserts or replaces the row with this key.
    case put(table: String, row: StoredRow)
    /// Removes the row with this key.
    case delete(table: String, key: String)
    /// Removes every row of a group.
    case deleteGroup(table: String, group: String)
}
