extension KinesisEventEncoder {
    /// The synchronous invoke payload limit, 6 MB; an event must not exceed it (`reference/semantics.md` §1).
    public static let maximumPayloadSize = 6_291_456

    /// The exact number of bytes `record` takes inside `Records`, without the comma that separates it from the
    /// next one.
    ///
    /// Cheap: the base64 length is arithmetic; only the partition key and sequence number are scanned for
    /// characters to escape.
    ///
    /// - Parameters:
    ///   - record: a record of this encoder's shard.
    public func recordSize(_ record: StreamRecord) -> Int {
        let sequenceNumber = PayloadWriter.escapedSize(record.sequenceNumber.text)
        return Self.fixedRecordSize + eventIDPrefix.count + recordSuffix.count
            + PayloadWriter.stringSize(record.partitionKey) + 2 * sequenceNumber
            + PayloadWriter.base64Size(record.data.count) + PayloadWriter.epochSecondsSize(record.arrival)
    }

    /// The bytes of an event without records: `{"Records":[]}` (14), or with the tumbling-window keys (§5).
    ///
    /// - Parameters:
    ///   - window: the window of the invocation, or `nil` for a mapping without tumbling windows.
    public func envelopeSize(window: TumblingWindowEvent? = nil) -> Int {
        Self.envelopeHead.utf8CodeUnitCount + envelopeTail(window: window).count
    }

    /// The exact size of ``encode(_:window:)``'s result: envelope + Σ record sizes + one comma between records.
    ///
    /// - Parameters:
    ///   - records: the batch.
    ///   - window: the window of the invocation, or `nil`.
    public func eventSize(_ records: some Collection<StreamRecord>, window: TumblingWindowEvent? = nil) -> Int {
        var size = envelopeSize(window: window) + max(0, records.count - 1)
        for record in records {
            size += recordSize(record)
        }
        return size
    }

    /// The parts of a record that no record changes: the keys around partition key, sequence number, data and
    /// arrival time. (The shard's and the mapping's values are counted from `eventIDPrefix` and `recordSuffix`.)
    private static let fixedRecordSize =
        PayloadWriter.size(of: #"{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"#)
        + PayloadWriter.size(of: #","sequenceNumber":""#) + PayloadWriter.size(of: #"","data":""#)
        + PayloadWriter.size(of: #"","approximateArrivalTimestamp":"#)

    /// The size of an event as a batcher grows it one record at a time, to cut before
    /// ``KinesisEventEncoder/maximumPayloadSize``.
    ///
    /// ```swift
    /// var size = KinesisEventEncoder.EventSize(envelope: encoder.envelopeSize())
    /// let next = encoder.recordSize(record)
    /// if size.adding(recordOfSize: next) > KinesisEventEncoder.maximumPayloadSize { /* invoke what is there */ }
    /// size.add(recordOfSize: next)
    /// ```
    public struct EventSize: Sendable, Equatable {
        /// The bytes of the event with the records added so far.
        public private(set) var bytes: Int
        public private(set) var recordCount = 0

        /// - Parameters:
        ///   - envelope: ``KinesisEventEncoder/envelopeSize(window:)`` of the event being built.
        public init(envelope: Int) {
            bytes = envelope
        }

        /// The event's size if a record of `size` bytes were added (with its comma, if it is not the first).
        ///
        /// - Parameters:
        ///   - size: ``KinesisEventEncoder/recordSize(_:)`` of the candidate record.
        public func adding(recordOfSize size: Int) -> Int {
            bytes + size + (recordCount > 0 ? 1 : 0)
        }

        /// Counts a record of `size` bytes (and its comma) in.
        ///
        /// - Parameters:
        ///   - size: ``KinesisEventEncoder/recordSize(_:)`` of the record added to the batch.
        public mutating func add(recordOfSize size: Int) {
            bytes = adding(recordOfSize: size)
            recordCount += 1
        }
    }
}
