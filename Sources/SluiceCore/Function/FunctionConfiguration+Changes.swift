/// How CreateFunction, UpdateFunctionConfiguration and UpdateFunctionCode change a configuration.
extension FunctionConfiguration {
    /// What the runtime learned about the uploaded code.
    public struct CodeFacts: Sendable, Equatable {
        /// Base64 of the SHA-256 of the zip, as AWS reports `CodeSha256`.
        public var sha256Base64: String
        public var size: Int

        public init(sha256Base64: String, size: Int) {
            self.sha256Base64 = sha256Base64
            self.size = size
        }
    }

    /// Validates a CreateFunction request's members, in AWS's order; returns the function it names.
    ///
    /// The code itself is checked by ``FunctionValidation/zipArchive(from:)``.
    public static func validate(_ request: CreateFunctionRequest, identity: RequestIdentity) throws(AWSError)
        -> FunctionReference
    {
        var errors = ValidationErrors()
        if (1...140).contains(request.functionName.count), !FunctionReference.matchesPattern(request.functionName) {
            errors.add(
                value: request.functionName, path: "functionName",
                rule: "satisfy regular expression pattern: \(FunctionReference.functionNamePattern)"
            )
        }
        FunctionValidation.checkMembers(
            role: request.role, handler: request.handler, description: request.description,
            timeout: request.timeout, memorySize: request.memorySize, ephemeralStorage: request.ephemeralStorage,
            errors: &errors
        )
        if request.role == nil {
            errors.addMissing(path: "role")
        }
        FunctionValidation.checkArchitectures(request.architectures, errors: &errors)
        errors.checkEnum(request.packageType, ["Zip", "Image"], path: "packageType")
        try errors.throwIfAny()
        let reference = try FunctionReference(parsing: request.functionName, identity: identity)
        guard reference.qualifier == nil else {
            throw .invalidParameterValue("Unsupported qualifier in function name: \(request.functionName)")
        }
        if request.packageType == "Image" || request.code?.imageUri != nil { throw FunctionValidation.imagesUnsupported }
        guard let runtime = request.runtime, request.handler != nil else {
            throw .invalidParameterValue(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages."
            )
        }
        try Runtime.validate(runtime)
        try FunctionValidation.checkEnvironment(request.environment)
        return reference
    }

    /// The `$LATEST` configuration of a new function. The response of CreateFunction shows it `Pending`;
    /// ``settledAfterCreate()`` gives the stored, `Active` form.
    public init(
        creating request: CreateFunctionRequest, reference: FunctionReference, code: CodeFacts, now: Timestamp,
        revisionId: String
    ) {
        self.init(
            functionName: reference.name, functionArn: reference.unqualifiedArn, runtime: request.runtime,
            role: request.role ?? "", handler: request.handler, codeSize: code.size,
            description: request.description ?? "", timeout: request.timeout ?? 3,
            memorySize: request.memorySize ?? 128, lastModified: now.lambdaISO8601,
            codeSha256: code.sha256Base64, version: "$LATEST",
            environment: request.environment.map { Environment(variables: $0.variables ?? [:]) },
            tracingConfig: request.tracingConfig ?? TracingConfig(), revisionId: revisionId, state: "Pending",
            stateReason: "The function is being created.", stateReasonCode: "Creating",
            lastUpdateStatus: "Successful", packageType: "Zip", architectures: request.architectures ?? ["x86_64"],
            ephemeralStorage: request.ephemeralStorage ?? EphemeralStorage(), snapStart: SnapStartResponse(),
            loggingConfig: LoggingConfig(logGroup: "/aws/lambda/\(reference.name)"),
            deadLetterConfig: request.deadLetterConfig, kmsKeyArn: request.kmsKeyArn, layers: nil,
            runtimeVersionConfig: request.runtime.map {
                RuntimeVersionConfig(runtimeVersionArn: Runtime.versionArn($0, region: reference.region))
            }
        )
    }

