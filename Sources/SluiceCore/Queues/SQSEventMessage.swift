/// One received SQS message as the Lambda SQS event shows it (`reference/events.md` §3): what the engine fills from
/// the embedded SQS's ReceiveMessage result and ``SQSEventEncoder`` writes.
///
/// Attributes are ordered lists, not dictionaries, so the event's key order is decided once, by whoever builds the
/// message (``orderedAttributes(_:)`` gives AWS's order), and an encoded event is reproducible byte for byte.
public struct SQSEventMessage: Sendable, Equatable {
    /// `messageId`, a lowercase UUID; also the `itemIdentifier` of a batch item failure (§6).
    public var messageId: String
    /// `receiptHandle` of this receive; opaque.
    public var receiptHandle: String
    /// `body`, the message body unchanged (a JSON body stays a string).
    public var body: String
    /// `attributes`: system attribute names to string values (timestamps in epoch milliseconds), in event order.
    public var attributes: [Attribute]
    /// `messageAttributes`, in event order.
    public var messageAttributes: [MessageAttribute]
    /// `md5OfMessageAttributes`: hex MD5 of the message attributes, `nil` (written `null`) when there are none.
    public var md5OfMessageAttributes: String?
    /// `md5OfBody`: hex MD5 of the UTF-8 body.
    public var md5OfBody: String

    /// - Parameters:
    ///   - messageId: the message's `MessageId`.
    ///   - receiptHandle: the handle this receive returned.
    ///   - body: the body, unchanged.
    ///   - attributes: system attributes in event order (see ``orderedAttributes(_:)``).
    ///   - messageAttributes: message attributes in event order.
    ///   - md5OfMessageAttributes: ReceiveMessage's `MD5OfMessageAttributes`, `nil` without message attributes.
    ///   - md5OfBody: ReceiveMessage's `MD5OfBody`.
    public init(
        messageId: String, receiptHandle: String, body: String, attributes: [Attribute],
        messageAttributes: [MessageAttribute] = [], md5OfMessageAttributes: String? = nil, md5OfBody: String
    ) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.attributes = attributes
        self.messageAttributes = messageAttributes
        self.md5OfMessageAttributes = md5OfMessageAttributes
        self.md5OfBody = md5OfBody
    }

    /// A system attribute: `"ApproximateReceiveCount":"1"`.
    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A message attribute:
    /// `"name":{"stringValue":"6","stringListValues":[],"binaryListValues":[],"dataType":"Number"}`.
    public struct MessageAttribute: Sendable, Equatable {
        public var name: String
        /// `String`, `Number`, `Binary`, or one of them with a custom `.suffix`.
        public var dataType: String
        public var value: Value

        public enum Value: Sendable, Equatable {
            /// `stringValue`, for `String` and `Number` types.
            case string(String)
            /// `binaryValue`, written as padded standard base64, for `Binary` types.
            case binary([UInt8])
        }

        public init(name: String, dataType: String, value: Value) {
            self.name = name
            self.dataType = dataType
            self.value = value
        }
    }

    /// The order the system attributes take in the event: the four every message has, then FIFO's three, then
    /// the ones that appear only when present (§3). Names not listed follow, sorted, so nothing is dropped.
    public static let attributeOrder = [
        "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
        "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader", "DeadLetterQueueSourceArn",
    ]

    /// `attributes` (as ReceiveMessage returns them, a dictionary) in ``attributeOrder``.
    ///
    /// - Parameters:
    ///   - attributes: system attribute names to values.
    public static func orderedAttributes(_ attributes: [String: String]) -> [Attribute] {
        let known = attributeOrder.compactMap { name in attributes[name].map { Attribute(name, $0) } }
        let others = attributes.filter { !attributeOrder.contains($0.key) }.sorted { $0.key < $1.key }
        return known + others.map { Attribute($0.key, $0.value) }
    }
}
