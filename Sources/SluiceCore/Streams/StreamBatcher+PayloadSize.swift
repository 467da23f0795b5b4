extension StreamBatcher {
    /// The size of a batch's event, for the 6 MB cut of `reference/semantics.md` §1: a batch stops before the
    /// record that would push the event over ``maximumBytes`` (6,291,456 bytes, the synchronous Invoke payload
    /// limit).
    ///
    /// For Kinesis the sizes are the event encoder's own (``KinesisEventEncoder/recordSize(_:)``), so the cut is
    /// exact and the event's layout is written down once. Without an encoder (tests, other shapes) a record counts
    /// ``fixedBytesPerRecord`` plus its data.
    ///
    /// A single record bigger than the limit still forms a batch of its own (Kinesis records are at most 1 MiB, so
    /// this does not happen with Kinesis).
    public struct PayloadSize: Sendable, Equatable {
        /// The largest event the function may receive.
        public var maximumBytes: Int
        /// Bytes of the event around the records: `{"Records":[` … `]}`, plus any top-level members the poller
        /// adds (a tumbling window's `window`, `state`, …).
        public var envelopeBytes: Int
        /// Without an encoder: bytes of one record besides its data, the `,` between records included.
        public var fixedBytesPerRecord: Int
        /// The shard's event encoder, whose record sizes are exact.
        public var encoder: KinesisEventEncoder?

        /// The Invoke payload limit (`reference/semantics.md` §1).
        public static let invokePayloadLimit = 6_291_456

        /// A size model from explicit figures (tests, other event shapes).
        public init(maximumBytes: Int = invokePayloadLimit, envelopeBytes: Int = 14, fixedBytesPerRecord: Int = 0) {
            self.maximumBytes = maximumBytes
            self.envelopeBytes = envelopeBytes
            self.fixedBytesPerRecord = fixedBytesPerRecord
        }

        /// The sizes of a Kinesis shard's events (`reference/events.md` §1), as `encoder` writes them.
        ///
        /// - Parameters:
        ///   - encoder: the shard's event encoder.
        ///   - maximumBytes: the limit; the Invoke payload limit unless a test wants less.
        public init(kinesis encoder: KinesisEventEncoder, maximumBytes: Int = invokePayloadLimit) {
            self.init(maximumBytes: maximumBytes, envelopeBytes: encoder.envelopeSize(), fixedBytesPerRecord: 0)
            self.encoder = encoder
        }

        /// The bytes `record` adds to an event, the `,` that separates it included.
        public func bytes(of record: StreamRecord) -> Int {
            guard let encoder else { return fixedBytesPerRecord + record.data.count }
            return encoder.recordSize(record) + 1
        }

        /// The bytes of an event holding `records`.
        public func bytes(of records: some Collection<StreamRecord>) -> Int {
            records.reduce(envelopeBytes) { $0 + bytes(of: $1) } - (records.isEmpty ? 0 : 1)
        }

        /// How many of the first `records` one batch takes: at most `limit`, and no more than fit
        /// ``maximumBytes``; at least one.
        public func fittingCount(of records: [StreamRecord], limit: Int) -> Int {
            var total = envelopeBytes - 1
            for (index, record) in records.prefix(limit).enumerated() {
                total += bytes(of: record)
                if total > maximumBytes { return max(1, index) }
            }
            return min(limit, records.count)
        }
    }
}
