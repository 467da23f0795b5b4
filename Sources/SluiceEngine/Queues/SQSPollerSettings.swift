import SluiceCore

/// What the pollers of one SQS mapping need of its configuration, derived once per Create / Update and read by each
/// poller before its next receive (`reference/semantics.md` §11: new values apply from the next batch).
struct SQSPollerSettings: Sendable {
    var queueArn: String
    var functionArn: String
    var batching: SQSBatcher.Settings
    var filter: SQSMessageFilter
    var reportBatchItemFailures: Bool
    var isFIFO: Bool
    /// `ScalingConfig.MaximumConcurrency` and the function's reserved concurrency.
    var scaling: SQSPollerScaling.Settings

    /// - Parameters:
    ///   - configuration: the mapping as stored (validated at Create / Update).
    ///   - reservedConcurrency: the function's reserved concurrency, `nil` when it has none.
    ///   - messagesPerReceive: the most messages the queue source takes in one receive.
    init(_ configuration: EventSourceMappingConfiguration, reservedConcurrency: Int?, messagesPerReceive: Int) {
        let queueArn = configuration.eventSourceArn ?? ""
        self.queueArn = queueArn
        functionArn = configuration.functionArn
        batching = SQSBatcher.Settings(
            configuration, encoder: SQSEventEncoder(queueARN: queueArn, awsRegion: ARN(queueArn)?.region ?? "us-east-1")
        )
        batching.messagesPerReceive = messagesPerReceive
        // Patterns were parsed at Create / Update; one that no longer parses keeps every message rather than
        // deleting them all.
        filter = (try? SQSMessageFilter(configuration.filterCriteria)) ?? SQSMessageFilter([])
        reportBatchItemFailures = configuration.functionResponseTypes?.contains("ReportBatchItemFailures") ?? false
        isFIFO = queueArn.hasSuffix(".fifo")
        scaling = SQSPollerScaling.Settings(configuration, reservedConcurrency: reservedConcurrency)
    }
}
