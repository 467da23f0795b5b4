import Foundation
import SluiceCore

/// Which process runs a function's runtime (`reference/runtime-api.md` §2.1; issue 4, item 3).
enum RuntimeLaunchPlan {
    /// The plan for `runtime`, or `nil` when Sluice cannot run it (yet).
    ///
    /// - `python3.x`: the machine's `python3` (resolved to the real interpreter, so version-manager shims that
    ///   need their own environment are not involved) running ``PythonBootstrap``, written to
    ///   `runtimeRoot/python/`.
    /// - `nodejs*`: the machine's `node` (resolved the same way) running ``NodeBootstrap``, written to
    ///   `runtimeRoot/node/`, with the flags AWS's node bootstrap passes (the heap ones only given `memorySize`).
    /// - `provided*`: the zip's executable `bootstrap`; `nil` executable when it is missing.
    static func plan(
        runtime: String?, taskRoot: URL, runtimeRoot: URL, memorySize: Int? = nil
    ) throws -> Plan {
        let runtime = runtime ?? "provided"
        if runtime.hasPrefix("python3") {
            guard let python = PythonInterpreter.path else { throw FunctionInvokerError.interpreterMissing(runtime) }
            let directory = runtimeRoot.appendingPathComponent("python", isDirectory: true)
            let script = try write(PythonBootstrap.source, named: PythonBootstrap.fileName, in: directory)
            let launch = ExecutionEnvironment.Launch(
                executable: URL(fileURLWithPath: python), arguments: ["-u", script.path], taskRoot: taskRoot,
                runtimeDirectory: directory, interpreterDirectory: (python as NSString).deletingLastPathComponent
            )
            return .launch(launch)
        }
        if runtime.hasPrefix("nodejs") {
            guard let node = NodeInterpreter.path else { throw FunctionInvokerError.interpreterMissing(runtime) }
            let directory = runtimeRoot.appendingPathComponent("node", isDirectory: true)
            let script = try write(NodeBootstrap.source, named: NodeBootstrap.fileName, in: directory)
            let launch = ExecutionEnvironment.Launch(
                executable: URL(fileURLWithPath: node),
                arguments: NodeInterpreter.arguments(memorySize: memorySize) + [script.path], taskRoot: taskRoot,
                runtimeDirectory: directory, interpreterDirectory: (node as NSString).deletingLastPathComponent
            )
            return .launch(launch)
        }
        if runtime.hasPrefix("provided") {
            let bootstrap = taskRoot.appendingPathComponent("bootstrap")
            guard FileManager.default.isExecutableFile(atPath: bootstrap.path) else { return .missingBootstrap }
            return .launch(
                ExecutionEnvironment.Launch(
                    executable: bootstrap, arguments: [], taskRoot: taskRoot, runtimeDirectory: taskRoot
                )
            )
        }
        throw FunctionInvokerError.unsupportedRuntime(runtime)
    }

    enum Plan {
        case launch(ExecutionEnvironment.Launch)
        case missingBootstrap
    }

    /// Writes a shipped bootstrap into `directory` unless it is already there unchanged.
    private static func write(_ source: String, named fileName: String, in directory: URL) throws -> URL {
        let script = directory.appendingPathComponent(fileName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = Data(source.utf8)
        if (try? Data(contentsOf: script)) != data { try data.write(to: script, options: .atomic) }
        return script
    }
}

/// Whether this machine can run a runtime (issue 4, item 3): the interpreter a managed runtime needs must exist.
public enum RuntimeSupport {
    /// Why `runtime` cannot run here (the function's `StateReason`), or `nil` when it can.
    public static func problem(runtime: String?) -> String? {
        problem(runtime: runtime, python: PythonInterpreter.path, node: NodeInterpreter.path)
    }

    /// ``problem(runtime:)`` with the interpreters found (`nil`: none), so a test can name a machine without one.
    static func problem(
        runtime: String?, python: @autoclosure () -> String?, node: @autoclosure () -> String?
    ) -> String? {
        guard let runtime else { return nil }
        if runtime.hasPrefix("python3") {
            return python() == nil ? "Sluice cannot run \(runtime): no python3 interpreter was found on the PATH." : nil
        }
        if runtime.hasPrefix("nodejs") {
            return node() == nil ? "Sluice cannot run \(runtime): no node interpreter was found on the PATH." : nil
        }
        if runtime.hasPrefix("provided") { return nil }
        return "Sluice cannot run \(runtime): only python3.x, nodejs and provided runtimes run locally."
    }
}

/// The machine's `python3`, resolved once through `sys.executable`.
enum PythonInterpreter {
    static let path = MachineInterpreter.resolve(
        "python3", script: ["-c", "import sys; sys.stdout.write(sys.executable)"],
        searchPath: ProcessInfo.processInfo.environment["PATH"]
    )
}

/// The machine's `node`, resolved once through `process.execPath`.
enum NodeInterpreter {
    static let path: String? = resolve(searchPath: ProcessInfo.processInfo.environment["PATH"])

    static func resolve(searchPath: String?) -> String? {
        MachineInterpreter.resolve(
            "node", script: ["-e", "process.stdout.write(process.execPath)"], searchPath: searchPath
        )
    }

    /// The flags AWS's node bootstrap (`/var/runtime/bootstrap`) starts node with: `--expose-gc`, an 80 KB header
    /// limit and, given the function's memory, a heap sized from it (a tenth for the new space, half of that per
    /// semi-space, the rest for the old space), so a function that runs out of memory on AWS runs out here too.
    static func arguments(memorySize: Int?) -> [String] {
        let flags = ["--expose-gc", "--max-http-header-size", "81920"]
        guard let memorySize else { return flags }
        let newSpace = memorySize / 10
        return flags + ["--max-semi-space-size=\(newSpace / 2)", "--max-old-space-size=\(memorySize - newSpace)"]
    }
}

/// Finds an interpreter by asking it for its own path, so the result is the real binary and not a version
/// manager's shim (which would need the shell environment Sluice does not pass to functions).
enum MachineInterpreter {
    /// The path `command` reports with `script`, looked up on `searchPath`; `nil` when there is none or it fails.
    static func resolve(_ command: String, script: [String], searchPath: String?) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + script
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = searchPath ?? ""
        environment["NODE_OPTIONS"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }
}

/// Why an invocation could not be run at all (not a function error).
public enum FunctionInvokerError: Error, Equatable {
    case unsupportedRuntime(String)
    case interpreterMissing(String)
    case shutDown
    /// A concurrency limit was reached (issue 4, item 5).
    case throttled(reason: ThrottleReason)
}
