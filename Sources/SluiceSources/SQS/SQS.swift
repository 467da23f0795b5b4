/// The embedded SQS: queue and message rules as pure values, the typed operations of the JSON protocol (member
/// names of botocore's sqs model) and ``SQSEngine``, the actor that keeps queues and messages in a ``QueueStorage``
/// (`reference/wire-protocols.md` §3, §7; `reference/semantics.md` §7).
///
/// A namespace, because SNS (in the same target) has shapes of the same names (`MessageAttributeValue`, …).
public enum SQS {}
