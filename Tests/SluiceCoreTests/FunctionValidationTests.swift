import Foundation
import Testing

@testable import SluiceCore

/// CreateFunction / UpdateFunctionConfiguration checks (`reference/runtime-api.md` §4, `docs/compatibility.md`),
/// FunctionName forms (`reference/esm-api.md` §8), ARNs (§7) and Lambda's ISO timestamps.
@Suite struct FunctionValidationTests {
    static let identity = RequestIdentity(region: "us-east-1")
    static let role = "arn:aws:iam::000000000000:role/lambda-role"
    static let zip = "UEsDBBQAAAAAABtsfV0vOtrpEgAAABIAAAAJAAAAYm9vdHN0cmFwIyEvYmluL3NoCmVjaG8gaGkKUEsBAhQDFAAAAAAAG2x9XS862uk"
        + "SAAAAEgAAAAkAAAAAAAAAAAAAAIABAAAAAGJvb3RzdHJhcFBLBQYAAAAAAQABADcAAAA5AAAAAAA="
    static let now = Timestamp(millisecondsSinceEpoch: 1_732_528_800_123)
    static let namespacedPattern = #"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?"#
        + #"(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"#
    static let functionNamePattern = #"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?"#
        + #"(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"#

    static func createJSON(_ extra: String = "", name: String = "my-fn") -> String {
        #"{"FunctionName":"\#(name)","Runtime":"provided.al2023","Role":"\#(role)","Handler":"bootstrap","#
            + #""Code":{"ZipFile":"\#(zip)"}\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    static func created(_ json: String = createJSON()) throws -> FunctionConfiguration {
        let request = try decode(CreateFunctionRequest.self, json)
        let reference = try FunctionConfiguration.validate(request, identity: identity)
        let facts = FunctionConfiguration.CodeFacts(sha256Base64: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=", size: 134)
        return FunctionConfiguration(creating: request, reference: reference, code: facts, now: now, revisionId: "rev-1")
    }

    static func violation(_ value: String, _ path: String, _ rule: String) -> AWSError {
        .validation("1 validation error detected: Value '\(value)' at '\(path)' failed to satisfy constraint: Member must \(rule)")
    }

    // MARK: FunctionReference (§8)

    @Test(arguments: [
        ("my-fn", FunctionReference(region: "us-east-1", account: "000000000000", name: "my-fn")),
        ("my-fn:$LATEST", .init(region: "us-east-1", account: "000000000000", name: "my-fn", qualifier: "$LATEST")),
        ("my-fn:12", .init(region: "us-east-1", account: "000000000000", name: "my-fn", qualifier: "12")),
        ("my_fn:live-1", .init(region: "us-east-1", account: "000000000000", name: "my_fn", qualifier: "live-1")),
        ("123456789012:function:my-fn", .init(region: "us-east-1", account: "123456789012", name: "my-fn")),
        ("123456789012:function:my-fn:prod", .init(region: "us-east-1", account: "123456789012", name: "my-fn", qualifier: "prod")),
        ("eu-west-1:123456789012:function:my-fn", .init(region: "eu-west-1", account: "123456789012", name: "my-fn")),
        ("arn:aws:lambda:eu-west-1:123456789012:function:my-fn", .init(region: "eu-west-1", account: "123456789012", name: "my-fn")),
        ("arn:aws:lambda:us-gov-west-1:123456789012:function:f:3", .init(region: "us-gov-west-1", account: "123456789012", name: "f", qualifier: "3")),
        ("arn:aws-cn:lambda:cn-north-1:123456789012:function:f", .init(region: "cn-north-1", account: "123456789012", name: "f")),
    ] as [(String, FunctionReference)])
    func parsesEveryFunctionNameForm(text: String, expected: FunctionReference) throws {
        #expect(try FunctionReference(parsing: text, identity: Self.identity) == expected)
        #expect(try FunctionReference(parsing: text, identity: Self.identity, maxLength: 256) == expected)
    }

    @Test func arnKeepsTheQualifierAndUnqualifiedArnDropsIt() throws {
        let reference = try FunctionReference(parsing: "my-fn:$LATEST", identity: Self.identity)
        #expect(reference.arn == "arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST")
        #expect(reference.unqualifiedArn == "arn:aws:lambda:us-east-1:000000000000:function:my-fn")
        #expect(reference.isLatest)
        #expect(try !FunctionReference(parsing: "my-fn:prod", identity: Self.identity).isLatest)
        #expect(try FunctionReference(parsing: "my-fn", identity: Self.identity).isLatest)
    }

    @Test(arguments: ["my.fn", "my-fn:$LATEST.PUBLISHED"])
    func dotsAndPublishedAreAllowedOnlyInTheMappingForm(text: String) throws {
        #expect(throws: Self.violation(text, "functionName", "satisfy regular expression pattern: \(Self.functionNamePattern)")) {
            try FunctionReference(parsing: text, identity: Self.identity)
        }
        #expect(try FunctionReference(parsing: text, identity: Self.identity, maxLength: 256).name.hasPrefix("my"))
    }

