import Foundation
import Logging
import Testing

@testable import SluiceStore

/// The same behaviour from every store: the embedded SQLite one and the in-memory one.
@Suite struct DocumentStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens a fresh store of the kind; SQLite lives in a new temporary directory.
    static func withStore<T>(_ kind: Kind, _ body: (any DocumentStore, URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store: any DocumentStore = switch kind {
        case .memory: MemoryDocumentStore()
        case .sqlite: try await SQLiteDocumentStore.open(path: directory.appendingPathComponent("db").path, logger: logger)
        }
        let result = try await body(store, directory)
        try await store.close()
        return result
    }

    static func document(_ key: String, _ body: String, revision: Int64, in collection: String = "c") -> Document {
        Document(collection: collection, key: key, body: body, revision: revision)
    }

    @Test(arguments: Kind.allCases)
    func documentsComeBackInInsertionOrderPerCollection(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.put(Self.document("b", "1", revision: 1))
            try await store.put(Self.document("a", "2", revision: 2))
            try await store.put(Self.document("z", "3", revision: 3, in: "other"))
            #expect(try await store.documents(in: "c").map(\.key) == ["b", "a"])
            #expect(try await store.documents(in: "other").map(\.body) == ["3"])
            #expect(try await store.documents(in: "none").isEmpty)
        }
    }

    @Test(arguments: Kind.allCases)
    func replacingADocumentKeepsItsPlaceAndTakesTheNewBody(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.put(Self.document("b", "old", revision: 1))
            try await store.put(Self.document("a", "x", revision: 2))
            try await store.put(Self.document("b", "new", revision: 3))
            let documents = try await store.documents(in: "c")
            #expect(documents.map(\.key) == ["b", "a"])
            #expect(documents.map(\.body) == ["new", "x"])
            #expect(documents.map(\.revision) == [3, 2])
        }
    }

    @Test(arguments: Kind.allCases)
    func aWriteWithAnOlderRevisionNeverReplacesANewerOne(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.put(Self.document("k", "newer", revision: 5))
            try await store.put(Self.document("k", "older", revision: 4))
            #expect(try await store.documents(in: "c").map(\.body) == ["newer"])
        }
    }

    @Test(arguments: Kind.allCases)
    func aDeletedDocumentCannotBeRevivedByAnOlderWrite(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.put(Self.document("k", "v", revision: 1))
            try await store.delete(collection: "c", key: "k", revision: 3)
            try await store.put(Self.document("k", "late", revision: 2))
            #expect(try await store.documents(in: "c").isEmpty)
            try await store.put(Self.document("k", "again", revision: 4))
            #expect(try await store.documents(in: "c").map(\.body) == ["again"])
        }
    }

    @Test(arguments: Kind.allCases)
    func deletingAMissingDocumentIsNotAnError(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            try await store.delete(collection: "c", key: "missing", revision: 1)
            #expect(try await store.documents(in: "c").isEmpty)
        }
    }

    @Test(arguments: Kind.allCases)
    func typedValuesRoundTripWithTheHighestRevision(kind: Kind) async throws {
        struct Value: Codable, Equatable {
            var name: String
            var count: Int
        }
        try await Self.withStore(kind) { store, _ in
            try await store.put(Value(name: "a", count: 1), key: "a", in: "values", revision: 7)
            try await store.put(Value(name: "b", count: 2), key: "b", in: "values", revision: 9)
            let loaded = try await store.load(Value.self, from: "values")
            #expect(loaded.values == [Value(name: "a", count: 1), Value(name: "b", count: 2)])
            #expect(loaded.revision == 9)
        }
    }

    @Test func sqliteKeepsDocumentsAcrossReopening() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        let first = try await SQLiteDocumentStore.open(path: path, logger: Self.logger)
        try await first.put(Self.document("k", "kept", revision: 1))
        try await first.put(Self.document("gone", "x", revision: 2))
        try await first.delete(collection: "c", key: "gone", revision: 3)
        try await first.close()
        let second = try await SQLiteDocumentStore.open(path: path, logger: Self.logger)
        #expect(try await second.documents(in: "c").map(\.body) == ["kept"])
        try await second.close()
        #expect(FileManager.default.fileExists(atPath: path + "-wal") || FileManager.default.fileExists(atPath: path))
    }

    @Test func sqliteRunsInWriteAheadLogMode() async throws {
        try await Self.withStore(.sqlite) { store, directory in
            try await store.put(Self.document("k", "v", revision: 1))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("db-wal").path))
        }
    }
}
