import SluiceCore

extension SQSMappingWorker {
    /// Poller `index`: receive, filter, batch, invoke, settle, until the task is cancelled or the scaling target
    /// drops to `index` or below (then it first invokes what it holds). Under a batching window, one poller at a time
    /// receives to fill its batch (``SQSPollerPool/gather(_:)``).
    func poll(_ index: Int) async {
        var updateVersion = pool.updates.version
        var (settings, version) = pool.settings
        var batcher = SQSBatcher(settings: settings.batching)
        var action = SQSBatcher.Action.none
        var receiveFailures = 0
        var refusals = 0
        var batcherVersion = version
        /// Takes an update's settings: the filter and the function at once, the batcher's at the top of the loop.
        func refresh() {
            updateVersion = pool.updates.version
            (settings, version) = pool.settings
        }
        defer { pool.stopGathering(index) }
        while !Task.isCancelled {
            if case .invoke(let batch) = action {
                pool.stopGathering(index)
                refusals = await invoke(batch, settings) ? 0 : refusals + 1
                if refusals > 0 { try? await clock.sleep(for: backoff.delay(afterFailures: refusals - 1)) }
                action = batcher.batchFinished(now: now())
                continue
            }
            refresh()
            if batcherVersion != version {
                batcherVersion = version
                action = batcher.settingsChanged(settings.batching, now: now())
                continue
            }
            guard pool.keepsPolling(index, holdingMessages: !batcher.buffered.isEmpty) else { return }
            var wait = Self.longPoll
            if case .sleep(let deadline) = action {
                wait = .milliseconds(max(0, deadline.millisecondsSinceEpoch - now().millisecondsSinceEpoch))
            }
            if batcher.buffered.isEmpty, settings.batching.maximumBatchingWindow > .zero {
                await pool.gather(index)
                guard !Task.isCancelled else { return }
            }
            var messages: [SQSEventMessage] = []
            if batcher.messagesWanted > 0 {
                do {
                    guard let received = try await receive(
                        settings.queueArn, maximum: batcher.messagesWanted, waitingUpTo: wait, until: updateVersion
                    ) else { continue }
                    messages = received
                    receiveFailures = 0
                } catch {
                    guard !Task.isCancelled else { return }
                    logger.warning("Receiving from the queue failed", metadata: ["error": "\(error)"])
                    try? await clock.sleep(for: backoff.delay(afterFailures: receiveFailures))
                    receiveFailures += 1
                    continue
                }
            }
            if pool.received(messages.count, now: now()) { mailbox.post(.scaled) }
            // An update that came while the receive waited applies to what it received.
            refresh()
            var kept: [SQSEventMessage] = []
            var dropped: [String] = []
            for message in messages {
                if settings.filter.matches(message) { kept.append(message) } else { dropped.append(message.receiptHandle) }
            }
            metrics.recordsRead(polled: messages.count, filtered: dropped.count)
            // Messages no filter matches are deleted at once (§6.3).
            await delete(dropped, from: settings.queueArn)
            action = batcher.messagesReceived(kept, now: now())
        }
    }

    /// A receive that an update of the mapping cuts short, so that the poller takes the new settings (a larger
    /// BatchSize, another filter) before it receives more: `nil` when the update came first and nothing was
    /// received; the messages when the receive had taken some.
    private func receive(
        _ queueArn: String, maximum: Int, waitingUpTo wait: Duration, until updateVersion: UInt64
    ) async throws -> [SQSEventMessage]? {
        let (source, updates) = (ports.source, pool.updates)
        return try await withThrowingTaskGroup(of: ReceiveEnding.self) { group in
            group.addTask { .received(try await source.receive(queueArn: queueArn, maximum: maximum, waitingUpTo: wait)) }
            group.addTask {
                await updates.wait(since: updateVersion)
                return Task.isCancelled ? .cancelled : .updated
            }
            var received: [SQSEventMessage] = []
            var updated = false
            while let ending = try await group.next() {
                group.cancelAll()
                switch ending {
                case .received(let messages): received = messages
                case .updated: updated = true
                case .cancelled: break
                }
            }
            return updated && received.isEmpty ? nil : received
        }
    }

    /// Invokes the function with `batch` and settles it: deletes what ``SQSBatchOutcome`` deletes, leaves the rest
    /// in flight. Not cancelled with the poller: an invocation in flight finishes and its batch is settled (§11).
    ///
    /// - Returns: whether the invocation was made (a function error included); `false` when throttled or refused.
    func invoke(_ batch: [SQSEventMessage], _ settings: SQSPollerSettings) async -> Bool {
        await Task {
            let outcome = await ports.invoker.invoke(
                functionArn: settings.functionArn, payload: settings.batching.encoder.encode(batch)
            )
            metrics.invocationFinished(outcome)
            let settling = SQSBatchOutcome(
                messages: batch.map(\.received), reportBatchItemFailures: settings.reportBatchItemFailures,
                isFIFO: settings.isFIFO
            )
            let action: SQSBatchOutcome.Action
            switch outcome {
            case .invoked(_, _, nil, let body):
                action = settling.functionReturned(body)
            case .invoked:
                action = settling.functionFailed()
            case .notInvoked(let reason):
                if outcome.isThrottled {
                    pool.throttled(now: now())
                } else {
                    logger.warning("The function could not be invoked", metadata: ["reason": "\(reason)"])
                }
                action = settling.invocationNotMade()
            }
            await delete(action.delete.map(\.receiptHandle), from: settings.queueArn)
            if case .notInvoked = outcome { return false }
            return true
        }.value
    }

    /// Deletes the messages of `receiptHandles`; a failure is logged and the messages are received again after
    /// their visibility timeout.
    func delete(_ receiptHandles: [String], from queueArn: String) async {
        guard !receiptHandles.isEmpty else { return }
        do {
            try await ports.source.delete(queueArn: queueArn, receiptHandles: receiptHandles)
        } catch {
            logger.warning(
                "Deleting processed messages failed; they will be received again", metadata: ["error": "\(error)"]
            )
        }
    }
}

/// How one of the two racing halves of an interruptible receive ended.
private enum ReceiveEnding: Sendable {
    case received([SQSEventMessage])
    case updated
    case cancelled
}
