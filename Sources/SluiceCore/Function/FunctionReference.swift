/// A function named in any of the forms Lambda accepts (`reference/esm-api.md` §8):
/// `name`, `name:qualifier`, `account:function:name[:qualifier]`, `arn:aws:lambda:region:account:function:name[:q]`.
public struct FunctionReference: Sendable, Equatable, Hashable {
    public var region: String
    public var account: String
    public var name: String
    /// `$LATEST`, a version number or an alias; `nil` when the reference is unqualified.
    public var qualifier: String?

    public init(region: String, account: String, name: String, qualifier: String? = nil) {
        self.region = region
        self.account = account
        self.name = name
        self.qualifier = qualifier
    }

    /// The model pattern of `NamespacedFunctionName`, quoted in validation messages.
    public static let namespacedPattern =
        #"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?"#
        + #"([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"#

    /// The model pattern of `FunctionName` (CreateFunction, Get/Delete/UpdateFunction…).
    public static let functionNamePattern =
        #"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?"#
        + #"([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"#

    /// Parses `text`, filling region and account from the request when the form leaves them out.
    ///
    /// - Parameters:
    ///   - text: the FunctionName as the client sent it.
    ///   - identity: the request's region and account.
    ///   - path: the member path for validation messages (`functionName`).
    ///   - maxLength: 140 for the function APIs, 256 for the mapping APIs (model).
    public init(parsing text: String, identity: RequestIdentity, path: String = "functionName", maxLength: Int = 140)
        throws(AWSError)
    {
        var errors = ValidationErrors()
        errors.checkLength(text, 1...maxLength, path: path)
        try errors.throwIfAny()
        let pattern = maxLength > 140 ? Self.namespacedPattern : Self.functionNamePattern
        guard let parsed = Self.parse(text, identity: identity, allowDots: maxLength > 140) else {
            errors.add(value: text, path: path, rule: "satisfy regular expression pattern: \(pattern)")
            throw errors.error!
        }
        if !text.hasPrefix("arn:"), !text.contains(":function:"), parsed.name.count > 64 {
            // Recorded: the validation text, but as InvalidParameterValueException.
            errors.add(value: text, path: path, rule: "have length less than or equal to 64")
            throw .invalidParameterValue(errors.error?.message ?? "")
        }
        self = parsed
    }

    /// Whether `text` has the shape of the `FunctionName` pattern (any form), so that validation can report it
    /// together with other violations.
    public static func matchesPattern(_ text: String) -> Bool {
        parse(text, identity: RequestIdentity(region: "us-east-1"), allowDots: false) != nil
    }

    private static func parse(_ text: String, identity: RequestIdentity, allowDots: Bool) -> FunctionReference? {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var region = identity.region
        var account = identity.account
        if parts.first == "arn" {
            guard parts.count >= 7, parts[1].hasPrefix("aws"), parts[2] == "lambda", ARN.isRegion(parts[3]),
                isAccount(parts[4]), parts[5] == "function"
            else { return nil }
            region = parts[3]
            account = parts[4]
            parts.removeFirst(6)
        } else if parts.count >= 3, parts[1] == "function" {
            guard isAccount(parts[0]) else { return nil }
            account = parts[0]
            parts.removeFirst(2)
        } else if parts.count >= 4, parts[2] == "function" {
            guard ARN.isRegion(parts[0]), isAccount(parts[1]) else { return nil }
            region = parts[0]
            account = parts[1]
            parts.removeFirst(3)
        }
        guard (1...2).contains(parts.count), isName(parts[0], allowDots: allowDots) else { return nil }
        var qualifier: String?
        if parts.count == 2 {
            guard isQualifier(parts[1], allowPublished: allowDots) else { return nil }
            qualifier = parts[1]
        }
        return FunctionReference(region: region, account: account, name: parts[0], qualifier: qualifier)
    }

    private static func isAccount(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy(\.isASCIIDigit)
    }

    static func isName(_ text: String, allowDots: Bool = false) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" || $0 == "_" || (allowDots && $0 == ".") }
    }

    private static func isQualifier(_ text: String, allowPublished: Bool) -> Bool {
        if text == "$LATEST" || (allowPublished && text == "$LATEST.PUBLISHED") { return true }
        return isName(text)
    }

    /// `arn:aws:lambda:<region>:<account>:function:<name>`.
    public var unqualifiedArn: String { "arn:aws:lambda:\(region):\(account):function:\(name)" }

    /// The ARN with the qualifier exactly as given (`…:function:f:$LATEST` stays qualified, as AWS records).
    public var arn: String {
        guard let qualifier else { return unqualifiedArn }
        return unqualifiedArn + ":" + qualifier
    }

    /// Whether the reference names the latest code: unqualified or `$LATEST`.
    public var isLatest: Bool { qualifier == nil || qualifier == "$LATEST" }
}
