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
