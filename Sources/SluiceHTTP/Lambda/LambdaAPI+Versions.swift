import Foundation
import SluiceCore
import SluiceRuntime

/// PublishVersion, ListVersionsByFunction, the five alias operations and the three reserved-concurrency operations,
/// with the model's status codes (PublishVersion and CreateAlias 201, DeleteAlias and DeleteFunctionConcurrency 204).
extension LambdaAPI {
    func handleVersions(_ operation: LambdaOperation, _ request: IncomingRequest, identity: RequestIdentity)
        async throws -> OutgoingResponse
    {
        switch operation {
        case .publishVersion(let name):
            let input = try RestJSON.decode(PublishVersionRequest.self, from: request.body)
            let reference = try FunctionReference(parsing: name, identity: identity)
            return try .json(try await functions.publishVersion(reference, input), status: 201)
        case .listVersionsByFunction(let name):
            let maxItems = try Self.maxItems(request)
            let reference = try FunctionReference(parsing: name, identity: identity)
            let page = try await functions.listVersions(reference, marker: request.query("Marker"), maxItems: maxItems)
            return try .json(ListVersionsByFunctionResponse(versions: page.items, nextMarker: page.nextMarker))
        case .createAlias(let name):
            let input = try RestJSON.decode(CreateAliasRequest.self, from: request.body)
            let reference = try FunctionReference(parsing: name, identity: identity)
            return try .json(try await functions.createAlias(reference, input), status: 201)
        case .listAliases(let name):
            let maxItems = try Self.maxItems(request)
            let reference = try FunctionReference(parsing: name, identity: identity)
            let page = try await functions.listAliases(
                reference, functionVersion: request.query("FunctionVersion"), marker: request.query("Marker"),
                maxItems: maxItems
            )
            return try .json(ListAliasesResponse(aliases: page.items, nextMarker: page.nextMarker))
        case .getAlias(let name, let alias):
            let reference = try FunctionReference(parsing: name, identity: identity)
            return try .json(try await functions.alias(alias, of: reference))
        case .updateAlias(let name, let alias):
            let input = try RestJSON.decode(UpdateAliasRequest.self, from: request.body)
            let reference = try FunctionReference(parsing: name, identity: identity)
            return try .json(try await functions.updateAlias(alias, of: reference, input))
        case .deleteAlias(let name, let alias):
            try await functions.deleteAlias(alias, of: try FunctionReference(parsing: name, identity: identity))
            return .empty(status: 204)
        case .putFunctionConcurrency(let name):
            let input = try RestJSON.decode(FunctionConcurrency.self, from: request.body)
            let reference = try FunctionReference(parsing: name, identity: identity)
            return try .json(try await functions.putConcurrency(reference, input))
        case .getFunctionConcurrency(let name):
            let reference = try FunctionReference(parsing: name, identity: identity)
            let reserved = try await functions.concurrency(reference)
            return try .json(FunctionConcurrency(reservedConcurrentExecutions: reserved))
        case .deleteFunctionConcurrency(let name):
            try await functions.deleteConcurrency(try FunctionReference(parsing: name, identity: identity))
            return .empty(status: 204)
        default:
            throw AWSError.unknownOperation()
        }
    }
}

struct ListVersionsByFunctionResponse: Encodable {
    var versions: [FunctionConfiguration]
    var nextMarker: String?
    enum CodingKeys: String, CodingKey { case versions = "Versions", nextMarker = "NextMarker" }
}

struct ListAliasesResponse: Encodable {
    var aliases: [AliasConfiguration]
    var nextMarker: String?
    enum CodingKeys: String, CodingKey { case aliases = "Aliases", nextMarker = "NextMarker" }
}
