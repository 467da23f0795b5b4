import Foundation
import Testing

@testable import SluiceRuntime

/// What `sluice logs` prints: the rotated file, the current one, then appended output across rotations.
@Suite struct FunctionLogReaderTests {
    static let arn = "arn:aws:lambda:us-east-1:000000000000:function:reader"

    func withLog<T>(maximumFileSize: Int = 1_000_000, _ body: (FunctionLogStream, URL) throws -> T) throws -> T {
        let root = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = FunctionLogs(directory: root, maximumFileSize: maximumFileSize)
        return try body(logs.stream(functionArn: Self.arn), logs.fileURL(region: "us-east-1", functionName: "reader")!)
    }

    static func existing(_ reader: FunctionLogReader) -> (found: Bool, text: String) {
        var bytes: [UInt8] = []
        let found = reader.readExisting { bytes += $0 }
        return (found, String(decoding: bytes, as: UTF8.self))
    }

    static func appended(_ reader: FunctionLogReader) -> String {
        var bytes: [UInt8] = []
        reader.readAppended { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func noFileIsNoLog() throws {
        try withLog { _, file throws in
            let (found, text) = Self.existing(FunctionLogReader(url: file))
            #expect(!found)
            #expect(text.isEmpty)
        }
    }

    @Test func rotatedFileComesBeforeTheCurrentOne() throws {
        try withLog { _, file throws in
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("older\n".utf8).write(to: FunctionLogs.rotatedURL(file))
            try Data("newer\n".utf8).write(to: file)
            let (found, text) = Self.existing(FunctionLogReader(url: file))
            #expect(found)
            #expect(text == "older\nnewer\n")
        }
    }

    @Test func followingReadsOnlyWhatWasAppended() throws {
        try withLog { stream, file throws in
            stream.append(Array("one\n".utf8))
            let reader = FunctionLogReader(url: file)
            #expect(Self.existing(reader).text == "one\n")
            #expect(Self.appended(reader) == "")
            stream.append(Array("two\nthr".utf8))
            #expect(Self.appended(reader) == "two\n")
            stream.append(Array("ee\n".utf8))
            #expect(Self.appended(reader) == "three\n")
        }
    }

    @Test func followingSurvivesARotation() throws {
        try withLog(maximumFileSize: 100) { stream, file throws in
            let line = { (character: Character) in String(repeating: character, count: 29) + "\n" }
            stream.append(Array((line("a") + line("b")).utf8))
            let reader = FunctionLogReader(url: file)
            #expect(Self.existing(reader).text == line("a") + line("b"))
            // c fits (90 bytes); d does not: the file is rotated and d starts the new one.
            stream.append(Array(line("c").utf8))
            stream.append(Array(line("d").utf8))
            #expect(try String(decoding: Data(contentsOf: file), as: UTF8.self) == line("d"))
            #expect(Self.appended(reader) == line("c") + line("d"))
            stream.append(Array(line("e").utf8))
            #expect(Self.appended(reader) == line("e"))
        }
    }

    @Test func followingPicksUpAFileCreatedLater() throws {
        try withLog { stream, file throws in
            let reader = FunctionLogReader(url: file)
            #expect(Self.appended(reader) == "")
            stream.append(Array("first\n".utf8))
            #expect(Self.appended(reader) == "first\n")
        }
    }
}
