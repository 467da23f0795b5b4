import Logging
import ServiceLifecycle
import SluiceCore

/// Trims records past each stream's retention period, once a minute (reads already hide them; this frees the
/// space). A `Service` of the server's group.
public struct KinesisRetention<C: Clock<Duration>>: Service {
    let engine: KinesisEngine
    let interval: Duration
    let clock: C
    let now: @Sendable () -> Timestamp
    let logger: Logger

    public init(
        engine: KinesisEngine, interval: Duration = .seconds(60), clock: C, now: @escaping @Sendable () -> Timestamp,
        logger: Logger
    ) {
        self.engine = engine
        self.interval = interval
        self.clock = clock
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let clock = self.clock
                let interval = self.interval
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
            do {
                try await engine.trimExpiredRecords(now: now())
            } catch {
                logger.error("Trimming expired Kinesis records failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
