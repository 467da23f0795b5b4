import SluiceCore

extension SQS {
    /// `RedrivePolicy`: `{"deadLetterTargetArn":"…","maxReceiveCount":N}` (model doc of CreateQueue `Attributes`;
    /// `reference/semantics.md` §7). Messages are AWS's (recorded by the SQS emulators' AWS-checked suites).
    public struct RedrivePolicy: Sendable, Codable, Equatable {
        public var deadLetterTargetArn: String
        public var maxReceiveCount: Int

        public init(deadLetterTargetArn: String, maxReceiveCount: Int) {
            self.deadLetterTargetArn = deadLetterTargetArn
            self.maxReceiveCount = maxReceiveCount
        }

        /// Parses the attribute value; `maxReceiveCount` may be a number or a numeric string (CloudFormation sends
        /// strings).
        public init(parsing text: String) throws(AWSError) {
            guard let value = try? JSONValue(parsing: text), let object = value.objectValue else {
                throw .invalidAttributeValue(
                    "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map."
                )
            }
            func invalid(_ reason: String) -> AWSError {
                .invalidParameter("RedrivePolicy", value: text, reason: reason)
            }
            guard object.keys.allSatisfy({ $0 == "maxReceiveCount" || $0 == "deadLetterTargetArn" }) else {
                throw invalid("Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].")
            }
            guard let count = object["maxReceiveCount"] else {
                throw invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
            }
            guard let target = object["deadLetterTargetArn"] else {
                throw invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
            }
            let literal: String
            switch count {
            case .number(let number): literal = number.literal
            case .string(let string): literal = string
            default: literal = "\(count)"
            }
            guard let maxReceiveCount = Int(literal), (1...1000).contains(maxReceiveCount) else {
                throw invalid(
                    "Invalid value for maxReceiveCount: \(literal), valid values are from 1 to 1000 both inclusive."
                )
            }
            guard let arn = target.stringValue, QueueAddress(arn: arn) != nil else {
                throw invalid("Invalid value for deadLetterTargetArn.")
            }
            self.init(deadLetterTargetArn: arn, maxReceiveCount: maxReceiveCount)
        }

        /// The attribute as GetQueueAttributes returns it.
        public var json: String {
            "{\"deadLetterTargetArn\":\"\(deadLetterTargetArn)\",\"maxReceiveCount\":\(maxReceiveCount)}"
        }
    }

    /// `RedriveAllowPolicy`: `redrivePermission` `allowAll` | `denyAll` | `byQueue` with 1–10 `sourceQueueArns`.
    public enum RedriveAllowPolicy {
        static let unsupportedFormat = AWSError.invalidAttributeValue(
            "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow "
                + "policy, as it’s in an unsupported format."
        )

        public static func validate(_ text: String) throws(AWSError) {
            guard let value = try? JSONValue(parsing: text), let object = value.objectValue,
                object.keys.allSatisfy({ $0 == "redrivePermission" || $0 == "sourceQueueArns" }),
                let permission = object["redrivePermission"]?.stringValue,
                ["allowAll", "denyAll", "byQueue"].contains(permission)
            else { throw unsupportedFormat }
            var arns: [String]?
            if let list = object["sourceQueueArns"] {
                guard case .array(let items) = list else { throw unsupportedFormat }
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else { throw unsupportedFormat }
                arns = strings
            }
            func invalid(_ reason: String) -> AWSError {
                .invalidParameter(
                    "RedriveAllowPolicy", value: text,
                    reason: "Amazon SQS can't create the redrive "
                        + "allow policy. " + reason)
            }
            if permission == "byQueue" {
                guard let arns, !arns.isEmpty else {
                    throw invalid(
                        "When you specify the byQueue permission type, you must also specify one or more "
                            + "sourceQueueArns values.")
                }
                guard arns.count <= 10 else {
                    throw invalid("The maximum number of source queue ARNs you can specify is 10.")
                }
            } else if arns != nil {
                throw invalid("To specify one or more source queue ARNs, you must set redrivePermission to byQueue.")
            }
        }
    }
}
