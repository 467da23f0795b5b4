/// The invocation record a stream mapping sends to its on-failure destination when it gives records up
/// (`reference/events.md` §7.1, §7.5).
///
/// ```json
/// {"requestContext":{"requestId":"c9b8fa9f-…","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f",
///  "condition":"RetryAttemptsExhausted","approximateInvokeCount":2},
///  "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
///  "version":"1.0","timestamp":"2019-11-14T00:38:06.021Z",
///  "KinesisBatchInfo":{"shardId":"shardId-000000000001","startSequenceNumber":"4960…4722",
///  "endSequenceNumber":"4960…5186","approximateArrivalOfFirstRecord":"2019-11-14T00:38:04.835Z",
///  "approximateArrivalOfLastRecord":"2019-11-14T00:38:05.580Z","batchSize":500,
///  "streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}}
/// ```
///
/// Compact JSON in this key order, as recorded SQS message bodies from AWS show it. The record carries no record
/// data: a consumer reads the records back from the stream with the batch info.
///
/// How it travels (§7.5): to an SQS queue as the `MessageBody` of one `SendMessage`, with no message attributes; to
/// an SNS topic as the `Message` of one `Publish`, with no `Subject`. Both take ``messageBody``.
public struct StreamFailureRecord: Sendable, Equatable {
    /// `requestContext.requestId`: the request id of the batch's last invocation, a lowercase UUID; a fresh one
    /// when the records expired before any invocation (recorded).
    public var requestId: String
    /// `requestContext.functionArn`: the mapping's `FunctionArn`, with its qualifier if it has one.
    public var functionArn: String
    /// `requestContext.condition`, and for `RetryAttemptsExhausted` the `responseContext` of the last invocation.
    public var condition: Condition
    /// `requestContext.approximateInvokeCount`: invocations of this batch so far (1 + retries; restarts at a
    /// checkpoint moved by a partial failure, `reference/semantics.md` §3).
    public var approximateInvokeCount: Int
    /// `timestamp`: when the records were given up.
    public var timestamp: Timestamp
    /// `KinesisBatchInfo` or `DDBStreamBatchInfo`: the records given up.
    public var batchInfo: BatchInfo
    /// Which stream the batch came from: names the batch-info key and the precision of its arrival times.
    public var source: Source

    /// - Parameters:
    ///   - requestId: the last invocation's request id (or a fresh lowercase UUID).
    ///   - functionArn: the mapping's `FunctionArn`.
    ///   - condition: why the records were given up.
    ///   - approximateInvokeCount: invocations of the batch so far.
    ///   - timestamp: the time of the failure (`now`).
    ///   - batchInfo: the records given up.
    ///   - source: `.kinesis` or `.dynamoDBStreams`.
    public init(
        requestId: String, functionArn: String, condition: Condition, approximateInvokeCount: Int,
        timestamp: Timestamp, batchInfo: BatchInfo, source: Source = .kinesis
    ) {
        self.requestId = requestId
        self.functionArn = functionArn
        self.condition = condition
        self.approximateInvokeCount = approximateInvokeCount
        self.timestamp = timestamp
        self.batchInfo = batchInfo
        self.source = source
    }

    /// `version`.
    public static let version = "1.0"

    public enum Condition: Sendable, Equatable {
        /// `RetryAttemptsExhausted`: `MaximumRetryAttempts` reached; carries the last invocation's result.
        case retryAttemptsExhausted(ResponseContext)
        /// `RecordAgeExceeded`: records older than `MaximumRecordAgeInSeconds`. The record has **no**
        /// `responseContext` key, whether or not the records were ever invoked (recorded).
        case recordAgeExceeded

        /// The `condition` text.
        public var name: String {
            switch self {
            case .retryAttemptsExhausted: "RetryAttemptsExhausted"
            case .recordAgeExceeded: "RecordAgeExceeded"
            }
        }
    }

    /// `responseContext`: the last invocation as Invoke reported it.
    public struct ResponseContext: Sendable, Equatable {
        /// The Invoke HTTP status: 200, also for function errors.
        public var statusCode: Int
        /// `$LATEST` or the version number that ran.
        public var executedVersion: String
        /// `"Unhandled"` (the `X-Amz-Function-Error` value) after a function error; `nil`, written as
        /// `"functionError":null`, when the batch failed only through its response body (a partial-failure list or
        /// an unusable one) (recorded).
        public var functionError: String?

        public init(statusCode: Int = 200, executedVersion: String, functionError: String?) {
            self.statusCode = statusCode
            self.executedVersion = executedVersion
            self.functionError = functionError
        }
    }

