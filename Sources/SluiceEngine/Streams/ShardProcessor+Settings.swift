import SluiceCore

extension ShardProcessor {
    /// What a mapping's configuration says about processing a shard, as it applies to the next batch
    /// (``ShardProcessor/update(_:)``).
    public struct Settings: Sendable {
        /// `FunctionArn`: what is invoked, and the failure record's `functionArn`.
        public var functionArn: String
        /// The function's execution role: the event's `invokeIdentityArn`.
        public var invokeIdentityArn: String
        /// The event's `awsRegion`: the stream's region.
        public var awsRegion: String
        /// `BatchSize`.
        public var batchSize: Int
        /// `MaximumBatchingWindowInSeconds`.
        public var maximumBatchingWindow: Duration
        /// The event size limit; the Invoke payload limit unless a test wants less.
        public var maximumPayloadBytes: Int
        /// `MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`, `BisectBatchOnFunctionError`,
        /// `FunctionResponseTypes`, and the retry backoff (also used between refused failure-record sends, failed
        /// checkpoint saves and failed reads).
        public var processing: StreamBatchProcessor.Settings
        /// `ParallelizationFactor`, 1–10.
        public var parallelizationFactor: Int
        /// `FilterCriteria`.
        public var filter: KinesisRecordFilter
        /// `DestinationConfig.OnFailure.Destination`; records given up are dropped when `nil` (§3).
        public var onFailureDestination: String?
        /// `TumblingWindowInSeconds` when > 0: the shard's invocations follow ``TumblingWindow``, one batch at a
        /// time. Read when the processor starts (an Update that changes it applies from the next start).
        public var tumblingWindow: Duration?

        /// - Parameters:
        ///   - functionArn: the function invoked.
        ///   - invokeIdentityArn: the function's role.
        ///   - awsRegion: the stream's region.
        ///   - batchSize: records per batch (Kinesis default 100).
        ///   - maximumBatchingWindow: the batching window; `.zero` invokes as soon as records are read.
        ///   - maximumPayloadBytes: the event size limit.
        ///   - processing: the error-handling settings.
        ///   - parallelizationFactor: concurrent batches per shard.
        ///   - filter: the records delivered.
        ///   - onFailureDestination: the on-failure destination's ARN.
        public init(
            functionArn: String, invokeIdentityArn: String, awsRegion: String, batchSize: Int = 100,
            maximumBatchingWindow: Duration = .zero,
            maximumPayloadBytes: Int = StreamBatcher.PayloadSize.invokePayloadLimit,
            processing: StreamBatchProcessor.Settings = .init(), parallelizationFactor: Int = 1,
            filter: KinesisRecordFilter = KinesisRecordFilter([]), onFailureDestination: String? = nil
        ) {
            self.functionArn = functionArn
            self.invokeIdentityArn = invokeIdentityArn
            self.awsRegion = awsRegion
            self.batchSize = batchSize
            self.maximumBatchingWindow = maximumBatchingWindow
            self.maximumPayloadBytes = maximumPayloadBytes
            self.processing = processing
            self.parallelizationFactor = parallelizationFactor
            self.filter = filter
            self.onFailureDestination = onFailureDestination
        }

        /// The settings of a stream mapping as stored (absent members take the stream defaults of
        /// `reference/esm-api.md`: 100 records, no window, factor 1, unlimited retries and age).
        ///
        /// - Parameters:
        ///   - configuration: the mapping.
        ///   - functionRole: the execution role of the function `FunctionArn` names.
        ///   - backoff: the retry delays.
        /// - Throws: a filter pattern that does not parse (Create and Update have validated it already).
        public init(
            _ configuration: EventSourceMappingConfiguration, functionRole: String,
            backoff: StreamBatchProcessor.Backoff = .init()
        ) throws(FilterPatternError) {
            let region =
                configuration.eventSourceArn.flatMap { ARN($0)?.region }
                ?? ARN(configuration.eventSourceMappingArn)?.region ?? ""
            let batcher = StreamBatcher.Settings(configuration, payloadSize: .init())
            self.init(
                functionArn: configuration.functionArn, invokeIdentityArn: functionRole, awsRegion: region,
                batchSize: batcher.batchSize, maximumBatchingWindow: batcher.maximumBatchingWindow,
                processing: StreamBatchProcessor.Settings(configuration, backoff: backoff),
                parallelizationFactor: configuration.parallelizationFactor ?? 1,
                filter: try KinesisRecordFilter(configuration.filterCriteria),
                onFailureDestination: configuration.destinationConfig?.onFailure?.destination
            )
            tumblingWindow = configuration.tumblingWindowInSeconds.flatMap { $0 > 0 ? .seconds($0) : nil }
        }

        /// The batcher's settings for the shard `encoder` writes events of.
        func batcher(encoder: KinesisEventEncoder) -> StreamBatcher.Settings {
            StreamBatcher.Settings(
                batchSize: batchSize, maximumBatchingWindow: maximumBatchingWindow,
                payloadSize: .init(kinesis: encoder, maximumBytes: maximumPayloadBytes)
            )
        }
    }
}
