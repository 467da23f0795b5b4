import SluiceCore

/// Each input's model constraints (botocore's kinesis model), checked before the operation looks at any stream.
extension Kinesis.CreateStreamInput {
    func validate() throws(AWSError) {
        var errors = ValidationErrors()
        Kinesis.Constraints.name(streamName, path: "streamName", into: &errors)
        errors.checkRange(shardCount, 1...Int.max, path: "shardCount")
        let modes = Kinesis.StreamMode.allCases.map(\.rawValue)
        errors.checkEnum(streamModeDetails?.streamMode, modes, path: "streamModeDetails.streamMode")
        Kinesis.Constraints.tags(tags, into: &errors)
        try errors.throwIfAny()
    }
}

extension Kinesis.StreamAddressing {
    func validateStream(_ more: (inout ValidationErrors) -> Void = { _ in }) throws(AWSError) {
        var errors = ValidationErrors()
        Kinesis.Constraints.stream(self, into: &errors)
        more(&errors)
        try errors.throwIfAny()
    }
}

extension Kinesis.DescribeStreamInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            errors.checkRange(limit, 1...10000, path: "limit")
            Kinesis.Constraints.name(exclusiveStartShardId, path: "exclusiveStartShardId", into: &errors)
        }
    }
}

extension Kinesis.ListStreamsInput {
    func validate() throws(AWSError) {
        var errors = ValidationErrors()
        errors.checkRange(limit, 1...10000, path: "limit")
        Kinesis.Constraints.name(exclusiveStartStreamName, path: "exclusiveStartStreamName", into: &errors)
        errors.checkLength(nextToken, 1...1_048_576, path: "nextToken")
        try errors.throwIfAny()
    }
}

extension Kinesis.ListShardsInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            errors.checkLength(nextToken, 1...1_048_576, path: "nextToken")
            Kinesis.Constraints.name(exclusiveStartShardId, path: "exclusiveStartShardId", into: &errors)
            errors.checkRange(maxResults, 1...10000, path: "maxResults")
            errors.checkEnum(shardFilter?.type, Kinesis.ShardFilter.types, path: "shardFilter.type")
            Kinesis.Constraints.name(shardFilter?.shardId, path: "shardFilter.shardId", into: &errors)
        }
    }
}

extension Kinesis.PutRecordInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            Kinesis.Constraints.data(data, path: "data", into: &errors)
            errors.checkLength(partitionKey, 1...256, path: "partitionKey")
            Kinesis.Constraints.hashKey(explicitHashKey, path: "explicitHashKey", into: &errors)
            Kinesis.Constraints.sequenceNumber(
                sequenceNumberForOrdering, path: "sequenceNumberForOrdering", into: &errors
            )
        }
    }
}

extension Kinesis.PutRecordsInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            if records.isEmpty || records.count > 500 {
                let rule = records.isEmpty
                    ? "have length greater than or equal to 1" : "have length less than or equal to 500"
                let value = "[" + records.map { _ in "PutRecordsRequestEntry" }.joined(separator: ", ") + "]"
                errors.add(value: value, path: "records", rule: rule)
            }
            for (offset, entry) in records.enumerated() {
                let path = "records.\(offset + 1).member"
                Kinesis.Constraints.data(entry.data, path: "\(path).data", into: &errors)
                errors.checkLength(entry.partitionKey, 1...256, path: "\(path).partitionKey")
                Kinesis.Constraints.hashKey(entry.explicitHashKey, path: "\(path).explicitHashKey", into: &errors)
            }
        }
    }
}

extension Kinesis.GetShardIteratorInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            Kinesis.Constraints.name(shardId, path: "shardId", into: &errors)
            let types = Kinesis.ShardIteratorType.allCases.map(\.rawValue)
            errors.checkEnum(shardIteratorType, types, path: "shardIteratorType")
            Kinesis.Constraints.sequenceNumber(startingSequenceNumber, path: "startingSequenceNumber", into: &errors)
        }
    }
}

extension Kinesis.GetRecordsInput {
    func validate() throws(AWSError) {
        var errors = ValidationErrors()
        errors.checkLength(shardIterator, 1...512, path: "shardIterator")
        errors.checkRange(limit, 1...10000, path: "limit")
        Kinesis.Constraints.streamARN(streamARN, into: &errors)
        try errors.throwIfAny()
    }
}

extension Kinesis.AddTagsToStreamInput {
    func validate() throws(AWSError) {
        try validateStream { errors in Kinesis.Constraints.tags(tags, into: &errors) }
    }
}

extension Kinesis.RemoveTagsFromStreamInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            if tagKeys.isEmpty || tagKeys.count > 50 {
                let rule = tagKeys.isEmpty
                    ? "have length greater than or equal to 1" : "have length less than or equal to 50"
                errors.add(value: "[" + tagKeys.joined(separator: ", ") + "]", path: "tagKeys", rule: rule)
            }
            if tagKeys.contains(where: { $0.isEmpty || $0.count > 128 }) {
                errors.add(
                    value: "[" + tagKeys.joined(separator: ", ") + "]", path: "tagKeys",
                    rule: "satisfy constraint: [Member must have length less than or equal to 128, "
                        + "Member must have length greater than or equal to 1]"
                )
            }
        }
    }
}

extension Kinesis.ListTagsForStreamInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            errors.checkLength(exclusiveStartTagKey, 1...128, path: "exclusiveStartTagKey")
            errors.checkRange(limit, 1...50, path: "limit")
        }
    }
}

extension Kinesis.UpdateShardCountInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            errors.checkRange(targetShardCount, 1...Int.max, path: "targetShardCount")
            errors.checkEnum(scalingType, ["UNIFORM_SCALING"], path: "scalingType")
        }
    }
}

extension Kinesis.SplitShardInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            Kinesis.Constraints.name(shardToSplit, path: "shardToSplit", into: &errors)
            Kinesis.Constraints.hashKey(newStartingHashKey, path: "newStartingHashKey", into: &errors)
        }
    }
}

extension Kinesis.MergeShardsInput {
    func validate() throws(AWSError) {
        try validateStream { errors in
            Kinesis.Constraints.name(shardToMerge, path: "shardToMerge", into: &errors)
            Kinesis.Constraints.name(adjacentShardToMerge, path: "adjacentShardToMerge", into: &errors)
        }
    }
}
