import Logging
import SluiceCore

extension ShardProcessor.State {
    typealias Effect = ShardProcessor.Effect
    typealias LaneWork = ShardProcessor.LaneWork

    // MARK: Batching

    /// Feeds a lane's batcher the records newly routed to the lane and does what it says. A lane's batcher holds a
    /// prefix of the lane's waiting records (`ShardLanes.waitingRecords(inLane:)`), so the new records are the ones
    /// after it.
    ///
    /// - Returns: whether the lane finished a batch without waiting (every record given up, no destination), so it
    ///   must be pumped again.
    mutating func pump(lane: Int, now: Timestamp, into effects: inout [Effect]) -> Bool {
        // Taken out of the dictionary while it is fed, so its buffer is not shared and appends do not copy it.
        var batcher = batchers.removeValue(forKey: lane) ?? StreamBatcher(settings: settings.batcher(encoder: encoder))
        let action: StreamBatcher.Action
        if work[lane] != nil {
            // A batch is in flight: records read meanwhile wait in the batcher for the next batch. A batcher made
            // after a ParallelizationFactor change does not know the batch and is fed once it is done.
            if batcher.isBatchInFlight {
                _ = feed(&batcher, lane: lane, now: now)
            }
            batchers[lane] = batcher
            return false
        } else if batcher.isBatchInFlight {
            // The lane's batch is done: the next window starts now.
            _ = feed(&batcher, lane: lane, now: now)
            action = batcher.batchFinished(now: now)
        } else {
            action = feed(&batcher, lane: lane, now: now)
        }
        batchers[lane] = batcher
        return perform(action, lane: lane, now: now, into: &effects)
    }

    private func feed(_ batcher: inout StreamBatcher, lane: Int, now: Timestamp) -> StreamBatcher.Action {
        let new = lanes.waitingRecords(inLane: lane).dropFirst(batcher.buffered.count)
        return batcher.recordsRead(Array(new), now: now)
    }

    /// Performs a batcher's action for `lane`; returns whether the lane finished a batch at once.
    @discardableResult
    mutating func perform(
        _ action: StreamBatcher.Action, lane: Int, now: Timestamp, into effects: inout [Effect]
    ) -> Bool {
        switch action {
        case .invoke(let batch):
            let records = lanes.batchStarted(inLane: lane, count: batch.records.count)
            if records != batch.records {
                logger.error("Lane and batcher disagree on a batch", metadata: ["sluice.lane": "\(lane)"])
            }
            var lanework = LaneWork(
                functionArn: settings.functionArn, onFailureDestination: settings.onFailureDestination
            )
            lanework.pending = lanework.processor.batchStarted(batch, settings: settings.processing, now: now)
            work[lane] = lanework
            advance(lane: lane, now: now, into: &effects)
            return work[lane] == nil
        case .sleep(let until):
            if windowTimers[lane].map({ until < $0 }) ?? true {
                windowTimers[lane] = until
                effects.append(.wake(.window(lane: lane), at: until))
            }
            return false
        case .checkpoint, .none:
            // The lanes checkpoint filtered-out records themselves; the batcher never sees them.
            return false
        }
    }

    // MARK: Processing a batch

