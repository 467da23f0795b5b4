import SluiceCore
import SluiceSources

/// The embedded SQS on the JSON 1.0 protocol current SDKs use (`X-Amz-Target: AmazonSQS.<Operation>`;
/// `reference/wire-protocols.md` §3, §7). Errors carry the legacy query code in `x-amzn-query-error`.
public struct SQSAPI: AWSJSONService {
    let engine: SQSEngine<ContinuousClock>

    public init(engine: SQSEngine<ContinuousClock>) {
        self.engine = engine
    }

    public var service: AWSService { .sqs }

    public func handle(operation: String, request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let engine = self.engine
        switch operation {
        case "CreateQueue": return try await answer(request) { try await engine.createQueue($0, identity: identity) }
        case "GetQueueUrl": return try await answer(request) { try await engine.getQueueUrl($0, identity: identity) }
        case "ListQueues": return try await answer(request) { try await engine.listQueues($0, identity: identity) }
        case "DeleteQueue": return try await call(request) { try await engine.deleteQueue($0, identity: identity) }
        case "PurgeQueue": return try await call(request) { try await engine.purgeQueue($0, identity: identity) }
        case "GetQueueAttributes":
            return try await answer(request) { try await engine.getQueueAttributes($0, identity: identity) }
        case "SetQueueAttributes":
            return try await call(request) { try await engine.setQueueAttributes($0, identity: identity) }
        case "TagQueue": return try await call(request) { try await engine.tagQueue($0, identity: identity) }
        case "UntagQueue": return try await call(request) { try await engine.untagQueue($0, identity: identity) }
        case "ListQueueTags":
            return try await answer(request) { try await engine.listQueueTags($0, identity: identity) }
        case "SendMessage": return try await answer(request) { try await engine.sendMessage($0, identity: identity) }
        case "SendMessageBatch":
            return try await answer(request) { try await engine.sendMessageBatch($0, identity: identity) }
        case "ReceiveMessage":
            return try await answer(request) { try await engine.receiveMessage($0, identity: identity) }
        case "DeleteMessage": return try await call(request) { try await engine.deleteMessage($0, identity: identity) }
        case "DeleteMessageBatch":
            return try await answer(request) { try await engine.deleteMessageBatch($0, identity: identity) }
        case "ChangeMessageVisibility":
            return try await call(request) { try await engine.changeMessageVisibility($0, identity: identity) }
        case "ChangeMessageVisibilityBatch":
            return try await answer(request) { try await engine.changeMessageVisibilityBatch($0, identity: identity) }
        default: throw AWSJSON.unknownOperation(operation)
        }
    }
}
