import Foundation

/// The checks of CreateFunction, UpdateFunctionConfiguration and UpdateFunctionCode, and the configuration they
/// produce (`reference/runtime-api.md` §4–5, `docs/compatibility.md`).
public enum FunctionValidation {
    static let rolePattern = #"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"#

    /// Keys a user may not set in `Environment.Variables` (docs).
    static let reservedVariables: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// The largest zip a direct upload may carry (recorded: "Request must be smaller than 70167211 bytes").
    public static let maximumRequestBytes = 70_167_211

    /// Model constraints shared by Create and UpdateFunctionConfiguration, as ValidationException.
    static func checkMembers(
        role: String?, handler: String?, description: String?, timeout: Int?, memorySize: Int?,
        ephemeralStorage: FunctionConfiguration.EphemeralStorage?, errors: inout ValidationErrors
    ) {
        if let role, !matchesRole(role) {
            errors.add(value: role, path: "role", rule: "satisfy regular expression pattern: \(rolePattern)")
        }
        errors.checkLength(handler, 0...128, path: "handler")
        if let handler, handler.contains(where: \.isWhitespace) {
            errors.add(value: handler, path: "handler", rule: #"satisfy regular expression pattern: [^\s]+"#)
        }
        errors.checkLength(description, 0...256, path: "description")
        errors.checkRange(timeout, 1...900, path: "timeout")
        errors.checkRange(memorySize, 128...10240, path: "memorySize")
        errors.checkRange(ephemeralStorage?.size, 512...10240, path: "ephemeralStorage.size")
    }

    static func matchesRole(_ role: String) -> Bool {
        guard let arn = ARN(role), arn.service == "iam", arn.region.isEmpty, arn.account.count == 12 else {
            return false
        }
        var resource = Substring(arn.resource)
        guard resource.hasPrefix("role") else { return false }
        resource = resource.dropFirst(4)
        if resource.hasPrefix("/") { resource = resource.dropFirst() }
        let allowed = Set("+=,.@-_/")
        return !resource.isEmpty && resource.allSatisfy { $0.isASCIILetterOrDigit || allowed.contains($0) }
    }

    /// Validates `Environment.Variables`: names, reserved keys, the 4 KB total (AWS's texts).
    static func checkEnvironment(_ environment: EnvironmentInput?) throws(AWSError) {
        guard let variables = environment?.variables else { return }
        if variables.keys.contains(where: { !isVariableName($0) }) {
            // AWS quotes no value here: the member is sensitive.
            var errors = ValidationErrors()
            errors.add(
                violation: "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy "
                    + "constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"
            )
            try errors.throwIfAny()
        }
        let reserved = variables.keys.filter(reservedVariables.contains).sorted()
        guard reserved.isEmpty else {
            throw .invalidParameterValue(
                "Lambda was unable to configure your environment variables because the environment variables you "
                    + "have provided contains reserved keys that are currently not supported for modification. "
                    + "Reserved keys used in this request: \(reserved.joined(separator: ", "))"
            )
        }
        // AWS measures the variables as a compact JSON object and quotes it.
        let measured = jsonObject(variables)
        guard measured.utf8.count <= 4096 else {
            throw .invalidParameterValue(
                "Lambda was unable to configure your environment variables because the environment variables you "
                    + "have provided exceeded the 4KB limit. String measured: \(measured)"
            )
        }
    }

    /// `{"K":"V",…}` with keys sorted, escaped as JSON.
    static func jsonObject(_ variables: [String: String]) -> String {
        let members = variables.keys.sorted().map { key in
            JSONValue.string(key).jsonText + ":" + JSONValue.string(variables[key] ?? "").jsonText
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func isVariableName(_ name: String) -> Bool {
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCIILetterOrDigit || $0 == "_" }
    }

    static func checkArchitectures(_ architectures: [String]?, errors: inout ValidationErrors) {
        guard let architectures else { return }
        if architectures.count != 1 {
            errors.add(
                value: "[\(architectures.joined(separator: ", "))]", path: "architectures",
                rule: "have length less than or equal to 1"
            )
        }
        for architecture in architectures where !["x86_64", "arm64"].contains(architecture) {
            errors.add(
                value: "[\(architectures.joined(separator: ", "))]", path: "architectures",
                rule: "satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]"
            )
        }
    }

    /// Decodes and checks the code of a Zip function: inline `ZipFile` only (S3 and images are refused with the
    /// texts of `docs/compatibility.md`).
    public static func zipArchive(from code: FunctionCode?) throws(AWSError) -> Data {
        guard let code else {
            throw .validation(
                "1 validation error detected: Value null at 'code' failed to satisfy constraint: "
                    + "Member must not be null"
            )
        }
        if code.imageUri != nil { throw imagesUnsupported }
        if code.s3Bucket != nil || code.s3Key != nil {
            throw .invalidParameterValue(
                "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: "
                    + "The specified bucket does not exist"
            )
        }
        guard let encoded = code.zipFile else {
            throw .invalidParameterValue("Please provide a source for function code.")
        }
        guard let archive = Data(base64Encoded: encoded) else {
            throw .invalidRequestContent("Could not parse request body into json: ZipFile is not valid base64")
        }
        guard ZipArchiveCheck.looksLikeZip(archive) else {
            throw .invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again."
            )
        }
        return archive
    }

    static let imagesUnsupported = AWSError.invalidParameterValue(
        "Sluice runs Zip functions only; container images are not supported."
    )
}

/// A cheap structural check that bytes are a zip archive: local-header or end-of-central-directory signature at
/// the start, and an end-of-central-directory record near the end.
enum ZipArchiveCheck {
    static func looksLikeZip(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        guard bytes.count >= 22, bytes[0] == 0x50, bytes[1] == 0x4B else { return false }
        let lowest = max(0, bytes.count - 65_557)
        var index = bytes.count - 22
        while index >= lowest {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x05, bytes[index + 3] == 0x06 {
                return true
            }
            index -= 1
        }
        return false
    }
}
