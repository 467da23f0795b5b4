import Foundation
import Testing

@testable import SluiceRuntime

/// Real `node` processes through the shipped bootstrap (`reference/runtime-api.md` §2, §5; issue 4, item 3), which
/// behaves as AWS's Node runtime interface client.
@Suite struct FunctionInvokerNodeTests {
    typealias Fixtures = RuntimeFixtures

    /// Runs one invocation of `index.js` (or the given files) and returns its report.
    private func invoke(
        _ files: [Fixtures.Entry], handler: String = "index.handler", runtime: String = "nodejs20.x",
        payload: String = "{}", requestId: String = Fixtures.requestID(), in root: URL, with invoker: FunctionInvoker
    ) async throws -> InvocationReport {
        let zip = try Fixtures.zip(files, in: root)
        let function = try Fixtures.function(runtime: runtime, handler: handler, zip: zip)
        return try await invoker.invokeReporting(
            function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array(payload.utf8),
            requestId: requestId
        )
    }

    private func index(_ source: String) -> [Fixtures.Entry] { [Fixtures.Entry(name: "index.js", content: source)] }

    /// The error object of a function error.
    private func errorObject(_ result: InvocationResult) throws -> [String: Any] {
        guard case .functionError("Unhandled", let payload) = result else { throw Failure.unexpected(result) }
        return try Fixtures.object(payload)
    }

    @Test func asyncHandlerReturnsItsEvent() async throws {
        try await withInvoker { invoker, root in
            let report = try await invoke(
                index("exports.handler = async (event) => event;\n"), payload: #"{"hello":["world",1,true,null]}"#,
                in: root, with: invoker
            )
            #expect(report.result == .success(Array(#"{"hello":["world",1,true,null]}"#.utf8)))
        }
    }

