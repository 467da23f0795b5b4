/// How one invoked SQS batch is settled: which messages to delete and which to leave in flight, so that they
/// reappear once their visibility timeout ends (`reference/semantics.md` §7, `reference/events.md` §6).
///
/// - The function returned: every message is deleted. With `ReportBatchItemFailures` the response is read as a
///   batch-item-failure list (``BatchItemFailures``, `itemIdentifier` = `messageId`): an empty one (nothing, `null`,
///   `""`, `[]`, `{}`, `{"batchItemFailures":[]}` or `null`) deletes everything; a list of messageIds of the batch
///   deletes all but those; a response that cannot be honoured (not JSON, an element without `itemIdentifier`, an
///   empty one, one that names no message of the batch, …) deletes nothing. Without `ReportBatchItemFailures` the
///   body is ignored.
/// - The function failed (`X-Amz-Function-Error`): nothing is deleted; the body is not read.
/// - The invocation was not made (throttled, function missing): nothing is deleted; the messages return to the queue
///   as a throttled batch does on AWS.
/// - FIFO: messages of one `MessageGroupId` must be processed in order, so once a message of a group is left in
///   flight, the later messages of that group in the batch are left too, even when the function did not list them
///   (§7: AWS advises functions to report them; Sluice enforces it, **chosen**). Earlier messages of the group, and
///   other groups, are still deleted.
///
/// Messages left in flight are not made visible early: Lambda does not change their visibility (§7).
public struct SQSBatchOutcome: Sendable, Equatable {
    /// The messages of the invoked batch, in the order the function received them.
    public var messages: [SQSReceivedMessage]
    /// Whether the mapping's `FunctionResponseTypes` holds `ReportBatchItemFailures`.
    public var reportBatchItemFailures: Bool
    /// Whether the queue is a FIFO queue (its name ends in `.fifo`).
    public var isFIFO: Bool

    /// What the poller does with the batch's messages.
    public struct Action: Sendable, Equatable {
        /// Messages to delete, in batch order.
        public var delete: [SQSReceivedMessage]
        /// Messages to leave in flight: they reappear after their visibility timeout, their receive count grows,
        /// and the queue's redrive policy may move them to its dead-letter queue.
        public var leave: [SQSReceivedMessage]

        public init(delete: [SQSReceivedMessage] = [], leave: [SQSReceivedMessage] = []) {
            self.delete = delete
            self.leave = leave
        }

        /// ``delete`` cut into `DeleteMessageBatch` calls of at most 10 entries each (§7).
        public var deleteMessageBatches: [[SQSReceivedMessage]] {
            stride(from: 0, to: delete.count, by: 10).map { Array(delete[$0..<min($0 + 10, delete.count)]) }
        }
    }

    /// - Parameters:
    ///   - messages: the invoked batch, in order; each message with the receipt handle of this receive.
    ///   - reportBatchItemFailures: whether the function's response is read as a batch-item-failure list.
    ///   - isFIFO: whether failures hold back the later messages of their group.
    public init(messages: [SQSReceivedMessage], reportBatchItemFailures: Bool, isFIFO: Bool = false) {
        self.messages = messages
        self.reportBatchItemFailures = reportBatchItemFailures
        self.isFIFO = isFIFO
    }

    // MARK: Events

    /// The function returned without `X-Amz-Function-Error`.
    ///
    /// - Parameter response: the response payload, read only with `ReportBatchItemFailures`.
    public func functionReturned(_ response: [UInt8]) -> Action {
        guard reportBatchItemFailures else { return Action(delete: messages) }
        switch BatchItemFailures(parsing: response, itemIdentifiers: Set(messages.map(\.messageId))) {
        case .none: return Action(delete: messages)
        case .invalid: return Action(leave: messages)
        case .reported(let failed): return settle(failed: Set(failed))
        }
    }

    /// The function failed: handled or unhandled error, timeout, crash. The body is not read.
    public func functionFailed() -> Action {
        Action(leave: messages)
    }

    /// The invocation was not made: throttled (429), function missing or inactive, service error.
    public func invocationNotMade() -> Action {
        Action(leave: messages)
    }

    // MARK: Rules

    private func settle(failed: Set<String>) -> Action {
        var action = Action()
        var blockedGroups: Set<String> = []
        for message in messages {
            let blocked = isFIFO && message.messageGroupId.map(blockedGroups.contains) == true
            guard failed.contains(message.messageId) || blocked else {
                action.delete.append(message)
                continue
            }
            action.leave.append(message)
            if isFIFO, let group = message.messageGroupId { blockedGroups.insert(group) }
        }
        return action
    }
}
