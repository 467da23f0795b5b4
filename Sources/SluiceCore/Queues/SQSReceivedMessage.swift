/// What the SQS poller must remember of a received message to settle its batch: the id the function reports
/// failures by, the handle that deletes it, and (FIFO) its group.
///
/// `reference/events.md` §3: `messageId` is the `itemIdentifier` of a batch item failure; each receive yields a new
/// `receiptHandle`, and only the latest one deletes the message.
public struct SQSReceivedMessage: Sendable, Equatable, Hashable {
    /// `MessageId`, a lowercase UUID.
    public var messageId: String
    /// The `ReceiptHandle` of this receive.
    public var receiptHandle: String
    /// `MessageGroupId` on a FIFO queue; `nil` on a standard queue.
    public var messageGroupId: String?

    /// - Parameters:
    ///   - messageId: the message's `MessageId`.
    ///   - receiptHandle: the handle this receive returned.
    ///   - messageGroupId: the FIFO group, `nil` on a standard queue.
    public init(messageId: String, receiptHandle: String, messageGroupId: String? = nil) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.messageGroupId = messageGroupId
    }
}
