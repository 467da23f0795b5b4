/// An Amazon Resource Name split into its parts: `arn:<partition>:<service>:<region>:<account>:<resource>`.
public struct ARN: Sendable, Equatable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses the model's generic `Arn` pattern:
    /// `arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        let partition = String(parts[1])
        let service = String(parts[2])
        let region = String(parts[3])
        let account = String(parts[4])
        guard partition.hasPrefix("aws"), partition.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" }),
            !service.isEmpty, service.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" }),
            region.isEmpty || Self.isRegion(region),
            account.isEmpty || (account.count == 12 && account.allSatisfy(\.isASCIIDigit))
        else { return nil }
        self.init(partition: partition, service: service, region: region, account: account, resource: String(parts[5]))
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    /// `[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}` (model).
    public static func isRegion(_ text: String) -> Bool {
        var parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, let digit = parts.popLast(), digit.count == 1, digit.allSatisfy(\.isASCIIDigit),
            parts[0].count == 2, parts[0].allSatisfy(\.isASCIILowercaseLetter)
        else { return false }
        let middle = parts.dropFirst()
        let qualifiers = middle.dropLast()
        guard let name = middle.last, !name.isEmpty, name.allSatisfy(\.isASCIILowercaseLetter) else { return false }
        guard let qualifier = qualifiers.first else { return true }
        guard qualifiers.count == 1 else { return false }
        if qualifier == "gov" { return true }
        return qualifier.hasPrefix("iso") && qualifier.count <= 4 && qualifier.allSatisfy(\.isASCIILowercaseLetter)
    }
}

/// ASCII classes without Unicode property look-ups (these run on every request).
extension Character {
    var isASCIIDigit: Bool {
        guard let value = asciiValue else { return false }
        return value >= 0x30 && value <= 0x39
    }

    var isASCIILowercaseLetter: Bool {
        guard let value = asciiValue else { return false }
        return value >= 0x61 && value <= 0x7A
    }

    var isASCIILetterOrDigit: Bool {
        guard let value = asciiValue else { return false }
        return isASCIIDigit || isASCIILowercaseLetter || (value >= 0x41 && value <= 0x5A)
    }
}
