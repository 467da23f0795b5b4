import Crypto
import Foundation
import SluiceCore

/// Function code on disk, named by the hex SHA-256 of the zip: the zip itself (`<directory>/<sha256>.zip`, served
/// back by GetFunction) and its unpacked tree (`<directory>/<sha256>/`, the task root of every environment of that
/// code). A code version is written and unpacked once, when it is uploaded, so a refused archive (zip slip, links
/// out, absurd sizes; issue 4 item 4) is refused by CreateFunction / UpdateFunctionCode, not at the first invoke.
public struct CodeArchiveStore: Sendable {
    public let directory: URL
    private let unpacker: CodeUnpacker

    public init(directory: URL) throws {
        self.directory = directory
        unpacker = CodeUnpacker(root: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Checks and unpacks the archive, writes it (atomically, once per digest) and returns what AWS reports of it.
    public func save(_ archive: Data) throws(AWSError) -> FunctionConfiguration.CodeFacts {
        let facts = Self.facts(of: archive)
        let hex = Self.hex(sha256Base64: facts.sha256Base64) ?? ""
        let url = archiveURL(hexDigest: hex)
        do {
            if !FileManager.default.fileExists(atPath: url.path) { try archive.write(to: url, options: .atomic) }
            _ = try unpacker.unpack(url, digest: hex)
        } catch let error as CodeUnpackError {
            try? FileManager.default.removeItem(at: url)
            throw Self.awsError(error)
        } catch {
            throw .service("Could not store the function code: \(error)")
        }
        return facts
    }

    /// Checks an archive as ``save(_:)`` does, without keeping anything (UpdateFunctionCode with DryRun).
    public func check(_ archive: Data) throws(AWSError) -> FunctionConfiguration.CodeFacts {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let url = scratch.appendingPathComponent("code.zip")
            try archive.write(to: url)
            try CodeUnpacker.check(url)
        } catch let error as CodeUnpackError {
            throw Self.awsError(error)
        } catch {
            throw .service("Could not check the function code: \(error)")
        }
        return Self.facts(of: archive)
    }

    /// What AWS reports about an archive (`CodeSha256`, `CodeSize`), without storing it.
    public static func facts(of archive: Data) -> FunctionConfiguration.CodeFacts {
        let digest = SHA256.hash(data: archive)
        return FunctionConfiguration.CodeFacts(sha256Base64: Data(digest).base64EncodedString(), size: archive.count)
    }

    /// The file of the archive whose `CodeSha256` (base64) is given.
    public func archiveURL(sha256Base64: String) -> URL? {
        Self.hex(sha256Base64: sha256Base64).map(archiveURL(hexDigest:))
    }

    /// The unpacked code of the archive whose `CodeSha256` is given (unpacked now if an older data directory only
    /// holds the zip).
    public func codeDirectory(sha256Base64: String) throws -> URL? {
        guard let hex = Self.hex(sha256Base64: sha256Base64) else { return nil }
        let url = archiveURL(hexDigest: hex)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try unpacker.unpack(url, digest: hex)
    }

    private func archiveURL(hexDigest: String) -> URL {
        directory.appendingPathComponent(hexDigest + ".zip")
    }

    private static func hex(sha256Base64: String) -> String? {
        Data(base64Encoded: sha256Base64).map { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// AWS's texts: a zip it cannot unpack, and the unzipped size limit (`reference/runtime-api.md` §4, recorded).
    static func awsError(_ error: CodeUnpackError) -> AWSError {
        switch error {
        case .tooLarge:
            return .invalidParameterValue(
                "Unzipped size must be smaller than \(CodeUnpacker.maximumUnzippedBytes) bytes")
        case .notAZip:
            return .invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again.")
        case .entryOutsideDirectory(let path):
            return .invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again. "
                    + "The entry '\(path)' would be written outside the function's directory."
            )
        case .linkOutsideDirectory(let path):
            return .invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again. "
                    + "The link '\(path)' points outside the function's directory."
            )
        }
    }
}
