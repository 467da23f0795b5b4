import SluiceCore

/// Reads the SigV4 credential scope of every request (its region is the request's region) and, when credentials
/// are configured, verifies the signature (`reference/wire-protocols.md` §2, §6).
public struct RequestAuthenticator: Sendable {
    /// Secret keys by access key id; empty means any credentials are accepted.
    public var credentials: [String: String]
    /// The region of a request that names none.
    public var defaultRegion: String

    public init(credentials: [String: String] = [:], defaultRegion: String = "us-east-1") {
        self.credentials = credentials
        self.defaultRegion = defaultRegion
    }

    public func identity(of request: IncomingRequest) throws(AWSError) -> RequestIdentity {
        if credentials.isEmpty, let header = request.header("authorization") {
            let scope = SigV4Authorization.credentialScope(ofHeader: header)
            return RequestIdentity(region: scope?.region ?? defaultRegion, accessKeyID: scope?.accessKeyID)
        }
        let authorization = request.header("authorization").flatMap(SigV4Authorization.init(header:))
            ?? SigV4Authorization(query: request.queryItems)
        guard !credentials.isEmpty else {
            return RequestIdentity(region: authorization?.region ?? defaultRegion, accessKeyID: authorization?.accessKeyID)
        }
        guard let authorization else {
            throw request.header("authorization") == nil ? .missingAuthenticationToken : .invalidSignature
        }
        guard let secret = credentials[authorization.accessKeyID] else { throw .unrecognizedClient }
        guard let amzDate = SigV4.requestTimestamp(authorization: authorization, headers: request.headers) else {
            throw .invalidSignature
        }
        let expected = SigV4.signature(
            secretKey: secret, authorization: authorization, amzDate: amzDate, method: request.method,
            rawPath: request.rawPath, rawQuery: request.rawQuery, headers: request.headers,
            payloadHash: SigV4.payloadHash(headers: request.headers, body: request.body)
        )
        guard SigV4.constantTimeEquals(expected, authorization.signature.lowercased()) else {
            throw .invalidSignature
        }
        return RequestIdentity(region: authorization.region, accessKeyID: authorization.accessKeyID)
    }
}
