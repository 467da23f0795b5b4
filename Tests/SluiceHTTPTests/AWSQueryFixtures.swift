@testable import SluiceHTTP

/// Query-protocol requests as botocore sends them (SNS with botocore 1.43, SQS with 1.31.0); see `CapturedRequest`.
extension CapturedRequest {
    static let snsPublish = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sns/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=9828abdd090b94161ba6bde2da003124e889bf1107f4ca172a801c27678639d3"
            ),
        ],
        body: [
            "Action=Publish",
            "Version=2010-03-31",
            "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At",
            "Message=hello+world%2B1",
            "MessageAttributes.entry.1.Name=a",
            "MessageAttributes.entry.1.Value.DataType=String",
            "MessageAttributes.entry.1.Value.StringValue=x+y",
            "MessageAttributes.entry.2.Name=n",
            "MessageAttributes.entry.2.Value.DataType=Number",
            "MessageAttributes.entry.2.Value.StringValue=6",
        ].joined(separator: "&")
    )

    static let snsSubscribe = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135223Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sns/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=1ff29acd5dd99c3d4efd4d9c8e06c5df4bcdd7bbca1d053fcf681e74ba15b5f4"
            ),
        ],
        body: [
            "Action=Subscribe",
            "Version=2010-03-31",
            "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At",
            "Protocol=sqs",
            "Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq",
            "Attributes.entry.1.key=RawMessageDelivery",
            "Attributes.entry.1.value=true",
            "Attributes.entry.2.key=FilterPolicy",
            "Attributes.entry.2.value=%7B%22a%22%3A%5B%22x%22%5D%7D",
        ].joined(separator: "&")
    )

    static let legacySQSSendMessage = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135224Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=e6468c18190d9fd64849e35bc3f02094b24de8c5a548caa97a8671fe9152b424"
            ),
        ],
        body: [
            "Action=SendMessage",
            "Version=2012-11-05",
            "QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq",
            "MessageBody=a+%22b%22+%26+%3Cc%3E",
            "MessageAttribute.1.Name=Author",
            "MessageAttribute.1.Value.DataType=String",
            "MessageAttribute.1.Value.StringValue=John+Grisham",
        ].joined(separator: "&")
    )

    static let legacySQSReceiveMessage = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135224Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=2dc56d6879904c800e5a959578bd5481b54765863aad182065a334e7be5f1824"
            ),
        ],
        body: [
            "Action=ReceiveMessage",
            "Version=2012-11-05",
            "QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq",
            "MaxNumberOfMessages=10",
            "AttributeName.1=All",
            "MessageAttributeName.1=All",
        ].joined(separator: "&")
    )

    static let legacySQSDeleteMessageBatch = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135224Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=094590a5fd5505bf600aa0c00cf0e6ba575cde83ed05d6a454aa00027695c163"
            ),
        ],
        body: [
            "Action=DeleteMessageBatch",
            "Version=2012-11-05",
            "QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq",
            "DeleteMessageBatchRequestEntry.1.Id=a",
            "DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1",
            "DeleteMessageBatchRequestEntry.2.Id=b",
            "DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2",
        ].joined(separator: "&")
    )

    static let legacySQSSetQueueAttributes = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135224Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=7721191a58cd5058f6c39b5bda38d79b5d1e7a71620462b5f155e6959e618f70"
            ),
        ],
        body: [
            "Action=SetQueueAttributes",
            "Version=2012-11-05",
            "QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq",
            "Attribute.1.Name=VisibilityTimeout",
            "Attribute.1.Value=30",
        ].joined(separator: "&")
    )

    static let legacySQSAddPermission = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135224Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=8d768d830f9c0808c2d8b7f163914c08299d07e68b6fb04d7dee3e19f34c248e"
            ),
        ],
        body: [
            "Action=AddPermission",
            "Version=2012-11-05",
            "QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq",
            "Label=l",
            "AWSAccountId.1=111111111111",
            "ActionName.1=SendMessage",
        ].joined(separator: "&")
    )

    static let snsPublishBatch = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135629Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sns/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=12b16b37def0cdde671a7d5b469c896f796378e60bdfc5a9b23a25416fb6905b"
            ),
        ],
        body: [
            "Action=PublishBatch",
            "Version=2010-03-31",
            "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At",
            "PublishBatchRequestEntries.member.1.Id=1",
            "PublishBatchRequestEntries.member.1.Message=a",
            "PublishBatchRequestEntries.member.2.Id=2",
            "PublishBatchRequestEntries.member.2.Message=b",
            "PublishBatchRequestEntries.member.2.Subject=s",
        ].joined(separator: "&")
    )

    static let snsUntagResource = CapturedRequest(
        headers: [
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20261129T135629Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/sns/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=75144d27bc709fdf22a0ecd410f393a418986d713f489d2ce52d345335ad9972"
            ),
        ],
        body: [
            "Action=UntagResource",
            "Version=2010-03-31",
            "ResourceArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At",
            "TagKeys.member.1=k1",
            "TagKeys.member.2=k2",
        ].joined(separator: "&")
    )
}
