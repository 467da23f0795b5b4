import Foundation
import SluiceCore
import SluiceStore

/// Asynchronous (`Event`) invocations: a FIFO worked by a few tasks. Like Lambda, a function error is retried
/// twice, one minute then two minutes later, and a throttled event waits and is tried again for up to six hours.
///
/// With a store, an event is written before its 202 is sent and removed once it has run (or been given up), so
/// events queued or waiting for a retry when Sluice stops run after the restart: at least once, as on AWS.
actor AsyncInvocationQueue {
    struct Event: Sendable, Codable, Equatable {
        var requestId: String
        /// The function as the caller named it, qualifier included (an ARN).
        var function: String
        /// The payload, which the Invoke API checked to be JSON (so UTF-8 text).
        var payload: String
        /// Attempts that ended in a function error.
        var failures = 0
        /// When the event was accepted (wall clock, so its age survives a restart).
        var acceptedAt: Timestamp
    }

    typealias Run = @Sendable (Event) async throws -> InvocationResult

    /// How long a throttled event waits before it is tried again.
    static let throttleDelay: Duration = .seconds(1)
    /// Lambda's default maximum event age: a throttled event is dropped after it.
    static let maximumAgeMilliseconds: Int64 = 6 * 3600 * 1000
    /// Events run at the same time.
    static let workers = 4
    /// The BatchStore table of queued events.
    static let table = "async_invocations"

    private let retryDelays: [Duration]
    private let store: (any BatchStore)?
    private let now: @Sendable () -> Timestamp
    private let run: Run
    private var pending: [Event] = []
    private var running = 0
    private var delayed: [UUID: Task<Void, Never>] = [:]
    private var isShutDown = false

    /// - Parameters:
    ///   - store: where queued events are kept across restarts; `nil` keeps them in memory only.
    ///   - run: invokes the function once with the event.
    init(
        retryDelays: [Duration], store: (any BatchStore)?, now: @escaping @Sendable () -> Timestamp,
        run: @escaping Run
    ) {
        self.retryDelays = retryDelays
        self.store = store
        self.now = now
        self.run = run
    }

    /// Accepts an event: stored (when there is a store) before this returns, then run in the background.
    func add(requestId: String, function: String, payload: String) async throws {
        guard !isShutDown else { return }
        let event = Event(requestId: requestId, function: function, payload: payload, acceptedAt: now())
        try await save(event)
        enqueue(event)
    }

    /// Queues the events a previous run left in the store.
    func restore() async throws {
        guard let store else { return }
        let decoder = JSONDecoder()
        for row in try await store.rows(in: Self.table) {
            guard let event = try? decoder.decode(Event.self, from: Data(row.body.utf8)) else {
                try await store.apply([.delete(table: Self.table, key: row.key)])
                continue
            }
            enqueue(event)
        }
    }

    func shutDown() {
        isShutDown = true
        pending = []
        for task in delayed.values { task.cancel() }
        delayed = [:]
    }

    private func enqueue(_ event: Event) {
        guard !isShutDown else { return }
        pending.append(event)
        startWorkers()
    }

    private func startWorkers() {
        while running < Self.workers, !pending.isEmpty {
            let event = pending.removeFirst()
            running += 1
            Task { await self.attempt(event) }
        }
    }

    private func attempt(_ event: Event) async {
        var event = event
        do {
            if case .functionError = try await run(event), event.failures < retryDelays.count {
                event.failures += 1
                try? await save(event)
                later(retryDelays[event.failures - 1], event)
            } else {
                await forget(event)
            }
        } catch let error as AWSError where error.status == 429 {
            if now().millisecondsSinceEpoch - event.acceptedAt.millisecondsSinceEpoch < Self.maximumAgeMilliseconds {
                later(Self.throttleDelay, event)
            } else {
                await forget(event)
            }
        } catch {
            // The function was deleted or can no longer run: the event is discarded, as Lambda discards it.
            // (Stopping Sluice mid-run lands here too; the stored event then runs after the restart.)
            if !isShutDown { await forget(event) }
        }
        running -= 1
        startWorkers()
    }

    private func later(_ delay: Duration, _ event: Event) {
        guard !isShutDown else { return }
        let id = UUID()
        delayed[id] = Task {
            guard (try? await Task.sleep(for: delay)) != nil else { return }
            self.requeue(id, event)
        }
    }

    private func requeue(_ id: UUID, _ event: Event) {
        delayed[id] = nil
        enqueue(event)
    }

    private func save(_ event: Event) async throws {
        guard let store else { return }
        let body = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        try await store.apply([
            .put(table: Self.table, row: StoredRow(key: event.requestId, group: event.function, body: body))
        ])
    }

    private func forget(_ event: Event) async {
        guard let store, !isShutDown else { return }
        try? await store.apply([.delete(table: Self.table, key: event.requestId)])
    }
}
