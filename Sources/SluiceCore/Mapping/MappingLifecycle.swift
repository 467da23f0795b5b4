/// The mapping state machine of `reference/esm-api.md` §4: user requests move a mapping into a transitional state
/// and tell the engine what to do; the engine's acknowledgement settles it.
///
/// ```
/// Create(Enabled=true)  -> Creating  --settled--> Enabled
/// Create(Enabled=false) -> Disabled
/// Update(Enabled=false) -> Disabling --settled--> Disabled      (from Enabled)
/// Update(Enabled=true)  -> Enabling  --settled--> Enabled       (from Disabled)
/// Update(other fields)  -> Updating  --settled--> Enabled | Disabled
/// Delete                -> Deleting  --settled--> gone
/// ```
public struct MappingLifecycle: Sendable, Codable, Equatable {
    public private(set) var state: MappingState
    /// Whether the user wants the mapping to poll (the `Enabled` request member).
    public private(set) var enabled: Bool

    /// What the engine must do before the transition settles.
    public enum Action: String, Sendable, Codable, Equatable {
        /// Start polling (a new or re-enabled mapping).
        case start
        /// Stop polling, keeping the position.
        case stop
        /// Apply new settings from the next batch; keep polling or not as before.
        case reconfigure
        /// Stop polling and forget the position.
        case remove
    }

    /// What settling a transition means for the mapping's record.
    public enum Settlement: Sendable, Equatable {
        /// The mapping now rests in this state.
        case rest(MappingState)
        /// The mapping is gone.
        case forget
    }

    /// A new mapping and what the engine must do for it (`nil`: nothing; created disabled).
    public static func created(enabled: Bool) -> (MappingLifecycle, Action?) {
        enabled
            ? (MappingLifecycle(state: .creating, enabled: true), .start)
            : (MappingLifecycle(state: .disabled, enabled: false), nil)
    }

    /// A lifecycle as it was stored.
    public init(state: MappingState, enabled: Bool) {
        self.state = state
        self.enabled = enabled
    }

    /// The user updated the mapping; `enabled` is the request's `Enabled`, if it had one.
    public mutating func updateRequested(enabled requested: Bool?) throws(AWSError) -> Action {
        try ensureResting()
        switch (enabled, requested) {
        case (true, false?):
            state = .disabling
            enabled = false
            return .stop
        case (false, true?):
            state = .enabling
            enabled = true
            return .start
        default:
            state = .updating
            return .reconfigure
        }
    }

    /// The user deleted the mapping.
    public mutating func deleteRequested() throws(AWSError) -> Action {
        try ensureResting()
        state = .deleting
        return .remove
    }

    /// The engine finished the action of the current transition.
    public mutating func transitionSettled() -> Settlement {
        switch state {
        case .deleting:
            return .forget
        case .creating, .enabling, .disabling, .updating:
            state = enabled ? .enabled : .disabled
            return .rest(state)
        case .enabled, .disabled:
            return .rest(state)
        }
    }

    /// The action a transitional state still owes the engine, e.g. after a restart mid-transition.
    public var pendingAction: Action? {
        switch state {
        case .creating, .enabling: .start
        case .disabling: .stop
        case .updating: .reconfigure
        case .deleting: .remove
        case .enabled, .disabled: nil
        }
    }

    private func ensureResting() throws(AWSError) {
        guard !state.isTransitional else {
            throw .resourceInUse(
                "The operation cannot be performed at this time. "
                    + "The event source mapping is currently in the following state: \(state.rawValue)"
            )
        }
    }
}
