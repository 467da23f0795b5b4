/// An AWS service Sluice serves on its one port (`reference/wire-protocols.md` §1).
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case lambda, kinesis, dynamoDB, dynamoDBStreams, sqs, sns

    /// The `X-Amz-Target` prefix of a JSON-protocol service (§2 step 1); `nil` for Lambda and SNS.
    public var targetPrefix: String? {
        switch self {
        case .kinesis: "Kinesis_20131202"
        case .dynamoDB: "DynamoDB_20120810"
        case .dynamoDBStreams: "DynamoDBStreams_20120810"
        case .sqs: "AmazonSQS"
        case .lambda, .sns: nil
        }
    }

    /// The model's JSON protocol version, `1.0` or `1.1` (§1); `nil` for Lambda (rest-json) and SNS (query).
    public var jsonVersion: String? {
        switch self {
        case .kinesis: "1.1"
        case .dynamoDB, .dynamoDBStreams, .sqs: "1.0"
        case .lambda, .sns: nil
        }
    }

    /// The query protocol's `Version` parameter (§2 step 3); `nil` for services that never speak query.
    public var queryVersion: String? {
        switch self {
        case .sqs: "2012-11-05"
        case .sns: "2010-03-31"
        case .lambda, .kinesis, .dynamoDB, .dynamoDBStreams: nil
        }
    }

    /// The XML namespace of query responses (§4); `nil` for services that never speak query.
    public var xmlNamespace: String? {
        switch self {
        case .sqs: "http://queue.amazonaws.com/doc/2012-11-05/"
        case .sns: "http://sns.amazonaws.com/doc/2010-03-31/"
        case .lambda, .kinesis, .dynamoDB, .dynamoDBStreams: nil
        }
    }
}

/// How a request is encoded (§1).
public enum ServiceProtocol: Sendable, Hashable {
    /// Lambda's REST JSON: method and path name the operation.
    case restJSON
    /// `X-Amz-Target` plus a JSON body; `version` is `1.0` or `1.1`, as the request's `Content-Type` says.
    case awsJSON(version: String)
    /// A form-encoded `Action=…` request answered in XML (SNS, SQS before the JSON switch).
    case awsQuery
    /// `X-Amz-Target` plus a CBOR body (`application/x-amz-cbor-1.1`), the AWS SDK for Java's default for Kinesis.
    /// Recognised only so the caller can answer `AWSJSON.cborErrorResponse(_:)`.
    case awsCBOR(version: String)
}

/// Which service and operation a request is for, decided from headers, path and form parameters alone
/// (`reference/wire-protocols.md` §2).
public struct ServiceRoute: Sendable, Hashable {
    public var service: AWSService
    public var `protocol`: ServiceProtocol
    /// The operation as the request names it (`X-Amz-Target` suffix or `Action`); `nil` for Lambda, whose own router
    /// reads method and path, and for JSON or query requests that name none.
    public var operation: String?

    public init(service: AWSService, protocol: ServiceProtocol, operation: String?) {
        self.service = service
        self.protocol = `protocol`
        self.operation = operation
    }

    /// Routes a request in §2's order: `X-Amz-Target` prefix; a date as the first path segment (Lambda, except the
    /// Runtime API's `/2018-06-01/runtime`); a form body or `Action` in the query (SQS or SNS, by credential scope,
    /// then `Version`, then the action's name, then an SQS queue path). `nil` when nothing matches.
    /// - Parameter request: the request as received; only headers, path, query and (for query requests) body are read.
    public static func route(_ request: IncomingRequest) -> ServiceRoute? {
        if let target = request.header("x-amz-target"),
            let route = targetRoute(target, contentType: request.header("content-type"))
        {
            return route
        }
        if isLambdaPath(request.rawPath) {
            return ServiceRoute(service: .lambda, protocol: .restJSON, operation: nil)
        }
        return queryRoute(request)
    }

    /// §2 step 1: `Kinesis_20131202.PutRecord` → Kinesis, `PutRecord`.
    static func targetRoute(_ target: String, contentType: String?) -> ServiceRoute? {
        let prefix = target.prefix { $0 != "." }
        guard let service = AWSService.allCases.first(where: { $0.targetPrefix?[...] == prefix }),
            let defaultVersion = service.jsonVersion
        else { return nil }
        let operation = target.dropFirst(prefix.count + 1)
        let proto: ServiceProtocol
        switch mediaType(contentType) {
        case "application/x-amz-cbor-1.1": proto = .awsCBOR(version: "1.1")
        case "application/x-amz-json-1.0": proto = .awsJSON(version: "1.0")
        case "application/x-amz-json-1.1": proto = .awsJSON(version: "1.1")
        default: proto = .awsJSON(version: defaultVersion)
        }
        return ServiceRoute(service: service, protocol: proto, operation: operation.isEmpty ? nil : String(operation))
    }

