import Testing

@testable import SluiceCore

/// The batch-item-failure responses of `reference/events.md` §6, each with what it means.
@Suite struct BatchItemFailuresTests {
    /// A batch of three Kinesis records.
    static let batch: Set<String> = ["4960001", "4960002", "4960003"]

    static func parse(_ response: String) -> BatchItemFailures {
        BatchItemFailures(parsing: Array(response.utf8), itemIdentifiers: batch)
    }

    // MARK: Complete success

    @Test(arguments: [
        "", "  \n", "null", #""""#, "[]", "{}", #"{"batchItemFailures":[]}"#, #"{"batchItemFailures":null}"#,
        #"{"statusCode":200}"#, #"{"BatchItemFailures":[{"itemIdentifier":"nope"}]}"#,
    ])
    func emptyResponsesAreCompleteSuccess(response: String) {
        #expect(Self.parse(response) == .none)
    }

    // MARK: Partial failure

    @Test func nonEmptyListIsPartialFailureInResponseOrder() {
        #expect(
            Self.parse(#"{"batchItemFailures":[{"itemIdentifier":"4960003"},{"itemIdentifier":"4960002"}]}"#)
                == .reported(["4960003", "4960002"])
        )
    }

    @Test func otherMembersOfTheResponseAndOfEachFailureAreIgnored() {
        #expect(
            Self.parse(#"{"state":{},"batchItemFailures":[{"itemIdentifier":"4960002","why":"bad"}]}"#)
                == .reported(["4960002"])
        )
    }

    @Test func numericItemIdentifierMatchesByItsLiteralAsJacksonCoercesIt() {
        #expect(Self.parse(#"{"batchItemFailures":[{"itemIdentifier":4960002}]}"#) == .reported(["4960002"]))
    }

    @Test func repeatedIdentifiersAreKept() {
        #expect(
            Self.parse(#"{"batchItemFailures":[{"itemIdentifier":"4960002"},{"itemIdentifier":"4960002"}]}"#)
                == .reported(["4960002", "4960002"])
        )
    }

    // MARK: Complete failure

    @Test(arguments: [#"{"foo":123}"#, #"{"foo":null}"#, #"{"itemIdentifier":null}"#, "{}"])
    func failureWithoutItemIdentifierIsCompleteFailure(element: String) {
        #expect(Self.parse(#"{"batchItemFailures":[\#(element)]}"#) == .invalid(.missingItemIdentifier))
    }

    @Test func emptyItemIdentifierIsCompleteFailure() {
        #expect(Self.parse(#"{"batchItemFailures":[{"itemIdentifier":""}]}"#) == .invalid(.emptyItemIdentifier))
    }

    @Test(arguments: ["123", #""123""#, #"" 4960002""#, #""04960002""#])
    func itemIdentifierNotInTheBatchIsCompleteFailure(identifier: String) {
        let expected = (try? JSONValue(parsing: identifier)).flatMap { value -> String? in
            switch value {
            case .string(let text): text
            case .number(let number): number.literal
            default: nil
            }
        }
        #expect(
            Self.parse(#"{"batchItemFailures":[{"itemIdentifier":\#(identifier)}]}"#)
                == .invalid(.unknownItemIdentifier(expected ?? ""))
        )
    }

    @Test func oneUnusableFailureSpoilsTheWholeList() {
        #expect(
            Self.parse(#"{"batchItemFailures":[{"itemIdentifier":"4960002"},{"itemIdentifier":""}]}"#)
                == .invalid(.emptyItemIdentifier)
        )
    }

    @Test(arguments: ["{", "OK", #"{"batchItemFailures":[}"#, "\u{FEFF}{}"])
    func responseThatIsNotJSONIsCompleteFailure(response: String) {
        #expect(Self.parse(response) == .invalid(.notJSON))
    }

    @Test(arguments: [#""OK""#, "0", "1", "true", "false", "[1]", #"[{"itemIdentifier":"4960002"}]"#])
    func topLevelValueOtherThanAnObjectOrAnEmptyValueIsCompleteFailure(response: String) {
        #expect(Self.parse(response) == .invalid(.notAnObject))
    }

    @Test(arguments: [#""4960002""#, "{}", "1", "true"])
    func batchItemFailuresThatIsNotAListIsCompleteFailure(value: String) {
        #expect(Self.parse(#"{"batchItemFailures":\#(value)}"#) == .invalid(.batchItemFailuresNotAList))
    }

    @Test(arguments: [#""4960002""#, "null", "[]", "1"])
    func failureThatIsNotAnObjectIsCompleteFailure(element: String) {
        #expect(Self.parse(#"{"batchItemFailures":[\#(element)]}"#) == .invalid(.failureNotAnObject))
    }

    @Test(arguments: ["true", "[]", #"{"id":"4960002"}"#])
    func itemIdentifierThatIsNotTextIsCompleteFailure(identifier: String) {
        #expect(
            Self.parse(#"{"batchItemFailures":[{"itemIdentifier":\#(identifier)}]}"#)
                == .invalid(.itemIdentifierNotAString)
        )
    }
}
