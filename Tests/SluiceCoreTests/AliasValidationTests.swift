import Foundation
import Testing

@testable import SluiceCore

/// The model constraints of CreateAlias / UpdateAlias (recorded texts) and PutFunctionConcurrency's limits.
@Suite struct AliasValidationTests {
    static func violation(_ value: String, _ path: String, _ rule: String) -> AWSError {
        .validation(
            "1 validation error detected: Value '\(value)' at '\(path)' failed to satisfy constraint: "
                + "Member must \(rule)"
        )
    }

    static let weightsValue =
        "failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or "
        + "equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"
    static let weightsKey =
        "failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or "
        + "equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular "
        + "expression pattern: [0-9]+, Member must not be null]"

    @Test(arguments: ["1", "42", "has.dot", "has space", "ünï"])
    func aliasNameMustNotBeAllDigitsNorHaveOtherCharacters(name: String) {
        let request = CreateAliasRequest(name: name, functionVersion: "1")
        #expect(
            throws: Self.violation(name, "name", #"satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"#)
        ) { try AliasValidation.check(request) }
    }

    @Test(arguments: ["prod", "v1", "1a", "a-b_c", String(repeating: "a", count: 128)])
    func aliasNamesOfThePatternAreAccepted(name: String) throws {
        try AliasValidation.check(CreateAliasRequest(name: name, functionVersion: "$LATEST"))
    }

    @Test func aliasNameLongerThan128IsRefused() {
        let name = String(repeating: "a", count: 129)
        #expect(throws: Self.violation(name, "name", "have length less than or equal to 128")) {
            try AliasValidation.check(CreateAliasRequest(name: name, functionVersion: "1"))
        }
    }

    @Test func functionVersionMustBeLatestOrANumber() {
        #expect(
            throws: Self.violation("prod", "functionVersion", #"satisfy regular expression pattern: (\$LATEST|[0-9]+)"#)
        ) { try AliasValidation.check(CreateAliasRequest(name: "a", functionVersion: "prod")) }
    }

    @Test func missingNameAndVersionAreReportedTogether() {
        #expect(
            throws: AWSError.validation(
                "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not "
                    + "be null; Value null at 'functionVersion' failed to satisfy constraint: Member must not be null"
            )
        ) { try AliasValidation.check(CreateAliasRequest(name: nil, functionVersion: nil)) }
    }

    @Test(arguments: [(2.0, "{2=2.0}"), (-1.0, "{2=-1.0}"), (1.5, "{2=1.5}")])
    func weightsOutside0To1AreRefused(weight: Double, quoted: String) {
        let request = CreateAliasRequest(
            name: "a", functionVersion: "1", routingConfig: .init(additionalVersionWeights: ["2": weight])
        )
        #expect(
            throws: AWSError.validation(
                "1 validation error detected: Value '\(quoted)' at 'routingConfig.additionalVersionWeights' "
                    + Self.weightsValue
            )
        ) { try AliasValidation.check(request) }
    }

    @Test func weightKeysMustBeVersionNumbers() {
        let request = CreateAliasRequest(
            name: "a", functionVersion: "1", routingConfig: .init(additionalVersionWeights: ["$LATEST": 0.5])
        )
        #expect(
            throws: AWSError.validation(
                "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' "
                    + Self.weightsKey
            )
        ) { try AliasValidation.check(request) }
    }

    @Test(arguments: [0.0, 0.5, 1.0])
    func weightsFrom0To1AreAccepted(weight: Double) throws {
        let request = UpdateAliasRequest(routingConfig: .init(additionalVersionWeights: ["2": weight]))
        try AliasValidation.check(request, name: "prod")
    }

    @Test func updateChecksTheNameInThePath() {
        #expect(
            throws: Self.violation("7", "name", #"satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"#)
        ) { try AliasValidation.check(UpdateAliasRequest(), name: "7") }
    }

    @Test func aliasRoutesRollsBelowTheWeightToTheAdditionalVersion() {
        let alias = AliasConfiguration(
            aliasArn: "arn", name: "a", functionVersion: "1", description: "", revisionId: "r",
            routingConfig: .init(additionalVersionWeights: ["3": 0.1])
        )
        #expect(alias.routedVersion(roll: 0.05) == "3")
        #expect(alias.routedVersion(roll: 0.1) == "1")
        #expect(alias.versions == ["1", "3"])
    }

    @Test func aliasWithoutRoutingIsEncodedWithoutRoutingConfig() throws {
        let alias = AliasConfiguration(
            aliasArn: "arn:aws:lambda:us-east-1:000000000000:function:f:prod", name: "prod", functionVersion: "1",
            description: "", revisionId: "r", routingConfig: nil
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(
            String(decoding: try encoder.encode(alias), as: UTF8.self)
                == #"{"AliasArn":"arn:aws:lambda:us-east-1:000000000000:function:f:prod","Description":"","#
                + #""FunctionVersion":"1","Name":"prod","RevisionId":"r"}"#
        )
    }

    // MARK: Reserved concurrency

    @Test func reservingUpTo900LeavesTheMinimumUnreserved() throws {
        try ReservedConcurrency.check(900, reservedByOthers: 0)
        try ReservedConcurrency.check(400, reservedByOthers: 500)
        try ReservedConcurrency.check(0, reservedByOthers: 900)
    }

    @Test func reservingPastTheMinimumUnreservedIsRefused() {
        let refused = AWSError.invalidParameterValue(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
                + "below its minimum value of [100]."
        )
        #expect(throws: refused) { try ReservedConcurrency.check(901, reservedByOthers: 0) }
        #expect(throws: refused) { try ReservedConcurrency.check(401, reservedByOthers: 500) }
    }

    @Test func negativeOrMissingLimitIsAValidationError() {
        #expect(
            throws: Self.violation("-1", "reservedConcurrentExecutions", "have value greater than or equal to 0")
        ) { try ReservedConcurrency.validate(FunctionConcurrency(reservedConcurrentExecutions: -1)) }
        #expect(
            throws: AWSError.validation(
                "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy "
                    + "constraint: Member must not be null"
            )
        ) { try ReservedConcurrency.validate(FunctionConcurrency(reservedConcurrentExecutions: nil)) }
    }
}
