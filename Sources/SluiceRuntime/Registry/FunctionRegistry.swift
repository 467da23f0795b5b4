import Foundation
import SluiceCore
import SluiceStore

/// The functions Sluice knows: CreateFunction, Get, List, Update, Delete and tags, kept in memory for reads and
/// written through to the store before a change is acknowledged (`reference/runtime-api.md` §4). Versions and
/// aliases: `FunctionRegistry+Versions.swift`, `+Aliases`; reserved concurrency: `+Concurrency`.
public actor FunctionRegistry: FunctionDirectory {
    /// A function as stored, in one document: its `$LATEST` configuration, tags, published versions and aliases,
    /// and its reserved concurrency.
    struct Record: Codable, Sendable {
        var configuration: FunctionConfiguration
        var tags: [String: String]
        var versions = FunctionVersions()
        var reservedConcurrency: Int?

        init(configuration: FunctionConfiguration, tags: [String: String]) {
            self.configuration = configuration
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey { case configuration, tags, versions, reservedConcurrency }

        /// Records written before versions existed have neither `versions` nor `reservedConcurrency`.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            configuration = try container.decode(FunctionConfiguration.self, forKey: .configuration)
            tags = try container.decode([String: String].self, forKey: .tags)
            versions = try container.decodeIfPresent(FunctionVersions.self, forKey: .versions) ?? FunctionVersions()
            reservedConcurrency = try container.decodeIfPresent(Int.self, forKey: .reservedConcurrency)
        }
    }

    /// One page of ListFunctions.
    public struct Page: Sendable {
        public var functions: [FunctionConfiguration]
        public var nextMarker: String?
    }

    static let collection = "functions"

    var records: [String: Record]
    /// The revision of the last write issued to the store (see ``DocumentStore``).
    var revision: Int64
    let store: any DocumentStore
    let code: CodeArchiveStore
    let now: @Sendable () -> Timestamp
    let newRevisionID: @Sendable () -> String
    private let runtimeProblem: @Sendable (String?) -> String?
    /// A number uniform in `0..<1` that picks between an alias's weighted versions.
    let routingRoll: @Sendable () -> Double

    /// Loads every stored function.
    ///
    /// - Parameters:
    ///   - runtimeProblem: why this machine cannot run a runtime (`nil` when it can); a function whose runtime
    ///     cannot run is `Failed` with that reason (issue 4, item 3).
    ///   - routingRoll: draws the number that routes an invocation of a weighted alias.
    public init(
        store: any DocumentStore, code: CodeArchiveStore, now: @escaping @Sendable () -> Timestamp,
        newRevisionID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        runtimeProblem: @escaping @Sendable (String?) -> String? = { _ in nil },
        routingRoll: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) async throws {
        let stored = try await store.load(Record.self, from: Self.collection)
        // Whether a runtime can run is the machine's, not the store's: settle it again at every start.
        let settled = stored.values.map { record -> Record in
            var record = record
            let settle = { (configuration: FunctionConfiguration) in
                configuration.resettled(runtimeProblem: runtimeProblem(configuration.runtime))
            }
            record.configuration = settle(record.configuration)
            record.versions.resettle(settle)
            return record
        }
        self.records = Dictionary(settled.map { ($0.configuration.functionArn, $0) }, uniquingKeysWith: { $1 })
        self.revision = stored.revision
        self.store = store
        self.code = code
        self.now = now
        self.newRevisionID = newRevisionID
        self.runtimeProblem = runtimeProblem
        self.routingRoll = routingRoll
    }

    // MARK: Operations

    /// CreateFunction: the response shows `Pending`; the stored function is `Active` at once.
    public func create(_ request: CreateFunctionRequest, identity: RequestIdentity) async throws
        -> FunctionConfiguration
    {
        let reference = try FunctionConfiguration.validate(request, identity: identity)
        guard records[reference.unqualifiedArn] == nil else {
            throw AWSError.resourceConflict("Function already exist: \(reference.name)")
        }
        let facts = try code.save(try FunctionValidation.zipArchive(from: request.code))
        let created = FunctionConfiguration(
            creating: request, reference: reference, code: facts, now: now(), revisionId: newRevisionID()
        )
        let settled = created.settledAfterCreate(runtimeProblem: runtimeProblem(created.runtime))
        var record = Record(configuration: settled, tags: request.tags ?? [:])
        guard request.publish == true else {
            try await save(record)
            return created
        }
        // Recorded: the response is the created function (unqualified ARN, Pending) with Version "1".
        let version = try record.versions.publish(
            PublishVersionRequest(), latest: &record.configuration, newRevisionID: newRevisionID
        ).version
        try await save(record)
        var response = created
        response.version = version.version
        return response
    }

    /// GetFunction / GetFunctionConfiguration: the configuration the reference names (`$LATEST`, a version, or the
    /// version an alias points at, its `FunctionArn` qualified as the reference is) and the function's tags.
    public func function(_ reference: FunctionReference) throws -> (FunctionConfiguration, tags: [String: String]) {
        let (record, configuration) = try resolved(reference)
        return (reference.qualifier == nil ? configuration : configuration.named(arn: reference.arn), record.tags)
    }

    /// ListFunctions in name order, at most `maxItems` (capped at 50, as AWS pages) per page.
    public func list(region: String, marker: String?, maxItems: Int?) throws -> Page {
        let all = records.values.map(\.configuration).filter { ARN($0.functionArn)?.region == region }
            .sorted { $0.functionName < $1.functionName }
        let start: Int
        if let marker {
            guard let name = Self.decodeMarker(marker) else {
                throw AWSError.invalidParameterValue("Invalid Marker value.")
            }
            start = all.firstIndex { $0.functionName >= name } ?? all.count
        } else {
            start = 0
        }
        let size = min(maxItems ?? 50, 50)
        let end = min(start + size, all.count)
        let next = end < all.count ? Self.encodeMarker(all[end].functionName) : nil
        return Page(functions: Array(all[start..<end]), nextMarker: next)
    }

    /// DeleteFunction: the whole function with its versions, aliases and concurrency, or (qualified) one version.
    /// Mappings of the function stay (esm-api.md §4, recorded).
    public func delete(_ reference: FunctionReference) async throws {
        if let qualifier = reference.qualifier {
            guard qualifier != "$LATEST" else {
                throw AWSError.invalidParameterValue("$LATEST version cannot be deleted without deleting the function.")
            }
            return try await deleteVersion(qualifier, of: reference)
        }
        let record = try existing(reference)
        records[record.configuration.functionArn] = nil
        revision += 1
        do {
            try await store.delete(collection: Self.collection, key: record.configuration.functionArn, revision: revision)
        } catch {
            records[record.configuration.functionArn] = record
            throw error
        }
    }

    /// UpdateFunctionConfiguration; the response shows `LastUpdateStatus: InProgress`.
    public func updateConfiguration(_ reference: FunctionReference, _ request: UpdateFunctionConfigurationRequest)
        async throws -> FunctionConfiguration
    {
        var record = try existing(reference)
        try record.configuration.apply(request, now: now(), revisionId: newRevisionID())
        record.configuration = record.configuration.settledAfterCreate(
            runtimeProblem: runtimeProblem(record.configuration.runtime)
        )
        try await save(record)
        return record.configuration.inProgressUpdate()
    }

    /// UpdateFunctionCode; `DryRun` validates and reports without storing.
    public func updateCode(_ reference: FunctionReference, _ request: UpdateFunctionCodeRequest) async throws
        -> FunctionConfiguration
    {
        var record = try existing(reference)
        try record.configuration.validateCodeUpdate(request)
        let archive = try FunctionValidation.zipArchive(from: request.code)
        let isDryRun = request.dryRun == true
        let facts = isDryRun ? try code.check(archive) : try code.save(archive)
        record.configuration.replaceCode(
            facts, architectures: request.architectures, now: now(), revisionId: newRevisionID()
        )
        if isDryRun { return record.configuration.inProgressUpdate() }
        guard request.publish == true else {
            try await save(record)
            return record.configuration.inProgressUpdate()
        }
        // Recorded: the response is the new version, qualified, while it is being created.
        let version = try record.versions.publish(
            PublishVersionRequest(), latest: &record.configuration, newRevisionID: newRevisionID
        ).version
        try await save(record)
        return version.publishing()
    }

    /// Where the zip of the code the reference names lies (`$LATEST`'s, a version's, an alias's version's).
    public func codeArchive(_ reference: FunctionReference) throws -> URL? {
        code.archiveURL(sha256Base64: try resolved(reference).configuration.codeSha256)
    }

    // MARK: Invocation

    /// What an invocation of `reference` runs: the configuration of the version the reference resolves to (an
    /// alias with weights picks one by ``routingRoll``), its unpacked code and the function's concurrency limit.
    public func invocationTarget(_ reference: FunctionReference) throws -> InvocationTarget {
        let (record, configuration) = try resolved(reference, roll: routingRoll())
        guard configuration.state == "Active" else {
            throw AWSError.resourceConflict(
                "The operation cannot be performed at this time. The function is currently in the following state: "
                    + configuration.state
            )
        }
        guard let directory = try code.codeDirectory(sha256Base64: configuration.codeSha256) else {
            throw AWSError.service("The code of \(configuration.functionArn) is missing from the data directory.")
        }
        return InvocationTarget(
            configuration: configuration, codeDirectory: directory, invokedFunctionArn: reference.arn,
            reservedConcurrency: record.reservedConcurrency
        )
    }

    // MARK: Tags

    public func tags(functionArn: String) -> [String: String]? {
        records[functionArn]?.tags
    }

    public func setTags(functionArn: String, adding: [String: String], removing: [String]) async throws {
        guard var record = records[functionArn] else {
            throw AWSError.functionNotFound(arn: functionArn)
        }
        record.tags.merge(adding) { $1 }
        for key in removing { record.tags[key] = nil }
        try await save(record)
    }

    // MARK: FunctionDirectory

    /// The Timeout of the configuration the reference names (an alias: the version it points at).
    public func timeout(of reference: FunctionReference) -> Int? {
        try? resolved(reference).configuration.timeout
    }

    /// The Role of the configuration the reference names.
    public func role(of reference: FunctionReference) -> String? {
        try? resolved(reference).configuration.role
    }

    /// The function's reserved concurrency, whatever the qualifier.
    public func reservedConcurrency(of reference: FunctionReference) -> Int? {
        records[reference.unqualifiedArn]?.reservedConcurrency
    }

    // MARK: Helpers

    /// The function of an unqualified or `$LATEST` reference (the operations that change `$LATEST`).
    func existing(_ reference: FunctionReference) throws -> Record {
        guard let record = records[reference.unqualifiedArn], reference.isLatest else {
            throw AWSError.functionNotFound(arn: reference.arn)
        }
        return record
    }

    /// The function and the configuration the reference names (`$LATEST`'s, or a version's with its own ARN).
    ///
    /// - Parameter roll: picks between an alias's weighted versions; `nil` follows the alias's own version.
    func resolved(_ reference: FunctionReference, roll: Double? = nil) throws
        -> (Record, configuration: FunctionConfiguration)
    {
        guard let record = records[reference.unqualifiedArn],
            let configuration = record.versions.configuration(
                for: reference.qualifier, latest: record.configuration, roll: roll
            )
        else { throw AWSError.functionNotFound(arn: reference.arn) }
        return (record, configuration)
    }

    /// Writes through: memory first (so a concurrent request sees the name taken), rolled back if the store fails.
    func save(_ record: Record) async throws {
        let key = record.configuration.functionArn
        let previous = records[key]
        records[key] = record
        revision += 1
        do {
            try await store.put(record, key: key, in: Self.collection, revision: revision)
        } catch {
            records[key] = previous
            throw error
        }
    }

    static func encodeMarker(_ name: String) -> String { Data(name.utf8).base64EncodedString() }

    static func decodeMarker(_ marker: String) -> String? {
        Data(base64Encoded: marker).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// What an invocation runs (``FunctionRegistry/invocationTarget(_:)``).
public struct InvocationTarget: Sendable {
    /// The configuration of the version that runs (`Version` is `$LATEST` or the number an alias points at).
    public var configuration: FunctionConfiguration
    /// The unpacked code: the task root.
    public var codeDirectory: URL
    /// The ARN as the caller named the function, qualified when a qualifier was given (§1.1).
    public var invokedFunctionArn: String
    /// PutFunctionConcurrency's limit, shared by all versions; `nil` when none is set.
    public var reservedConcurrency: Int?
}
