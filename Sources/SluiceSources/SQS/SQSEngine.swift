import Foundation
import SluiceCore

/// The embedded SQS: queues and messages in memory for reads, every acknowledged change written through to a
/// ``QueueStorage`` first (issue 3 items 3, 5, 6; `reference/wire-protocols.md` §7).
///
/// Queues live per region and account. Time comes from `now` (message timestamps, visibility, retention) and from
/// `clock` (long-poll deadlines), both injected, so tests drive it with a manual clock and no sleeps.
public actor SQSEngine<C: Clock<Duration>> {
    public struct Configuration: Sendable {
        /// The base of queue URLs: `http://<host:port>`; a queue's URL is `<base>/<account>/<name>`.
        public var baseURL: @Sendable () -> String

        public init(baseURL: String = "http://localhost:4566") {
            self.baseURL = { baseURL }
        }

        /// A base URL known only once the server has bound its port (`--port 0`).
        public init(baseURL: @escaping @Sendable () -> String) {
            self.baseURL = baseURL
        }
    }

    /// At most this many entries in a batch request (model docs of the batch operations).
    static var batchLimit: Int { 10 }
    /// The total size of a SendMessageBatch (model doc of SendMessageBatch).
    static var batchSizeLimit: Int { 1_048_576 }

    let configuration: Configuration
    let storage: any QueueStorage
    let clock: C
    let now: @Sendable () -> Timestamp
    let newMessageId: @Sendable () -> String
    var queues: [SQS.QueueAddress: SQS.QueueState] = [:]
    var signals: [SQS.QueueAddress: ChangeSignal] = [:]

    /// Restores every queue and message from `storage`: in-flight messages stay hidden until their timeout.
    public init(
        storage: any QueueStorage, configuration: Configuration = .init(), clock: C,
        now: @escaping @Sendable () -> Timestamp,
        newMessageId: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) async throws {
        self.storage = storage
        self.configuration = configuration
        self.clock = clock
        self.now = now
        self.newMessageId = newMessageId
        let records = try await storage.loadQueues()
        let messages = Dictionary(grouping: try await storage.loadMessages(), by: \.queueArn)
        for record in records {
            queues[record.address] = SQS.QueueState(record: record, messages: messages[record.key] ?? [])
        }
    }

    // MARK: Helpers

    /// The queue a `QueueUrl` names in the caller's region and account; `QueueDoesNotExist` otherwise.
    func address(_ queueURL: String, _ identity: RequestIdentity) throws(AWSError) -> SQS.QueueAddress {
        guard let address = SQS.QueueAddress(queueURL: queueURL, identity: identity),
            address.account == identity.account,
            queues[address] != nil
        else { throw .queueDoesNotExist }
        return address
    }

    func existing(_ address: SQS.QueueAddress) throws(AWSError) -> SQS.QueueState {
        guard let queue = queues[address] else { throw .queueDoesNotExist }
        return queue
    }

    func url(_ address: SQS.QueueAddress) -> String { address.url(base: configuration.baseURL()) }

    func signal(for address: SQS.QueueAddress) -> ChangeSignal {
        if let signal = signals[address] { return signal }
        let signal = ChangeSignal()
        signals[address] = signal
        return signal
    }

    func notify(_ address: SQS.QueueAddress) {
        signals[address]?.notify()
    }

    /// Writes `changes` through; an empty change costs nothing.
    func commit(_ changes: SQS.StorageChanges) async throws {
        guard !changes.isEmpty else { return }
        try await storage.apply(changes)
    }

    static func milliseconds(_ seconds: Int, after time: Timestamp) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + Int64(seconds) * 1000)
    }
}

extension SQSEngine where C == ContinuousClock {
    /// An engine on the wall clock and the continuous clock.
    public init(storage: any QueueStorage, configuration: Configuration = .init()) async throws {
        try await self.init(
            storage: storage, configuration: configuration, clock: ContinuousClock(),
            now: { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }
        )
    }
}
