import SQLiteNIO

/// Writes to one SQLite connection in transactions, grouping concurrent writers: statements that arrive while a
/// commit is running go into the next transaction together, so many producers cost one fsync per round.
///
/// A round is all or nothing: if one writer's statement fails, every writer of that round gets the error and none of
/// their statements is committed.
actor SQLiteGroupCommit {
    /// One statement and its bound values.
    typealias Statement = (sql: String, binds: [SQLiteData])

    private let connection: SQLiteConnection
    private var pending: [(statements: [Statement], done: CheckedContinuation<Void, any Error>)] = []
    private var isCommitting = false

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Runs the statements in a transaction (shared with concurrent callers); returns once it is committed.
    func commit(_ statements: [Statement]) async throws {
        guard !statements.isEmpty else { return }
        try await withCheckedThrowingContinuation { continuation in
            pending.append((statements, continuation))
            if !isCommitting {
                isCommitting = true
                // The one unstructured task of the store: the commit loop runs on its own so that no caller waits
                // for other callers' rounds; it ends when nothing is pending.
                Task { await self.commitPending() }
            }
        }
    }

    private func commitPending() async {
        while !pending.isEmpty {
            let round = pending
            pending = []
            do {
                try await transaction(round.flatMap(\.statements))
                round.forEach { $0.done.resume() }
            } catch {
                round.forEach { $0.done.resume(throwing: error) }
            }
        }
        isCommitting = false
    }

    private func transaction(_ statements: [Statement]) async throws {
        try await connection.query("BEGIN IMMEDIATE", []) { _ in }
        do {
            for statement in statements {
                try await connection.query(statement.sql, statement.binds) { _ in }
            }
            try await connection.query("COMMIT", []) { _ in }
        } catch {
            try? await connection.query("ROLLBACK", []) { _ in }
            throw error
        }
    }
}

extension SQLiteConnection {
    /// Opens a database file for Sluice's stores: WAL, `synchronous=FULL` (an acknowledged write survives power loss),
    /// a busy timeout, and the schema statements given.
    static func openForSluice(path: String, logger: Logging.Logger, schema: [String]) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            for statement in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000"] + schema {
                try await connection.query(statement, []) { _ in }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }
}

import Logging
