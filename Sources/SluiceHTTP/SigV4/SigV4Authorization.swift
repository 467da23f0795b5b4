/// The parts of an AWS Signature Version 4 authorization, from the `Authorization` header or from a presigned query.
///
/// Parsing only checks shape (reference/wire-protocols.md §2 "Credential scope parsing" and §6 step 1); whether the
/// signature is right is `SigV4.signature(...)`'s job. The credential scope's `region` is the region of the request
/// and its `service` helps routing (§2, step 3).
public struct SigV4Authorization: Sendable, Equatable {
    /// The only algorithm SigV4 knows; anything else is not a SigV4 request.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The last part of every credential scope.
    public static let scopeTerminator = "aws4_request"

    /// The access key id, the first part of `Credential=`.
    public var accessKeyID: String
    /// The scope date, `yyyymmdd`.
    public var date: String
    /// The scope region, e.g. `us-east-1`.
    public var region: String
    /// The scope service (signing name), e.g. `lambda`, `kinesis`, `dynamodb`, `sqs`.
    public var service: String
    /// The signed header names, lower-cased, in the order the client listed them.
    public var signedHeaders: [String]
    /// The hex signature as sent.
    public var signature: String
    /// `true` when parsed from a presigned query (`X-Amz-*` parameters) rather than the `Authorization` header.
    /// A presigned request's canonical query leaves out `X-Amz-Signature` (§6 step 2).
    public var isPresigned: Bool
    /// `X-Amz-Date` from a presigned query (`yyyymmddThhmmssZ`); `nil` for the header form, whose time comes from
    /// the `X-Amz-Date` or `Date` header (see `SigV4.requestTimestamp(authorization:headers:)`).
    public var amzDate: String?
    /// `X-Amz-Expires` from a presigned query, in seconds, when present and numeric.
    public var expiresSeconds: Int?

    /// The credential scope, `yyyymmdd/region/service/aws4_request`, as it appears in the string to sign (§6 step 3).
    public var credentialScope: String {
        "\(date)/\(region)/\(service)/\(Self.scopeTerminator)"
    }

    /// The signed header names joined with `;`, as they appear in the canonical request (§6 step 2).
    public var signedHeadersString: String {
        signedHeaders.joined(separator: ";")
    }

    /// Creates an authorization from its parts (tests and clients); no validation.
    public init(
        accessKeyID: String,
        date: String,
        region: String,
        service: String,
        signedHeaders: [String],
        signature: String,
        isPresigned: Bool = false,
        amzDate: String? = nil,
        expiresSeconds: Int? = nil
    ) {
        self.accessKeyID = accessKeyID
        self.date = date
        self.region = region
        self.service = service
        self.signedHeaders = signedHeaders
        self.signature = signature
        self.isPresigned = isPresigned
        self.amzDate = amzDate
        self.expiresSeconds = expiresSeconds
    }

    /// Parses an `Authorization` header value (reference/wire-protocols.md §2):
    /// `AWS4-HMAC-SHA256 Credential=AKID/20241125/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date,
    /// Signature=<hex>`.
    ///
    /// The three parts may come in any order, with or without spaces after the commas. Returns `nil` for another
    /// algorithm, a missing or repeated part, a scope that does not end in `aws4_request`, or a signature that is not
    /// 64 hex digits.
    /// - Parameter header: the header value as received.
    public init?(header: String) {
        let trimmed = header.trimmingSigV4Whitespace()
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
            trimmed[..<space] == Self.algorithm
        else { return nil }
        var credential: Substring?
        var signedHeaders: Substring?
        var signature: Substring?
        for part in trimmed[space...].split(separator: ",", omittingEmptySubsequences: false) {
            let part = part.trimmingSigV4Whitespace()
            guard let equals = part.firstIndex(of: "=") else { return nil }
            let value = part[part.index(after: equals)...]
            switch part[..<equals] {
            case "Credential":
                guard credential == nil else { return nil }
                credential = value
            case "SignedHeaders":
                guard signedHeaders == nil else { return nil }
                signedHeaders = value
            case "Signature":
                guard signature == nil else { return nil }
                signature = value
            default:
                return nil
            }
        }
        guard let credential, let signedHeaders, let signature else { return nil }
        self.init(credential: credential, signedHeaders: signedHeaders, signature: signature)
    }

