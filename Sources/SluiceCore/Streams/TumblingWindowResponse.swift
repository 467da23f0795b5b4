/// What a function answered to a tumbling-window invocation that did not fail (`reference/events.md` §5, §6).
///
/// The function must return `{"state":{…}, "batchItemFailures":[…]}`. A response without `state` counts as a failed
/// invocation (docs), so unlike a plain stream batch, an empty or `null` body is a failure here. Function errors
/// (`X-Amz-Function-Error`) never reach this parser: their body is ignored.
///
/// Choices where the reference is silent (**uncertain**):
/// * `"state": null` counts as a missing state, and a `state` that is not an object (`"state": 5`) is a failure:
///   AWS's runtime libraries model the state as a map.
/// * `batchItemFailures` that is neither an array nor `null` (`"batchItemFailures": {}`) is a failure, like any
///   other unusable list (§6).
public enum TumblingWindowResponse: Sendable, Equatable {
    /// Every record is done; `state` goes to the next invocation of the window.
    case success(state: JSONObject)
    /// `state` and a usable, non-empty failure list (only with `ReportBatchItemFailures`): the failed sequence
    /// numbers, ascending and without duplicates; the stream retries from the first of them (§6).
    case partialFailure(state: JSONObject, failed: [StreamSequenceNumber])
    /// Treated as a failed invocation: retried under the mapping's retry rules.
    case failure(Failure)

    public enum Failure: Sendable, Equatable {
        /// The body is not a JSON object: empty, `null`, an array, a string, or not JSON at all.
        case notAnObject
        /// No `state` key, or `"state": null`.
        case missingState
        /// `state` is a number, string, boolean or array.
        case stateNotAnObject
        /// `batchItemFailures` is not a list, or one of its elements has no `itemIdentifier`, an empty or non-string
        /// one, or one that names no record of the batch (§6: the whole batch failed).
        case invalidBatchItemFailures
    }

    /// Reads a window response body.
    ///
    /// - Parameters:
    ///   - body: the function's response payload.
    ///   - batch: the sequence numbers of the records the invocation carried.
    ///   - reportBatchItemFailures: whether the mapping's `FunctionResponseTypes` has `ReportBatchItemFailures`;
    ///     without it, `batchItemFailures` is ignored.
    public init(parsing body: [UInt8], batch: some Sequence<StreamSequenceNumber>, reportBatchItemFailures: Bool) {
        guard case .object(let response)? = try? JSONValue(parsing: body) else {
            self = .failure(.notAnObject)
            return
        }
        let state: JSONObject
        switch response["state"] {
        case nil, .null?:
            self = .failure(.missingState)
            return
        case .object(let object)?:
            state = object
        case .bool?, .number?, .string?, .array?:
            self = .failure(.stateNotAnObject)
            return
        }
        guard reportBatchItemFailures else {
            self = .success(state: state)
            return
        }
        switch Self.failedSequenceNumbers(response["batchItemFailures"], batch: batch) {
        case nil: self = .failure(.invalidBatchItemFailures)
        case let failed? where failed.isEmpty: self = .success(state: state)
        case let failed?: self = .partialFailure(state: state, failed: failed)
        }
    }

    /// The state to carry on, when the response is not a failure.
    public var state: JSONObject? {
        switch self {
        case .success(let state), .partialFailure(let state, _): state
        case .failure: nil
        }
    }

    /// The listed sequence numbers (empty for an absent, `null` or empty list), or `nil` when the list is unusable.
    private static func failedSequenceNumbers(_ list: JSONValue?, batch: some Sequence<StreamSequenceNumber>)
        -> [StreamSequenceNumber]?
    {
        let elements: [JSONValue]
        switch list {
        case nil, .null?: return []
        case .array(let array)?: elements = array
        case .bool?, .number?, .string?, .object?: return nil
        }
        guard !elements.isEmpty else { return [] }
        let sequenceNumbers = Set(batch.map(\.text))
        var failed = Set<StreamSequenceNumber>()
        for element in elements {
            guard case .string(let identifier)? = element["itemIdentifier"], sequenceNumbers.contains(identifier) else {
                return nil
            }
            failed.insert(StreamSequenceNumber(identifier))
        }
        return failed.sorted()
    }
}
