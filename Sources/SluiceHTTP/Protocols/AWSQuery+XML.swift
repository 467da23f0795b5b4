import SluiceCore

/// The AWS query protocol's response side: XML as SQS and SNS write it (`reference/wire-protocols.md` §4).
extension AWSQuery {
    /// The content type of every query response, success or error.
    public static let contentType = "text/xml"

    /// A success response: `<OpResponse xmlns="…"><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId>
    /// </ResponseMetadata></OpResponse>`, status 200.
    /// - Parameters:
    ///   - action: the operation, e.g. `Publish`; names the `PublishResponse` and `PublishResult` elements.
    ///   - service: `.sqs` or `.sns`, for the namespace.
    ///   - requestID: the request id, also sent as `x-amzn-RequestId` by the server.
    ///   - result: writes the result members; `nil` leaves the result element out (operations without output, such as
    ///     `DeleteMessage`), a writer that writes nothing gives `<OpResult/>` (an empty `ReceiveMessageResult`).
    public static func response(
        action: String, service: AWSService, requestID: String, result: ((inout XMLWriter) -> Void)? = nil
    ) -> OutgoingResponse {
        var writer = XMLWriter()
        writer.root(action + "Response", namespace: service.xmlNamespace) { writer in
            if let result { writer.element(action + "Result", result) }
            writer.element("ResponseMetadata") { $0.element("RequestId", requestID) }
        }
        return OutgoingResponse(status: 200, headers: [("Content-Type", contentType)], body: Array(writer.text.utf8))
    }

    /// An error response: `<ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>
    /// </Error><RequestId>…</RequestId></ErrorResponse>` with the error's status. SQS codes are translated to their
    /// query names (`QueueDoesNotExist` → `AWS.SimpleQueueService.NonExistentQueue`, `AWSJSON.sqsQueryErrorCodes`);
    /// `Type` is `Sender` for client faults, `Receiver` for server faults.
    public static func errorResponse(_ error: AWSError, service: AWSService, requestID: String) -> OutgoingResponse {
        let code = service == .sqs ? AWSJSON.sqsQueryErrorCode(for: error.code) : error.code
        var writer = XMLWriter()
        writer.root("ErrorResponse", namespace: service.xmlNamespace) { writer in
            writer.element("Error") { writer in
                writer.element("Type", error.fault == .client ? "Sender" : "Receiver")
                writer.element("Code", code)
                writer.element("Message", error.message)
            }
            writer.element("RequestId", requestID)
        }
        return OutgoingResponse(
            status: error.status, headers: [("Content-Type", contentType)], body: Array(writer.text.utf8)
        )
    }

    /// AWS's common `MissingParameter` error of query APIs.
    public static func missingParameter(_ name: String) -> AWSError {
        AWSError(code: "MissingParameter", message: "The request must contain the parameter \(name).")
    }

    /// AWS's common `InvalidAction` error: an `Action` the service does not have (or Sluice does not serve).
    public static func invalidAction(_ action: String) -> AWSError {
        AWSError(
            code: "InvalidAction",
            message: "The action \(action) is not valid for this web service."
        )
    }

    /// AWS's common `MissingAction` error: a query request without `Action`.
    public static let missingAction = AWSError(
        code: "MissingAction", message: "The request must contain the parameter Action."
    )
}

/// Writes XML the way SQS does: no declaration, no whitespace between elements, text escaped by `escape(_:)`.
public struct XMLWriter: Sendable {
    public private(set) var text = ""

    public init() {}

    /// `<name>escaped value</name>`.
    public mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>"
        Self.escape(value, into: &text)
        text += "</\(name)>"
    }

    /// `<name>children</name>`, or `<name/>` when `children` writes nothing.
    public mutating func element(_ name: String, _ children: (inout XMLWriter) -> Void) {
        let open = "<\(name)>"
        text += open
        let lengthAfterOpen = text.utf8.count
        children(&self)
        if text.utf8.count == lengthAfterOpen {
            text.removeLast(open.count)
            text += "<\(name)/>"
        } else {
            text += "</\(name)>"
        }
    }

    /// A list: non-flattened `<Name><member>v</member>…</Name>` (SNS `Topics`) or flattened
    /// `<Name>v</Name><Name>v</Name>` (SQS `QueueUrl`).
    public mutating func list(_ name: String, _ values: [String], flattened: Bool, member: String = "member") {
        if flattened {
            for value in values { element(name, value) }
        } else {
            element(name) { writer in
                for value in values { writer.element(member, value) }
            }
        }
    }

    /// A map: flattened `<Name><key>k</key><value>v</value></Name>` per entry (SQS `Attribute`, with
    /// `key: "Name", value: "Value"`) or non-flattened `<Name><entry><key>k</key><value>v</value></entry>…</Name>`
    /// (SNS `Attributes`).
    public mutating func map(
        _ name: String, _ entries: [(key: String, value: String)], flattened: Bool,
        key: String = "key", value: String = "value"
    ) {
        let write = { (writer: inout XMLWriter, entry: (key: String, value: String)) in
            writer.element(key, entry.key)
            writer.element(value, entry.value)
        }
        if flattened {
            for entry in entries { element(name) { write(&$0, entry) } }
        } else {
            element(name) { writer in
                for entry in entries { writer.element("entry") { write(&$0, entry) } }
            }
        }
    }

    /// The document element, with the service's namespace.
    mutating func root(_ name: String, namespace: String?, _ children: (inout XMLWriter) -> Void) {
        text += namespace.map { "<\(name) xmlns=\"\($0)\">" } ?? "<\(name)>"
        children(&self)
        text += "</\(name)>"
    }

    /// Escapes text as SQS does (§4): `&` `<` `>` as entities, `"` as `&quot;` and carriage return as `&#xD;` (so
    /// XML parsers do not fold `\r\n` into `\n`); `'`, tab and line feed stay as they are.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        escape(value, into: &escaped)
        return escaped
    }

    static func escape(_ value: String, into text: inout String) {
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x0D }) else {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "\r": text += "&#xD;"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
