/// One `FilterCriteria.Filters[].Pattern` of an event source mapping, parsed and validated
/// (`reference/semantics.md` §6.1, §6.2).
///
/// A pattern level is a set of keys that must all match (AND) plus, optionally, the alternatives of a `$or` of which
/// at least one must match at the same level. A key leads either to a nested pattern, which descends into the
/// record's object at that key, or to a non-empty list of conditions of which one must match (OR).
///
/// Build it with `init(parsing:)`; match records with `matches(_:)` or, for a mapping's filters,
/// `FilterPattern.anyMatches(_:_:)`. The tree is public so sources can inspect it (§6.3: whether `data` or `body`
/// is filtered as JSON).
public struct FilterPattern: Sendable, Equatable {
    /// The keys of this level, in pattern order (a repeated key is resolved: the last one wins).
    public var fields: [Field]
    /// The alternatives of this level's `$or` (at least two), or empty when there is no `$or`.
    public var alternatives: [FilterPattern]

    public init(fields: [Field], alternatives: [FilterPattern] = []) {
        self.fields = fields
        self.alternatives = alternatives
    }

    /// The rule for `key` at this level, if the pattern names it.
    public func rule(forKey key: String) -> Rule? {
        fields.last { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }?.rule
    }

    /// A key of the pattern and what the record's value at that key must satisfy.
    public struct Field: Sendable, Equatable {
        public var key: String
        public var rule: Rule

        public init(key: String, rule: Rule) {
            self.key = key
            self.rule = rule
        }
    }

    public indirect enum Rule: Sendable, Equatable {
        /// A nested object in the pattern: descends into the record's object at this key.
        case nested(FilterPattern)
        /// A leaf array in the pattern: the record's value must satisfy at least one condition.
        case anyOf([Condition])
    }

    /// One element of a leaf array (§6.2, the operators Lambda supports).
    public enum Condition: Sendable, Equatable {
        /// A plain value: a string (exact, no case folding), a number (by literal text), `true`, `false` or `null`.
        case equals(JSONValue)
        /// `{"exists": true}` / `{"exists": false}`: whether the key has a leaf (non-object) value.
        case exists(Bool)
        /// `{"anything-but": …}`: the key exists and its value is none of these.
        case anythingBut(AnythingBut)
        /// `{"numeric": […]}`: the value is a JSON number in the range.
        case numeric(NumericComparison)
        /// `{"prefix": "…"}`
        case prefix(String)
        /// `{"prefix": {"equals-ignore-case": "…"}}`
        case prefixIgnoringCase(String)
        /// `{"suffix": "…"}`
        case suffix(String)
        /// `{"suffix": {"equals-ignore-case": "…"}}`
        case suffixIgnoringCase(String)
        /// `{"equals-ignore-case": "…"}`
        case equalsIgnoringCase(String)
    }

    /// The excluded values of an `anything-but`: all strings or all numbers, as the filtering engine requires.
    public enum AnythingBut: Sendable, Equatable {
        /// Excludes strings equal to one of these; any other value (a number, `true`, `null`) matches.
        case strings([String])
        /// Excludes numbers numerically equal to one of these; any other value (a string, `true`, `null`) matches.
        case numbers([JSONNumber])
    }

    /// A `numeric` operator list: `["=", n]`, one bound, or a lower bound (`>`, `>=`) then an upper (`<`, `<=`).
    public enum NumericComparison: Sendable, Equatable {
        case equals(Double)
        /// At least one bound is present; when both are, `lower.value < upper.value`.
        case range(lower: NumericBound?, upper: NumericBound?)

        /// Whether `value` satisfies the comparison.
        public func contains(_ value: Double) -> Bool {
            switch self {
            case .equals(let expected):
                return value == expected
            case .range(let lower, let upper):
                if let lower, lower.isInclusive ? value < lower.value : value <= lower.value { return false }
                if let upper, upper.isInclusive ? value > upper.value : value >= upper.value { return false }
                return true
            }
        }
    }

    public struct NumericBound: Sendable, Equatable {
        public var value: Double
        /// `>=` or `<=` rather than `>` or `<`.
        public var isInclusive: Bool

        public init(_ value: Double, isInclusive: Bool) {
            self.value = value
            self.isInclusive = isInclusive
        }
    }
}
