import Crypto
import Foundation

/// AWS Signature Version 4, server side: recompute the signature a client should have sent
/// (reference/wire-protocols.md §6).
///
/// Every step mirrors botocore's `SigV4Auth` (the client our compatibility tests use), including its quirks: the path
/// is encoded once more as received on the wire (so `%3A` becomes `%253A`), dot segments and repeated `/` are removed
/// first, and the canonical query is sorted by encoded key, then encoded value.
public enum SigV4 {
    /// Hex SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The `X-Amz-Content-SHA256` value of a client that does not sign the body.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The signature the client should have computed, lowercase hex (§6 steps 2–4).
    ///
    /// Compare it with `authorization.signature` using `constantTimeEquals(_:_:)`.
    /// - Parameters:
    ///   - secretKey: the secret access key belonging to `authorization.accessKeyID`.
    ///   - authorization: the parsed header or presigned query; supplies the scope and the signed header names.
    ///   - amzDate: the request time, `yyyymmddThhmmssZ` (see `requestTimestamp(authorization:headers:)`).
    ///   - method: the HTTP method.
    ///   - rawPath: the path exactly as on the wire, still percent-encoded, without the query.
    ///   - rawQuery: the query exactly as on the wire, without `?`; `nil` or empty when there is none.
    ///   - headers: all request headers as received, in order; names are matched case-insensitively.
    ///   - payloadHash: `payloadHash(headers:body:)`.
    public static func signature(
        secretKey: String,
        authorization: SigV4Authorization,
        amzDate: String,
        method: String,
        rawPath: String,
        rawQuery: String?,
        headers: [(name: String, value: String)],
        payloadHash: String
    ) -> String {
        let request = canonicalRequest(
            authorization: authorization,
            method: method,
            rawPath: rawPath,
            rawQuery: rawQuery,
            headers: headers,
            payloadHash: payloadHash
        )
        let toSign = stringToSign(authorization: authorization, amzDate: amzDate, canonicalRequest: request)
        let key = signingKey(
            secretKey: secretKey,
            date: authorization.date,
            region: authorization.region,
            service: authorization.service
        )
        return hex(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: key))
    }

    /// The canonical request (§6 step 2): method, canonical URI, canonical query, canonical headers followed by an
    /// empty line, signed headers, payload hash, joined with `\n`. Exposed for debugging signature mismatches.
    /// - Parameters: as for `signature(secretKey:authorization:amzDate:method:rawPath:rawQuery:headers:payloadHash:)`.
    public static func canonicalRequest(
        authorization: SigV4Authorization,
        method: String,
        rawPath: String,
        rawQuery: String?,
        headers: [(name: String, value: String)],
        payloadHash: String
    ) -> String {
        [
            method.uppercased(),
            canonicalURI(rawPath),
            canonicalQuery(rawQuery, excludingSignature: authorization.isPresigned),
            canonicalHeaders(authorization.signedHeaders, from: headers),
            authorization.signedHeadersString,
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The string to sign (§6 step 3): algorithm, request time, credential scope, and the hex SHA-256 of the
    /// canonical request.
    public static func stringToSign(
        authorization: SigV4Authorization,
        amzDate: String,
        canonicalRequest: String
    ) -> String {
        [
            SigV4Authorization.algorithm,
            amzDate,
            authorization.credentialScope,
            payloadHash(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
    }

    /// The signing key (§6 step 4): `HMAC("AWS4" + secret, date)`, then region, service and `aws4_request` in turn.
    public static func signingKey(secretKey: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secretKey)".utf8))
        for part in [date, region, service, SigV4Authorization.scopeTerminator] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// The canonical URI (§6 step 2): remove dot segments and empty segments from the path as received, then
    /// percent-encode every byte except unreserved characters and `/`. An empty path becomes `/`.
    ///
    /// Like botocore's `remove_dot_segments`: a trailing `/` survives only when a segment remains, `..` above the
    /// root is dropped, and `%2E`/`%2F` are not decoded (they end up as `%252E`/`%252F`).
    public static func canonicalURI(_ rawPath: String) -> String {
        guard !rawPath.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in rawPath.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var path = rawPath.hasPrefix("/") ? "/" : ""
        path += segments.joined(separator: "/")
        if rawPath.hasSuffix("/"), !segments.isEmpty {
            path += "/"
        }
        return uriEncode(path.utf8, keepingSlash: true)
    }

    /// The canonical query (§6 step 2): split on `&`, split each pair at the first `=` (no `=` → empty value),
    /// percent-decode then re-encode key and value with the unreserved set, sort by key then value, join with `&`.
    ///
    /// `+` is kept as a literal plus (SDKs encode spaces as `%20`). An empty segment (`a=1&&b=2`) is kept as an empty
    /// pair, as botocore does.
    /// - Parameters:
    ///   - rawQuery: the query as on the wire, without `?`.
    ///   - excludingSignature: leave out `X-Amz-Signature` (presigned requests).
    public static func canonicalQuery(_ rawQuery: String?, excludingSignature: Bool = false) -> String {
        guard let rawQuery, !rawQuery.isEmpty else { return "" }
        var pairs: [(key: String, value: String)] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: false) {
            let equals = pair.firstIndex(of: "=")
            let key = percentDecode(pair[..<(equals ?? pair.endIndex)])
            let value = equals.map { percentDecode(pair[pair.index(after: $0)...]) } ?? []
            if excludingSignature, key.elementsEqual("X-Amz-Signature".utf8) {
                continue
            }
            pairs.append((uriEncode(key, keepingSlash: false), uriEncode(value, keepingSlash: false)))
        }
        pairs.sort { lhs, rhs in
            lhs.key == rhs.key
                ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                : lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }
        return pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    /// The canonical headers block (§6 step 2): one `name:value\n` line per signed header name, in the order given.
    /// Repeated headers are joined with `,` in the order received; each value has leading and trailing whitespace
    /// removed and inner whitespace runs collapsed to one space. Over HTTP/2 `host` falls back to `:authority`.
    public static func canonicalHeaders(
        _ signedHeaders: [String],
        from headers: [(name: String, value: String)]
    ) -> String {
        var block = ""
        for name in signedHeaders {
            var values = headers.filter { $0.name.lowercased() == name }.map { trimAll($0.value) }
            if values.isEmpty, name == "host" {
                values = headers.filter { $0.name == ":authority" }.map { trimAll($0.value) }
            }
            block += "\(name):\(values.joined(separator: ","))\n"
        }
        return block
    }

    /// The payload hash for the canonical request (§6 step 2): the `X-Amz-Content-SHA256` header when present (it
    /// may be `UNSIGNED-PAYLOAD`), else the hex SHA-256 of the body.
    public static func payloadHash(headers: [(name: String, value: String)], body: some Collection<UInt8>) -> String {
        if let declared = headers.first(where: { $0.name.lowercased() == "x-amz-content-sha256" }) {
            return declared.value
        }
        return payloadHash(body)
    }

    /// Lowercase hex SHA-256 of `body`.
    public static func payloadHash(_ body: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        let hashedContiguously: Void? = body.withContiguousStorageIfAvailable { bytes in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
        if hashedContiguously == nil {
            hasher.update(data: Array(body))
        }
        return hex(hasher.finalize())
    }

    /// Compares two signatures in time that depends only on their lengths (§6 step 4).
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let lhs = Array(a.utf8)
        let rhs = Array(b.utf8)
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// The request time that goes into the string to sign (§6 step 1): `X-Amz-Date` of a presigned query, else the
    /// `X-Amz-Date` header, else the `Date` header (IMF-fixdate in GMT, e.g. `Mon, 25 Nov 2024 10:00:00 GMT`, or
    /// botocore's `-0000` zone) converted to `yyyymmddThhmmssZ`. `nil` when none is usable.
    public static func requestTimestamp(
        authorization: SigV4Authorization,
        headers: [(name: String, value: String)]
    ) -> String? {
        if authorization.isPresigned {
            return authorization.amzDate
        }
        if let amzDate = headers.first(where: { $0.name.lowercased() == "x-amz-date" }) {
            return String(amzDate.value.trimmingSigV4Whitespace())
        }
        return headers.first(where: { $0.name.lowercased() == "date" }).flatMap { amzDate(fromHTTPDate: $0.value) }
    }

    /// Converts an HTTP date (`[Day,] DD Mon YYYY HH:MM:SS GMT|UT|UTC|Z|+0000|-0000`) to `yyyymmddThhmmssZ`.
    static func amzDate(fromHTTPDate value: String) -> String? {
        var fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if fields.first?.hasSuffix(",") == true {
            fields.removeFirst()
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard fields.count == 5,
            ["GMT", "UT", "UTC", "Z", "+0000", "-0000"].contains(fields[4]),
            let day = Int(fields[0]), (1...31).contains(day),
            let month = months.firstIndex(where: { $0.caseInsensitiveCompare(fields[1]) == .orderedSame }),
            fields[2].count == 4, let year = Int(fields[2])
        else { return nil }
        let time = fields[3].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, time.allSatisfy({ $0.count == 2 && Int($0) != nil }) else { return nil }
        let dayText = day < 10 ? "0\(day)" : "\(day)"
        let monthText = month < 9 ? "0\(month + 1)" : "\(month + 1)"
        return "\(year)\(monthText)\(dayText)T\(time.joined())Z"
    }

    /// Whether `value` has the shape `yyyymmddThhmmssZ`.
    static func isAmzDate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return false }
        return (bytes[0..<8] + bytes[9..<15]).allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    // MARK: - Encoding

    /// Percent-encodes every byte except `A-Z a-z 0-9 - _ . ~` (and `/` when `keepingSlash`), upper-case hex.
    static func uriEncode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        var encoded: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(upperHexDigits[Int(byte >> 4)])
                encoded.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Decodes `%XX` escapes to bytes; a `%` not followed by two hex digits stays as it is.
    static func percentDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    /// Trims and collapses whitespace runs to one space, treating as whitespace what Python's `str.split()` does
    /// (botocore's `' '.join(value.split())`): Unicode White_Space plus the separators U+001C–U+001F.
    static func trimAll(_ value: String) -> String {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) {
                if !word.isEmpty {
                    words.append(String(word))
                    word = String.UnicodeScalarView()
                }
            } else {
                word.append(scalar)
            }
        }
        if !word.isEmpty {
            words.append(String(word))
        }
        return words.joined(separator: " ")
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits = Array("0123456789abcdef".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(lowerHexDigits[Int(byte >> 4)])
            text.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
