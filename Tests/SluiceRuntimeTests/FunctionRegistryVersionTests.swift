import Foundation
import Synchronization
import Testing

import SluiceCore
@testable import SluiceRuntime
import SluiceStore

/// Versions, aliases and reserved concurrency through the registry: persisted in the store, resolved for reads,
/// invocations and the mapping service (issue 4, items 5–6).
@Suite struct FunctionRegistryVersionTests {
    static let identity = RequestIdentity(region: "eu-west-1")
    static let arn = "arn:aws:lambda:eu-west-1:000000000000:function:fn"

    /// A registry over `store` and code under `root`; `roll` routes weighted aliases.
    static func registry(
        store: any DocumentStore, root: URL, roll: @escaping @Sendable () -> Double = { 0.5 }
    ) async throws -> FunctionRegistry {
        try await FunctionRegistry(
            store: store, code: try CodeArchiveStore(directory: root.appendingPathComponent("code")),
            now: { Timestamp(millisecondsSinceEpoch: 1_732_528_800_123) }, routingRoll: roll
        )
    }

    static func reference(_ text: String) throws -> FunctionReference {
        try FunctionReference(parsing: text, identity: identity)
    }

    /// A zip whose handler returns `tag`.
    static func zip(_ tag: String, in root: URL) throws -> String {
        let url = try RuntimeFixtures.pythonZip("def handler(event, context):\n    return '\(tag)'\n", in: root)
        return try Data(contentsOf: url).base64EncodedString()
    }

    static func create(_ registry: FunctionRegistry, root: URL, publish: Bool = false, timeout: Int = 3) async throws
        -> FunctionConfiguration
    {
        let json: [String: Any] = [
            "FunctionName": "fn", "Runtime": "python3.12", "Handler": "handler.handler", "Timeout": timeout,
            "Role": "arn:aws:iam::000000000000:role/lambda-role", "Code": ["ZipFile": try zip("v1", in: root)],
            "Publish": publish,
        ]
        let request = try JSONDecoder().decode(
            CreateFunctionRequest.self, from: JSONSerialization.data(withJSONObject: json)
        )
        return try await registry.create(request, identity: identity)
    }

    static func updateCode(_ registry: FunctionRegistry, tag: String, root: URL, publish: Bool = false) async throws
        -> FunctionConfiguration
    {
        let json: [String: Any] = ["ZipFile": try zip(tag, in: root), "Publish": publish]
        let request = try JSONDecoder().decode(
            UpdateFunctionCodeRequest.self, from: JSONSerialization.data(withJSONObject: json)
        )
        return try await registry.updateCode(try reference("fn"), request)
    }

    static func updateTimeout(_ registry: FunctionRegistry, _ timeout: Int) async throws {
        let request = try JSONDecoder().decode(
            UpdateFunctionConfigurationRequest.self, from: Data(#"{"Timeout":\#(timeout)}"#.utf8)
        )
        _ = try await registry.updateConfiguration(try reference("fn"), request)
    }

    static func alias(_ registry: FunctionRegistry, _ name: String, to version: String) async throws {
        _ = try await registry.createAlias(
            try reference("fn"), CreateAliasRequest(name: name, functionVersion: version)
        )
    }

    @discardableResult
    static func reserve(_ registry: FunctionRegistry, _ limit: Int, of name: String = "fn") async throws
        -> FunctionConcurrency
    {
        try await registry.putConcurrency(try reference(name), FunctionConcurrency(reservedConcurrentExecutions: limit))
    }

    /// Runs `body` with a scratch directory and a memory store, then removes the directory.
    static func scratch(_ body: (MemoryDocumentStore, URL) async throws -> Void) async throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        try await body(MemoryDocumentStore(), root)
    }

    // MARK: Publishing

