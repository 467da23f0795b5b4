/// What a function answered to a tumbling-window invocation that did not fail (`reference/events.md` §5, §6).
///
/// The function must return `{"state":{…}, "batchItemFailures":[…]}`. A response without `state` counts as a failed
/// invocation (docs), so unlike a plain stream batch, an empty or `null` body is a failure here. Function errors
/// (`X-Amz-Function-Error`) never reach this parser: their body is ignored.
///
/// Choices where the reference is silent (**uncertain**):
/// * `"state": null` counts as a missing state, and a `state` that is not an object (`"state": 5`) is a failure:
///   AWS's runtime libraries model the state as a map.
/// * `batchItemFailures` is read by ``BatchItemFailures``, exactly as for a stream batch without windows, so the two
///   never disagree: a list that is neither an array nor `null` (`"batchItemFailures": {}`) is a failure, like any
///   other unusable list (§6), and a number as `itemIdentifier` matches by its literal text.
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
        /// ``BatchItemFailures`` finds the list unusable: not a list, or an element without `itemIdentifier`, with an
        /// empty one, one that is not a string or number, or one that names no record of the batch (§6: the whole
        /// batch failed).
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
        switch BatchItemFailures(.object(response), itemIdentifiers: Set(batch.map(\.text))) {
        case .none: self = .success(state: state)
        case .reported(let identifiers):
            self = .partialFailure(state: state, failed: Set(identifiers).map(StreamSequenceNumber.init).sorted())
        case .invalid: self = .failure(.invalidBatchItemFailures)
        }
    }

    /// The state to carry on, when the response is not a failure.
    public var state: JSONObject? {
        switch self {
        case .success(let state), .partialFailure(let state, _): state
        case .failure: nil
        }
    }
}
