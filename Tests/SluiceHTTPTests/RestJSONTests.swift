import Foundation
import Testing

import SluiceCore
@testable import SluiceHTTP

/// Golden bodies of Lambda's rest-json errors (`reference/esm-api.md` §6) and of the decoding errors.
@Suite struct RestJSONTests {
    static func body(_ response: OutgoingResponse) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(response.body))
    }

    static func header(_ response: OutgoingResponse, _ name: String) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test(arguments: [
        (AWSError.mappingNotFound, 404, "ResourceNotFoundException", ["Type": "User", "Message": "The resource you requested does not exist."]),
        (.invalidParameterValue("Function does not exist"), 400, "InvalidParameterValueException", ["Type": "User", "message": "Function does not exist"]),
        (.resourceConflict("dup"), 409, "ResourceConflictException", ["Type": "User", "message": "dup"]),
        (.resourceInUse("busy"), 400, "ResourceInUseException", ["Type": "User", "Message": "busy"]),
        (.validation("1 validation error detected: x"), 400, "ValidationException", ["message": "1 validation error detected: x"]),
        (.service("boom"), 500, "ServiceException", ["Type": "Service", "Message": "boom"]),
        (.invalidSignature, 403, "InvalidSignatureException", ["Type": "User", "message": AWSError.invalidSignature.message]),
    ])
    func errorsCarryTheHeaderStatusAndBodyBotocoreParses(
        error: AWSError, status: Int, code: String, expected: [String: String]
    ) throws {
        let response = RestJSON.errorResponse(error)
        #expect(response.status == status)
        #expect(Self.header(response, "X-Amzn-ErrorType") == code)
        #expect(Self.header(response, "Content-Type") == "application/json")
        #expect(try Self.body(response) == expected)
    }

    @Test func malformedJSONIsInvalidRequestContent() {
        #expect(throws: AWSError.self) { try RestJSON.decode(MappingSettings.self, from: Array("{".utf8)) }
        do {
            _ = try RestJSON.decode(MappingSettings.self, from: Array("{".utf8))
        } catch {
            #expect(error.code == "InvalidRequestContentException")
            #expect(error.message.hasPrefix("Could not parse request body into json: "))
        }
    }

    @Test(arguments: [
        (#"{"BatchSize":"ten"}"#, "Could not parse request body into json: Could not deserialize BatchSize: expected an integer"),
        (#"{"Enabled":1}"#, "Could not parse request body into json: Could not deserialize Enabled: expected a boolean"),
        (#"{"FilterCriteria":{"Filters":[{"Pattern":3}]}}"#, "Could not parse request body into json: Could not deserialize FilterCriteria.Filters[0].Pattern: expected a string"),
        ("[]", "Could not parse request body into json: expected a JSON object"),
    ])
    func aMistypedMemberIsNamedAsTheClientWroteIt(body: String, message: String) {
        do {
            _ = try RestJSON.decode(MappingSettings.self, from: Array(body.utf8))
            Issue.record("decoded \(body)")
        } catch {
            #expect(error == .invalidRequestContent(message))
        }
    }

    @Test func aMissingRequiredMemberIsAValidationError() {
        do {
            _ = try RestJSON.decode(CreateFunctionRequest.self, from: Array(#"{"Runtime":"python3.12"}"#.utf8))
            Issue.record("decoded without FunctionName")
        } catch {
            #expect(
                error == .validation(
                    "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: "
                        + "Member must not be null"
                )
            )
        }
    }

    @Test func anEmptyBodyIsAnEmptyObject() throws {
        let settings = try RestJSON.decode(MappingSettings.self, from: [])
        #expect(settings == MappingSettings())
    }
}
