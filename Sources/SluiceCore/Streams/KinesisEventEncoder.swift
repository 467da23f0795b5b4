/// Encodes the events a Kinesis mapping sends its function for the batches of one shard (`reference/events.md` §1).
///
/// ```json
/// {"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"test_0","sequenceNumber":"4959…8898",
///  "data":"aGVsbG8=","approximateArrivalTimestamp":1545084650.987},"eventSource":"aws:kinesis",
///  "eventVersion":"1.0","eventID":"shardId-000000000000:4959…8898","eventName":"aws:kinesis:record",
///  "invokeIdentityArn":"arn:aws:iam::123456789012:role/lambda-role","awsRegion":"us-east-1",
///  "eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}]}
/// ```
///
/// Compact JSON, keys in the order AWS sends them. Everything that is the same for every record of the shard is
/// encoded once, at `init`; a record then costs its partition key, sequence number (twice), base64 data and arrival
/// time. ``recordSize(_:)`` and ``envelopeSize(window:)`` (in `KinesisEventEncoder+Size.swift`) give the exact byte
/// count before encoding, so a batcher can cut at ``maximumPayloadSize`` without encoding twice.
public struct KinesisEventEncoder: Sendable, Equatable {
    public let shardId: String
    public let streamARN: String
    public let awsRegion: String
    public let invokeIdentityArn: String

    /// `},"eventSource":…,"eventID":"<shardId>:`, up to the sequence number that ends the event id.
    let eventIDPrefix: [UInt8]
    /// `","eventName":…,"eventSourceARN":"…"}`, after the event id's sequence number.
    let recordSuffix: [UInt8]

    /// - Parameters:
    ///   - shardId: the shard every record of the batches comes from (`shardId-000000000000`), for `eventID`.
    ///   - streamARN: `eventSourceARN`: the stream's ARN. For a mapping on an enhanced fan-out consumer, AWS may send
    ///     the consumer's ARN here (**uncertain**, §1); Sluice passes the stream's.
    ///   - awsRegion: `awsRegion`, the stream's region.
    ///   - invokeIdentityArn: `invokeIdentityArn`, the function's execution role.
    public init(shardId: String, streamARN: String, awsRegion: String, invokeIdentityArn: String) {
        self.shardId = shardId
        self.streamARN = streamARN
        self.awsRegion = awsRegion
        self.invokeIdentityArn = invokeIdentityArn

        var prefix = PayloadWriter(capacity: 96 + shardId.utf8.count)
        prefix.write(#"},"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":""#)
        prefix.writeEscaped(shardId)
        prefix.write(":")
        eventIDPrefix = prefix.bytes

        var suffix = PayloadWriter(capacity: 128 + invokeIdentityArn.utf8.count + streamARN.utf8.count)
        suffix.write(#"","eventName":"aws:kinesis:record","invokeIdentityArn":"#)
        suffix.writeString(invokeIdentityArn)
        suffix.write(#","awsRegion":"#)
        suffix.writeString(awsRegion)
        suffix.write(#","eventSourceARN":"#)
        suffix.writeString(streamARN)
        suffix.write("}")
        recordSuffix = suffix.bytes
    }

    /// The event for `records`, in their order: `{"Records":[…]}`, plus the tumbling-window keys when `window` is
    /// given (§5).
    ///
    /// - Parameters:
    ///   - records: the batch, all from this encoder's shard; may be empty only for a window's final invocation.
    ///   - window: the window this invocation belongs to, or `nil` when the mapping has no tumbling window.
    public func encode(_ records: some Collection<StreamRecord>, window: TumblingWindowEvent? = nil) -> [UInt8] {
        let envelopeTail = self.envelopeTail(window: window)
        var recordBytes = 0
        for record in records {
            recordBytes += recordSize(record)
        }
        let size = Self.envelopeHead.utf8CodeUnitCount + envelopeTail.count + recordBytes + max(0, records.count - 1)
        var writer = PayloadWriter(capacity: size)
        writer.write(Self.envelopeHead)
        var first = true
        for record in records {
            if !first { writer.write(",") }
            first = false
            write(record, to: &writer)
        }
        writer.write(envelopeTail)
        return writer.bytes
    }

    /// One element of `Records`, appended to `writer`.
    func write(_ record: StreamRecord, to writer: inout PayloadWriter) {
        writer.write(#"{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"#)
        writer.writeString(record.partitionKey)
        writer.write(#","sequenceNumber":""#)
        writer.writeEscaped(record.sequenceNumber.text)
        writer.write(#"","data":""#)
        writer.writeBase64(record.data)
        writer.write(#"","approximateArrivalTimestamp":"#)
        writer.writeEpochSeconds(record.arrival)
        writer.write(eventIDPrefix)
        writer.writeEscaped(record.sequenceNumber.text)
        writer.write(recordSuffix)
    }

    static let envelopeHead: StaticString = #"{"Records":["#

    /// What follows the last record: `]}`, or `],"window":…,"isWindowTerminatedEarly":false}` (§5).
    func envelopeTail(window: TumblingWindowEvent?) -> [UInt8] {
        guard let window else { return Array("]}".utf8) }
        let state = JSONValue.object(window.state).jsonText
        var writer = PayloadWriter(capacity: 256 + state.utf8.count + shardId.utf8.count + streamARN.utf8.count)
        writer.write(#"],"window":{"start":""#)
        writer.write(Array(window.start.iso8601Seconds.utf8))
        writer.write(#"","end":""#)
        writer.write(Array(window.end.iso8601Seconds.utf8))
        writer.write(#""},"state":"#)
        writer.write(Array(state.utf8))
        writer.write(#","shardId":"#)
        writer.writeString(shardId)
        writer.write(#","eventSourceARN":"#)
        writer.writeString(streamARN)
        writer.write(#","isFinalInvokeForWindow":"#)
        writer.write(window.isFinalInvokeForWindow)
        writer.write(#","isWindowTerminatedEarly":"#)
        writer.write(window.isWindowTerminatedEarly)
        writer.write("}")
        return writer.bytes
    }
}
