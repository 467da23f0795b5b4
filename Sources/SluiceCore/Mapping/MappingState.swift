/// The states of an event source mapping (`reference/esm-api.md` §4).
public enum MappingState: String, Sendable, Codable, Equatable, CaseIterable {
    case creating = "Creating"
    case enabling = "Enabling"
    case enabled = "Enabled"
    case disabling = "Disabling"
    case disabled = "Disabled"
    case updating = "Updating"
    case deleting = "Deleting"

    /// A state the mapping leaves by itself once the engine has done its part.
    public var isTransitional: Bool {
        switch self {
        case .enabled, .disabled: false
        case .creating, .enabling, .disabling, .updating, .deleting: true
        }
    }
}
