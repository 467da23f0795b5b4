import Foundation
import SluiceStore

/// ``QueueStorage`` over a `BatchStore`: queues and messages as JSON rows, messages grouped by queue ARN so that
/// deleting or purging a queue removes its messages in the same batch.
public struct BatchQueueStorage: QueueStorage {
    static let queues = "sqs-queues"
    static let messages = "sqs-messages"

    let store: any BatchStore

    public init(store: any BatchStore) {
        self.store = store
    }

    public func loadQueues() async throws -> [SQS.QueueRecord] {
        let decoder = JSONDecoder()
        return try await store.rows(in: Self.queues).map {
            try decoder.decode(SQS.QueueRecord.self, from: Data($0.body.utf8))
        }
    }

    public func loadMessages() async throws -> [SQS.MessageRecord] {
        let decoder = JSONDecoder()
        return try await store.rows(in: Self.messages).map {
            try decoder.decode(SQS.MessageRecord.self, from: Data($0.body.utf8))
        }
    }

    public func apply(_ changes: SQS.StorageChanges) async throws {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var writes: [BatchWrite] = []
        for arn in changes.deletedQueues {
            writes.append(.delete(table: Self.queues, key: arn))
            writes.append(.deleteGroup(table: Self.messages, group: arn))
        }
        for arn in changes.purgedQueues {
            writes.append(.deleteGroup(table: Self.messages, group: arn))
        }
        for queue in changes.upsertedQueues {
            writes.append(.put(table: Self.queues, row: StoredRow(key: queue.key, group: "", body: try json(queue))))
        }
        for message in changes.upsertedMessages {
            writes.append(
                .put(
                    table: Self.messages,
                    row: StoredRow(key: Self.key(message.key), group: message.queueArn, body: try json(message))
                )
            )
        }
        for key in changes.deletedMessages {
            writes.append(.delete(table: Self.messages, key: Self.key(key)))
        }
        try await store.apply(writes)
    }

    static func key(_ key: SQS.MessageKey) -> String { key.queueArn + "|" + key.messageId }
}
