import Foundation
import SluiceCore
import SluiceSources

/// SNS inputs from query parameters as botocore writes them (`reference/wire-protocols.md` §4): non-flattened maps
/// `Attributes.entry.N.key/value`, lists `Tags.member.N.Key/Value`, `TagKeys.member.N`, message attributes
/// `MessageAttributes.entry.N.Name` / `.Value.DataType|StringValue|BinaryValue` (binary in base64).
extension SNSAPI {
    static func attributes(_ parameters: AWSQuery.Parameters) -> [String: String] {
        var attributes: [String: String] = [:]
        for entry in parameters.map("Attributes", flattened: false) { attributes[entry.key] = entry.value }
        return attributes
    }

    static func tags(_ parameters: AWSQuery.Parameters) -> [SNS.Tag] {
        parameters.structures("Tags", flattened: false).map { SNS.Tag(key: $0["Key"] ?? "", value: $0["Value"] ?? "") }
    }

    static func messageAttributes(_ parameters: AWSQuery.Parameters) throws(AWSError)
        -> [String: SNS.MessageAttributeValue]
    {
        var attributes: [String: SNS.MessageAttributeValue] = [:]
        for (name, value) in parameters.messageAttributes("MessageAttributes", flattened: false) {
            guard let dataType = value.dataType else {
                throw AWSError.snsInvalidParameter(
                    "Invalid parameter: MessageAttributes Reason: The message attribute '\(name)' must contain a "
                        + "non-empty attribute type."
                )
            }
            var binary: Data?
            if let encoded = value.binaryValue {
                guard let decoded = Data(base64Encoded: encoded) else {
                    throw AWSError.snsInvalidParameter("Invalid parameter: MessageAttributes")
                }
                binary = decoded
            }
            attributes[name] = SNS.MessageAttributeValue(
                dataType: dataType, stringValue: value.stringValue, binaryValue: binary
            )
        }
        return attributes
    }

    static func publishInput(_ parameters: AWSQuery.Parameters) throws(AWSError) -> SNS.PublishInput {
        SNS.PublishInput(
            topicArn: parameters["TopicArn"], targetArn: parameters["TargetArn"],
            phoneNumber: parameters["PhoneNumber"], message: try parameters.required("Message"),
            subject: parameters["Subject"], messageStructure: parameters["MessageStructure"],
            messageAttributes: try messageAttributes(parameters),
            messageDeduplicationId: parameters["MessageDeduplicationId"], messageGroupId: parameters["MessageGroupId"]
        )
    }

    static func batchEntries(_ parameters: AWSQuery.Parameters) throws(AWSError) -> [SNS.PublishBatchEntry] {
        var entries: [SNS.PublishBatchEntry] = []
        for entry in parameters.structures("PublishBatchRequestEntries", flattened: false) {
            entries.append(
                SNS.PublishBatchEntry(
                    id: try entry.required("Id"), message: entry["Message"] ?? "", subject: entry["Subject"],
                    messageStructure: entry["MessageStructure"], messageAttributes: try messageAttributes(entry),
                    messageDeduplicationId: entry["MessageDeduplicationId"], messageGroupId: entry["MessageGroupId"]
                )
            )
        }
        return entries
    }
}
