import Foundation
import SluiceCore
import SluiceSources
import SluiceStore

@testable import SluiceHTTP

/// SNSAPI and SQSQueryAPI over real engines on a `MemoryBatchStore`, fed form bodies as botocore sends them.
struct QueryHarness {
    let sqs: SQSEngine<ContinuousClock>
    let sns: SNSEngine
    let identity = RequestIdentity(region: "us-east-1")

    init() async throws {
        let store = MemoryBatchStore()
        sqs = try await SQSEngine(
            storage: BatchQueueStorage(store: store), configuration: .init(baseURL: "http://localhost:4566")
        )
        sns = try await SNSEngine(store: store, queues: sqs, configuration: .init(baseURL: "http://localhost:4566"))
    }

    /// A form request, `Action` and all, as the responder hands it on.
    static func request(_ body: String, path: String = "/") -> IncomingRequest {
        IncomingRequest(
            method: "POST", rawPath: path, rawQuery: nil,
            headers: [
                ("content-type", "application/x-www-form-urlencoded; charset=utf-8"), ("host", "localhost:4566"),
            ],
            body: Array(body.utf8)
        )
    }

    /// Answers `body` through SNSAPI (`Version=2010-03-31`) or, errors, as the responder would.
    func sns(_ body: String) async -> (status: Int, xml: String) {
        await answer(SNSAPI(engine: sns), body)
    }

    func sqsQuery(_ body: String, path: String = "/") async -> (status: Int, xml: String) {
        await answer(SQSQueryAPI(engine: sqs), body, path: path)
    }

    private func answer(_ api: any AWSQueryService, _ body: String, path: String = "/") async -> (
        status: Int, xml: String
    ) {
        let request = Self.request(body, path: path)
        let action = AWSQuery.parameters(of: request)["Action"] ?? ""
        let response: OutgoingResponse
        do {
            response = try await api.handle(action: action, request: request, identity: identity)
        } catch let error as AWSError {
            response = AWSQuery.errorResponse(error, service: api.service, requestID: "req")
        } catch {
            return (500, "\(error)")
        }
        return (response.status, Self.masked(String(decoding: response.body, as: UTF8.self)))
    }

    /// Request ids, message ids, receipt handles and subscription ids replaced by `*`: they change per run.
    static func masked(_ xml: String) -> String {
        var text = xml
        for element in ["RequestId", "MessageId", "ReceiptHandle", "SentTimestamp", "ApproximateFirstReceiveTimestamp"]
        {
            text = text.replacingOccurrences(
                of: "<\(element)>[^<]*</\(element)>", with: "<\(element)>*</\(element)>", options: .regularExpression
            )
            text = text.replacingOccurrences(
                of: "<Name>\(element)</Name><Value>[^<]*</Value>", with: "<Name>\(element)</Name><Value>*</Value>",
                options: .regularExpression
            )
        }
        return text.replacingOccurrences(
            of: ":[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}<", with: ":*<",
            options: .regularExpression
        )
    }
}
