import SluiceCore
import Testing

@testable import SluiceSources

/// Queue attributes, names and redrive policies as the botocore model and AWS's answers define them.
@Suite struct QueueAttributesTests {
    func applied(_ values: [String: String], fifo: Bool = false) throws(AWSError) -> SQS.QueueAttributes {
        var attributes = SQS.QueueAttributes(fifoQueue: fifo)
        try attributes.apply(values)
        return attributes
    }

    func error(_ values: [String: String], fifo: Bool = false) -> AWSError? {
        do {
            _ = try applied(values, fifo: fifo)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsAreTheModelDefaults() {
        let values = SQS.QueueAttributes().values
        #expect(values["VisibilityTimeout"] == "30" && values["MessageRetentionPeriod"] == "345600")
        #expect(values["DelaySeconds"] == "0" && values["ReceiveMessageWaitTimeSeconds"] == "0")
        #expect(values["MaximumMessageSize"] == "1048576" && values["SqsManagedSseEnabled"] == "true")
        #expect(values["FifoQueue"] == nil && values["RedrivePolicy"] == nil)
    }

    @Test(arguments: [
        ("VisibilityTimeout", "0", true), ("VisibilityTimeout", "43200", true), ("VisibilityTimeout", "43201", false),
        ("VisibilityTimeout", "-1", false), ("VisibilityTimeout", " 2", false), ("VisibilityTimeout", "", false),
        ("MessageRetentionPeriod", "60", true), ("MessageRetentionPeriod", "59", false),
        ("MessageRetentionPeriod", "1209600", true), ("MessageRetentionPeriod", "1209601", false),
        ("DelaySeconds", "900", true), ("DelaySeconds", "901", false), ("DelaySeconds", "544.43", false),
        ("ReceiveMessageWaitTimeSeconds", "20", true), ("ReceiveMessageWaitTimeSeconds", "21", false),
        ("MaximumMessageSize", "1024", true), ("MaximumMessageSize", "1000", false),
        ("MaximumMessageSize", "1048576", true), ("MaximumMessageSize", "1048577", false),
        ("KmsDataKeyReusePeriodSeconds", "86401", false), ("SqsManagedSseEnabled", "yes", false),
    ])
    func numericAttributesKeepToTheirRanges(name: String, value: String, valid: Bool) {
        let failure = error([name: value])
        #expect(failure == nil || failure == .invalidAttributeValue("Invalid value for the parameter \(name)."))
        #expect((failure == nil) == valid)
    }

    @Test(arguments: ["QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp", "Bogus", "All"])
    func readOnlyAndUnknownAttributesAreUnknown(name: String) {
        #expect(error([name: "1"]) == .invalidAttributeName("Unknown Attribute \(name)."))
    }

    @Test func fifoAttributesAreUnknownOnStandardQueues() {
        #expect(
            error(["ContentBasedDeduplication": "true"])
                == .invalidAttributeName("Unknown Attribute ContentBasedDeduplication."))
        #expect(error(["FifoQueue": "false"]) == .invalidAttributeName("Unknown Attribute FifoQueue."))
        #expect(
            error(["DeduplicationScope": "queue"])?.message
                == "You can specify the DeduplicationScope only when FifoQueue is set to true.")
    }

    @Test func fifoQueuesCannotBecomeStandard() {
        #expect(error(["FifoQueue": "false"], fifo: true)?.code == "InvalidAttributeValue")
        #expect(error(["FifoQueue": "true", "ContentBasedDeduplication": "true"], fifo: true) == nil)
    }

    @Test func fifoQueuesRenderTheirFifoAttributes() throws {
        let values = try applied(["ContentBasedDeduplication": "true"], fifo: true).values
        #expect(values["FifoQueue"] == "true" && values["ContentBasedDeduplication"] == "true")
        #expect(values["DeduplicationScope"] == "queue" && values["FifoThroughputLimit"] == "perQueue")
    }

