import Foundation
import SluiceCore
import Testing

@testable import SluiceSources

@Suite struct KinesisEngineStreamTests {
    let fixture = KinesisFixture()
    var identity: RequestIdentity { fixture.identity }

    @Test func createdStreamDescribesEvenShardsAndAWSArn() async throws {
        let engine = try await fixture.createdEngine("orders", shards: 2)
        let description = try await engine.describeStream(.init(streamName: "orders"), identity: identity)
            .streamDescription
        #expect(description.streamARN == "arn:aws:kinesis:us-east-1:000000000000:stream/orders")
        #expect(description.streamStatus == "ACTIVE")
        #expect(description.shards.map(\.shardId) == ["shardId-000000000000", "shardId-000000000001"])
        #expect(description.shards[1].hashKeyRange.startingHashKey == UInt128(1) << 127)
        #expect(description.retentionPeriodHours == 24 && !description.hasMoreShards)
    }

    @Test func onDemandStreamHasFourShards() async throws {
        let engine = try await fixture.engine()
        try await engine.createStream(
            .init(streamName: "d", streamModeDetails: .init(streamMode: "ON_DEMAND")), identity: identity
        )
        let summary = try await engine.describeStreamSummary(.init(streamName: "d"), identity: identity)
        #expect(summary.streamDescriptionSummary.openShardCount == 4)
        #expect(summary.streamDescriptionSummary.streamModeDetails?.streamMode == "ON_DEMAND")
    }

    @Test func creatingTheSameStreamTwiceIsResourceInUse() async throws {
        let engine = try await fixture.createdEngine("s")
        let error = await kinesisError { try await engine.createStream(.init(streamName: "s", shardCount: 1),
                                                                       identity: identity) }
        #expect(error == Kinesis.Errors.streamExists("s", account: "000000000000"))
    }

    @Test func missingStreamIsNotFoundWithAWSText() async throws {
        let engine = try await fixture.engine()
        let error = await kinesisError {
            _ = try await engine.describeStream(.init(streamName: "x"), identity: identity)
        }
        #expect(error?.code == "ResourceNotFoundException" && error?.status == 400)
        #expect(error?.message == "Stream x under account 000000000000 not found.")
    }

    @Test func streamIsFoundByItsARN() async throws {
        let engine = try await fixture.createdEngine("s")
        let arn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
        let summary = try await engine.describeStreamSummary(.init(streamARN: arn), identity: identity)
        #expect(summary.streamDescriptionSummary.streamName == "s")
    }

    @Test func invalidStreamNameIsAValidationException() async throws {
        let engine = try await fixture.engine()
        let error = await kinesisError { try await engine.createStream(.init(streamName: "a b", shardCount: 0),
                                                                       identity: identity) }
        #expect(error?.message == "2 validation errors detected: Value 'a b' at 'streamName' failed to satisfy "
            + "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '0' at 'shardCount' "
            + "failed to satisfy constraint: Member must have value greater than or equal to 1")
    }

    @Test func streamReadsCreatingUntilTheDelayPasses() async throws {
        var configuration = KinesisEngine.Configuration()
        configuration.creationDelay = .milliseconds(500)
        let engine = try await fixture.engine(configuration)
        try await engine.createStream(.init(streamName: "s", shardCount: 1), identity: identity)
        let before = try await engine.describeStream(.init(streamName: "s"), identity: identity)
        fixture.clock.advance(milliseconds: 500)
        let after = try await engine.describeStream(.init(streamName: "s"), identity: identity)
        #expect(before.streamDescription.streamStatus == "CREATING")
        #expect(after.streamDescription.streamStatus == "ACTIVE")
    }

    @Test func deletedStreamIsGoneWithItsRecords() async throws {
        let engine = try await fixture.createdEngine("s")
        _ = try await engine.putRecord(.init(streamName: "s", data: bytes("x"), partitionKey: "k"), identity: identity)
        try await engine.deleteStream(.init(streamName: "s"), identity: identity)
        #expect(await fixture.log.recordCount() == 0)
        let error = await kinesisError {
            _ = try await engine.describeStream(.init(streamName: "s"), identity: identity)
        }
        #expect(error?.code == "ResourceNotFoundException")
    }

    @Test func listStreamsPagesByName() async throws {
        let engine = try await fixture.engine()
        for name in ["c", "a", "b"] {
            try await engine.createStream(.init(streamName: name, shardCount: 1), identity: identity)
        }
        let first = try await engine.listStreams(.init(limit: 2), identity: identity)
        let second = try await engine.listStreams(.init(nextToken: first.nextToken), identity: identity)
        #expect(first.streamNames == ["a", "b"] && first.hasMoreStreams)
        #expect(second.streamNames == ["c"] && !second.hasMoreStreams && second.nextToken == nil)
    }

    @Test func listShardsPagesWithNextTokenAndListsClosedShards() async throws {
        let engine = try await fixture.createdEngine("s", shards: 2)
        try await engine.mergeShards(.init(streamName: "s", shardToMerge: "shardId-000000000000",
                                           adjacentShardToMerge: "shardId-000000000001"), identity: identity)
        let first = try await engine.listShards(.init(streamName: "s", maxResults: 2), identity: identity)
        let second = try await engine.listShards(.init(nextToken: first.nextToken), identity: identity)
        #expect(first.shards.allSatisfy { $0.sequenceNumberRange.endingSequenceNumber != nil })
        #expect(second.shards.map(\.adjacentParentShardId) == ["shardId-000000000001"])
    }

    @Test func tagsAreAddedListedAndRemoved() async throws {
        let engine = try await fixture.createdEngine("s")
        try await engine.addTagsToStream(.init(streamName: "s", tags: ["b": "2", "a": "1"]), identity: identity)
        try await engine.removeTagsFromStream(.init(streamName: "s", tagKeys: ["b"]), identity: identity)
        let tags = try await engine.listTagsForStream(.init(streamName: "s"), identity: identity)
        #expect(tags.tags == [Kinesis.Tag(key: "a", value: "1")] && !tags.hasMoreTags)
    }

    @Test func retentionIncreasesAndRefusesToDecreaseThroughIncrease() async throws {
        let engine = try await fixture.createdEngine("s")
        try await engine.increaseStreamRetentionPeriod(.init(streamName: "s", retentionPeriodHours: 48),
                                                       identity: identity)
        let error = await kinesisError {
            try await engine.increaseStreamRetentionPeriod(.init(streamName: "s", retentionPeriodHours: 30),
                                                           identity: identity)
        }
        #expect(error?.message == "Requested retention period (30 hours) for stream s can not be shorter than "
            + "existing retention period (48 hours). Use DecreaseRetentionPeriod API.")
    }

    @Test func retentionAboveAYearIsInvalidArgument() async throws {
        let engine = try await fixture.createdEngine("s")
        let error = await kinesisError {
            try await engine.increaseStreamRetentionPeriod(.init(streamName: "s", retentionPeriodHours: 8761),
                                                           identity: identity)
        }
        #expect(error?.code == "InvalidArgumentException")
    }
}
