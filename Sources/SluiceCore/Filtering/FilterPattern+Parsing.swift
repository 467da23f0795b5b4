/// Why a filter pattern is invalid (`reference/semantics.md` §6.1, §6.2). AWS answers every one of these with
/// `InvalidParameterValueException` and `FilterPatternError.awsMessage`; `code` and `detail` are for logs and tests.
public struct FilterPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case malformedJSON = "malformed JSON"
            case notAnObject = "pattern is not a JSON object"
            case emptyObject = "empty objects are not allowed"
            case notObjectOrArray = "value must be an object or an array"
            case emptyArray = "empty arrays are not allowed"
            case invalidMatchValue = "match value must be a string, number, true, false, null or an operator"
            case unknownOperator = "unrecognized match type"
            case unsupportedOperator = "operator not supported for Lambda event filtering"
            case invalidOperand = "invalid operand"
            case invalidNumeric = "invalid numeric operator list"
            case invalidOr = "$or needs an array of at least 2 objects"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        public static let malformedJSON = Code(.malformedJSON)
        /// The pattern is valid JSON but not an object (`null`, a string, an array…).
        public static let notAnObject = Code(.notAnObject)
        /// `{}` as the pattern or as a nested pattern.
        public static let emptyObject = Code(.emptyObject)
        /// A key whose value is a string, number, boolean or null instead of a nested object or leaf array.
        public static let notObjectOrArray = Code(.notObjectOrArray)
        public static let emptyArray = Code(.emptyArray)
        /// An array inside a leaf array.
        public static let invalidMatchValue = Code(.invalidMatchValue)
        public static let unknownOperator = Code(.unknownOperator)
        /// `wildcard`, `cidr`, and `anything-but` with `prefix`, `suffix`, `equals-ignore-case` or `wildcard`.
        public static let unsupportedOperator = Code(.unsupportedOperator)
        /// An operator object with other than one key, or an operand of the wrong type.
        public static let invalidOperand = Code(.invalidOperand)
        public static let invalidNumeric = Code(.invalidNumeric)
        public static let invalidOr = Code(.invalidOr)

        public var description: String { base.rawValue }
    }

    /// The message of the `InvalidParameterValueException` AWS returns for any invalid pattern (§6.1).
    public static let awsMessage = "Invalid filter pattern definition."

    public var code: Code
    /// The keys from the pattern's root to the problem (`["dynamodb", "NewImage", "id"]`); empty at the root.
    public var path: [String]
    public var detail: String

    public init(code: Code, path: [String], detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    public var description: String {
        path.isEmpty ? "\(code): \(detail)" : "\(code) at \(path.joined(separator: ".")): \(detail)"
    }
}

