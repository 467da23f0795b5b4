import Foundation
import SluiceCore
import SluiceEngine
import SluiceRuntime
import SluiceSources

/// The stream mappings' function: a synchronous invocation through `FunctionInvocations`, as the Invoke API makes
/// one. What Lambda refuses (a missing or inactive function, throttling) is an invocation not made.
struct MappingInvocations: MappingFunctionInvoker {
    let invocations: FunctionInvocations

    func invoke(functionArn: String, payload: [UInt8]) async -> StreamInvocationOutcome {
        let requestId = UUID().uuidString.lowercased()
        do {
            let reference = try FunctionReference(
                parsing: functionArn, identity: RequestIdentity(region: ARN(functionArn)?.region ?? "us-east-1"),
                maxLength: 256
            )
            let output = try await invocations.invoke(reference, payload: payload, requestId: requestId)
            switch output.result {
            case .success(let body):
                return .invoked(
                    requestId: requestId, executedVersion: output.executedVersion, functionError: nil, body: body
                )
            case .functionError(let type, let body):
                return .invoked(
                    requestId: requestId, executedVersion: output.executedVersion, functionError: type, body: body
                )
            }
        } catch {
            // Throttling keeps AWS's error code, which the Throttles metric counts.
            return .notInvoked(
                reason: error.code == StreamInvocationOutcome.throttledReason
                    ? StreamInvocationOutcome.throttledReason : error.message
            )
        }
    }
}

/// The stream mappings' on-failure destinations: an embedded SQS queue (`SendMessage`) or SNS topic (`Publish`),
/// with the invocation record as the message (`reference/events.md` §7.5). A missing queue or topic throws, and the
/// shard retries until it exists (issue 5 item 6).
struct EmbeddedFailureDestinations: FailureDestination {
    let sqs: SQSEngine<ContinuousClock>
    let sns: SNSEngine

    func send(_ record: StreamFailureRecord, to destinationArn: String) async throws {
        guard let arn = ARN(destinationArn) else {
            throw AWSError.invalidParameterValue("The destination \(destinationArn) is not an ARN.")
        }
        let identity = RequestIdentity(region: arn.region, account: arn.account)
        switch arn.service {
        case "sqs":
            guard let queueURL = await sqs.queueURL(ofQueueArn: destinationArn) else { throw AWSError.queueDoesNotExist }
            _ = try await sqs.sendMessage(
                SQS.SendMessageInput(queueUrl: queueURL, messageBody: record.messageBody), identity: identity
            )
        case "sns":
            _ = try await sns.publish(SNS.PublishInput(topicArn: destinationArn, message: record.messageBody), identity: identity)
        default:
            throw AWSError.invalidParameterValue("Destination \(destinationArn) is neither an SQS queue nor an SNS topic.")
        }
    }
}
