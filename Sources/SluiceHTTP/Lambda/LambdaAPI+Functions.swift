import Foundation
import SluiceCore
import SluiceRuntime

/// The function operations: CreateFunction, Get, GetConfiguration, List, Delete, UpdateConfiguration, UpdateCode.
extension LambdaAPI {
    func handleFunction(_ operation: LambdaOperation, _ request: IncomingRequest, identity: RequestIdentity)
        async throws -> OutgoingResponse
    {
        switch operation {
        case .createFunction:
            let input = try RestJSON.decode(CreateFunctionRequest.self, from: request.body)
            return try .json(try await functions.create(input, identity: identity), status: 201)
        case .listFunctions:
            let page = try await functions.list(
                region: identity.region, marker: request.query("Marker"), maxItems: try Self.maxItems(request)
            )
            return try .json(ListFunctionsResponse(functions: page.functions, nextMarker: page.nextMarker))
        case .getFunction(let name):
            let reference = try Self.function(name, request, identity: identity)
            let (configuration, tags, reserved) = try await functions.functionWithConcurrency(reference)
            let location =
                "http://\(request.header("host") ?? "127.0.0.1")/2015-03-31/functions/"
                + "\(reference.name)\(reference.qualifier.map { "%3A" + $0 } ?? "")/code.zip"
            return try .json(
                GetFunctionResponse(
                    configuration: configuration, code: .init(location: location), tags: tags.isEmpty ? nil : tags,
                    concurrency: reserved.map { FunctionConcurrency(reservedConcurrentExecutions: $0) }
                )
            )
        case .getFunctionConfiguration(let name):
            let reference = try Self.function(name, request, identity: identity)
            return try .json(try await functions.function(reference).0)
        case .deleteFunction(let name):
            let reference = try Self.function(name, request, identity: identity)
            try await functions.delete(reference)
            await invocations.retire(functionArn: reference.unqualifiedArn)
            return .empty(status: 204)
        case .updateFunctionConfiguration(let name):
            let input = try RestJSON.decode(UpdateFunctionConfigurationRequest.self, from: request.body)
            let reference = try Self.function(name, request, identity: identity)
            let updated = try await functions.updateConfiguration(reference, input)
            await invocations.retire(functionArn: reference.unqualifiedArn)
            return try .json(updated)
        case .updateFunctionCode(let name):
            let input = try RestJSON.decode(UpdateFunctionCodeRequest.self, from: request.body)
            let reference = try Self.function(name, request, identity: identity)
            let updated = try await functions.updateCode(reference, input)
            if input.dryRun != true { await invocations.retire(functionArn: reference.unqualifiedArn) }
            return try .json(updated)
        case .getFunctionCodeArchive(let name):
            let reference = try Self.function(name, request, identity: identity)
            guard let url = try await functions.codeArchive(reference),
                let data = FileManager.default.contents(atPath: url.path)
            else { throw AWSError.functionNotFound(arn: reference.arn) }
            return OutgoingResponse(status: 200, headers: [("Content-Type", "application/zip")], body: Array(data))
        default:
            throw AWSError.unknownOperation()
        }
    }

    /// The function named in the path, with the `Qualifier` query parameter merged in (they must agree).
    static func function(_ name: String, _ request: IncomingRequest, identity: RequestIdentity) throws(AWSError)
        -> FunctionReference
    {
        var reference = try FunctionReference(parsing: name, identity: identity)
        if let qualifier = request.query("Qualifier") {
            try Self.checkQualifier(qualifier)
            if let derived = reference.qualifier, derived != qualifier {
                throw .invalidParameterValue(
                    "The derived qualifier from the function name does not match the specified qualifier."
                )
            }
            reference.qualifier = qualifier
        }
        return reference
    }

    /// The model's `Qualifier`: `(|[a-zA-Z0-9$_-]+)`, at most 128 characters.
    static func checkQualifier(_ qualifier: String) throws(AWSError) {
        var errors = ValidationErrors()
        errors.checkLength(qualifier, 1...128, path: "qualifier")
        if !qualifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "$_-".contains($0)) }) {
            errors.add(
                value: qualifier, path: "qualifier", rule: "satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)"
            )
        }
        try errors.throwIfAny()
    }
}

struct ListFunctionsResponse: Encodable {
    var functions: [FunctionConfiguration]
    var nextMarker: String?
    enum CodingKeys: String, CodingKey {
        case functions = "Functions"
        case nextMarker = "NextMarker"
    }
}

struct GetFunctionResponse: Encodable {
    var configuration: FunctionConfiguration
    var code: Code
    var tags: [String: String]?
    /// `{"ReservedConcurrentExecutions": N}` when PutFunctionConcurrency set a limit.
    var concurrency: FunctionConcurrency?

    struct Code: Encodable {
        var repositoryType = "S3"
        var location: String
        enum CodingKeys: String, CodingKey {
            case repositoryType = "RepositoryType"
            case location = "Location"
        }
    }

    enum CodingKeys: String, CodingKey {
        case configuration = "Configuration"
        case code = "Code"
        case tags = "Tags"
        case concurrency = "Concurrency"
    }
}