    /// §2 step 2: the first segment is `YYYY-MM-DD`, and the path is not the Runtime API's `/2018-06-01/runtime…`.
    static func isLambdaPath(_ rawPath: String) -> Bool {
        let segments = rawPath.utf8.split(separator: UInt8(ascii: "/"), maxSplits: 2, omittingEmptySubsequences: false)
        guard segments.count >= 2, segments[0].isEmpty else { return false }
        let first = Array(segments[1])
        let isDate =
            first.count == 10 && first[4] == UInt8(ascii: "-") && first[7] == UInt8(ascii: "-")
            && first.enumerated().allSatisfy {
                $0.offset == 4 || $0.offset == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element)
            }
        guard isDate else { return false }
        guard first.elementsEqual("2018-06-01".utf8), segments.count > 2 else { return true }
        let rest = segments[2]
        return !(rest.elementsEqual("runtime".utf8) || rest.starts(with: "runtime/".utf8))
    }

    /// §2 step 3: a form body, or `Action` in the query string.
    static func queryRoute(_ request: IncomingRequest) -> ServiceRoute? {
        let isForm = mediaType(request.header("content-type")) == "application/x-www-form-urlencoded"
        var parameters = AWSQuery.decodeForm(Array((request.rawQuery ?? "").utf8))
        guard isForm || parameters.contains(where: { $0.name == "Action" }) else { return nil }
        if isForm { parameters += AWSQuery.decodeForm(request.body) }
        let action = parameters.first { $0.name == "Action" }?.value
        let version = parameters.first { $0.name == "Version" }?.value
        let service: AWSService
        if let scoped = signingService(of: request).flatMap({ AWSService.queryServices[$0] }) {
            service = scoped
        } else if let version, let versioned = AWSService.allCases.first(where: { $0.queryVersion == version }) {
            service = versioned
        } else if let action, AWSService.snsActions.contains(action) {
            service = .sns
        } else if let action, AWSService.sqsActions.contains(action) {
            service = .sqs
        } else if isQueuePath(request.rawPath) {
            service = .sqs
        } else {
            return nil
        }
        return ServiceRoute(service: service, protocol: .awsQuery, operation: action)
    }

    /// A `Content-Type` without its parameters, lower-cased: `Application/JSON ; charset=utf-8` → `application/json`.
    static func mediaType(_ contentType: String?) -> String {
        let type = (contentType ?? "").prefix { $0 != ";" }.lowercased()
        return String(type.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// `/<12-digit account>/<queue name>`: where query-protocol SQS clients post (§1 note).
    static func isQueuePath(_ rawPath: String) -> Bool {
        let segments = rawPath.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return segments.count == 3 && segments[0].isEmpty && !segments[2].isEmpty && segments[1].count == 12
            && segments[1].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The service of the SigV4 credential scope, from the `Authorization` header or a presigned `X-Amz-Credential`.
    static func signingService(of request: IncomingRequest) -> String? {
        if let authorization = request.header("authorization") {
            return signingService(ofAuthorization: authorization)
        }
        let credential = AWSQuery.decodeForm(Array((request.rawQuery ?? "").utf8)).first {
            $0.name == "X-Amz-Credential"
        }
        return credential.flatMap { signingService(ofCredential: Array($0.value.utf8)[...]) }
    }

    /// `AWS4-HMAC-SHA256 Credential=AKID/20241125/us-east-1/sqs/aws4_request, …` → `sqs`, read byte by byte.
    static func signingService(ofAuthorization header: String) -> String? {
        let bytes = Array(header.utf8)
        guard let start = bytes.firstRange(of: "Credential=".utf8)?.upperBound else { return nil }
        let end = bytes[start...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") } ?? bytes.endIndex
        return signingService(ofCredential: bytes[start..<end])
    }

    /// `AKID/yyyymmdd/region/service/aws4_request` → `service` (read from the end: key ids may hold `/`).
    static func signingService(ofCredential credential: ArraySlice<UInt8>) -> String? {
        let parts = credential.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[parts.count - 1].elementsEqual("aws4_request".utf8) else { return nil }
        let service = parts[parts.count - 2]
        return service.isEmpty ? nil : String(decoding: service, as: UTF8.self)
    }
}

extension AWSService {
    /// Credential-scope signing names of the query services (§2 step 3).
    static let queryServices: [String: AWSService] = ["sqs": .sqs, "sns": .sns]

    /// Every SNS action of the botocore model (2010-03-31) except `AddPermission` and `RemovePermission`, which SQS
    /// has too.
    static let snsActions: Set<String> = [
        "CheckIfPhoneNumberIsOptedOut", "ConfirmSubscription", "CreatePlatformApplication", "CreatePlatformEndpoint",
        "CreateSMSSandboxPhoneNumber", "CreateTopic", "DeleteEndpoint", "DeletePlatformApplication",
        "DeleteSMSSandboxPhoneNumber", "DeleteTopic", "GetDataProtectionPolicy", "GetEndpointAttributes",
        "GetPlatformApplicationAttributes", "GetSMSAttributes", "GetSMSSandboxAccountStatus",
        "GetSubscriptionAttributes", "GetTopicAttributes", "ListEndpointsByPlatformApplication",
        "ListOriginationNumbers", "ListPhoneNumbersOptedOut", "ListPlatformApplications",
        "ListSMSSandboxPhoneNumbers", "ListSubscriptions", "ListSubscriptionsByTopic", "ListTagsForResource",
        "ListTopics", "OptInPhoneNumber", "Publish", "PublishBatch", "PutDataProtectionPolicy",
        "SetEndpointAttributes", "SetPlatformApplicationAttributes", "SetSMSAttributes", "SetSubscriptionAttributes",
        "SetTopicAttributes", "Subscribe", "TagResource", "Unsubscribe", "UntagResource",
        "VerifySMSSandboxPhoneNumber",
    ]

    /// Every SQS action of the botocore model (2012-11-05) except `AddPermission` and `RemovePermission`.
    static let sqsActions: Set<String> = [
        "CancelMessageMoveTask", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "CreateQueue",
        "DeleteMessage", "DeleteMessageBatch", "DeleteQueue", "GetQueueAttributes", "GetQueueUrl",
        "ListDeadLetterSourceQueues", "ListMessageMoveTasks", "ListQueueTags", "ListQueues", "PurgeQueue",
        "ReceiveMessage", "SendMessage", "SendMessageBatch", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue",
        "UntagQueue",
    ]
}
