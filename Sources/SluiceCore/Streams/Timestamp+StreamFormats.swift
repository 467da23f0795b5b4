/// The time formats of stream events and failure records (`reference/events.md` §1, §5, §7.1).
extension Timestamp {
    /// Epoch seconds as the JSON number of Kinesis `approximateArrivalTimestamp` (§1): `1545084650.987`.
    ///
    /// The shortest decimal that reads back as the same milliseconds, with at least one fraction digit:
    /// `1545084650.98` for 980 ms, `1545084650.0` on a whole second. That is how AWS prints a float of seconds: the
    /// Kinesis records of a Pipes capture show `1700321084.47`, and DynamoDB's `ApproximateCreationDateTime` (the
    /// same kind of field) reads `1671562498.0`. Whether Lambda pads Kinesis times to three digits instead is
    /// **uncertain**; clients parse both as the same float.
    public var epochSecondsText: String {
        var writer = PayloadWriter(capacity: 24)
        writer.writeEpochSeconds(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// `2019-11-14T00:38:06.021Z`: failure-record `timestamp` and Kinesis `approximateArrivalOf…Record` (§7.1).
    public var iso8601Milliseconds: String {
        // `lambdaISO8601` is `2024-11-25T10:00:00.123+0000`.
        String(lambdaISO8601.dropLast("+0000".count)) + "Z"
    }

    /// `2019-11-14T00:13:19Z`, rounded down to the second: tumbling-window bounds (§5) and DynamoDB
    /// `approximateArrivalOf…Record` (§7.1).
    public var iso8601Seconds: String {
        String(lambdaISO8601.prefix("2024-11-25T10:00:00".count)) + "Z"
    }

    var epochSecondsParts: (negative: Bool, seconds: UInt64, milliseconds: Int) {
        let magnitude = millisecondsSinceEpoch.magnitude
        return (millisecondsSinceEpoch < 0, magnitude / 1000, Int(magnitude % 1000))
    }
}
