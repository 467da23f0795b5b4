/// Collects model-constraint violations and renders them the way AWS does:
/// `N validation error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: Member must <rule>; …`
/// (`reference/esm-api.md` §5, recorded pattern).
public struct ValidationErrors: Sendable, Equatable {
    public private(set) var violations: [String] = []

    public init() {}

    public var isEmpty: Bool { violations.isEmpty }

    public mutating func add(value: String, path: String, rule: String) {
        violations.append("Value '\(value)' at '\(path)' failed to satisfy constraint: Member must \(rule)")
    }

    /// A violation in a wording of its own (e.g. map keys, whose values AWS does not quote).
    public mutating func add(violation: String) {
        violations.append(violation)
    }

    /// A required member that is absent: `Value null at '<path>' … Member must not be null` (null unquoted, recorded).
    public mutating func addMissing(path: String) {
        violations.append("Value null at '\(path)' failed to satisfy constraint: Member must not be null")
    }

    /// Checks `lower ≤ value ≤ upper` for an optional integer member.
    public mutating func checkRange(_ value: Int?, _ range: ClosedRange<Int>, path: String) {
        guard let value else { return }
        if value < range.lowerBound {
            add(value: String(value), path: path, rule: "have value greater than or equal to \(range.lowerBound)")
        } else if value > range.upperBound {
            add(value: String(value), path: path, rule: "have value less than or equal to \(range.upperBound)")
        }
    }

    /// Checks the length of an optional string member.
    public mutating func checkLength(_ value: String?, _ range: ClosedRange<Int>, path: String) {
        guard let value else { return }
        if value.count < range.lowerBound {
            add(value: value, path: path, rule: "have length greater than or equal to \(range.lowerBound)")
        } else if value.count > range.upperBound {
            add(value: value, path: path, rule: "have length less than or equal to \(range.upperBound)")
        }
    }

    /// Checks an optional string member against an enum value set, listed as AWS lists it.
    public mutating func checkEnum(_ value: String?, _ allowed: [String], path: String) {
        guard let value, !allowed.contains(value) else { return }
        add(value: value, path: path, rule: "satisfy enum value set: [\(allowed.joined(separator: ", "))]")
    }

    /// The error to throw, or `nil` when every constraint held.
    public var error: AWSError? {
        guard !violations.isEmpty else { return nil }
        let count = violations.count
        let noun = count == 1 ? "error" : "errors"
        return .validation("\(count) validation \(noun) detected: " + violations.joined(separator: "; "))
    }

    public func throwIfAny() throws(AWSError) {
        if let error { throw error }
    }
}
