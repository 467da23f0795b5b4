import SluiceCore

/// Where a stream mapping sends the invocation record of records it gives up: its
/// `DestinationConfig.OnFailure.Destination`, an SQS queue or an SNS topic (`reference/events.md` §7.5). A port: the
/// server implements it over the embedded SQS and SNS.
public protocol FailureDestination: Sendable {
    /// Delivers `record` to `destinationArn` (SQS `SendMessage` / SNS `Publish` of
    /// ``StreamFailureRecord/messageBody``). Throws when the destination refuses it; the poller then retries, and
    /// never passes the records until it is accepted (issue 5 item 6).
    ///
    /// - Parameters:
    ///   - record: the on-failure invocation record.
    ///   - destinationArn: the queue or topic ARN.
    func send(_ record: StreamFailureRecord, to destinationArn: String) async throws
}
