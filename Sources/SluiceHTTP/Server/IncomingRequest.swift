/// A request as the services see it: method, raw path and query as they arrived, headers, the whole body.
public struct IncomingRequest: Sendable {
    public var method: String
    /// The path exactly as on the wire (percent-encoded), as SigV4 signs it.
    public var rawPath: String
    public var rawQuery: String?
    /// Header names lower-cased; `host` included.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)],
                body: [UInt8]) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by lower-case name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// Path segments, percent-decoded; a trailing `/` adds no segment.
    public var pathSegments: [String] {
        Self.pathSegments(rawPath)
    }

    static func pathSegments(_ rawPath: String) -> [String] {
        var segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            PercentEncoding.decode($0) ?? String($0)
        }
        if segments.last == "" { segments.removeLast() }
        return segments
    }

    /// Query parameters in order, percent-decoded (`+` stays `+`, as AWS SDKs encode spaces as `%20`).
    public var queryItems: [(name: String, value: String)] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(parts[0]) ?? String(parts[0])
            let value = parts.count > 1 ? PercentEncoding.decode(parts[1]) ?? String(parts[1]) : ""
            return (name, value)
        }
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// RFC 3986 percent-decoding.
enum PercentEncoding {
    static func decode<S: StringProtocol>(_ text: S) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
