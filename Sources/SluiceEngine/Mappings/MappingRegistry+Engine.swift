import SluiceCore

/// What the engine reads and reports about mappings, outside the Lambda API.
extension MappingRegistry {
    /// A mapping as the engine runs it: its configuration now and its source kind; `nil` once it is gone.
    public func running(uuid: String) -> (configuration: EventSourceMappingConfiguration, kind: EventSourceKind)? {
        mappings[uuid].map { ($0.configuration, $0.kind) }
    }

    /// The mappings meant to poll whose start is not announced on ``transitions``, in creation order: the ones to
    /// start after a restart. An `Updating` mapping that was enabled is among them (its pending transition only
    /// reconfigures).
    public func enabledMappings() -> [String] {
        mappings.values.filter { $0.lifecycle.enabled && ![.start, .remove].contains($0.lifecycle.pendingAction) }
            .sorted { $0.sequence < $1.sequence }.map(\.uuid)
    }

    /// The engine's LastProcessingResult for a mapping (`reference/esm-api.md` §4). Written only when it changes, so
    /// a mapping that keeps succeeding writes once; ignored for a mapping that is gone or does not report one (SQS).
    public func recordProcessingResult(uuid: String, _ result: String) async throws {
        guard let previous = mappings[uuid], previous.configuration.lastProcessingResult != nil,
            previous.configuration.lastProcessingResult != result
        else { return }
        var mapping = previous
        mapping.configuration.lastProcessingResult = result
        try await save(mapping, previous: previous)
    }
}

extension EventSourceMapping {
    /// Whether two records of a mapping differ in nothing but the engine's LastProcessingResult.
    func differsOnlyInProcessingResult(from other: EventSourceMapping) -> Bool {
        var other = other
        other.configuration.lastProcessingResult = configuration.lastProcessingResult
        return self == other
    }
}
