import Foundation
import Testing

@testable import SluiceRuntime

/// Real `python3` processes through the shipped bootstrap (`reference/runtime-api.md` §2, §5; issue 4, item 3).
@Suite struct FunctionInvokerPythonTests {
    typealias Fixtures = RuntimeFixtures

    @Test func returnsItsEvent() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip("def handler(event, context):\n    return event\n", in: root)
            let function = try Fixtures.function(zip: zip)
            let payload = Array(#"{"hello":["world",1,true,null]}"#.utf8)
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: payload,
                requestId: Fixtures.requestID()
            )
            #expect(result == .success(Array(#"{"hello": ["world", 1, true, null]}"#.utf8)))
        }
    }

    @Test func raisingReportsErrorTypeMessageAndStackTrace() async throws {
        try await withInvoker { invoker, root in
            let source = "def handler(event, context):\n    raise ValueError(\"boom\")\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let id = Fixtures.requestID()
            let result = try await invoker.invoke(
                function: try Fixtures.function(zip: zip), codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: id
            )
            guard case .functionError(let type, let payload) = result else { throw Failure.unexpected(result) }
            #expect(type == "Unhandled")
            let object = try Fixtures.object(payload)
            #expect(object["errorMessage"] as? String == "boom")
            #expect(object["errorType"] as? String == "ValueError")
            #expect(object["requestId"] as? String == id)
            let trace = object["stackTrace"] as? [String] ?? []
            #expect(trace.count == 1 && trace[0].contains("handler.py\", line 2, in handler"))
        }
    }

    @Test func timeoutKillsTheEnvironmentAndTheNextInvokeIsFresh() async throws {
        try await withInvoker { invoker, root in
            let source = """
                import time
                state = {"count": 0}
                def handler(event, context):
                    state["count"] += 1
                    time.sleep(event.get("sleep", 0))
                    return state["count"]

                """
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(timeout: 1, zip: zip)
            let first = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("{}".utf8),
                requestId: Fixtures.requestID()
            )
            #expect(first.result == .success(Array("1".utf8)))
            let id = Fixtures.requestID()
            let started = ContinuousClock.now
            let timedOut = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array(#"{"sleep":5}"#.utf8),
                requestId: id
            )
            #expect(ContinuousClock.now - started < .seconds(3))
            guard case .functionError("Unhandled", let payload) = timedOut.result else {
                throw Failure.unexpected(timedOut.result)
            }
            let object = try Fixtures.object(payload)
            #expect(object.count == 2)
            #expect(object["errorType"] as? String == "Sandbox.Timedout")
            #expect(object["errorMessage"] as? String == "RequestId: \(id) Error: Task timed out after 1.00 seconds")
            #expect(kill(timedOut.processID, 0) != 0)
            let after = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("{}".utf8),
                requestId: Fixtures.requestID()
            )
            #expect(after.result == .success(Array("1".utf8)))
            #expect(after.coldStart && after.processID != first.processID)
        }
    }

    @Test func printedOutputIsCaptured() async throws {
        try await withInvoker { invoker, root in
            let source = """
                import sys
                print("loading")
                def handler(event, context):
                    print("hello from", context.aws_request_id)
                    print("to stderr", file=sys.stderr)
                    return None

                """
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            let id = Fixtures.requestID()
            let report = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("{}".utf8), requestId: id
            )
            #expect(report.result == .success(Array("null".utf8)))
            let log = Fixtures.text(report.logTail)
            #expect(log.hasPrefix("loading\nSTART RequestId: \(id) Version: $LATEST\n"))
            #expect(log.contains("\tInit Duration: "))
            #expect(log.contains("hello from \(id)\n"))
            #expect(log.contains("to stderr\n"))
            let second = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("{}".utf8),
                requestId: "second"
            )
            let lines = Fixtures.text(second.logTail).split(separator: "\n").map(String.init)
            #expect(
                Array(lines.prefix(4)) == [
                    "START RequestId: second Version: $LATEST", "hello from second", "to stderr",
                    "END RequestId: second",
                ])
            #expect(lines.count == 5 && lines[4].hasPrefix("REPORT RequestId: second\tDuration: "))
            #expect(!lines[4].contains("Init Duration"))
        }
    }

    @Test func environmentHasAWSVariablesUserVariablesAndNothingOfTheParent() async throws {
        setenv("SLUICE_PARENT_ONLY", "leak", 1)
        try await withInvoker(endpointURL: "http://127.0.0.1:4566") { invoker, root in
            let source = "import os\ndef handler(event, context):\n    return dict(os.environ)\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(
                name: "env-fn", variables: ["MY_SETTING": "42", "AWS_REGION": "xx-nowhere-1"], zip: zip
            )
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            guard case .success(let bytes) = result else { throw Failure.unexpected(result) }
            let environment = try Fixtures.object(bytes) as? [String: String] ?? [:]
            #expect(environment["AWS_LAMBDA_FUNCTION_NAME"] == "env-fn")
            #expect(environment["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST")
            #expect(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128")
            #expect(environment["_HANDLER"] == "handler.handler")
            #expect(environment["AWS_REGION"] == "eu-west-1" && environment["AWS_DEFAULT_REGION"] == "eu-west-1")
            #expect(environment["AWS_LAMBDA_RUNTIME_API"]?.hasPrefix("127.0.0.1:") == true)
            #expect(environment["LAMBDA_TASK_ROOT"].map { FileManager.default.fileExists(atPath: $0) } == true)
            #expect(environment["LAMBDA_RUNTIME_DIR"] != nil)
            #expect(environment["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/env-fn")
            let stream = environment["AWS_LAMBDA_LOG_STREAM_NAME"] ?? ""
            let streamPattern = #"^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$"#
            #expect(stream.range(of: streamPattern, options: .regularExpression) != nil)
            #expect(environment["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand")
            #expect(environment["AWS_ACCESS_KEY_ID"] != nil && environment["AWS_SECRET_ACCESS_KEY"] != nil)
            #expect(environment["AWS_SESSION_TOKEN"] != nil)
            #expect(environment["TZ"] == ":UTC" && environment["LANG"] == "en_US.UTF-8")
            #expect(environment["PATH"]?.hasSuffix("/usr/local/bin:/usr/bin/:/bin:/opt/bin") == true)
            #expect(environment["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566")
            #expect(environment["MY_SETTING"] == "42")
            #expect(environment["SLUICE_PARENT_ONLY"] == nil && environment["HOME"] == nil)
        }
    }

    @Test func userSetEndpointURLWins() async throws {
        try await withInvoker(endpointURL: "http://127.0.0.1:4566") { invoker, root in
            let source = "import os\ndef handler(event, context):\n    return os.environ['AWS_ENDPOINT_URL']\n"
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(variables: ["AWS_ENDPOINT_URL": "http://mine:1"], zip: zip)
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            #expect(result == .success(Array(#""http://mine:1""#.utf8)))
        }
    }

    @Test func clientContextReachesTheHandler() async throws {
        try await withInvoker { invoker, root in
            let source = """
                def handler(event, context):
                    if context.client_context is None:
                        return None
                    return {"custom": context.client_context.custom, "app": context.client_context.client.app_title}

                """
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(zip: zip)
            let code = try Fixtures.unpacked(zip)
            let report = try await invoker.invokeReporting(
                function: function, codeDirectory: code, payload: [], requestId: Fixtures.requestID(),
                clientContext: #"{"client":{"app_title":"demo"},"custom":{"k":"v"},"env":{}}"#
            )
            #expect(report.result == .success(Array(#"{"custom": {"k": "v"}, "app": "demo"}"#.utf8)))
            let without = try await invoker.invoke(
                function: function, codeDirectory: code, payload: [], requestId: Fixtures.requestID()
            )
            #expect(without == .success(Array("null".utf8)))
        }
    }

    @Test func contextCarriesTheDocumentedFields() async throws {
        try await withInvoker { invoker, root in
            let source = """
                def handler(event, context):
                    return {name: getattr(context, name) for name in ("function_name", "function_version",
                        "invoked_function_arn", "memory_limit_in_mb", "aws_request_id", "log_group_name",
                        "log_stream_name")} | {"remaining": context.get_remaining_time_in_millis()}

                """
            let zip = try Fixtures.pythonZip(source, in: root)
            let function = try Fixtures.function(name: "ctx", timeout: 10, zip: zip)
            let id = Fixtures.requestID()
            let report = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: id,
                invokedFunctionArn: function.functionArn + ":$LATEST"
            )
            guard case .success(let bytes) = report.result else { throw Failure.unexpected(report.result) }
            let context = try Fixtures.object(bytes)
            #expect(context["function_name"] as? String == "ctx")
            #expect(context["function_version"] as? String == "$LATEST")
            let arn = "arn:aws:lambda:eu-west-1:000000000000:function:ctx:$LATEST"
            #expect(context["invoked_function_arn"] as? String == arn)
            #expect(context["memory_limit_in_mb"] as? String == "128")
            #expect(context["aws_request_id"] as? String == id)
            #expect(context["log_group_name"] as? String == "/aws/lambda/ctx")
            #expect((context["log_stream_name"] as? String)?.contains("[$LATEST]") == true)
            let remaining = context["remaining"] as? Int ?? 0
            #expect(remaining > 8_000 && remaining <= 10_000)
        }
    }

    @Test func initErrorsAreReported() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip("raise Exception(\"Runtime startup fails\")\n", in: root)
            let function = try Fixtures.function(zip: zip)
            let result = try await invoker.invoke(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            guard case .functionError("Unhandled", let payload) = result else { throw Failure.unexpected(result) }
            let object = try Fixtures.object(payload)
            #expect(object["errorMessage"] as? String == "Runtime startup fails")
            #expect(object["errorType"] as? String == "Exception")
            #expect(object["requestId"] as? String == "")
            let missing = try Fixtures.function(handler: "nowhere.handler", zip: zip)
            let second = try await invoker.invoke(
                function: missing, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: Fixtures.requestID()
            )
            guard case .functionError(_, let body) = second else { throw Failure.unexpected(second) }
            #expect(try Fixtures.object(body)["errorType"] as? String == "Runtime.ImportModuleError")
        }
    }

    @Test func exitMidInvokeIsRuntimeExitError() async throws {
        try await withInvoker { invoker, root in
            let zip = try Fixtures.pythonZip("import os\ndef handler(event, context):\n    os._exit(3)\n", in: root)
            let id = Fixtures.requestID()
            let result = try await invoker.invoke(
                function: try Fixtures.function(zip: zip), codeDirectory: try Fixtures.unpacked(zip), payload: [],
                requestId: id
            )
            let message = "RequestId: \(id) Error: Runtime exited with error: exit status 3"
            let expected = #"{"errorMessage":"\#(message)","errorType":"Runtime.ExitError"}"#
            #expect(result == .functionError(type: "Unhandled", payload: Array(expected.utf8)))
        }
    }
}

enum Failure: Error {
    case unexpected(InvocationResult)
}
