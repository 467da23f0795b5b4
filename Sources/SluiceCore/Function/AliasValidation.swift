/// The model constraints of CreateAlias, UpdateAlias and the alias name in paths, as ValidationException with
/// AWS's texts (the routing texts are recorded; `reference/runtime-api.md` has no alias section).
public enum AliasValidation {
    /// The model pattern of an alias `Name`: not all digits.
    public static let namePattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"
    /// The model pattern of `FunctionVersion`.
    public static let versionPattern = #"(\$LATEST|[0-9]+)"#

    /// Checks CreateAlias's members in the model's order (Name, FunctionVersion, Description, RoutingConfig).
    public static func check(_ request: CreateAliasRequest) throws(AWSError) {
        var errors = ValidationErrors()
        if let name = request.name {
            checkName(name, errors: &errors)
        } else {
            errors.addMissing(path: "name")
        }
        if let version = request.functionVersion {
            checkVersion(version, errors: &errors)
        } else {
            errors.addMissing(path: "functionVersion")
        }
        errors.checkLength(request.description, 0...256, path: "description")
        checkWeights(request.routingConfig, errors: &errors)
        try errors.throwIfAny()
    }

    /// Checks UpdateAlias's members.
    public static func check(_ request: UpdateAliasRequest, name: String) throws(AWSError) {
        var errors = ValidationErrors()
        checkName(name, errors: &errors)
        if let version = request.functionVersion { checkVersion(version, errors: &errors) }
        errors.checkLength(request.description, 0...256, path: "description")
        checkWeights(request.routingConfig, errors: &errors)
        try errors.throwIfAny()
    }

    /// Checks an alias name given in a path (GetAlias, DeleteAlias).
    public static func checkName(_ name: String) throws(AWSError) {
        var errors = ValidationErrors()
        checkName(name, errors: &errors)
        try errors.throwIfAny()
    }

    static func checkName(_ name: String, errors: inout ValidationErrors) {
        errors.checkLength(name, 1...128, path: "name")
        if !name.isEmpty, !isAliasName(name) {
            errors.add(value: name, path: "name", rule: "satisfy regular expression pattern: \(namePattern)")
        }
    }

    public static func checkVersion(_ version: String, errors: inout ValidationErrors) {
        errors.checkLength(version, 1...1024, path: "functionVersion")
        if !version.isEmpty, !isVersion(version), version != "$LATEST" {
            errors.add(
                value: version, path: "functionVersion", rule: "satisfy regular expression pattern: \(versionPattern)"
            )
        }
    }

    /// Keys must be version numbers and weights lie in 0.0–1.0 (recorded texts; the map is quoted as Java prints it).
    static func checkWeights(_ routing: AliasRoutingConfiguration?, errors: inout ValidationErrors) {
        guard let weights = routing?.additionalVersionWeights, !weights.isEmpty else { return }
        let quoted = "{" + weights.keys.sorted().map { "\($0)=\(javaDouble(weights[$0] ?? 0))" }
            .joined(separator: ", ") + "}"
        let path = "routingConfig.additionalVersionWeights"
        if weights.keys.contains(where: { !isVersion($0) || $0.count > 1024 }) {
            errors.add(
                violation: "Value '\(quoted)' at '\(path)' failed to satisfy constraint: Map keys must satisfy "
                    + "constraint: [Member must have length less than or equal to 1024, Member must have length "
                    + "greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, "
                    + "Member must not be null]"
            )
        }
        if weights.values.contains(where: { !(0.0...1.0).contains($0) }) {
            errors.add(
                violation: "Value '\(quoted)' at '\(path)' failed to satisfy constraint: Map value must satisfy "
                    + "constraint: [Member must have value less than or equal to 1.0, Member must have value "
                    + "greater than or equal to 0.0, Member must not be null]"
            )
        }
    }

    /// The rules past the model for an alias of `functionVersion` (recorded texts, in LocalStack's order).
    ///
    /// - Parameters:
    ///   - exists: whether a version number is published.
    ///   - functionArn: the unqualified ARN, for `Function not found: <arn>:<version>`.
    public static func checkRouting(
        _ routing: AliasRoutingConfiguration?, functionVersion: String, functionArn: String,
        exists: (String) -> Bool
    ) throws(AWSError) {
        guard let weights = routing?.additionalVersionWeights, !weights.isEmpty else { return }
        guard weights.count == 1 else {
            throw .invalidParameterValue("Number of items in AdditionalVersionWeights cannot be greater than 1")
        }
        if weights[functionVersion] != nil {
            throw .invalidParameterValue(
                "Invalid function version \(functionVersion). Function version \(functionVersion) is already "
                    + "included in routing configuration."
            )
        }
        if functionVersion == "$LATEST" {
            throw .invalidParameterValue("$LATEST is not supported for an alias pointing to more than 1 version")
        }
        for version in weights.keys.sorted() where !exists(version) {
            throw .functionNotFound(arn: "\(functionArn):\(version)")
        }
    }

    /// `[0-9]+`: a published version number.
    public static func isVersion(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(\.isASCIIDigit)
    }

    /// `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`.
    public static func isAliasName(_ text: String) -> Bool {
        FunctionReference.isName(text) && !isVersion(text)
    }

    /// A double as Java's `Double.toString` prints the common cases (`2.0`, `0.5`, `-1.0`).
    static func javaDouble(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return "\(Int(value)).0" }
        return "\(value)"
    }
}
