import ArgumentParser
import Foundation
import Logging
import SluiceServer

/// `sluice`: the command line. `sluice` alone means `sluice serve`.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "AWS Lambda event source mappings, functions and their sources on one local port.",
        subcommands: [Serve.self, Logs.self],
        defaultSubcommand: Serve.self
    )
}

/// `sluice serve`: runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the AWS-compatible APIs on one port.")

    @Option(help: "Address to bind (env SLUICE_HOST).")
    var host: String?

    @Option(help: "Port to bind; 0 picks a free one (env SLUICE_PORT).")
    var port: Int?

    @Option(
        name: .customLong("data-dir"), help: "Directory of the SQLite database and function code (env SLUICE_DATA_DIR)."
    )
    var dataDirectory: String?

    @Flag(name: .customLong("in-memory"), help: "Keep nothing on disk.")
    var inMemory = false

    @Option(
        name: .customLong("credentials"),
        help: "ACCESS_KEY:SECRET accepted for SigV4; repeatable. With any, signatures are verified."
    )
    var credentials: [String] = []

    @Option(help: "Region of requests that carry no SigV4 credential scope.")
    var region = "us-east-1"

    @Option(
        name: .customLong("transition-delay"),
        help: "Seconds a mapping stays at least in Creating/Updating/Enabling/Disabling/Deleting."
    )
    var transitionDelay = 0.1

    @Option(
        name: .customLong("max-environments"),
        help: "Function execution environments alive at once; past it invocations are throttled (429)."
    )
    var maxEnvironments = 64

    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle execution environment is kept warm.")
    var idleTimeout = 600.0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        for credential in credentials where credential.split(separator: ":", maxSplits: 1).count != 2 {
            throw ValidationError("--credentials takes ACCESS_KEY:SECRET, got '\(credential)'")
        }
        guard transitionDelay >= 0 else { throw ValidationError("--transition-delay must not be negative") }
        guard maxEnvironments >= 1 else { throw ValidationError("--max-environments must be at least 1") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = SluiceServer.Configuration()
        configuration.host = host ?? environment["SLUICE_HOST"] ?? configuration.host
        if let port = try port ?? environment["SLUICE_PORT"].map(Self.parsePort) {
            configuration.port = port
        }
        if let directory = dataDirectory ?? environment["SLUICE_DATA_DIR"] {
            configuration.dataDirectory = URL(fileURLWithPath: directory)
        }
        configuration.inMemory = inMemory
        configuration.region = region
        configuration.transitionDelay = .milliseconds(Int64((transitionDelay * 1000).rounded()))
        configuration.environments.maxEnvironments = maxEnvironments
        configuration.environments.idleTimeout = .milliseconds(Int64((idleTimeout * 1000).rounded()))
        for credential in credentials {
            let parts = credential.split(separator: ":", maxSplits: 1)
            configuration.credentials[String(parts[0])] = String(parts[1])
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "sluice")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let application = try await SluiceServer.makeApplication(configuration: configuration, logger: logger) { url in
            // One unbuffered write: scripts and tests wait for this line.
            FileHandle.standardOutput.write(Data("Sluice ready at \(url)\n".utf8))
        }
        try await application.runService()
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("SLUICE_PORT must be a port number, got '\(text)'")
        }
        return port
    }
}
