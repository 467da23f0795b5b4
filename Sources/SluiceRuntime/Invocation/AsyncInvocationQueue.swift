import Foundation
import SluiceCore

/// Asynchronous (`Event`) invocations: a FIFO worked by a few tasks. Like Lambda, a function error is retried
/// twice, one minute then two minutes later, and a throttled event waits and is tried again; each event runs at
/// least once unless Sluice stops first (the queue is kept in memory; `docs/compatibility.md`).
actor AsyncInvocationQueue {
    struct Event: Sendable {
        var requestId: String
        var payload: [UInt8]
        /// Attempts that ended in a function error.
        var failures = 0
        var queuedAt = ContinuousClock.now
    }

    typealias Run = @Sendable (Event) async throws -> InvocationResult

    /// Lambda's delays before the second and the third attempt.
    static let awsRetryDelays: [Duration] = [.seconds(60), .seconds(120)]
    /// How long a throttled event waits before it is tried again.
    static let throttleDelay: Duration = .seconds(1)
    /// Lambda's default maximum event age: a throttled event is dropped after it.
    static let maximumAge: Duration = .seconds(6 * 3600)
    /// Events run at the same time.
    static let workers = 4

    private let retryDelays: [Duration]
    private var pending: [(Event, Run)] = []
    private var running = 0
    private var delayed: [UUID: Task<Void, Never>] = [:]
    private var isShutDown = false

    init(retryDelays: [Duration]) {
        self.retryDelays = retryDelays
    }

    /// Queues an event; `run` invokes the function once.
    func add(_ event: Event, run: @escaping Run) {
        guard !isShutDown else { return }
        pending.append((event, run))
        startWorkers()
    }

    func shutDown() {
        isShutDown = true
        pending = []
        for task in delayed.values { task.cancel() }
        delayed = [:]
    }

    private func startWorkers() {
        while running < Self.workers, !pending.isEmpty {
            let (event, run) = pending.removeFirst()
            running += 1
            Task { await self.attempt(event, run: run) }
        }
    }

    private func attempt(_ event: Event, run: @escaping Run) async {
        var event = event
        do {
            if case .functionError = try await run(event), event.failures < retryDelays.count {
                event.failures += 1
                later(retryDelays[event.failures - 1], event, run)
            }
        } catch let error as AWSError where error.status == 429 {
            if ContinuousClock.now - event.queuedAt < Self.maximumAge { later(Self.throttleDelay, event, run) }
        } catch {
            // The function was deleted or can no longer run: the event is discarded, as Lambda discards it.
        }
        running -= 1
        startWorkers()
    }

    private func later(_ delay: Duration, _ event: Event, _ run: @escaping Run) {
        guard !isShutDown else { return }
        let id = UUID()
        delayed[id] = Task {
            guard (try? await Task.sleep(for: delay)) != nil else { return }
            self.requeue(id, event, run)
        }
    }

    private func requeue(_ id: UUID, _ event: Event, _ run: @escaping Run) {
        delayed[id] = nil
        add(event, run: run)
    }
}
