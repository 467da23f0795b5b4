import Foundation
import Testing

@testable import SluiceHTTP

// Golden vectors (reference/wire-protocols.md §6) were produced with botocore 1.43.11, signing at a fixed time:
//
//     FIXED = datetime.datetime(2024, 11, 25, 10, 0, 0)
//     creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//     req = AWSRequest(method=method, url="http://localhost:4566" + path_and_query, data=body)
//     for k, v in headers: req.headers[k] = v      # HTTPHeaders appends, so a repeated name keeps both values
//     with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
//         SigV4Auth(creds, service, region).add_auth(req)   # or SigV4QueryAuth(creds, service, region, expires=300)
//     print(req.url, req.headers.items())                    # add_auth sets X-Amz-Date (or Date) and Authorization
//
// The session-token vectors use
// Credentials("ASIAEXAMPLE", "sessionSecret/KEY+1", token="FQoGZXIvYXdzEXAMPLE//token==").
// The headers below are the ones botocore set, plus `Host` (added by the HTTP client; botocore signs the value it
// derives from the URL) and, where noted, unsigned headers real clients send.

private let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
private let sessionSecret = "sessionSecret/KEY+1"

struct SigV4GoldenVector: Sendable, CustomTestStringConvertible {
    var name: String
    var secretKey = secret
    var method: String
    var path: String
    var query: String?
    var headers: [(name: String, value: String)]
    var body = ""

    var testDescription: String { name }

    /// The authorization from the `Authorization` header, or else from the presigned query.
    var authorization: SigV4Authorization? {
        if let header = headers.first(where: { $0.name == "Authorization" }) {
            return SigV4Authorization(header: header.value)
        }
        return SigV4Authorization(query: decodedQuery(query ?? ""))
    }

    /// What a server computes for this request.
    func computedSignature(
        path: String? = nil,
        body: String? = nil,
        secretKey: String? = nil
    ) throws -> String {
        let authorization = try #require(authorization)
        let amzDate = try #require(SigV4.requestTimestamp(authorization: authorization, headers: headers))
        return SigV4.signature(
            secretKey: secretKey ?? self.secretKey,
            authorization: authorization,
            amzDate: amzDate,
            method: method,
            rawPath: path ?? self.path,
            rawQuery: query,
            headers: headers,
            payloadHash: SigV4.payloadHash(headers: headers, body: Array((body ?? self.body).utf8))
        )
    }
}

private func decodedQuery(_ rawQuery: String) -> [(name: String, value: String)] {
    rawQuery.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
        return (name, value)
    }
}

private let host = (name: "Host", value: "localhost:4566")
private let amzDate = (name: "X-Amz-Date", value: "20241125T100000Z")

