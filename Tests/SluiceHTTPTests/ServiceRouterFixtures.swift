@testable import SluiceHTTP

/// Requests exactly as botocore sends them, for the router and decoder tests.
///
/// How they were made: `botocore.session.get_session().create_client(<service>, region_name="us-east-1",
/// endpoint_url="http://localhost:4566")` with test/test credentials and a `before-send` handler that recorded
/// `request.headers` and `request.body` and returned a canned response. Current botocore (1.43) gave the Kinesis,
/// DynamoDB, DynamoDB Streams, SQS (JSON protocol) and SNS requests; botocore 1.31.0, the last line whose SQS model
/// was still the query protocol, gave the `legacySQS…` ones. Headers kept: `x-amz-target`, `content-type`,
/// `x-amzn-query-mode`, `x-amz-date`, `authorization` (user agent, lengths and invocation ids left out).
struct CapturedRequest: Sendable {
    var headers: [(name: String, value: String)]
    var body: String

    /// The request as the server hands it on: lower-case header names plus `host`, path `/` unless given.
    func request(path: String = "/", query: String? = nil) -> IncomingRequest {
        IncomingRequest(
            method: "POST", rawPath: path, rawQuery: query, headers: headers + [("host", "localhost:4566")],
            body: Array(body.utf8)
        )
    }
}

/// JSON-protocol requests (`X-Amz-Target`).
extension CapturedRequest {
    static let kinesisPutRecord = CapturedRequest(
        headers: [
            ("x-amz-target", "Kinesis_20131202.PutRecord"),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=2293a894c18927e5eee0bdd77f2b83767bcac3ead81a372296360a0947844c7b"
            ),
        ],
        body: #"{"StreamName": "s", "Data": "aGVsbG8=", "PartitionKey": "k"}"#
    )

    static let kinesisGetRecords = CapturedRequest(
        headers: [
            ("x-amz-target", "Kinesis_20131202.GetRecords"),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=177d2b927c2c1c3e0706d1d142207ce19e6557d1c3369d73042df0c7e34f0333"
            ),
        ],
        body: #"{"ShardIterator": "AAAA/iter+1==", "Limit": 100}"#
    )

    static let sqsSendMessage = CapturedRequest(
        headers: [
            ("x-amz-target", "AmazonSQS.SendMessage"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amzn-query-mode", "true"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, "
                    + "Signature=d5b4eb2caeac9cdcd94e0192494a6adad989879b0d31241ac45ba4eaddfdde11"
            ),
        ],
        body: #"{"QueueUrl": "http://localhost:4566/000000000000/q", "MessageBody": "a \"b\" & <c>\r\n", ""#
            + #"MessageAttributes": {"Author": {"DataType": "String", "StringValue": "John Grisham"}, ""#
            + #"Blob": {"DataType": "Binary", "BinaryValue": "AAE="}}}"#
    )

    static let sqsReceiveMessage = CapturedRequest(
        headers: [
            ("x-amz-target", "AmazonSQS.ReceiveMessage"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amzn-query-mode", "true"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, "
                    + "Signature=95688dd093dff23d36a7ee69538f997af429f658068d464de76d342fffdcbd43"
            ),
        ],
        body: #"{"QueueUrl": "http://localhost:4566/000000000000/q", "MaxNumberOfMessages": 10, ""#
            + #"WaitTimeSeconds": 20, "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]}"#
    )

    static let sqsGetQueueAttributes = CapturedRequest(
        headers: [
            ("x-amz-target", "AmazonSQS.GetQueueAttributes"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amzn-query-mode", "true"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, "
                    + "Signature=0085f5ae9e452193e65fa3ec0350906af83fd7f85d34b72e5354f73bb493fafb"
            ),
        ],
        body: #"{"QueueUrl": "http://localhost:4566/000000000000/q", "AttributeNames": ["VisibilityTimeout", ""#
            + #"RedrivePolicy"]}"#
    )

    static let dynamoDBStreamsListStreams = CapturedRequest(
        headers: [
            ("x-amz-target", "DynamoDBStreams_20120810.ListStreams"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-date", "20261129T135229Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/dynamodb/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=8ca454ec43f5f4b4e70aed885d88b97218c0d2f4432e60bca23d2e0cf0aba7a2"
            ),
        ],
        body: #"{"TableName": "tbl"}"#
    )

    static let dynamoDBDescribeTable = CapturedRequest(
        headers: [
            ("x-amz-target", "DynamoDB_20120810.DescribeTable"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-date", "20261129T135229Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/dynamodb/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=019824f1726db6e0a75160164c1c5e0a7f2cf773e8e5555cb7eee5713722122f"
            ),
        ],
        body: #"{"TableName": "tbl"}"#
    )
}
