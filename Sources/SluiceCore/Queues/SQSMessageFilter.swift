/// An SQS mapping's `FilterCriteria`, applied to received messages (`reference/semantics.md` §6.3, §7). A message
/// no filter matches is deleted from the queue at once, never delivered.
///
/// A message is kept when it matches any of the filters (an empty list keeps everything). Patterns are matched
/// against the message as the event's record shows it, without the keys Lambda adds after filtering
/// (`eventSource`, `eventSourceARN`, `awsRegion`):
///
/// ```json
/// {"messageId":"…","receiptHandle":"…","body":{"kind":"order"},"attributes":{"ApproximateReceiveCount":"1",…},
///  "messageAttributes":{"color":{"stringValue":"red","dataType":"String"}},"md5OfBody":"…"}
/// ```
///
/// `body` is read in the format the pattern asks for (§6.3):
/// - a pattern that gives `body` an object (`{"body":{"kind":["order"]}}`) sees the body parsed as a JSON object;
/// - a pattern that gives `body` conditions (`{"body":["ping"]}`) sees the raw body string.
///
/// When the body is not in that format (not a JSON object for the first, a JSON object for the second), the pattern
/// levels naming `body` fail whatever their condition, and the pattern's other keys still apply: AWS's "format
/// mismatch → the message is dropped" (**chosen**: a body is "JSON" when it parses as an object; `"123"` is plain).
public struct SQSMessageFilter: Sendable {
    /// The mapping's `FilterCriteria.Filters`, parsed.
    public let patterns: [FilterPattern]
    /// How each pattern reads `body`, worked out once rather than per message.
    private let bodyFormats: [BodyFormat]

    /// - Parameters:
    ///   - patterns: the mapping's parsed filters.
    public init(_ patterns: [FilterPattern]) {
        self.patterns = patterns
        bodyFormats = patterns.map(Self.bodyFormat(of:))
    }

    /// The filters of a mapping's configuration (already validated at Create / Update).
    ///
    /// - Parameters:
    ///   - criteria: the mapping's `FilterCriteria`; `nil` or no filters keeps every message.
    public init(_ criteria: FilterCriteria?) throws(FilterPatternError) {
        var patterns: [FilterPattern] = []
        for filter in criteria?.filters ?? [] {
            patterns.append(try FilterPattern(parsing: filter.pattern ?? ""))
        }
        self.init(patterns)
    }

    /// Whether the mapping delivers `message`: it matches at least one filter, or there are none.
    ///
    /// - Parameters:
    ///   - message: a received message.
    public func matches(_ message: SQSEventMessage) -> Bool {
        guard !patterns.isEmpty else { return true }
        let metadata = Self.metadata(of: message)
        var parsedBody: JSONValue??
        func jsonBody() -> JSONValue? {
            if let parsedBody { return parsedBody }
            let parsed = try? JSONValue(parsing: Array(message.body.utf8))
            let object: JSONValue? = if case .object = parsed { parsed } else { nil }
            parsedBody = .some(object)
            return object
        }
        return zip(patterns, bodyFormats).contains { pattern, format in
            let body: JSONValue? =
                switch format {
                case .json: jsonBody()
                case .plain: jsonBody() == nil ? .string(message.body) : nil
                case .unnamed: .string(message.body)
                }
            guard let body else { return pattern.matches(.object(metadata), unreadableKey: "body") }
            var record = metadata
            record["body"] = body
            return pattern.matches(.object(record))
        }
    }

    /// The record without `body`.
    static func metadata(of message: SQSEventMessage) -> JSONObject {
        var attributes = JSONObject()
        for attribute in message.attributes { attributes[attribute.name] = .string(attribute.value) }
        var messageAttributes = JSONObject()
        for attribute in message.messageAttributes {
            var value = JSONObject()
            switch attribute.value {
            case .string(let text): value["stringValue"] = .string(text)
            case .binary(let bytes):
                var writer = PayloadWriter(capacity: PayloadWriter.base64Size(bytes.count))
                writer.writeBase64(bytes)
                value["binaryValue"] = .string(String(decoding: writer.bytes, as: UTF8.self))
            }
            value["dataType"] = .string(attribute.dataType)
            messageAttributes[attribute.name] = .object(value)
        }
        var metadata = JSONObject()
        metadata["messageId"] = .string(message.messageId)
        metadata["receiptHandle"] = .string(message.receiptHandle)
        metadata["attributes"] = .object(attributes)
        metadata["messageAttributes"] = .object(messageAttributes)
        metadata["md5OfBody"] = .string(message.md5OfBody)
        metadata["md5OfMessageAttributes"] = message.md5OfMessageAttributes.map(JSONValue.string) ?? .null
        return metadata
    }

    enum BodyFormat { case json, plain, unnamed }

    /// How `pattern` reads `body`: as a JSON object when some level gives it an object, as the raw string when it
    /// gives conditions only, or not at all.
    static func bodyFormat(of pattern: FilterPattern) -> BodyFormat {
        var format = BodyFormat.unnamed
        func visit(_ pattern: FilterPattern) {
            switch pattern.rule(forKey: "body") {
            case .nested: format = .json
            case .anyOf: if format == .unnamed { format = .plain }
            case nil: break
            }
            pattern.alternatives.forEach(visit)
        }
        visit(pattern)
        return format
    }
}
