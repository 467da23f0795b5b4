import SluiceCore

/// A service that answers JSON-protocol operations (`X-Amz-Target: <Prefix>.<Operation>`): the embedded Kinesis,
/// SQS, DynamoDB and DynamoDB Streams.
public protocol AWSJSONService: Sendable {
    var service: AWSService { get }

    /// Answers one operation; throws `AWSError` (encoded by the caller in the request's JSON version), or
    /// `AWSJSON.unknownOperation` for an operation it does not serve.
    func handle(operation: String, request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
}

extension AWSJSONService {
    /// Decodes the operation's input, performs it, encodes its output.
    func answer<Input: Decodable, Output: Encodable>(
        _ request: IncomingRequest, _ perform: (Input) async throws -> Output
    ) async throws -> OutgoingResponse {
        let input = try AWSJSON.decode(Input.self, from: request.body, service: service)
        return try AWSJSON.response(try await perform(input), service: service)
    }

    /// Decodes the operation's input and performs it; the output has no members (`{}`).
    func call<Input: Decodable>(_ request: IncomingRequest, _ perform: (Input) async throws -> Void)
        async throws -> OutgoingResponse
    {
        try await perform(try AWSJSON.decode(Input.self, from: request.body, service: service))
        return AWSJSON.emptyResponse(service: service)
    }
}
