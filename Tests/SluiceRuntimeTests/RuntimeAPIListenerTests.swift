import Foundation
import Testing

@testable import SluiceRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Runtime API over real HTTP: paths, headers, status codes and bodies (`reference/runtime-api.md` §1).
@Suite struct RuntimeAPIListenerTests {
    static let invocation = RuntimeInvocation(
        requestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd", payload: Array(#"{"k":"v"}"#.utf8),
        invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f", traceID: "Root=1-5bef4de7-ad49b0e8",
        timeoutMilliseconds: 60_000
    )

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func call(_ listener: RuntimeAPIListener, _ method: String, _ path: String, body: [UInt8] = []) async throws
        -> Answer
    {
        var request = URLRequest(url: URL(string: "http://\(listener.address)/2018-06-01\(path)")!)
        request.httpMethod = method
        if method == "POST" { request.httpBody = Data(body) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return Answer(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    static func withListener(_ body: (InvocationHandOff, RuntimeAPIListener) async throws -> Void) async throws {
        let handOff = InvocationHandOff()
        let listener = try await RuntimeAPIListener.start(handOff: handOff)
        do {
            try await body(handOff, listener)
        } catch {
            handOff.shutDown()
            await listener.stop()
            throw error
        }
        handOff.shutDown()
        await listener.stop()
    }

    @Test func nextBlocksUntilAnInvocationThenResponseCompletesIt() async throws {
        try await Self.withListener { handOff, listener in
            async let next = Self.call(listener, "GET", "/runtime/invocation/next")
            try await Task.sleep(for: .milliseconds(100))
            async let outcome = handOff.invoke(Self.invocation)
            let answer = try await next
            #expect(answer.status == 200)
            #expect(answer.body == #"{"k":"v"}"#)
            #expect(answer.headers["lambda-runtime-aws-request-id"] == Self.invocation.requestID)
            #expect(answer.headers["lambda-runtime-invoked-function-arn"] == Self.invocation.invokedFunctionArn)
            #expect(answer.headers["lambda-runtime-trace-id"] == Self.invocation.traceID)
            #expect(answer.headers["content-type"] == "application/json")
            let deadline = Int64(answer.headers["lambda-runtime-deadline-ms"] ?? "") ?? 0
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(deadline > now + 55_000 && deadline <= now + 60_000)
            let id = Self.invocation.requestID
            let posted = try await Self.call(listener, "POST", "/runtime/invocation/\(id)/response", body: [0x6e])
            #expect(posted.status == 202)
            #expect(posted.body == #"{"status":"OK"}"#)
            #expect(await outcome == .response([0x6e]))
            let again = try await Self.call(listener, "POST", "/runtime/invocation/\(id)/response", body: [])
            #expect(again.status == 400)
            #expect(again.body == #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        }
    }

    @Test func errorIsPassedOnUnchanged() async throws {
        try await Self.withListener { handOff, listener in
            async let outcome = handOff.invoke(Self.invocation)
            _ = try await Self.call(listener, "GET", "/runtime/invocation/next")
            let error = Array(#"{"errorMessage":"boom","errorType":"Exception","stackTrace":[]}"#.utf8)
            let id = Self.invocation.requestID
            let posted = try await Self.call(listener, "POST", "/runtime/invocation/\(id)/error", body: error)
            #expect(posted.status == 202)
            #expect(await outcome == .error(error))
        }
    }

    @Test func unknownIDWrongOrderAndInitErrorAfterInit() async throws {
        try await Self.withListener { handOff, listener in
            let early = try await Self.call(listener, "POST", "/runtime/invocation/nope/response", body: [])
            #expect(early.status == 403)
            #expect(early.body.contains(#""errorType":"InvalidStateTransition""#))
            async let outcome = handOff.invoke(Self.invocation)
            _ = try await Self.call(listener, "GET", "/runtime/invocation/next")
            let unknown = try await Self.call(listener, "POST", "/runtime/invocation/nope/error", body: [])
            #expect(unknown.status == 400)
            let secondNext = try await Self.call(listener, "GET", "/runtime/invocation/next")
            #expect(secondNext.status == 403)
            let initError = try await Self.call(listener, "POST", "/runtime/init/error", body: [])
            #expect(initError.status == 403)
            let notFound = try await Self.call(listener, "GET", "/runtime/elsewhere")
            #expect(notFound.status == 404)
            handOff.shutDown()
            #expect(await outcome == .shutDown)
        }
    }

    @Test func initErrorBeforeTheFirstNextEndsTheInvocation() async throws {
        try await Self.withListener { handOff, listener in
            async let outcome = handOff.invoke(Self.invocation)
            try await Task.sleep(for: .milliseconds(50))
            let body = Array(#"{"errorMessage":"Runtime startup fails","errorType":"Exception"}"#.utf8)
            let posted = try await Self.call(listener, "POST", "/runtime/init/error", body: body)
            #expect(posted.status == 202)
            #expect(await outcome == .initError(body))
            #expect(handOff.isClosed)
        }
    }

    @Test func oversizeResponseIs413AndAFunctionErrorForTheInvoker() async throws {
        try await Self.withListener { handOff, listener in
            async let outcome = handOff.invoke(Self.invocation)
            _ = try await Self.call(listener, "GET", "/runtime/invocation/next")
            let big = [UInt8](repeating: 0x61, count: 6_291_557)
            let id = Self.invocation.requestID
            let posted = try await Self.call(listener, "POST", "/runtime/invocation/\(id)/response", body: big)
            #expect(posted.status == 413)
            #expect(posted.body.contains("Exceeded maximum allowed payload size (6291556 bytes)."))
            #expect(await outcome == .responseTooLarge)
        }
    }

    @Test func deadlineEndsTheInvocation() async throws {
        try await Self.withListener { handOff, listener in
            var invocation = Self.invocation
            invocation.timeoutMilliseconds = 200
            async let outcome = handOff.invoke(invocation)
            _ = try await Self.call(listener, "GET", "/runtime/invocation/next")
            #expect(await outcome == .timedOut)
        }
    }
}
