import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One environment's Runtime API: an HTTP/1.1 server on 127.0.0.1 with an ephemeral port, serving exactly the
/// endpoints of `reference/runtime-api.md` §1. The paths carry no environment id, so the listener itself
/// identifies the environment.
public final class RuntimeAPIListener: Sendable {
    /// The port the runtime reaches through `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`.
    public let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    public var address: String { "127.0.0.1:\(port)" }

    /// Starts a listener that forwards the runtime's calls to `handOff`.
    public static func start(handOff: InvocationHandOff) async throws -> RuntimeAPIListener {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: RuntimeAPIResponder(handOff: handOff),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { portSink.yield(port) }
                portSink.finish()
            },
            logger: Logger(label: "sluice.runtime-api", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let task = Task {
            defer { portSink.finish() }
            try await application.run()
        }
        guard let port = await ports.first(where: { _ in true }) else {
            task.cancel()
            throw RuntimeAPIListenerError.couldNotListen
        }
        return RuntimeAPIListener(port: port, task: task)
    }

    /// Stops the server. Release a parked `next` first (``InvocationHandOff/shutDown()``) so nothing holds it.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

public enum RuntimeAPIListenerError: Error {
    case couldNotListen
}

/// Routes the Runtime API paths of `reference/runtime-api.md` §1 to the hand-off.
struct RuntimeAPIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The emulator's response limit (§1.2).
    static let maximumResponseBytes = 6_291_556

    let handOff: InvocationHandOff

    func respond(to request: Request, context: Context) async throws -> Response {
        let segments = request.uri.path.split(separator: "/").map(String.init)
        guard segments.count >= 3, segments[0] == "2018-06-01", segments[1] == "runtime" else {
            return Self.json(404, #"{"errorMessage":"Not found","errorType":"NotFound"}"#)
        }
        let method = request.method
        switch Array(segments.dropFirst(2)) {
        case ["invocation", "next"] where method == .get:
            return await next()
        case let path where path.count == 3 && path[0] == "invocation" && path[2] == "response" && method == .post:
            var request = request
            let requestID = path[1]
            guard let body = try await Self.body(of: &request, limit: Self.maximumResponseBytes) else {
                return Self.reply(handOff.respondedTooLarge(requestID: requestID))
            }
            return Self.reply(handOff.responded(requestID: requestID, payload: body))
        case let path where path.count == 3 && path[0] == "invocation" && path[2] == "error" && method == .post:
            var request = request
            let body = try await Self.body(of: &request, limit: Self.maximumResponseBytes) ?? []
            return Self.reply(handOff.failed(requestID: path[1], body: Self.errorBody(body, request: request)))
        case ["init", "error"] where method == .post:
            var request = request
            let body = try await Self.body(of: &request, limit: Self.maximumResponseBytes) ?? []
            return Self.reply(handOff.initFailed(body: Self.errorBody(body, request: request)))
        default:
            return Self.json(404, #"{"errorMessage":"Not found","errorType":"NotFound"}"#)
        }
    }

    /// `next`: blocks until an invocation is handed over (§1.1). `Content-Type: application/json` is required by
    /// awslambdaric (DESIGN "Known pitfalls").
    private func next() async -> Response {
        guard let invocation = await handOff.next() else { return Self.reply(.invalidStateTransition) }
        let deadline = Int64(Date().timeIntervalSince1970 * 1000) + Int64(invocation.timeoutMilliseconds)
        var fields = HTTPFields()
        fields[HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!] = invocation.requestID
        fields[HTTPField.Name("Lambda-Runtime-Deadline-Ms")!] = String(deadline)
        fields[HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!] = invocation.invokedFunctionArn
        fields[HTTPField.Name("Lambda-Runtime-Trace-Id")!] = invocation.traceID
        if let clientContext = invocation.clientContext {
            fields[HTTPField.Name("Lambda-Runtime-Client-Context")!] = clientContext
        }
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(invocation.payload.count)
        let body = ResponseBody(byteBuffer: ByteBuffer(bytes: invocation.payload))
        return Response(status: .ok, headers: fields, body: body)
    }

    /// The body, or `nil` when it is over `limit`.
    private static func body(of request: inout Request, limit: Int) async throws -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return nil }
        do {
            return Array(try await request.collectBody(upTo: limit).readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return nil
        }
    }

    /// The posted error object unchanged (§1.2); a runtime that posts no body gets one built from
    /// `Lambda-Runtime-Function-Error-Type` so the invoker still receives an error object.
    private static func errorBody(_ body: [UInt8], request: Request) -> [UInt8] {
        guard body.isEmpty else { return body }
        let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!] ?? "Unhandled"
        let object = ["errorMessage": "", "errorType": type]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    private static func reply(_ reply: RuntimeReply) -> Response {
        json(reply.status, reply.body)
    }

    private static func json(_ status: Int, _ body: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.utf8.count)
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}
