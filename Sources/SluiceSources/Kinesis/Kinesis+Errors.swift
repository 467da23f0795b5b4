import SluiceCore

extension Kinesis {
    /// Kinesis's errors: codes from botocore's kinesis model, texts as AWS words them (after kinesalite's tests
    /// against AWS). All are client faults with status 400; awsJson puts the message under `message`.
    public enum Errors {
        public static func invalidArgument(_ message: String) -> AWSError {
            AWSError(code: "InvalidArgumentException", message: message)
        }

        public static func limitExceeded(_ message: String) -> AWSError {
            AWSError(code: "LimitExceededException", message: message)
        }

        public static func expiredIterator(_ message: String) -> AWSError {
            AWSError(code: "ExpiredIteratorException", message: message)
        }

        public static func resourceInUse(_ message: String) -> AWSError {
            AWSError(code: "ResourceInUseException", message: message)
        }

        /// ResourceNotFoundException with Kinesis's status, 400 (Lambda's is 404).
        public static func resourceNotFound(_ message: String) -> AWSError {
            AWSError(code: "ResourceNotFoundException", message: message)
        }

        /// ValidationException: `1 validation error detected: …` texts come from `ValidationErrors`.
        public static func validation(_ message: String) -> AWSError {
            AWSError(code: "ValidationException", message: message)
        }

        /// `Stream <name> under account <account> not found.` (`reference/wire-protocols.md` §3).
        public static func streamNotFound(_ name: String, account: String) -> AWSError {
            resourceNotFound("Stream \(name) under account \(account) not found.")
        }

        /// `Stream <name> under account <account> already exists.`
        public static func streamExists(_ name: String, account: String) -> AWSError {
            resourceInUse("Stream \(name) under account \(account) already exists.")
        }

        /// `Stream <name> under account <account> not ACTIVE, instead in state <status>`.
        public static func streamNotActive(_ name: String, account: String, status: StreamStatus) -> AWSError {
            resourceInUse("Stream \(name) under account \(account) not ACTIVE, instead in state \(status.rawValue)")
        }

        /// GetShardIterator / GetRecords: `Shard <id> in stream <name> under account <account> does not exist`.
        public static func shardDoesNotExist(_ shardId: String, stream: String, account: String) -> AWSError {
            resourceNotFound("Shard \(shardId) in stream \(stream) under account \(account) does not exist")
        }

        /// SplitShard / MergeShards: `Could not find shard <id> in stream <name> under account <account>.`
        public static func shardNotFound(_ shardId: String, stream: String, account: String) -> AWSError {
            resourceNotFound("Could not find shard \(shardId) in stream \(stream) under account \(account).")
        }

        /// A shard that a reshard already closed.
        public static func shardClosed(_ shardId: String, stream: String, account: String) -> AWSError {
            invalidArgument(
                "Shard \(shardId) in stream \(stream) under account \(account) has already been merged or split, "
                    + "and thus is not eligible for merging or splitting."
            )
        }

        /// An iterator that does not decode or was altered.
        public static let invalidShardIterator = invalidArgument("Invalid ShardIterator.")

        /// Neither StreamName nor StreamARN (wording not recorded from AWS).
        public static let missingStream = invalidArgument("Either StreamName or StreamARN must be provided.")
    }
}
