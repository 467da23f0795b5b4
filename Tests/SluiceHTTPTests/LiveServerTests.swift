import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

import SluiceCore
import SluiceServer
import SluiceTesting

/// The real application over real HTTP: create a function and a mapping, watch it settle, read errors.
@Suite struct LiveServerTests {
    static let zip: String = {
        // An empty zip archive: just the end-of-central-directory record.
        Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)).base64EncodedString()
    }()

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    @Test func aMappingIsCreatedSettlesAndIsDeleted() async throws {
        try await withTestServer { client in
            let function = try await client.execute(
                uri: "/2015-03-31/functions", method: .post,
                body: ByteBuffer(string: #"{"FunctionName":"f","Runtime":"python3.12","Role":"arn:aws:iam::000000000000:role/r","Handler":"app.handler","Code":{"ZipFile":"\#(Self.zip)"}}"#)
            )
            #expect(function.status.code == 201)
            #expect(try Self.json(function)["State"] as? String == "Pending")

            var sqsHeaders = HTTPFields()
            sqsHeaders[HTTPField.Name("X-Amz-Target")!] = "AmazonSQS.CreateQueue"
            sqsHeaders[.contentType] = "application/x-amz-json-1.0"
            let queue = try await client.execute(
                uri: "/", method: .post, headers: sqsHeaders, body: ByteBuffer(string: #"{"QueueName":"q"}"#)
            )
            #expect(queue.status.code == 200)

            let created = try await client.execute(
                uri: "/2015-03-31/event-source-mappings", method: .post,
                body: ByteBuffer(string: #"{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:000000000000:q"}"#)
            )
            #expect(created.status.code == 202)
            let body = try Self.json(created)
            #expect(body["State"] as? String == "Creating")
            #expect(body["StateTransitionReason"] as? String == "USER_INITIATED")
            #expect(body["BatchSize"] as? Int == 10)
            #expect(body["LastProcessingResult"] == nil)
            let uuid = try #require(body["UUID"] as? String)

            var state = ""
            for _ in 0..<200 where state != "Enabled" {
                let got = try await client.execute(uri: "/2015-03-31/event-source-mappings/\(uuid)", method: .get)
                state = try Self.json(got)["State"] as? String ?? ""
                if state != "Enabled" { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(state == "Enabled")

            let deleted = try await client.execute(uri: "/2015-03-31/event-source-mappings/\(uuid)", method: .delete)
            #expect(deleted.status.code == 202)
            #expect(try Self.json(deleted)["State"] as? String == "Deleting")
        }
    }

    @Test func errorsHaveTheRestJSONShapeAndARequestID() async throws {
        try await withTestServer { client in
            let missing = try await client.execute(uri: "/2015-03-31/event-source-mappings/nope", method: .get)
            #expect(missing.status.code == 404)
            #expect(missing.headers[HTTPField.Name("X-Amzn-ErrorType")!] == "ResourceNotFoundException")
            #expect(missing.headers[HTTPField.Name("x-amzn-RequestId")!]?.count == 36)
            #expect(try Self.json(missing) as? [String: String] == [
                "Type": "User", "Message": "The resource you requested does not exist.",
            ])

            let unknown = try await client.execute(uri: "/2015-03-31/nothing-here", method: .get)
            #expect(unknown.status.code == 404)
            #expect(unknown.headers[HTTPField.Name("X-Amzn-ErrorType")!] == "UnknownOperationException")
        }
    }

    @Test func signaturesAreVerifiedWhenCredentialsAreConfigured() async throws {
        var configuration = SluiceServer.Configuration.testing
        configuration.credentials = ["AKID": "SECRET"]
        try await withTestServer(configuration: configuration) { client in
            let unsigned = try await client.execute(uri: "/2015-03-31/functions", method: .get)
            #expect(unsigned.status.code == 403)
            #expect(unsigned.headers[HTTPField.Name("X-Amzn-ErrorType")!] == "MissingAuthenticationTokenException")

            var headers = HTTPFields()
            headers[.authorization] = "AWS4-HMAC-SHA256 Credential=OTHER/20241125/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + String(repeating: "0", count: 64)
            headers[HTTPField.Name("X-Amz-Date")!] = "20241125T100000Z"
            let unknownKey = try await client.execute(uri: "/2015-03-31/functions", method: .get, headers: headers)
            #expect(unknownKey.headers[HTTPField.Name("X-Amzn-ErrorType")!] == "UnrecognizedClientException")

            headers[.authorization] = headers[.authorization]!.replacingOccurrences(of: "OTHER", with: "AKID")
            let wrong = try await client.execute(uri: "/2015-03-31/functions", method: .get, headers: headers)
            #expect(wrong.status.code == 403)
            #expect(wrong.headers[HTTPField.Name("X-Amzn-ErrorType")!] == "InvalidSignatureException")
        }
    }
}
