import Foundation
import SluiceCore
import SluiceStore
import Synchronization

@testable import SluiceSources

/// An SNS engine over a `MemoryBatchStore`, delivering into an SQS engine on a manual clock; message ids are
/// `sns-1`, `sns-2`, … and the wall clock is the SQS harness's (2024-11-25T10:00:00Z onwards).
struct SNSHarness {
    let engine: SNSEngine
    let sqs: QueueHarness
    let store: MemoryBatchStore
    var identity: RequestIdentity { sqs.identity }

    init(store: MemoryBatchStore = MemoryBatchStore(), sqs: QueueHarness? = nil) async throws {
        let queues: QueueHarness
        if let sqs { queues = sqs } else { queues = try await QueueHarness() }
        self.sqs = queues
        self.store = store
        let counter = Mutex(0)
        engine = try await SNSEngine(
            store: store, queues: queues.engine, configuration: .init(baseURL: "http://localhost:4566"),
            now: { [clock = queues.clock] in clock.timestamp },
            newMessageId: {
                counter.withLock {
                    $0 += 1
                    return "sns-\($0)"
                }
            }
        )
    }

    /// New SNS and SQS engines over the same stores: a restart.
    func restarted() async throws -> SNSHarness {
        try await SNSHarness(store: store, sqs: try await sqs.restarted())
    }

    func createTopic(_ name: String, _ attributes: [String: String] = [:]) async throws -> String {
        try await engine.createTopic(.init(name: name, attributes: attributes), identity: identity)
    }

    /// Creates a queue and subscribes it; returns the queue URL and the subscription ARN.
    func subscribeQueue(_ topicArn: String, queue: String, raw: Bool = false) async throws -> (String, String) {
        let fifo = queue.hasSuffix(".fifo")
        let url = try await sqs.createQueue(queue, fifo ? ["FifoQueue": "true"] : nil)
        let attributes = raw ? ["RawMessageDelivery": "true"] : [:]
        let arn = try await engine.subscribe(
            .init(
                topicArn: topicArn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:\(queue)",
                attributes: attributes
            ),
            identity: identity
        )
        return (url, arn)
    }

    func publish(_ input: SNS.PublishInput) async throws -> SNS.PublishOutput {
        try await engine.publish(input, identity: identity)
    }
}

/// The `AWSError` an operation throws, as `code: message (status)`, or nil.
func snsError(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return "\(error.code): \(error.message) (\(error.status))"
    } catch {
        return "\(error)"
    }
}
