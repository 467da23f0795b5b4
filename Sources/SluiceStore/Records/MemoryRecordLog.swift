/// Record logs that keep nothing beyond the process (`--in-memory`, tests).
public actor MemoryRecordLog: RecordLog {
    private var logs: [LogID: [LogRecord]] = [:]

    public init() {}

    public func append(_ entries: [LogEntry]) {
        for entry in entries { logs[entry.log, default: []].append(entry.record) }
    }

    public func read(log: LogID, from position: UInt64, limit: Int) -> [LogRecord] {
        guard let records = logs[log], limit > 0 else { return [] }
        let start = records.partitioningIndex { $0.position >= position }
        return Array(records[start..<min(start + limit, records.count)])
    }

    public func lastPosition(of log: LogID) -> UInt64? {
        logs[log]?.last?.position
    }

    public func trim(log: LogID, arrivedBefore arrivalMilliseconds: Int64) {
        logs[log]?.removeAll { $0.arrivalMilliseconds < arrivalMilliseconds }
    }

    public func deleteLogs(stream: String) {
        for log in logs.keys where log.stream == stream { logs[log] = nil }
    }

    public func close() {}
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then true along the array.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
