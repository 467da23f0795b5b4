import SluiceCore

/// ReceiveMessage with long polling, and the typed receive and wake-up the Lambda poller uses
/// (`reference/semantics.md` §7; issue 3 item 6).
extension SQSEngine {
    /// ReceiveMessage: MaxNumberOfMessages 1–10 (default 1); VisibilityTimeout and WaitTimeSeconds default to the
    /// queue's. A long poll returns as soon as a message can be received: woken by a send, or at the instant a
    /// delayed or in-flight message becomes visible, never by polling.
    public func receiveMessage(
        _ input: SQS.ReceiveMessageInput, identity: RequestIdentity
    ) async throws -> SQS.ReceiveMessageOutput {
        let address = try address(input.queueUrl, identity)
        let names = (input.messageSystemAttributeNames ?? []) + (input.attributeNames ?? [])
        let selection = SQS.MessageSelection(
            systemAttributeNames: names, messageAttributeNames: input.messageAttributeNames ?? []
        )
        let messages = try await receive(
            from: address, maximum: input.maxNumberOfMessages, visibilityTimeout: input.visibilityTimeout,
            waitTimeSeconds: input.waitTimeSeconds, selection: selection
        )
        return SQS.ReceiveMessageOutput(messages: messages.isEmpty ? nil : messages)
    }

    /// Receives up to `maximum` messages of the queue at `address` (an ARN, for the poller:
    /// `SQS.QueueAddress(arn:)`), waiting up to `waitTimeSeconds` for the first. Cancellation ends the wait with
    /// what there is (nothing).
    ///
    /// - Parameters:
    ///   - maximum: 1–10; nil for 1.
    ///   - visibilityTimeout: 0–43,200 seconds; nil for the queue's.
    ///   - waitTimeSeconds: 0–20; nil for the queue's ReceiveMessageWaitTimeSeconds.
    ///   - selection: the attributes to return; the poller wants ``SQS/MessageSelection/all``.
    public func receive(
        from address: SQS.QueueAddress, maximum: Int? = nil, visibilityTimeout: Int? = nil,
        waitTimeSeconds: Int? = nil, selection: SQS.MessageSelection = .all
    ) async throws -> [SQS.Message] {
        let attributes = try existing(address).attributes
        let maximum = maximum ?? 1
        guard (1...10).contains(maximum) else {
            throw AWSError.invalidParameter(
                "MaxNumberOfMessages", value: String(maximum), reason: "Must be between 1 and 10, if provided."
            )
        }
        let wait = waitTimeSeconds ?? attributes.receiveMessageWaitTimeSeconds
        guard (0...20).contains(wait) else {
            throw AWSError.invalidParameter(
                "WaitTimeSeconds", value: String(wait), reason: "Must be >= 0 and <= 20, if provided."
            )
        }
        if let visibilityTimeout, !(0...43_200).contains(visibilityTimeout) {
            throw AWSError.invalidParameter(
                "VisibilityTimeout", value: String(visibilityTimeout), reason: "Must be >= 0 and <= 43200, if provided."
            )
        }
        let received = try await receive(
            from: address, maximum: maximum, visibilityTimeout: visibilityTimeout, waitingUpTo: .seconds(wait)
        )
        return received.map { selection.message($0.record, handle: $0.handle) }
    }

    /// The long poll under both receives: takes up to `maximum` messages, waiting up to `wait` for the first.
    /// Nothing is taken once the task is cancelled, so a stopped poller leaves later messages visible.
    func receive(
        from address: SQS.QueueAddress, maximum: Int, visibilityTimeout: Int?, waitingUpTo wait: Duration
    ) async throws -> [(record: SQS.MessageRecord, handle: String)] {
        let deadline = clock.now.advanced(by: wait)
        while true {
            let signal = signal(for: address)
            let version = signal.version
            let received = try await receiveOnce(from: address, maximum: maximum, visibilityTimeout: visibilityTimeout)
            guard received.isEmpty, clock.now < deadline, !Task.isCancelled else { return received }
            await waitForChange(of: address, signal: signal, since: version, until: deadline)
            if Task.isCancelled { return [] }
        }
    }

    /// Returns once the queue at `address` holds a message a receive would take; throws `QueueDoesNotExist` when
    /// the queue is (or gets) deleted and `CancellationError` when the task is cancelled.
    public func waitForMessages(in address: SQS.QueueAddress) async throws {
        while true {
            try Task.checkCancellation()
            let signal = signal(for: address)
            let version = signal.version
            guard queues[address] != nil else { throw AWSError.queueDoesNotExist }
            if queues[address]!.hasReceivableMessages(at: now()) { return }
            await waitForChange(of: address, signal: signal, since: version, until: nil)
        }
    }

    /// One receive: expired messages removed, visible ones taken, those past maxReceiveCount moved to the
    /// dead-letter queue, all in one commit. The queues change in place (`queues[address]!`): a copy of the state
    /// would make the first change copy every message.
    func receiveOnce(
        from address: SQS.QueueAddress, maximum: Int, visibilityTimeout: Int?
    ) async throws -> [(record: SQS.MessageRecord, handle: String)] {
        let attributes = try existing(address).attributes
        let arn = address.arn
        let time = now()
        var changes = SQS.StorageChanges()
        changes.deletedMessages = queues[address]!.expire(now: time).map(\.key)
        var deadLetterQueue: SQS.QueueAddress?
        if let policy = attributes.redrivePolicy, let target = SQS.QueueAddress(arn: policy.deadLetterTargetArn),
            target != address, queues[target] != nil
        {
            deadLetterQueue = target
        }
        let result = queues[address]!.receive(
            maximum: maximum, visibilityTimeout: visibilityTimeout ?? attributes.visibilityTimeout, now: time,
            maxReceiveCount: deadLetterQueue == nil ? nil : attributes.redrivePolicy?.maxReceiveCount
        )
        changes.upsertedMessages = result.received
        changes.deletedMessages += result.deadLettered.map(\.key)
        if let target = deadLetterQueue, !result.deadLettered.isEmpty {
            for message in result.deadLettered {
                changes.upsertedMessages.append(queues[target]!.acceptDeadLetter(message, from: arn, now: time))
            }
        }
        try await commit(changes)
        if let target = deadLetterQueue, !result.deadLettered.isEmpty { notify(target) }
        return result.received.map { message in
            let handle = SQS.ReceiptHandle(queueArn: arn, messageId: message.messageId, receiveCount: message.receiveCount)
            return (message, handle.encoded)
        }
    }

    /// Sleeps until the queue's signal moves past `version`, the next instant a hidden message becomes visible,
    /// or `deadline`, whichever comes first; returns at once when the task is cancelled.
    func waitForChange(
        of address: SQS.QueueAddress, signal: ChangeSignal, since version: UInt64, until deadline: C.Instant?
    ) async {
        var wake = deadline
        let time = now()
        if let next = queues[address]?.nextVisibilityChange(after: time) {
            let visible = clock.now.advanced(
                by: .milliseconds(next.millisecondsSinceEpoch - time.millisecondsSinceEpoch))
            wake = wake.map { min($0, visible) } ?? visible
        }
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await signal.wait(since: version) }
            if let wake {
                group.addTask { try? await clock.sleep(until: wake, tolerance: nil) }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
