/// The runtimes of the Lambda model, and the ones AWS no longer accepts for new functions
/// (`reference/runtime-api.md` §4; `docs/compatibility.md`).
public enum Runtime {
    /// The botocore enum, in its order (quoted by the "enum value set" message).
    public static let all = [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
        "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
        "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13",
        "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0",
    ]

    /// Runtimes AWS refuses for creating or updating functions.
    public static let blocked: Set<String> = [
        "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
        "nodejs14.x", "nodejs16.x", "java8", "python2.7", "python3.6", "python3.7", "python3.8", "dotnetcore1.0",
        "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "go1.x", "ruby2.5", "ruby2.7",
    ]

    /// `RuntimeVersionConfig.RuntimeVersionArn` of a runtime: `arn:aws:lambda:<region>::runtime:<64 hex>`, stable per
    /// runtime name (AWS names a runtime build by a digest; Sluice runs the machine's interpreter, so it derives one
    /// from the name).
    public static func versionArn(_ runtime: String, region: String) -> String {
        var digest = ""
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for round in 0..<4 {
            for byte in runtime.utf8 + [UInt8(round)] {
                state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            let hex = String(state, radix: 16)
            digest += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return "arn:aws:lambda:\(region)::runtime:\(digest)"
    }

    /// Validates a Runtime member with AWS's two texts (unknown value, no longer supported).
    public static func validate(_ runtime: String) throws(AWSError) {
        guard all.contains(runtime) else {
            throw .invalidParameterValue(
                "Value \(runtime) at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[\(all.joined(separator: ", "))]"
            )
        }
        guard !blocked.contains(runtime) else {
            throw .invalidParameterValue(
                "The runtime parameter of \(runtime) is no longer supported for creating or updating AWS Lambda "
                    + "functions. We recommend you use a supported runtime while creating or updating functions."
            )
        }
    }
}
