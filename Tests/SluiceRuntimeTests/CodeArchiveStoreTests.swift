import Foundation
import SluiceCore
import Testing

@testable import SluiceRuntime

/// Code is checked and unpacked when it is uploaded, so a refused zip fails CreateFunction / UpdateFunctionCode
/// with InvalidParameterValueException and leaves nothing behind (issue 4, item 4).
@Suite struct CodeArchiveStoreTests {
    typealias Entry = RuntimeFixtures.Entry

    @Test func savingUnpacksOnceAndKeepsTheZip() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try Data(contentsOf: try RuntimeFixtures.zip([Entry(name: "app.py", content: "x = 1")], in: root))
        let store = try CodeArchiveStore(directory: root.appendingPathComponent("code"))
        let facts = try store.save(zip)
        #expect(facts == CodeArchiveStore.facts(of: zip))
        let directory = try #require(try store.codeDirectory(sha256Base64: facts.sha256Base64))
        #expect(try String(contentsOf: directory.appendingPathComponent("app.py"), encoding: .utf8) == "x = 1")
        #expect(try Data(contentsOf: #require(store.archiveURL(sha256Base64: facts.sha256Base64))) == zip)
    }

    @Test func aZipSlipArchiveIsRefusedAndNothingIsKept() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try Data(contentsOf: try RuntimeFixtures.zip([Entry(name: "../evil.py", content: "x")], in: root))
        let store = try CodeArchiveStore(directory: root.appendingPathComponent("code"))
        #expect(
            throws: AWSError.invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again. "
                    + "The entry '../evil.py' would be written outside the function's directory."
            )
        ) { try store.save(zip) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("evil.py").path))
    }

    @Test func checkingRefusesAnOutwardLinkWithoutStoringAnything() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try Data(contentsOf: try RuntimeFixtures.zip([Entry(name: "l", target: "/etc/passwd")], in: root))
        let store = try CodeArchiveStore(directory: root.appendingPathComponent("code"))
        #expect(throws: AWSError.self) { try store.check(zip) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path).isEmpty)
    }

    @Test func somethingThatIsNotAZipGetsAWSText() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try CodeArchiveStore(directory: root.appendingPathComponent("code"))
        #expect(
            throws: AWSError.invalidParameterValue(
                "Could not unzip uploaded file. Please check your file, then try to upload again."
            )
        ) { try store.save(Data("hello".utf8)) }
    }
}
