import Foundation
import ZIPFoundation

/// Unpacks a function's zip once per code digest into `<root>/<digest>/`, keeping Unix permission bits so
/// `bootstrap` stays executable (`reference/runtime-api.md` §2.1), and refusing archives that would write outside
/// that directory (zip slip), links that point out of it, and absurd sizes (§4, "Unzipped size must be smaller
/// than 262144000 bytes").
public struct CodeUnpacker: Sendable {
    public let root: URL
    /// AWS's limit on the unzipped size.
    public static let maximumUnzippedBytes: UInt64 = 262_144_000

    public init(root: URL) {
        self.root = root
    }

    /// The directory holding the unpacked code of `archive`, unpacking it first if this digest was never unpacked.
    ///
    /// - Parameters:
    ///   - archive: the zip file.
    ///   - digest: a name for this code version (the archive's SHA-256, hex or base64; `/` and `+` are replaced).
    public func unpack(_ archive: URL, digest: String) throws -> URL {
        let name = digest.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        let target = root.appendingPathComponent(name, isDirectory: true)
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: target.path) { return target }
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        let staging = root.appendingPathComponent(".unpacking-\(name)-\(UUID().uuidString)", isDirectory: true)
        defer { try? fileManager.removeItem(at: staging) }
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        try Self.extract(archive, into: staging)
        do {
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            // Another invoker may have unpacked the same digest first.
            guard fileManager.fileExists(atPath: target.path) else { throw error }
        }
        return target
    }

    /// Checks every entry of the archive as ``unpack(_:digest:)`` would, writing nothing.
    static func check(_ archiveURL: URL) throws {
        _ = try checkedEntries(try open(archiveURL))
    }

    /// Checks every entry first, then extracts; nothing is written when one entry is refused. Links are made here
    /// from their checked targets (ZIPFoundation would write a deflated link's target still compressed).
    static func extract(_ archiveURL: URL, into directory: URL) throws {
        let archive = try open(archiveURL)
        let fileManager = FileManager.default
        for checked in try checkedEntries(archive) {
            let url = directory.appendingPathComponent(normalized(checked.entry.path) ?? checked.entry.path)
            if let target = checked.linkTarget {
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fileManager.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            } else {
                _ = try archive.extract(checked.entry, to: url)
            }
        }
    }

    private static func open(_ archiveURL: URL) throws -> Archive {
        do {
            return try Archive(url: archiveURL, accessMode: .read)
        } catch {
            throw CodeUnpackError.notAZip
        }
    }

    struct CheckedEntry {
        var entry: Entry
        /// The link's target, for a symbolic link.
        var linkTarget: String?
    }

    private static func checkedEntries(_ archive: Archive) throws -> [CheckedEntry] {
        var total: UInt64 = 0
        var links: [String: String] = [:]
        var entries: [CheckedEntry] = []
        for entry in archive {
            guard let path = normalized(entry.path) else { throw CodeUnpackError.entryOutsideDirectory(entry.path) }
            if links.keys.contains(where: { path.hasPrefix($0 + "/") }) {
                throw CodeUnpackError.entryOutsideDirectory(entry.path)
            }
            total += entry.uncompressedSize
            guard total <= maximumUnzippedBytes else { throw CodeUnpackError.tooLarge }
            var linkTarget: String?
            if entry.type == .symlink {
                let target = String(decoding: try linkTargetBytes(of: entry, in: archive), as: UTF8.self)
                let parent = path.split(separator: "/").dropLast().joined(separator: "/")
                let joined = parent.isEmpty ? target : parent + "/" + target
                guard !target.hasPrefix("/"), normalized(joined) != nil else {
                    throw CodeUnpackError.linkOutsideDirectory(entry.path)
                }
                links[path] = joined
                linkTarget = target
            }
            entries.append(CheckedEntry(entry: entry, linkTarget: linkTarget))
        }
        // `..` after passing through another link is resolved against where that link points, not lexically:
        // `b -> .` and `a -> b/..` would reach the directory's parent.
        for (path, joined) in links where climbsThroughALink(joined, links: links) {
            throw CodeUnpackError.linkOutsideDirectory(path)
        }
        return entries
    }

    /// The bytes of a link's target, inflated when the entry is compressed.
    private static func linkTargetBytes(of entry: Entry, in archive: Archive) throws -> Data {
        var raw = Data()
        _ = try archive.extract(entry, skipCRC32: true) { raw.append($0) }
        guard entry.isCompressed else { return raw }
        var target = Data()
        _ = try Data.decompress(
            size: Int64(raw.count), bufferSize: 16 * 1024, skipCRC32: true,
            provider: { position, size in raw.subdata(in: Int(position)..<min(Int(position) + size, raw.count)) },
            consumer: { target.append($0) }
        )
        return target
    }

    /// Whether `path` (relative to the directory) goes up with `..` after a component that is a link.
    private static func climbsThroughALink(_ path: String, links: [String: String]) -> Bool {
        var parts: [Substring] = []
        var passedLink = false
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                if passedLink || parts.isEmpty { return true }
                parts.removeLast()
            } else {
                parts.append(part)
                if links[parts.joined(separator: "/")] != nil { passedLink = true }
            }
        }
        return false
    }

    /// The path with `.` and `..` resolved, or `nil` when it is absolute or climbs above the directory.
    static func normalized(_ path: String) -> String? {
        guard !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return nil }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}

/// Why a function's zip was refused; the API answers InvalidParameterValueException (issue 4, item 4).
public enum CodeUnpackError: Error, Equatable {
    case notAZip
    case entryOutsideDirectory(String)
    case linkOutsideDirectory(String)
    case tooLarge
}
