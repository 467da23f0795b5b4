import SluiceCore

/// What runs mappings for the supervisor: it starts, reconfigures, stops and removes the poller of one mapping, and
/// returns only once that is done, so the supervisor settles the transition after the fact (`reference/semantics.md`
/// §11: `Disabled` only once the poller really stopped).
public protocol MappingRunner: Sendable {
    /// Starts polling (Create, Enable, a restart). A mapping already running is left as it is.
    func start(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) async
    /// The mapping's settings changed: a running poller applies them from its next batch.
    func reconfigure(_ configuration: EventSourceMappingConfiguration) async
    /// Stops polling and returns once the in-flight work finished; the position is kept.
    func stop(uuid: String) async
    /// Stops polling and forgets the position (Delete).
    func remove(uuid: String) async throws
    /// Stops every poller (shutdown).
    func stopAll() async
}

/// Runs nothing: the control plane alone, as tests of the API use it.
public struct IdleMappingRunner: MappingRunner {
    public init() {}
    public func start(_ configuration: EventSourceMappingConfiguration, kind: EventSourceKind) async {}
    public func reconfigure(_ configuration: EventSourceMappingConfiguration) async {}
    public func stop(uuid: String) async {}
    public func remove(uuid: String) async throws {}
    public func stopAll() async {}
}
