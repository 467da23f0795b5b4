import Testing

@testable import SluiceCore

/// The mapping state machine of `reference/esm-api.md` §4 and the busy rule of `docs/compatibility.md`.
@Suite struct MappingLifecycleTests {
    typealias Action = MappingLifecycle.Action

    /// The states a mapping leaves by itself, each with the `enabled` it naturally carries.
    static let transitional: [MappingLifecycle] = [
        MappingLifecycle(state: .creating, enabled: true),
        MappingLifecycle(state: .enabling, enabled: true),
        MappingLifecycle(state: .disabling, enabled: false),
        MappingLifecycle(state: .updating, enabled: true),
        MappingLifecycle(state: .updating, enabled: false),
        MappingLifecycle(state: .deleting, enabled: true),
        MappingLifecycle(state: .deleting, enabled: false),
    ]

    static func busy(_ state: MappingState) -> AWSError {
        AWSError(
            code: "ResourceInUseException",
            message: "The operation cannot be performed at this time. "
                + "The event source mapping is currently in the following state: \(state.rawValue)",
            status: 400,
            fault: .client,
            messageKey: .capitalized
        )
    }

    // MARK: Create

    @Test func createdEnabledStartsInCreatingAndAsksTheEngineToStart() {
        let (lifecycle, action) = MappingLifecycle.created(enabled: true)
        #expect(lifecycle == MappingLifecycle(state: .creating, enabled: true))
        #expect(action == .start)
    }

    @Test func createdDisabledRestsInDisabledAndAsksNothing() {
        let (lifecycle, action) = MappingLifecycle.created(enabled: false)
        #expect(lifecycle == MappingLifecycle(state: .disabled, enabled: false))
        #expect(action == nil)
    }

    // MARK: Update

    struct Update: Sendable, CustomTestStringConvertible {
        let from: MappingState
        let requested: Bool?
        let state: MappingState
        let enabled: Bool
        let action: Action

        var testDescription: String {
            "\(from.rawValue) + Enabled=\(requested.map(String.init) ?? "absent") → \(state.rawValue), .\(action)"
        }
    }

    @Test(arguments: [
        Update(from: .enabled, requested: false, state: .disabling, enabled: false, action: .stop),
        Update(from: .enabled, requested: true, state: .updating, enabled: true, action: .reconfigure),
        Update(from: .enabled, requested: nil, state: .updating, enabled: true, action: .reconfigure),
        Update(from: .disabled, requested: true, state: .enabling, enabled: true, action: .start),
        Update(from: .disabled, requested: false, state: .updating, enabled: false, action: .reconfigure),
        Update(from: .disabled, requested: nil, state: .updating, enabled: false, action: .reconfigure),
    ])
    func updateFromARestingStateEntersItsTransitionalState(update: Update) throws {
        var lifecycle = MappingLifecycle(state: update.from, enabled: update.from == .enabled)
        #expect(try lifecycle.updateRequested(enabled: update.requested) == update.action)
        #expect(lifecycle == MappingLifecycle(state: update.state, enabled: update.enabled))
    }

    @Test(arguments: transitional, [true, false, nil] as [Bool?])
    func updateInATransitionalStateIsRefusedWithResourceInUse(lifecycle: MappingLifecycle, requested: Bool?) {
        var busy = lifecycle
        #expect(throws: Self.busy(lifecycle.state)) { try busy.updateRequested(enabled: requested) }
        #expect(busy == lifecycle)
    }

    // MARK: Delete

    @Test(arguments: [MappingState.enabled, .disabled])
    func deleteFromARestingStateEntersDeletingAndAsksToRemove(from state: MappingState) throws {
        var lifecycle = MappingLifecycle(state: state, enabled: state == .enabled)
        #expect(try lifecycle.deleteRequested() == .remove)
        #expect(lifecycle == MappingLifecycle(state: .deleting, enabled: state == .enabled))
    }

    @Test(arguments: transitional)
    func deleteInATransitionalStateIsRefusedWithResourceInUse(lifecycle: MappingLifecycle) {
        var busy = lifecycle
        #expect(throws: Self.busy(lifecycle.state)) { try busy.deleteRequested() }
        #expect(busy == lifecycle)
    }

