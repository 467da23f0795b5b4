import Crypto
import Foundation
import SluiceCore

/// Publish and PublishBatch: validated against the topic, numbered (FIFO), then delivered to every `sqs`
/// subscriber, in the SNS envelope or raw (`reference/events.md` §7.5). The answer comes only after each existing
/// subscribed queue committed its message and the topic's sequence is stored.
extension SNSEngine {
    /// A message accepted for a topic, before delivery.
    struct Accepted: Sendable {
        var output: SNS.PublishOutput
        var message: String
        var messagesByProtocol: [String: String]?
        var subject: String?
        var attributes: [String: SNS.MessageAttributeValue]
        var groupId: String?
        var deduplicationId: String?
        var timestamp: Timestamp
        /// `false` for a FIFO duplicate: answered with the first message's ids, not delivered again.
        var deliver: Bool
    }

    public func publish(_ input: SNS.PublishInput, identity: RequestIdentity) async throws -> SNS.PublishOutput {
        if input.phoneNumber != nil {
            throw AWSError.snsInvalidParameter("Invalid parameter: PhoneNumber Reason: Sluice does not send SMS")
        }
        let arn: String
        let member: String
        switch (input.topicArn, input.targetArn) {
        case (let topicArn?, nil): (arn, member) = (topicArn, "TopicArn")
        case (nil, let targetArn?): (arn, member) = (targetArn, "TargetArn")
        case (nil, nil):
            throw AWSError.snsInvalidParameter(
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"
            )
        case (_?, _?):
            throw AWSError.snsInvalidParameter(
                "Invalid parameter: TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be set"
            )
        }
        let topic = try topic(arn, member: member)
        let entry = SNS.PublishBatchEntry(
            id: "", message: input.message, subject: input.subject, messageStructure: input.messageStructure,
            messageAttributes: input.messageAttributes, messageDeduplicationId: input.messageDeduplicationId,
            messageGroupId: input.messageGroupId
        )
        let accepted = try accept(entry, topic: topic, at: now())
        try await deliver([accepted], topicArn: arn)
        return accepted.output
    }

    /// PublishBatch: request checks first (entries, ids), then a result per entry; the accepted entries are
    /// delivered in order.
    public func publishBatch(
        topicArn: String, entries: [SNS.PublishBatchEntry], identity: RequestIdentity
    ) async throws -> SNS.PublishBatchOutput {
        let topic = try topic(topicArn)
        guard !entries.isEmpty else { throw AWSError.snsEmptyBatchRequest }
        guard entries.count <= SNS.PublishRules.batchLimit else { throw AWSError.snsTooManyEntriesInBatchRequest }
        guard Set(entries.map(\.id)).count == entries.count else { throw AWSError.snsBatchEntryIdsNotDistinct }
        guard entries.allSatisfy({ SNS.PublishRules.isValidBatchId($0.id) }) else {
            throw AWSError.snsInvalidBatchEntryId
        }
        let total = entries.reduce(0) { $0 + $1.message.utf8.count + ($1.subject?.utf8.count ?? 0) }
        guard total <= SNS.PublishRules.maximumMessageBytes else { throw AWSError.snsBatchRequestTooLong }
        let timestamp = now()
        var output = SNS.PublishBatchOutput(successful: [], failed: [])
        var accepted: [Accepted] = []
        for entry in entries {
            do {
                let message = try accept(entry, topic: topics[topicArn] ?? topic, at: timestamp)
                accepted.append(message)
                output.successful.append(
                    SNS.PublishBatchResultEntry(
                        id: entry.id, messageId: message.output.messageId, sequenceNumber: message.output.sequenceNumber
                    )
                )
            } catch {
                output.failed.append(
                    SNS.BatchResultErrorEntry(
                        id: entry.id, code: error.code, message: error.message, senderFault: error.fault == .client
                    )
                )
            }
        }
        try await deliver(accepted, topicArn: topicArn)
        return output
    }

