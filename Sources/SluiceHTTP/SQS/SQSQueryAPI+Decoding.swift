import Foundation
import SluiceCore
import SluiceSources

/// SQS inputs from legacy query parameters as botocore 1.31 writes them (`reference/wire-protocols.md` §4):
/// flattened maps `Attribute.N.Name/Value`, `Tag.N.Key/Value`, lists `AttributeName.N`, `TagKey.N`, message
/// attributes `MessageAttribute.N.Name` / `.Value.DataType|StringValue|BinaryValue` (binary in base64), batch
/// entries `<Entry shape>.N.<member>`.
extension SQSQueryAPI {
    /// `QueueUrl`, or the queue the request was posted to (`/<account>/<name>`, as the AWS SDK for Java v1 does).
    static func queueURL(_ parameters: AWSQuery.Parameters, _ request: IncomingRequest) throws(AWSError) -> String {
        if let url = parameters["QueueUrl"] { return url }
        let segments = request.pathSegments
        guard segments.count == 2 else { throw AWSError.missingParameter("QueueUrl") }
        return "/\(segments[0])/\(segments[1])"
    }

    static func map(_ parameters: AWSQuery.Parameters, _ name: String, key: String = "Name") -> [String: String] {
        var map: [String: String] = [:]
        for entry in parameters.map(name, flattened: true, key: key, value: "Value") { map[entry.key] = entry.value }
        return map
    }

    static func messageAttributes(_ parameters: AWSQuery.Parameters, _ name: String) throws(AWSError)
        -> [String: SQS.MessageAttributeValue]?
    {
        let attributes = parameters.messageAttributes(name, flattened: true)
        guard !attributes.isEmpty else { return nil }
        var converted: [String: SQS.MessageAttributeValue] = [:]
        for (name, value) in attributes {
            var binary: Data?
            if let encoded = value.binaryValue {
                guard let decoded = Data(base64Encoded: encoded) else {
                    throw AWSError.invalidParameterValue("The message attribute '\(name)' has an invalid binary value.")
                }
                binary = decoded
            }
            converted[name] = SQS.MessageAttributeValue(
                dataType: value.dataType ?? "", stringValue: value.stringValue, binaryValue: binary
            )
        }
        return converted
    }

    static func sendMessageInput(
        _ parameters: AWSQuery.Parameters, _ request: IncomingRequest
    ) throws(AWSError) -> SQS.SendMessageInput {
        var input = SQS.SendMessageInput(
            queueUrl: try queueURL(parameters, request), messageBody: try parameters.required("MessageBody"),
            delaySeconds: try integer(parameters, "DelaySeconds"),
            messageAttributes: try messageAttributes(parameters, "MessageAttribute"),
            messageDeduplicationId: parameters["MessageDeduplicationId"], messageGroupId: parameters["MessageGroupId"]
        )
        input.messageSystemAttributes = try messageAttributes(parameters, "MessageSystemAttribute")
        return input
    }

    static func sendMessageBatchInput(
        _ parameters: AWSQuery.Parameters, _ request: IncomingRequest
    ) throws(AWSError) -> SQS.SendMessageBatchInput {
        var entries: [SQS.SendMessageBatchRequestEntry] = []
        for entry in parameters.structures("SendMessageBatchRequestEntry", flattened: true) {
            var converted = SQS.SendMessageBatchRequestEntry(
                id: try entry.required("Id"), messageBody: try entry.required("MessageBody"),
                delaySeconds: try integer(entry, "DelaySeconds"),
                messageAttributes: try messageAttributes(entry, "MessageAttribute"),
                messageDeduplicationId: entry["MessageDeduplicationId"], messageGroupId: entry["MessageGroupId"]
            )
            converted.messageSystemAttributes = try messageAttributes(entry, "MessageSystemAttribute")
            entries.append(converted)
        }
        return SQS.SendMessageBatchInput(queueUrl: try queueURL(parameters, request), entries: entries)
    }

    static func receiveMessageInput(
        _ parameters: AWSQuery.Parameters, _ request: IncomingRequest
    ) throws(AWSError) -> SQS.ReceiveMessageInput {
        let systemNames = parameters.list("MessageSystemAttributeName", flattened: true)
        let attributeNames = parameters.list("AttributeName", flattened: true)
        let messageAttributeNames = parameters.list("MessageAttributeName", flattened: true)
        var input = SQS.ReceiveMessageInput(
            queueUrl: try queueURL(parameters, request),
            messageSystemAttributeNames: systemNames.isEmpty ? nil : systemNames,
            messageAttributeNames: messageAttributeNames.isEmpty ? nil : messageAttributeNames,
            maxNumberOfMessages: try integer(parameters, "MaxNumberOfMessages"),
            visibilityTimeout: try integer(parameters, "VisibilityTimeout"),
            waitTimeSeconds: try integer(parameters, "WaitTimeSeconds")
        )
        input.attributeNames = attributeNames.isEmpty ? nil : attributeNames
        input.receiveRequestAttemptId = parameters["ReceiveRequestAttemptId"]
        return input
    }

    /// DeleteMessageBatch (`entry` `DeleteMessageBatchRequestEntry`) or ChangeMessageVisibilityBatch.
    static func receiptHandleBatchInput(
        _ parameters: AWSQuery.Parameters, _ request: IncomingRequest, entry name: String
    ) throws(AWSError) -> SQS.ReceiptHandleBatchInput {
        var entries: [SQS.ReceiptHandleBatchEntry] = []
        for entry in parameters.structures(name, flattened: true) {
            entries.append(
                SQS.ReceiptHandleBatchEntry(
                    id: try entry.required("Id"), receiptHandle: try entry.required("ReceiptHandle"),
                    visibilityTimeout: try integer(entry, "VisibilityTimeout")
                )
            )
        }
        return SQS.ReceiptHandleBatchInput(queueUrl: try queueURL(parameters, request), entries: entries)
    }

    /// An integer parameter; text that is no integer is `InvalidParameterValue`.
    static func integer(_ parameters: AWSQuery.Parameters, _ name: String) throws(AWSError) -> Int? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int(text) else {
            throw AWSError.invalidParameter(name, value: text, reason: "Must be an integer.")
        }
        return value
    }
}
