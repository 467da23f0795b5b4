import Foundation

/// Persistence for the control plane: collections of JSON documents, each under a key, kept in insertion order.
///
/// The SQLite store is the embedded default; a PostgreSQL store satisfies the same protocol later. A write returns
/// only after it is durable. Every write carries the writer's revision of the document: a store keeps the highest,
/// so two writes of one document that overtake each other on the way to the disk cannot leave the older one.
public protocol DocumentStore: Sendable {
    /// Every document of a collection, oldest first.
    func documents(in collection: String) async throws -> [Document]
    /// Inserts the document, or replaces the one with the same collection and key if it has a lower revision.
    func put(_ document: Document) async throws
    /// Removes a document unless it was written with a higher revision; removing a missing one is not an error.
    func delete(collection: String, key: String, revision: Int64) async throws
    /// Closes the store; no call may follow.
    func close() async throws
}

/// One stored document.
public struct Document: Sendable, Equatable {
    public var collection: String
    public var key: String
    public var body: String
    public var revision: Int64

    public init(collection: String, key: String, body: String, revision: Int64) {
        self.collection = collection
        self.key = key
        self.body = body
        self.revision = revision
    }
}

extension DocumentStore {
    /// Decodes every document of a collection as `T`, with the highest revision among them.
    public func load<T: Decodable>(_ type: T.Type, from collection: String) async throws
        -> (values: [T], revision: Int64)
    {
        let decoder = JSONDecoder()
        let documents = try await documents(in: collection)
        let values = try documents.map { try decoder.decode(T.self, from: Data($0.body.utf8)) }
        return (values, documents.map(\.revision).max() ?? 0)
    }

    /// Encodes `value` as JSON and stores it under `key` at `revision`.
    public func put<T: Encodable>(_ value: T, key: String, in collection: String, revision: Int64) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = String(decoding: try encoder.encode(value), as: UTF8.self)
        try await put(Document(collection: collection, key: key, body: body, revision: revision))
    }
}
