/// The Lambda REST operations Sluice serves, recognised by method and path (`reference/esm-api.md` §1,
/// `reference/runtime-api.md` §4).
enum LambdaOperation: Equatable {
    case createFunction
    case listFunctions
    case getFunction(name: String)
    case deleteFunction(name: String)
    case getFunctionConfiguration(name: String)
    case updateFunctionConfiguration(name: String)
    case updateFunctionCode(name: String)
    case getFunctionCodeArchive(name: String)
    case invoke(name: String)
    case createEventSourceMapping
    case listEventSourceMappings
    case getEventSourceMapping(uuid: String)
    case updateEventSourceMapping(uuid: String)
    case deleteEventSourceMapping(uuid: String)
    case tagResource(arn: String)
    case untagResource(arn: String)
    case listTags(arn: String)
    case publishVersion(name: String)
    case listVersionsByFunction(name: String)
    case createAlias(name: String)
    case listAliases(name: String)
    case getAlias(name: String, alias: String)
    case updateAlias(name: String, alias: String)
    case deleteAlias(name: String, alias: String)
    case putFunctionConcurrency(name: String)
    case getFunctionConcurrency(name: String)
    case deleteFunctionConcurrency(name: String)

    /// Matches decoded path segments; `nil` for a route Lambda does not have.
    init?(method: String, segments: [String]) {
        if let operation = Self.versionsOperation(method: method, segments: segments) {
            self = operation
            return
        }
        guard segments.count >= 2, segments.count <= 4 else { return nil }
        let id = segments.count > 2 ? segments[2] : nil
        let tail = segments.count > 3 ? segments[3] : nil
        switch (method, segments[0], segments[1], tail) {
        case ("POST", "2015-03-31", "functions", nil) where id == nil: self = .createFunction
        case ("GET", "2015-03-31", "functions", nil) where id == nil: self = .listFunctions
        case ("GET", "2015-03-31", "functions", nil): self = .getFunction(name: id!)
        case ("DELETE", "2015-03-31", "functions", nil): self = .deleteFunction(name: id!)
        case ("GET", "2015-03-31", "functions", "configuration"): self = .getFunctionConfiguration(name: id!)
        case ("PUT", "2015-03-31", "functions", "configuration"): self = .updateFunctionConfiguration(name: id!)
        case ("PUT", "2015-03-31", "functions", "code"): self = .updateFunctionCode(name: id!)
        case ("GET", "2015-03-31", "functions", "code.zip"): self = .getFunctionCodeArchive(name: id!)
        case ("POST", "2015-03-31", "functions", "invocations"): self = .invoke(name: id!)
        case ("POST", "2015-03-31", "event-source-mappings", nil) where id == nil: self = .createEventSourceMapping
        case ("GET", "2015-03-31", "event-source-mappings", nil) where id == nil: self = .listEventSourceMappings
        case ("GET", "2015-03-31", "event-source-mappings", nil): self = .getEventSourceMapping(uuid: id!)
        case ("PUT", "2015-03-31", "event-source-mappings", nil): self = .updateEventSourceMapping(uuid: id!)
        case ("DELETE", "2015-03-31", "event-source-mappings", nil): self = .deleteEventSourceMapping(uuid: id!)
        case ("POST", "2017-03-31", "tags", nil) where id != nil: self = .tagResource(arn: id!)
        case ("DELETE", "2017-03-31", "tags", nil) where id != nil: self = .untagResource(arn: id!)
        case ("GET", "2017-03-31", "tags", nil) where id != nil: self = .listTags(arn: id!)
        default: return nil
        }
    }

    /// The operation's AWS name, as error texts quote it.
    var name: String {
        switch self {
        case .createFunction: "CreateFunction"
        case .listFunctions: "ListFunctions"
        case .getFunction: "GetFunction"
        case .deleteFunction: "DeleteFunction"
        case .getFunctionConfiguration: "GetFunctionConfiguration"
        case .updateFunctionConfiguration: "UpdateFunctionConfiguration"
        case .updateFunctionCode: "UpdateFunctionCode"
        case .getFunctionCodeArchive: "GetFunction"
        case .invoke: "Invoke"
        case .createEventSourceMapping: "CreateEventSourceMapping"
        case .listEventSourceMappings: "ListEventSourceMappings"
        case .getEventSourceMapping: "GetEventSourceMapping"
        case .updateEventSourceMapping: "UpdateEventSourceMapping"
        case .deleteEventSourceMapping: "DeleteEventSourceMapping"
        case .tagResource: "TagResource"
        case .untagResource: "UntagResource"
        case .listTags: "ListTags"
        case .publishVersion: "PublishVersion"
        case .listVersionsByFunction: "ListVersionsByFunction"
        case .createAlias: "CreateAlias"
        case .listAliases: "ListAliases"
        case .getAlias: "GetAlias"
        case .updateAlias: "UpdateAlias"
        case .deleteAlias: "DeleteAlias"
        case .putFunctionConcurrency: "PutFunctionConcurrency"
        case .getFunctionConcurrency: "GetFunctionConcurrency"
        case .deleteFunctionConcurrency: "DeleteFunctionConcurrency"
        }
    }
}
