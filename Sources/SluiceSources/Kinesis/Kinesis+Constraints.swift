import SluiceCore

extension Kinesis {
    /// The model constraints of botocore's kinesis model that Coral checks before the operation runs, worded as
    /// `ValidationErrors` words them (`Value '<v>' at '<member>' failed to satisfy constraint: …`). Member paths
    /// are lower camel case, list items `records.1.member.partitionKey`, as kinesalite recorded from AWS.
    enum Constraints {
        static let namePattern = "[a-zA-Z0-9_.-]+"
        static let arnPattern = #"arn:aws.*:kinesis:.*:\d{12}:stream/\S+"#
        static let hashKeyPattern = #"0|([1-9]\d{0,38})"#
        static let sequenceNumberPattern = #"0|([1-9]\d{0,128})"#

        /// `StreamName` and `ShardId`: 1–128 of `[a-zA-Z0-9_.-]`.
        static func name(_ value: String?, path: String, into errors: inout ValidationErrors) {
            guard let value else { return }
            errors.checkLength(value, 1...128, path: path)
            if !value.isEmpty, !value.utf8.allSatisfy(isNameByte) {
                errors.add(value: value, path: path, rule: "satisfy regular expression pattern: \(namePattern)")
            }
        }

        static func streamARN(_ value: String?, into errors: inout ValidationErrors) {
            guard let value else { return }
            errors.checkLength(value, 1...2048, path: "streamARN")
            if !value.isEmpty, !matchesStreamARN(value) {
                errors.add(value: value, path: "streamARN", rule: "satisfy regular expression pattern: \(arnPattern)")
            }
        }

        static func stream(_ input: some StreamAddressing, into errors: inout ValidationErrors) {
            name(input.streamName, path: "streamName", into: &errors)
            streamARN(input.streamARN, into: &errors)
        }

        static func hashKey(_ value: String?, path: String, into errors: inout ValidationErrors) {
            guard let value, !HashKeyRange.matchesPattern(value) else { return }
            errors.add(value: value, path: path, rule: "satisfy regular expression pattern: \(hashKeyPattern)")
        }

        static func sequenceNumber(_ value: String?, path: String, into errors: inout ValidationErrors) {
            guard let value, !SequenceNumber.matchesPattern(value) else { return }
            errors.add(value: value, path: path, rule: "satisfy regular expression pattern: \(sequenceNumberPattern)")
        }

        /// `Data`: at most 10 MiB (1 MiB historically); Coral prints a blob as a Java `HeapByteBuffer`.
        static func data(_ value: [UInt8], path: String, into errors: inout ValidationErrors) {
            guard value.count > 10_485_760 else { return }
            let count = value.count
            errors.add(
                value: "java.nio.HeapByteBuffer[pos=0 lim=\(count) cap=\(count)]", path: path,
                rule: "have length less than or equal to 10485760"
            )
        }

        /// `TagMap`: 1–200 entries, keys 1–128 and values 0–256 characters.
        static func tags(_ tags: [String: String]?, into errors: inout ValidationErrors) {
            guard let tags else { return }
            if tags.isEmpty || tags.count > 200 {
                let rule = tags.isEmpty
                    ? "have length greater than or equal to 1" : "have length less than or equal to 200"
                errors.add(value: describe(tags), path: "tags", rule: rule)
            }
            if tags.keys.contains(where: { $0.isEmpty || $0.count > 128 }) {
                errors.add(
                    violation: "Value '\(describe(tags))' at 'tags' failed to satisfy constraint: Map keys must "
                        + "satisfy constraint: [Member must have length less than or equal to 128, Member must have "
                        + "length greater than or equal to 1]"
                )
            }
            if tags.values.contains(where: { $0.count > 256 }) {
                errors.add(
                    violation: "Value '\(describe(tags))' at 'tags' failed to satisfy constraint: Map value must "
                        + "satisfy constraint: [Member must have length less than or equal to 256, Member must have "
                        + "length greater than or equal to 0]"
                )
            }
        }

        static func describe(_ tags: [String: String]) -> String {
            "{" + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        }

        private static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
        }

        /// `arn:aws.*:kinesis:.*:\d{12}:stream/\S+`.
        static func matchesStreamARN(_ value: String) -> Bool {
            guard let arn = ARN(value), arn.service == "kinesis", arn.account.count == 12,
                arn.resource.hasPrefix("stream/"), arn.resource.count > 7
            else { return false }
            return !arn.resource.contains(where: \.isWhitespace)
        }
    }

    /// An input that names a stream by `StreamName` or `StreamARN`.
    public protocol StreamAddressing {
        var streamName: String? { get }
        var streamARN: String? { get }
    }
}
