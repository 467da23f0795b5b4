import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluiceCore

/// The one port: reads each request whole (up to the Lambda limit), establishes who sent it, routes it by
/// protocol and answers in that protocol's format (`reference/wire-protocols.md` §2).
public struct SluiceResponder: HTTPResponder {
    public typealias Context = BasicRequestContext

    let authenticator: RequestAuthenticator
    let lambda: LambdaAPI
    let jsonServices: [AWSService: any AWSJSONService]
    let queryServices: [AWSService: any AWSQueryService]
    let metrics: MetricsAPI?

    /// The largest body any operation accepts (CreateFunction's, recorded).
    static let maximumBodyBytes = FunctionValidation.maximumRequestBytes

    public init(
        authenticator: RequestAuthenticator, lambda: LambdaAPI, jsonServices: [any AWSJSONService] = [],
        queryServices: [any AWSQueryService] = [], metrics: MetricsAPI? = nil
    ) {
        self.authenticator = authenticator
        self.lambda = lambda
        self.jsonServices = Dictionary(jsonServices.map { ($0.service, $0) }, uniquingKeysWith: { $1 })
        self.queryServices = Dictionary(queryServices.map { ($0.service, $0) }, uniquingKeysWith: { $1 })
        self.metrics = metrics
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = RequestID.next()
        var request = request
        let rawPath = request.uri.path
        if let metrics, MetricsAPI.isScrape(method: request.method.rawValue, path: rawPath) {
            return Self.response(metrics.scrape(), requestID: requestID)
        }
        let operation = LambdaOperation(method: request.method.rawValue, segments: IncomingRequest.pathSegments(rawPath))
        var route: ServiceRoute?
        let outgoing: OutgoingResponse
        do {
            let body = try await collectBody(of: &request, operation: operation)
            let incoming = IncomingRequest(
                method: request.method.rawValue, rawPath: rawPath, rawQuery: request.uri.query,
                headers: Self.headers(of: request), body: body
            )
            route = ServiceRoute.route(incoming)
            outgoing = try await RequestID.$current.withValue(requestID) {
                try await dispatch(incoming, route: route, operation: operation)
            }
        } catch let error as AWSError {
            outgoing = Self.errorResponse(error, route: route, requestID: requestID)
        } catch {
            context.logger.error("Request failed", metadata: ["error": "\(error)", "aws.request.id": "\(requestID)"])
            outgoing = Self.errorResponse(.service("Internal error: \(error)"), route: route, requestID: requestID)
        }
        return Self.response(outgoing, requestID: requestID)
    }

    /// Authenticates, then hands the request to the service its protocol names. A service Sluice does not serve
    /// (yet) answers `UnknownOperationException` / `InvalidAction` in the request's own protocol, so SDKs report a
    /// clear error.
    private func dispatch(_ request: IncomingRequest, route: ServiceRoute?, operation: LambdaOperation?) async throws
        -> OutgoingResponse
    {
        let identity = try authenticator.identity(of: request)
        switch route?.protocol {
        case .restJSON?, nil:
            guard let operation else { throw AWSError.unknownOperation() }
            return try await lambda.handle(operation, request, identity: identity)
        case .awsJSON?:
            guard let route, let operation = route.operation, let service = jsonServices[route.service] else {
                throw AWSJSON.unknownOperation(route?.operation)
            }
            return try await service.handle(operation: operation, request: request, identity: identity)
        case .awsCBOR?:
            throw AWSJSON.cborNotSupported
        case .awsQuery?:
            guard let route, let action = route.operation else { throw AWSQuery.missingAction }
            guard let service = queryServices[route.service] else { throw AWSQuery.invalidAction(action) }
            return try await service.handle(action: action, request: request, identity: identity)
        }
    }

    /// An error in the protocol of the request: rest-json for Lambda (and unrecognised requests), JSON 1.0/1.1,
    /// CBOR or query XML for the others.
    static func errorResponse(_ error: AWSError, route: ServiceRoute?, requestID: String) -> OutgoingResponse {
        guard let route else { return RestJSON.errorResponse(error) }
        switch route.protocol {
        case .restJSON: return RestJSON.errorResponse(error)
        case .awsJSON(let version): return AWSJSON.errorResponse(error, service: route.service, version: version)
        case .awsCBOR: return AWSJSON.cborErrorResponse(error)
        case .awsQuery: return AWSQuery.errorResponse(error, service: route.service, requestID: requestID)
        }
    }

    private func collectBody(of request: inout Request, operation: LambdaOperation?) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximumBodyBytes {
            throw AWSError.requestEntityTooLarge(limit: Self.maximumBodyBytes, operation: operation?.name ?? "Unknown")
        }
        do {
            let buffer = try await request.collectBody(upTo: Self.maximumBodyBytes)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AWSError.requestEntityTooLarge(limit: Self.maximumBodyBytes, operation: operation?.name ?? "Unknown")
        }
    }

    static func headers(of request: Request) -> [(name: String, value: String)] {
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        if let authority = request.head.authority, !headers.contains(where: { $0.name == "host" }) {
            headers.append((name: "host", value: authority))
        }
        return headers
    }

    static func response(_ outgoing: OutgoingResponse, requestID: String) -> Response {
        var fields = HTTPFields()
        for (name, value) in outgoing.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        fields.append(HTTPField(name: .init("x-amzn-RequestId")!, value: requestID))
        fields[.contentLength] = String(outgoing.body.count)
        return Response(
            status: HTTPResponse.Status(code: outgoing.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: outgoing.body))
        )
    }
}