private let botocoreVectors: [SigV4GoldenVector] = [
    SigV4GoldenVector(
        name: "Lambda GET with a percent-encoded ARN in the path",
        method: "GET",
        path: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/configuration",
        headers: [
            host,
            (
                "User-Agent",
                "Botocore/1.43.11 ua/2.1 os/linux md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/N,D,b,Z,e"
            ),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, "
                    + "Signature=a7b97859fef602704b382c177cd1e60227443afc6a816529126e4f0a83ff1a1b"
            ),
            // A real botocore client adds these after signing; they must not matter.
            ("amz-sdk-invocation-id", "c5b57d81-f7a7-46e5-8af0-8a9fa24d4df7"),
            ("amz-sdk-request", "attempt=1"),
        ]
    ),
    SigV4GoldenVector(
        name: "Lambda GET with query parameters",
        method: "GET",
        path: "/2015-03-31/functions/",
        query: "MaxItems=2&FunctionName=f&Marker=abc%3D",
        headers: [
            host, amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, "
                    + "Signature=29a8419e541a8418765d1e1fd664172cd1efaf628c32b22d40843a4f52c5ed84"
            ),
        ]
    ),
    SigV4GoldenVector(
        name: "Lambda POST with a JSON body",
        method: "POST",
        path: "/2015-03-31/functions/f/invocations",
        headers: [
            host,
            ("Content-Type", "application/json"),
            ("X-Amz-Invocation-Type", "RequestResponse"),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, "
                    + "Signature=2989705d83fba11bd1e765e51071feeaff128555ce8428045aa408bedc1d26e5"
            ),
        ],
        body: #"{"hello": "world"}"#
    ),
    SigV4GoldenVector(
        name: "Kinesis JSON 1.1 POST with X-Amz-Target",
        method: "POST",
        path: "/",
        headers: [
            host,
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "Kinesis_20131202.PutRecord"),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=b3222bb6263b267bb3919d0096d594ccdc038f6f01cd08f769e9a693e18a6c06"
            ),
        ],
        body: #"{"StreamName":"s","Data":"aGVsbG8=","PartitionKey":"k"}"#
    ),
    SigV4GoldenVector(
        name: "SQS query-protocol form POST",
        method: "POST",
        path: "/",
        headers: [
            host,
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=5424ddd34a7172d6554d95cb2e462d3b8003938096ecd1badaf357b2bc1bd5ed"
            ),
        ],
        body: "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq"
            + "&MessageBody=hi%20there"
    ),
    SigV4GoldenVector(
        name: "DynamoDB POST signed with a session token",
        secretKey: sessionSecret,
        method: "POST",
        path: "/",
        headers: [
            host,
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "DynamoDB_20120810.ListTables"),
            amzDate,
            ("X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE//token=="),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20241125/us-east-1/dynamodb/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                    + "Signature=ef9eefaa94f86ffb5573422cd85d64c20292b4ec3ddceb562322a8c6f1133e46"
            ),
        ],
        body: "{}"
    ),
    SigV4GoldenVector(
        name: "SQS presigned GET (SigV4QueryAuth, expires=300)",
        method: "GET",
        path: "/000000000000/q",
        query: "Action=ReceiveMessage&Version=2012-11-05&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIDEXAMPLE%2F20241125%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=20241125T100000Z"
            + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=c612447c7c1c21d39dc45113e285d76f74b35218e796b2b913625cc7617fbd15",
        headers: [host]
    ),
    SigV4GoldenVector(
        name: "Lambda presigned GET with a session token (SigV4QueryAuth, expires=60)",
        secretKey: sessionSecret,
        method: "GET",
        path: "/2015-03-31/functions/f",
        query: "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=ASIAEXAMPLE%2F20241125%2Fus-east-1%2Flambda%2Faws4_request"
            + "&X-Amz-Date=20241125T100000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
            + "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2F%2Ftoken%3D%3D"
            + "&X-Amz-Signature=ea11c23805af5350b911492bb46971748d39ac7ae4e9aa367914fafd7d8c6c27",
        headers: [host]
    ),
    SigV4GoldenVector(
        name: "SNS form POST timed by the Date header instead of X-Amz-Date",
        method: "POST",
        path: "/",
        headers: [
            host,
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("Date", "Mon, 25 Nov 2024 10:00:00 -0000"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/sns/aws4_request, "
                    + "SignedHeaders=content-type;date;host, "
                    + "Signature=6a4d8774eacb368c0a06c434bea365c48988d7460ecfd7cca5773860d5e2e655"
            ),
        ],
        body: "Action=ListTopics&Version=2010-03-31"
    ),
    SigV4GoldenVector(
        name: "path with dot segments, repeated slashes and an encoded space",
        method: "GET",
        path: "//2015-03-31/./functions/x/../f%20g/",
        headers: [
            host, amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, "
                    + "Signature=59f294f0d39ed789fd4227adf3f2d2c2c0a6ee0cf12e132e3c75c586746b8174"
            ),
        ]
    ),
    SigV4GoldenVector(
        name: "PUT with an unsigned payload, a custom header full of whitespace and a non-default port",
        method: "PUT",
        path: "/2015-03-31/functions/f/code",
        headers: [
            (name: "Host", value: "localhost:9001"),
            ("X-Custom", "  a   b\t c  "),
            ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"),
            ("User-Agent", "x"),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-custom, "
                    + "Signature=0aa211a64469d7946933a4c87b920706abbcbf477e86acea96ca9a90cacdf6a9"
            ),
        ],
        body: "zip"
    ),
    SigV4GoldenVector(
        name: "SQS JSON POST in eu-west-2 with a repeated header",
        method: "POST",
        path: "/",
        headers: [
            host,
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "AmazonSQS.ListQueues"),
            ("X-Dup", "one"),
            ("x-dup", "  two  three "),
            amzDate,
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/eu-west-2/sqs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-dup, "
                    + "Signature=a58034adeb60f0e0d08eb9c2b4c047d5e63ddd7d882ba987a4c1d166b653caad"
            ),
        ],
        body: "{}"
    ),
]

