import Logging
import ServiceLifecycle
import Testing

import SluiceCore
@testable import SluiceEngine
import SluiceStore
import SluiceTesting

@Suite struct MappingSupervisorTests {
    @Test func aTransitionSettlesOnlyAfterTheMinimumTransitionTime() async throws {
        let registry = try await makeRegistry()
        let clock = ManualClock()
        let supervisor = MappingSupervisor(
            registry: registry, minimumTransition: .milliseconds(100), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await supervisor.run() }
            let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
            await clock.nextTimerScheduled()
            clock.advance(by: .milliseconds(99))
            #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .creating)
            clock.advance(by: .milliseconds(1))
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled }
            group.cancelAll()
        }
    }
}

/// Polls a condition that another task makes true; fails after many attempts instead of hanging.
func waitUntil(_ condition: () async throws -> Bool) async throws {
    for _ in 0..<10_000 {
        if try await condition() { return }
        await Task.yield()
    }
    Issue.record("condition never became true")
}
