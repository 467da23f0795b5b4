extension SQS {
    /// Which attributes a ReceiveMessage returns: system attributes by name (`MessageSystemAttributeNames`, or the
    /// legacy `AttributeNames`, both accepted, `All` for every one) and message attributes by name, `prefix.*`, or
    /// `All` / `.*` (model docs of ReceiveMessage; `reference/wire-protocols.md` §7).
    public struct MessageSelection: Sendable, Equatable {
        public var systemAttributeNames: Set<String>
        public var messageAttributeNames: [String]

        public init(systemAttributeNames: [String] = [], messageAttributeNames: [String] = []) {
            self.systemAttributeNames = Set(systemAttributeNames)
            self.messageAttributeNames = messageAttributeNames
        }

        /// Everything: what the Lambda poller asks for (`reference/semantics.md` §7).
        public static let all = MessageSelection(systemAttributeNames: ["All"], messageAttributeNames: ["All"])

        func wantsSystemAttribute(_ name: String) -> Bool {
            systemAttributeNames.contains("All") || systemAttributeNames.contains(name)
        }

        func wantsMessageAttribute(_ name: String) -> Bool {
            messageAttributeNames.contains { pattern in
                if pattern == "All" || pattern == ".*" { return true }
                if pattern.hasSuffix(".*") { return name.hasPrefix(pattern.dropLast(2)) }
                return pattern == name
            }
        }

        /// The message as ReceiveMessage returns it, with `handle`; MD5OfMessageAttributes covers the attributes
        /// returned (the SDKs check it against them).
        func message(_ record: MessageRecord, handle: String) -> Message {
            var system: [String: String] = [
                "SenderId": record.senderId,
                "SentTimestamp": String(record.sentTimestamp.millisecondsSinceEpoch),
                "ApproximateReceiveCount": String(record.receiveCount),
                "ApproximateFirstReceiveTimestamp": String(
                    (record.firstReceiveTimestamp ?? record.sentTimestamp).millisecondsSinceEpoch
                ),
            ]
            system["AWSTraceHeader"] = record.awsTraceHeader
            system["DeadLetterQueueSourceArn"] = record.deadLetterQueueSourceArn
            system["MessageGroupId"] = record.messageGroupId
            system["MessageDeduplicationId"] = record.messageDeduplicationId
            system["SequenceNumber"] = record.sequenceNumber
            let attributes = system.filter { wantsSystemAttribute($0.key) }
            let messageAttributes = record.messageAttributes.filter { wantsMessageAttribute($0.key) }
            return Message(
                messageId: record.messageId, receiptHandle: handle, md5OfBody: record.md5OfBody, body: record.body,
                attributes: attributes.isEmpty ? nil : attributes,
                md5OfMessageAttributes: MessageDigest.md5OfAttributes(messageAttributes),
                messageAttributes: messageAttributes.isEmpty ? nil : messageAttributes
            )
        }
    }
}