extension FilterPattern {
    /// Parses and validates a pattern string, as CreateEventSourceMapping and UpdateEventSourceMapping do (§6.1).
    ///
    /// - Parameters:
    ///   - pattern: the `Pattern` string of one filter: a JSON object.
    public init(parsing pattern: String) throws(FilterPatternError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue(parsing: pattern)
        } catch {
            throw FilterPatternError(code: .malformedJSON, path: [], detail: error.description)
        }
        try self.init(value)
    }

    /// Validates an already parsed pattern (§6.1, §6.2).
    ///
    /// - Parameters:
    ///   - pattern: the pattern document; must be a non-empty JSON object.
    public init(_ pattern: JSONValue) throws(FilterPatternError) {
        guard case .object(let object) = pattern else {
            throw FilterPatternError(code: .notAnObject, path: [], detail: "found \(pattern.jsonText.prefix(40))")
        }
        self = try Self.parseLevel(object, path: [])
    }

    private static func parseLevel(_ object: JSONObject, path: [String]) throws(FilterPatternError) -> FilterPattern {
        guard !object.isEmpty else {
            throw FilterPatternError(code: .emptyObject, path: path, detail: "a pattern level needs at least one key")
        }
        var pattern = FilterPattern(fields: [])
        for (key, value) in object.members {
            let keyPath = path + [key]
            if key == "$or" {
                pattern.alternatives = try parseOr(value, path: keyPath)
                continue
            }
            switch value {
            case .object(let nested):
                pattern.fields.append(Field(key: key, rule: .nested(try parseLevel(nested, path: keyPath))))
            case .array(let elements):
                pattern.fields.append(Field(key: key, rule: .anyOf(try parseConditions(elements, path: keyPath))))
            default:
                throw FilterPatternError(code: .notObjectOrArray, path: keyPath, detail: "found \(value.jsonText)")
            }
        }
        return pattern
    }

    private static func parseOr(_ value: JSONValue, path: [String]) throws(FilterPatternError) -> [FilterPattern] {
        guard case .array(let elements) = value, elements.count >= 2 else {
            throw FilterPatternError(code: .invalidOr, path: path, detail: "found \(value.jsonText)")
        }
        var alternatives: [FilterPattern] = []
        for element in elements {
            guard case .object(let object) = element else {
                throw FilterPatternError(code: .invalidOr, path: path, detail: "alternative \(element.jsonText)")
            }
            alternatives.append(try parseLevel(object, path: path))
        }
        return alternatives
    }

    private static func parseConditions(_ elements: [JSONValue], path: [String]) throws(FilterPatternError)
        -> [Condition]
    {
        guard !elements.isEmpty else {
            throw FilterPatternError(code: .emptyArray, path: path, detail: "a leaf needs at least one value")
        }
        var conditions: [Condition] = []
        for element in elements {
            switch element {
            case .null, .bool, .number, .string:
                conditions.append(.equals(element))
            case .array:
                throw FilterPatternError(code: .invalidMatchValue, path: path, detail: "found \(element.jsonText)")
            case .object(let operation):
                conditions.append(try parseOperator(operation, path: path))
            }
        }
        return conditions
    }

    private static func parseOperator(_ operation: JSONObject, path: [String]) throws(FilterPatternError)
        -> Condition
    {
        guard operation.count == 1, let member = operation.members.first else {
            throw FilterPatternError(
                code: .invalidOperand, path: path, detail: "only one key allowed in match expression"
            )
        }
        let (name, operand) = member
        func invalid(_ expected: String) -> FilterPatternError {
            FilterPatternError(code: .invalidOperand, path: path, detail: "\(name) needs \(expected)")
        }
        switch name {
        case "exists":
            guard case .bool(let exists) = operand else { throw invalid("true or false") }
            return .exists(exists)
        case "equals-ignore-case":
            guard case .string(let string) = operand else { throw invalid("a string") }
            return .equalsIgnoringCase(string)
        case "prefix", "suffix":
            let isPrefix = name == "prefix"
            if case .string(let string) = operand {
                return isPrefix ? .prefix(string) : .suffix(string)
            }
            guard case .object(let inner) = operand, inner.count == 1,
                case .string(let string)? = inner["equals-ignore-case"]
            else { throw invalid(#"a string or {"equals-ignore-case": string}"#) }
            return isPrefix ? .prefixIgnoringCase(string) : .suffixIgnoringCase(string)
        case "anything-but":
            return .anythingBut(try parseAnythingBut(operand, path: path))
        case "numeric":
            return .numeric(try parseNumeric(operand, path: path))
        case "wildcard", "cidr":
            throw FilterPatternError(code: .unsupportedOperator, path: path, detail: name)
        default:
            throw FilterPatternError(code: .unknownOperator, path: path, detail: name)
        }
    }

    private static func parseAnythingBut(_ operand: JSONValue, path: [String]) throws(FilterPatternError)
        -> AnythingBut
    {
        let invalid = FilterPatternError(
            code: .invalidOperand, path: path,
            detail: "anything-but needs a string, a number, or a non-empty list of all strings or all numbers"
        )
        switch operand {
        case .string(let string):
            return .strings([string])
        case .number(let number):
            return .numbers([number])
        case .array(let elements):
            let strings = elements.compactMap(\.stringValue)
            let numbers = elements.compactMap { element -> JSONNumber? in
                guard case .number(let number) = element else { return nil }
                return number
            }
            if !elements.isEmpty, strings.count == elements.count { return .strings(strings) }
            if !elements.isEmpty, numbers.count == elements.count { return .numbers(numbers) }
            throw invalid
        case .object(let inner):
            let name = inner.keys.first ?? ""
            guard ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(name) else { throw invalid }
            throw FilterPatternError(code: .unsupportedOperator, path: path, detail: "anything-but with \(name)")
        case .null, .bool:
            throw invalid
        }
    }

    private static func parseNumeric(_ operand: JSONValue, path: [String]) throws(FilterPatternError)
        -> NumericComparison
    {
        func invalid(_ detail: String) -> FilterPatternError {
            FilterPatternError(code: .invalidNumeric, path: path, detail: detail)
        }
        guard case .array(let items) = operand, items.count == 2 || items.count == 4 else {
            throw invalid("needs [operator, number] or [>|>=, number, <|<=, number], found \(operand.jsonText)")
        }
        guard case .string(let first) = items[0], let firstValue = finiteNumber(items[1]) else {
            throw invalid("needs an operator string then a finite number")
        }
        switch (first, items.count) {
        case ("=", 2):
            return .equals(firstValue)
        case ("<", 2), ("<=", 2):
            return .range(lower: nil, upper: NumericBound(firstValue, isInclusive: first == "<="))
        case (">", 2), (">=", 2):
            return .range(lower: NumericBound(firstValue, isInclusive: first == ">="), upper: nil)
        case (">", 4), (">=", 4):
            guard case .string(let second) = items[2], second == "<" || second == "<=",
                let secondValue = finiteNumber(items[3])
            else { throw invalid("a lower bound must be followed by < or <= and a finite number") }
            guard firstValue < secondValue else { throw invalid("bottom must be less than top") }
            return .range(
                lower: NumericBound(firstValue, isInclusive: first == ">="),
                upper: NumericBound(secondValue, isInclusive: second == "<=")
            )
        default:
            throw invalid("unsupported operator sequence \(operand.jsonText)")
        }
    }

    private static func finiteNumber(_ value: JSONValue) -> Double? {
        guard case .number(let number) = value, number.doubleValue.isFinite else { return nil }
        return number.doubleValue
    }
}
