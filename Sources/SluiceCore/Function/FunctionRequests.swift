import Foundation

/// The body of CreateFunction (`POST /2015-03-31/functions`, `reference/runtime-api.md` §4).
public struct CreateFunctionRequest: Sendable, Decodable {
    public var functionName: String
    public var runtime: String?
    public var role: String?
    public var handler: String?
    public var code: FunctionCode?
    public var description: String?
    public var timeout: Int?
    public var memorySize: Int?
    public var publish: Bool?
    public var environment: EnvironmentInput?
    public var architectures: [String]?
    public var packageType: String?
    public var tags: [String: String]?
    public var ephemeralStorage: FunctionConfiguration.EphemeralStorage?
    public var tracingConfig: FunctionConfiguration.TracingConfig?
    public var deadLetterConfig: FunctionConfiguration.DeadLetterConfig?
    public var kmsKeyArn: String?
    public var layers: [String]?

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", runtime = "Runtime", role = "Role", handler = "Handler", code = "Code"
        case description = "Description", timeout = "Timeout", memorySize = "MemorySize", publish = "Publish"
        case environment = "Environment", architectures = "Architectures", packageType = "PackageType"
        case tags = "Tags", ephemeralStorage = "EphemeralStorage", tracingConfig = "TracingConfig"
        case deadLetterConfig = "DeadLetterConfig", kmsKeyArn = "KMSKeyArn", layers = "Layers"
    }
}

/// `FunctionCode`: the zip inline (base64 on the wire), or where to fetch it.
public struct FunctionCode: Sendable, Decodable {
    public var zipFile: String?
    public var s3Bucket: String?
    public var s3Key: String?
    public var s3ObjectVersion: String?
    public var imageUri: String?

    public init(zipFile: String?) { self.zipFile = zipFile }

    enum CodingKeys: String, CodingKey {
        case zipFile = "ZipFile", s3Bucket = "S3Bucket", s3Key = "S3Key", s3ObjectVersion = "S3ObjectVersion"
        case imageUri = "ImageUri"
    }
}

/// `Environment` in a request: `{"Variables": {...}}`, either member optional.
public struct EnvironmentInput: Sendable, Decodable {
    public var variables: [String: String]?
    enum CodingKeys: String, CodingKey { case variables = "Variables" }
}

/// The body of UpdateFunctionConfiguration (`PUT /2015-03-31/functions/{name}/configuration`).
public struct UpdateFunctionConfigurationRequest: Sendable, Decodable {
    public var role: String?
    public var handler: String?
    public var description: String?
    public var timeout: Int?
    public var memorySize: Int?
    public var environment: EnvironmentInput?
    public var runtime: String?
    public var ephemeralStorage: FunctionConfiguration.EphemeralStorage?
    public var tracingConfig: FunctionConfiguration.TracingConfig?
    public var deadLetterConfig: FunctionConfiguration.DeadLetterConfig?
    public var kmsKeyArn: String?
    public var revisionId: String?
    public var layers: [String]?

    enum CodingKeys: String, CodingKey {
        case role = "Role", handler = "Handler", description = "Description", timeout = "Timeout"
        case memorySize = "MemorySize", environment = "Environment", runtime = "Runtime"
        case ephemeralStorage = "EphemeralStorage", tracingConfig = "TracingConfig"
        case deadLetterConfig = "DeadLetterConfig", kmsKeyArn = "KMSKeyArn", revisionId = "RevisionId"
        case layers = "Layers"
    }
}

/// The body of UpdateFunctionCode (`PUT /2015-03-31/functions/{name}/code`).
public struct UpdateFunctionCodeRequest: Sendable, Decodable {
    public var zipFile: String?
    public var s3Bucket: String?
    public var s3Key: String?
    public var s3ObjectVersion: String?
    public var imageUri: String?
    public var publish: Bool?
    public var dryRun: Bool?
    public var revisionId: String?
    public var architectures: [String]?

    enum CodingKeys: String, CodingKey {
        case zipFile = "ZipFile", s3Bucket = "S3Bucket", s3Key = "S3Key", s3ObjectVersion = "S3ObjectVersion"
        case imageUri = "ImageUri", publish = "Publish", dryRun = "DryRun", revisionId = "RevisionId"
        case architectures = "Architectures"
    }

    public var code: FunctionCode {
        var code = FunctionCode(zipFile: zipFile)
        code.s3Bucket = s3Bucket
        code.s3Key = s3Key
        code.s3ObjectVersion = s3ObjectVersion
        code.imageUri = imageUri
        return code
    }
}