    /// Validates one message, gives it its ids and, on FIFO topics, the next sequence number (in memory at once,
    /// so concurrent publishes never share one; stored by `deliver`).
    func accept(_ entry: SNS.PublishBatchEntry, topic: SNS.TopicRecord, at timestamp: Timestamp) throws(AWSError)
        -> Accepted
    {
        let messages = try SNS.PublishRules.validate(
            message: entry.message, subject: entry.subject, structure: entry.messageStructure,
            attributes: entry.messageAttributes, groupId: entry.messageGroupId,
            deduplicationId: entry.messageDeduplicationId, topic: topic
        )
        var accepted = Accepted(
            output: SNS.PublishOutput(messageId: newMessageId(), sequenceNumber: nil), message: entry.message,
            messagesByProtocol: messages, subject: entry.subject, attributes: entry.messageAttributes,
            groupId: entry.messageGroupId, deduplicationId: entry.messageDeduplicationId, timestamp: timestamp,
            deliver: true
        )
        guard topic.isFifo, var stored = topics[topic.arn] else { return accepted }
        let deduplicationId = entry.messageDeduplicationId ?? Self.sha256Hex(entry.message)
        accepted.deduplicationId = deduplicationId
        let cutoff = timestamp.millisecondsSinceEpoch - Self.deduplicationMilliseconds
        deduplication[topic.arn] = deduplication[topic.arn]?.filter { $0.value.at.millisecondsSinceEpoch > cutoff }
        if let earlier = deduplication[topic.arn]?[deduplicationId] {
            accepted.output = earlier.output
            accepted.deliver = false
            return accepted
        }
        stored.lastSequence += 1
        topics[topic.arn] = stored
        accepted.output.sequenceNumber = String(10_000_000_000_000_000_000 as UInt64 + stored.lastSequence)
        deduplication[topic.arn, default: [:]][deduplicationId] = (accepted.output, timestamp)
        return accepted
    }

    /// Stores the topic's sequence (FIFO), then sends each accepted message to every subscriber: subscribers in
    /// parallel, each one's messages in order. A queue that does not exist (or refuses the message) is skipped,
    /// as SNS drops what it cannot deliver; a storage failure fails the publish.
    func deliver(_ accepted: [Accepted], topicArn: String) async throws {
        let fresh = accepted.filter(\.deliver)
        guard !fresh.isEmpty, let topic = topics[topicArn] else { return }
        if topic.isFifo { try await commit(topics: [topic]) }
        let base = configuration.baseURL()
        let work: [(SQS.QueueAddress, [SQS.SendMessageInput])] = subscriptions(of: topicArn).compactMap {
            subscription in
            guard subscription.protocol == "sqs", let queue = SQS.QueueAddress(arn: subscription.endpoint) else {
                return nil
            }
            return (
                queue,
                fresh.map {
                    Self.sqsInput($0, topicArn: topicArn, subscription: subscription, queue: queue, base: base)
                }
            )
        }
        let queues = self.queues
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (queue, inputs) in work {
                group.addTask {
                    let identity = RequestIdentity(region: queue.region, account: queue.account)
                    for input in inputs {
                        do {
                            _ = try await queues.sendMessage(input, identity: identity)
                        } catch let error as AWSError where error.fault == .client {
                            continue
                        } catch {
                            throw AWSError.snsInternalError("Delivery to \(queue.arn) failed: \(error)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The SendMessage for one subscriber: the envelope (or, raw, the message with its attributes as SQS message
    /// attributes); group and deduplication ids for FIFO queues.
    static func sqsInput(
        _ accepted: Accepted, topicArn: String, subscription: SNS.SubscriptionRecord, queue: SQS.QueueAddress,
        base: String
    ) -> SQS.SendMessageInput {
        let message = accepted.messagesByProtocol.map { $0["sqs"] ?? $0["default"] ?? "" } ?? accepted.message
        var input = SQS.SendMessageInput(queueUrl: "/\(queue.account)/\(queue.name)", messageBody: message)
        if subscription.rawMessageDelivery {
            if !accepted.attributes.isEmpty {
                input.messageAttributes = accepted.attributes.mapValues {
                    SQS.MessageAttributeValue(
                        dataType: $0.dataType, stringValue: $0.stringValue, binaryValue: $0.binaryValue)
                }
            }
        } else {
            let notification = SNS.Notification(
                messageId: accepted.output.messageId, sequenceNumber: accepted.output.sequenceNumber,
                topicArn: topicArn, subject: accepted.subject, message: message, timestamp: accepted.timestamp,
                subscriptionArn: subscription.arn, messageAttributes: accepted.attributes
            )
            input.messageBody = SNS.Envelope.json(notification, baseURL: base)
        }
        if queue.name.hasSuffix(SNS.TopicRules.fifoSuffix) {
            input.messageGroupId = accepted.groupId
            input.messageDeduplicationId = accepted.deduplicationId
        }
        return input
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
