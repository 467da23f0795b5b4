/// What an SQS mapping reads and deletes (`reference/semantics.md` §7): a long-polling receive that returns messages
/// as the Lambda event shows them, and a delete by receipt handle. A port, so the poller's driver needs no source;
/// the embedded SQS implements it, and so will an external queue.
public protocol QueueSource: Sendable {
    /// Receives up to `maximum` messages of the queue, with every system and message attribute, waiting up to `wait`
    /// for the first. Received messages stay hidden for the queue's visibility timeout; a queue redrive policy moves
    /// a message received too often to its dead-letter queue. Cancellation ends the wait with nothing received.
    ///
    /// - Parameters:
    ///   - queueArn: the mapping's `EventSourceArn`.
    ///   - maximum: 1 to ``maximumMessagesPerReceive``.
    ///   - wait: the long poll, at most 20 s; `.zero` returns at once.
    func receive(queueArn: String, maximum: Int, waitingUpTo wait: Duration) async throws -> [SQSEventMessage]

    /// The most messages one ``receive(queueArn:maximum:waitingUpTo:)`` takes: 10 for a queue read with
    /// ReceiveMessage; an in-process queue may take a whole batch in one step, as that many consecutive
    /// ReceiveMessage calls would.
    var maximumMessagesPerReceive: Int { get }

    /// Deletes the messages these receipt handles were issued for, as `DeleteMessageBatch` calls of at most 10
    /// would. A handle of an earlier receive, or of a message already gone, deletes nothing and is no error.
    func delete(queueArn: String, receiptHandles: [String]) async throws
}

extension SQSEventMessage {
    /// `MessageGroupId` of a FIFO message; `nil` on a standard queue.
    public var messageGroupId: String? {
        attributes.first { $0.name == "MessageGroupId" }?.value
    }

    /// What settling its batch needs of this message.
    public var received: SQSReceivedMessage {
        SQSReceivedMessage(messageId: messageId, receiptHandle: receiptHandle, messageGroupId: messageGroupId)
    }
}
