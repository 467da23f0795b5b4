/// A function alias exactly as Lambda returns it (`AliasConfiguration`: CreateAlias, GetAlias, UpdateAlias,
/// ListAliases). `RoutingConfig` is left out when the alias routes to one version only (recorded).
public struct AliasConfiguration: Sendable, Codable, Equatable {
    public var aliasArn: String
    public var name: String
    /// `$LATEST` or a version number.
    public var functionVersion: String
    public var description: String
    public var revisionId: String
    public var routingConfig: AliasRoutingConfiguration?

    public init(
        aliasArn: String, name: String, functionVersion: String, description: String, revisionId: String,
        routingConfig: AliasRoutingConfiguration?
    ) {
        self.aliasArn = aliasArn
        self.name = name
        self.functionVersion = functionVersion
        self.description = description
        self.revisionId = revisionId
        self.routingConfig = routingConfig
    }

    enum CodingKeys: String, CodingKey {
        case aliasArn = "AliasArn", name = "Name", functionVersion = "FunctionVersion"
        case description = "Description", revisionId = "RevisionId", routingConfig = "RoutingConfig"
    }

    /// Every version the alias can send an invocation to: its own, then the weighted one.
    public var versions: [String] {
        [functionVersion] + (routingConfig?.additionalVersionWeights.keys.sorted() ?? [])
    }

    /// The version an invocation runs, given `roll` drawn uniformly from `0..<1`: the additional version takes
    /// rolls below its weight, the alias's own version the rest (AWS's weighted alias routing).
    public func routedVersion(roll: Double) -> String {
        var threshold = 0.0
        for (version, weight) in routingConfig?.additionalVersionWeights.sorted(by: { $0.key < $1.key }) ?? [] {
            threshold += weight
            if roll < threshold { return version }
        }
        return functionVersion
    }
}

/// `AliasRoutingConfiguration`: `{"AdditionalVersionWeights": {"2": 0.2}}`.
public struct AliasRoutingConfiguration: Sendable, Codable, Equatable {
    public var additionalVersionWeights: [String: Double]

    public init(additionalVersionWeights: [String: Double]) {
        self.additionalVersionWeights = additionalVersionWeights
    }

    enum CodingKeys: String, CodingKey { case additionalVersionWeights = "AdditionalVersionWeights" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        additionalVersionWeights =
            try container.decodeIfPresent([String: Double].self, forKey: .additionalVersionWeights) ?? [:]
    }
}
