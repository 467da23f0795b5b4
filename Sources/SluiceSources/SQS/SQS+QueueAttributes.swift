import SluiceCore

extension SQS {
    /// The settable attributes of a queue, typed, with the model's defaults and ranges (model doc of CreateQueue
    /// `Attributes`: MaximumMessageSize is 1,024–1,048,576 with default 1 MiB in the current model).
    ///
    /// Read-only attributes (QueueArn, timestamps, message counts) are computed by the engine.
    public struct QueueAttributes: Sendable, Codable, Equatable {
        public var delaySeconds = 0
        public var maximumMessageSize = 1_048_576
        public var messageRetentionPeriod = 345_600
        public var receiveMessageWaitTimeSeconds = 0
        public var visibilityTimeout = 30
        public var policy: String?
        public var redrivePolicy: RedrivePolicy?
        public var redriveAllowPolicy: String?
        public var fifoQueue = false
        public var contentBasedDeduplication = false
        public var deduplicationScope = "queue"
        public var fifoThroughputLimit = "perQueue"
        public var kmsMasterKeyId: String?
        public var kmsDataKeyReusePeriodSeconds = 300
        public var sqsManagedSseEnabled = true

        public init(fifoQueue: Bool = false) {
            self.fifoQueue = fifoQueue
        }

        /// Every name of the model's `QueueAttributeName` except `All`.
        public static let names: [String] = [
            "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod",
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp",
            "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed", "DelaySeconds",
            "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit",
            "RedriveAllowPolicy", "SqsManagedSseEnabled",
        ]

        public static let readOnlyNames: Set<String> = [
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
            "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
        ]

        static let fifoOnlyNames: Set<String> = ["FifoQueue", "ContentBasedDeduplication"]
        static let highThroughputNames: Set<String> = ["DeduplicationScope", "FifoThroughputLimit"]

        /// Applies CreateQueue / SetQueueAttributes values in name order, validating each as AWS does: unknown and
        /// read-only names are `InvalidAttributeName`, values out of range `InvalidAttributeValue`.
        public mutating func apply(_ values: [String: String]) throws(AWSError) {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try apply(name: name, value: value)
            }
            if kmsMasterKeyId != nil, values["SqsManagedSseEnabled"]?.lowercased() == "true" {
                throw .invalidAttributeValue(
                    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE "
                        + "or SQS SSE."
                )
            }
            if fifoThroughputLimit == "perMessageGroupId", deduplicationScope != "messageGroup" {
                throw .invalidAttributeValue("Invalid value for the parameter FifoThroughputLimit.")
            }
        }

        mutating func apply(name: String, value: String) throws(AWSError) {
            guard Self.names.contains(name), !Self.readOnlyNames.contains(name) else {
                throw .invalidAttributeName("Unknown Attribute \(name).")
            }
            if !fifoQueue, Self.fifoOnlyNames.contains(name) {
                throw .invalidAttributeName("Unknown Attribute \(name).")
            }
            if !fifoQueue, Self.highThroughputNames.contains(name) {
                throw .invalidAttributeName("You can specify the \(name) only when FifoQueue is set to true.")
            }
            let invalid = AWSError.invalidAttributeValue("Invalid value for the parameter \(name).")
            switch name {
            case "DelaySeconds": delaySeconds = try Self.integer(value, in: 0...900, or: invalid)
            case "MaximumMessageSize": maximumMessageSize = try Self.integer(value, in: 1024...1_048_576, or: invalid)
            case "MessageRetentionPeriod":
                messageRetentionPeriod = try Self.integer(value, in: 60...1_209_600, or: invalid)
            case "ReceiveMessageWaitTimeSeconds":
                receiveMessageWaitTimeSeconds = try Self.integer(value, in: 0...20, or: invalid)
            case "VisibilityTimeout": visibilityTimeout = try Self.integer(value, in: 0...43_200, or: invalid)
            case "KmsDataKeyReusePeriodSeconds":
                kmsDataKeyReusePeriodSeconds = try Self.integer(value, in: 60...86_400, or: invalid)
            case "Policy": policy = value.isEmpty ? nil : value
            case "RedrivePolicy": redrivePolicy = value.isEmpty ? nil : try RedrivePolicy(parsing: value)
            case "RedriveAllowPolicy":
                if !value.isEmpty { try RedriveAllowPolicy.validate(value) }
                redriveAllowPolicy = value.isEmpty ? nil : value
            case "FifoQueue":
                guard try Self.boolean(value, or: invalid) else {
                    throw .invalidAttributeValue(
                        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."
                    )
                }
            case "ContentBasedDeduplication": contentBasedDeduplication = try Self.boolean(value, or: invalid)
            case "DeduplicationScope":
                guard ["queue", "messageGroup"].contains(value) else { throw invalid }
                deduplicationScope = value
            case "FifoThroughputLimit":
                guard ["perQueue", "perMessageGroupId"].contains(value) else { throw invalid }
                fifoThroughputLimit = value
            case "KmsMasterKeyId":
                kmsMasterKeyId = value.isEmpty ? nil : value
                if kmsMasterKeyId != nil { sqsManagedSseEnabled = false }
            case "SqsManagedSseEnabled": sqsManagedSseEnabled = try Self.boolean(value, or: invalid)
            default: throw .invalidAttributeName("Unknown Attribute \(name).")
            }
        }

        /// The settable attributes as GetQueueAttributes renders them (FIFO-only ones on FIFO queues, KMS ones
        /// when a key is set).
        public var values: [String: String] {
            var values = [
                "DelaySeconds": String(delaySeconds), "MaximumMessageSize": String(maximumMessageSize),
                "MessageRetentionPeriod": String(messageRetentionPeriod),
                "ReceiveMessageWaitTimeSeconds": String(receiveMessageWaitTimeSeconds),
                "VisibilityTimeout": String(visibilityTimeout), "SqsManagedSseEnabled": String(sqsManagedSseEnabled),
            ]
            values["Policy"] = policy
            values["RedrivePolicy"] = redrivePolicy?.json
            values["RedriveAllowPolicy"] = redriveAllowPolicy
            if let kmsMasterKeyId {
                values["KmsMasterKeyId"] = kmsMasterKeyId
                values["KmsDataKeyReusePeriodSeconds"] = String(kmsDataKeyReusePeriodSeconds)
            }
            if fifoQueue {
                values["FifoQueue"] = "true"
                values["ContentBasedDeduplication"] = String(contentBasedDeduplication)
                values["DeduplicationScope"] = deduplicationScope
                values["FifoThroughputLimit"] = fifoThroughputLimit
            }
            return values
        }

        /// The first of `values` (in name order) that would change these attributes: CreateQueue of an existing
        /// queue fails with QueueNameExists naming it.
        public func firstDifference(from values: [String: String]) throws(AWSError) -> String? {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                var copy = self
                try copy.apply(name: name, value: value)
                if copy != self { return name }
            }
            return nil
        }

        /// Digits only (no sign, spaces or fraction), within `range`.
        static func integer(_ text: String, in range: ClosedRange<Int>, or error: AWSError) throws(AWSError) -> Int {
            guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ (48...57).contains($0) }),
                let value = Int(text), range.contains(value)
            else { throw error }
            return value
        }

        static func boolean(_ text: String, or error: AWSError) throws(AWSError) -> Bool {
            switch text.lowercased() {
            case "true": true
            case "false": false
            default: throw error
            }
        }
    }
}
