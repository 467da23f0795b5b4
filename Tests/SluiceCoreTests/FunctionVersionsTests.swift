import Foundation
import Testing

@testable import SluiceCore

/// PublishVersion, DeleteFunction of a version and the alias rules (``FunctionVersions``), with AWS's texts.
@Suite struct FunctionVersionsTests {
    static let arn = "arn:aws:lambda:us-east-1:000000000000:function:f"

    /// An `Active` `$LATEST` with RevisionId `rev-0`.
    static func latest() -> FunctionConfiguration {
        let json = #"{"FunctionName":"f","Runtime":"python3.12","Role":"arn:aws:iam::000000000000:role/r","#
            + #""Handler":"handler.handler","Description":"latest"}"#
        let request = try! JSONDecoder().decode(CreateFunctionRequest.self, from: Data(json.utf8))
        return FunctionConfiguration(
            creating: request, reference: FunctionReference(region: "us-east-1", account: "000000000000", name: "f"),
            code: .init(sha256Base64: "c2hhLTE=", size: 10), now: Timestamp(millisecondsSinceEpoch: 0),
            revisionId: "rev-0"
        ).settledAfterCreate()
    }

    /// Revision ids `r1`, `r2`, … in order.
    final class Revisions: @unchecked Sendable {
        var count = 0
        func next() -> String {
            count += 1
            return "r\(count)"
        }
    }

    /// Versions 1…`count`, each after a change of `$LATEST`'s description.
    static func published(_ count: Int) throws -> (FunctionVersions, FunctionConfiguration) {
        var versions = FunctionVersions()
        var latest = latest()
        let revisions = Revisions()
        for index in 1...count {
            latest.description = "change \(index)"
            latest.revisionId = "change-\(index)"
            _ = try versions.publish(PublishVersionRequest(), latest: &latest, newRevisionID: revisions.next)
        }
        return (versions, latest)
    }

    static func alias(_ name: String, _ version: String, weights: [String: Double]? = nil) -> CreateAliasRequest {
        CreateAliasRequest(
            name: name, functionVersion: version, routingConfig: weights.map(AliasRoutingConfiguration.init)
        )
    }

    // MARK: PublishVersion

