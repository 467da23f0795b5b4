/// A store that keeps nothing beyond the process (`sluice serve --in-memory`, tests).
public actor MemoryDocumentStore: DocumentStore {
    private struct Entry {
        var order: Int
        var body: String?
        var revision: Int64
    }

    private var collections: [String: [String: Entry]] = [:]
    private var nextOrder = 0

    public init() {}

    public func documents(in collection: String) -> [Document] {
        (collections[collection] ?? [:])
            .sorted { $0.value.order < $1.value.order }
            .compactMap { key, entry in
                entry.body.map { Document(collection: collection, key: key, body: $0, revision: entry.revision) }
            }
    }

    public func put(_ document: Document) {
        write(collection: document.collection, key: document.key, body: document.body, revision: document.revision)
    }

    public func delete(collection: String, key: String, revision: Int64) {
        write(collection: collection, key: key, body: nil, revision: revision)
    }

    private func write(collection: String, key: String, body: String?, revision: Int64) {
        let current = collections[collection]?[key]
        guard (current?.revision ?? .min) < revision else { return }
        let order = current?.body == nil ? nextOrder : current?.order ?? nextOrder
        nextOrder += 1
        collections[collection, default: [:]][key] = Entry(order: order, body: body, revision: revision)
    }

    public func close() {}
}
