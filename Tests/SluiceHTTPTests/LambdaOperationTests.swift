import Testing

@testable import SluiceHTTP

/// The Lambda routes, by method and path as SDKs send them (`reference/esm-api.md` §1).
@Suite struct LambdaOperationTests {
    static func route(_ method: String, _ path: String) -> LambdaOperation? {
        LambdaOperation(method: method, segments: IncomingRequest.pathSegments(path))
    }

    @Test(arguments: [
        ("POST", "/2015-03-31/event-source-mappings", LambdaOperation.createEventSourceMapping),
        ("POST", "/2015-03-31/event-source-mappings/", .createEventSourceMapping),
        ("GET", "/2015-03-31/event-source-mappings/", .listEventSourceMappings),
        ("GET", "/2015-03-31/event-source-mappings/abc", .getEventSourceMapping(uuid: "abc")),
        ("PUT", "/2015-03-31/event-source-mappings/abc", .updateEventSourceMapping(uuid: "abc")),
        ("DELETE", "/2015-03-31/event-source-mappings/abc", .deleteEventSourceMapping(uuid: "abc")),
        ("POST", "/2015-03-31/functions", .createFunction),
        ("GET", "/2015-03-31/functions/", .listFunctions),
        ("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af",
         .getFunction(name: "arn:aws:lambda:us-east-1:000000000000:function:f")),
        ("GET", "/2015-03-31/functions/f%3A%24LATEST/configuration", .getFunctionConfiguration(name: "f:$LATEST")),
        ("PUT", "/2015-03-31/functions/f/configuration", .updateFunctionConfiguration(name: "f")),
        ("PUT", "/2015-03-31/functions/f/code", .updateFunctionCode(name: "f")),
        ("DELETE", "/2015-03-31/functions/f", .deleteFunction(name: "f")),
        ("POST", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af",
         .tagResource(arn: "arn:aws:lambda:us-east-1:000000000000:function:f")),
        ("GET", "/2017-03-31/tags/x", .listTags(arn: "x")),
        ("DELETE", "/2017-03-31/tags/x", .untagResource(arn: "x")),
        ("POST", "/2015-03-31/functions/f/versions", .publishVersion(name: "f")),
        ("GET", "/2015-03-31/functions/f/versions", .listVersionsByFunction(name: "f")),
        ("POST", "/2015-03-31/functions/f/aliases", .createAlias(name: "f")),
        ("GET", "/2015-03-31/functions/f/aliases/", .listAliases(name: "f")),
        ("GET", "/2015-03-31/functions/f/aliases/prod", .getAlias(name: "f", alias: "prod")),
        ("PUT", "/2015-03-31/functions/f/aliases/prod", .updateAlias(name: "f", alias: "prod")),
        ("DELETE", "/2015-03-31/functions/f/aliases/prod", .deleteAlias(name: "f", alias: "prod")),
        ("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/aliases/a",
         .getAlias(name: "arn:aws:lambda:us-east-1:000000000000:function:f", alias: "a")),
        ("PUT", "/2017-10-31/functions/f/concurrency", .putFunctionConcurrency(name: "f")),
        ("GET", "/2019-09-30/functions/f/concurrency", .getFunctionConcurrency(name: "f")),
        ("DELETE", "/2017-10-31/functions/f/concurrency", .deleteFunctionConcurrency(name: "f")),
        ("GET", "/2015-03-31/functions/f%3A1/code.zip", .getFunctionCodeArchive(name: "f:1")),
    ])
    func routesEveryOperation(method: String, path: String, operation: LambdaOperation) {
        #expect(Self.route(method, path) == operation)
    }

    @Test(arguments: [
        ("PATCH", "/2015-03-31/event-source-mappings/abc"),
        ("GET", "/2015-03-31/event-source-mappings/abc/extra"),
        ("GET", "/2015-03-31"),
        ("GET", "/"),
        ("POST", "/2017-03-31/tags"),
        ("GET", "/2016-08-19/account-settings"),
        ("PUT", "/2015-03-31/functions/f/versions"),
        ("DELETE", "/2015-03-31/functions/f/versions/1"),
        ("POST", "/2015-03-31/functions/f/aliases/prod"),
        ("PUT", "/2015-03-31/functions/f/aliases"),
        ("GET", "/2015-03-31/functions/f/aliases/prod/extra"),
        ("GET", "/2017-10-31/functions/f/concurrency"),
        ("PUT", "/2019-09-30/functions/f/concurrency"),
        ("PUT", "/2015-03-31/functions/f/concurrency"),
        ("GET", "/2015-03-31/functions/f/configuration/x"),
    ])
    func refusesRoutesLambdaDoesNotHave(method: String, path: String) {
        #expect(Self.route(method, path) == nil)
    }

    @Test func queryItemsArePercentDecodedAndKeepTheirOrder() {
        let request = IncomingRequest(
            method: "GET", rawPath: "/", rawQuery: "tagKeys=a%20b&tagKeys=c&Marker=abc%3D&Empty=", headers: [], body: []
        )
        #expect(request.queryItems.map(\.name) == ["tagKeys", "tagKeys", "Marker", "Empty"])
        #expect(request.queryItems.map(\.value) == ["a b", "c", "abc=", ""])
    }
}