    @Test func callbackResultIsSentOnceTheEventLoopIsEmpty() async throws {
        try await withInvoker { invoker, root in
            let source = """
                exports.handler = (event, context, callback) => {
                  callback(null, { called: event.n });
                  setTimeout(() => console.log('timer after the callback'), 20);
                };
                exports.early = (event, context, callback) => {
                  context.callbackWaitsForEmptyEventLoop = false;
                  setTimeout(() => console.log('never waited for'), 60000);
                  callback(null, 'without waiting');
                };
                exports.implicit = () => 'a return value of a non-async handler is ignored';

                """
            let waited = try await invoke(index(source), payload: #"{"n":7}"#, in: root, with: invoker)
            #expect(waited.result == .success(Array(#"{"called":7}"#.utf8)))
            #expect(Fixtures.text(waited.logTail).contains("\tINFO\ttimer after the callback\n"))
            let early = try await invoke(index(source), handler: "index.early", in: root, with: invoker)
            #expect(early.result == .success(Array(#""without waiting""#.utf8)))
            let implicit = try await invoke(index(source), handler: "index.implicit", in: root, with: invoker)
            #expect(implicit.result == .success(Array("null".utf8)))
        }
    }

    @Test func contextSucceedFailAndDoneComplete() async throws {
        try await withInvoker { invoker, root in
            let source = """
                exports.succeed = (event, context) => context.succeed({ via: 'succeed' });
                exports.done = (event, context) => context.done(null, 'via done');
                exports.fail = (event, context) => context.fail('failed as a string');

                """
            let succeeded = try await invoke(index(source), handler: "index.succeed", in: root, with: invoker)
            #expect(succeeded.result == .success(Array(#"{"via":"succeed"}"#.utf8)))
            let done = try await invoke(index(source), handler: "index.done", in: root, with: invoker)
            #expect(done.result == .success(Array(#""via done""#.utf8)))
            let failed = try await invoke(index(source), handler: "index.fail", in: root, with: invoker)
            let expected = #"{"errorType":"string","errorMessage":"failed as a string","trace":[]}"#
            #expect(failed.result == .functionError(type: "Unhandled", payload: Array(expected.utf8)))
        }
    }

    @Test func thrownErrorIsPostedWithTypeMessageAndTrace() async throws {
        try await withInvoker { invoker, root in
            let source = "exports.handler = async () => {\n  throw new Error('boom');\n};\n"
            let report = try await invoke(index(source), in: root, with: invoker)
            guard case .functionError("Unhandled", let payload) = report.result else {
                throw Failure.unexpected(report.result)
            }
            let start = #"{"errorType":"Error","errorMessage":"boom","trace":["Error: boom","#
            #expect(Fixtures.text(payload).hasPrefix(start))
            let object = try Fixtures.object(payload)
            #expect(object.count == 3)
            let trace = object["trace"] as? [String] ?? []
            #expect(trace.count > 1 && trace[1].hasPrefix("    at ") && trace[1].contains("/index.js:2:9)"))
            let log = Fixtures.text(report.logTail)
            #expect(log.contains(#"\#tERROR\#tInvoke Error \#t{"errorType":"Error","errorMessage":"boom","stack":["#))
        }
    }

    @Test func uncaughtExceptionIsTheInvocationsErrorAndTheNextInvokeIsFresh() async throws {
        try await withInvoker { invoker, root in
            let source = """
                exports.handler = async (event) => {
                  if (event.reject) Promise.reject(new Error('nobody waits'));
                  if (event.throw) setTimeout(() => { throw new TypeError('too late'); }, 0);
                  await new Promise((resolve) => setTimeout(resolve, 50));
                  return process.pid;
                };

                """
            let zip = try Fixtures.zip(index(source), in: root)
            let function = try Fixtures.function(runtime: "nodejs20.x", handler: "index.handler", zip: zip)
            var processIDs: [Int32] = []
            for (payload, type, message) in [
                (#"{"reject":true}"#, "Runtime.UnhandledPromiseRejection", "Error: nobody waits"),
                (#"{"throw":true}"#, "TypeError", "too late"),
            ] {
                let report = try await invoker.invokeReporting(
                    function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array(payload.utf8),
                    requestId: Fixtures.requestID()
                )
                let object = try errorObject(report.result)
                #expect(object["errorType"] as? String == type)
                #expect(object["errorMessage"] as? String == message)
                #expect(try await exited(report.processID))
                processIDs.append(report.processID)
            }
            let fresh = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: Array("{}".utf8),
                requestId: Fixtures.requestID()
            )
            #expect(fresh.coldStart && fresh.result == .success(Array(String(fresh.processID).utf8)))
            #expect(!processIDs.contains(fresh.processID))
        }
    }

    @Test func promiseThatNeverSettlesIsNodeJsExit() async throws {
        try await withInvoker { invoker, root in
            let source = "exports.handler = async () => new Promise(() => {});\n"
            let report = try await invoke(index(source), in: root, with: invoker)
            let object = try errorObject(report.result)
            #expect(object["errorType"] as? String == "Runtime.NodeJsExit")
            let message = object["errorMessage"] as? String ?? ""
            #expect(message.hasPrefix("The Lambda runtime client detected an unexpected Node.js exit code."))
        }
    }

    @Test func contextCarriesTheDocumentedFields() async throws {
        try await withInvoker { invoker, root in
            let source = """
                exports.handler = async (event, context) => ({
                  ...Object.fromEntries(['functionName', 'functionVersion', 'invokedFunctionArn', 'memoryLimitInMB',
                    'awsRequestId', 'logGroupName', 'logStreamName', 'callbackWaitsForEmptyEventLoop']
                    .map((name) => [name, context[name]])),
                  remaining: context.getRemainingTimeInMillis(),
                  legacy: [typeof context.succeed, typeof context.fail, typeof context.done],
                  trace: process.env._X_AMZN_TRACE_ID,
                });

                """
            let zip = try Fixtures.zip(index(source), in: root)
            let function = try Fixtures.function(
                name: "ctx", runtime: "nodejs22.x", handler: "index.handler", timeout: 10, zip: zip
            )
            let id = Fixtures.requestID()
            let report = try await invoker.invokeReporting(
                function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [], requestId: id,
                invokedFunctionArn: function.functionArn + ":$LATEST"
            )
            guard case .success(let bytes) = report.result else { throw Failure.unexpected(report.result) }
            let context = try Fixtures.object(bytes)
            #expect(context["functionName"] as? String == "ctx")
            #expect(context["functionVersion"] as? String == "$LATEST")
            let arn = "arn:aws:lambda:eu-west-1:000000000000:function:ctx:$LATEST"
            #expect(context["invokedFunctionArn"] as? String == arn)
            #expect(context["memoryLimitInMB"] as? String == "128")
            #expect(context["awsRequestId"] as? String == id)
            #expect(context["logGroupName"] as? String == "/aws/lambda/ctx")
            #expect((context["logStreamName"] as? String)?.contains("[$LATEST]") == true)
            #expect(context["callbackWaitsForEmptyEventLoop"] as? Bool == true)
            #expect(context["legacy"] as? [String] == ["function", "function", "function"])
            #expect((context["trace"] as? String)?.hasPrefix("Root=1-") == true)
            let remaining = context["remaining"] as? Int ?? 0
            #expect(remaining > 8_000 && remaining <= 10_000)
        }
    }

    @Test func consoleLinesCarryTimeRequestIdAndLevel() async throws {
        try await withInvoker { invoker, root in
            let source = """
                console.log('loading');
                exports.handler = async (event, context) => {
                  console.log('hello from', context.awsRequestId, { n: 1 });
                  console.warn('careful');
                  console.error('bad');
                  return null;
                };

                """
            let id = Fixtures.requestID()
            let report = try await invoke(index(source), requestId: id, in: root, with: invoker)
            #expect(report.result == .success(Array("null".utf8)))
            // The function's own lines, without START / END / REPORT.
            let lines = Fixtures.text(report.logTail).split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("START ") && !$0.hasPrefix("END ") && !$0.hasPrefix("REPORT ") }
            let time = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t"#
            let expected = [
                "undefined\tINFO\tloading", "\(id)\tINFO\thello from \(id) { n: 1 }", "\(id)\tWARN\tcareful",
                "\(id)\tERROR\tbad",
            ]
            #expect(lines.count == expected.count)
            for (line, rest) in zip(lines, expected) {
                #expect(line.range(of: time, options: .regularExpression) != nil && line.hasSuffix("Z\t" + rest))
            }
        }
    }

    @Test func environmentHasAWSVariablesUserVariablesAndNothingOfTheParent() async throws {
        setenv("SLUICE_PARENT_ONLY", "leak", 1)
        try await withInvoker(endpointURL: "http://127.0.0.1:4566") { invoker, root in
            let source = "exports.handler = async () => ({ ...process.env, cwd: process.cwd() });\n"
            let zip = try Fixtures.zip(index(source), in: root)
            let function = try Fixtures.function(
                name: "env-fn", runtime: "nodejs20.x", handler: "index.handler", variables: ["MY_SETTING": "42"],
                zip: zip
            )
            let taskRoot = try Fixtures.unpacked(zip)
            let result = try await invoker.invoke(
                function: function, codeDirectory: taskRoot, payload: [], requestId: Fixtures.requestID()
            )
            guard case .success(let bytes) = result else { throw Failure.unexpected(result) }
            let environment = try Fixtures.object(bytes) as? [String: String] ?? [:]
            #expect(environment["AWS_EXECUTION_ENV"] == "AWS_Lambda_nodejs20.x")
            #expect(environment["AWS_LAMBDA_FUNCTION_NAME"] == "env-fn")
            #expect(environment["_HANDLER"] == "index.handler")
            #expect(environment["LAMBDA_TASK_ROOT"] == taskRoot.path && environment["cwd"] == taskRoot.path)
            #expect(environment["LAMBDA_RUNTIME_DIR"]?.hasSuffix("/runtimes/node") == true)
            #expect(environment["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566")
            #expect(environment["MY_SETTING"] == "42")
            let nodeDirectory = (NodeInterpreter.path.map { ($0 as NSString).deletingLastPathComponent }) ?? "?"
            #expect(environment["PATH"]?.hasPrefix(nodeDirectory + ":") == true)
            #expect(environment["SLUICE_PARENT_ONLY"] == nil && environment["HOME"] == nil)
        }
    }

    @Test func esModulesLoadFromMjsAndFromTypeModulePackages() async throws {
        try await withInvoker { invoker, root in
            let handler = "export const handler = async (event) => ({ esm: typeof require === 'undefined', event });\n"
            let mjs = try await invoke(
                [Fixtures.Entry(name: "app.mjs", content: handler)], handler: "app.handler", payload: "[1]",
                in: root, with: invoker
            )
            #expect(mjs.result == .success(Array(#"{"esm":true,"event":[1]}"#.utf8)))
            let nested = "export const api = { v1: { get: async () => 'nested' } };\n"
            let typeModule = try await invoke(
                [
                    Fixtures.Entry(name: "package.json", content: #"{"type":"module"}"#),
                    Fixtures.Entry(name: "src/lambda.js", content: nested),
                ],
                handler: "src/lambda.api.v1.get", in: root, with: invoker
            )
            #expect(typeModule.result == .success(Array(#""nested""#.utf8)))
        }
    }

    @Test func loadFailuresArePostedAsInitErrorsWithAWSTypesAndTexts() async throws {
        try await withInvoker { invoker, root in
            let files = index("exports.notAFunction = 1;\n") + [Fixtures.Entry(name: "broken.js", content: "x = (;\n")]
            let missing = try await invoke(files, handler: "missing.handler", in: root, with: invoker)
            let missingObject = try errorObject(missing.result)
            #expect(missingObject["errorType"] as? String == "Runtime.ImportModuleError")
            let message = missingObject["errorMessage"] as? String ?? ""
            #expect(message.hasPrefix("Error: Cannot find module 'missing'\nRequire stack:\n- "))
            let trace = missingObject["trace"] as? [String] ?? []
            #expect(trace.first == "Runtime.ImportModuleError: Error: Cannot find module 'missing'")
            let logged = #"\#tundefined\#tERROR\#tUncaught Exception \#t{"errorType":"Runtime.ImportModuleError""#
            #expect(Fixtures.text(missing.logTail).contains(logged))
            let cases = [
                ("index.handler", "Runtime.HandlerNotFound", "index.handler is undefined or not exported"),
                ("index.notAFunction", "Runtime.HandlerNotFound", "index.notAFunction is not a function"),
                ("index", "Runtime.MalformedHandlerName", "Bad handler"),
                ("broken.x", "Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token ';'"),
            ]
            for (handler, type, message) in cases {
                let report = try await invoke(files, handler: handler, in: root, with: invoker)
                let object = try errorObject(report.result)
                #expect(object["errorType"] as? String == type)
                #expect(object["errorMessage"] as? String == message)
            }
        }
    }

    @Test func warmEnvironmentIsReused() async throws {
        try await withInvoker { invoker, root in
            let source = "let count = 0;\nexports.handler = async () => ++count;\n"
            let zip = try Fixtures.zip(index(source), in: root)
            let function = try Fixtures.function(runtime: "nodejs18.x", handler: "index.handler", zip: zip)
            var reports: [InvocationReport] = []
            for _ in 0..<3 {
                reports.append(
                    try await invoker.invokeReporting(
                        function: function, codeDirectory: try Fixtures.unpacked(zip), payload: [],
                        requestId: Fixtures.requestID()
                    )
                )
            }
            let expected: [InvocationResult] = ["1", "2", "3"].map { .success(Array($0.utf8)) }
            #expect(reports.map(\.result) == expected)
            #expect(reports.map(\.coldStart) == [true, false, false])
            #expect(Set(reports.map(\.processID)).count == 1)
        }
    }

    @Test func nodejs24RefusesCallbackHandlersAndUsesReturnValues() async throws {
        try await withInvoker { invoker, root in
            let source = """
                exports.callback = (event, context, callback) => callback(null, 1);
                exports.sync = (event, context) => ({ value: 2, succeed: typeof context.succeed });

                """
            let refused = try await invoke(
                index(source), handler: "index.callback", runtime: "nodejs24.x", in: root, with: invoker
            )
            let object = try errorObject(refused.result)
            #expect(object["errorType"] as? String == "Runtime.CallbackHandlerDeprecated")
            let message = object["errorMessage"] as? String ?? ""
            #expect(message.hasPrefix("ERROR: AWS Lambda has removed support for callback-based function handlers"))
            let sync = try await invoke(
                index(source), handler: "index.sync", runtime: "nodejs24.x", in: root, with: invoker
            )
            #expect(sync.result == .success(Array(#"{"value":2,"succeed":"undefined"}"#.utf8)))
        }
    }

    @Test func launchPlanRunsTheRealNodeWithTheBootstrap() throws {
        let root = try Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let runtimeRoot = root.appendingPathComponent("runtimes")
        let plan = try RuntimeLaunchPlan.plan(
            runtime: "nodejs22.x", taskRoot: root, runtimeRoot: runtimeRoot, memorySize: 1024
        )
        guard case .launch(let launch) = plan else { Issue.record("no launch"); return }
        #expect(launch.executable.path == NodeInterpreter.path)
        #expect(launch.arguments.prefix(3) == ["--expose-gc", "--max-http-header-size", "81920"])
        #expect(launch.arguments.contains("--max-semi-space-size=51"))
        #expect(launch.arguments.contains("--max-old-space-size=922"))
        let script = try #require(launch.arguments.last)
        #expect(script == root.appendingPathComponent("runtimes/node/sluice_node_bootstrap.cjs").path)
        #expect(try String(contentsOfFile: script, encoding: .utf8) == NodeBootstrap.source)
    }

    @Test func missingNodeIsReportedAsTheFunctionsProblem() throws {
        let empty = try Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(NodeInterpreter.resolve(searchPath: empty.path) == nil)
        let real = try #require(NodeInterpreter.resolve(searchPath: ProcessInfo.processInfo.environment["PATH"]))
        #expect(FileManager.default.isExecutableFile(atPath: real))
        let problem = RuntimeSupport.problem(
            runtime: "nodejs20.x", python: "/usr/bin/python3", node: NodeInterpreter.resolve(searchPath: empty.path)
        )
        #expect(problem == "Sluice cannot run nodejs20.x: no node interpreter was found on the PATH.")
        #expect(RuntimeSupport.problem(runtime: "nodejs22.x", python: nil, node: real) == nil)
        #expect(RuntimeSupport.problem(runtime: "nodejs24.x") == nil)
    }
}

/// Whether process `id` has ended, waiting for it up to five seconds (it exits on its own after posting an error).
private func exited(_ id: Int32) async throws -> Bool {
    var polls = 0
    while kill(id, 0) == 0 && polls < 500 {
        try await Task.sleep(for: .milliseconds(10))
        polls += 1
    }
    return kill(id, 0) != 0
}