    @Test func resourceInUseUsesCapitalizedMessageKeyAndStatus400() {
        var lifecycle = MappingLifecycle(state: .creating, enabled: true)
        let error = #expect(throws: AWSError.self) { try lifecycle.deleteRequested() }
        #expect(error?.code == "ResourceInUseException")
        #expect(error?.status == 400)
        #expect(error?.messageKey == .capitalized)
        #expect(error?.messageKey.rawValue == "Message")
        #expect(
            error?.message
                == "The operation cannot be performed at this time. "
                + "The event source mapping is currently in the following state: Creating"
        )
    }

    // MARK: Settle

    struct Settle: Sendable, CustomTestStringConvertible {
        let from: MappingLifecycle
        let settlement: MappingLifecycle.Settlement
        let resting: MappingState

        var testDescription: String { "\(from.state.rawValue)(enabled: \(from.enabled)) → \(settlement)" }
    }

    @Test(arguments: [
        Settle(from: .init(state: .creating, enabled: true), settlement: .rest(.enabled), resting: .enabled),
        Settle(from: .init(state: .enabling, enabled: true), settlement: .rest(.enabled), resting: .enabled),
        Settle(from: .init(state: .disabling, enabled: false), settlement: .rest(.disabled), resting: .disabled),
        Settle(from: .init(state: .updating, enabled: true), settlement: .rest(.enabled), resting: .enabled),
        Settle(from: .init(state: .updating, enabled: false), settlement: .rest(.disabled), resting: .disabled),
        Settle(from: .init(state: .enabled, enabled: true), settlement: .rest(.enabled), resting: .enabled),
        Settle(from: .init(state: .disabled, enabled: false), settlement: .rest(.disabled), resting: .disabled),
    ])
    func settlingATransitionRestsInTheStateEnabledAsks(settle: Settle) {
        var lifecycle = settle.from
        #expect(lifecycle.transitionSettled() == settle.settlement)
        #expect(lifecycle == MappingLifecycle(state: settle.resting, enabled: settle.from.enabled))
        #expect(lifecycle.pendingAction == nil)
    }

    @Test(arguments: [true, false])
    func settlingDeletingForgetsTheMapping(enabled: Bool) {
        var lifecycle = MappingLifecycle(state: .deleting, enabled: enabled)
        #expect(lifecycle.transitionSettled() == .forget)
    }

    // MARK: Whole paths, one event per line

    @Test func enabledMappingGoesThroughEveryTransitionOfSection4() throws {
        let (created, action) = MappingLifecycle.created(enabled: true)
        var lifecycle = created
        #expect(lifecycle.state == .creating && action == .start)
        #expect(lifecycle.transitionSettled() == .rest(.enabled))
        #expect(try lifecycle.updateRequested(enabled: nil) == .reconfigure && lifecycle.state == .updating)
        #expect(lifecycle.transitionSettled() == .rest(.enabled))
        #expect(try lifecycle.updateRequested(enabled: false) == .stop && lifecycle.state == .disabling)
        #expect(lifecycle.transitionSettled() == .rest(.disabled))
        #expect(try lifecycle.updateRequested(enabled: nil) == .reconfigure && lifecycle.state == .updating)
        #expect(lifecycle.transitionSettled() == .rest(.disabled))
        #expect(try lifecycle.updateRequested(enabled: true) == .start && lifecycle.state == .enabling)
        #expect(lifecycle.transitionSettled() == .rest(.enabled))
        #expect(try lifecycle.deleteRequested() == .remove && lifecycle.state == .deleting)
        #expect(lifecycle.transitionSettled() == .forget)
    }

    @Test func disabledMappingIsEnabledByAnUpdateAndDeletedFromDisabled() throws {
        let (created, action) = MappingLifecycle.created(enabled: false)
        var lifecycle = created
        #expect(lifecycle.state == .disabled && action == nil)
        #expect(try lifecycle.updateRequested(enabled: true) == .start && lifecycle.state == .enabling)
        #expect(throws: Self.busy(.enabling)) { try lifecycle.updateRequested(enabled: false) }
        #expect(lifecycle.transitionSettled() == .rest(.enabled))
        #expect(try lifecycle.updateRequested(enabled: false) == .stop && lifecycle.state == .disabling)
        #expect(lifecycle.transitionSettled() == .rest(.disabled))
        #expect(try lifecycle.deleteRequested() == .remove && lifecycle.state == .deleting)
        #expect(throws: Self.busy(.deleting)) { try lifecycle.deleteRequested() }
        #expect(lifecycle.transitionSettled() == .forget)
    }

    // MARK: Pending action

    @Test(arguments: [
        (MappingState.creating, Action?.some(.start)),
        (.enabling, .start),
        (.disabling, .stop),
        (.updating, .reconfigure),
        (.deleting, .remove),
        (.enabled, nil),
        (.disabled, nil),
    ])
    func pendingActionIsWhatTheStateStillOwesTheEngine(state: MappingState, action: Action?) {
        #expect(MappingLifecycle(state: state, enabled: true).pendingAction == action)
        #expect(MappingLifecycle(state: state, enabled: false).pendingAction == action)
    }

    @Test func everyStateIsCoveredAndOnlyEnabledAndDisabledRest() {
        #expect(MappingState.allCases.map(\.rawValue) == [
            "Creating", "Enabling", "Enabled", "Disabling", "Disabled", "Updating", "Deleting",
        ])
        #expect(MappingState.allCases.filter { !$0.isTransitional } == [.enabled, .disabled])
    }
}

extension MappingLifecycle: CustomTestStringConvertible {
    public var testDescription: String { "\(state.rawValue)(enabled: \(enabled))" }
}
