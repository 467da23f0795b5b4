import SluiceCore
import SluiceSources

/// The embedded SQS on the legacy query protocol (`Action=<Op>&Version=2012-11-05`, XML answers with flattened
/// lists and maps; `reference/wire-protocols.md` §4), as SDK releases before the JSON switch speak it: the same
/// operations as ``SQSAPI``, converted to and from ``SQSEngine``'s typed inputs and outputs. Error codes become their
/// query names in `AWSQuery.errorResponse`.
public struct SQSQueryAPI: AWSQueryService {
    let engine: SQSEngine<ContinuousClock>

    public init(engine: SQSEngine<ContinuousClock>) {
        self.engine = engine
    }

    public var service: AWSService { .sqs }

    public func handle(action: String, request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let parameters = AWSQuery.parameters(of: request)
        let engine = self.engine
        func queueURL() throws(AWSError) -> String { try Self.queueURL(parameters, request) }
        switch action {
        case "CreateQueue":
            let input = SQS.CreateQueueInput(
                queueName: try parameters.required("QueueName"),
                attributes: Self.optional(Self.map(parameters, "Attribute")),
                tags: Self.optional(Self.map(parameters, "Tag", key: "Key"))
            )
            let output = try await engine.createQueue(input, identity: identity)
            return respond(action) { $0.element("QueueUrl", output.queueUrl) }
        case "GetQueueUrl":
            let input = SQS.GetQueueUrlInput(
                queueName: try parameters.required("QueueName"),
                queueOwnerAWSAccountId: parameters["QueueOwnerAWSAccountId"]
            )
            let output = try await engine.getQueueUrl(input, identity: identity)
            return respond(action) { $0.element("QueueUrl", output.queueUrl) }
        case "ListQueues":
            let input = SQS.ListQueuesInput(
                queueNamePrefix: parameters["QueueNamePrefix"], nextToken: parameters["NextToken"],
                maxResults: try Self.integer(parameters, "MaxResults")
            )
            let output = try await engine.listQueues(input, identity: identity)
            return respond(action) { writer in
                writer.list("QueueUrl", output.queueUrls ?? [], flattened: true)
                if let token = output.nextToken { writer.element("NextToken", token) }
            }
        case "DeleteQueue":
            try await engine.deleteQueue(SQS.QueueUrlInput(queueUrl: try queueURL()), identity: identity)
            return respond(action)
        case "PurgeQueue":
            try await engine.purgeQueue(SQS.QueueUrlInput(queueUrl: try queueURL()), identity: identity)
            return respond(action)
        case "GetQueueAttributes":
            let names = parameters.list("AttributeName", flattened: true)
            let input = SQS.GetQueueAttributesInput(
                queueUrl: try queueURL(), attributeNames: names.isEmpty ? nil : names)
            let output = try await engine.getQueueAttributes(input, identity: identity)
            return respond(action) {
                Self.writeMap(output.attributes ?? [:], name: "Attribute", key: "Name", into: &$0)
            }
        case "SetQueueAttributes":
            let input = SQS.SetQueueAttributesInput(
                queueUrl: try queueURL(), attributes: Self.map(parameters, "Attribute"))
            try await engine.setQueueAttributes(input, identity: identity)
            return respond(action)
        case "TagQueue":
            let input = SQS.TagQueueInput(queueUrl: try queueURL(), tags: Self.map(parameters, "Tag", key: "Key"))
            try await engine.tagQueue(input, identity: identity)
            return respond(action)
        case "UntagQueue":
            let input = SQS.UntagQueueInput(
                queueUrl: try queueURL(), tagKeys: parameters.list("TagKey", flattened: true))
            try await engine.untagQueue(input, identity: identity)
            return respond(action)
        case "ListQueueTags":
            let output = try await engine.listQueueTags(SQS.QueueUrlInput(queueUrl: try queueURL()), identity: identity)
            return respond(action) { Self.writeMap(output.tags ?? [:], name: "Tag", key: "Key", into: &$0) }
        case "SendMessage":
            let output = try await engine.sendMessage(
                try Self.sendMessageInput(parameters, request), identity: identity)
            return respond(action) { Self.write(output, into: &$0) }
        case "SendMessageBatch":
            let output = try await engine.sendMessageBatch(
                try Self.sendMessageBatchInput(parameters, request), identity: identity
            )
            return respond(action) { Self.write(output, into: &$0) }
        case "ReceiveMessage":
            let output = try await engine.receiveMessage(
                try Self.receiveMessageInput(parameters, request), identity: identity
            )
            return respond(action) { writer in
                for message in output.messages ?? [] { Self.write(message, into: &writer) }
            }
        case "DeleteMessage":
            let input = SQS.DeleteMessageInput(
                queueUrl: try queueURL(), receiptHandle: try parameters.required("ReceiptHandle")
            )
            try await engine.deleteMessage(input, identity: identity)
            return respond(action)
        case "DeleteMessageBatch":
            let input = try Self.receiptHandleBatchInput(parameters, request, entry: "DeleteMessageBatchRequestEntry")
            let output = try await engine.deleteMessageBatch(input, identity: identity)
            return respond(action) { Self.write(output, entry: "DeleteMessageBatchResultEntry", into: &$0) }
        case "ChangeMessageVisibility":
            guard let timeout = try Self.integer(parameters, "VisibilityTimeout") else {
                throw AWSQuery.missingParameter("VisibilityTimeout")
            }
            let input = SQS.ChangeMessageVisibilityInput(
                queueUrl: try queueURL(), receiptHandle: try parameters.required("ReceiptHandle"),
                visibilityTimeout: timeout
            )
            try await engine.changeMessageVisibility(input, identity: identity)
            return respond(action)
        case "ChangeMessageVisibilityBatch":
            let input = try Self.receiptHandleBatchInput(
                parameters, request, entry: "ChangeMessageVisibilityBatchRequestEntry"
            )
            let output = try await engine.changeMessageVisibilityBatch(input, identity: identity)
            return respond(action) { Self.write(output, entry: "ChangeMessageVisibilityBatchResultEntry", into: &$0) }
        default:
            throw AWSQuery.invalidAction(action)
        }
    }

    static func optional(_ map: [String: String]) -> [String: String]? { map.isEmpty ? nil : map }
}
