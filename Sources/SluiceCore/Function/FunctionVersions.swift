/// The published versions and the aliases of one function, with the rules of PublishVersion, DeleteFunction of a
/// version and the alias operations. Existence of the function itself is the registry's concern; everything
/// below it (which versions exist, which aliases point where) is decided here.
public struct FunctionVersions: Sendable, Codable, Equatable {
    /// A published version: its frozen configuration, and the `$LATEST` RevisionId right after it was published
    /// (while `$LATEST` keeps that RevisionId nothing has changed, and PublishVersion returns this version).
    public struct Published: Sendable, Codable, Equatable {
        public var configuration: FunctionConfiguration
        public var latestRevisionId: String
    }

    /// Ascending by number.
    public private(set) var published: [Published]
    /// Ascending by name.
    public private(set) var aliases: [AliasConfiguration]
    /// The highest number ever published: numbers are never reused, even after a version is deleted.
    public private(set) var lastNumber: Int

    public init() {
        published = []
        aliases = []
        lastNumber = 0
    }

    // MARK: Reads

    /// The configuration of a published version (`Version` is the number, `FunctionArn` qualified with it).
    public func version(_ number: String) -> FunctionConfiguration? {
        published.first { $0.configuration.version == number }?.configuration
    }

    public func alias(_ name: String) -> AliasConfiguration? {
        aliases.first { $0.name == name }
    }

    /// What a qualifier names: `nil` and `$LATEST` the latest configuration, a number that version, an alias the
    /// version it routes to (`roll`, uniform in `0..<1`, picks between weighted versions; without it the alias's
    /// own version, as reads report). `nil` when the qualifier names nothing.
    public func configuration(
        for qualifier: String?, latest: FunctionConfiguration, roll: Double? = nil
    ) -> FunctionConfiguration? {
        guard let qualifier, qualifier != "$LATEST" else { return latest }
        if AliasValidation.isVersion(qualifier) { return version(qualifier) }
        guard let alias = alias(qualifier) else { return nil }
        let target = roll.map(alias.routedVersion(roll:)) ?? alias.functionVersion
        return target == "$LATEST" ? latest : version(target)
    }

    /// ListVersionsByFunction: `$LATEST` (its ARN qualified, as recorded), then every version by number.
    public func listed(latest: FunctionConfiguration) -> [FunctionConfiguration] {
        [latest.named(arn: latest.unqualifiedFunctionArn + ":$LATEST")] + published.map(\.configuration)
    }

    // MARK: Versions

    /// PublishVersion: checks RevisionId and CodeSha256 against `$LATEST`, then publishes the next number — or
    /// returns the last version when `$LATEST` has not changed since it was published (AWS: "Lambda doesn't
    /// publish a version if the function's configuration and code haven't changed since the last version").
    /// Publishing gives `$LATEST` a new RevisionId (recorded).
    ///
    /// - Returns: the version, and whether it is new.
    public mutating func publish(
        _ request: PublishVersionRequest, latest: inout FunctionConfiguration, newRevisionID: () -> String
    ) throws(AWSError) -> (version: FunctionConfiguration, isNew: Bool) {
        var errors = ValidationErrors()
        errors.checkLength(request.description, 0...256, path: "description")
        try errors.throwIfAny()
        try latest.checkRevision(request.revisionId)
        if let given = request.codeSha256, given != latest.codeSha256 {
            throw .codeSha256Mismatch(given: given, latest: latest.codeSha256)
        }
        if let last = published.last, last.latestRevisionId == latest.revisionId {
            return (last.configuration, false)
        }
        lastNumber += 1
        let version = latest.published(
            number: lastNumber, description: request.description, revisionId: newRevisionID()
        )
        latest.revisionId = newRevisionID()
        published.append(Published(configuration: version, latestRevisionId: latest.revisionId))
        return (version, true)
    }

    /// DeleteFunction with a version number: refused while an alias routes to it; deleting a version that does
    /// not exist is not an error (as AWS answers).
    /// Applies `settle` to every published configuration (whether a runtime can run may change between runs).
    public mutating func resettle(_ settle: (FunctionConfiguration) -> FunctionConfiguration) {
        for index in published.indices {
            published[index].configuration = settle(published[index].configuration)
        }
    }