    @Test func publishesVersionOneWithAQualifiedArnAndItsOwnRevision() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        let revisions = Revisions()
        let (version, isNew) = try versions.publish(
            PublishVersionRequest(), latest: &latest, newRevisionID: revisions.next
        )
        #expect(isNew)
        #expect(version.version == "1")
        #expect(version.functionArn == Self.arn + ":1")
        #expect(version.revisionId == "r1")
        #expect(version.description == "latest")
        #expect(version.codeSha256 == "c2hhLTE=")
    }

    @Test func publishingGivesLatestANewRevisionId() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        _ = try versions.publishing(PublishVersionRequest(), &latest)
        #expect(latest.revisionId == "r2")
        #expect(latest.version == "$LATEST")
    }

    @Test func publishingUnchangedLatestReturnsTheLastVersion() throws {
        var (versions, latest) = try Self.published(1)
        let again = try versions.publish(
            PublishVersionRequest(description: "ignored"), latest: &latest, newRevisionID: Revisions().next
        )
        #expect(!again.isNew)
        #expect(again.version.version == "1")
        #expect(again.version.description == "change 1")
        #expect(versions.published.count == 1)
    }

    @Test func publishingAfterAChangeTakesTheNextNumber() throws {
        let (versions, _) = try Self.published(3)
        #expect(versions.published.map(\.configuration.version) == ["1", "2", "3"])
        #expect(versions.version("2")?.description == "change 2")
    }

    @Test func descriptionOfPublishVersionNamesTheVersion() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        let version = try versions.publish(
            PublishVersionRequest(description: "release"), latest: &latest, newRevisionID: Revisions().next
        ).version
        #expect(version.description == "release")
        #expect(latest.description == "latest")
    }

    @Test func numbersAreNotReusedAfterADeletion() throws {
        var (versions, latest) = try Self.published(2)
        try versions.deleteVersion("2")
        latest.revisionId = "changed-again"
        let next = try versions.publishing(PublishVersionRequest(), &latest)
        #expect(next.version.version == "3")
        #expect(versions.published.map(\.configuration.version) == ["1", "3"])
    }

    @Test func staleRevisionIdIsRefused() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        #expect(throws: AWSError.revisionMismatch) {
            try versions.publishing(PublishVersionRequest(revisionId: "old"), &latest)
        }
        #expect(versions.published.isEmpty)
    }

    @Test func codeSha256OtherThanLatestsIsRefused() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        #expect(
            throws: AWSError.invalidParameterValue(
                "CodeSHA256 (wrong) is different from current CodeSHA256 in $LATEST (c2hhLTE=). "
                    + "Please try again with the CodeSHA256 in $LATEST."
            )
        ) {
            try versions.publishing(PublishVersionRequest(codeSha256: "wrong"), &latest)
        }
    }

    @Test func descriptionLongerThan256IsAValidationError() throws {
        var versions = FunctionVersions()
        var latest = Self.latest()
        let long = String(repeating: "d", count: 257)
        #expect(
            throws: AWSError.validation(
                "1 validation error detected: Value '\(long)' at 'description' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 256"
            )
        ) {
            try versions.publishing(PublishVersionRequest(description: long), &latest)
        }
    }

    // MARK: Resolution

    @Test func qualifiersResolveToLatestVersionsAndAliases() throws {
        let (initial, latest) = try Self.published(2)
        var versions = initial
        _ = try versions.create(Self.alias("prod", "1"), "a1")
        _ = try versions.create(Self.alias("edge", "$LATEST"), "a2")
        #expect(versions.configuration(for: nil, latest: latest)?.version == "$LATEST")
        #expect(versions.configuration(for: "$LATEST", latest: latest)?.version == "$LATEST")
        #expect(versions.configuration(for: "2", latest: latest)?.version == "2")
        #expect(versions.configuration(for: "prod", latest: latest)?.version == "1")
        #expect(versions.configuration(for: "edge", latest: latest)?.version == "$LATEST")
        #expect(versions.configuration(for: "9", latest: latest) == nil)
        #expect(versions.configuration(for: "staging", latest: latest) == nil)
    }

    @Test func weightedAliasRoutesByTheRoll() throws {
        let (initial, latest) = try Self.published(2)
        var versions = initial
        _ = try versions.create(Self.alias("canary", "1", weights: ["2": 0.25]), "a")
        #expect(versions.configuration(for: "canary", latest: latest, roll: 0.0)?.version == "2")
        #expect(versions.configuration(for: "canary", latest: latest, roll: 0.2499)?.version == "2")
        #expect(versions.configuration(for: "canary", latest: latest, roll: 0.25)?.version == "1")
        #expect(versions.configuration(for: "canary", latest: latest, roll: 0.99)?.version == "1")
        #expect(versions.configuration(for: "canary", latest: latest)?.version == "1")
    }

    @Test func listingPutsLatestFirstWithAQualifiedArn() throws {
        let (versions, latest) = try Self.published(2)
        let listed = versions.listed(latest: latest)
        #expect(listed.map(\.version) == ["$LATEST", "1", "2"])
        #expect(listed.map(\.functionArn) == [Self.arn + ":$LATEST", Self.arn + ":1", Self.arn + ":2"])
    }

    // MARK: DeleteFunction of a version

    @Test func deletingAVersionAnAliasPointsAtIsRefused() throws {
        var (versions, _) = try Self.published(2)
        _ = try versions.create(Self.alias("prod", "1"), "a")
        _ = try versions.create(Self.alias("beta", "2", weights: ["1": 0.5]), "b")
        #expect(
            throws: AWSError.resourceConflict(
                "Unable to delete version because the following aliases reference it: [beta, prod]"
            )
        ) { try versions.deleteVersion("1") }
        #expect(versions.version("1") != nil)
    }

    @Test func deletingAVersionThatDoesNotExistChangesNothing() throws {
        var (versions, _) = try Self.published(1)
        let before = versions
        try versions.deleteVersion("7")
        #expect(versions == before)
    }

    // MARK: Aliases

    @Test func createdAliasHasItsArnAndAnEmptyDescription() throws {
        var (versions, _) = try Self.published(1)
        let alias = try versions.create(Self.alias("prod", "1"), "a1")
        #expect(
            alias
                == AliasConfiguration(
                    aliasArn: Self.arn + ":prod", name: "prod", functionVersion: "1", description: "", revisionId: "a1",
                    routingConfig: nil
                )
        )
    }

    @Test func aliasOfAnUnknownVersionIsNotFound() throws {
        var (versions, _) = try Self.published(1)
        #expect(throws: AWSError.functionNotFound(arn: Self.arn + ":10")) {
            try versions.create(Self.alias("prod", "10"), "a")
        }
    }

    @Test func duplicateAliasIsAConflict() throws {
        var (versions, _) = try Self.published(1)
        _ = try versions.create(Self.alias("prod", "1"), "a")
        #expect(throws: AWSError.resourceConflict("Alias already exists: \(Self.arn):prod")) {
            try versions.create(Self.alias("prod", "1"), "b")
        }
    }

    @Test func emptyWeightsAreNoRouting() throws {
        var (versions, _) = try Self.published(1)
        let alias = try versions.create(Self.alias("prod", "1", weights: [:]), "a")
        #expect(alias.routingConfig == nil)
    }

    @Test(arguments: [
        (["2": 0.5, "3": 0.2], "1", "Number of items in AdditionalVersionWeights cannot be greater than 1"),
        (
            ["1": 0.5], "1",
            "Invalid function version 1. Function version 1 is already included in routing configuration."
        ),
        (["1": 0.5], "$LATEST", "$LATEST is not supported for an alias pointing to more than 1 version"),
    ])
    func routingRulesAreRefused(weights: [String: Double], version: String, message: String) throws {
        var (versions, _) = try Self.published(3)
        #expect(throws: AWSError.invalidParameterValue(message)) {
            try versions.create(Self.alias("a", version, weights: weights), "r")
        }
    }

    @Test func weightedVersionMustExist() throws {
        var (versions, _) = try Self.published(1)
        #expect(throws: AWSError.functionNotFound(arn: Self.arn + ":10")) {
            try versions.create(Self.alias("a", "1", weights: ["10": 0.5]), "r")
        }
    }

    @Test func updateKeepsOmittedMembersAndTakesANewRevision() throws {
        var (versions, _) = try Self.published(2)
        let created = try versions.createAlias(
            CreateAliasRequest(name: "prod", functionVersion: "1", description: "d"), functionArn: Self.arn,
            revisionId: "a1"
        )
        let updated = try versions.updateAlias(
            "prod", UpdateAliasRequest(functionVersion: "2", revisionId: created.revisionId), functionArn: Self.arn,
            revisionId: "a2"
        )
        #expect(updated.functionVersion == "2")
        #expect(updated.description == "d")
        #expect(updated.revisionId == "a2")
        #expect(versions.alias("prod") == updated)
    }

    @Test func updateWithEmptyWeightsRemovesTheRouting() throws {
        var (versions, _) = try Self.published(2)
        _ = try versions.create(Self.alias("prod", "1", weights: ["2": 0.2]), "a")
        let updated = try versions.updateAlias(
            "prod", UpdateAliasRequest(routingConfig: AliasRoutingConfiguration(additionalVersionWeights: [:])),
            functionArn: Self.arn, revisionId: "b"
        )
        #expect(updated.routingConfig == nil)
    }

    @Test func updateWithAStaleRevisionIsRefused() throws {
        var (versions, _) = try Self.published(1)
        _ = try versions.create(Self.alias("prod", "1"), "a1")
        #expect(throws: AWSError.revisionMismatch) {
            try versions.updateAlias(
                "prod", UpdateAliasRequest(description: "x", revisionId: "wrong"), functionArn: Self.arn,
                revisionId: "a2"
            )
        }
        #expect(versions.alias("prod")?.description == "")
    }

    @Test func updatingOrDeletingAnUnknownAliasIsNotFound() throws {
        var (versions, _) = try Self.published(1)
        let missing = AWSError.resourceNotFound("Cannot find alias arn: \(Self.arn):nope")
        #expect(throws: missing) {
            try versions.updateAlias("nope", UpdateAliasRequest(), functionArn: Self.arn, revisionId: "r")
        }
        #expect(throws: missing) { try versions.deleteAlias("nope", functionArn: Self.arn) }
    }

    @Test func aliasesAreKeptInNameOrder() throws {
        var (versions, _) = try Self.published(1)
        for name in ["zeta", "alpha", "mid"] {
            _ = try versions.create(Self.alias(name, "1"), name)
        }
        #expect(versions.aliases.map(\.name) == ["alpha", "mid", "zeta"])
        try versions.deleteAlias("mid", functionArn: Self.arn)
        #expect(versions.aliases.map(\.name) == ["alpha", "zeta"])
    }

    @Test func recordsWithoutVersionsDecodeAsEmpty() throws {
        let decoded = try JSONDecoder().decode(FunctionVersions.self, from: Data("{}".utf8))
        #expect(decoded == FunctionVersions())
    }

    @Test func versionsSurviveAnEncodingRoundTrip() throws {
        var (versions, _) = try Self.published(2)
        _ = try versions.create(Self.alias("prod", "1", weights: ["2": 0.3]), "a")
        let data = try JSONEncoder().encode(versions)
        #expect(try JSONDecoder().decode(FunctionVersions.self, from: data) == versions)
    }
}

