extension FilterPattern {
    /// Whether a mapping keeps `record`: it matches at least one of the mapping's filters (§6.1, OR across filters).
    ///
    /// A mapping without filters keeps every record, so an empty `patterns` returns `true`.
    ///
    /// - Parameters:
    ///   - patterns: the mapping's `FilterCriteria.Filters`, parsed.
    ///   - record: the record as prepared for matching (§6.3: decoded `data`, parsed `body`, …).
    public static func anyMatches(_ patterns: [FilterPattern], _ record: JSONValue) -> Bool {
        patterns.isEmpty || patterns.contains { $0.matches(record) }
    }

    /// Whether `record` satisfies this pattern (`reference/semantics.md` §6.1, §6.2).
    ///
    /// All keys must match; a key's conditions are alternatives; a nested pattern descends into the record's
    /// object at that key. A missing key fails every condition but `{"exists": false}`, and `exists` sees only leaf
    /// values, so a key holding an object counts as absent. A record array matches when any element does.
    ///
    /// - Parameters:
    ///   - record: the record, usually an object; an array matches when one of its objects does, and a scalar has
    ///     no keys.
    public func matches(_ record: JSONValue) -> Bool {
        matches(value: record)
    }

    /// Whether `record` satisfies this pattern when the record's top-level `key` could not be read in the format
    /// the pattern expects (Kinesis `data` or an SQS `body` that is not JSON, §6.3): a level of the pattern that
    /// names `key` fails, whatever its condition (even `{"exists": false}`); its other keys, and its `$or`
    /// alternatives (which sit at the same level), are matched against `record`, which lacks `key`.
    ///
    /// - Parameters:
    ///   - record: the record without `key`.
    ///   - key: the unreadable top-level key.
    public func matches(_ record: JSONValue, unreadableKey key: String) -> Bool {
        guard rule(forKey: key) == nil else { return false }
        guard FilterPattern(fields: fields).matches(record) else { return false }
        return alternatives.isEmpty || alternatives.contains { $0.matches(record, unreadableKey: key) }
    }

    /// Matches this level against the record value found where the pattern has an object: the value's object, any
    /// object of an array, or, when there is none, an absent object in which every key is missing.
    private func matches(value: JSONValue?) -> Bool {
        var objects: [JSONObject] = []
        if let value {
            Self.collectObjects(in: value, into: &objects)
        }
        guard !objects.isEmpty else { return matches(object: nil) }
        return objects.contains { matches(object: $0) }
    }

    private func matches(object: JSONObject?) -> Bool {
        let fieldsMatch = fields.allSatisfy { field in
            let value = object?[field.key]
            switch field.rule {
            case .nested(let pattern):
                return pattern.matches(value: value)
            case .anyOf(let conditions):
                var leaves: [JSONValue] = []
                if let value {
                    Self.collectLeaves(in: value, into: &leaves)
                }
                return conditions.contains { $0.matches(leaves: leaves) }
            }
        }
        return fieldsMatch && (alternatives.isEmpty || alternatives.contains { $0.matches(object: object) })
    }

    /// The objects of `value`: itself, or those found in it if it is a (nested) array.
    private static func collectObjects(in value: JSONValue, into objects: inout [JSONObject]) {
        switch value {
        case .object(let object): objects.append(object)
        case .array(let elements):
            for element in elements {
                collectObjects(in: element, into: &objects)
            }
        case .null, .bool, .number, .string: break
        }
    }

    /// The leaf values of `value`: itself if a scalar, the scalars of a (nested) array; objects are not leaves.
    private static func collectLeaves(in value: JSONValue, into leaves: inout [JSONValue]) {
        switch value {
        case .object: break
        case .array(let elements):
            for element in elements {
                collectLeaves(in: element, into: &leaves)
            }
        case .null, .bool, .number, .string: leaves.append(value)
        }
    }
}

extension FilterPattern.Condition {
    /// Whether the leaf values found at a key (none when the key is absent or holds an object) satisfy this
    /// condition: `exists` looks at whether there are any, every other condition needs one leaf that matches.
    func matches(leaves: [JSONValue]) -> Bool {
        if case .exists(let exists) = self {
            return leaves.isEmpty != exists
        }
        return leaves.contains { matches(leaf: $0) }
    }

    /// §6.2 for one scalar value.
    func matches(leaf: JSONValue) -> Bool {
        switch self {
        case .equals(let expected):
            return leaf == expected
        case .exists:
            return true
        case .anythingBut(.strings(let excluded)):
            guard case .string(let string) = leaf else { return true }
            return !excluded.contains { $0.unicodeScalars.elementsEqual(string.unicodeScalars) }
        case .anythingBut(.numbers(let excluded)):
            guard case .number(let number) = leaf else { return true }
            return !excluded.contains { $0.doubleValue == number.doubleValue }
        case .numeric(let comparison):
            guard case .number(let number) = leaf else { return false }
            return comparison.contains(number.doubleValue)
        case .prefix(let prefix):
            return leaf.stringValue.map { $0.unicodeScalars.starts(with: prefix.unicodeScalars) } ?? false
        case .suffix(let suffix):
            return leaf.stringValue.map { Self.hasSuffix($0, suffix) } ?? false
        case .equalsIgnoringCase(let expected):
            return leaf.stringValue.map { Self.folded($0).elementsEqual(Self.folded(expected)) } ?? false
        case .prefixIgnoringCase(let prefix):
            return leaf.stringValue.map { Self.folded($0).starts(with: Self.folded(prefix)) } ?? false
        case .suffixIgnoringCase(let suffix):
            return leaf.stringValue.map { Self.hasSuffix($0.lowercased(), suffix.lowercased()) } ?? false
        }
    }

    private static func hasSuffix(_ string: String, _ suffix: String) -> Bool {
        string.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    private static func folded(_ string: String) -> String.UnicodeScalarView {
        string.lowercased().unicodeScalars
    }
}
