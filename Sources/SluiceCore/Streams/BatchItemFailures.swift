/// What a function's response says about its batch when the mapping has
/// `FunctionResponseTypes: ["ReportBatchItemFailures"]` (`reference/events.md` §6).
///
/// ```json
/// {"batchItemFailures":[{"itemIdentifier":"<id>"}]}
/// ```
///
/// AWS reads the response the way a Jackson `StreamsEventResponse` reader does, and the recorded cases follow from
/// that reading, so the cases AWS has not been recorded on follow it too (**uncertain**, chosen):
///
/// - ``none``, complete success (recorded): an empty body, `null`, `""`, `[]`, `{}`, an object without
///   `batchItemFailures` (key case matters), `{"batchItemFailures":null}`, `{"batchItemFailures":[]}`.
/// - ``invalid(_:)``, complete failure (recorded): an element without `itemIdentifier`, or with a `null` or `""`
///   one; an `itemIdentifier` that names no record of the batch (`123`).
/// - ``invalid(_:)`` too (docs for non-JSON SQS responses; chosen for the rest): a body that is not JSON; a
///   non-empty string, a number, a boolean or a non-empty array at the top; `batchItemFailures` or an element of
///   the wrong JSON type.
/// - A number as `itemIdentifier` is compared by its literal text, as Jackson coerces it into a string.
/// - Any other non-empty list: ``reported(_:)``, a partial failure.
///
/// An invalid response is treated as a whole function error; a function error (`X-Amz-Function-Error`) is never
/// parsed: its body is ignored.
public enum BatchItemFailures: Sendable, Equatable {
    /// Every record succeeded.
    case none
    /// The listed records failed: their identifiers, in response order, each one of the batch's identifiers.
    case reported([String])
    /// The response cannot be honoured: the whole batch failed.
    case invalid(Invalid)

    /// Why a response is not a usable batch-item-failure list.
    public enum Invalid: Sendable, Equatable {
        /// The body is not one JSON value.
        case notJSON
        /// The top-level value is not an object, nor one of the empty values read as success.
        case notAnObject
        /// `batchItemFailures` is neither a list nor `null`.
        case batchItemFailuresNotAList
        /// An element of the list is not an object.
        case failureNotAnObject
        /// An element has no `itemIdentifier`, or a `null` one (`{"foo":123}`).
        case missingItemIdentifier
        /// An element's `itemIdentifier` is the empty string.
        case emptyItemIdentifier
        /// An element's `itemIdentifier` is an object, array or boolean.
        case itemIdentifierNotAString
        /// An element's `itemIdentifier` names no record of the batch.
        case unknownItemIdentifier(String)
    }

    /// Reads a function's response body.
    ///
    /// - Parameters:
    ///   - response: the Invoke response payload exactly as the function returned it.
    ///   - itemIdentifiers: the identifiers of the batch's records (streams: the sequence numbers as text; SQS:
    ///     message ids). An identifier must match one of them exactly, character for character.
    public init(parsing response: [UInt8], itemIdentifiers: Set<String>) {
        guard response.contains(where: { !Self.isWhitespace($0) }) else {
            self = .none
            return
        }
        guard let value = try? JSONValue(parsing: response) else {
            self = .invalid(.notJSON)
            return
        }
        self.init(value, itemIdentifiers: itemIdentifiers)
    }

    /// Reads a function's response already parsed as JSON (for callers that need other members too, like the
    /// tumbling window's `state`).
    ///
    /// - Parameters:
    ///   - response: the parsed response.
    ///   - itemIdentifiers: the identifiers of the batch's records.
    public init(_ response: JSONValue, itemIdentifiers: Set<String>) {
        let object: JSONObject
        switch response {
        case .null:
            self = .none
            return
        case .string(let text) where text.isEmpty:
            self = .none
            return
        case .array(let elements) where elements.isEmpty:
            self = .none
            return
        case .object(let members): object = members
        default:
            self = .invalid(.notAnObject)
            return
        }
        let elements: [JSONValue]
        switch object["batchItemFailures"] {
        case nil, .null?:
            self = .none
            return
        case .array(let list)?: elements = list
        default:
            self = .invalid(.batchItemFailuresNotAList)
            return
        }
        var identifiers: [String] = []
        for element in elements {
            switch Self.identifier(of: element, itemIdentifiers: itemIdentifiers) {
            case .success(let identifier): identifiers.append(identifier)
            case .failure(let reason):
                self = .invalid(reason)
                return
            }
        }
        self = identifiers.isEmpty ? .none : .reported(identifiers)
    }

    private static func identifier(of element: JSONValue, itemIdentifiers: Set<String>) -> Result<String, Invalid> {
        guard case .object(let failure) = element else { return .failure(.failureNotAnObject) }
        let identifier: String
        switch failure["itemIdentifier"] {
        case nil, .null?: return .failure(.missingItemIdentifier)
        case .string(let text)?: identifier = text
        case .number(let number)?: identifier = number.literal
        default: return .failure(.itemIdentifierNotAString)
        }
        guard !identifier.isEmpty else { return .failure(.emptyItemIdentifier) }
        guard itemIdentifiers.contains(identifier) else { return .failure(.unknownItemIdentifier(identifier)) }
        return .success(identifier)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

extension BatchItemFailures.Invalid: Error {}