    @Test func publishVersionAnswersTheQualifiedVersion() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root)
            let version = try await registry.publishVersion(try Self.reference("fn"), PublishVersionRequest())
            #expect(version.version == "1")
            #expect(version.functionArn == Self.arn + ":1")
            #expect(version.state == "Active")
        }
    }

    @Test func createWithPublishAnswersVersionOneUnqualified() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            let created = try await Self.create(registry, root: root, publish: true)
            #expect(created.version == "1")
            #expect(created.functionArn == Self.arn)
            #expect(try await registry.function(try Self.reference("fn:1")).0.version == "1")
        }
    }

    @Test func updateCodeWithPublishAnswersTheNewVersionPending() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            let updated = try await Self.updateCode(registry, tag: "v2", root: root, publish: true)
            #expect(updated.version == "2")
            #expect(updated.functionArn == Self.arn + ":2")
            #expect(updated.state == "Pending")
            #expect(try await registry.function(try Self.reference("fn:2")).0.state == "Active")
        }
    }

    @Test func versionsAndAliasesSurviveARestart() async throws {
        try await Self.scratch { store, root in
            let first = try await Self.registry(store: store, root: root)
            _ = try await Self.create(first, root: root, publish: true)
            _ = try await Self.updateCode(first, tag: "v2", root: root, publish: true)
            let fn = try Self.reference("fn")
            _ = try await first.createAlias(fn, CreateAliasRequest(name: "prod", functionVersion: "1"))
            _ = try await first.putConcurrency(fn, FunctionConcurrency(reservedConcurrentExecutions: 7))
            try await first.delete(try Self.reference("fn:2"))

            let second = try await Self.registry(store: store, root: root)
            let versions = try await second.listVersions(fn, marker: nil, maxItems: nil).items
            #expect(versions.map(\.version) == ["$LATEST", "1"])
            #expect(try await second.alias("prod", of: fn).functionVersion == "1")
            #expect(try await second.concurrency(fn) == 7)
            try await Self.updateTimeout(second, 9)
            #expect(try await second.publishVersion(fn, PublishVersionRequest()).version == "3")
        }
    }

    // MARK: Reads

    @Test func qualifiedReadsAnswerTheVersionUnderTheNameAsGiven() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            let fn = try Self.reference("fn")
            _ = try await registry.createAlias(fn, CreateAliasRequest(name: "prod", functionVersion: "1"))
            try await Self.updateTimeout(registry, 30)
            let byAlias = try await registry.function(try Self.reference("fn:prod")).0
            #expect(byAlias.functionArn == Self.arn + ":prod")
            #expect(byAlias.version == "1")
            #expect(byAlias.timeout == 3)
            let latest = try await registry.function(try Self.reference("fn:$LATEST")).0
            #expect(latest.functionArn == Self.arn + ":$LATEST")
            #expect(try await registry.function(fn).0.timeout == 30)
        }
    }

    @Test func unknownQualifierIsNotFoundWithTheQualifiedArn() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root)
            await #expect(throws: AWSError.functionNotFound(arn: Self.arn + ":4")) {
                try await registry.function(try Self.reference("fn:4"))
            }
            await #expect(throws: AWSError.functionNotFound(arn: Self.arn + ":staging")) {
                try await registry.function(try Self.reference("fn:staging"))
            }
        }
    }

    @Test func timeoutAnswersForVersionsAndAliases() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true, timeout: 5)
            try await Self.alias(registry, "prod", to: "1")
            try await Self.updateTimeout(registry, 60)
            #expect(await registry.timeout(of: try Self.reference("fn")) == 60)
            #expect(await registry.timeout(of: try Self.reference("fn:1")) == 5)
            #expect(await registry.timeout(of: try Self.reference("fn:prod")) == 5)
            #expect(await registry.timeout(of: try Self.reference("fn:nope")) == nil)
        }
    }

    // MARK: Deletion

    @Test func deletingTheFunctionRemovesVersionsAliasesAndConcurrency() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            let fn = try Self.reference("fn")
            _ = try await registry.createAlias(fn, CreateAliasRequest(name: "prod", functionVersion: "1"))
            _ = try await registry.putConcurrency(fn, FunctionConcurrency(reservedConcurrentExecutions: 3))
            try await registry.delete(fn)
            _ = try await Self.create(registry, root: root)
            #expect(try await registry.listVersions(fn, marker: nil, maxItems: nil).items.count == 1)
            #expect(try await registry.listAliases(fn, functionVersion: nil, marker: nil, maxItems: nil).items.isEmpty)
            #expect(try await registry.concurrency(fn) == nil)
        }
    }

    @Test func deletingAnAliasByDeleteFunctionIsRefused() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            try await Self.alias(registry, "prod", to: "1")
            await #expect(throws: AWSError.invalidParameterValue("Deletion of aliases is not currently supported.")) {
                try await registry.delete(try Self.reference("fn:prod"))
            }
            await #expect(
                throws: AWSError.resourceConflict(
                    "Unable to delete version because the following aliases reference it: [prod]"
                )
            ) { try await registry.delete(try Self.reference("fn:1")) }
        }
    }

    // MARK: Paging

    @Test func versionsPageInNumberOrder() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root)
            let fn = try Self.reference("fn")
            for timeout in 4...14 {
                try await Self.updateTimeout(registry, timeout)
                _ = try await registry.publishVersion(fn, PublishVersionRequest())
            }
            var seen: [String] = []
            var marker: String?
            repeat {
                let page = try await registry.listVersions(fn, marker: marker, maxItems: 5)
                seen += page.items.map(\.version)
                marker = page.nextMarker
            } while marker != nil
            #expect(seen == ["$LATEST"] + (1...11).map(String.init))
        }
    }

    // MARK: Concurrency

    @Test func reservationsOfAllFunctionsShareTheAccount() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root)
            let fn = try Self.reference("fn")
            _ = try await registry.putConcurrency(fn, FunctionConcurrency(reservedConcurrentExecutions: 900))
            _ = try await registry.putConcurrency(fn, FunctionConcurrency(reservedConcurrentExecutions: 850))
            #expect(try await registry.concurrency(fn) == 850)
            try await registry.deleteConcurrency(fn)
            #expect(try await registry.concurrency(fn) == nil)
        }
    }

    @Test func concurrencyOfAVersionIsRefused() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            await #expect(throws: AWSError.qualifierNotSupported) {
                try await registry.putConcurrency(
                    try Self.reference("fn:1"), FunctionConcurrency(reservedConcurrentExecutions: 1)
                )
            }
        }
    }

    @Test func concurrencyOfAnUnknownFunctionNamesLatest() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            await #expect(throws: AWSError.functionNotFound(arn: Self.arn + ":$LATEST")) {
                try await Self.reserve(registry, 1)
            }
        }
    }

    // MARK: Invocation target

    @Test func invocationTargetOfAVersionRunsItsOwnCode() async throws {
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root)
            _ = try await Self.create(registry, root: root, publish: true)
            _ = try await Self.updateCode(registry, tag: "v2", root: root)
            try await Self.reserve(registry, 4)
            let one = try await registry.invocationTarget(try Self.reference("fn:1"))
            let latest = try await registry.invocationTarget(try Self.reference("fn"))
            #expect(one.configuration.version == "1")
            #expect(one.invokedFunctionArn == Self.arn + ":1")
            #expect(one.reservedConcurrency == 4)
            #expect(latest.configuration.version == "$LATEST")
            let handler = { (target: InvocationTarget) in
                try String(contentsOf: target.codeDirectory.appendingPathComponent("handler.py"), encoding: .utf8)
            }
            #expect(try handler(one).contains("'v1'"))
            #expect(try handler(latest).contains("'v2'"))
        }
    }

    @Test func invocationTargetOfAWeightedAliasFollowsTheRoll() async throws {
        let roll = Mutex(0.1)
        try await Self.scratch { store, root in
            let registry = try await Self.registry(store: store, root: root, roll: { roll.withLock { $0 } })
            _ = try await Self.create(registry, root: root, publish: true)
            _ = try await Self.updateCode(registry, tag: "v2", root: root, publish: true)
            let weights = AliasRoutingConfiguration(additionalVersionWeights: ["2": 0.3])
            _ = try await registry.createAlias(
                try Self.reference("fn"), CreateAliasRequest(name: "live", functionVersion: "1", routingConfig: weights)
            )
            let live = try Self.reference("fn:live")
            #expect(try await registry.invocationTarget(live).configuration.version == "2")
            roll.withLock { $0 = 0.7 }
            let target = try await registry.invocationTarget(live)
            #expect(target.configuration.version == "1")
            #expect(target.configuration.functionArn == Self.arn + ":1")
            #expect(target.invokedFunctionArn == Self.arn + ":live")
        }
    }
}
