import Foundation
import SluiceCore

/// PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency: one limit per function, shared by
/// all its versions and aliases, persisted with the function (issue 4, item 5).
extension FunctionRegistry {
    /// PutFunctionConcurrency: the limit, as the response echoes it.
    public func putConcurrency(_ reference: FunctionReference, _ request: FunctionConcurrency) async throws
        -> FunctionConcurrency
    {
        let requested = try ReservedConcurrency.validate(request)
        try Self.requireUnqualified(reference)
        var record = try concurrencyTarget(reference)
        let reservedByOthers = records.values.filter {
            $0.configuration.functionArn != record.configuration.functionArn
                && ARN($0.configuration.functionArn)?.region == reference.region
        }.compactMap(\.reservedConcurrency).reduce(0, +)
        try ReservedConcurrency.check(requested, reservedByOthers: reservedByOthers)
        record.reservedConcurrency = requested
        try await save(record)
        return FunctionConcurrency(reservedConcurrentExecutions: requested)
    }

    /// GetFunctionConcurrency: `nil` when none is set (the response is `{}`, recorded).
    public func concurrency(_ reference: FunctionReference) throws -> Int? {
        try Self.requireUnqualified(reference)
        return try concurrencyTarget(reference).reservedConcurrency
    }

    /// DeleteFunctionConcurrency: removes the limit (no error when none is set).
    public func deleteConcurrency(_ reference: FunctionReference) async throws {
        try Self.requireUnqualified(reference)
        var record = try concurrencyTarget(reference)
        guard record.reservedConcurrency != nil else { return }
        record.reservedConcurrency = nil
        try await save(record)
    }

    /// GetFunction: what ``function(_:)`` answers, and the function's reserved concurrency.
    public func functionWithConcurrency(_ reference: FunctionReference) throws
        -> (FunctionConfiguration, tags: [String: String], reservedConcurrency: Int?)
    {
        let (configuration, tags) = try function(reference)
        return (configuration, tags, records[reference.unqualifiedArn]?.reservedConcurrency)
    }

    /// The function, or `Function not found: …:function:f:$LATEST` (recorded for PutFunctionConcurrency).
    private func concurrencyTarget(_ reference: FunctionReference) throws -> Record {
        guard let record = records[reference.unqualifiedArn] else {
            throw AWSError.functionNotFound(arn: reference.unqualifiedArn + ":$LATEST")
        }
        return record
    }
}
