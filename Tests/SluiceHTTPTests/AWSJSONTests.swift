import Foundation
import Testing

import SluiceCore
@testable import SluiceHTTP

/// The AWS JSON codec (`reference/wire-protocols.md` §3): botocore's request bodies in, golden bodies out.
///
/// How the response goldens were checked: each body below was handed to real botocore clients (1.43; a `before-send`
/// handler returned it as the HTTP response) and parsed to the expected `Error.Code`, `Error.Message`, modeled
/// exception class and, for SQS, `QueryErrorCode` and `Type` (e.g. `get_queue_url` raised `QueueDoesNotExist` with
/// Code `AWS.SimpleQueueService.NonExistentQueue`); `botocore.parsers.create_parser("json")` gave the same errors, and
/// the CBOR body parsed with botocore's CBOR error parser (`smithy-rpc-v2-cbor`).
@Suite struct AWSJSONTests {
    struct PutRecordInput: Decodable, Equatable {
        var streamName: String
        var data: Data
        var partitionKey: String
        enum CodingKeys: String, CodingKey {
            case streamName = "StreamName", data = "Data", partitionKey = "PartitionKey"
        }
    }

    struct GetRecordsInput: Decodable, Equatable {
        var ShardIterator: String
        var Limit: Int?
    }

    struct PutRecordsInput: Decodable {
        struct Entry: Decodable {
            var Data: Foundation.Data
            var PartitionKey: String
        }
        var StreamName: String
        var Records: [Entry]
    }

    struct SendMessageInput: Decodable, Equatable {
        var QueueUrl: String
        var MessageBody: String
        var MessageAttributes: [String: AWSQuery.MessageAttributeValue]?
    }

    struct SendMessageBatchInput: Decodable {
        struct Entry: Decodable {
            var Id: String
            var MessageBody: String
        }
        var QueueUrl: String
        var Entries: [Entry]
    }

    struct ReceiveMessageInput: Decodable, Equatable {
        var QueueUrl: String
        var MaxNumberOfMessages: Int?
        var WaitTimeSeconds: Int?
        var MessageSystemAttributeNames: [String]?
        var MessageAttributeNames: [String]?
    }

    struct GetQueueAttributesInput: Decodable, Equatable {
        var QueueUrl: String
        var AttributeNames: [String]?
    }

    struct TableInput: Decodable, Equatable {
        var TableName: String
    }

