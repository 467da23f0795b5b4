import Testing

import SluiceCore
@testable import SluiceHTTP

/// The answer to Kinesis clients that speak CBOR (`reference/wire-protocols.md` §1). The golden body was parsed by
/// botocore's CBOR error parser (`create_parser("smithy-rpc-v2-cbor")`) to Code `SerializationException` and the
/// message below.
@Suite struct AWSJSONCBORTests {
    @Test func theErrorIsACBORMapWithTheCodeAlsoInAHeader() {
        let response = AWSJSON.cborErrorResponse(AWSError(code: "SerializationException", message: "no CBOR"))
        #expect(response.status == 400)
        #expect(response.headers.map(\.name) == ["Content-Type", "x-amzn-ErrorType"])
        #expect(response.headers.map(\.value) == ["application/x-amz-cbor-1.1", "SerializationException"])
        let golden: [UInt8] =
            [0xA2, 0x66] + Array("__type".utf8) + [0x76] + Array("SerializationException".utf8)
            + [0x67] + Array("message".utf8) + [0x67] + Array("no CBOR".utf8)
        #expect(response.body == golden)
    }

    @Test func theMessageTellsJavaUsersHowToSwitchToJSON() {
        let message = AWSJSON.cborNotSupported.message
        #expect(message.contains("aws.cborEnabled=false") && message.contains("AWS_CBOR_ENABLED=false"))
        #expect(message.contains("-Dcom.amazonaws.sdk.disableCbor") && message.contains("AWS_CBOR_DISABLE"))
        let body = AWSJSON.cborErrorResponse(AWSJSON.cborNotSupported).body
        let messageBytes = Array(message.utf8)
        #expect(body.suffix(messageBytes.count + 2) == [0x78, UInt8(messageBytes.count)] + messageBytes)
    }

    @Test(arguments: [
        (0, [0x60] as [UInt8]), (23, [0x77]), (24, [0x78, 24]), (255, [0x78, 0xFF]), (256, [0x79, 0x01, 0x00]),
        (65_535, [0x79, 0xFF, 0xFF]), (65_536, [0x7A, 0x00, 0x01, 0x00, 0x00]),
    ])
    func textLengthsUseTheShortestHeader(length: Int, header: [UInt8]) {
        var body: [UInt8] = []
        AWSJSON.appendCBORText(String(repeating: "a", count: length), to: &body)
        #expect(Array(body.prefix(header.count)) == header)
        #expect(body.count == header.count + length)
    }
}
