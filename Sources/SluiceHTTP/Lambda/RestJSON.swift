import Foundation
import SluiceCore

/// The Lambda API's rest-json codec: request bodies into typed requests (with AWS's errors for bad JSON), and
/// `AWSError` into the error shape botocore parses (`reference/esm-api.md` §6).
enum RestJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Decodes a body; an empty body is `{}`.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(AWSError) -> T {
        let data = body.isEmpty ? Data("{}".utf8) : Data(body)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw awsError(for: error)
        } catch {
            throw .invalidRequestContent("Could not parse request body into json: \(error)")
        }
    }

    static func awsError(for error: DecodingError) -> AWSError {
        switch error {
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return .invalidRequestContent("Could not parse request body into json: expected a JSON object")
            }
            return .invalidRequestContent(
                "Could not parse request body into json: Could not deserialize \(wirePath(context.codingPath)): "
                    + "expected \(typeName(type))"
            )
        case .keyNotFound(let key, let context):
            return missing(path: memberPath(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return missing(path: memberPath(context.codingPath))
        case .dataCorrupted(let context):
            let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .invalidRequestContent(
                "Could not parse request body into json: \(detail ?? context.debugDescription)"
            )
        @unknown default:
            return .invalidRequestContent("Could not parse request body into json")
        }
    }

    private static func missing(path: String) -> AWSError {
        var errors = ValidationErrors()
        errors.addMissing(path: path)
        return errors.error ?? .validation(path)
    }

    /// The member as the client wrote it: `FilterCriteria.Filters[0].Pattern`.
    static func wirePath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    /// `FilterCriteria.Filters[0].Pattern` → `filterCriteria.filters.1.member.pattern`, the validation form.
    static func memberPath(_ path: [any CodingKey]) -> String {
        path.map { key -> String in
            if let index = key.intValue { return "\(index + 1).member" }
            let name = key.stringValue
            return name.prefix(1).lowercased() + name.dropFirst()
        }.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is String.Type: "a string"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// The error response: `X-Amzn-ErrorType` plus `{"Type": "User", "Message"|"message": …}` as the model spells
    /// the member; ValidationException carries `message` alone (recorded).
    static func errorResponse(_ error: AWSError) -> OutgoingResponse {
        var body: [String: String] = error.extraMembers
        body[error.messageKey.rawValue] = error.message
        if error.code != "ValidationException" {
            body["Type"] = error.fault.rawValue
        }
        let bytes = (try? encoder.encode(body)).map(Array.init) ?? Array("{}".utf8)
        return OutgoingResponse(
            status: error.status,
            headers: [("Content-Type", "application/json"), ("X-Amzn-ErrorType", error.code)]
                + error.extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            body: bytes
        )
    }
}