@Suite("SigV4 signature")
struct SigV4SignatureTests {
    @Test(arguments: botocoreVectors)
    func computesTheSameSignatureAsBotocore(_ vector: SigV4GoldenVector) throws {
        let authorization = try #require(vector.authorization)
        let computed = try vector.computedSignature()
        #expect(computed == authorization.signature)
        #expect(SigV4.constantTimeEquals(computed, authorization.signature))
    }

    @Test(arguments: botocoreVectors)
    func changingOneByteOfThePathChangesTheSignature(_ vector: SigV4GoldenVector) throws {
        let authorization = try #require(vector.authorization)
        let path = vector.path + "x"
        #expect(try vector.computedSignature(path: path) != authorization.signature)
    }

    @Test(arguments: botocoreVectors.filter { !$0.body.isEmpty && !$0.name.contains("unsigned payload") })
    func changingOneByteOfTheBodyChangesTheSignature(_ vector: SigV4GoldenVector) throws {
        let authorization = try #require(vector.authorization)
        var body = Array(vector.body.utf8)
        body[body.count - 1] ^= 0x01
        #expect(try vector.computedSignature(body: String(decoding: body, as: UTF8.self)) != authorization.signature)
    }

    @Test
    func aWrongSecretKeyGivesAnotherSignature() throws {
        let vector = botocoreVectors[0]
        let authorization = try #require(vector.authorization)
        #expect(try vector.computedSignature(secretKey: "not-the-secret") != authorization.signature)
    }

    @Test
    func unsignedPayloadIgnoresTheBody() throws {
        let vector = try #require(botocoreVectors.first { $0.name.contains("unsigned payload") })
        let authorization = try #require(vector.authorization)
        #expect(try vector.computedSignature(body: "something else entirely") == authorization.signature)
    }

