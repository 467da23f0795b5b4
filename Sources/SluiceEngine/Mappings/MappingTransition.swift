import SluiceCore

/// A mapping entered a transitional state; the engine performs `action`, then settles the mapping.
public struct MappingTransition: Sendable, Equatable {
    public var uuid: String
    public var action: MappingLifecycle.Action

    public init(uuid: String, action: MappingLifecycle.Action) {
        self.uuid = uuid
        self.action = action
    }
}
