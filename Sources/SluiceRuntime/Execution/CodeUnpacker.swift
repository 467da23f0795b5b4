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

    /// Checks every entry first, then extracts; nothing is written when one entry is refused.
    static func extract(_ archiveURL: URL, into directory: URL) throws {
        let archive = try open(archiveURL)
        for entry in try checkedEntries(archive) {
            let url = directory.appendingPathComponent(normalized(entry.path) ?? entry.path)
            _ = try archive.extract(entry, to: url, allowUncontainedSymlinks: true)
        }
    }

    private static func open(_ archiveURL: URL) throws -> Archive {
        do {
            return try Archive(url: archiveURL, accessMode: .read)
        } catch {
            throw CodeUnpackError.notAZip
        }
    }

    private static func checkedEntries(_ archive: Archive) throws -> [Entry] {
        var total: UInt64 = 0
        var links: [String] = []
        var entries: [Entry] = []
        for entry in archive {
            guard let path = normalized(entry.path) else { throw CodeUnpackError.entryOutsideDirectory(entry.path) }
            if links.contains(where: { path.hasPrefix($0 + "/") }) {
                throw CodeUnpackError.entryOutsideDirectory(entry.path)
            }
            total += entry.uncompressedSize
            guard total <= maximumUnzippedBytes else { throw CodeUnpackError.tooLarge }
            if entry.type == .symlink {
                var target = Data()
                _ = try archive.extract(entry, skipCRC32: true) { target.append($0) }
                let destination = String(decoding: target, as: UTF8.self)
                let parent = path.split(separator: "/").dropLast().joined(separator: "/")
                let joined = parent.isEmpty ? destination : parent + "/" + destination
                let resolved = destination.hasPrefix("/") ? nil : normalized(joined)
                guard resolved != nil else { throw CodeUnpackError.linkOutsideDirectory(entry.path) }
                links.append(path)
            }
            entries.append(entry)
        }
        return entries
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
