/// An error as AWS reports it: a code spelled as AWS spells it, a message, an HTTP status.
///
/// `AWSError` knows no wire format; `SluiceHTTP` encodes it per protocol (`reference/esm-api.md` §6).
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the client or the service is at fault (`Type` in Lambda's error body).
    public enum Fault: String, Sendable, Equatable {
        case client = "User"
        case server = "Service"
    }

    /// Which member name the Lambda body uses for the message: the model spells it `Message` for some errors.
    public enum MessageKey: String, Sendable, Equatable {
        case lowercase = "message"
        case capitalized = "Message"
    }

    public var code: String
    public var message: String
    public var status: Int
    public var fault: Fault
    public var messageKey: MessageKey
    /// Extra members of the error body (e.g. `Reason` of TooManyRequestsException).
    public var extraMembers: [String: String]
    /// Extra response headers (e.g. `Retry-After` of TooManyRequestsException).
    public var extraHeaders: [String: String]

    public init(
        code: String,
        message: String,
        status: Int = 400,
        fault: Fault = .client,
        messageKey: MessageKey = .lowercase,
        extraMembers: [String: String] = [:],
        extraHeaders: [String: String] = [:]
    ) {
        self.extraHeaders = extraHeaders
        self.code = code
        self.message = message
        self.status = status
        self.fault = fault
        self.messageKey = messageKey
        self.extraMembers = extraMembers
    }

    public var description: String { "\(code): \(message)" }
}
