/// The body of PublishVersion (`POST /2015-03-31/functions/{name}/versions`).
public struct PublishVersionRequest: Sendable, Decodable {
    public var codeSha256: String?
    public var description: String?
    public var revisionId: String?

    public init(codeSha256: String? = nil, description: String? = nil, revisionId: String? = nil) {
        self.codeSha256 = codeSha256
        self.description = description
        self.revisionId = revisionId
    }

    enum CodingKeys: String, CodingKey {
        case codeSha256 = "CodeSha256", description = "Description", revisionId = "RevisionId"
    }
}

/// The body of CreateAlias (`POST /2015-03-31/functions/{name}/aliases`).
public struct CreateAliasRequest: Sendable, Decodable {
    public var name: String?
    public var functionVersion: String?
    public var description: String?
    public var routingConfig: AliasRoutingConfiguration?

    public init(
        name: String?, functionVersion: String?, description: String? = nil,
        routingConfig: AliasRoutingConfiguration? = nil
    ) {
        self.name = name
        self.functionVersion = functionVersion
        self.description = description
        self.routingConfig = routingConfig
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", functionVersion = "FunctionVersion", description = "Description"
        case routingConfig = "RoutingConfig"
    }
}

/// The body of UpdateAlias (`PUT /2015-03-31/functions/{name}/aliases/{alias}`); omitted members keep their values.
public struct UpdateAliasRequest: Sendable, Decodable {
    public var functionVersion: String?
    public var description: String?
    public var routingConfig: AliasRoutingConfiguration?
    public var revisionId: String?

    public init(
        functionVersion: String? = nil, description: String? = nil, routingConfig: AliasRoutingConfiguration? = nil,
        revisionId: String? = nil
    ) {
        self.functionVersion = functionVersion
        self.description = description
        self.routingConfig = routingConfig
        self.revisionId = revisionId
    }

    enum CodingKeys: String, CodingKey {
        case functionVersion = "FunctionVersion", description = "Description", routingConfig = "RoutingConfig"
        case revisionId = "RevisionId"
    }
}

/// The body of PutFunctionConcurrency (`PUT /2017-10-31/functions/{name}/concurrency`), also its response.
public struct FunctionConcurrency: Sendable, Codable, Equatable {
    public var reservedConcurrentExecutions: Int?

    public init(reservedConcurrentExecutions: Int?) {
        self.reservedConcurrentExecutions = reservedConcurrentExecutions
    }

    enum CodingKeys: String, CodingKey { case reservedConcurrentExecutions = "ReservedConcurrentExecutions" }
}
