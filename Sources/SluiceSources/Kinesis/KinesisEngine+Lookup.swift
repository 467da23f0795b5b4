import SluiceCore

extension KinesisEngine {
    /// Whether a stream with this ARN exists (and is not being deleted): what a new event source mapping checks
    /// (`reference/esm-api.md` §5, "Stream not found").
    public func streamExists(arn: String) -> Bool {
        guard let parsed = ARN(arn), parsed.service == "kinesis", parsed.resource.hasPrefix("stream/") else {
            return false
        }
        let name = String(parsed.resource.dropFirst("stream/".count))
        guard let stream = streams[Kinesis.StoredStream.key(region: parsed.region, name: name)] else { return false }
        return stream.arn == arn
    }
}
