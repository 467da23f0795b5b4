import Foundation
import SluiceCore
import SluiceEngine
import SluiceRuntime

/// The Lambda REST API: decodes each operation's input, calls the registries, encodes the output with the status
/// codes of the model (Create/Update/Delete mapping 202, CreateFunction 201, DeleteFunction 204).
public struct LambdaAPI: Sendable {
    let functions: FunctionRegistry
    let mappings: MappingRegistry
    let invocations: FunctionInvocations

    public init(functions: FunctionRegistry, mappings: MappingRegistry, invocations: FunctionInvocations) {
        self.functions = functions
        self.mappings = mappings
        self.invocations = invocations
    }

    func handle(_ operation: LambdaOperation, _ request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        switch operation {
        case .createFunction, .listFunctions, .getFunction, .deleteFunction, .getFunctionConfiguration,
            .updateFunctionConfiguration, .updateFunctionCode, .getFunctionCodeArchive:
            return try await handleFunction(operation, request, identity: identity)
        case .invoke(let name):
            return try await invoke(name, request, identity: identity)
        case .createEventSourceMapping:
            let input = try RestJSON.decode(CreateEventSourceMappingRequest.self, from: request.body)
            return try .json(try await mappings.create(input, identity: identity), status: 202)
        case .listEventSourceMappings:
            return try await listEventSourceMappings(request, identity: identity)
        case .getEventSourceMapping(let uuid):
            return .jsonBytes(try await mappings.mappingJSON(uuid: uuid, region: identity.region))
        case .updateEventSourceMapping(let uuid):
            let input = try RestJSON.decode(MappingSettings.self, from: request.body)
            return try .json(try await mappings.update(uuid: uuid, input, identity: identity), status: 202)
        case .deleteEventSourceMapping(let uuid):
            return try .json(try await mappings.delete(uuid: uuid, region: identity.region), status: 202)
        case .tagResource(let arn):
            let input = try RestJSON.decode(TagResourceRequest.self, from: request.body)
            try await setTags(arn: arn, identity: identity, adding: input.tags ?? [:], removing: [])
            return .empty(status: 204)
        case .untagResource(let arn):
            let keys = request.queryItems.filter { $0.name == "tagKeys" }.map(\.value)
            try await setTags(arn: arn, identity: identity, adding: [:], removing: keys)
            return .empty(status: 204)
        case .listTags(let arn):
            return try .json(["Tags": try await tags(arn: arn, identity: identity)])
        case .publishVersion, .listVersionsByFunction, .createAlias, .listAliases, .getAlias, .updateAlias,
            .deleteAlias, .putFunctionConcurrency, .getFunctionConcurrency, .deleteFunctionConcurrency:
            return try await handleVersions(operation, request, identity: identity)
        }
    }

    private func listEventSourceMappings(_ request: IncomingRequest, identity: RequestIdentity) async throws
        -> OutgoingResponse
    {
        let maxItems = try Self.maxItems(request)
        let function = try request.query("FunctionName").map {
            try FunctionReference(parsing: $0, identity: identity, maxLength: 256)
        }
        let page = try await mappings.listJSON(
            region: identity.region, eventSourceArn: request.query("EventSourceArn"), function: function,
            marker: request.query("Marker"), maxItems: maxItems
        )
        // {"EventSourceMappings":[…],"NextMarker":"…"} from the cached bodies of the mappings.
        var body = Array(#"{"EventSourceMappings":["#.utf8)
        for (index, mapping) in page.mappings.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += mapping
        }
        body.append(UInt8(ascii: "]"))
        if let next = page.nextMarker {
            body += Array(#","NextMarker":"\#(next)""#.utf8)
        }
        body.append(UInt8(ascii: "}"))
        return .jsonBytes(body)
    }

    /// `MaxItems` of the List operations: 1–10000 (model).
    static func maxItems(_ request: IncomingRequest) throws(AWSError) -> Int? {
        guard let text = request.query("MaxItems") else { return nil }
        guard let value = Int(text) else {
            throw .invalidRequestContent("Could not parse request body into json: MaxItems is not an integer")
        }
        var errors = ValidationErrors()
        errors.checkRange(value, 1...10000, path: "maxItems")
        try errors.throwIfAny()
        return value
    }

    // MARK: Tags

    private enum TaggedResource {
        case function(arn: String)
        case mapping(uuid: String)
    }

    private func resource(_ text: String) throws(AWSError) -> TaggedResource {
        guard let arn = ARN(text), arn.service == "lambda" else {
            throw .validation(
                "1 validation error detected: Value '\(text)' at 'resource' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:.*"
            )
        }
        let parts = arn.resource.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.first {
        case "function" where parts.count == 2:
            return .function(arn: text)
        case "function":
            throw .invalidParameterValue(
                "Tags on function aliases and versions are not supported. Please specify a function ARN."
            )
        case "event-source-mapping" where parts.count == 2:
            return .mapping(uuid: String(parts[1]))
        default:
            throw .invalidParameterValue("Tags are not supported for resource: \(text)")
        }
    }

    private func tags(arn: String, identity: RequestIdentity) async throws -> [String: String] {
        switch try resource(arn) {
        case .function(let arn):
            guard let tags = await functions.tags(functionArn: arn) else { throw AWSError.functionNotFound(arn: arn) }
            return tags
        case .mapping(let uuid):
            return try await mappings.tags(uuid: uuid, region: identity.region)
        }
    }

    private func setTags(arn: String, identity: RequestIdentity, adding: [String: String], removing: [String])
        async throws
    {
        switch try resource(arn) {
        case .function(let arn):
            try await functions.setTags(functionArn: arn, adding: adding, removing: removing)
        case .mapping(let uuid):
            try await mappings.setTags(uuid: uuid, region: identity.region, adding: adding, removing: removing)
        }
    }
}

struct TagResourceRequest: Decodable {
    var tags: [String: String]?
    enum CodingKeys: String, CodingKey { case tags = "Tags" }
}

