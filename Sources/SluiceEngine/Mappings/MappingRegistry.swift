import Foundation
import SluiceCore
import SluiceStore

/// The event source mappings: the five operations of the Lambda API and tags, in memory for reads, written through
/// to the store before a change is acknowledged (`reference/esm-api.md`).
///
/// Every change that enters a transitional state is announced on ``transitions``; the supervisor performs it and
/// calls ``settle(_:)``.
public actor MappingRegistry {
    /// One page of ListEventSourceMappings.
    public struct Page: Sendable {
        public var mappings: [EventSourceMappingConfiguration]
        public var nextMarker: String?
    }

    static let collection = "event-source-mappings"
    /// AWS returns at most 100 mappings a page (esm-api.md §9).
    static let pageLimit = 100

    var mappings: [String: EventSourceMapping]
    /// Each mapping's response body, encoded once per change: Get and List copy bytes instead of encoding.
    var responses: [String: [UInt8]]
    private var nextSequence: Int64
    private var revision: Int64
    private let store: any DocumentStore
    private let functions: any FunctionDirectory
    private let sources: any EventSourceDirectory
    private let now: @Sendable () -> Timestamp
    private let newUUID: @Sendable () -> String
    private let transitionContinuation: AsyncStream<MappingTransition>.Continuation

    /// Transitions for the supervisor: those left unfinished in the store first, then each new one.
    public nonisolated let transitions: AsyncStream<MappingTransition>

    public init(
        store: any DocumentStore, functions: any FunctionDirectory,
        sources: any EventSourceDirectory = UncheckedEventSources(), now: @escaping @Sendable () -> Timestamp,
        newUUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) async throws {
        let stored = try await store.load(EventSourceMapping.self, from: Self.collection)
        self.mappings = Dictionary(stored.values.map { ($0.uuid, $0) }, uniquingKeysWith: { $1 })
        self.responses = mappings.mapValues { $0.configuration.encodedJSON() }
        self.nextSequence = (stored.values.map(\.sequence).max() ?? 0) + 1
        self.revision = stored.revision
        self.store = store
        self.functions = functions
        self.sources = sources
        self.now = now
        self.newUUID = newUUID
        (transitions, transitionContinuation) = AsyncStream.makeStream()
        for mapping in stored.values.sorted(by: { $0.sequence < $1.sequence }) {
            if let action = mapping.lifecycle.pendingAction {
                transitionContinuation.yield(MappingTransition(uuid: mapping.uuid, action: action))
            }
        }
    }

    // MARK: Operations

    /// CreateEventSourceMapping: validation in AWS's order (esm-api.md §5): request, function, source, duplicates.
    public func create(_ request: CreateEventSourceMappingRequest, identity: RequestIdentity) async throws
        -> EventSourceMappingConfiguration
    {
        let target = try EventSourceMappingConfiguration.validate(request, identity: identity)
        let (lifecycle, action) = MappingLifecycle.created(enabled: request.settings.enabled ?? true)
        let uuid = newUUID()
        // Building the configuration applies the request's own rules (record age, SQS batching, filters,
        // destinations) before anything is looked up.
        let configuration = try EventSourceMappingConfiguration(
            creating: request, target: target, uuid: uuid, now: now(), state: lifecycle.state
        )
        guard let functionTimeout = await functions.timeout(of: target.function) else {
            throw AWSError.invalidParameterValue("Function does not exist")
        }
        if let arn = request.eventSourceArn,
            let error = await sources.lookUp(arn, kind: target.kind)
                .mappingError(eventSourceArn: arn, kind: target.kind, functionTimeout: functionTimeout)
        {
            throw error
        }
        let mapping = EventSourceMapping(
            configuration: configuration, lifecycle: lifecycle, kind: target.kind, sequence: nextSequence,
            tags: request.tags ?? [:]
        )
        if let conflict = mappings.values.lazy.compactMap({ $0.conflict(with: mapping) }).first {
            throw conflict
        }
        nextSequence += 1
        try await save(mapping, previous: nil)
        announce(uuid, action)
        return mapping.configuration
    }

    /// GetEventSourceMapping.
    public func mapping(uuid: String, region: String) throws -> EventSourceMappingConfiguration {
        try existing(uuid, region: region).configuration
    }

    /// GetEventSourceMapping as its JSON response body.
    public func mappingJSON(uuid: String, region: String) throws -> [UInt8] {
        _ = try existing(uuid, region: region)
        return responses[uuid] ?? []
    }

    /// ListEventSourceMappings as JSON bodies of the mappings, and the next marker.
    public func listJSON(region: String, eventSourceArn: String?, function: FunctionReference?, marker: String?,
                         maxItems: Int?) throws -> (mappings: [[UInt8]], nextMarker: String?)
    {
        let page = try list(
            region: region, eventSourceArn: eventSourceArn, function: function, marker: marker, maxItems: maxItems
        )
        return (page.mappings.map { responses[$0.uuid] ?? $0.encodedJSON() }, page.nextMarker)
    }

    /// ListEventSourceMappings in creation order, filtered by source and function (both optional, ANDed).
    public func list(region: String, eventSourceArn: String?, function: FunctionReference?, marker: String?,
                     maxItems: Int?) throws -> Page
    {
        let matching = mappings.values
            .filter { $0.isIn(region: region) && Self.matches($0, eventSourceArn: eventSourceArn, function: function) }
            .sorted { $0.sequence < $1.sequence }
        var start = 0
        if let marker {
            guard let sequence = Self.sequence(fromMarker: marker) else {
                throw AWSError.invalidParameterValue("Invalid Marker value.")
            }
            start = matching.firstIndex { $0.sequence >= sequence } ?? matching.count
        }
        let end = min(start + min(maxItems ?? Self.pageLimit, Self.pageLimit), matching.count)
        let next = end < matching.count ? Self.marker(forSequence: matching[end].sequence) : nil
        return Page(mappings: matching[start..<end].map(\.configuration), nextMarker: next)
    }

    /// UpdateEventSourceMapping: `Updating`, `Enabling` or `Disabling`, then settled by the supervisor.
    public func update(uuid: String, _ settings: MappingSettings, identity: RequestIdentity) async throws
        -> EventSourceMappingConfiguration
    {
        let previous = try existing(uuid, region: identity.region)
        var mapping = previous
        var lifecycle = mapping.lifecycle
        let action = try lifecycle.updateRequested(enabled: settings.enabled)
        try mapping.configuration.update(with: settings, kind: mapping.kind)
        if let name = settings.functionName {
            let function = try FunctionReference(parsing: name, identity: identity, maxLength: 256)
            guard await functions.functionExists(function) else {
                throw AWSError.invalidParameterValue("Function does not exist")
            }
            mapping.configuration.functionArn = function.arn
        }
        try await checkVisibilityTimeout(of: mapping, identity: identity)
        // The function check may have suspended: take the latest record, so no concurrent change is lost. The engine
        // may have recorded a processing result meanwhile; that is no conflict.
        guard let current = mappings[uuid], current.differsOnlyInProcessingResult(from: previous) else {
            throw AWSError.resourceInUse(
                "The operation cannot be performed at this time. The event source mapping is being modified."
            )
        }
        if let conflict = mappings.values.lazy.compactMap({ $0.conflict(with: mapping) }).first {
            throw conflict
        }
        mapping.lifecycle = lifecycle
        mapping.configuration.lastProcessingResult = current.configuration.lastProcessingResult
        mapping.recordState(now: now())
        try await save(mapping, previous: current)
        announce(uuid, action)
        return mapping.configuration
    }

    /// DeleteEventSourceMapping: answers `Deleting`; the supervisor removes the mapping.
    public func delete(uuid: String, region: String) async throws -> EventSourceMappingConfiguration {
        let previous = try existing(uuid, region: region)
        var mapping = previous
        let action = try mapping.lifecycle.deleteRequested()
        mapping.recordState(now: now())
        try await save(mapping, previous: previous)
        announce(uuid, action)
        return mapping.configuration
    }

    /// The engine finished a transition: the mapping rests in its new state, or is forgotten after Delete.
    public func settle(_ transition: MappingTransition) async throws {
        guard let previous = mappings[transition.uuid], previous.lifecycle.pendingAction == transition.action else {
            return
        }
        var mapping = previous
        switch mapping.lifecycle.transitionSettled() {
        case .rest:
            mapping.recordState(now: now())
            try await save(mapping, previous: previous)
        case .forget:
            mappings[transition.uuid] = nil
            responses[transition.uuid] = nil
            revision += 1
            do {
                try await store.delete(collection: Self.collection, key: transition.uuid, revision: revision)
            } catch {
                mappings[transition.uuid] = previous
                responses[transition.uuid] = previous.configuration.encodedJSON()
                throw error
            }
        }
    }

    // MARK: Tags

    public func tags(uuid: String, region: String) throws -> [String: String] {
        try existing(uuid, region: region).tags
    }

    public func setTags(uuid: String, region: String, adding: [String: String], removing: [String]) async throws {
        let previous = try existing(uuid, region: region)
        var mapping = previous
        mapping.tags.merge(adding) { $1 }
        for key in removing { mapping.tags[key] = nil }
        try await save(mapping, previous: previous)
    }

    // MARK: Helpers

    /// SQS: the queue's visibility timeout must not be lower than the function's Timeout, on Update too (docs).
    private func checkVisibilityTimeout(of mapping: EventSourceMapping, identity: RequestIdentity) async throws {
        guard mapping.kind == .sqs, let arn = mapping.configuration.eventSourceArn,
            case .exists(let visibility?) = await sources.lookUp(arn, kind: .sqs),
            let function = try? FunctionReference(
                parsing: mapping.configuration.functionArn, identity: identity, maxLength: 256
            ),
            let timeout = await functions.timeout(of: function)
        else { return }
        if let error = EventSourceLookup.exists(visibilityTimeout: visibility)
            .mappingError(eventSourceArn: arn, kind: .sqs, functionTimeout: timeout)
        {
            throw error
        }
    }

    /// Mappings live in a region, as on AWS: another region's mapping is not found.
    private func existing(_ uuid: String, region: String) throws -> EventSourceMapping {
        guard let mapping = mappings[uuid], mapping.isIn(region: region) else { throw AWSError.mappingNotFound }
        return mapping
    }

    private func announce(_ uuid: String, _ action: MappingLifecycle.Action?) {
        guard let action else { return }
        transitionContinuation.yield(MappingTransition(uuid: uuid, action: action))
    }

    /// Writes through: memory first, so concurrent requests see the change; rolled back if the store fails.
    func save(_ mapping: EventSourceMapping, previous: EventSourceMapping?) async throws {
        mappings[mapping.uuid] = mapping
        responses[mapping.uuid] = mapping.configuration.encodedJSON()
        revision += 1
        do {
            try await store.put(mapping, key: mapping.uuid, in: Self.collection, revision: revision)
        } catch {
            mappings[mapping.uuid] = previous
            responses[mapping.uuid] = previous?.configuration.encodedJSON()
            throw error
        }
    }

    /// An unqualified function filter matches the function with any qualifier; a qualified one matches exactly
    /// (`docs/compatibility.md`).
    static func matches(_ mapping: EventSourceMapping, eventSourceArn: String?, function: FunctionReference?) -> Bool {
        if let eventSourceArn, mapping.configuration.eventSourceArn != eventSourceArn { return false }
        guard let function else { return true }
        let arn = mapping.configuration.functionArn
        return function.qualifier == nil
            ? arn == function.unqualifiedArn || arn.hasPrefix(function.unqualifiedArn + ":")
            : arn == function.arn
    }

    static func marker(forSequence sequence: Int64) -> String {
        Data("esm:\(sequence)".utf8).base64EncodedString()
    }

    static func sequence(fromMarker marker: String) -> Int64? {
        guard let data = Data(base64Encoded: marker) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("esm:") else { return nil }
        return Int64(text.dropFirst(4))
    }
}
