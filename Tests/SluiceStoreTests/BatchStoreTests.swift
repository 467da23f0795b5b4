import Foundation
import Testing

@testable import SluiceStore

/// The same behaviour from both batch stores.
@Suite struct BatchStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    static func withStore<T>(_ kind: Kind, _ body: (any BatchStore, String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("queues").path
        let store: any BatchStore = switch kind {
        case .memory: MemoryBatchStore()
        case .sqlite: try await SQLiteBatchStore.open(path: path, logger: DocumentStoreTests.logger)
        }
        let result = try await body(store, path)
        try await store.close()
        return result
    }

    static func put(_ key: String, _ body: String, group: String = "g", table: String = "t") -> BatchWrite {
        .put(table: table, row: StoredRow(key: key, group: group, body: body))
    }

    @Test(arguments: Kind.allCases)
    func writesApplyInOrderWithinABatch(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.apply([
                Self.put("a", "1"), Self.put("b", "1"), .delete(table: "t", key: "a"), Self.put("a", "2"),
                Self.put("c", "1", group: "other"), Self.put("z", "1", table: "u"),
            ])
            #expect(try await store.rows(in: "t").map(\.key).sorted() == ["a", "b", "c"])
            #expect(try await store.rows(in: "t").first { $0.key == "a" }?.body == "2")
            #expect(try await store.rows(in: "u").map(\.key) == ["z"])
        }
    }

    @Test(arguments: Kind.allCases)
    func deletingAGroupRemovesOnlyItsRowsOfThatTable(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.apply([
                Self.put("a", "1", group: "q1"), Self.put("b", "1", group: "q2"), Self.put("c", "1", group: "q1"),
                Self.put("d", "1", group: "q1", table: "u"),
            ])
            try await store.apply([.deleteGroup(table: "t", group: "q1")])
            #expect(try await store.rows(in: "t").map(\.key) == ["b"])
            #expect(try await store.rows(in: "u").map(\.key) == ["d"])
        }
    }

    @Test(arguments: Kind.allCases)
    func largeBatchesAndConcurrentWritersAreAllApplied(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        try await store.apply((0..<1500).map { Self.put("w\(writer)-\($0)", "\($0)") })
                        try await store.apply((0..<500).map { .delete(table: "t", key: "w\(writer)-\($0)") })
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.rows(in: "t").count == 8 * 1000)
        }
    }

    @Test func sqliteKeepsRowsAcrossReopening() async throws {
        try await Self.withStore(.sqlite) { store, path in
            try await store.apply([Self.put("k", "v")])
            let second = try await SQLiteBatchStore.open(path: path, logger: DocumentStoreTests.logger)
            #expect(try await second.rows(in: "t") == [StoredRow(key: "k", group: "g", body: "v")])
            try await second.close()
        }
    }
}