    @Test
    func canonicalRequestEncodesTheWirePathAgainLikeBotocore() throws {
        let vector = botocoreVectors[0]
        let authorization = try #require(vector.authorization)
        let canonical = SigV4.canonicalRequest(
            authorization: authorization,
            method: vector.method,
            rawPath: vector.path,
            rawQuery: vector.query,
            headers: vector.headers,
            payloadHash: SigV4.emptyPayloadHash
        )
        // Printed by botocore's SigV4Auth.canonical_request for the same request.
        #expect(
            canonical == """
                GET
                /2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A000000000000%253Afunction%253Af\
                /configuration

                host:localhost:4566
                x-amz-date:20241125T100000Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
    }

    @Test
    func canonicalHeadersJoinRepeatedValuesWithCommasAndCollapseWhitespace() {
        let block = SigV4.canonicalHeaders(
            ["host", "x-custom", "x-dup"],
            from: [
                (name: "X-Dup", value: "one"), (name: "Host", value: "h:1"), (name: "x-dup", value: "  two  three "),
                (name: "X-CUSTOM", value: "\ta \t\r\n b  "),
            ]
        )
        #expect(block == "host:h:1\nx-custom:a b\nx-dup:one,two three\n")
    }

    @Test
    func presignedCanonicalQueryLeavesOutTheSignatureOnly() {
        let query = "b=2&X-Amz-Signature=abc&a=1&X-Amz-Security-Token=t%2Bk"
        #expect(SigV4.canonicalQuery(query, excludingSignature: true) == "X-Amz-Security-Token=t%2Bk&a=1&b=2")
        #expect(SigV4.canonicalQuery(query) == "X-Amz-Security-Token=t%2Bk&X-Amz-Signature=abc&a=1&b=2")
    }

    @Test(arguments: [
        // Expected values from botocore: quote(normalize_url_path(path), safe='/~').
        ("", "/"), ("/", "/"), ("//a//b/", "/a/b/"), ("/a/..", "/"), ("/a/./b/../c", "/a/c"), ("/../a", "/a"),
        ("/a/.", "/a"), ("/%2F", "/%252F"), ("/f g", "/f%20g"), ("/café", "/caf%C3%A9"), ("/a~b!$", "/a~b%21%24"),
    ])
    func canonicalURIMatchesBotocore(rawPath: String, expected: String) {
        #expect(SigV4.canonicalURI(rawPath) == expected)
    }

    @Test(arguments: [
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1", "a=1&a=2"),
        ("flag", "flag="),
        ("a-b=1&a=2", "a=2&a-b=1"),  // sorted by key, then value; not as "k=v" strings
        ("Marker=abc%3D&MaxItems=2", "Marker=abc%3D&MaxItems=2"),
        ("k=%7e%2a", "k=~%2A"),  // decoded, then re-encoded with the unreserved set
        ("k=a+b", "k=a%2Bb"),
        ("k=%zz", "k=%25zz"),
        ("a=1&&b=2", "=&a=1&b=2"),
        ("", ""),
    ])
    func canonicalQueryDecodesReencodesAndSorts(rawQuery: String, expected: String) {
        #expect(SigV4.canonicalQuery(rawQuery) == expected)
    }

    @Test
    func payloadHashPrefersTheContentSha256Header() {
        let body = Array("hello".utf8)
        #expect(SigV4.payloadHash([UInt8]()) == SigV4.emptyPayloadHash)
        #expect(SigV4.payloadHash(body) == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(SigV4.payloadHash(body.reversed().reversed()) == SigV4.payloadHash(body))
        #expect(
            SigV4.payloadHash(headers: [(name: "x-amz-content-sha256", value: "UNSIGNED-PAYLOAD")], body: body)
                == "UNSIGNED-PAYLOAD")
        #expect(
            SigV4.payloadHash(headers: [(name: "Content-Type", value: "text/plain")], body: body)
                == SigV4.payloadHash(body))
    }

    @Test
    func constantTimeEqualsComparesWholeStrings() {
        #expect(SigV4.constantTimeEquals("abc", "abc"))
        #expect(!SigV4.constantTimeEquals("abc", "abd"))
        #expect(!SigV4.constantTimeEquals("abc", "abcd"))
        #expect(SigV4.constantTimeEquals("", ""))
    }

    @Test
    func requestTimestampComesFromQueryThenAmzDateThenDateHeader() throws {
        let header = try #require(
            SigV4Authorization(
                header: "AWS4-HMAC-SHA256 Credential=A/20241125/us-east-1/sns/aws4_request, SignedHeaders=host, "
                    + "Signature=\(String(repeating: "0", count: 64))"
            )
        )
        let both = [
            (name: "date", value: "Mon, 25 Nov 2024 10:00:00 GMT"), (name: "x-amz-date", value: "20241125T100001Z"),
        ]
        #expect(SigV4.requestTimestamp(authorization: header, headers: both) == "20241125T100001Z")
        #expect(SigV4.requestTimestamp(authorization: header, headers: [both[0]]) == "20241125T100000Z")
        let botocoreDate = [(name: "Date", value: "Sun, 01 Dec 2024 23:59:59 -0000")]
        #expect(SigV4.requestTimestamp(authorization: header, headers: botocoreDate) == "20241201T235959Z")
        #expect(SigV4.requestTimestamp(authorization: header, headers: [(name: "Date", value: "yesterday")]) == nil)
        #expect(SigV4.requestTimestamp(authorization: header, headers: []) == nil)

        var presigned = header
        presigned.isPresigned = true
        presigned.amzDate = "20241125T100002Z"
        #expect(SigV4.requestTimestamp(authorization: presigned, headers: both) == "20241125T100002Z")
    }
}

@Suite("SigV4 authorization parsing")
struct SigV4AuthorizationTests {
    private let signature = "a7b97859fef602704b382c177cd1e60227443afc6a816529126e4f0a83ff1a1b"

    @Test
    func parsesTheCredentialScopeSignedHeadersAndSignature() throws {
        let authorization = try #require(
            SigV4Authorization(
                header: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/lambda/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=\(signature)"
            )
        )
        #expect(
            authorization
                == SigV4Authorization(
                    accessKeyID: "AKIDEXAMPLE",
                    date: "20241125",
                    region: "us-east-1",
                    service: "lambda",
                    signedHeaders: ["host", "x-amz-date"],
                    signature: signature
                )
        )
        #expect(authorization.credentialScope == "20241125/us-east-1/lambda/aws4_request")
        #expect(!authorization.isPresigned)
    }

    @Test
    func acceptsPartsInAnyOrderAndWithoutSpacesAfterCommas() {
        let expected = SigV4Authorization(
            header: "AWS4-HMAC-SHA256 Credential=K/20241125/eu-west-1/sqs/aws4_request, SignedHeaders=host, "
                + "Signature=\(signature)"
        )
        #expect(expected != nil)
        let credential = "Credential=K/20241125/eu-west-1/sqs/aws4_request"
        let variants = [
            "AWS4-HMAC-SHA256 \(credential),SignedHeaders=host,Signature=\(signature)",
            "AWS4-HMAC-SHA256 Signature=\(signature), SignedHeaders=host, \(credential)",
            "AWS4-HMAC-SHA256  SignedHeaders=host ,\(credential),Signature=\(signature) ",
        ]
        for variant in variants {
            #expect(SigV4Authorization(header: variant) == expected, "\(variant)")
        }
    }

    @Test
    func lowerCasesSignedHeaderNames() throws {
        let authorization = try #require(
            SigV4Authorization(
                header: "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=Host;X-Amz-Date;X-Amz-Target, Signature=\(signature)"
            )
        )
        #expect(authorization.signedHeaders == ["host", "x-amz-date", "x-amz-target"])
    }

    @Test(arguments: [
        "",
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA1 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "Bearer Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws5_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/2024-11-25/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125//lambda/aws4_request, SignedHeaders=host, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host;;x, Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=xyz",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG, "
            + "Signature=SIG",
        "AWS4-HMAC-SHA256 Credential=K/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=SIG, "
            + "Extra=1",
    ])
    func rejectsMalformedAuthorizationHeaders(_ header: String) {
        let header = header.replacingOccurrences(of: "SIG", with: signature)
        #expect(SigV4Authorization(header: header) == nil)
    }

    @Test
    func parsesAPresignedQuery() throws {
        let query: [(name: String, value: String)] = [
            ("Action", "ReceiveMessage"),
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "AKIDEXAMPLE/20241125/us-east-1/sqs/aws4_request"),
            ("X-Amz-Date", "20241125T100000Z"),
            ("X-Amz-Expires", "300"),
            ("X-Amz-SignedHeaders", "host"),
            ("X-Amz-Signature", signature),
        ]
        let authorization = try #require(SigV4Authorization(query: query))
        #expect(
            authorization
                == SigV4Authorization(
                    accessKeyID: "AKIDEXAMPLE",
                    date: "20241125",
                    region: "us-east-1",
                    service: "sqs",
                    signedHeaders: ["host"],
                    signature: signature,
                    isPresigned: true,
                    amzDate: "20241125T100000Z",
                    expiresSeconds: 300
                )
        )
    }

    @Test(
        arguments: [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA1"),
            ("X-Amz-Algorithm", nil),
            ("X-Amz-Credential", "AKIDEXAMPLE/20241125/us-east-1/sqs/aws4"),
            ("X-Amz-Credential", nil),
            ("X-Amz-Date", "2024-11-25T10:00:00Z"),
            ("X-Amz-Date", nil),
            ("X-Amz-SignedHeaders", nil),
            ("X-Amz-Signature", nil),
        ] as [(String, String?)])
    func rejectsPresignedQueriesWithABadOrMissingParameter(name: String, value: String?) {
        var query: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "AKIDEXAMPLE/20241125/us-east-1/sqs/aws4_request"),
            ("X-Amz-Date", "20241125T100000Z"),
            ("X-Amz-SignedHeaders", "host"),
            ("X-Amz-Signature", signature),
        ]
        query.removeAll { $0.name == name }
        if let value {
            query.append((name, value))
        }
        #expect(SigV4Authorization(query: query) == nil)
    }
}
