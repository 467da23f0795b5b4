/// What the mapping service asks of the function registry: does this function (and qualifier) exist?
///
/// A port, so the mapping service needs no function runtime and tests can replace it.
public protocol FunctionDirectory: Sendable {
    func functionExists(_ reference: FunctionReference) async -> Bool
}
