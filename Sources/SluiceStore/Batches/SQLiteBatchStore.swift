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

    public func apply(_ writes: [BatchWrite]) async throws {
        try await writer.commit(writes.map { write in
            switch write {
            case .put(let table, let row):
                (
                    """
                    INSERT INTO rows (tbl, key, grp, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tbl, key) DO UPDATE SET grp = excluded.grp, body = excluded.body
                    """,
                    [.text(table), .text(row.key), .text(row.group), .text(row.body)]
                )
            case .delete(let table, let key):
                ("DELETE FROM rows WHERE tbl = ? AND key = ?", [.text(table), .text(key)])
            case .deleteGroup(let table, let group):
                ("DELETE FROM rows WHERE tbl = ? AND grp = ?", [.text(table), .text(group)])
            }
        })
    }

    public func close() async throws {
        try await connection.close()
    }
}