    @Test(arguments: [
        "my fn", "my-fn:prod:extra", "my-fn:", ":my-fn", "12345:function:my-fn", "arn:aws:lambda:us-east-1:000000000000:function:",
        "arn:aws:s3:us-east-1:000000000000:function:f", "arn:aws:lambda:US-EAST-1:000000000000:function:f",
        "arn:aws:lambda:us-east-1:000000000000:layer:f", "my-fn:pr*d",
    ])
    func rejectsMalformedNamesWithThePatternOfTheMemberPath(text: String) {
        #expect(throws: Self.violation(text, "functionName", "satisfy regular expression pattern: \(Self.namespacedPattern)")) {
            try FunctionReference(parsing: text, identity: Self.identity, maxLength: 256)
        }
    }

    @Test func nameFormIsLimitedTo64CharactersWithTheRecordedText() throws {
        let name64 = String(repeating: "a", count: 64)
        #expect(try FunctionReference(parsing: name64, identity: Self.identity).name == name64)
        let name65 = name64 + "b"
        let error = #expect(throws: AWSError.self) { try FunctionReference(parsing: name65, identity: Self.identity, maxLength: 256) }
        #expect(error?.message == "1 validation error detected: Value '\(name65)' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64")
        #expect(error?.code == "InvalidParameterValueException", "esm-api.md §5: recorded as InvalidParameterValueException")
        #expect(error?.status == 400)
    }

    @Test(arguments: [(140, 140), (256, 256)])
    func arnFormsAreLimitedByTheApiMaximum(maxLength: Int, limit: Int) throws {
        let prefix = "arn:aws:lambda:us-east-1:000000000000:function:"
        let atLimit = prefix + String(repeating: "f", count: limit - prefix.count)
        #expect(try FunctionReference(parsing: atLimit, identity: Self.identity, maxLength: maxLength).name.count == limit - 47)
        let over = atLimit + "f"
        #expect(throws: Self.violation(over, "functionName", "have length less than or equal to \(limit)")) {
            try FunctionReference(parsing: over, identity: Self.identity, maxLength: maxLength)
        }
        #expect(throws: Self.violation("", "functionName", "have length greater than or equal to 1")) {
            try FunctionReference(parsing: "", identity: Self.identity, maxLength: maxLength)
        }
    }

    // MARK: CreateFunction validation

    @Test(arguments: ["my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn", "000000000000:function:my-fn"])
    func createAcceptsEveryUnqualifiedNameForm(name: String) throws {
        let request = try Self.decode(CreateFunctionRequest.self, Self.createJSON(name: name))
        let reference = try FunctionConfiguration.validate(request, identity: Self.identity)
        #expect(reference == FunctionReference(region: "us-east-1", account: "000000000000", name: "my-fn"))
    }

    @Test(arguments: [
        (#""Timeout":0"#, violation("0", "timeout", "have value greater than or equal to 1")),
        (#""Timeout":901"#, violation("901", "timeout", "have value less than or equal to 900")),
        (#""MemorySize":127"#, violation("127", "memorySize", "have value greater than or equal to 128")),
        (#""MemorySize":10241"#, violation("10241", "memorySize", "have value less than or equal to 10240")),
        (#""EphemeralStorage":{"Size":511}"#, violation("511", "ephemeralStorage.size", "have value greater than or equal to 512")),
        (#""EphemeralStorage":{"Size":10241}"#, violation("10241", "ephemeralStorage.size", "have value less than or equal to 10240")),
        (#""Architectures":["sparc"]"#, violation("[sparc]", "architectures", "satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")),
        (#""Architectures":["x86_64","arm64"]"#, violation("[x86_64, arm64]", "architectures", "have length less than or equal to 1")),
        (#""PackageType":"Jar""#, violation("Jar", "packageType", "satisfy enum value set: [Zip, Image]")),
    ] as [(String, AWSError)])
    func createRejectsMembersOutsideTheModel(member: String, error: AWSError) {
        #expect(throws: error) { try Self.created(Self.createJSON(member)) }
    }

    @Test func createReportsEveryViolationInOneMessage() {
        let json = #"{"FunctionName":"my fn","Role":"not-a-role","Handler":"a b","Timeout":0,"Code":{"ZipFile":"\#(Self.zip)"}}"#
        #expect(throws: AWSError.validation(
            "4 validation errors detected: "
                + "Value 'my fn' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(Self.functionNamePattern); "
                + #"Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+; "#
                + #"Value 'a b' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\s]+; "#
                + "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )) { try Self.created(json) }
    }

    @Test func createWithoutRoleReportsAnUnquotedNull() {
        let json = #"{"FunctionName":"my-fn","Runtime":"provided.al2023","Handler":"bootstrap","Code":{"ZipFile":"\#(Self.zip)"}}"#
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null"
        )) { try Self.created(json) }
    }

    @Test(arguments: [
        (#"{"FunctionName":"f","Role":"\#(role)","Handler":"bootstrap"}"#, "Runtime and Handler are mandatory parameters for functions created with deployment packages."),
        (#"{"FunctionName":"f","Role":"\#(role)","Runtime":"python3.12"}"#, "Runtime and Handler are mandatory parameters for functions created with deployment packages."),
        (#"{"FunctionName":"f","Role":"\#(role)","PackageType":"Image"}"#, "Sluice runs Zip functions only; container images are not supported."),
        (#"{"FunctionName":"f","Role":"\#(role)","Code":{"ImageUri":"repo:latest"}}"#, "Sluice runs Zip functions only; container images are not supported."),
    ])
    func createRefusesPackagesSluiceCannotRun(json: String, message: String) {
        #expect(throws: AWSError.invalidParameterValue(message)) {
            try FunctionConfiguration.validate(Self.decode(CreateFunctionRequest.self, json), identity: Self.identity)
        }
    }

    // MARK: Runtime

    @Test(arguments: ["provided.al2023", "provided.al2", "provided", "python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "ruby3.3", "dotnet8"])
    func acceptsCurrentRuntimes(runtime: String) throws {
        try Runtime.validate(runtime)
    }

    @Test(arguments: ["python2.7", "python3.8", "nodejs16.x", "nodejs", "java8", "dotnet6", "dotnetcore3.1", "go1.x", "ruby2.7"])
    func refusesRuntimesAWSNoLongerAccepts(runtime: String) {
        #expect(throws: AWSError.invalidParameterValue(
            "The runtime parameter of \(runtime) is no longer supported for creating or updating AWS Lambda functions. "
                + "We recommend you use a supported runtime while creating or updating functions."
        )) { try Runtime.validate(runtime) }
    }

    @Test func unknownRuntimeListsTheWholeEnum() {
        #expect(throws: AWSError.invalidParameterValue(
            "Value cobol85 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs, "
                + "nodejs4.3, nodejs6.10, nodejs8.10, nodejs10.x, nodejs12.x, nodejs14.x, nodejs16.x, java8, java8.al2, "
                + "java11, python2.7, python3.6, python3.7, python3.8, python3.9, dotnetcore1.0, dotnetcore2.0, "
                + "dotnetcore2.1, dotnetcore3.1, dotnet6, dotnet8, nodejs4.3-edge, go1.x, ruby2.5, ruby2.7, provided, "
                + "provided.al2, nodejs18.x, python3.10, java17, ruby3.2, ruby3.3, ruby3.4, python3.11, nodejs20.x, "
                + "provided.al2023, python3.12, java21, python3.13, nodejs22.x, nodejs24.x, python3.14, java25, dotnet10, "
                + "ruby4.0]"
        )) { try Runtime.validate("cobol85") }
    }

    // MARK: Environment

    static let reservedPrefix = "Lambda was unable to configure your environment variables because the environment variables "
        + "you have provided contains reserved keys that are currently not supported for modification. "
        + "Reserved keys used in this request: "

    @Test(arguments: [
        (#"{"AWS_REGION":"x"}"#, "AWS_REGION"),
        (#"{"AWS_EXECUTION_ENV":"x","OK_KEY":"y"}"#, "AWS_EXECUTION_ENV"),
        (#"{"AWS_SECRET_ACCESS_KEY":"x","AWS_ACCESS_KEY_ID":"y"}"#, "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"),
        (#"{"AWS_LAMBDA_RUNTIME_API":"x"}"#, "AWS_LAMBDA_RUNTIME_API"),
    ])
    func reservedEnvironmentKeysAreRefused(variables: String, keys: String) {
        #expect(throws: AWSError.invalidParameterValue(Self.reservedPrefix + keys)) {
            try Self.created(Self.createJSON(#""Environment":{"Variables":\#(variables)}"#))
        }
    }

    /// The model's key pattern fails before the reserved-key check, so `_HANDLER` and `_X_AMZN_TRACE_ID` never reach
    /// it. The shapes are `sensitive`, so the message names no value, and map keys use Coral's "Map keys" wording.
    @Test(arguments: ["1A", "_HANDLER", "A", "MY-KEY"])
    func environmentKeyOutsideThePatternIsAValidationException(key: String) {
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must "
                + "satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"
        )) { try Self.created(Self.createJSON(#""Environment":{"Variables":{"\#(key)":"x"}}"#)) }
    }

    @Test func environmentOf4096BytesMeasuredAsJSONIsAccepted() throws {
        let value = String(repeating: "v", count: 4096 - #"{"AB":""}"#.utf8.count)
        let function = try Self.created(Self.createJSON(#""Environment":{"Variables":{"AB":"\#(value)"}}"#))
        #expect(function.environment?.variables == ["AB": value])
    }

    @Test func environmentOver4KBIsRefusedQuotingTheJSONAWSMeasures() {
        let value = String(repeating: "v", count: 4097 - #"{"AB":""}"#.utf8.count)
        #expect(throws: AWSError.invalidParameterValue(
            "Lambda was unable to configure your environment variables because the environment variables you have "
                + #"provided exceeded the 4KB limit. String measured: {"AB":"\#(value)"}"#
        )) { try Self.created(Self.createJSON(#""Environment":{"Variables":{"AB":"\#(value)"}}"#)) }
    }

    // MARK: Created function

    @Test func createdFunctionHasTheRecordedDefaults() throws {
        let function = try Self.created()
        #expect(function.functionName == "my-fn")
        #expect(function.functionArn == "arn:aws:lambda:us-east-1:000000000000:function:my-fn")
        #expect(function.timeout == 3)
        #expect(function.memorySize == 128)
        #expect(function.architectures == ["x86_64"])
        #expect(function.ephemeralStorage == .init(size: 512))
        #expect(function.tracingConfig == .init(mode: "PassThrough"))
        #expect(function.loggingConfig == .init(logFormat: "Text", logGroup: "/aws/lambda/my-fn"))
        #expect(function.snapStart == .init())
        #expect(function.description == "")
        #expect(function.version == "$LATEST")
        #expect(function.packageType == "Zip")
        #expect(function.environment == nil)
        #expect(function.lastModified == "2024-11-25T10:00:00.123+0000")
        #expect(function.revisionId == "rev-1")
        #expect(function.codeSize == 134)
        #expect(function.state == "Pending")
        #expect(function.stateReason == "The function is being created.")
        #expect(function.stateReasonCode == "Creating")
        let settled = function.settledAfterCreate()
        #expect(settled.state == "Active")
        #expect(settled.stateReason == nil)
        #expect(settled.stateReasonCode == nil)
    }

    @Test func createdFunctionEchoesAnEmptyEnvironmentAsEmptyVariables() throws {
        let function = try Self.created(Self.createJSON(#""Environment":{}"#))
        let json = String(decoding: try JSONEncoder().encode(function), as: UTF8.self)
        #expect(try JSONValue(parsing: json)["Environment"] == ["Variables": [:]])
    }

    @Test func createdFunctionKeepsTheRequestedSettingsAtTheirBounds() throws {
        let function = try Self.created(Self.createJSON(
            #""Timeout":900,"MemorySize":10240,"EphemeralStorage":{"Size":10240},"Architectures":["arm64"],"Description":"d""#
        ))
        #expect([function.timeout, function.memorySize, function.ephemeralStorage.size] == [900, 10240, 10240] as [Int])
        #expect(function.architectures == ["arm64"])
        #expect(function.description == "d")
        let smallest = try Self.created(Self.createJSON(#""Timeout":1,"MemorySize":128,"EphemeralStorage":{"Size":512}"#))
        #expect([smallest.timeout, smallest.memorySize, smallest.ephemeralStorage.size] == [1, 128, 512] as [Int])
    }

    // MARK: UpdateFunctionConfiguration

    static let later = Timestamp(millisecondsSinceEpoch: 1_732_528_860_000)

    @Test func updateWithAStaleRevisionIdFailsThePrecondition() throws {
        let function = try Self.created()
        var updated = function
        #expect(throws: AWSError(
            code: "PreconditionFailedException",
            message: "The Revision Id provided does not match the latest Revision Id. "
                + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
            status: 412, fault: .client, messageKey: .capitalized
        )) {
            try updated.apply(Self.decode(UpdateFunctionConfigurationRequest.self, #"{"RevisionId":"stale","Timeout":9}"#), now: Self.later, revisionId: "rev-2")
        }
        #expect(updated == function)
    }

    @Test(arguments: [#"{"RevisionId":"rev-1","Timeout":9}"#, #"{"Timeout":9}"#])
    func updateAppliesNamedMembersAndStampsTheRevision(json: String) throws {
        var function = try Self.created(Self.createJSON(#""Description":"kept","MemorySize":256"#))
        try function.apply(Self.decode(UpdateFunctionConfigurationRequest.self, json), now: Self.later, revisionId: "rev-2")
        #expect(function.timeout == 9)
        #expect(function.description == "kept")
        #expect(function.memorySize == 256)
        #expect(function.revisionId == "rev-2")
        #expect(function.lastModified == "2024-11-25T10:01:00.000+0000")
    }

    @Test(arguments: [
        (#"{"Timeout":0}"#, violation("0", "timeout", "have value greater than or equal to 1")),
        (#"{"Timeout":901}"#, violation("901", "timeout", "have value less than or equal to 900")),
        (#"{"MemorySize":10241}"#, violation("10241", "memorySize", "have value less than or equal to 10240")),
        (#"{"Runtime":"python3.7"}"#, .invalidParameterValue("The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.")),
        (#"{"Environment":{"Variables":{"AWS_REGION":"x"}}}"#, .invalidParameterValue(reservedPrefix + "AWS_REGION")),
    ] as [(String, AWSError)])
    func updateRefusesWhatCreateRefusesAndChangesNothing(json: String, error: AWSError) throws {
        let function = try Self.created()
        var updated = function
        #expect(throws: error) {
            try updated.apply(Self.decode(UpdateFunctionConfigurationRequest.self, json), now: Self.later, revisionId: "rev-2")
        }
        #expect(updated == function)
    }

    @Test func emptyKMSKeyArnRemovesTheKey() throws {
        var function = try Self.created(Self.createJSON(#""KMSKeyArn":"arn:aws:kms:us-east-1:000000000000:key/k""#))
        #expect(function.kmsKeyArn == "arn:aws:kms:us-east-1:000000000000:key/k")
        try function.apply(Self.decode(UpdateFunctionConfigurationRequest.self, #"{"KMSKeyArn":""}"#), now: Self.later, revisionId: "rev-2")
        #expect(function.kmsKeyArn == nil)
    }

    // MARK: Code

    @Test(arguments: [
        (#"{"ZipFile":"\#(zip)"}"#, 134),
        (#"{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}"#, 22),
    ])
    func zipArchiveDecodesAZipFile(code: String, size: Int) throws {
        #expect(try FunctionValidation.zipArchive(from: Self.decode(FunctionCode.self, code)).count == size)
    }

    @Test(arguments: [
        (#"{"ImageUri":"repo:latest"}"#, AWSError.invalidParameterValue("Sluice runs Zip functions only; container images are not supported.")),
        (#"{"S3Bucket":"b","S3Key":"k"}"#, .invalidParameterValue("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist")),
        ("{}", .invalidParameterValue("Please provide a source for function code.")),
        (#"{"ZipFile":"not base64!"}"#, .invalidRequestContent("Could not parse request body into json: ZipFile is not valid base64")),
        (#"{"ZipFile":"aGVsbG8gd29ybGQ="}"#, .invalidParameterValue("Could not unzip uploaded file. Please check your file, then try to upload again.")),
        (#"{"ZipFile":"UEsDBAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}"#, .invalidParameterValue("Could not unzip uploaded file. Please check your file, then try to upload again.")),
    ] as [(String, AWSError)])
    func zipArchiveRefusesEveryOtherSource(code: String, error: AWSError) {
        #expect(throws: error) { try FunctionValidation.zipArchive(from: Self.decode(FunctionCode.self, code)) }
    }

    @Test func missingCodeIsAValidationException() {
        #expect(throws: AWSError.validation(
            "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null"
        )) { try FunctionValidation.zipArchive(from: nil) }
    }

    // MARK: Timestamps and ARNs

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000+0000"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999+0000"),
        (1_732_528_800_123, "2024-11-25T10:00:00.123+0000"),
        (951_868_800_000, "2000-03-01T00:00:00.000+0000"),
        (4_107_499_200_500, "2100-02-28T12:00:00.500+0000"),
        (-1, "1969-12-31T23:59:59.999+0000"),
    ])
    func lambdaISO8601RendersMillisecondsAndUTCOffset(milliseconds: Int64, text: String) {
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).lambdaISO8601 == text)
    }

    @Test func secondsAndMillisecondsConvertBothWays() {
        #expect(Timestamp(secondsSinceEpoch: 1_732_528_800.123).millisecondsSinceEpoch == 1_732_528_800_123)
        #expect(Timestamp(millisecondsSinceEpoch: 1_732_528_800_123).secondsSinceEpoch == 1_732_528_800.123)
    }

    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:000000000000:q.fifo", ARN(service: "sqs", region: "us-east-1", account: "000000000000", resource: "q.fifo")),
        ("arn:aws:s3:::bucket", ARN(service: "s3", region: "", account: "", resource: "bucket")),
        ("arn:aws:iam::000000000000:role/a/b", ARN(service: "iam", region: "", account: "000000000000", resource: "role/a/b")),
        ("arn:aws:lambda:us-east-1:000000000000:function:f:1", ARN(service: "lambda", region: "us-east-1", account: "000000000000", resource: "function:f:1")),
        ("arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-11-25T10:00:00.123",
         ARN(service: "dynamodb", region: "us-east-1", account: "000000000000", resource: "table/t/stream/2024-11-25T10:00:00.123")),
        ("arn:aws-us-gov:kinesis:us-gov-west-1:000000000000:stream/s",
         ARN(partition: "aws-us-gov", service: "kinesis", region: "us-gov-west-1", account: "000000000000", resource: "stream/s")),
    ] as [(String, ARN)])
    func parsesArnsAndPrintsThemBack(text: String, expected: ARN) {
        #expect(ARN(text) == expected)
        #expect(ARN(text)?.description == text)
    }

    @Test(arguments: [
        "", "arn", "arn:aws:sqs:us-east-1:000000000000", "urn:aws:sqs:us-east-1:000000000000:q",
        "arn:gcp:sqs:us-east-1:000000000000:q", "arn:aws::us-east-1:000000000000:q", "arn:aws:sqs:useast1:000000000000:q",
        "arn:aws:sqs:us-east-1:0000:q", "arn:aws:sqs:US-EAST-1:000000000000:q", "arn:aws:s_3:us-east-1:000000000000:q",
    ])
    func rejectsTextThatIsNotAnArn(text: String) {
        #expect(ARN(text) == nil)
    }
}
