import Logging
import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so an acknowledged write survives
/// `kill -9` and power loss.
public final class SQLiteDocumentStore: DocumentStore {
    private let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) `path` and brings its schema up to date.
    public static func open(path: String, logger: Logger) async throws -> SQLiteDocumentStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let store = SQLiteDocumentStore(connection: connection)
        do {
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    private func migrate() async throws {
        try await execute("PRAGMA journal_mode=WAL")
        try await execute("PRAGMA synchronous=FULL")
        try await execute("PRAGMA busy_timeout=5000")
        try await execute(
            """
            CREATE TABLE IF NOT EXISTS documents (
                collection TEXT NOT NULL,
                key TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                body TEXT,
                PRIMARY KEY (collection, key)
            )
            """
        )
    }

    private func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await connection.query(sql, binds) { _ in }
    }

    public func documents(in collection: String) async throws -> [Document] {
        let rows = try await connection.query(
            """
            SELECT key, body, revision FROM documents
            WHERE collection = ? AND body IS NOT NULL ORDER BY ordinal
            """,
            [.text(collection)]
        )
        return rows.compactMap { row in
            guard let key = row.column("key")?.string, let body = row.column("body")?.string,
                let revision = row.column("revision")?.integer
            else { return nil }
            return Document(collection: collection, key: key, body: body, revision: Int64(revision))
        }
    }

    public func put(_ document: Document) async throws {
        try await write(
            collection: document.collection, key: document.key, body: .text(document.body),
            revision: document.revision
        )
    }

    /// Deleting leaves a tombstone (a row without body) so that an older write arriving later cannot revive it.
    public func delete(collection: String, key: String, revision: Int64) async throws {
        try await write(collection: collection, key: key, body: .null, revision: revision)
    }

    private func write(collection: String, key: String, body: SQLiteData, revision: Int64) async throws {
        try await execute(
            """
            INSERT INTO documents (collection, key, ordinal, revision, body)
            VALUES (?1, ?2, (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM documents), ?3, ?4)
            ON CONFLICT (collection, key) DO UPDATE SET
                body = excluded.body,
                revision = excluded.revision,
                ordinal = CASE WHEN documents.body IS NULL THEN excluded.ordinal ELSE documents.ordinal END
            WHERE excluded.revision > documents.revision
            """,
            [.text(collection), .text(key), .integer(Int(revision)), body]
        )
    }

    public func close() async throws {
        try await connection.close()
    }
}
