import Logging
import ServiceLifecycle
import SluiceCore

/// Drives mapping transitions: for each one the registry announces, it has the runner perform the engine's part —
/// start, reconfigure, stop or remove the mapping's poller — and then settles the mapping (`Creating` → `Enabled`,
/// `Disabling` → `Disabled`, `Deleting` → gone, …; `reference/esm-api.md` §4). A stop returns only once the poller's
/// in-flight work finished, so `Disabled` means stopped (`reference/semantics.md` §11).
///
/// At start it has the runner start every mapping resting in `Enabled` (a restart); on shutdown it stops them all. A
/// transition lasts at least `minimumTransition`, so clients see the transitional state as on AWS.
public struct MappingSupervisor<C: Clock<Duration>>: Service {
    let registry: MappingRegistry
    let runner: any MappingRunner
    let minimumTransition: Duration
    let clock: C
    let logger: Logger

    public init(
        registry: MappingRegistry, runner: any MappingRunner = IdleMappingRunner(), minimumTransition: Duration,
        clock: C, logger: Logger
    ) {
        self.registry = registry
        self.runner = runner
        self.minimumTransition = minimumTransition
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        for uuid in await registry.enabledMappings() {
            if let (configuration, kind) = await registry.running(uuid: uuid) {
                await runner.start(configuration, kind: kind)
            }
        }
        await withDiscardingTaskGroup { group in
            for await transition in registry.transitions.cancelOnGracefulShutdown() {
                group.addTask { await perform(transition) }
            }
            group.cancelAll()
        }
        await runner.stopAll()
    }

    private func perform(_ transition: MappingTransition) async {
        let deadline = clock.now.advanced(by: minimumTransition)
        do {
            try await act(transition)
            try await clock.sleep(until: deadline, tolerance: nil)
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

    /// The engine's part of a transition.
    private func act(_ transition: MappingTransition) async throws {
        switch transition.action {
        case .start:
            if let (configuration, kind) = await registry.running(uuid: transition.uuid) {
                await runner.start(configuration, kind: kind)
            }
        case .reconfigure:
            if let (configuration, _) = await registry.running(uuid: transition.uuid) {
                await runner.reconfigure(configuration)
            }
        case .stop:
            await runner.stop(uuid: transition.uuid)
        case .remove:
            try await runner.remove(uuid: transition.uuid)
        }
    }
}

extension MappingSupervisor where C == ContinuousClock {
    public init(
        registry: MappingRegistry, runner: any MappingRunner = IdleMappingRunner(), minimumTransition: Duration,
        logger: Logger
    ) {
        self.init(
            registry: registry, runner: runner, minimumTransition: minimumTransition, clock: ContinuousClock(),
            logger: logger
        )
    }
}