    /// The configuration once creation (or an update) has finished: `Active`, no state reason; or `Failed` with
    /// `InvalidRuntime` when the machine cannot run the runtime (issue 4, item 3).
    public func settledAfterCreate(runtimeProblem: String? = nil) -> FunctionConfiguration {
        var settled = self
        if let runtimeProblem {
            settled.state = "Failed"
            settled.stateReason = runtimeProblem
            settled.stateReasonCode = "InvalidRuntime"
        } else {
            settled.state = "Active"
            settled.stateReason = nil
            settled.stateReasonCode = nil
        }
        return settled
    }

    /// The state again after a restart: a function that was `Active` or `Failed` for its runtime is `Failed` or
    /// `Active` as the machine's interpreters now allow; other states stay.
    public func resettled(runtimeProblem: String?) -> FunctionConfiguration {
        guard state == "Active" || stateReasonCode == "InvalidRuntime" else { return self }
        return settledAfterCreate(runtimeProblem: runtimeProblem)
    }

    /// The form an update response shows (`LastUpdateStatus` `InProgress`), as AWS answers updates.
    public func inProgressUpdate() -> FunctionConfiguration {
        var shown = self
        shown.lastUpdateStatus = "InProgress"
        shown.lastUpdateStatusReason = "The function is being updated."
        shown.lastUpdateStatusReasonCode = "InProgress"
        return shown
    }

    /// Applies UpdateFunctionConfiguration; omitted members keep their values.
    public mutating func apply(_ update: UpdateFunctionConfigurationRequest, now: Timestamp, revisionId: String)
        throws(AWSError)
    {
        try checkRevision(update.revisionId)
        var errors = ValidationErrors()
        FunctionValidation.checkMembers(
            role: update.role, handler: update.handler, description: update.description, timeout: update.timeout,
            memorySize: update.memorySize, ephemeralStorage: update.ephemeralStorage, errors: &errors
        )
        try errors.throwIfAny()
        if let runtime = update.runtime { try Runtime.validate(runtime) }
        try FunctionValidation.checkEnvironment(update.environment)
        if let role = update.role { self.role = role }
        if let handler = update.handler { self.handler = handler }
        if let description = update.description { self.description = description }
        if let timeout = update.timeout { self.timeout = timeout }
        if let memorySize = update.memorySize { self.memorySize = memorySize }
        if let environment = update.environment { self.environment = Environment(variables: environment.variables ?? [:]) }
        if let runtime = update.runtime {
            self.runtime = runtime
            let region = ARN(functionArn)?.region ?? ""
            runtimeVersionConfig = RuntimeVersionConfig(runtimeVersionArn: Runtime.versionArn(runtime, region: region))
        }
        if let ephemeralStorage = update.ephemeralStorage { self.ephemeralStorage = ephemeralStorage }
        if let tracingConfig = update.tracingConfig { self.tracingConfig = tracingConfig }
        if let deadLetterConfig = update.deadLetterConfig { self.deadLetterConfig = deadLetterConfig }
        if let kmsKeyArn = update.kmsKeyArn { self.kmsKeyArn = kmsKeyArn.isEmpty ? nil : kmsKeyArn }
        touch(now: now, revisionId: revisionId)
    }

    /// Validates UpdateFunctionCode's members other than the code.
    public func validateCodeUpdate(_ update: UpdateFunctionCodeRequest) throws(AWSError) {
        try checkRevision(update.revisionId)
        var errors = ValidationErrors()
        FunctionValidation.checkArchitectures(update.architectures, errors: &errors)
        try errors.throwIfAny()
    }

    /// Replaces the code of `$LATEST`.
    public mutating func replaceCode(_ code: CodeFacts, architectures: [String]?, now: Timestamp, revisionId: String) {
        codeSha256 = code.sha256Base64
        codeSize = code.size
        if let architectures { self.architectures = architectures }
        touch(now: now, revisionId: revisionId)
    }

    private mutating func touch(now: Timestamp, revisionId: String) {
        lastModified = now.lambdaISO8601
        self.revisionId = revisionId
    }

    func checkRevision(_ expected: String?) throws(AWSError) {
        guard let expected, expected != revisionId else { return }
        throw .revisionMismatch
    }
}
