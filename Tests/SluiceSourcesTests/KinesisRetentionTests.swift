import Logging
import Testing

import SluiceCore
@testable import SluiceSources
import SluiceStore
import SluiceTesting

@Suite struct KinesisRetentionTests {
    @Test func expiredRecordsAreTrimmedOnEachTickAndNotBefore() async throws {
        let fixture = KinesisFixture()
        let engine = try await fixture.createdEngine()
        _ = try await engine.putRecord(
            .init(streamName: "s", data: bytes("old"), partitionKey: "k"), identity: fixture.identity
        )
        fixture.clock.advance(milliseconds: 24 * 3_600_000 + 1)
        let ticks = ManualClock()
        let clock = fixture.clock
        let retention = KinesisRetention(
            engine: engine, interval: .seconds(60), clock: ticks, now: { clock.now },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await retention.run() }
            await ticks.nextTimerScheduled()
            #expect(await fixture.log.recordCount() == 1)
            ticks.advance(by: .seconds(60))
            await ticks.nextTimerScheduled()
            #expect(await fixture.log.recordCount() == 0)
            group.cancelAll()
        }
    }
}
