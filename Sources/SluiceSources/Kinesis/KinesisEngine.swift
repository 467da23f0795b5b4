import Foundation
import SluiceCore
import SluiceStore

/// The embedded Kinesis: streams in a `DocumentStore` (one document per stream, written through before a change is
/// acknowledged, with the store's revision discipline), records in a `RecordLog` (one log per shard; PutRecord(s)
/// answer only after `RecordLog.append` returned), readers woken on append (`reference/wire-protocols.md` §7).
///
/// Positions are reserved in the actor and appended concurrently, so a later batch may commit before an earlier one;
/// readers see records only up to the stream's *watermark*, the highest position below which every reserved
/// position has committed, so no reader skips a record that commits late.
public actor KinesisEngine {
    public struct Configuration: Sendable {
        /// How long a new stream reads CREATING before it reads ACTIVE; zero makes CreateStream's stream ACTIVE at
        /// once. The status is computed from the clock on each read, so it settles by itself.
        public var creationDelay: Duration
        /// The most open shards of all streams of a region (AWS's default account limit is 500 in large regions).
        public var shardLimit: Int
        /// Signs shard iterators (HMAC-SHA256); the same key after a restart keeps issued iterators valid.
        public var iteratorKey: [UInt8]

        public init() {
            creationDelay = .zero
            shardLimit = 500
            iteratorKey = Array("sluice-kinesis-shard-iterator-key".utf8)
        }
    }

    /// A stream's appends in flight and the shards whose records wait for the watermark to be woken.
    struct Appends {
        var pending: [ClosedRange<UInt64>] = []
        var unpublished: [Int: UInt64] = [:]
    }

    static let collection = "kinesis-streams"

    let store: any DocumentStore
    let log: any RecordLog
    let configuration: Configuration
    let now: @Sendable () -> Timestamp
    let waiters = Kinesis.ShardWaiters()
    var streams: [String: Kinesis.StoredStream]
    var appends: [String: Appends] = [:]
    var revision: Int64

    /// Restores every stream from the store and continues each stream's positions after the last record in its logs.
    /// - Parameters:
    ///   - store: stream metadata.
    ///   - log: the records.
    ///   - now: the wall clock; the engine never reads one itself.
    public init(
        store: any DocumentStore, log: any RecordLog, configuration: Configuration = .init(),
        now: @escaping @Sendable () -> Timestamp
    ) async throws {
        let stored = try await store.load(Kinesis.StoredStream.self, from: Self.collection)
        var streams: [String: Kinesis.StoredStream] = [:]
        for var stream in stored.values {
            for shard in stream.shards {
                let id = stream.logID(shard: shard.index)
                let last = try await log.lastPosition(of: id)
                if let last { stream.nextPosition = max(stream.nextPosition, last + 1) }
                if shard.isOpen {
                    waiters.publish(id, position: last ?? 0)
                } else {
                    waiters.close(id)
                }
            }
            streams[stream.key] = stream
        }
        self.streams = streams
        self.revision = stored.revision
        self.store = store
        self.log = log
        self.configuration = configuration
        self.now = now
    }

    // MARK: Streams

    /// CreateStream: ON_DEMAND (4 shards) when asked for or when no ShardCount is given, else PROVISIONED.
    public func createStream(_ input: Kinesis.CreateStreamInput, identity: RequestIdentity) async throws {
        try input.validate()
        let mode: Kinesis.StreamMode = input.streamModeDetails?.streamMode == Kinesis.StreamMode.provisioned.rawValue
            || (input.streamModeDetails == nil && input.shardCount != nil) ? .provisioned : .onDemand
        guard mode == .onDemand || input.shardCount != nil else {
            throw Kinesis.Errors.invalidArgument("ShardCount is required for a stream in PROVISIONED mode.")
        }
        let shardCount = mode == .onDemand ? Kinesis.StoredStream.onDemandShardCount : input.shardCount ?? 1
        let key = Kinesis.StoredStream.key(region: identity.region, name: input.streamName)
        guard streams[key] == nil else {
            throw Kinesis.Errors.streamExists(input.streamName, account: identity.account)
        }
        try checkShardLimit(adding: shardCount, identity: identity)
        let time = now()
        let activeFrom = time.adding(configuration.creationDelay)
        let stream = Kinesis.StoredStream(
            name: input.streamName, region: identity.region, account: identity.account, mode: mode,
            shardCount: shardCount, tags: input.tags ?? [:], now: time, activeFrom: activeFrom
        )
        try await save(stream, previous: nil)
        for shard in stream.shards { waiters.publish(stream.logID(shard: shard.index), position: 0) }
    }

    /// DeleteStream: the stream and its records are gone at once (no DELETING phase).
    public func deleteStream(_ input: Kinesis.DeleteStreamInput, identity: RequestIdentity) async throws {
        try input.validateStream()
        let stream = try existing(input, identity: identity)
        streams[stream.key] = nil
        appends[stream.key] = nil
        revision += 1
        do {
            try await store.delete(collection: Self.collection, key: stream.key, revision: revision)
        } catch {
            streams[stream.key] = stream
            throw error
        }
        for shard in stream.shards { waiters.close(stream.logID(shard: shard.index)) }
        try await log.deleteLogs(stream: stream.logStream)
    }

    // MARK: Helpers

    /// The stream a request names, by StreamName or StreamARN, in the caller's region.
    func existing(_ input: some Kinesis.StreamAddressing, identity: RequestIdentity) throws(AWSError)
        -> Kinesis.StoredStream
    {
        if let name = input.streamName {
            return try existing(name: name, region: identity.region, account: identity.account)
        }
        guard let text = input.streamARN else { throw Kinesis.Errors.missingStream }
        guard let arn = ARN(text), arn.resource.hasPrefix("stream/") else {
            throw Kinesis.Errors.invalidArgument("Invalid StreamARN \(text).")
        }
        let name = String(arn.resource.dropFirst("stream/".count))
        return try existing(name: name, region: arn.region, account: arn.account)
    }

    func existing(name: String, region: String, account: String) throws(AWSError) -> Kinesis.StoredStream {
        guard let stream = streams[Kinesis.StoredStream.key(region: region, name: name)], stream.account == account
        else { throw Kinesis.Errors.streamNotFound(name, account: account) }
        return stream
    }

    /// A stream that must be ACTIVE for a change (reshard, retention, tags).
    func activeStream(_ input: some Kinesis.StreamAddressing, identity: RequestIdentity) throws(AWSError)
        -> Kinesis.StoredStream
    {
        let stream = try existing(input, identity: identity)
        let status = stream.status(now: now())
        guard status == .active else {
            throw Kinesis.Errors.streamNotActive(stream.name, account: stream.account, status: status)
        }
        return stream
    }

    func checkShardLimit(adding count: Int, identity: RequestIdentity) throws(AWSError) {
        let current = streams.values.filter { $0.region == identity.region }.reduce(0) { $0 + $1.openShards.count }
        guard current + count > configuration.shardLimit else { return }
        throw Kinesis.Errors.limitExceeded(
            "This request would exceed the shard limit for the account \(identity.account) in \(identity.region). "
                + "Current shard count for the account: \(current). Limit: \(configuration.shardLimit). Number of "
                + "additional shards that would have resulted from this request: \(count). Refer to the AWS Service "
                + "Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
                + "limits and how to request higher limits."
        )
    }

    /// Writes through: memory first, so concurrent requests see the change; rolled back if the store fails.
    func save(_ stream: Kinesis.StoredStream, previous: Kinesis.StoredStream?) async throws {
        streams[stream.key] = stream
        revision += 1
        do {
            try await store.put(stream, key: stream.key, in: Self.collection, revision: revision)
        } catch {
            streams[stream.key] = previous
            throw error
        }
    }

    /// The highest position below which every reserved position of the stream has committed.
    func watermark(of stream: Kinesis.StoredStream) -> UInt64 {
        (appends[stream.key]?.pending.first?.lowerBound ?? stream.nextPosition) - 1
    }

    static func date(_ time: Timestamp) -> Date {
        Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000)
    }
}
