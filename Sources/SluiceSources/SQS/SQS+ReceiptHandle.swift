import Foundation
import SluiceCore

extension SQS {
    /// An opaque receipt handle that carries its queue, its message and the receive it came from, so that a handle
    /// from an earlier receive of the same message is recognised as stale (`reference/events.md` §3: "each receive
    /// yields a new one").
    public struct ReceiptHandle: Sendable, Equatable {
        public var queueArn: String
        public var messageId: String
        /// The message's receive count when this handle was issued.
        public var receiveCount: Int
        public var nonce: UInt32

        public init(queueArn: String, messageId: String, receiveCount: Int, nonce: UInt32 = .random(in: 0...UInt32.max))
        {
            self.queueArn = queueArn
            self.messageId = messageId
            self.receiveCount = receiveCount
            self.nonce = nonce
        }

        static let version = "SLC1"

        /// `AQEB` then the base64 of the fields, space-separated (queue ARNs, message ids and numbers hold no space).
        public var encoded: String {
            let text = "\(Self.version) \(queueArn) \(messageId) \(receiveCount) \(nonce)"
            return "AQEB" + Data(text.utf8).base64EncodedString()
        }

        /// The handle's fields; `ReceiptHandleIsInvalid` for anything Sluice did not issue.
        public init(decoding text: String) throws(AWSError) {
            guard text.hasPrefix("AQEB"), let data = Data(base64Encoded: String(text.dropFirst(4))) else {
                throw .receiptHandleIsInvalid(text)
            }
            let fields = String(decoding: data, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0] == Self.version, let count = Int(fields[3]),
                let nonce = UInt32(fields[4])
            else { throw .receiptHandleIsInvalid(text) }
            self.init(queueArn: String(fields[1]), messageId: String(fields[2]), receiveCount: count, nonce: nonce)
        }
    }
}
