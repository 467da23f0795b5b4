import Foundation
import SluiceCore

/// Which process runs a function's runtime (`reference/runtime-api.md` §2.1; issue 4, item 3).
enum RuntimeLaunchPlan {
    /// The plan for `runtime`, or `nil` when Sluice cannot run it (yet).
    ///
    /// - `python3.x`: the machine's `python3` (resolved to the real interpreter, so version-manager shims that
    ///   need their own environment are not involved) running ``PythonBootstrap``, written to
    ///   `runtimeRoot/python/`.
    /// - `provided*`: the zip's executable `bootstrap`; `nil` executable when it is missing.
    static func plan(
        runtime: String?, taskRoot: URL, runtimeRoot: URL
    ) throws -> Plan {
        let runtime = runtime ?? "provided"
        if runtime.hasPrefix("python3") {
            guard let python = PythonInterpreter.path else { throw FunctionInvokerError.interpreterMissing(runtime) }
            let directory = runtimeRoot.appendingPathComponent("python", isDirectory: true)
            let script = directory.appendingPathComponent(PythonBootstrap.fileName)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let source = Data(PythonBootstrap.source.utf8)
            if (try? Data(contentsOf: script)) != source { try source.write(to: script, options: .atomic) }
            let launch = ExecutionEnvironment.Launch(
                executable: URL(fileURLWithPath: python), arguments: ["-u", script.path], taskRoot: taskRoot,
                runtimeDirectory: directory, interpreterDirectory: (python as NSString).deletingLastPathComponent
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
}

/// Whether this machine can run a runtime (issue 4, item 3): the interpreter a managed runtime needs must exist.
public enum RuntimeSupport {
    /// Why `runtime` cannot run here (the function's `StateReason`), or `nil` when it can.
    public static func problem(runtime: String?) -> String? {
        guard let runtime else { return nil }
        if runtime.hasPrefix("python3") {
            return PythonInterpreter.path == nil
                ? "Sluice cannot run \(runtime): no python3 interpreter was found on the PATH." : nil
        }
        if runtime.hasPrefix("provided") { return nil }
        return "Sluice cannot run \(runtime): only python3.x, nodejs and provided runtimes run locally."
    }
}

/// The machine's `python3`, resolved once through `sys.executable`.
enum PythonInterpreter {
    static let path: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }()
}

/// Why an invocation could not be run at all (not a function error).
public enum FunctionInvokerError: Error, Equatable {
    case unsupportedRuntime(String)
    case interpreterMissing(String)
    case shutDown
    /// A concurrency limit was reached (issue 4, item 5).
    case throttled(reason: ThrottleReason)
}