extension FunctionVersions {
    /// PublishVersion with revision ids `r1`, `r2`, …
    mutating func publishing(_ request: PublishVersionRequest, _ latest: inout FunctionConfiguration) throws(AWSError)
        -> (version: FunctionConfiguration, isNew: Bool)
    {
        try publish(request, latest: &latest, newRevisionID: FunctionVersionsTests.Revisions().next)
    }

    /// CreateAlias on `FunctionVersionsTests.arn`.
    mutating func create(_ request: CreateAliasRequest, _ revisionId: String) throws(AWSError) -> AliasConfiguration {
        try createAlias(request, functionArn: FunctionVersionsTests.arn, revisionId: revisionId)
    }
}

/// A restart settles runtime availability again (issue 4, item 3).
@Suite struct FunctionResettleTests {
    static func function(state: String, code: String?) -> FunctionConfiguration {
        var configuration = FunctionConfiguration(
            functionName: "f", functionArn: "arn:aws:lambda:us-east-1:000000000000:function:f", runtime: "python3.12",
            role: "arn:aws:iam::000000000000:role/r", handler: "h.h", codeSize: 1, description: "", timeout: 3,
            memorySize: 128, lastModified: "", codeSha256: "", version: "$LATEST", environment: nil,
            tracingConfig: .init(), revisionId: "r", state: state, stateReason: code == nil ? nil : "reason",
            stateReasonCode: code, lastUpdateStatus: "Successful", packageType: "Zip", architectures: ["x86_64"],
            ephemeralStorage: .init(), snapStart: .init(), loggingConfig: .init(logGroup: "/aws/lambda/f")
        )
        configuration.kmsKeyArn = nil
        return configuration
    }

    @Test func failedForItsRuntimeBecomesActiveWhenTheInterpreterIsFound() {
        let settled = Self.function(state: "Failed", code: "InvalidRuntime").resettled(runtimeProblem: nil)
        #expect(settled.state == "Active" && settled.stateReasonCode == nil && settled.stateReason == nil)
    }

    @Test func activeBecomesFailedWhenTheInterpreterIsGone() {
        let settled = Self.function(state: "Active", code: nil).resettled(runtimeProblem: "gone")
        #expect(settled.state == "Failed" && settled.stateReasonCode == "InvalidRuntime" && settled.stateReason == "gone")
    }

    @Test func otherFailuresStay() {
        let failed = Self.function(state: "Failed", code: "InternalError")
        #expect(failed.resettled(runtimeProblem: nil) == failed)
    }
}
