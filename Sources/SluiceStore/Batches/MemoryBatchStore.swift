/// Batch tables that keep nothing beyond the process (`--in-memory`, tests).
public actor MemoryBatchStore: BatchStore {
    private var tables: [String: [String: (order: Int, row: StoredRow)]] = [:]
    private var nextOrder = 0

    public init() {}

    public func rows(in table: String) -> [StoredRow] {
        (tables[table] ?? [:]).values.sorted { $0.order < $1.order }.map(\.row)
    }

    public func apply(_ writes: [BatchWrite]) {
        for write in writes {
            switch write {
            case .put(let table, let row):
                let order = tables[table]?[row.key]?.order ?? nextOrder
                nextOrder += 1
                tables[table, default: [:]][row.key] = (order, row)
            case .delete(let table, let key):
                tables[table]?[key] = nil
            case .deleteGroup(let table, let group):
                tables[table] = tables[table]?.filter { $0.value.row.group != group }
            }
        }
    }

    public func close() {}
}
