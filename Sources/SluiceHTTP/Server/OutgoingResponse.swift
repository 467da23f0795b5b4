import Foundation
import SluiceCore

/// A response before it meets the HTTP server: status, headers, body bytes.
public struct OutgoingResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body from an `Encodable` value, with the Lambda API's content type.
    static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> OutgoingResponse {
        OutgoingResponse(
            status: status, headers: [("Content-Type", "application/json")], body: Array(try RestJSON.encoder.encode(value))
        )
    }

    /// A body that is already JSON.
    static func jsonBytes(_ body: [UInt8], status: Int = 200) -> OutgoingResponse {
        OutgoingResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
    }

    static func empty(status: Int) -> OutgoingResponse {
        OutgoingResponse(status: status)
    }
}
