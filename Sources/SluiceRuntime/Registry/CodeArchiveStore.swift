import Crypto
import Foundation
import SluiceCore

/// Function zips on disk, named by the hex SHA-256 of their bytes (`<directory>/<sha256>.zip`), so a code version is
/// written once and the later runtime can unpack it by digest.
public struct CodeArchiveStore: Sendable {
    public let directory: URL

    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes the archive (atomically, once per digest) and returns what AWS reports about it.
    public func save(_ archive: Data) throws -> FunctionConfiguration.CodeFacts {
        let facts = Self.facts(of: archive)
        if let url = archiveURL(sha256Base64: facts.sha256Base64), !FileManager.default.fileExists(atPath: url.path) {
            try archive.write(to: url, options: .atomic)
        }
        return facts
    }

    /// What AWS reports about an archive (`CodeSha256`, `CodeSize`), without storing it.
    public static func facts(of archive: Data) -> FunctionConfiguration.CodeFacts {
        let digest = SHA256.hash(data: archive)
        return FunctionConfiguration.CodeFacts(sha256Base64: Data(digest).base64EncodedString(), size: archive.count)
    }

    /// The file of the archive whose `CodeSha256` (base64) is given.
    public func archiveURL(sha256Base64: String) -> URL? {
        guard let digest = Data(base64Encoded: sha256Base64) else { return nil }
        return archiveURL(hexDigest: digest.map { String(format: "%02x", $0) }.joined())
    }

    private func archiveURL(hexDigest: String) -> URL {
        directory.appendingPathComponent(hexDigest + ".zip")
    }
}
