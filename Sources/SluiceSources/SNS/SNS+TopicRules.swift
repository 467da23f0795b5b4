import SluiceCore

extension SNS {
    /// Topic names and the attributes of topics and subscriptions (SNS API reference of CreateTopic,
    /// SetTopicAttributes, Subscribe, SetSubscriptionAttributes; texts as AWS answers).
    public enum TopicRules {
        public static let maximumNameLength = 256
        public static let fifoSuffix = ".fifo"
        public static let maximumTags = 50

        /// Attributes CreateTopic and SetTopicAttributes accept (`FifoTopic` only at creation).
        public static let topicAttributes: Set<String> = [
            "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion",
            "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
            "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate",
            "ApplicationFailureFeedbackRoleArn", "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate",
            "HTTPFailureFeedbackRoleArn", "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate",
            "LambdaFailureFeedbackRoleArn", "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
            "SQSFailureFeedbackRoleArn", "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate",
            "FirehoseFailureFeedbackRoleArn",
        ]

        /// Attributes Subscribe and SetSubscriptionAttributes accept.
        public static let subscriptionAttributes: Set<String> = [
            "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
            "SubscriptionRoleArn", "ReplayPolicy",
        ]

        /// Every protocol SNS knows; Sluice delivers to `sqs` only.
        public static let protocols: Set<String> = [
            "http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose",
        ]

        /// 1–256 of `[A-Za-z0-9_-]`, plus the `.fifo` suffix exactly when `fifo`.
        public static func validateName(_ name: String, fifo: Bool) throws(AWSError) {
            let stem = fifo && name.hasSuffix(fifoSuffix) ? name.dropLast(fifoSuffix.count) : Substring(name)
            let valid = !stem.isEmpty && name.count <= maximumNameLength && stem.unicodeScalars.allSatisfy(isNameScalar)
            if fifo, !(name.hasSuffix(fifoSuffix) && valid) {
                throw .snsInvalidParameter(
                    "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase "
                        + "and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and "
                        + "256 characters long."
                )
            }
            guard valid else { throw .snsInvalidParameter("Invalid parameter: Topic Name") }
        }

        /// CreateTopic's attributes: known names, `FifoTopic` and `ContentBasedDeduplication` booleans, the latter
        /// only on FIFO topics. Returns them normalised (booleans lower-case, `FifoTopic=false` dropped).
        public static func creationAttributes(_ attributes: [String: String]) throws(AWSError) -> [String: String] {
            var normalised: [String: String] = [:]
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                guard name == "FifoTopic" || topicAttributes.contains(name) else {
                    throw .snsInvalidParameter("Invalid parameter: Attributes Reason: Unknown attribute \(name)")
                }
                normalised[name] = try normalise(name, value, reason: "Attributes Reason: ")
            }
            if normalised["FifoTopic"] == "false" { normalised["FifoTopic"] = nil }
            if normalised["ContentBasedDeduplication"] == "true", normalised["FifoTopic"] != "true" {
                throw contentBasedDeduplicationOnStandardTopic
            }
            return normalised
        }

        /// One SetTopicAttributes change, normalised.
        public static func topicAttribute(_ name: String, _ value: String, fifo: Bool) throws(AWSError) -> String {
            guard topicAttributes.contains(name) else { throw .snsInvalidParameter("Invalid parameter: AttributeName") }
            let normalised = try normalise(name, value, reason: "")
            if name == "ContentBasedDeduplication", normalised == "true", !fifo {
                throw contentBasedDeduplicationOnStandardTopic
            }
            return normalised
        }

        /// Subscribe's `Attributes` (`reason` `Attributes Reason: `) or one SetSubscriptionAttributes change
        /// (`reason` empty), normalised.
        public static func subscriptionAttribute(_ name: String, _ value: String, reason: String) throws(AWSError)
            -> String
        {
            guard subscriptionAttributes.contains(name) else {
                throw .snsInvalidParameter(
                    reason.isEmpty
                        ? "Invalid parameter: AttributeName"
                        : "Invalid parameter: Attributes Reason: "
                            + "Unknown attribute \(name)"
                )
            }
            switch name {
            case "FilterPolicy":
                guard case .object = try? JSONValue(parsing: value) else {
                    throw .snsInvalidParameter("Invalid parameter: \(reason)FilterPolicy: failed to parse JSON.")
                }
                return value
            case "FilterPolicyScope":
                guard value == "MessageAttributes" || value == "MessageBody" else {
                    throw .snsInvalidParameter(
                        "Invalid parameter: \(reason)FilterPolicyScope: Invalid value [\(value)]. Please use either "
                            + "MessageBody or MessageAttributes"
                    )
                }
                return value
            default:
                return try normalise(name, value, reason: reason)
            }
        }

        static let booleans: Set<String> = ["FifoTopic", "ContentBasedDeduplication", "RawMessageDelivery"]

        static func normalise(_ name: String, _ value: String, reason: String) throws(AWSError) -> String {
            guard booleans.contains(name) else { return value }
            let lowered = value.lowercased()
            guard lowered == "true" || lowered == "false" else {
                throw .snsInvalidParameter(
                    "Invalid parameter: \(reason)\(name): Invalid value [\(value)]. Must be true or false."
                )
            }
            return lowered
        }

        static let contentBasedDeduplicationOnStandardTopic = AWSError.snsInvalidParameter(
            "Invalid parameter: Attributes Reason: Content-based deduplication can only be set for FIFO topics"
        )

        static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
        }
    }
}
