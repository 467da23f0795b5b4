import Foundation
import SluiceCore
import SluiceStore

/// The functions Sluice knows: CreateFunction, Get, List, Update, Delete and tags, kept in memory for reads and
/// written through to the store before a change is acknowledged (`reference/runtime-api.md` §4).
public actor FunctionRegistry: FunctionDirectory {
    /// A function as stored: its `$LATEST` configuration and tags.
    struct Record: Codable, Sendable {
        var configuration: FunctionConfiguration
        var tags: [String: String]
    }

    /// One page of ListFunctions.
    public struct Page: Sendable {
        public var functions: [FunctionConfiguration]
        public var nextMarker: String?
    }

    static let collection = "functions"

    private var records: [String: Record]
    /// The revision of the last write issued to the store (see ``DocumentStore``).
    private var revision: Int64
    private let store: any DocumentStore
    private let code: CodeArchiveStore
    private let now: @Sendable () -> Timestamp
    private let newRevisionID: @Sendable () -> String
    private let runtimeProblem: @Sendable (String?) -> String?

    /// Loads every stored function.
    ///
    /// - Parameter runtimeProblem: why this machine cannot run a runtime (`nil` when it can); a function whose
    ///   runtime cannot run is `Failed` with that reason (issue 4, item 3).
    public init(
        store: any DocumentStore, code: CodeArchiveStore, now: @escaping @Sendable () -> Timestamp,
        newRevisionID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        runtimeProblem: @escaping @Sendable (String?) -> String? = { _ in nil }
    ) async throws {
        let stored = try await store.load(Record.self, from: Self.collection)
        self.records = Dictionary(stored.values.map { ($0.configuration.functionArn, $0) }, uniquingKeysWith: { $1 })
        self.revision = stored.revision
        self.store = store
        self.code = code
        self.now = now
        self.newRevisionID = newRevisionID
        self.runtimeProblem = runtimeProblem
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
        try await save(Record(configuration: settled, tags: request.tags ?? [:]))
        return created
    }

    /// GetFunction / GetFunctionConfiguration: the configuration and tags of `$LATEST`.
    public func function(_ reference: FunctionReference) throws -> (FunctionConfiguration, tags: [String: String]) {
        let record = try existing(reference)
        return (record.configuration, record.tags)
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

    /// DeleteFunction. Mappings of the function stay (esm-api.md §4, recorded).
    public func delete(_ reference: FunctionReference) async throws {
        let record = try existing(reference)
        guard reference.qualifier == nil else {
            throw AWSError.invalidParameterValue("$LATEST version cannot be deleted without deleting the function.")
        }
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
        if !isDryRun { try await save(record) }
        return record.configuration.inProgressUpdate()
    }

    /// Where the zip of a function's `$LATEST` code lies.
    public func codeArchive(_ reference: FunctionReference) throws -> URL? {
        code.archiveURL(sha256Base64: try existing(reference).configuration.codeSha256)
    }

    // MARK: Invocation

    /// What an invocation of `reference` runs: the configuration of the version the reference resolves to, its
    /// unpacked code and the function's concurrency limit.
    public func invocationTarget(_ reference: FunctionReference) throws -> InvocationTarget {
        let record = try existing(reference)
        let configuration = record.configuration
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
            reservedConcurrency: nil
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

    public func timeout(of reference: FunctionReference) -> Int? {
        guard reference.isLatest else { return nil }
        return records[reference.unqualifiedArn]?.configuration.timeout
    }

    // MARK: Helpers

    private func existing(_ reference: FunctionReference) throws -> Record {
        guard let record = records[reference.unqualifiedArn], reference.isLatest else {
            throw AWSError.functionNotFound(arn: reference.arn)
        }
        return record
    }

    /// Writes through: memory first (so a concurrent request sees the name taken), rolled back if the store fails.
    private func save(_ record: Record) async throws {
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