    @Test func redrivePolicyIsParsedAndRenderedCompactly() throws {
        let policy = try SQS.RedrivePolicy(
            parsing: #"{"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}"#)
        #expect(policy.maxReceiveCount == 5)
        #expect(policy.json == #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":5}"#)
    }

    @Test func anUnparsableRedrivePolicyIsNotAJSONMap() {
        #expect(
            error(["RedrivePolicy": " "])?.message
                == "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map."
        )
    }

    @Test(arguments: [
        ("{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."),
        (#"{"maxReceiveCount":5}"#, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."),
        (
            #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d","maxReceiveCount":1001}"#,
            "Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive."
        ),
        (
            #"{"deadLetterTargetArn":"arn:aws:sns:us-east-1:000000000000:t","maxReceiveCount":5}"#,
            "Invalid value for deadLetterTargetArn."
        ),
    ])
    func invalidRedrivePoliciesAnswerAWSMessages(text: String, reason: String) {
        let failure = error(["RedrivePolicy": text])
        #expect(failure?.code == "InvalidParameterValueException")
        #expect(failure?.message == "Value \(text) for parameter RedrivePolicy is invalid. Reason: \(reason)")
    }

    @Test(arguments: [
        (#"{"redrivePermission":"allowAll"}"#, true), (#"{"redrivePermission":"denyAll"}"#, true),
        (#"{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a"]}"#, true),
        (#"{"redrivePermission":"byQueue"}"#, false),
        (#"{"redrivePermission":"allowAll","sourceQueueArns":["x"]}"#, false),
        ("badjson", false), ("{}", false), (#"{"redrivePermission":"allowAll","dummy":1}"#, false),
    ])
    func redriveAllowPoliciesAreValidated(text: String, valid: Bool) {
        #expect((error(["RedriveAllowPolicy": text]) == nil) == valid)
    }

    @Test func firstDifferenceNamesTheChangedAttribute() throws {
        let attributes = try applied(["VisibilityTimeout": "60"])
        #expect(try attributes.firstDifference(from: ["VisibilityTimeout": "60", "DelaySeconds": "0"]) == nil)
        #expect(
            try attributes.firstDifference(from: ["DelaySeconds": "5", "VisibilityTimeout": "30"]) == "DelaySeconds")
    }

    @Test(arguments: [
        ("orders", false, true), ("a-b_C9", false, true), (String(repeating: "q", count: 80), false, true),
        (String(repeating: "q", count: 81), false, false), ("", false, false), ("in.fo", false, false),
        ("x.fifo", false, false), ("x.fifo", true, true), ("x", true, false),
        (String(repeating: "q", count: 75) + ".fifo", true, true),
        (String(repeating: "q", count: 76) + ".fifo", true, false), ("ééwwà", false, false),
    ])
    func queueNamesFollowAWSRules(name: String, fifo: Bool, valid: Bool) {
        #expect(((try? SQS.QueueName.validate(name, fifo: fifo)) != nil) == valid)
    }

    @Test func queueAddressesParseURLsPathsAndNames() {
        let identity = RequestIdentity(region: "eu-west-1")
        let expected = SQS.QueueAddress(region: "eu-west-1", account: "000000000000", name: "q")
        #expect(SQS.QueueAddress(queueURL: "http://localhost:4566/000000000000/q", identity: identity) == expected)
        #expect(SQS.QueueAddress(queueURL: "/000000000000/q", identity: identity) == expected)
        #expect(SQS.QueueAddress(queueURL: "q", identity: identity) == expected)
        #expect(SQS.QueueAddress(queueURL: "http://localhost:4566/", identity: identity) == nil)
        #expect(expected.arn == "arn:aws:sqs:eu-west-1:000000000000:q")
        #expect(expected.url(base: "http://127.0.0.1:9324/") == "http://127.0.0.1:9324/000000000000/q")
        #expect(SQS.QueueAddress(arn: "arn:aws:sqs:eu-west-1:000000000000:q") == expected)
    }
}