    static func header(_ response: OutgoingResponse, _ name: String) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func decodingError<T: Decodable>(
        _ type: T.Type, _ body: String, _ service: AWSService
    ) -> AWSError? {
        do {
            _ = try AWSJSON.decode(type, from: Array(body.utf8), service: service)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesTheBodiesBotocoreSends() throws {
        let put = try AWSJSON.decode(
            PutRecordInput.self, from: CapturedRequest.kinesisPutRecord.request().body, service: .kinesis
        )
        #expect(put == PutRecordInput(streamName: "s", data: Data("hello".utf8), partitionKey: "k"))

        let get = try AWSJSON.decode(
            GetRecordsInput.self, from: CapturedRequest.kinesisGetRecords.request().body, service: .kinesis
        )
        #expect(get == GetRecordsInput(ShardIterator: "AAAA/iter+1==", Limit: 100))

        let send = try AWSJSON.decode(
            SendMessageInput.self, from: CapturedRequest.sqsSendMessage.request().body, service: .sqs
        )
        #expect(send.MessageBody == "a \"b\" & <c>\r\n")
        #expect(send.MessageAttributes == [
            "Author": .init(dataType: "String", stringValue: "John Grisham"),
            "Blob": .init(dataType: "Binary", binaryValue: "AAE="),
        ])

        let receive = try AWSJSON.decode(
            ReceiveMessageInput.self, from: CapturedRequest.sqsReceiveMessage.request().body, service: .sqs
        )
        #expect(receive == ReceiveMessageInput(
            QueueUrl: "http://localhost:4566/000000000000/q", MaxNumberOfMessages: 10, WaitTimeSeconds: 20,
            MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"]
        ))

        let attributes = try AWSJSON.decode(
            GetQueueAttributesInput.self, from: CapturedRequest.sqsGetQueueAttributes.request().body, service: .sqs
        )
        #expect(attributes.AttributeNames == ["VisibilityTimeout", "RedrivePolicy"])

        let table = try AWSJSON.decode(
            TableInput.self, from: CapturedRequest.dynamoDBStreamsListStreams.request().body, service: .dynamoDBStreams
        )
        #expect(table == TableInput(TableName: "tbl"))
    }

    @Test func anEmptyBodyIsAnEmptyObject() throws {
        struct ListStreamsInput: Decodable, Equatable {
            var Limit: Int?
        }
        #expect(try AWSJSON.decode(ListStreamsInput.self, from: [], service: .kinesis) == ListStreamsInput())
        #expect(Self.decodingError(GetRecordsInput.self, "", .kinesis)?.code == "ValidationException")
    }

    @Test(arguments: [
        (#"{"ShardIterator":"#, "The request body is not valid JSON."),
        ("nope", "The request body is not valid JSON."),
        ("[]", "The request body must be a JSON object"),
        (#"{"ShardIterator":1}"#, "Could not deserialize ShardIterator: expected a string"),
        (#"{"ShardIterator":"i","Limit":"ten"}"#, "Could not deserialize Limit: expected an integer"),
        (#"{"ShardIterator":"i","Limit":1.5}"#, "A number in the request body does not fit the type of its member"),
        (#"{"ShardIterator":"i","Limit":1e30}"#, "A number in the request body does not fit the type of its member"),
    ])
    func malformedOrMistypedInputIsASerializationException(body: String, message: String) {
        #expect(Self.decodingError(GetRecordsInput.self, body, .kinesis) == AWSJSON.serializationError(message))
    }

    @Test func aMistypedNestedMemberIsNamedAsTheClientWroteIt() {
        let body = #"{"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"k"},{"Data":7,"PartitionKey":"k"}]}"#
        let error = Self.decodingError(PutRecordsInput.self, body, .kinesis)
        #expect(error == AWSJSON.serializationError("Could not deserialize Records[1].Data: expected a string"))
        let notBase64 = body.replacingOccurrences(of: "7", with: #""!!""#)
        let message = "Could not deserialize Records[1].Data: Encountered Data is not valid Base64."
        #expect(Self.decodingError(PutRecordsInput.self, notBase64, .kinesis) == AWSJSON.serializationError(message))
    }

    @Test(arguments: [AWSService.kinesis, .dynamoDB, .dynamoDBStreams])
    func aMissingMemberIsAValidationExceptionOutsideSQS(service: AWSService) {
        let missing = "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: "
            + "Member must not be null"
        #expect(Self.decodingError(GetRecordsInput.self, #"{"Limit":1}"#, service) == .validation(missing))
        #expect(Self.decodingError(GetRecordsInput.self, #"{"ShardIterator":null}"#, service) == .validation(missing))
        let nested = #"{"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"k"},{"Data":"aGk="}]}"#
        #expect(
            Self.decodingError(PutRecordsInput.self, nested, service) == .validation(
                "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy "
                    + "constraint: Member must not be null"
            )
        )
    }

    @Test func aMissingMemberIsMissingParameterForSQS() {
        let error = Self.decodingError(SendMessageInput.self, #"{"QueueUrl":"u"}"#, .sqs)
        #expect(error?.code == "MissingRequiredParameterException")
        #expect(error?.message == "The request must contain the parameter MessageBody.")
        let nested = Self.decodingError(
            SendMessageBatchInput.self, #"{"QueueUrl":"u","Entries":[{"MessageBody":"b"}]}"#, .sqs
        )
        #expect(nested?.message == "The request must contain the parameter Entries.1.Id.")
    }

    @Test(arguments: [
        (AWSError(code: "ResourceNotFoundException", message: "Stream s under account 000000000000 not found."),
         AWSService.kinesis, "application/x-amz-json-1.1", nil,
         #"{"__type":"ResourceNotFoundException","message":"Stream s under account 000000000000 not found."}"#),
        (AWSError(code: "ResourceNotFoundException", message: "Requested resource not found: Table: t not found"),
         .dynamoDB, "application/x-amz-json-1.0", nil,
         #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","#
            + #""message":"Requested resource not found: Table: t not found"}"#),
        (AWSError(code: "QueueDoesNotExist", message: "The specified queue does not exist."),
         .sqs, "application/x-amz-json-1.0", "AWS.SimpleQueueService.NonExistentQueue;Sender",
         #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#),
        (AWSError(code: "MissingRequiredParameterException",
                  message: "The request must contain the parameter MessageBody."),
         .sqs, "application/x-amz-json-1.0", "MissingParameter;Sender",
         #"{"__type":"com.amazon.coral.service#MissingRequiredParameterException","#
            + #""message":"The request must contain the parameter MessageBody."}"#),
        (AWSJSON.unknownOperation("Nope"), .kinesis, "application/x-amz-json-1.1", nil,
         #"{"__type":"UnknownOperationException","message":"Unknown operation Nope"}"#),
        (AWSJSON.unknownOperation("Nope"), .dynamoDB, "application/x-amz-json-1.0", nil,
         #"{"__type":"com.amazon.coral.service#UnknownOperationException","message":"Unknown operation Nope"}"#),
        (.validation("1 validation error detected: x"), .dynamoDBStreams, "application/x-amz-json-1.0", nil,
         #"{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: x"}"#),
        (AWSError(code: "InternalFailure", message: "boom", status: 500, fault: .server),
         .sqs, "application/x-amz-json-1.0", "InternalFailure;Receiver",
         #"{"__type":"com.amazon.coral.service#InternalFailure","message":"boom"}"#),
    ] as [(AWSError, AWSService, String, String?, String)])
    func errorBodiesAreGoldenByteForByte(
        error: AWSError, service: AWSService, contentType: String, queryError: String?, body: String
    ) {
        let response = AWSJSON.errorResponse(error, service: service)
        #expect(response.status == error.status)
        #expect(Self.header(response, "Content-Type") == contentType)
        #expect(Self.header(response, "x-amzn-query-error") == queryError)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    @Test func errorBodiesEscapeTheMessageAndAppendExtraMembersSorted() {
        let error = AWSError(
            code: "LimitExceededException", message: "a \"quoted\" \\ line\nend\u{1}",
            extraMembers: ["Reason": "x", "Limit": "5"]
        )
        let body = String(decoding: AWSJSON.errorResponse(error, service: .kinesis, version: "1.0").body, as: UTF8.self)
        #expect(body == #"{"__type":"LimitExceededException","message":"a \"quoted\" \\ line\nend\u0001","#
            + #""Limit":"5","Reason":"x"}"#)
        #expect(Self.header(AWSJSON.errorResponse(error, service: .kinesis, version: "1.0"), "Content-Type")
            == "application/x-amz-json-1.0")
    }

    /// Every code of `reference/wire-protocols.md` §3 and every `awsQueryError` of the SQS model whose name differs.
    @Test(arguments: [
        ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"), ("QueueNameExists", "QueueAlreadyExists"),
        ("InvalidParameterValueException", "InvalidParameterValue"),
        ("MissingRequiredParameterException", "MissingParameter"), ("AccessDeniedException", "AccessDenied"),
        ("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
        ("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"),
        ("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"),
        ("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"),
        ("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"),
        ("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress"),
        ("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"),
        ("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
        ("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
        ("KmsAccessDenied", "KMS.AccessDeniedException"), ("KmsDisabled", "KMS.DisabledException"),
        ("KmsInvalidKeyUsage", "KMS.InvalidKeyUsageException"), ("KmsInvalidState", "KMS.InvalidStateException"),
        ("KmsNotFound", "KMS.NotFoundException"), ("KmsOptInRequired", "KMS.OptInRequired"),
        ("KmsThrottled", "KMS.ThrottlingException"),
        ("OverLimit", "OverLimit"), ("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"),
        ("InvalidAttributeName", "InvalidAttributeName"), ("ResourceNotFoundException", "ResourceNotFoundException"),
    ])
    func sqsErrorsCarryTheirQueryCode(code: String, queryCode: String) {
        let response = AWSJSON.errorResponse(AWSError(code: code, message: "m"), service: .sqs)
        #expect(Self.header(response, "x-amzn-query-error") == queryCode + ";Sender")
        #expect(AWSJSON.sqsQueryErrorCode(for: code) == queryCode)
    }

    @Test func successBodiesUseTheRequestVersionAndSortedKeys() throws {
        struct PutRecordOutput: Encodable {
            var ShardId = "shardId-000000000000"
            var SequenceNumber = "49590"
            var EncryptionType = "NONE"
        }
        let response = try AWSJSON.response(PutRecordOutput(), service: .kinesis)
        #expect(response.status == 200)
        #expect(Self.header(response, "Content-Type") == "application/x-amz-json-1.1")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"EncryptionType":"NONE","SequenceNumber":"49590","ShardId":"shardId-000000000000"}"#)
        let overridden = try AWSJSON.response(PutRecordOutput(), service: .kinesis, version: "1.0")
        #expect(Self.header(overridden, "Content-Type") == "application/x-amz-json-1.0")
    }

    @Test func blobsAreBase64AndTimestampsEpochSecondsOnTheWayOut() throws {
        struct Record: Encodable {
            var Data = Foundation.Data("hello".utf8)
            var ApproximateArrivalTimestamp = Date(timeIntervalSince1970: 1_732_530_000.5)
            var StreamARN = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
        }
        let body = String(decoding: try AWSJSON.response(Record(), service: .kinesis).body, as: UTF8.self)
        #expect(body == #"{"ApproximateArrivalTimestamp":1732530000.5,"Data":"aGVsbG8=","#
            + #""StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s"}"#)
    }

    @Test func anOutputWithoutMembersIsAnEmptyObject() {
        let response = AWSJSON.emptyResponse(service: .sqs)
        #expect(response.status == 200)
        #expect(Self.header(response, "Content-Type") == "application/x-amz-json-1.0")
        #expect(response.body == Array("{}".utf8))
    }

    @Test func anUnknownOperationIsA400() {
        let expected = AWSError(code: "UnknownOperationException", message: "Unknown operation Nope")
        #expect(AWSJSON.unknownOperation("Nope") == expected)
        #expect(AWSJSON.unknownOperation(nil).message == "The request names no operation")
        #expect(AWSJSON.unknownOperation(nil).status == 400)
    }
}
