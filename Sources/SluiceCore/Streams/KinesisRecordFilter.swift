/// A Kinesis mapping's `FilterCriteria`, applied to stream records (`reference/semantics.md` §6).
///
/// A record is kept when it matches any of the filters (up to 5, 10 on request; an empty list keeps everything).
/// Patterns are matched against the record's ``Document``: the fields of the event's `kinesis` object, with `data`
/// decoded from base64 and parsed as JSON. The function still receives the original record, base64 and all.
public struct KinesisRecordFilter: Sendable {
    /// The mapping's `FilterCriteria.Filters`, parsed.
    public let patterns: [FilterPattern]
    /// Whether some pattern names `data` at its top level (directly or in a top-level `$or`); when none does, the
    /// data is never parsed.
    private let readsData: Bool

    /// - Parameters:
    ///   - patterns: the mapping's parsed filters (at most 5, or 10 on request, checked at Create / Update).
    public init(_ patterns: [FilterPattern]) {
        self.patterns = patterns
        readsData = patterns.contains { Self.namesData($0) }
    }

    /// The filters of a mapping's configuration (already validated at Create / Update).
    ///
    /// - Parameters:
    ///   - criteria: the mapping's `FilterCriteria`; `nil` or no filters keeps every record.
    public init(_ criteria: FilterCriteria?) throws(FilterPatternError) {
        var patterns: [FilterPattern] = []
        for filter in criteria?.filters ?? [] {
            patterns.append(try FilterPattern(parsing: filter.pattern ?? ""))
        }
        self.init(patterns)
    }

    /// Whether the mapping delivers `record`: it matches at least one filter, or there are none. A record it does
    /// not deliver is skipped and checkpointed past.
    ///
    /// - Parameters:
    ///   - record: a record read from the mapping's stream.
    public func matches(_ record: StreamRecord) -> Bool {
        guard !patterns.isEmpty else { return true }
        let document = Document(record, parsingData: readsData)
        return patterns.contains { document.matches($0) }
    }

    /// What a filter pattern sees of a Kinesis record (§6.3).
    ///
    /// ```json
    /// {"kinesisSchemaVersion":"1.0","partitionKey":"1","sequenceNumber":"4959…8898",
    ///  "data":{"RecordNumber":"0001"},"approximateArrivalTimestamp":1545084650.987}
    /// ```
    ///
    /// The filterable root is the Kinesis record itself, the `kinesis` object of the event at the top level (AWS
    /// docs filter with `{"partitionKey":["1"]}` and `{"data":{…}}`). The keys Lambda adds around it
    /// (`eventSource`, `eventVersion`, `eventID`, `eventName`, `invokeIdentityArn`, `awsRegion`,
    /// `eventSourceARN`) are not part of it: Pipes documents `eventSourceARN`, `eventSource`, `awsRegion` as added
    /// after filtering, and Sluice treats the rest alike (**uncertain**; current Lambda docs even say that Kinesis
    /// mappings filter only on `data`). `approximateArrivalTimestamp` is the number the event carries, so `numeric`
    /// works on it.
    ///
    /// `data` is base64-decoded and parsed as JSON (RFC 8259, UTF-8; any JSON value). When it is not JSON, a
    /// pattern that names `data` drops the record, whatever its condition (even `{"exists": false}`), while
    /// patterns on the other keys still apply (§6.3).
    public struct Document: Sendable, Equatable {
        /// `kinesisSchemaVersion`, `partitionKey`, `sequenceNumber`, `approximateArrivalTimestamp`.
        public var metadata: JSONObject
        /// The decoded data, or `nil` when it is not JSON (or was not parsed).
        public var data: JSONValue?

        /// - Parameters:
        ///   - record: the stream record.
        public init(_ record: StreamRecord) {
            self.init(record, parsingData: true)
        }

        init(_ record: StreamRecord, parsingData: Bool) {
            metadata = [
                "kinesisSchemaVersion": "1.0",
                "partitionKey": .string(record.partitionKey),
                "sequenceNumber": .string(record.sequenceNumber.text),
                "approximateArrivalTimestamp": .number(JSONNumber(checkedLiteral: record.arrival.epochSecondsText)),
            ]
            data = parsingData ? try? JSONValue(parsing: record.data) : nil
        }

        /// The document as JSON: the metadata, plus `data` when it is JSON.
        public var value: JSONValue {
            var object = metadata
            object["data"] = data
            return .object(object)
        }

        /// Whether `pattern` matches this record (§6.1, §6.2, and the non-JSON `data` rule of §6.3).
        ///
        /// - Parameters:
        ///   - pattern: one filter of the mapping.
        public func matches(_ pattern: FilterPattern) -> Bool {
            guard case .some = data else { return pattern.matches(.object(metadata), unreadableKey: "data") }
            return pattern.matches(value)
        }
    }

    private static func namesData(_ pattern: FilterPattern) -> Bool {
        pattern.rule(forKey: "data") != nil || pattern.alternatives.contains { namesData($0) }
    }
}
