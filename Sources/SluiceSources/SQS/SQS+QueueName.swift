import SluiceCore

extension SQS {
    /// Queue names, URLs and ARNs (model doc of `QueueName`; `reference/wire-protocols.md` §3, issue 3 item 3).
    public enum QueueName {
        public static let maximumLength = 80
        public static let fifoSuffix = ".fifo"

        /// 1–80 characters of `[A-Za-z0-9_-]`, the `.fifo` suffix counting toward the 80, present iff `fifo`.
        public static func validate(_ name: String, fifo: Bool) throws(AWSError) {
            guard !name.isEmpty else { throw .invalidParameterValue("Queue name cannot be empty") }
            let isFifoName = name.hasSuffix(fifoSuffix)
            let stem = isFifoName ? name.dropLast(fifoSuffix.count) : Substring(name)
            let valid = !stem.isEmpty && name.count <= maximumLength && stem.unicodeScalars.allSatisfy(isNameScalar)
            if fifo {
                guard isFifoName, valid else {
                    throw .invalidParameterValue(
                        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                            + "must end with .fifo suffix and be 1 to 80 in length"
                    )
                }
            } else {
                guard !isFifoName, valid else {
                    throw .invalidParameterValue(
                        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
                    )
                }
            }
        }

        static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                    || scalar == "-")
        }
    }

    /// Where a queue lives: region, account and name; its ARN and its URL under a base URL.
    public struct QueueAddress: Sendable, Hashable, Codable, CustomStringConvertible {
        public var region: String
        public var account: String
        public var name: String

        public init(region: String, account: String, name: String) {
            self.region = region
            self.account = account
            self.name = name
        }

        /// `arn:aws:sqs:<region>:<account>:<name>`.
        public var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }

        /// `<base>/<account>/<name>`, e.g. `http://localhost:4566/000000000000/orders`.
        public func url(base: String) -> String {
            let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
            return "\(trimmed)/\(account)/\(name)"
        }

        public var description: String { arn }

        /// The queue a `QueueUrl` names: `http(s)://host/<account>/<name>`, `/<account>/<name>`, or a bare name
        /// (as LocalStack and ElasticMQ accept), in the caller's region; `nil` when it cannot name a queue.
        public init?(queueURL: String, identity: RequestIdentity) {
            var path = Substring(queueURL)
            if let scheme = path.range(of: "://") {
                path = path[scheme.upperBound...]
                guard let slash = path.firstIndex(of: "/") else { return nil }
                path = path[slash...]
            }
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            switch parts.count {
            case 1 where !queueURL.contains("://"):
                self.init(region: identity.region, account: identity.account, name: String(parts[0]))
            case 2:
                self.init(region: identity.region, account: String(parts[0]), name: String(parts[1]))
            default:
                return nil
            }
        }

        /// The queue an SQS ARN names; `nil` for other ARNs.
        public init?(arn text: String) {
            guard let arn = ARN(text), arn.service == "sqs", !arn.region.isEmpty, !arn.account.isEmpty,
                !arn.resource.isEmpty, !arn.resource.contains(":")
            else { return nil }
            self.init(region: arn.region, account: arn.account, name: arn.resource)
        }
    }
}
