import Foundation
import SluiceCore

/// The AWS JSON 1.0 / 1.1 codec of Kinesis, DynamoDB, DynamoDB Streams and SQS (`reference/wire-protocols.md` §3):
/// request bodies into `Decodable` values with each service's errors for bad input, values into success bodies,
/// `AWSError` into `{"__type":…,"message":…}` (plus `x-amzn-query-error` for SQS, whose model is
/// `awsQueryCompatible`). Blobs are base64 and timestamps epoch seconds, in both directions; success bodies have
/// their keys sorted, so they are byte-for-byte stable.
///
/// `AWSError.code` is the JSON (model shape) name, e.g. `QueueDoesNotExist`; the query name is derived here. The
/// server adds `x-amzn-RequestId`; no `x-amz-crc32` is sent (botocore verifies it only when present).
public enum AWSJSON {
    /// `application/x-amz-json-1.0` or `…-1.1`.
    public static func contentType(version: String) -> String {
        "application/x-amz-json-\(version)"
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    /// Decodes a request body; an empty body is `{}`.
    ///
    /// Malformed JSON and members of the wrong type are `SerializationException`. A missing (or `null`) required
    /// member is what the service answers: SQS `MissingRequiredParameterException` (query code `MissingParameter`),
    /// the others Coral's `ValidationException` (`1 validation error detected: Value null at 'streamName' …`).
    /// - Parameters:
    ///   - type: the operation's input; non-optional properties are the required members.
    ///   - body: the body as received.
    ///   - service: whose error conventions apply.
    public static func decode<T: Decodable>(
        _ type: T.Type, from body: [UInt8], service: AWSService
    ) throws(AWSError) -> T {
        let data = body.isEmpty ? Data("{}".utf8) : Data(body)
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw decodingError(error, body: data, service: service)
        } catch {
            throw serializationError("The request body could not be read as JSON: \(error)")
        }
    }

    static func decodingError(_ error: DecodingError, body: Data, service: AWSService) -> AWSError {
        switch error {
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else {
                return serializationError("The request body must be a JSON object")
            }
            let expected = name(of: type)
            return serializationError("Could not deserialize \(wirePath(context.codingPath)): expected \(expected)")
        case .keyNotFound(let key, let context):
            return missingMember(context.codingPath + [key], service: service)
        case .valueNotFound(_, let context):
            return missingMember(context.codingPath, service: service)
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else {
                // Foundation reports a number that does not fit its member (1.5 for an integer) without a path.
                if (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) != nil {
                    return serializationError("A number in the request body does not fit the type of its member")
                }
                let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return serializationError("The request body is not valid JSON" + (detail.map { ": \($0)" } ?? "."))
            }
            let path = wirePath(context.codingPath)
            return serializationError("Could not deserialize \(path): \(context.debugDescription)")
        @unknown default:
            return serializationError("The request body could not be deserialized")
        }
    }

    static func missingMember(_ path: [any CodingKey], service: AWSService) -> AWSError {
        if service == .sqs {
            return AWSError(
                code: "MissingRequiredParameterException",
                message: "The request must contain the parameter \(queryPath(path))."
            )
        }
        var errors = ValidationErrors()
        errors.addMissing(path: validationPath(path))
        return errors.error ?? .validation(validationPath(path))
    }

