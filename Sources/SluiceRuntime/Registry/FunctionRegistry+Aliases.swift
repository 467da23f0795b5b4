import Foundation
import SluiceCore

/// CreateAlias, GetAlias, UpdateAlias, DeleteAlias and ListAliases. Core checks the model constraints
/// (``AliasValidation``) and the alias rules (``FunctionVersions``); the registry finds the function and writes
/// through.
extension FunctionRegistry {
    /// CreateAlias. An unknown function is reported with the version named (recorded:
    /// `Function not found: …:function:f:1`).
    public func createAlias(_ reference: FunctionReference, _ request: CreateAliasRequest) async throws
        -> AliasConfiguration
    {
        try AliasValidation.check(request)
        try Self.requireUnqualified(reference)
        guard var record = records[reference.unqualifiedArn] else {
            throw AWSError.functionNotFound(arn: "\(reference.unqualifiedArn):\(request.functionVersion ?? "")")
        }
        let alias = try record.versions.createAlias(
            request, functionArn: reference.unqualifiedArn, revisionId: newRevisionID()
        )
        try await save(record)
        return alias
    }

    /// GetAlias.
    public func alias(_ name: String, of reference: FunctionReference) throws -> AliasConfiguration {
        try AliasValidation.checkName(name)
        try Self.requireUnqualified(reference)
        let record = try existing(reference)
        guard let alias = record.versions.alias(name) else {
            throw AWSError.aliasNotFound(arn: "\(reference.unqualifiedArn):\(name)")
        }
        return alias
    }

    /// UpdateAlias: RevisionId checked, omitted members kept, a new RevisionId.
    public func updateAlias(_ name: String, of reference: FunctionReference, _ request: UpdateAliasRequest)
        async throws -> AliasConfiguration
    {
        try AliasValidation.check(request, name: name)
        try Self.requireUnqualified(reference)
        var record = try existing(reference)
        let alias = try record.versions.updateAlias(
            name, request, functionArn: reference.unqualifiedArn, revisionId: newRevisionID()
        )
        try await save(record)
        return alias
    }

    /// DeleteAlias.
    public func deleteAlias(_ name: String, of reference: FunctionReference) async throws {
        try AliasValidation.checkName(name)
        try Self.requireUnqualified(reference)
        var record = try existing(reference)
        try record.versions.deleteAlias(name, functionArn: reference.unqualifiedArn)
        try await save(record)
    }

    /// ListAliases by name, only those routing to `functionVersion` when given, at most `maxItems` (capped at 50)
    /// per page.
    public func listAliases(
        _ reference: FunctionReference, functionVersion: String?, marker: String?, maxItems: Int?
    ) throws -> ListPage<AliasConfiguration> {
        if let functionVersion {
            var errors = ValidationErrors()
            AliasValidation.checkVersion(functionVersion, errors: &errors)
            try errors.throwIfAny()
        }
        try Self.requireUnqualified(reference)
        let aliases = try existing(reference).versions.aliases.filter { alias in
            functionVersion.map { alias.versions.contains($0) } ?? true
        }
        return try Self.page(aliases, marker: marker, maxItems: maxItems, position: \.name)
    }
}
