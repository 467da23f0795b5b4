import Foundation
import Logging
import SluiceCore
import Synchronization

/// The function logs kept under the data directory (`reference/runtime-api.md` §2.5): one append-only file per
/// function, `<data-dir>/logs/<region>/<function-name>.log`, with every version's and every execution environment's
/// invocations in it (the `START` line names the version). At 16 MiB the file is rotated to `<name>.log.1`; one
/// previous file is kept. `sluice logs` reads them.
///
/// Each execution environment writes through its own ``FunctionLogStream``; the streams of one function share one
/// writer, so their lines never interleave.
public final class FunctionLogs: Sendable {
    /// The size at which a log file is rotated.
    public static let defaultMaximumFileSize = 16 * 1024 * 1024

    /// The `logs` directory; `nil` when logs are discarded.
    public let directory: URL?
    let maximumFileSize: Int
    private let logger: Logger?
    private let writers = Mutex<[String: LogFileWriter]>([:])

    /// - Parameters:
    ///   - directory: the `logs` directory (``directory(dataDirectory:)``); `nil` discards every log (in-memory
    ///     server).
    ///   - maximumFileSize: the size past which a file is rotated.
    ///   - logger: told once per file when it cannot be written.
    public init(directory: URL?, maximumFileSize: Int = defaultMaximumFileSize, logger: Logger? = nil) {
        self.directory = directory
        self.maximumFileSize = maximumFileSize
        self.logger = logger
    }

    /// `<data-dir>/logs`.
    public static func directory(dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("logs", isDirectory: true)
    }

    /// A stream for one execution environment of the function `functionArn` (qualified or not). It discards
    /// everything when logs are discarded or the ARN names no function.
    public func stream(functionArn: String) -> FunctionLogStream {
        guard let url = fileURL(function: functionArn, defaultRegion: "us-east-1") else {
            return FunctionLogStream(writer: nil)
        }
        let writer = writers.withLock { writers in
            if let writer = writers[url.path] { return writer }
            let writer = LogFileWriter(url: url, maximumSize: maximumFileSize, logger: logger)
            writers[url.path] = writer
            return writer
        }
        return FunctionLogStream(writer: writer)
    }

    /// `<logs>/<region>/<function-name>.log`; `nil` when logs are discarded or the region or name is not valid.
    public func fileURL(region: String, functionName: String) -> URL? {
        guard let directory, ARN.isRegion(region), Self.isFunctionName(functionName) else { return nil }
        return directory.appendingPathComponent(region, isDirectory: true)
            .appendingPathComponent("\(functionName).log", isDirectory: false)
    }

    /// The file of `function`, in any form Lambda accepts (`name`, `name:qualifier`, a partial or full ARN); the
    /// region is the ARN's, else `defaultRegion`. `nil` when `function` is none of those forms.
    public func fileURL(function: String, defaultRegion: String) -> URL? {
        guard
            let reference = try? FunctionReference(
                parsing: function, identity: RequestIdentity(region: defaultRegion)
            )
        else { return nil }
        return fileURL(region: reference.region, functionName: reference.name)
    }

    /// The previous file of `url`: `<name>.log.1`.
    public static func rotatedURL(_ url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".1", isDirectory: false)
    }

    /// `[a-zA-Z0-9-_]{1,64}` (the model's function name), so that a name is also a safe file name.
    static func isFunctionName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }
}
