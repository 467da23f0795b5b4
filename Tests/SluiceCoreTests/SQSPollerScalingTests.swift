import Testing

@testable import SluiceCore

/// Seconds after an arbitrary epoch, as the machines' `now:`.
private func t(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64((seconds * 1000).rounded()))
}

/// SQS mapping concurrency: `reference/semantics.md` §7 and the choices in `SQSPollerScaling`'s doc.
@Suite struct SQSPollerScalingTests {
    typealias Settings = SQSPollerScaling.Settings
    typealias Action = SQSPollerScaling.Action

    @Test func startsWithFiveConcurrentBatches() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
    }

    @Test func startsBelowFiveWhenACapIsLower() {
        var capped = SQSPollerScaling(settings: Settings(maximumConcurrency: 2))
        #expect(capped.started(now: t(0)) == .scale(to: 2))
        var reserved = SQSPollerScaling(settings: Settings(reservedConcurrency: 3))
        #expect(reserved.started(now: t(0)) == .scale(to: 3))
    }

    @Test func growsByOnePerSecondWhileMessagesKeepComing() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.messagesReceived(now: t(0)) == .scale(to: 6))
        #expect(scaling.messagesReceived(now: t(0.5)) == Action.none)
        #expect(scaling.messagesReceived(now: t(1)) == .scale(to: 7))
        #expect(scaling.messagesReceived(now: t(5)) == .scale(to: 8))
    }

    @Test func growthStopsAtMaximumConcurrency() {
        var scaling = SQSPollerScaling(settings: Settings(maximumConcurrency: 6))
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.messagesReceived(now: t(0)) == .scale(to: 6))
        #expect(scaling.messagesReceived(now: t(1)) == Action.none)
    }

    @Test func growthStopsAtReservedConcurrency() {
        var scaling = SQSPollerScaling(settings: Settings(maximumConcurrency: 100, reservedConcurrency: 5))
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.messagesReceived(now: t(0)) == Action.none)
    }

    @Test func growthStopsAtTheCeilingOfOneThousand() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        for second in 0..<995 { _ = scaling.messagesReceived(now: t(Double(second))) }
        #expect(scaling.target == 1000)
        #expect(scaling.messagesReceived(now: t(2000)) == Action.none)
    }

    @Test func emptyReceiveShrinksByOneDownToFive() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.messagesReceived(now: t(0)) == .scale(to: 6))
        #expect(scaling.receivedNothing(now: t(20)) == .scale(to: 5))
        #expect(scaling.receivedNothing(now: t(40)) == Action.none)
    }

    @Test func throttleShrinksByOneDownToOne() {
        var scaling = SQSPollerScaling(settings: Settings(maximumConcurrency: 2))
        #expect(scaling.started(now: t(0)) == .scale(to: 2))
        #expect(scaling.invocationThrottled(now: t(1)) == .scale(to: 1))
        #expect(scaling.invocationThrottled(now: t(2)) == Action.none)
    }

    @Test func throttleHoldsGrowthForSixtySeconds() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.invocationThrottled(now: t(1)) == .scale(to: 4))
        #expect(scaling.messagesReceived(now: t(60)) == Action.none)
        #expect(scaling.messagesReceived(now: t(61)) == .scale(to: 5))
    }

    @Test func emptyReceiveDoesNotRaiseATargetLoweredByThrottles() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.invocationThrottled(now: t(1)) == .scale(to: 4))
        #expect(scaling.receivedNothing(now: t(20)) == Action.none)
    }

    @Test func lowerCapAppliesAtOnce() {
        var scaling = SQSPollerScaling(settings: Settings())
        #expect(scaling.started(now: t(0)) == .scale(to: 5))
        #expect(scaling.settingsChanged(Settings(maximumConcurrency: 3), now: t(1)) == .scale(to: 3))
        #expect(
            scaling.settingsChanged(Settings(maximumConcurrency: 3, reservedConcurrency: 2), now: t(2)) == .scale(to: 2)
        )
    }

    @Test func higherCapLetsTheTargetGrowFromWhereItIs() {
        var scaling = SQSPollerScaling(settings: Settings(maximumConcurrency: 2))
        #expect(scaling.started(now: t(0)) == .scale(to: 2))
        #expect(scaling.settingsChanged(Settings(maximumConcurrency: 10), now: t(1)) == Action.none)
        #expect(scaling.messagesReceived(now: t(1)) == .scale(to: 3))
    }

    @Test func reservedConcurrencyZeroStopsTheMappingUntilRaised() {
        var scaling = SQSPollerScaling(settings: Settings(reservedConcurrency: 0))
        #expect(scaling.started(now: t(0)) == .scale(to: 0))
        #expect(scaling.messagesReceived(now: t(1)) == Action.none)
        #expect(scaling.invocationThrottled(now: t(2)) == Action.none)
        #expect(scaling.settingsChanged(Settings(reservedConcurrency: 10), now: t(3)) == .scale(to: 1))
    }

    @Test func settingsComeFromTheMappingScalingConfig() {
        var configuration = EventSourceMappingConfiguration(
            uuid: "u", eventSourceMappingArn: "arn", functionArn: "f", lastModified: 0, state: .enabled,
            stateTransitionReason: "User action"
        )
        #expect(Settings(configuration, reservedConcurrency: nil) == Settings())
        configuration.scalingConfig = ScalingConfig(maximumConcurrency: 7)
        #expect(
            Settings(configuration, reservedConcurrency: 4) == Settings(maximumConcurrency: 7, reservedConcurrency: 4)
        )
    }
}
