import SluiceCore
import SluiceSources

/// The embedded Kinesis on the JSON 1.1 protocol (`X-Amz-Target: Kinesis_20131202.<Operation>`): decodes each
/// operation's input, calls the engine, encodes its output (`reference/wire-protocols.md` §3, §7).
public struct KinesisAPI: AWSJSONService {
    let engine: KinesisEngine

    public init(engine: KinesisEngine) {
        self.engine = engine
    }

    public var service: AWSService { .kinesis }

    public func handle(operation: String, request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let engine = self.engine
        switch operation {
        case "CreateStream": return try await call(request) { try await engine.createStream($0, identity: identity) }
        case "DeleteStream": return try await call(request) { try await engine.deleteStream($0, identity: identity) }
        case "DescribeStream":
            return try await answer(request) { try await engine.describeStream($0, identity: identity) }
        case "DescribeStreamSummary":
            return try await answer(request) { try await engine.describeStreamSummary($0, identity: identity) }
        case "ListStreams": return try await answer(request) { try await engine.listStreams($0, identity: identity) }
        case "ListShards": return try await answer(request) { try await engine.listShards($0, identity: identity) }
        case "PutRecord": return try await answer(request) { try await engine.putRecord($0, identity: identity) }
        case "PutRecords": return try await answer(request) { try await engine.putRecords($0, identity: identity) }
        case "GetShardIterator":
            return try await answer(request) { try await engine.getShardIterator($0, identity: identity) }
        case "GetRecords": return try await answer(request) { try await engine.getRecords($0, identity: identity) }
        case "AddTagsToStream":
            return try await call(request) { try await engine.addTagsToStream($0, identity: identity) }
        case "RemoveTagsFromStream":
            return try await call(request) { try await engine.removeTagsFromStream($0, identity: identity) }
        case "ListTagsForStream":
            return try await answer(request) { try await engine.listTagsForStream($0, identity: identity) }
        case "IncreaseStreamRetentionPeriod":
            return try await call(request) { try await engine.increaseStreamRetentionPeriod($0, identity: identity) }
        case "DecreaseStreamRetentionPeriod":
            return try await call(request) { try await engine.decreaseStreamRetentionPeriod($0, identity: identity) }
        case "UpdateShardCount":
            return try await answer(request) { try await engine.updateShardCount($0, identity: identity) }
        case "SplitShard": return try await call(request) { try await engine.splitShard($0, identity: identity) }
        case "MergeShards": return try await call(request) { try await engine.mergeShards($0, identity: identity) }
        default: throw AWSJSON.unknownOperation(operation)
        }
    }
}
