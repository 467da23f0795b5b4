import Foundation
import Logging
import ServiceLifecycle
import SluiceRuntime
import SluiceStore

/// The stores and the directories, opened at start and closed last at shutdown: control-plane documents
/// (`sluice.sqlite`), stream records (`records.sqlite`) and queue messages (`queues.sqlite`) — separate files, so
/// record traffic, message traffic and control-plane writes do not wait on each other — and, under `root`, function
/// code (`code/`), runtime bootstraps (`runtimes/`) and function logs (`logs/`). With `--in-memory` the root is a
/// temporary directory removed on shutdown.
struct Storage: Service {
    let store: any DocumentStore
    let records: any RecordLog
    let batches: any BatchStore
    let code: CodeArchiveStore
    /// Where the shipped runtime bootstraps are written, and (later) function logs.
    let root: URL
    let temporaryDirectory: URL?

    static func open(_ configuration: SluiceServer.Configuration, logger: Logger) async throws -> Storage {
        if configuration.inMemory {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("sluice-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            return Storage(
                store: MemoryDocumentStore(), records: MemoryRecordLog(), batches: MemoryBatchStore(),
                code: try CodeArchiveStore(directory: directory.appendingPathComponent("code")), root: directory,
                temporaryDirectory: directory
            )
        }
        let directory = configuration.dataDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The three files are independent: open them (schema, WAL switch, fsyncs) at the same time.
        async let store = SQLiteDocumentStore.open(
            path: directory.appendingPathComponent("sluice.sqlite").path, logger: logger
        )
        async let records = SQLiteRecordLog.open(
            path: directory.appendingPathComponent("records.sqlite").path, logger: logger
        )
        async let batches = SQLiteBatchStore.open(
            path: directory.appendingPathComponent("queues.sqlite").path, logger: logger
        )
        return Storage(
            store: try await store, records: try await records, batches: try await batches,
            code: try CodeArchiveStore(directory: directory.appendingPathComponent("code")), root: directory,
            temporaryDirectory: nil
        )
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
        try await records.close()
        try await batches.close()
        if let temporaryDirectory {
            try? FileManager.default.removeItem(at: temporaryDirectory)
        }
    }
}
