import Foundation
import Testing

@testable import SluiceRuntime

/// Unpacking a function's zip once per digest, keeping modes, refusing zip slip and outward links
/// (`reference/runtime-api.md` §2.1; issue 4, item 4).
@Suite struct CodeUnpackerTests {
    typealias Entry = RuntimeFixtures.Entry

    @Test func unpacksOncePerDigestKeepingExecutableBits() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try RuntimeFixtures.zip(
            [
                Entry(name: "bootstrap", content: "#!/bin/sh\n", mode: 0o755),
                Entry(name: "lib/data.txt", content: "data"),
                Entry(name: "lib/link", target: "data.txt"),
            ], in: root
        )
        let unpacker = CodeUnpacker(root: root.appendingPathComponent("code"))
        let directory = try unpacker.unpack(zip, digest: "abc+/=")
        #expect(FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("bootstrap").path))
        #expect(!FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lib/data.txt").path))
        #expect(try String(contentsOf: directory.appendingPathComponent("lib/link"), encoding: .utf8) == "data")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("bootstrap"))
        #expect(try unpacker.unpack(zip, digest: "abc+/=") == directory)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bootstrap").path))
    }

    @Test(arguments: ["../escape.txt", "a/../../escape.txt", "/tmp/escape.txt"])
    func refusesEntriesEscapingTheDirectory(name: String) throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try RuntimeFixtures.zip([Entry(name: "ok.txt"), Entry(name: name, content: "x")], in: root)
        let unpacker = CodeUnpacker(root: root.appendingPathComponent("code"))
        #expect(throws: CodeUnpackError.entryOutsideDirectory(name)) { try unpacker.unpack(zip, digest: "d") }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("escape.txt").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("code/d").path))
    }

    @Test(arguments: ["/etc/passwd", "../../outside", "a/../.."])
    func refusesLinksPointingOut(target: String) throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try RuntimeFixtures.zip([Entry(name: "link", target: target)], in: root)
        let unpacker = CodeUnpacker(root: root.appendingPathComponent("code"))
        #expect(throws: CodeUnpackError.linkOutsideDirectory("link")) { try unpacker.unpack(zip, digest: "d") }
    }

    @Test func refusesWritingThroughALink() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try RuntimeFixtures.zip(
            [Entry(name: "dir", target: "."), Entry(name: "dir/file.txt", content: "x")], in: root
        )
        let unpacker = CodeUnpacker(root: root.appendingPathComponent("code"))
        #expect(throws: CodeUnpackError.entryOutsideDirectory("dir/file.txt")) {
            try unpacker.unpack(zip, digest: "d")
        }
    }

    @Test func refusesWhatIsNotAZip() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("not.zip")
        try Data("hello".utf8).write(to: file)
        #expect(throws: CodeUnpackError.notAZip) {
            try CodeUnpacker(root: root.appendingPathComponent("code")).unpack(file, digest: "d")
        }
    }

    @Test(arguments: [false, true])
    func keepsLinksInsideTheDirectoryStoredOrDeflated(deflated: Bool) throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = "lib/real-module-with-a-long-name.py"
        let zip = try RuntimeFixtures.zip(
            [
                Entry(name: target, content: "x = 1", deflated: deflated),
                Entry(name: "handler.py", target: target, deflated: deflated),
            ], in: root
        )
        let directory = try CodeUnpacker(root: root.appendingPathComponent("code")).unpack(zip, digest: "d")
        let link = directory.appendingPathComponent("handler.py").path
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "x = 1")
    }

    @Test func refusesALinkClimbingOutThroughAnotherLink() throws {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = try RuntimeFixtures.zip([Entry(name: "b", target: "."), Entry(name: "a", target: "b/..")], in: root)
        let unpacker = CodeUnpacker(root: root.appendingPathComponent("code"))
        #expect(throws: CodeUnpackError.linkOutsideDirectory("a")) { try unpacker.unpack(zip, digest: "d") }
    }
}
