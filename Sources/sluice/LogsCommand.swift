import ArgumentParser
import Dispatch
import Foundation
import SluiceRuntime
import SluiceServer
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sluice logs FUNCTION [--follow]`: prints a function's log from the data directory (`FunctionLogs`): the rotated
/// file, then the current one; with `--follow`, then what is appended, until SIGINT or SIGTERM.
struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a function's log: its output with the START, END and REPORT lines of each invocation."
    )

    @Argument(help: "The function: a name or a function ARN (the ARN gives the region).")
    var function: String

    @Flag(name: [.short, .long], help: "Keep printing what is appended, until interrupted.")
    var follow = false

    @Option(name: .customLong("data-dir"), help: "The server's data directory (env SLUICE_DATA_DIR; default .sluice).")
    var dataDirectory: String?

    @Option(help: "Region of a function given by name (default us-east-1).")
    var region: String?

    /// How often `--follow` looks for new output, in microseconds.
    static let pollInterval: UInt32 = 100_000

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let dataDirectory =
            (dataDirectory ?? environment["SLUICE_DATA_DIR"]).map { URL(fileURLWithPath: $0) }
            ?? SluiceServer.Configuration().dataDirectory
        let logs = FunctionLogs(directory: FunctionLogs.directory(dataDirectory: dataDirectory))
        let region = region ?? SluiceServer.Configuration().region
        guard let url = logs.fileURL(function: function, defaultRegion: region) else {
            throw ValidationError("'\(function)' is not a function name or ARN, or '\(region)' is not a region")
        }
        let reader = FunctionLogReader(url: url)
        let stop = follow ? StopSignal() : nil
        guard try reader.readExisting(Self.print) else {
            Self.printError("sluice: no log for function '\(function)' (looked for \(url.path))\n")
            throw ExitCode.failure
        }
        guard let stop else { return }
        while !stop.received {
            try reader.readAppended(Self.print)
            usleep(Self.pollInterval)
        }
    }

    /// Writes to standard output unbuffered, so that a follower sees each line as soon as it is read.
    static func print(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                // Standard output is gone (a closed pipe): nothing more can be printed.
                throw ExitCode.failure
            }
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// SIGINT and SIGTERM, taken over so that `--follow` ends its loop and exits with status 0.
final class StopSignal: Sendable {
    private let flag = Atomic(false)
    /// Kept so that the sources live as long as the command.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    init() {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in flag.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
    }

    var received: Bool { flag.load(ordering: .relaxed) }
}