    /// `Records[0].Data`: the member as the client wrote it.
    static func wirePath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    /// `Entries.1.Id`: the member as a query client would name it (1-based, dotted).
    static func queryPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { String($0 + 1) } ?? $0.stringValue }.joined(separator: ".")
    }

    /// `records.1.member.data`: the member as Coral's validation messages name it.
    static func validationPath(_ path: [any CodingKey]) -> String {
        path.map { key in
            if let index = key.intValue { return "\(index + 1).member" }
            return key.stringValue.prefix(1).lowercased() + key.stringValue.dropFirst()
        }.joined(separator: ".")
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is String.Type: "a string"
        case is Data.Type: "a base64 string"
        case is Date.Type: "a timestamp in epoch seconds"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// A success response: status 200, the protocol's content type, the value's JSON (`{}` for no members).
    /// - Parameters:
    ///   - value: the operation's output.
    ///   - service: the service answering.
    ///   - version: the request's JSON version (`ServiceProtocol.awsJSON(version:)`); the model's when `nil`.
    public static func response<T: Encodable>(
        _ value: T, service: AWSService, version: String? = nil
    ) throws(AWSError) -> OutgoingResponse {
        let body: Data
        do {
            body = try encoder.encode(value)
        } catch {
            throw AWSError(
                code: "InternalFailure", message: "The response could not be encoded: \(error)", status: 500,
                fault: .server
            )
        }
        return OutgoingResponse(status: 200, headers: headers(service: service, version: version), body: Array(body))
    }

    /// A success response without output members: `{}`.
    public static func emptyResponse(service: AWSService, version: String? = nil) -> OutgoingResponse {
        OutgoingResponse(status: 200, headers: headers(service: service, version: version), body: Array("{}".utf8))
    }

    /// An error response: the error's status and `{"__type":"<type>","message":"<text>"}` (extra members follow,
    /// sorted). `__type` is namespaced as each service does: DynamoDB and DynamoDB Streams
    /// `com.amazonaws.dynamodb.v20120810#Code`, SQS `com.amazonaws.sqs#Code`, Coral's generic errors
    /// `com.amazon.coral.service#Code` / `com.amazon.coral.validate#ValidationException`; Kinesis bare. SQS adds
    /// `x-amzn-query-error: <query code>;Sender|Receiver`.
    public static func errorResponse(
        _ error: AWSError, service: AWSService, version: String? = nil
    ) -> OutgoingResponse {
        var body = "{\"__type\":" + quoted(errorType(error.code, service: service))
        body += ",\"message\":" + quoted(error.message)
        for (name, value) in error.extraMembers.sorted(by: { $0.key < $1.key }) {
            body += "," + quoted(name) + ":" + quoted(value)
        }
        body += "}"
        var headers = headers(service: service, version: version)
        if service == .sqs {
            let fault = error.fault == .client ? "Sender" : "Receiver"
            headers.append(("x-amzn-query-error", "\(sqsQueryErrorCode(for: error.code));\(fault)"))
        }
        return OutgoingResponse(status: error.status, headers: headers, body: Array(body.utf8))
    }

    private static func headers(service: AWSService, version: String?) -> [(name: String, value: String)] {
        [("Content-Type", contentType(version: version ?? service.jsonVersion ?? "1.0"))]
    }

    /// The `__type` of an error body (see `errorResponse`).
    static func errorType(_ code: String, service: AWSService) -> String {
        let namespace: String
        switch service {
        case .dynamoDB, .dynamoDBStreams: namespace = "com.amazonaws.dynamodb.v20120810"
        case .sqs: namespace = "com.amazonaws.sqs"
        case .kinesis, .lambda, .sns: return code
        }
        if code == "ValidationException" { return "com.amazon.coral.validate#" + code }
        if coralServiceCodes.contains(code) { return "com.amazon.coral.service#" + code }
        return namespace + "#" + code
    }

    /// Errors the Coral framework raises before a service's own code runs (generic, not in the service's model).
    static let coralServiceCodes: Set<String> = [
        "SerializationException", "UnknownOperationException", "InvalidParameterValueException",
        "MissingRequiredParameterException", "AccessDeniedException", "InternalFailure",
    ]

    /// A JSON string literal (``JSONValue/quoted(_:)``).
    static func quoted(_ text: String) -> String { JSONValue.quoted(text) }

    /// `SerializationException`, 400: malformed JSON or a member of the wrong type.
    public static func serializationError(_ message: String) -> AWSError {
        AWSError(code: "SerializationException", message: message)
    }

    /// `UnknownOperationException`, 400: an `X-Amz-Target` operation the service does not have (or Sluice does not
    /// serve), or none at all (§2 step 1).
    public static func unknownOperation(_ operation: String?) -> AWSError {
        AWSError(
            code: "UnknownOperationException",
            message: operation.map { "Unknown operation \($0)" } ?? "The request names no operation"
        )
    }

    /// SQS error codes whose query-protocol name differs from the JSON one (`reference/wire-protocols.md` §3 and the
    /// model's `aws.protocols#awsQueryError` traits); every other code keeps its name.
    public static let sqsQueryErrorCodes: [String: String] = [
        "QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue",
        "QueueNameExists": "QueueAlreadyExists",
        "InvalidParameterValueException": "InvalidParameterValue",
        "MissingRequiredParameterException": "MissingParameter",
        "AccessDeniedException": "AccessDenied",
        "BatchEntryIdsNotDistinct": "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "BatchRequestTooLong": "AWS.SimpleQueueService.BatchRequestTooLong",
        "EmptyBatchRequest": "AWS.SimpleQueueService.EmptyBatchRequest",
        "InvalidBatchEntryId": "AWS.SimpleQueueService.InvalidBatchEntryId",
        "MessageNotInflight": "AWS.SimpleQueueService.MessageNotInflight",
        "PurgeQueueInProgress": "AWS.SimpleQueueService.PurgeQueueInProgress",
        "QueueDeletedRecently": "AWS.SimpleQueueService.QueueDeletedRecently",
        "TooManyEntriesInBatchRequest": "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "UnsupportedOperation": "AWS.SimpleQueueService.UnsupportedOperation",
        "KmsAccessDenied": "KMS.AccessDeniedException",
        "KmsDisabled": "KMS.DisabledException",
        "KmsInvalidKeyUsage": "KMS.InvalidKeyUsageException",
        "KmsInvalidState": "KMS.InvalidStateException",
        "KmsNotFound": "KMS.NotFoundException",
        "KmsOptInRequired": "KMS.OptInRequired",
        "KmsThrottled": "KMS.ThrottlingException",
    ]

    /// The query-protocol name of an SQS error code.
    public static func sqsQueryErrorCode(for code: String) -> String {
        sqsQueryErrorCodes[code] ?? code
    }
}
