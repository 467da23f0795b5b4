import Foundation
import SluiceCore

/// PublishVersion, ListVersionsByFunction and DeleteFunction of one version; the rules are
/// ``FunctionVersions``'s, the existence of the function and the write-through are the registry's.
extension FunctionRegistry {
    /// One page of a List operation.
    public struct ListPage<Item: Sendable>: Sendable {
        public var items: [Item]
        public var nextMarker: String?
    }

    /// PublishVersion: the new version (or the last one, when `$LATEST` has not changed since).
    public func publishVersion(_ reference: FunctionReference, _ request: PublishVersionRequest) async throws
        -> FunctionConfiguration
    {
        try Self.requireUnqualified(reference)
        var record = try existing(reference)
        let (version, isNew) = try record.versions.publish(
            request, latest: &record.configuration, newRevisionID: newRevisionID
        )
        if isNew { try await save(record) }
        return version
    }

    /// ListVersionsByFunction: `$LATEST`, then the versions by number, at most `maxItems` (capped at 50, as AWS
    /// pages) per page.
    public func listVersions(_ reference: FunctionReference, marker: String?, maxItems: Int?) throws
        -> ListPage<FunctionConfiguration>
    {
        try Self.requireUnqualified(reference)
        let record = try existing(reference)
        return try Self.page(
            record.versions.listed(latest: record.configuration), marker: marker, maxItems: maxItems,
            position: { Self.versionPosition($0.version) }
        )
    }

    /// DeleteFunction with a qualifier other than `$LATEST`: an alias cannot be deleted this way, an unknown
    /// version is not an error, a version an alias routes to is refused.
    func deleteVersion(_ qualifier: String, of reference: FunctionReference) async throws {
        guard AliasValidation.isVersion(qualifier) else {
            throw AWSError.invalidParameterValue("Deletion of aliases is not currently supported.")
        }
        guard var record = records[reference.unqualifiedArn] else {
            throw AWSError.functionNotFound(arn: reference.unqualifiedArn)
        }
        let before = record.versions
        try record.versions.deleteVersion(qualifier)
        if record.versions != before { try await save(record) }
    }

    /// The function-level operations (versions, aliases, concurrency) take a function, not a version or an alias.
    static func requireUnqualified(_ reference: FunctionReference) throws(AWSError) {
        guard reference.qualifier == nil else { throw .qualifierNotSupported }
    }

    /// Orders `$LATEST` before every number, numbers numerically.
    static func versionPosition(_ version: String) -> String {
        guard let number = Int(version) else { return "" }
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The items from `marker` on (items sorted by `position`), at most `maxItems`, at most 50. The marker is the
    /// position of the next item, base64; an item deleted between pages does not break the paging.
    static func page<Item>(
        _ items: [Item], marker: String?, maxItems: Int?, position: (Item) -> String
    ) throws(AWSError) -> ListPage<Item> {
        var start = 0
        if let marker {
            guard let from = decodeMarker(marker) else { throw .invalidParameterValue("Invalid Marker value.") }
            start = items.firstIndex { position($0) >= from } ?? items.count
        }
        let end = min(start + min(maxItems ?? 50, 50), items.count)
        let next = end < items.count ? encodeMarker(position(items[end])) : nil
        return ListPage(items: Array(items[start..<end]), nextMarker: next)
    }
}
