/// The embedded Kinesis: the stream model, the typed operations of the JSON 1.1 API (member names of botocore's
/// kinesis model) and ``KinesisEngine``, the actor that keeps streams in a `DocumentStore` and records in a
/// `RecordLog` (`reference/wire-protocols.md` §1, §3, §7).
///
/// A namespace, because DynamoDB Streams (in the same target) has shapes of the same names (`Shard`, `Record`,
/// `SequenceNumberRange`, `StreamDescription`, `GetRecordsInput`, …).
public enum Kinesis {}
