import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceServer
import SluiceTesting
import Testing

/// Invoke through the real server: real python processes behind `POST …/invocations` (`reference/runtime-api.md`
/// §3; issue 4, items 1 and 5).
@Suite struct InvokeAPITests {
    static let handler = """
        import json, os, time
        def handler(event, context):
            print("got", json.dumps(event))
            time.sleep(event.get("sleep", 0))
            if event.get("fail"):
                raise ValueError("boom")
            if event.get("touch"):
                open(event["touch"], "w").write(context.aws_request_id)
            return {"pid": os.getpid(), "id": context.aws_request_id, "greeting": os.environ.get("GREETING")}
        """

    /// Base64 of a zip holding `handler.py`.
    static func zip(_ source: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import base64, io, sys, zipfile\nb = io.BytesIO()\nz = zipfile.ZipFile(b, 'w')\n"
                + "z.writestr('handler.py', sys.argv[1])\nz.close()\nprint(base64.b64encode(b.getvalue()).decode())",
            source,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func createFunction(_ client: any TestClientProtocol, name: String = "f", source: String = handler)
        async throws
    {
        let body = """
            {"FunctionName":"\(name)","Runtime":"python3.12","Role":"arn:aws:iam::000000000000:role/r",\
            "Handler":"handler.handler","Timeout":5,"Code":{"ZipFile":"\(try zip(source))"}}
            """
        let response = try await client.execute(
            uri: "/2015-03-31/functions", method: .post, body: ByteBuffer(string: body))
        #expect(response.status.code == 201)
    }

    static func invoke(
        _ client: any TestClientProtocol, _ payload: String, name: String = "f", headers: [String: String] = [:]
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await client.execute(
            uri: "/2015-03-31/functions/\(name)/invocations", method: .post, headers: fields,
            body: ByteBuffer(string: payload)
        )
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    static func header(_ response: TestResponse, _ name: String) -> String? {
        response.headers[HTTPField.Name(name)!]
    }

    @Test func aSynchronousInvokeAnswersTheResultUnderTheInvocationID() async throws {
        try await withTestServer { client in
            try await Self.createFunction(client)
            let response = try await Self.invoke(client, #"{"a":1}"#)
            #expect(response.status.code == 200)
            #expect(Self.header(response, "X-Amz-Executed-Version") == "$LATEST")
            #expect(Self.header(response, "X-Amz-Function-Error") == nil)
            let id = try #require(Self.header(response, "x-amzn-RequestId"))
            #expect(try Self.json(response)["id"] as? String == id)
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        }
    }

    @Test func aFunctionErrorIsStatus200WithUnhandledAndTheTailLog() async throws {
        try await withTestServer { client in
            try await Self.createFunction(client)
            let response = try await Self.invoke(client, #"{"fail":true}"#, headers: ["X-Amz-Log-Type": "Tail"])
            #expect(response.status.code == 200)
            #expect(Self.header(response, "X-Amz-Function-Error") == "Unhandled")
            let body = try Self.json(response)
            #expect(body["errorMessage"] as? String == "boom")
            #expect(body["errorType"] as? String == "ValueError")
            let tail = try #require(Self.header(response, "X-Amz-Log-Result").flatMap { Data(base64Encoded: $0) })
            #expect(String(decoding: tail, as: UTF8.self).contains(#"got {"fail": true}"#))
        }
    }

    @Test func dryRunAnswers204AndEventAnswers202ThenRuns() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-event-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        try await withTestServer { client in
            try await Self.createFunction(client)
            let dryRun = try await Self.invoke(client, "{}", headers: ["X-Amz-Invocation-Type": "DryRun"])
            #expect(dryRun.status.code == 204)
            let event = try await Self.invoke(
                client, #"{"touch":"\#(marker.path)"}"#, headers: ["X-Amz-Invocation-Type": "Event"]
            )
            #expect(event.status.code == 202)
            #expect(event.body.readableBytes == 0)
            for _ in 0..<400 where !FileManager.default.fileExists(atPath: marker.path) {
                try await Task.sleep(for: .milliseconds(10))
            }
            let written = try String(contentsOf: marker, encoding: .utf8)
            #expect(written == Self.header(event, "x-amzn-RequestId"))
        }
    }

    @Test func badRequestsGetLambdaErrors() async throws {
        try await withTestServer { client in
            try await Self.createFunction(client)
            let notJSON = try await Self.invoke(client, "nope")
            #expect(notJSON.status.code == 400)
            #expect(Self.header(notJSON, "X-Amzn-ErrorType") == "InvalidRequestContentException")
            #expect(
                (try Self.json(notJSON)["message"] as? String)?
                    .hasPrefix("Could not parse request body into json: Could not parse payload into json: ") == true)

            let badType = try await Self.invoke(client, "{}", headers: ["X-Amz-Invocation-Type": "Later"])
            #expect(badType.status.code == 400)
            #expect(
                try Self.json(badType)["message"] as? String == "1 validation error detected: Value 'Later' at "
                    + "'invocationType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[Event, RequestResponse, DryRun]")

            let large = try await Self.invoke(client, "\"" + String(repeating: "x", count: 6_291_456) + "\"")
            #expect(large.status.code == 413)
            #expect(Self.header(large, "X-Amzn-ErrorType") == "RequestTooLargeException")

            let elsewhere = try await Self.invoke(
                client, "{}", name: "arn:aws:lambda:eu-west-1:000000000000:function:f")
            #expect(elsewhere.status.code == 404)
            #expect(
                try Self.json(elsewhere)["Message"] as? String
                    == "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')")

            let missing = try await Self.invoke(client, "{}", name: "g")
            #expect(missing.status.code == 404)
            #expect(
                try Self.json(missing)["Message"] as? String
                    == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:g")
        }
    }

