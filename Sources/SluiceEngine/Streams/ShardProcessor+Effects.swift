import SluiceCore

extension ShardProcessor {
    /// Starts `effect` in a child task that posts its result.
    func perform(_ effect: Effect, in group: inout DiscardingTaskGroup) {
        let mailbox = self.mailbox
        switch effect {
        case .read(let position, let limit):
            group.addTask { await read(from: position, limit: limit) }
        case .invoke(let lane, let functionArn, let payload):
            let invoker = self.invoker
            group.addTask {
                let outcome = await uncancelled { await invoker.invoke(functionArn: functionArn, payload: payload) }
                mailbox.post(.invoked(lane: lane, outcome))
            }
        case .send(let lane, let record, let destinationArn):
            let destination = self.destination
            group.addTask {
                let result = await uncancelled {
                    await capturing { try await destination.send(record, to: destinationArn) }
                }
                switch result {
                case .success: mailbox.post(.sent(lane: lane))
                case .failure(let error): mailbox.post(.sendFailed(lane: lane, error))
                }
            }
        case .save(let sequenceNumber):
            let (checkpoints, mapping, shard) = (self.checkpoints, mappingUUID, shardId)
            group.addTask {
                let result = await uncancelled {
                    await capturing {
                        try await checkpoints.save(mapping: mapping, shard: shard, sequenceNumber: sequenceNumber)
                    }
                }
                switch result {
                case .success: mailbox.post(.saved(sequenceNumber))
                case .failure(let error): mailbox.post(.saveFailed(error))
                }
            }
        case .wake(let wakeup, let time):
            let delay = Duration.milliseconds(time.millisecondsSinceEpoch - now().millisecondsSinceEpoch)
            let deadline = clock.now.advanced(by: max(.zero, delay))
            let clock = self.clock
            group.addTask {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    mailbox.post(.woke(wakeup))
                } catch {
                    // Cancelled: the processor is stopping.
                }
            }
        }
    }

    /// One read: a page with records, or the shard's end. An empty page waits for records instead of reading again
    /// (no polling). Returns without a report when cancelled.
    private func read(from position: ReadPosition, limit: Int) async {
        do {
            var cursor: ShardCursor
            switch position {
            case .start(let start): cursor = try await source.cursor(streamArn: streamArn, shardId: shardId, at: start)
            case .cursor(let next): cursor = next
            }
            var page = try await source.read(cursor, limit: limit)
            while page.records.isEmpty, let next = page.next {
                try await source.waitForRecords(after: next)
                try Task.checkCancellation()
                cursor = next
                page = try await source.read(cursor, limit: limit)
            }
            mailbox.post(.read(page))
        } catch {
            guard !Task.isCancelled else { return }
            mailbox.post(.readFailed(error))
        }
    }
}

/// Runs `operation` to its end even when the calling task is cancelled: a stopping shard processor lets the
/// invocation in flight finish and records its outcome (`reference/semantics.md` §11). The one unstructured task of
/// the processor, by design; the caller still awaits it.
private func uncancelled<T: Sendable>(_ operation: @escaping @Sendable () async -> T) async -> T {
    await Task { await operation() }.value
}

private func capturing(_ body: () async throws -> Void) async -> Result<Void, any Error> {
    do {
        try await body()
        return .success(())
    } catch {
        return .failure(error)
    }
}
