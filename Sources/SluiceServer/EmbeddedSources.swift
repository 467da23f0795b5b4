import SluiceCore
import SluiceSources

/// The sources Sluice embeds, as the mapping service sees them: Kinesis streams and SQS queues are checked; the
/// kinds not embedded (DynamoDB Streams, Kafka) are accepted unchecked.
struct EmbeddedSources: EventSourceDirectory {
    let kinesis: KinesisEngine
    let sqs: SQSEngine<ContinuousClock>

    func lookUp(_ eventSourceArn: String, kind: EventSourceKind) async -> EventSourceLookup {
        switch kind {
        case .kinesis:
            return await kinesis.streamExists(arn: eventSourceArn) ? .exists(visibilityTimeout: nil) : .missing
        case .sqs:
            guard let visibility = await sqs.visibilityTimeout(ofQueueArn: eventSourceArn) else { return .missing }
            return .exists(visibilityTimeout: visibility)
        case .dynamoDBStreams, .amazonMSK, .selfManagedKafka:
            return .unchecked
        }
    }
}