    public mutating func deleteVersion(_ number: String) throws(AWSError) {
        let referencing = aliases.filter { $0.versions.contains(number) }.map(\.name)
        guard referencing.isEmpty else { throw .versionInUse(aliases: referencing) }
        published.removeAll { $0.configuration.version == number }
    }

    // MARK: Aliases

    /// CreateAlias, once ``AliasValidation`` has checked the request: the version must exist, the name be free, the
    /// routing valid.
    ///
    /// - Parameter functionArn: the unqualified ARN.
    public mutating func createAlias(_ request: CreateAliasRequest, functionArn: String, revisionId: String)
        throws(AWSError) -> AliasConfiguration
    {
        let name = request.name ?? ""
        let functionVersion = request.functionVersion ?? ""
        try checkExists(functionVersion, functionArn: functionArn)
        let arn = functionArn + ":" + name
        guard alias(name) == nil else { throw .aliasExists(arn: arn) }
        try AliasValidation.checkRouting(
            request.routingConfig, functionVersion: functionVersion, functionArn: functionArn,
            exists: { exists($0) }
        )
        let created = AliasConfiguration(
            aliasArn: arn, name: name, functionVersion: functionVersion, description: request.description ?? "",
            revisionId: revisionId, routingConfig: Self.routing(request.routingConfig)
        )
        aliases.append(created)
        aliases.sort { $0.name < $1.name }
        return created
    }

    /// UpdateAlias, once ``AliasValidation`` has checked the request: omitted members keep their values, an empty
    /// `AdditionalVersionWeights` removes the routing, every update gets a new RevisionId (recorded).
    public mutating func updateAlias(
        _ name: String, _ request: UpdateAliasRequest, functionArn: String, revisionId: String
    ) throws(AWSError) -> AliasConfiguration {
        guard let index = aliases.firstIndex(where: { $0.name == name }) else {
            throw .aliasNotFound(arn: functionArn + ":" + name)
        }
        var alias = aliases[index]
        if let expected = request.revisionId, expected != alias.revisionId { throw .revisionMismatch }
        if let version = request.functionVersion {
            try checkExists(version, functionArn: functionArn)
            alias.functionVersion = version
        }
        if let description = request.description { alias.description = description }
        if let routing = request.routingConfig { alias.routingConfig = Self.routing(routing) }
        try AliasValidation.checkRouting(
            alias.routingConfig, functionVersion: alias.functionVersion, functionArn: functionArn,
            exists: { exists($0) }
        )
        alias.revisionId = revisionId
        aliases[index] = alias
        return alias
    }

    /// DeleteAlias.
    public mutating func deleteAlias(_ name: String, functionArn: String) throws(AWSError) {
        guard aliases.contains(where: { $0.name == name }) else {
            throw .aliasNotFound(arn: functionArn + ":" + name)
        }
        aliases.removeAll { $0.name == name }
    }

    private func exists(_ version: String) -> Bool {
        version == "$LATEST" || self.version(version) != nil
    }

    private func checkExists(_ version: String, functionArn: String) throws(AWSError) {
        guard exists(version) else { throw .functionNotFound(arn: "\(functionArn):\(version)") }
    }

    /// An empty weight map is no routing (recorded: it is left out of the response).
    private static func routing(_ routing: AliasRoutingConfiguration?) -> AliasRoutingConfiguration? {
        guard let routing, !routing.additionalVersionWeights.isEmpty else { return nil }
        return routing
    }
}

extension FunctionVersions {
    enum CodingKeys: String, CodingKey { case published, aliases, lastNumber }

    /// Tolerates records written before versions existed (every member optional).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        published = try container.decodeIfPresent([Published].self, forKey: .published) ?? []
        aliases = try container.decodeIfPresent([AliasConfiguration].self, forKey: .aliases) ?? []
        lastNumber = try container.decodeIfPresent(Int.self, forKey: .lastNumber) ?? 0
    }
}
