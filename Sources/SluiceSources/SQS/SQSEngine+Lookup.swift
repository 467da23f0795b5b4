extension SQSEngine {
    /// The visibility timeout of the queue with this ARN, or `nil` when there is no such queue: what a new event
    /// source mapping checks (`reference/esm-api.md` §5).
    public func visibilityTimeout(ofQueueArn arn: String) -> Int? {
        guard let address = SQS.QueueAddress(arn: arn) else { return nil }
        return queues[address]?.attributes.visibilityTimeout
    }
}

extension SQSEngine {
    /// The URL of the queue with this ARN, or `nil` when there is no such queue: where a mapping's on-failure
    /// destination sends.
    public func queueURL(ofQueueArn arn: String) -> String? {
        guard let address = SQS.QueueAddress(arn: arn), queues[address] != nil else { return nil }
        return url(address)
    }
}
