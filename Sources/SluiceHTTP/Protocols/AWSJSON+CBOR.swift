import SluiceCore

/// The answer to Kinesis requests in CBOR (`application/x-amz-cbor-1.1`), which the AWS SDK for Java (and so the
/// KCL) sends by default and Sluice does not speak (`reference/wire-protocols.md` §1). The error is written in CBOR
/// so that those clients show its message, and its code also goes in `x-amzn-ErrorType`, where they look first.
extension AWSJSON {
    /// What to tell a CBOR client: how to switch the AWS SDK for Java to JSON.
    public static let cborNotSupported = AWSError(
        code: "SerializationException",
        message: "Sluice speaks JSON, not CBOR (application/x-amz-cbor-1.1). Switch the AWS SDK for Java to JSON: "
            + "v2 with the system property aws.cborEnabled=false or AWS_CBOR_ENABLED=false, v1 with "
            + "-Dcom.amazonaws.sdk.disableCbor or AWS_CBOR_DISABLE=true."
    )

    /// An error as a CBOR map `{"__type": code, "message": text}`, with `Content-Type: application/x-amz-cbor-1.1`
    /// and `x-amzn-ErrorType: code`.
    /// - Parameter error: usually `cborNotSupported`.
    public static func cborErrorResponse(_ error: AWSError) -> OutgoingResponse {
        var body: [UInt8] = [0xA2]  // map of two pairs
        for text in ["__type", error.code, "message", error.message] {
            appendCBORText(text, to: &body)
        }
        return OutgoingResponse(
            status: error.status,
            headers: [("Content-Type", "application/x-amz-cbor-1.1"), ("x-amzn-ErrorType", error.code)],
            body: body
        )
    }

    /// A CBOR text string (major type 3): the length in the shortest header, then the UTF-8 bytes (RFC 8949 §3.1).
    static func appendCBORText(_ text: String, to body: inout [UInt8]) {
        let bytes = Array(text.utf8)
        let count = UInt64(bytes.count)
        switch count {
        case 0..<24:
            body.append(0x60 | UInt8(count))
        case 24..<0x100:
            body += [0x78, UInt8(count)]
        case 0x100..<0x1_0000:
            body += [0x79, UInt8(count >> 8), UInt8(count & 0xFF)]
        default:
            body.append(0x7A)
            body += (0..<4).reversed().map { UInt8((count >> (8 * UInt64($0))) & 0xFF) }
        }
        body += bytes
    }
}
