/// Durable, ordered logs of records: one log per (stream, shard). The embedded Kinesis keeps its records here
/// (and, later, DynamoDB Streams). An append returns only after it is committed; appends from concurrent writers
/// may be committed together (group commit).
///
/// Positions are assigned by the writer (the stream engine), strictly increasing per log.
public protocol RecordLog: Sendable {
    /// Appends records, all or none, durably.
    func append(_ entries: [LogEntry]) async throws
    /// Up to `limit` records of one log with `position >= from`, in position order.
    func read(log: LogID, from position: UInt64, limit: Int) async throws -> [LogRecord]
    /// The highest position of a log, or `nil` when it has none.
    func lastPosition(of log: LogID) async throws -> UInt64?
    /// Removes a log's records that arrived before `arrivalMilliseconds` (retention).
    func trim(log: LogID, arrivedBefore arrivalMilliseconds: Int64) async throws
    /// Removes every log of a stream.
    func deleteLogs(stream: String) async throws
    /// Closes the log; no call may follow.
    func close() async throws
}

/// Names one log: a shard of a stream.
public struct LogID: Sendable, Hashable, CustomStringConvertible {
    public var stream: String
    public var shard: String

    public init(stream: String, shard: String) {
        self.stream = stream
        self.shard = shard
    }

    public var description: String { "\(stream)/\(shard)" }
}

/// One record as stored.
public struct LogRecord: Sendable, Equatable {
    public var position: UInt64
    public var arrivalMilliseconds: Int64
    public var partitionKey: String
    public var data: [UInt8]

    public init(position: UInt64, arrivalMilliseconds: Int64, partitionKey: String, data: [UInt8]) {
        self.position = position
        self.arrivalMilliseconds = arrivalMilliseconds
        self.partitionKey = partitionKey
        self.data = data
    }
}

/// A record to append to a log.
public struct LogEntry: Sendable, Equatable {
    public var log: LogID
    public var record: LogRecord

    public init(log: LogID, record: LogRecord) {
        self.log = log
        self.record = record
    }
}
