import Foundation
import SluiceCore

/// DescribeStream, DescribeStreamSummary, ListStreams, ListShards: closed shards are listed with open ones, in
/// shard id order.
extension KinesisEngine {
    /// DescribeStream: at most `Limit` shards (default and maximum 100, as AWS) after `ExclusiveStartShardId`.
    public func describeStream(_ input: Kinesis.DescribeStreamInput, identity: RequestIdentity) throws
        -> Kinesis.DescribeStreamOutput
    {
        try input.validate()
        let stream = try existing(input, identity: identity)
        let after = input.exclusiveStartShardId.flatMap(Kinesis.ShardId.index) ?? -1
        let remaining = stream.shards.filter { $0.index > after }
        let page = remaining.prefix(min(input.limit ?? 100, 100))
        let description = Kinesis.StreamDescription(
            streamName: stream.name, streamARN: stream.arn, streamStatus: stream.status(now: now()).rawValue,
            streamModeDetails: Kinesis.StreamModeDetails(streamMode: stream.mode.rawValue),
            shards: page.map { stream.description(of: $0) }, hasMoreShards: remaining.count > page.count,
            retentionPeriodHours: stream.retentionPeriodHours, streamCreationTimestamp: Self.date(stream.creation),
            enhancedMonitoring: [Kinesis.EnhancedMetrics(shardLevelMetrics: [])], encryptionType: "NONE"
        )
        return Kinesis.DescribeStreamOutput(streamDescription: description)
    }

    /// DescribeStreamSummary.
    public func describeStreamSummary(_ input: Kinesis.DescribeStreamSummaryInput, identity: RequestIdentity) throws
        -> Kinesis.DescribeStreamSummaryOutput
    {
        try input.validateStream()
        let stream = try existing(input, identity: identity)
        let summary = Kinesis.StreamDescriptionSummary(
            streamName: stream.name, streamARN: stream.arn, streamStatus: stream.status(now: now()).rawValue,
            streamModeDetails: Kinesis.StreamModeDetails(streamMode: stream.mode.rawValue),
            retentionPeriodHours: stream.retentionPeriodHours, streamCreationTimestamp: Self.date(stream.creation),
            enhancedMonitoring: [Kinesis.EnhancedMetrics(shardLevelMetrics: [])], encryptionType: "NONE",
            openShardCount: stream.openShards.count, consumerCount: 0
        )
        return Kinesis.DescribeStreamSummaryOutput(streamDescriptionSummary: summary)
    }

    /// ListStreams: the region's streams by name, `Limit` a page (default and maximum 100).
    public func listStreams(_ input: Kinesis.ListStreamsInput, identity: RequestIdentity) throws
        -> Kinesis.ListStreamsOutput
    {
        try input.validate()
        var after = input.exclusiveStartStreamName
        if let token = input.nextToken {
            guard let name = Self.decodeToken(token, kind: "streams") else {
                throw Kinesis.Errors.invalidArgument("NextToken \(token) is invalid.")
            }
            after = name
        }
        let names = streams.values.filter { $0.region == identity.region && $0.account == identity.account }
            .sorted { $0.name < $1.name }
        let remaining = names.filter { stream in after.map { stream.name > $0 } ?? true }
        let page = Array(remaining.prefix(min(input.limit ?? 100, 100)))
        let more = remaining.count > page.count
        let time = now()
        return Kinesis.ListStreamsOutput(
            streamNames: page.map(\.name), hasMoreStreams: more,
            nextToken: more ? page.last.map { Self.encodeToken($0.name, kind: "streams") } : nil,
            streamSummaries: page.map {
                Kinesis.StreamSummary(
                    streamName: $0.name, streamARN: $0.arn, streamStatus: $0.status(now: time).rawValue,
                    streamModeDetails: Kinesis.StreamModeDetails(streamMode: $0.mode.rawValue),
                    streamCreationTimestamp: Self.date($0.creation)
                )
            }
        )
    }

    /// ListShards: `MaxResults` a page (default 1000); `NextToken` alone continues. `ShardFilter`: AFTER_SHARD_ID
    /// and AT_LATEST (open shards) filter; the trim-horizon and timestamp filters list every shard.
    public func listShards(_ input: Kinesis.ListShardsInput, identity: RequestIdentity) throws
        -> Kinesis.ListShardsOutput
    {
        try input.validate()
        var stream: Kinesis.StoredStream
        var after = input.exclusiveStartShardId.flatMap(Kinesis.ShardId.index) ?? -1
        if let token = input.nextToken {
            guard input.streamName == nil else {
                throw Kinesis.Errors.invalidArgument("NextToken and StreamName cannot be provided together.")
            }
            let parts = Self.decodeToken(token, kind: "shards")?.split(separator: " ", maxSplits: 2).map(String.init)
            guard let parts, parts.count == 3, let index = Int(parts[1]) else {
                throw Kinesis.Errors.invalidArgument("NextToken \(token) is invalid.")
            }
            stream = try existing(name: parts[2], region: identity.region, account: identity.account)
            guard String(stream.creation.millisecondsSinceEpoch) == parts[0] else {
                throw Kinesis.Errors.invalidArgument("NextToken \(token) is invalid.")
            }
            after = index
        } else {
            guard input.streamName != nil || input.streamARN != nil else {
                throw Kinesis.Errors.invalidArgument("Either NextToken or StreamName should be provided.")
            }
            stream = try existing(input, identity: identity)
        }
        var shards = stream.shards.filter { $0.index > after }
        switch input.shardFilter?.type {
        case "AFTER_SHARD_ID":
            let filterAfter = input.shardFilter?.shardId.flatMap(Kinesis.ShardId.index) ?? -1
            shards = shards.filter { $0.index > filterAfter }
        case "AT_LATEST":
            shards = shards.filter(\.isOpen)
        default:
            break
        }
        let page = Array(shards.prefix(input.maxResults ?? 1000))
        let more = shards.count > page.count
        let token = more ? page.last.map {
            Self.encodeToken("\(stream.creation.millisecondsSinceEpoch) \($0.index) \(stream.name)", kind: "shards")
        } : nil
        return Kinesis.ListShardsOutput(shards: page.map { stream.description(of: $0) }, nextToken: token)
    }

    static func encodeToken(_ value: String, kind: String) -> String {
        Data("kinesis-\(kind):\(value)".utf8).base64EncodedString()
    }

    static func decodeToken(_ token: String, kind: String) -> String? {
        guard let data = Data(base64Encoded: token) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let prefix = "kinesis-\(kind):"
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : nil
    }
}
