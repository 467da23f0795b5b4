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

extension MappingSupervisorTests {
    @Test func createStartsThePollerAndEnabledMeansItRuns() async throws {
        let registry = try await makeRegistry()
        let runner = RecordingRunner()
        try await withSupervisor(registry, runner) {
            let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled }
            #expect(await runner.calls.elements == ["start \(uuid) kinesis"])
        }
    }

    @Test func disabledOnlyOnceThePollerStopped() async throws {
        let registry = try await makeRegistry()
        let runner = RecordingRunner()
        try await withSupervisor(registry, runner) {
            let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled }
            await runner.holdStops()
            _ = try await registry.update(uuid: uuid, try settings(#"{"Enabled":false}"#), identity: identity)
            await runner.calls.waitForCount(2)
            for _ in 0..<100 { await Task.yield() }
            #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").state == .disabling)
            await runner.releaseStops()
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .disabled }
            #expect(await runner.calls.elements == ["start \(uuid) kinesis", "stop \(uuid)"])
        }
    }

    @Test func anUpdateReconfiguresTheRunningPollerAndDeleteRemovesIt() async throws {
        let registry = try await makeRegistry()
        let runner = RecordingRunner()
        try await withSupervisor(registry, runner) {
            let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled }
            _ = try await registry.update(uuid: uuid, try settings(#"{"BatchSize":7}"#), identity: identity)
            try await waitUntil { try await registry.mapping(uuid: uuid, region: "us-east-1").state == .enabled }
            _ = try await registry.delete(uuid: uuid, region: "us-east-1")
            try await waitUntil { (try? await registry.mapping(uuid: uuid, region: "us-east-1")) == nil }
            #expect(
                await runner.calls.elements == ["start \(uuid) kinesis", "reconfigure \(uuid) 7", "remove \(uuid)"]
            )
        }
    }

    @Test func enabledMappingsStartWhenTheSupervisorStarts() async throws {
        let store = MemoryDocumentStore()
        let first = try await makeRegistry(store: store)
        let enabled = try await first.create(try kinesisMapping(), identity: identity).uuid
        try await first.settle(MappingTransition(uuid: enabled, action: .start))
        _ = try await first.create(
            try request(
                #"{"FunctionName":"f","EventSourceArn":"\#(streamArn)-2","StartingPosition":"LATEST","Enabled":false}"#
            ),
            identity: identity
        )
        let registry = try await makeRegistry(store: store, firstUUID: 3)
        let runner = RecordingRunner()
        try await withSupervisor(registry, runner) {
            await runner.calls.waitForCount(1)
            #expect(await runner.calls.elements == ["start \(enabled) kinesis"])
        }
    }

    @Test func processingResultsAreStoredOnlyForMappingsThatReportThem() async throws {
        let registry = try await makeRegistry()
        let uuid = try await registry.create(try kinesisMapping(), identity: identity).uuid
        try await registry.recordProcessingResult(uuid: uuid, "OK")
        #expect(try await registry.mapping(uuid: uuid, region: "us-east-1").lastProcessingResult == "OK")
        let sqs = try await registry.create(
            try request(#"{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:000000000000:q"}"#),
            identity: identity
        ).uuid
        try await registry.recordProcessingResult(uuid: sqs, "OK")
        #expect(try await registry.mapping(uuid: sqs, region: "us-east-1").lastProcessingResult == nil)
    }
}

/// Runs a supervisor on the real clock with no minimum transition time while `body` runs.
private func withSupervisor(
    _ registry: MappingRegistry, _ runner: RecordingRunner, _ body: () async throws -> Void
) async throws {
    let supervisor = MappingSupervisor(
        registry: registry, runner: runner, minimumTransition: .zero,
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await supervisor.run() }
        try await body()
        group.cancelAll()
    }
}

/// A runner that records what it is asked; stops can be held until the test releases them.
private actor RecordingRunner: MappingRunner {
    let calls = Recorder<String>()
    private var stopGate: Gate?

    func holdStops() { stopGate = Gate() }
    func releaseStops() async { await stopGate?.open() }

    func start(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) async {
        await calls.append("start \(configuration.uuid) \(kind)")
    }
    func reconfigure(_ configuration: EventSourceMappingConfiguration) async {
        await calls.append("reconfigure \(configuration.uuid) \(configuration.batchSize ?? 0)")
    }
    func stop(uuid: String) async {
        await calls.append("stop \(uuid)")
        await stopGate?.wait()
    }
    func remove(uuid: String) async throws { await calls.append("remove \(uuid)") }
    func stopAll() async {}
}

/// Polls a condition that another task makes true; fails after many attempts instead of hanging.
func waitUntil(_ condition: () async throws -> Bool) async throws {
    for _ in 0..<10_000 {
        if try await condition() { return }
        await Task.yield()
    }
    Issue.record("condition never became true")
}
