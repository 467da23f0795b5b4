extension StreamBatcher {
    /// The size of a batch's Kinesis event (`reference/events.md` §1) as compact JSON, for the 6 MB cut of
    /// `reference/semantics.md` §1: a batch stops before the record that would push the event over
    /// ``maximumBytes`` (6,291,456 bytes, the synchronous Invoke payload limit).
    ///
    /// The machine computes the size itself from the record and the shard's context instead of asking the poller
    /// for a closure, so it stays a plain value. The figure is an upper bound for any compact encoder that leaves
    /// `/` unescaped (as `JSONValue.jsonText` does): each character of a partition key or context string is counted
    /// at its longest escaped form (`\u` escapes for non-ASCII), and the arrival time at 20 characters. A batch is
    /// therefore never over the limit, at the cost of being at most a few hundred bytes short of it per record.
    ///
    /// A single record bigger than the limit still forms a batch of its own (Kinesis records are at most 1 MiB, so
    /// this does not happen with Kinesis).
    public struct PayloadSize: Sendable, Equatable {
        /// The largest event the function may receive.
        public var maximumBytes: Int
        /// Bytes of the event around the records: `{"Records":[` … `]}`, plus any top-level members the poller
        /// adds (a tumbling window's `window`, `state`, …).
        public var envelopeBytes: Int
        /// Bytes of one record that do not depend on the record: keys, constants and the context strings, plus
        /// the `,` between records.
        public var fixedBytesPerRecord: Int

        /// The Invoke payload limit (`reference/semantics.md` §1).
        public static let invokePayloadLimit = 6_291_456

        /// A size model from explicit figures (tests, other event shapes).
        public init(maximumBytes: Int = invokePayloadLimit, envelopeBytes: Int = 14, fixedBytesPerRecord: Int = 0) {
            self.maximumBytes = maximumBytes
            self.envelopeBytes = envelopeBytes
            self.fixedBytesPerRecord = fixedBytesPerRecord
        }

        /// The size model of a Kinesis shard's events (`reference/events.md` §1).
        ///
        /// - Parameters:
        ///   - shardId: the shard (`shardId-000000000000`), part of each `eventID`.
        ///   - eventSourceARN: the stream ARN.
        ///   - awsRegion: the stream's region.
        ///   - invokeIdentityArn: the function's execution role ARN.
        ///   - maximumBytes: the limit; the Invoke payload limit unless a test wants less.
        public init(
            kinesisShardId shardId: String, eventSourceARN: String, awsRegion: String, invokeIdentityArn: String,
            maximumBytes: Int = invokePayloadLimit
        ) {
            let keysAndConstants =
                #"{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":,"sequenceNumber":"","#
                + #""data":"","approximateArrivalTimestamp":},"eventSource":"aws:kinesis","eventVersion":"1.0","#
                + #""eventID":":","eventName":"aws:kinesis:record","invokeIdentityArn":,"awsRegion":,"#
                + #""eventSourceARN":}"#
            let context =
                Self.quotedBytes(shardId) - 2 + Self.quotedBytes(eventSourceARN)
                + Self.quotedBytes(awsRegion) + Self.quotedBytes(invokeIdentityArn)
            self.init(
                maximumBytes: maximumBytes,
                envelopeBytes: #"{"Records":[]}"#.utf8.count,
                fixedBytesPerRecord: keysAndConstants.utf8.count + context + 1
            )
        }

        /// The bytes `record` adds to an event: its fixed part, partition key, sequence number (twice: in
        /// `kinesis` and in `eventID`), base64 data and arrival time.
        public func bytes(of record: StreamRecord) -> Int {
            fixedBytesPerRecord + Self.quotedBytes(record.partitionKey) + 2 * record.sequenceNumber.text.utf8.count
                + (record.data.count + 2) / 3 * 4 + Self.arrivalTimeBytes
        }

        /// The bytes of an event holding `records`.
        public func bytes(of records: some Collection<StreamRecord>) -> Int {
            records.reduce(envelopeBytes) { $0 + bytes(of: $1) }
        }

        /// How many of the first `records` one batch takes: at most `limit`, and no more than fit
        /// ``maximumBytes``; at least one.
        public func fittingCount(of records: [StreamRecord], limit: Int) -> Int {
            var total = envelopeBytes
            for (index, record) in records.prefix(limit).enumerated() {
                total += bytes(of: record)
                if total > maximumBytes { return max(1, index) }
            }
            return min(limit, records.count)
        }

        /// `approximateArrivalTimestamp` as epoch seconds with a millisecond fraction takes 14 characters today;
        /// 20 leaves room for any year and sign.
        static let arrivalTimeBytes = 20

        /// An upper bound of the bytes of `text` as a JSON string literal, quotes included.
        static func quotedBytes(_ text: String) -> Int {
            text.unicodeScalars.reduce(2) { total, scalar in
                switch scalar.value {
                case 0x22, 0x5C: total + 2
                case 0..<0x20: total + 6
                case 0x20..<0x80: total + 1
                case 0x80..<0x1_0000: total + 6
                default: total + 12
                }
            }
        }
    }
}
