import Testing

@testable import SluiceHTTP

/// Telling the services apart on one port (`reference/wire-protocols.md` §2), first on requests botocore really sends
/// (`CapturedRequest`), then on the edges of each rule.
@Suite struct ServiceRouterTests {
    static func request(
        _ method: String = "POST", _ path: String = "/", query: String? = nil,
        headers: [(name: String, value: String)] = [], body: String = ""
    ) -> IncomingRequest {
        IncomingRequest(method: method, rawPath: path, rawQuery: query, headers: headers, body: Array(body.utf8))
    }

    static func authorization(service: String) -> (name: String, value: String) {
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20241125/us-east-1/\(service)/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=" + String(repeating: "0", count: 64)
        )
    }

    static let form = (name: "content-type", value: "application/x-www-form-urlencoded; charset=utf-8")

    @Test(arguments: [
        (CapturedRequest.kinesisPutRecord, AWSService.kinesis, ServiceProtocol.awsJSON(version: "1.1"), "PutRecord"),
        (.kinesisGetRecords, .kinesis, .awsJSON(version: "1.1"), "GetRecords"),
        (.dynamoDBDescribeTable, .dynamoDB, .awsJSON(version: "1.0"), "DescribeTable"),
        (.dynamoDBStreamsListStreams, .dynamoDBStreams, .awsJSON(version: "1.0"), "ListStreams"),
        (.sqsSendMessage, .sqs, .awsJSON(version: "1.0"), "SendMessage"),
        (.sqsReceiveMessage, .sqs, .awsJSON(version: "1.0"), "ReceiveMessage"),
        (.sqsGetQueueAttributes, .sqs, .awsJSON(version: "1.0"), "GetQueueAttributes"),
        (.snsPublish, .sns, .awsQuery, "Publish"),
        (.snsSubscribe, .sns, .awsQuery, "Subscribe"),
        (.snsPublishBatch, .sns, .awsQuery, "PublishBatch"),
        (.legacySQSSendMessage, .sqs, .awsQuery, "SendMessage"),
        (.legacySQSReceiveMessage, .sqs, .awsQuery, "ReceiveMessage"),
        (.legacySQSDeleteMessageBatch, .sqs, .awsQuery, "DeleteMessageBatch"),
        (.legacySQSAddPermission, .sqs, .awsQuery, "AddPermission"),
    ] as [(CapturedRequest, AWSService, ServiceProtocol, String)])
    func routesWhatBotocoreSends(
        captured: CapturedRequest, service: AWSService, proto: ServiceProtocol, operation: String
    ) {
        let route = ServiceRoute.route(captured.request())
        #expect(route == ServiceRoute(service: service, protocol: proto, operation: operation))
    }

    @Test func dynamoDBStreamsIsToldFromDynamoDBByTargetAloneThoughBothSignAsDynamodb() {
        #expect(ServiceRoute.signingService(of: CapturedRequest.dynamoDBStreamsListStreams.request()) == "dynamodb")
        #expect(ServiceRoute.route(CapturedRequest.dynamoDBStreamsListStreams.request())?.service == .dynamoDBStreams)
    }

    @Test(arguments: [
        ("application/x-amz-json-1.0", ServiceProtocol.awsJSON(version: "1.0")),
        ("application/x-amz-json-1.1; charset=utf-8", .awsJSON(version: "1.1")),
        ("Application/X-Amz-JSON-1.0 ; charset=utf-8", .awsJSON(version: "1.0")),
        ("", .awsJSON(version: "1.1")),
        ("application/x-amz-cbor-1.1", .awsCBOR(version: "1.1")),
    ] as [(String, ServiceProtocol)])
    func theContentTypeChoosesTheJSONVersionOrCBOR(contentType: String, proto: ServiceProtocol) {
        let request = Self.request(
            headers: [("x-amz-target", "Kinesis_20131202.GetRecords"), ("content-type", contentType)]
        )
        let expected = ServiceRoute(service: .kinesis, protocol: proto, operation: "GetRecords")
        #expect(ServiceRoute.route(request) == expected)
    }

    @Test func aTargetWithoutOperationRoutesWithNoOperation() {
        let route = ServiceRoute.route(Self.request(headers: [("x-amz-target", "AmazonSQS")]))
        #expect(route == ServiceRoute(service: .sqs, protocol: .awsJSON(version: "1.0"), operation: nil))
    }

    @Test func anUnknownTargetPrefixFallsThroughToTheOtherRules() {
        #expect(ServiceRoute.route(Self.request(headers: [("x-amz-target", "AWSEvents.PutEvents")])) == nil)
        let lambda = Self.request("GET", "/2015-03-31/functions/", headers: [("x-amz-target", "Foo.Bar")])
        #expect(ServiceRoute.route(lambda)?.service == .lambda)
    }

    @Test(arguments: [
        "/2015-03-31/functions/f/invocations", "/2015-03-31/event-source-mappings/", "/2017-03-31/tags/arn%3Aaws",
        "/2016-08-19/account-settings", "/2019-09-25/functions/f/event-invoke-config", "/2015-03-31",
        "/2018-06-01/runtimes", "/2018-06-01/functions",
    ])
    func datedPathsGoToLambda(path: String) {
        let lambda = ServiceRoute(service: .lambda, protocol: .restJSON, operation: nil)
        #expect(ServiceRoute.route(Self.request("GET", path)) == lambda)
    }

    @Test(arguments: [
        "/2018-06-01/runtime/invocation/next", "/2018-06-01/runtime", "/", "", "/2015-3-31/functions",
        "/20150-3-31/x", "/2015-03-3x/functions", "/000000000000/q", "/health",
    ])
    func theRuntimeAPIAndUndatedPathsDoNot(path: String) {
        #expect(ServiceRoute.route(Self.request("GET", path)) == nil)
    }

    @Test func aDatedPathWinsOverAFormBody() {
        let request = Self.request("POST", "/2015-03-31/functions", headers: [Self.form], body: "Action=Publish")
        #expect(ServiceRoute.route(request)?.service == .lambda)
    }

    /// §2 step 3, rule by rule: scope beats Version, Version beats the action's name, the name beats the path.
    @Test(arguments: [
        ([authorization(service: "sns")], "Action=SendMessage&Version=2012-11-05", "/000000000000/q", AWSService.sns),
        ([authorization(service: "sqs")], "Action=Publish&Version=2010-03-31", "/", .sqs),
        ([authorization(service: "execute-api")], "Action=Publish&Version=2012-11-05", "/", .sqs),
        ([], "Action=SendMessage&Version=2010-03-31", "/", .sns),
        ([], "Action=AddPermission&Version=2012-11-05", "/", .sqs),
        ([], "Action=RemovePermission&Version=2010-03-31", "/000000000000/q", .sns),
        ([], "Action=Publish", "/000000000000/q", .sns),
        ([], "Action=CreateQueue", "/", .sqs),
        ([], "Action=AddPermission", "/000000000000/q", .sqs),
        ([], "Version=2012-11-05", "/", .sqs),
    ] as [([(name: String, value: String)], String, String, AWSService)])
    func queryRequestsAreToldApartInOrder(
        headers: [(name: String, value: String)], body: String, path: String, service: AWSService
    ) {
        let route = ServiceRoute.route(Self.request("POST", path, headers: headers + [Self.form], body: body))
        #expect(route?.service == service)
        #expect(route?.protocol == .awsQuery)
    }

    @Test(arguments: ["Action=AddPermission", "Action=RemovePermission", "Action=Nope", "", "Version=2011-01-01"])
    func aQueryRequestNothingIdentifiesIsNotRouted(body: String) {
        #expect(ServiceRoute.route(Self.request(headers: [Self.form], body: body)) == nil)
    }

    @Test func anActionInTheQueryStringRoutesAGetWithoutForm() {
        let request = Self.request("GET", "/000000000000/q", query: "Action=ReceiveMessage&MaxNumberOfMessages=1")
        let expected = ServiceRoute(service: .sqs, protocol: .awsQuery, operation: "ReceiveMessage")
        #expect(ServiceRoute.route(request) == expected)
        #expect(ServiceRoute.route(Self.request("GET", "/", query: "Foo=ReceiveMessage")) == nil)
    }

    @Test func theFormContentTypeIsMatchedWithoutCaseOrParameters() {
        let request = Self.request(
            headers: [("content-type", "Application/X-WWW-Form-URLEncoded ; charset=UTF-8")], body: "Action=Publish"
        )
        #expect(ServiceRoute.route(request) == ServiceRoute(service: .sns, protocol: .awsQuery, operation: "Publish"))
    }

    @Test func aFormWithoutActionRoutesWithNoOperation() {
        let route = ServiceRoute.route(Self.request(headers: [Self.form], body: "Version=2010-03-31&TopicArn=x"))
        #expect(route == ServiceRoute(service: .sns, protocol: .awsQuery, operation: nil))
    }

    @Test func thePresignedCredentialScopeCountsToo() {
        let query = "Action=AddPermission&X-Amz-Credential=AKID%2F20241125%2Fus-east-1%2Fsqs%2Faws4_request"
        #expect(ServiceRoute.route(Self.request("GET", "/", query: query))?.service == .sqs)
    }

    @Test(arguments: [
        ("AWS4-HMAC-SHA256 Credential=t/20241125/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=ab", "sns"),
        ("AWS4-HMAC-SHA256 Credential=a/b/20241125/eu-west-1/sqs/aws4_request,SignedHeaders=host,Signature=ab", "sqs"),
        ("AWS4-HMAC-SHA256 SignedHeaders=host, Credential=k/20241125/us-east-1/kinesis/aws4_request", "kinesis"),
        ("AWS4-HMAC-SHA256 Credential=k/20241125/us-east-1//aws4_request, SignedHeaders=host", nil),
        ("AWS4-HMAC-SHA256 Credential=k/us-east-1/sqs, SignedHeaders=host", nil),
        ("Bearer abc", nil),
    ] as [(String, String?)])
    func readsTheSigningServiceFromTheCredentialScope(header: String, service: String?) {
        #expect(ServiceRoute.signingService(ofAuthorization: header) == service)
    }

    @Test func everyActionBelongsToOneServiceExceptThePermissionPair() {
        #expect(AWSService.snsActions.isDisjoint(with: AWSService.sqsActions))
        #expect(AWSService.snsActions.count == 40 && AWSService.sqsActions.count == 21)
        for shared in ["AddPermission", "RemovePermission"] {
            #expect(!AWSService.snsActions.contains(shared) && !AWSService.sqsActions.contains(shared))
        }
    }

    @Test func eachServiceKnowsItsWireNames() {
        let prefixes = AWSService.allCases.compactMap(\.targetPrefix)
        #expect(prefixes == ["Kinesis_20131202", "DynamoDB_20120810", "DynamoDBStreams_20120810", "AmazonSQS"])
        #expect(AWSService.sqs.xmlNamespace == "http://queue.amazonaws.com/doc/2012-11-05/")
        #expect(AWSService.sns.xmlNamespace == "http://sns.amazonaws.com/doc/2010-03-31/")
        #expect(AWSService.sns.queryVersion == "2010-03-31" && AWSService.sqs.queryVersion == "2012-11-05")
    }
}