    /// Parses the authorization of a presigned URL (reference/wire-protocols.md §6 step 1): `X-Amz-Algorithm`,
    /// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, and `X-Amz-Expires` if present.
    ///
    /// Names are matched exactly; when a name repeats, the first value wins. Returns `nil` when a required parameter
    /// is missing, the algorithm is not `AWS4-HMAC-SHA256`, `X-Amz-Date` is not `yyyymmddThhmmssZ`, or the
    /// credential, signed headers or signature are malformed as for `init?(header:)`.
    /// - Parameter query: the query parameters, already percent-decoded, in order.
    public init?(query: [(name: String, value: String)]) {
        func first(_ name: String) -> String? {
            query.first(where: { $0.name == name })?.value
        }
        guard first("X-Amz-Algorithm") == Self.algorithm,
            let credential = first("X-Amz-Credential"),
            let signedHeaders = first("X-Amz-SignedHeaders"),
            let signature = first("X-Amz-Signature"),
            let amzDate = first("X-Amz-Date"),
            SigV4.isAmzDate(amzDate)
        else { return nil }
        self.init(credential: credential[...], signedHeaders: signedHeaders[...], signature: signature[...])
        self.isPresigned = true
        self.amzDate = amzDate
        self.expiresSeconds = first("X-Amz-Expires").flatMap { Int($0) }
    }

    /// Validates and splits the three common parts of both forms.
    private init?(credential: Substring, signedHeaders: Substring, signature: Substring) {
        // AKID/yyyymmdd/region/service/aws4_request; read from the end so nothing about the key id is assumed.
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count >= 5, scope[scope.count - 1] == Self.scopeTerminator else { return nil }
        let accessKeyID = scope[..<(scope.count - 4)].joined(separator: "/")
        let date = scope[scope.count - 4]
        let region = scope[scope.count - 3]
        let service = scope[scope.count - 2]
        guard !accessKeyID.isEmpty, !region.isEmpty, !service.isEmpty,
            date.utf8.count == 8, date.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }

        let headers = signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard !headers.isEmpty, !headers.contains(where: \.isEmpty) else { return nil }

        guard signature.utf8.count == 64, signature.utf8.allSatisfy(\.isASCIIHexDigit) else { return nil }

        self.init(
            accessKeyID: accessKeyID,
            date: String(date),
            region: String(region),
            service: String(service),
            signedHeaders: headers,
            signature: String(signature)
        )
    }
}

extension UInt8 {
    /// `0-9`, `a-f`, `A-F`.
    fileprivate var isASCIIHexDigit: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default:
            false
        }
    }
}

extension StringProtocol where SubSequence == Substring {
    /// Drops leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingSigV4Whitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return self[start...end]
    }
}

extension SigV4Authorization {
    /// The access key id and region of an `Authorization` header's credential scope, read byte by byte without
    /// validating the rest: what every request needs when signatures are not verified (it runs once per request).
    public static func credentialScope(ofHeader header: String) -> (accessKeyID: String, region: String)? {
        let bytes = Array(header.utf8)
        let marker = Array("Credential=".utf8)
        guard bytes.starts(with: algorithm.utf8), let start = bytes.firstRange(of: marker)?.upperBound else {
            return nil
        }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: ","), bytes[end] != UInt8(ascii: " ") { end += 1 }
        let parts = bytes[start..<end].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[parts.count - 1].elementsEqual(scopeTerminator.utf8) else { return nil }
        let accessKeyID = parts[..<(parts.count - 4)].joined(separator: [UInt8(ascii: "/")])
        let region = parts[parts.count - 3]
        guard !region.isEmpty else { return nil }
        return (String(decoding: Array(accessKeyID), as: UTF8.self), String(decoding: region, as: UTF8.self))
    }
}
