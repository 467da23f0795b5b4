import Foundation
import Logging
import Testing

@testable import SluiceStore

/// The same behaviour from both record logs.
@Suite struct RecordLogTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    static func withLog<T>(_ kind: Kind, _ body: (any RecordLog, String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("records").path
        switch kind {
        case .memory:
            return try await body(MemoryRecordLog(), path)
        case .sqlite:
            let log = try await SQLiteRecordLog.open(path: path, logger: DocumentStoreTests.logger)
            let result = try await body(log, path)
            try await log.close()
            return result
        }
    }

    static let shard0 = LogID(stream: "s", shard: "shardId-000000000000")
    static let shard1 = LogID(stream: "s", shard: "shardId-000000000001")

    static func entry(_ log: LogID, _ position: UInt64, arrival: Int64 = 1000) -> LogEntry {
        LogEntry(
            log: log,
            record: LogRecord(position: position, arrivalMilliseconds: arrival, partitionKey: "k\(position)",
                              data: Array("data-\(position)".utf8))
        )
    }

    @Test(arguments: Kind.allCases)
    func readsReturnRecordsOfOneLogFromAPositionInOrder(kind: Kind) async throws {
        try await Self.withLog(kind) { log, _ in
            try await log.append([Self.entry(Self.shard0, 1), Self.entry(Self.shard1, 1), Self.entry(Self.shard0, 2)])
            try await log.append([Self.entry(Self.shard0, 5)])
            #expect(try await log.read(log: Self.shard0, from: 0, limit: 10).map(\.position) == [1, 2, 5])
            #expect(try await log.read(log: Self.shard0, from: 2, limit: 10).map(\.position) == [2, 5])
            #expect(try await log.read(log: Self.shard0, from: 0, limit: 2).map(\.position) == [1, 2])
            #expect(try await log.read(log: Self.shard0, from: 6, limit: 10).isEmpty)
            let record = try #require(try await log.read(log: Self.shard1, from: 0, limit: 1).first)
            #expect(record == Self.entry(Self.shard1, 1).record)
            #expect(try await log.lastPosition(of: Self.shard0) == 5)
            #expect(try await log.lastPosition(of: LogID(stream: "s", shard: "none")) == nil)
        }
    }

    @Test(arguments: Kind.allCases)
    func concurrentAppendsAreAllCommitted(kind: Kind) async throws {
        try await Self.withLog(kind) { log, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        let shard = LogID(stream: "s", shard: "w\(writer)")
                        for batch in 0..<10 {
                            let base = UInt64(batch * 50)
                            try await log.append((0..<50).map { Self.entry(shard, base + UInt64($0)) })
                        }
                    }
                }
                try await group.waitForAll()
            }
            for writer in 0..<20 {
                let records = try await log.read(log: LogID(stream: "s", shard: "w\(writer)"), from: 0, limit: 1000)
                #expect(records.map(\.position) == Array(0..<500))
            }
        }
    }

    @Test(arguments: Kind.allCases)
    func trimRemovesOnlyRecordsThatArrivedBeforeTheCut(kind: Kind) async throws {
        try await Self.withLog(kind) { log, _ in
            try await log.append([
                Self.entry(Self.shard0, 1, arrival: 100), Self.entry(Self.shard0, 2, arrival: 200),
                Self.entry(Self.shard1, 1, arrival: 100),
            ])
            try await log.trim(log: Self.shard0, arrivedBefore: 150)
            #expect(try await log.read(log: Self.shard0, from: 0, limit: 10).map(\.position) == [2])
            #expect(try await log.read(log: Self.shard1, from: 0, limit: 10).count == 1)
            try await log.deleteLogs(stream: "s")
            #expect(try await log.read(log: Self.shard1, from: 0, limit: 10).isEmpty)
        }
    }

    @Test func sqliteKeepsRecordsAcrossReopening() async throws {
        try await Self.withLog(.sqlite) { log, path in
            try await log.append([Self.entry(Self.shard0, 7)])
            let second = try await SQLiteRecordLog.open(path: path, logger: DocumentStoreTests.logger)
            #expect(try await second.read(log: Self.shard0, from: 0, limit: 10).map(\.position) == [7])
            try await second.close()
        }
    }

    @Test func aFailedAppendCommitsNothing() async throws {
        try await Self.withLog(.sqlite) { log, _ in
            try await log.append([Self.entry(Self.shard0, 1)])
            await #expect(throws: (any Error).self) {
                // Position 1 again violates the primary key: the whole append rolls back.
                try await log.append([Self.entry(Self.shard0, 2), Self.entry(Self.shard0, 1)])
            }
            #expect(try await log.read(log: Self.shard0, from: 0, limit: 10).map(\.position) == [1])
            try await log.append([Self.entry(Self.shard0, 2)])
            #expect(try await log.lastPosition(of: Self.shard0) == 2)
        }
    }
}
