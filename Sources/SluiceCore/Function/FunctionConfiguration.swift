/// A function's configuration exactly as Lambda returns it (`FunctionConfiguration`, `reference/runtime-api.md` §4).
///
/// Absent members are `nil` and left out of the JSON, as AWS leaves them out.
public struct FunctionConfiguration: Sendable, Codable, Equatable {
    public var functionName: String
    public var functionArn: String
    public var runtime: String?
    public var role: String
    public var handler: String?
    public var codeSize: Int
    public var description: String
    public var timeout: Int
    public var memorySize: Int
    public var lastModified: String
    public var codeSha256: String
    public var version: String
    public var environment: Environment?
    public var tracingConfig: TracingConfig
    public var revisionId: String
    public var state: String
    public var stateReason: String?
    public var stateReasonCode: String?
    public var lastUpdateStatus: String
    public var lastUpdateStatusReason: String?
    public var lastUpdateStatusReasonCode: String?
    public var packageType: String
    public var architectures: [String]
    public var ephemeralStorage: EphemeralStorage
    public var snapStart: SnapStartResponse
    public var loggingConfig: LoggingConfig
    public var deadLetterConfig: DeadLetterConfig?
    public var kmsKeyArn: String?
    public var layers: [Layer]?
    public var runtimeVersionConfig: RuntimeVersionConfig?

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", functionArn = "FunctionArn", runtime = "Runtime", role = "Role"
        case handler = "Handler", codeSize = "CodeSize", description = "Description", timeout = "Timeout"
        case memorySize = "MemorySize", lastModified = "LastModified", codeSha256 = "CodeSha256"
        case version = "Version", environment = "Environment", tracingConfig = "TracingConfig"
        case revisionId = "RevisionId", state = "State", stateReason = "StateReason"
        case stateReasonCode = "StateReasonCode", lastUpdateStatus = "LastUpdateStatus"
        case lastUpdateStatusReason = "LastUpdateStatusReason"
        case lastUpdateStatusReasonCode = "LastUpdateStatusReasonCode", packageType = "PackageType"
        case architectures = "Architectures", ephemeralStorage = "EphemeralStorage", snapStart = "SnapStart"
        case loggingConfig = "LoggingConfig", deadLetterConfig = "DeadLetterConfig", kmsKeyArn = "KMSKeyArn"
        case layers = "Layers", runtimeVersionConfig = "RuntimeVersionConfig"
    }

    public struct Environment: Sendable, Codable, Equatable {
        public var variables: [String: String]
        public init(variables: [String: String]) { self.variables = variables }
        enum CodingKeys: String, CodingKey { case variables = "Variables" }
    }

    public struct TracingConfig: Sendable, Codable, Equatable {
        public var mode: String
        public init(mode: String = "PassThrough") { self.mode = mode }
        enum CodingKeys: String, CodingKey { case mode = "Mode" }
    }

    public struct EphemeralStorage: Sendable, Codable, Equatable {
        public var size: Int
        public init(size: Int = 512) { self.size = size }
        enum CodingKeys: String, CodingKey { case size = "Size" }
    }

    public struct SnapStartResponse: Sendable, Codable, Equatable {
        public var applyOn = "None"
        public var optimizationStatus = "Off"
        public init() {}
        enum CodingKeys: String, CodingKey { case applyOn = "ApplyOn", optimizationStatus = "OptimizationStatus" }
    }

    public struct LoggingConfig: Sendable, Codable, Equatable {
        public var logFormat: String
        public var logGroup: String
        public var applicationLogLevel: String?
        public var systemLogLevel: String?
        public init(logFormat: String = "Text", logGroup: String) {
            self.logFormat = logFormat
            self.logGroup = logGroup
        }
        enum CodingKeys: String, CodingKey {
            case logFormat = "LogFormat", logGroup = "LogGroup", applicationLogLevel = "ApplicationLogLevel"
            case systemLogLevel = "SystemLogLevel"
        }
    }

    public struct DeadLetterConfig: Sendable, Codable, Equatable {
        public var targetArn: String?
        enum CodingKeys: String, CodingKey { case targetArn = "TargetArn" }
    }

    public struct RuntimeVersionConfig: Sendable, Codable, Equatable {
        public var runtimeVersionArn: String
        public init(runtimeVersionArn: String) { self.runtimeVersionArn = runtimeVersionArn }
        enum CodingKeys: String, CodingKey { case runtimeVersionArn = "RuntimeVersionArn" }
    }

    public struct Layer: Sendable, Codable, Equatable {
        public var arn: String
        public var codeSize: Int
        enum CodingKeys: String, CodingKey { case arn = "Arn", codeSize = "CodeSize" }
    }
}
