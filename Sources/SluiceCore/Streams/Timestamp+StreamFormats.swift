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
        let parts = dateParts
        return parts.dateAndTime + "." + Self.padded(parts.milliseconds, 3) + "Z"
    }

    /// `2019-11-14T00:13:19Z`, rounded down to the second: tumbling-window bounds (§5) and DynamoDB
    /// `approximateArrivalOf…Record` (§7.1).
    public var iso8601Seconds: String {
        dateParts.dateAndTime + "Z"
    }

    /// Sign, whole seconds and milliseconds of the magnitude: `-1.5 s` is `(true, 1, 500)`.
    var epochSecondsParts: (negative: Bool, seconds: UInt64, milliseconds: Int) {
        let magnitude = millisecondsSinceEpoch.magnitude
        return (millisecondsSinceEpoch < 0, magnitude / 1000, Int(magnitude % 1000))
    }

    /// `YYYY-MM-DDTHH:MM:SS` (UTC, proleptic Gregorian) and the milliseconds past that second.
    private var dateParts: (dateAndTime: String, milliseconds: Int) {
        var seconds = millisecondsSinceEpoch / 1000
        var milliseconds = millisecondsSinceEpoch % 1000
        if milliseconds < 0 {
            milliseconds += 1000
            seconds -= 1
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: Int(days))
        let date = "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))"
        let time =
            "\(Self.padded(secondOfDay / 3600, 2)):\(Self.padded(secondOfDay / 60 % 60, 2)):"
            + Self.padded(secondOfDay % 60, 2)
        return (date + "T" + time, Int(milliseconds))
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
