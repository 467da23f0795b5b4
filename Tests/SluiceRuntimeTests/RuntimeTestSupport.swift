import Foundation
import SluiceCore
import SluiceRuntime

/// Zips, function configurations and scratch directories for the runtime tests.
enum RuntimeFixtures {
    /// A fresh directory under the temporary directory.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One entry: a file with a mode, or a symlink to `target`.
    struct Entry: Codable {
        var name: String
        var content = ""
        var mode = 0o644
        var target: String?
        var deflated = false
    }

    /// Writes a zip with exactly these entries (names unchecked, so zip-slip archives can be made), using python's
    /// `zipfile` with Unix modes in the external attributes.
    static func zip(_ entries: [Entry], in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("code-\(UUID().uuidString).zip")
        let spec = directory.appendingPathComponent("spec-\(UUID().uuidString).json")
        try JSONEncoder().encode(entries).write(to: spec)
        let script = """
            import json, sys, zipfile
            entries = json.load(open(sys.argv[1]))
            with zipfile.ZipFile(sys.argv[2], "w") as archive:
                for entry in entries:
                    info = zipfile.ZipInfo(entry["name"])
                    info.create_system = 3
                    kind = zipfile.ZIP_DEFLATED if entry.get("deflated") else zipfile.ZIP_STORED
                    if entry.get("target") is not None:
                        info.external_attr = (0o120777 << 16)
                        archive.writestr(info, entry["target"], compress_type=kind)
                    else:
                        info.external_attr = ((0o100000 | entry["mode"]) << 16)
                        archive.writestr(info, entry["content"], compress_type=kind)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, spec.path, url.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return url
    }

    /// A python function whose module `handler.py` holds `source`.
    static func pythonZip(_ source: String, in directory: URL) throws -> URL {
        try zip([Entry(name: "handler.py", content: source)], in: directory)
    }

    /// A `provided` function whose `bootstrap` is this bash script.
    static func providedZip(_ script: String, in directory: URL) throws -> URL {
        try zip([Entry(name: "bootstrap", content: script, mode: 0o755)], in: directory)
    }

    /// A created, active configuration (`reference/runtime-api.md` §4) for `zip`.
    static func function(
        name: String = "fn", runtime: String = "python3.12", handler: String = "handler.handler", timeout: Int = 3,
        variables: [String: String]? = nil, zip: URL
    ) throws -> FunctionConfiguration {
        var json: [String: Any] = [
            "FunctionName": name, "Runtime": runtime, "Handler": handler, "Timeout": timeout,
            "Role": "arn:aws:iam::000000000000:role/lambda-role", "Code": ["ZipFile": ""],
        ]
        if let variables { json["Environment"] = ["Variables": variables] }
        let request = try JSONDecoder().decode(
            CreateFunctionRequest.self, from: JSONSerialization.data(withJSONObject: json)
        )
        let reference = FunctionReference(region: "eu-west-1", account: "000000000000", name: name)
        let code = CodeArchiveStore.facts(of: try Data(contentsOf: zip))
        return FunctionConfiguration(
            creating: request, reference: reference, code: code,
            now: Timestamp(millisecondsSinceEpoch: 1_732_528_800_123), revisionId: UUID().uuidString.lowercased()
        ).settledAfterCreate()
    }

    /// The unpacked code of `zip` (the task root an invocation gets), stored beside the zip.
    static func unpacked(_ zip: URL) throws -> URL {
        let store = try CodeArchiveStore(directory: zip.deletingLastPathComponent().appendingPathComponent("code"))
        let facts = try store.save(try Data(contentsOf: zip))
        return try store.codeDirectory(sha256Base64: facts.sha256Base64)!
    }

    static func requestID() -> String { UUID().uuidString.lowercased() }

    /// The JSON object in `bytes`.
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Runs `body` with an invoker over a scratch root, then stops every environment it started.
func withInvoker<T: Sendable>(
    endpointURL: String? = nil, limits: FunctionInvoker.Limits = .init(), logsInRoot: Bool = false,
    _ body: (FunctionInvoker, URL) async throws -> T
) async throws -> T {
    let root = try RuntimeFixtures.scratch()
    let invoker = FunctionInvoker(
        runtimeRoot: root.appendingPathComponent("runtimes"), endpointURL: { endpointURL }, limits: limits,
        logs: FunctionLogs(directory: logsInRoot ? root.appendingPathComponent("logs") : nil)
    )
    do {
        let value = try await body(invoker, root)
        await invoker.shutDown()
        try? FileManager.default.removeItem(at: root)
        return value
    } catch {
        await invoker.shutDown()
        try? FileManager.default.removeItem(at: root)
        throw error
    }
}
