import Foundation
import SluiceCore

/// The environment variables of a function process: exactly what AWS sets (`reference/runtime-api.md` §5), the
/// function's `Environment.Variables`, and `AWS_ENDPOINT_URL` pointing back at Sluice unless the user set it.
/// Nothing of Sluice's own environment is inherited.
public enum FunctionProcessEnvironment {
    /// Keys users cannot override (§5, "Reserved keys").
    public static let reservedKeys: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// - Parameters:
    ///   - function: the configuration that runs.
    ///   - runtimeAPI: `127.0.0.1:<port>` of the environment's listener.
    ///   - taskRoot: the unpacked code (`LAMBDA_TASK_ROOT`).
    ///   - runtimeDirectory: where the runtime's bootstrap lives (`LAMBDA_RUNTIME_DIR`).
    ///   - interpreterDirectory: put first on `PATH`, as AWS puts `/var/lang/bin` first.
    ///   - endpointURL: Sluice's URL for `AWS_ENDPOINT_URL`.
    ///   - now: the time the log stream name is dated with.
    public static func variables(
        function: FunctionConfiguration, runtimeAPI: String, taskRoot: String, runtimeDirectory: String,
        interpreterDirectory: String?, endpointURL: String?, now: Date = Date()
    ) -> [String: String] {
        let region = region(of: function.functionArn)
        var path = ["/usr/local/bin", "/usr/bin/", "/bin", "/opt/bin"]
        if let interpreterDirectory { path.insert(interpreterDirectory, at: 0) }
        var variables: [String: String] = [
            "AWS_LAMBDA_FUNCTION_NAME": function.functionName,
            "AWS_LAMBDA_FUNCTION_VERSION": function.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySize),
            "_HANDLER": function.handler ?? "",
            "LAMBDA_TASK_ROOT": taskRoot,
            "LAMBDA_RUNTIME_DIR": runtimeDirectory,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI,
            "AWS_LAMBDA_LOG_GROUP_NAME": function.loggingConfig.logGroup,
            "AWS_LAMBDA_LOG_STREAM_NAME": logStreamName(version: function.version, now: now),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_SESSION_TOKEN": "test",
            "TZ": ":UTC",
            "LANG": "en_US.UTF-8",
            "PATH": path.joined(separator: ":"),
        ]
        if let runtime = function.runtime, !runtime.hasPrefix("provided") {
            variables["AWS_EXECUTION_ENV"] = "AWS_Lambda_\(runtime)"
        }
        for (key, value) in function.environment?.variables ?? [:] where !reservedKeys.contains(key) {
            variables[key] = value
        }
        if variables["AWS_ENDPOINT_URL"] == nil, let endpointURL {
            variables["AWS_ENDPOINT_URL"] = endpointURL
        }
        return variables
    }

    /// The region in `arn:aws:lambda:<region>:<account>:function:<name>`.
    static func region(of arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 && !parts[3].isEmpty ? String(parts[3]) : "us-east-1"
    }

    /// `YYYY/MM/DD/[$LATEST]<32 hex>` (§5).
    static func logStreamName(version: String, now: Date) -> String {
        let day = now.formatted(
            Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day().dateSeparator(.dash)
        )
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return day.replacingOccurrences(of: "-", with: "/") + "/[\(version)]" + hex
    }
}