    /// Performs the lane's pending processor actions in order, up to the first that must wait (an invocation, a
    /// backoff, a failure record to send). A stopping processor starts none of these: the lane halts there and the
    /// records stay behind the checkpoint.
    mutating func advance(lane: Int, now: Timestamp, into effects: inout [Effect]) {
        // Taken out while it changes, so the batch's arrays are not shared with the dictionary and not copied.
        guard var lanework = work.removeValue(forKey: lane) else { return }
        var isFinished = false
        defer { if !isFinished { work[lane] = lanework } }
        while let action = lanework.pending.first {
            switch action {
            case .checkpoint(let sequenceNumber):
                lanework.pending.removeFirst()
                _ = lanes.recordsDone(inLane: lane, through: sequenceNumber)
            case .finished:
                isFinished = true
                return
            case .invoke(let records):
                guard !isStopping else { return }
                lanework.pending.removeFirst()
                tasksInFlight += 1
                metrics.batchInvoked(lastArrival: records[records.count - 1].arrival, now: now)
                let payload = windows == nil ? encoder.encode(records) : windowEvent(for: records)
                effects.append(.invoke(lane: lane, functionArn: lanework.functionArn, payload: payload))
                return
            case .sleep(let until):
                guard !isStopping else { return }
                lanework.pending.removeFirst()
                effects.append(.wake(.retry(lane: lane), at: until))
                return
            case .sendFailure(let records, let condition, let count):
                if windows != nil, !windowRecordsGivenUp(records) {
                    lanework.pending.removeFirst()
                    continue
                }
                guard let destination = lanework.onFailureDestination else {
                    lanework.pending.removeFirst()
                    metrics.recordsDropped(records.count)
                    logger.debug(
                        "Records given up without an on-failure destination",
                        metadata: ["sluice.records": "\(records.count)"]
                    )
                    continue
                }
                guard !isStopping else { return }
                lanework.pending.removeFirst()
                let record = failureRecord(records, condition, count, lanework, now: now)
                lanework.unsent = (record, destination)
                tasksInFlight += 1
                effects.append(.send(lane: lane, record, destination: destination))
                return
            }
        }
    }

    mutating func invoked(
        lane: Int, _ outcome: StreamInvocationOutcome, now: Timestamp, into effects: inout [Effect]
    ) {
        guard var lanework = work.removeValue(forKey: lane) else { return }
        switch outcome {
        case .invoked(let requestId, let executedVersion, let functionError, let body):
            lanework.lastRequestId = requestId
            lanework.lastResponse = .init(executedVersion: executedVersion, functionError: functionError)
            if functionError != nil {
                lanework.pending += lanework.processor.functionFailed(now: now)
            } else if windows != nil {
                let actions = windowFunctionReturned(body, processor: &lanework.processor, now: now)
                lanework.pending += actions
            } else {
                lanework.pending += lanework.processor.functionReturned(body, now: now)
            }
        case .notInvoked(let reason):
            logger.debug("Invocation not made", metadata: ["reason": "\(reason)"])
            lanework.pending += lanework.processor.invocationNotMade(now: now)
        }
        work[lane] = lanework
        advance(lane: lane, now: now, into: &effects)
    }

    /// The destination refused a failure record: send it again after a backoff, never passing the records before it
    /// is accepted. A stopping processor leaves them behind the checkpoint instead.
    mutating func sendFailed(lane: Int, _ error: any Error, now: Timestamp, into effects: inout [Effect]) {
        logger.warning("The on-failure destination refused a record", metadata: ["error": "\(error)"])
        guard !isStopping, var lanework = work[lane] else { return }
        effects.append(.wake(.resend(lane: lane), at: later(now, settings.processing.backoff, lanework.sendFailures)))
        lanework.sendFailures += 1
        work[lane] = lanework
    }

    /// The on-failure invocation record of `records` (`reference/events.md` §7.1).
    private func failureRecord(
        _ records: [StreamRecord], _ condition: StreamBatchProcessor.FailureCondition, _ count: Int,
        _ lanework: LaneWork, now: Timestamp
    ) -> StreamFailureRecord {
        let recordCondition: StreamFailureRecord.Condition
        switch condition {
        case .retryAttemptsExhausted:
            recordCondition = .retryAttemptsExhausted(
                lanework.lastResponse ?? .init(executedVersion: "$LATEST", functionError: nil)
            )
        case .recordAgeExceeded:
            recordCondition = .recordAgeExceeded
        }
        let first = records[0]
        let last = records[records.count - 1]
        return StreamFailureRecord(
            requestId: lanework.lastRequestId ?? newRequestId(), functionArn: lanework.functionArn,
            condition: recordCondition, approximateInvokeCount: count, timestamp: now,
            batchInfo: .init(
                shardId: shardId, startSequenceNumber: first.sequenceNumber, endSequenceNumber: last.sequenceNumber,
                approximateArrivalOfFirstRecord: first.arrival, approximateArrivalOfLastRecord: last.arrival,
                batchSize: records.count, streamArn: streamArn
            )
        )
    }
}
