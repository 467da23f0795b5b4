/// What the mapping service asks of the function registry: does this function (and qualifier) exist, and what is
/// its Timeout (SQS mappings compare it with the queue's visibility timeout), role and reserved concurrency?
///
/// A port, so the mapping service needs no function runtime and tests can replace it.
public protocol FunctionDirectory: Sendable {
    /// The function's Timeout in seconds, or `nil` when the function or its qualifier does not exist.
    func timeout(of reference: FunctionReference) async -> Int?
    /// The function's execution role (a stream event's `invokeIdentityArn`), or `nil` when it does not exist.
    func role(of reference: FunctionReference) async -> String?
    /// The function's `ReservedConcurrentExecutions` (shared by its versions and aliases), or `nil` when it has none
    /// or does not exist: an SQS mapping runs no more batches at once (`reference/semantics.md` §7).
    func reservedConcurrency(of reference: FunctionReference) async -> Int?
}

extension FunctionDirectory {
    public func functionExists(_ reference: FunctionReference) async -> Bool {
        await timeout(of: reference) != nil
    }
}