    @Test func pastTheEnvironmentLimitAnInvokeIsThrottled() async throws {
        var configuration = SluiceServer.Configuration.testing
        configuration.environments.maxEnvironments = 1
        try await withTestServer(configuration: configuration) { client in
            try await Self.createFunction(client, name: "a")
            try await Self.createFunction(client, name: "b")
            // The test client has one connection: the slow invoke goes over another (curl).
            let port = try #require(client.port)
            let slow = Process()
            slow.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            slow.arguments = [
                "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-d", #"{"sleep":1.5}"#,
                "http://127.0.0.1:\(port)/2015-03-31/functions/a/invocations",
            ]
            let output = Pipe()
            slow.standardOutput = output
            try slow.run()
            try await Task.sleep(for: .milliseconds(700))
            let throttled = try await Self.invoke(client, "{}", name: "b")
            #expect(throttled.status.code == 429)
            #expect(Self.header(throttled, "Retry-After") == "1")
            let body = try Self.json(throttled)
            #expect(body["Reason"] as? String == "ConcurrentInvocationLimitExceeded")
            #expect(body["message"] as? String == "Rate Exceeded.")
            let status = output.fileHandleForReading.readDataToEndOfFile()
            slow.waitUntilExit()
            #expect(String(decoding: status, as: UTF8.self) == "200")
        }
    }

    @Test func updatingTheConfigurationRetiresTheWarmEnvironment() async throws {
        try await withTestServer { client in
            try await Self.createFunction(client)
            let first = try Self.json(try await Self.invoke(client, "{}"))
            #expect(try Self.json(try await Self.invoke(client, "{}"))["pid"] as? Int == first["pid"] as? Int)
            let update = try await client.execute(
                uri: "/2015-03-31/functions/f/configuration", method: .put,
                body: ByteBuffer(string: #"{"Environment":{"Variables":{"GREETING":"hi"}}}"#)
            )
            #expect(update.status.code == 200)
            let after = try Self.json(try await Self.invoke(client, "{}"))
            #expect(after["greeting"] as? String == "hi")
            #expect(after["pid"] as? Int != first["pid"] as? Int)
        }
    }

    @Test func aFunctionReachesSluicesSQSThroughItsOwnEnvironment() async throws {
        try await withTestServer { client in
            func sqs(_ operation: String, _ body: String) async throws -> [String: Any] {
                var headers = HTTPFields()
                headers[HTTPField.Name("X-Amz-Target")!] = "AmazonSQS.\(operation)"
                headers[.contentType] = "application/x-amz-json-1.0"
                let response = try await client.execute(
                    uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body)
                )
                #expect(response.status.code == 200)
                return try Self.json(response)
            }
            let queueURL = try #require(
                try await sqs("CreateQueue", #"{"QueueName":"from-fn"}"#)["QueueUrl"] as? String)
            // boto3 inside the function finds Sluice, credentials and region in the environment alone.
            let source = """
                import boto3
                def handler(event, context):
                    sqs = boto3.client("sqs")
                    url = sqs.get_queue_url(QueueName="from-fn")["QueueUrl"]
                    return sqs.send_message(QueueUrl=url, MessageBody=event["say"])["MessageId"]
                """
            try await Self.createFunction(client, name: "sender", source: source)
            let invoked = try await Self.invoke(client, #"{"say":"hello from the function"}"#, name: "sender")
            #expect(Self.header(invoked, "X-Amz-Function-Error") == nil, "\(String(buffer: invoked.body))")
            let messageID = try JSONSerialization.jsonObject(
                with: Data(buffer: invoked.body), options: .fragmentsAllowed)
            let received = try await sqs("ReceiveMessage", #"{"QueueUrl":"\#(queueURL)"}"#)
            let messages = try #require(received["Messages"] as? [[String: Any]])
            #expect(messages.first?["Body"] as? String == "hello from the function")
            #expect(messages.first?["MessageId"] as? String == messageID as? String)
        }
    }
}