    /// The records given up: after a partial-failure checkpoint, only the remainder (recorded).
    public struct BatchInfo: Sendable, Equatable {
        public var shardId: String
        public var startSequenceNumber: StreamSequenceNumber
        public var endSequenceNumber: StreamSequenceNumber
        public var approximateArrivalOfFirstRecord: Timestamp
        public var approximateArrivalOfLastRecord: Timestamp
        public var batchSize: Int
        /// `streamArn`: the Kinesis stream's (or DynamoDB stream's) ARN.
        public var streamArn: String

        public init(
            shardId: String, startSequenceNumber: StreamSequenceNumber, endSequenceNumber: StreamSequenceNumber,
            approximateArrivalOfFirstRecord: Timestamp, approximateArrivalOfLastRecord: Timestamp, batchSize: Int,
            streamArn: String
        ) {
            self.shardId = shardId
            self.startSequenceNumber = startSequenceNumber
            self.endSequenceNumber = endSequenceNumber
            self.approximateArrivalOfFirstRecord = approximateArrivalOfFirstRecord
            self.approximateArrivalOfLastRecord = approximateArrivalOfLastRecord
            self.batchSize = batchSize
            self.streamArn = streamArn
        }

        /// The info of `records` (in sequence order): first and last record's sequence number and arrival, and
        /// their count; `nil` for no records, which are never reported.
        ///
        /// - Parameters:
        ///   - records: the records given up, all from `shardId`.
        ///   - shardId: their shard.
        ///   - streamArn: the stream's ARN.
        public init?(records: some BidirectionalCollection<StreamRecord>, shardId: String, streamArn: String) {
            guard let first = records.first, let last = records.last else { return nil }
            self.init(
                shardId: shardId, startSequenceNumber: first.sequenceNumber, endSequenceNumber: last.sequenceNumber,
                approximateArrivalOfFirstRecord: first.arrival, approximateArrivalOfLastRecord: last.arrival,
                batchSize: records.count, streamArn: streamArn
            )
        }
    }

    /// The stream a batch came from.
    public enum Source: Sendable, Equatable {
        /// `KinesisBatchInfo`, arrival times to the millisecond (`2019-11-14T00:38:04.835Z`).
        case kinesis
        /// `DDBStreamBatchInfo`, arrival times to the second (`2019-11-14T00:13:19Z`).
        case dynamoDBStreams

        var batchInfoKey: StaticString {
            switch self {
            case .kinesis: #","KinesisBatchInfo":{"shardId":"#
            case .dynamoDBStreams: #","DDBStreamBatchInfo":{"shardId":"#
            }
        }

        func arrival(_ timestamp: Timestamp) -> String {
            switch self {
            case .kinesis: timestamp.iso8601Milliseconds
            case .dynamoDBStreams: timestamp.iso8601Seconds
            }
        }
    }

    /// The record as compact JSON bytes.
    public var json: [UInt8] {
        var writer = PayloadWriter(capacity: 640 + functionArn.utf8.count + batchInfo.streamArn.utf8.count)
        writer.write(#"{"requestContext":{"requestId":"#)
        writer.writeString(requestId)
        writer.write(#","functionArn":"#)
        writer.writeString(functionArn)
        writer.write(#","condition":"#)
        writer.writeString(condition.name)
        writer.write(#","approximateInvokeCount":"#)
        writer.writeInteger(approximateInvokeCount)
        writer.write("}")
        if case .retryAttemptsExhausted(let response) = condition {
            writer.write(#","responseContext":{"statusCode":"#)
            writer.writeInteger(response.statusCode)
            writer.write(#","executedVersion":"#)
            writer.writeString(response.executedVersion)
            writer.write(#","functionError":"#)
            if let functionError = response.functionError {
                writer.writeString(functionError)
            } else {
                writer.write("null")
            }
            writer.write("}")
        }
        writer.write(#","version":"#)
        writer.writeString(Self.version)
        writer.write(#","timestamp":"#)
        writer.writeString(timestamp.iso8601Milliseconds)
        writer.write(source.batchInfoKey)
        writer.writeString(batchInfo.shardId)
        writer.write(#","startSequenceNumber":"#)
        writer.writeString(batchInfo.startSequenceNumber.text)
        writer.write(#","endSequenceNumber":"#)
        writer.writeString(batchInfo.endSequenceNumber.text)
        writer.write(#","approximateArrivalOfFirstRecord":"#)
        writer.writeString(source.arrival(batchInfo.approximateArrivalOfFirstRecord))
        writer.write(#","approximateArrivalOfLastRecord":"#)
        writer.writeString(source.arrival(batchInfo.approximateArrivalOfLastRecord))
        writer.write(#","batchSize":"#)
        writer.writeInteger(batchInfo.batchSize)
        writer.write(#","streamArn":"#)
        writer.writeString(batchInfo.streamArn)
        writer.write("}}")
        return writer.bytes
    }

    /// The record as compact JSON text: the SQS `MessageBody` and the SNS `Message` (§7.5).
    public var messageBody: String {
        String(decoding: json, as: UTF8.self)
    }
}
