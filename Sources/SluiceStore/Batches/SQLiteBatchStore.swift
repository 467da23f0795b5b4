import Logging
import SQLiteNIO

/// Batch tables in their own SQLite file (WAL, `synchronous=FULL`); concurrent batches are committed together
/// (``SQLiteGroupCommit``).
public final class SQLiteBatchStore: BatchStore {
    private let connection: SQLiteConnection
    private let writer: SQLiteGroupCommit

    private init(connection: SQLiteConnection) {
        self.connection = connection
        self.writer = SQLiteGroupCommit(connection: connection)
    }

    public static func open(path: String, logger: Logger) async throws -> SQLiteBatchStore {
        let connection = try await SQLiteConnection.openForSluice(
            path: path, logger: logger,
            schema: [
                """
                CREATE TABLE IF NOT EXISTS rows (
                    tbl TEXT NOT NULL,
                    key TEXT NOT NULL,
                    grp TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (tbl, key)
                )
                """,
                "CREATE INDEX IF NOT EXISTS rows_by_group ON rows (tbl, grp)",
            ]
        )
        return SQLiteBatchStore(connection: connection)
    }

    public func rows(in table: String) async throws -> [StoredRow] {
        let rows = try await connection.query(
            "SELECT key, grp, body FROM rows WHERE tbl = ? ORDER BY rowid", [.text(table)]
        )
        return rows.compactMap { row in
            guard let key = row.column("key")?.string, let group = row.column("grp")?.string,
                let body = row.column("body")?.string
            else { return nil }
            return StoredRow(key: key, group: group, body: body)
        }
    }

    /// Consecutive puts (and consecutive deletes) of one table become one statement each: a receive of ten
    /// messages is one INSERT, not ten prepared statements.
    public func apply(_ writes: [BatchWrite]) async throws {
        var statements: [SQLiteGroupCommit.Statement] = []
        var index = 0
        while index < writes.count {
            switch writes[index] {
            case .put(let table, _):
                var rows: [StoredRow] = []
                while index < writes.count, case .put(table, let row) = writes[index], rows.count < 1000 {
                    rows.append(row)
                    index += 1
                }
                statements.append(Self.upsert(rows, into: table))
            case .delete(let table, _):
                var keys: [String] = []
                while index < writes.count, case .delete(table, let key) = writes[index], keys.count < 1000 {
                    keys.append(key)
                    index += 1
                }
                let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
                statements.append(
                    ("DELETE FROM rows WHERE tbl = ? AND key IN (\(marks))", [.text(table)] + keys.map { .text($0) })
                )
            case .deleteGroup(let table, let group):
                statements.append(("DELETE FROM rows WHERE tbl = ? AND grp = ?", [.text(table), .text(group)]))
                index += 1
            }
        }
        try await writer.commit(statements)
    }

    private static func upsert(_ rows: [StoredRow], into table: String) -> SQLiteGroupCommit.Statement {
        let values = Array(repeating: "(?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * 4)
        for row in rows { binds += [.text(table), .text(row.key), .text(row.group), .text(row.body)] }
        return (
            """
            INSERT INTO rows (tbl, key, grp, body) VALUES \(values)
            ON CONFLICT (tbl, key) DO UPDATE SET grp = excluded.grp, body = excluded.body
            """,
            binds
        )
    }

    public func close() async throws {
        try await connection.close()
    }
}
