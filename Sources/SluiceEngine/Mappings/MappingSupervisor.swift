import Logging
import ServiceLifecycle
import SluiceCore

/// Drives mapping transitions: for each one the registry announces, it performs the engine's part and settles the
/// mapping (`Creating` → `Enabled`, `Deleting` → gone, …; `reference/esm-api.md` §4).
///
/// The pollers of the stream and queue issues hook in here: the transition's action (start, stop, reconfigure,
/// remove) is what they perform before the settle. A transition lasts at least `minimumTransition`, so clients see
/// the transitional state as on AWS.
public struct MappingSupervisor<C: Clock<Duration>>: Service {
    let registry: MappingRegistry
    let minimumTransition: Duration
    let clock: C
    let logger: Logger

    public init(registry: MappingRegistry, minimumTransition: Duration, clock: C, logger: Logger) {
        self.registry = registry
        self.minimumTransition = minimumTransition
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await transition in registry.transitions.cancelOnGracefulShutdown() {
                group.addTask { await perform(transition) }
            }
            group.cancelAll()
        }
    }

    private func perform(_ transition: MappingTransition) async {
        do {
            try await clock.sleep(for: minimumTransition)
            try await registry.settle(transition)
            logger.info(
                "Mapping transition settled",
                metadata: ["sluice.mapping.uuid": "\(transition.uuid)", "sluice.mapping.action": "\(transition.action)"]
            )
        } catch is CancellationError {
            // Shutting down: the mapping stays in its transitional state in the store and settles after restart.
        } catch {
            logger.error(
                "Mapping transition failed",
                metadata: ["sluice.mapping.uuid": "\(transition.uuid)", "error": "\(error)"]
            )
        }
    }
}

extension MappingSupervisor where C == ContinuousClock {
    public init(registry: MappingRegistry, minimumTransition: Duration, logger: Logger) {
        self.init(registry: registry, minimumTransition: minimumTransition, clock: ContinuousClock(), logger: logger)
    }
}
