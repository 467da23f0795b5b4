"""SQS event source mappings deliver messages to real python functions (issue 6): the event, deletion on success,
function errors and the queue's redrive policy, ReportBatchItemFailures, filters and batching.

Expected behaviour: shared/reference/semantics.md §1, §6.3, §7; events.md §3, §6. FIFO order, concurrency,
validation, the lifecycle and restarts are in test_sqs_esm_fifo.py and test_sqs_esm_lifecycle.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from compat_support import REGION, mapping_metrics, wait_until
from sqs_esm_support import (
    QUIET,
    Recorder,
    counts,
    new_queue,
    send_batch,
    wait_counts,
)

RBIF = ["ReportBatchItemFailures"]


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


# --------------------------------------------------------------------------- the event

RECORD_KEYS = {
    "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "md5OfMessageAttributes",
    "eventSource", "eventSourceARN", "awsRegion",
}


def test_standard_queue_event_shape(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    before = int(time.time() * 1000)
    plain = sqs.send_message(QueueUrl=q, MessageBody=json.dumps({"foo": "bar"}))
    with_attributes = sqs.send_message(
        QueueUrl=q,
        MessageBody="héllo wörld",
        MessageAttributes={
            "color": {"DataType": "String", "StringValue": "red"},
            "count": {"DataType": "Number", "StringValue": "6"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01binary"},
        },
    )
    after = int(time.time() * 1000)
    sesm.create(rec.name, arn, BatchSize=10)
    rec.wait_delivered([json.dumps({"foo": "bar"}), "héllo wörld"])
    wait_counts(sqs, q, (0, 0))
    records = {r["messageId"]: r for r in rec.records()}
    assert set(records) == {plain["MessageId"], with_attributes["MessageId"]}
    calls = rec.calls()
    assert all(set(call["event"]) == {"Records"} for call in calls), [sorted(c["event"]) for c in calls]

    for record in records.values():
        assert set(record) == RECORD_KEYS, sorted(record)
        assert record["eventSource"] == "aws:sqs"
        assert record["eventSourceARN"] == arn
        assert record["awsRegion"] == REGION
        assert isinstance(record["receiptHandle"], str) and record["receiptHandle"]
        assert record["md5OfBody"] == md5(record["body"])
        attributes = record["attributes"]
        assert set(attributes) >= {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
                                   "ApproximateFirstReceiveTimestamp"}, attributes
        assert all(isinstance(v, str) for v in attributes.values()), attributes
        assert attributes["ApproximateReceiveCount"] == "1"
        assert before - 1000 <= int(attributes["SentTimestamp"]) <= after + 1000, (before, attributes, after)
        assert int(attributes["ApproximateFirstReceiveTimestamp"]) >= int(attributes["SentTimestamp"])
        assert attributes["SenderId"]
        assert not {"SequenceNumber", "MessageGroupId", "MessageDeduplicationId"} & set(attributes)

    first = records[plain["MessageId"]]
    assert first["body"] == '{"foo": "bar"}', "a JSON body must reach the function as the original string"
    assert first["md5OfBody"] == plain["MD5OfMessageBody"]
    assert first["messageAttributes"] == {}
    assert first["md5OfMessageAttributes"] is None

    second = records[with_attributes["MessageId"]]
    assert second["body"] == "héllo wörld"
    assert second["md5OfBody"] == with_attributes["MD5OfMessageBody"] == md5("héllo wörld")
    assert second["md5OfMessageAttributes"] == with_attributes["MD5OfMessageAttributes"]
    assert second["messageAttributes"] == {
        "color": {"stringValue": "red", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
        "count": {"stringValue": "6", "stringListValues": [], "binaryListValues": [], "dataType": "Number"},
        "blob": {"binaryValue": base64.b64encode(b"\x00\x01binary").decode(), "stringListValues": [],
                 "binaryListValues": [], "dataType": "Binary"},
    }


def test_fifo_queue_event_shape(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, fifo=True)
    rec = Recorder(lam, tmp_path)
    sent = [
        sqs.send_message(QueueUrl=q, MessageBody=f"fifo-{i}", MessageGroupId="group-1",
                         MessageDeduplicationId=f"dedup-{i}")
        for i in range(3)
    ]
    sesm.create(rec.name, arn, BatchSize=10)
    rec.wait_delivered(["fifo-0", "fifo-1", "fifo-2"])
    wait_counts(sqs, q, (0, 0))
    records = rec.records()
    assert [r["body"] for r in records] == ["fifo-0", "fifo-1", "fifo-2"], "FIFO order within the group"
    for i, (record, sent_one) in enumerate(zip(records, sent)):
        assert set(record) == RECORD_KEYS, sorted(record)
        assert record["messageId"] == sent_one["MessageId"]
        assert record["eventSource"] == "aws:sqs"
        assert record["eventSourceARN"] == arn
        assert record["awsRegion"] == REGION
        assert record["md5OfBody"] == md5(f"fifo-{i}")
        assert record["md5OfMessageAttributes"] is None
        assert record["messageAttributes"] == {}
        attributes = record["attributes"]
        assert set(attributes) >= {
            "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
            "SequenceNumber", "MessageGroupId", "MessageDeduplicationId",
        }, attributes
        assert all(isinstance(v, str) for v in attributes.values()), attributes
        assert attributes["SequenceNumber"] == sent_one["SequenceNumber"]
        assert attributes["MessageGroupId"] == "group-1"
        assert attributes["MessageDeduplicationId"] == f"dedup-{i}"
        assert attributes["ApproximateReceiveCount"] == "1"


# --------------------------------------------------------------------------- success and failure


def test_success_deletes_the_messages(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    sesm.create(rec.name, arn, BatchSize=10)
    bodies = [f"ok-{i}" for i in range(7)]
    send_batch(sqs, q, bodies)
    rec.wait_delivered(bodies)
    wait_counts(sqs, q, (0, 0))
    assert sorted(rec.delivered()) == sorted(bodies)


def test_function_error_returns_the_batch_after_the_visibility_timeout(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, FAIL_ONCE="fails-first")
    sesm.create(rec.name, arn, BatchSize=10)
    sqs.send_message(QueueUrl=q, MessageBody="fails-first")
    calls = rec.wait_times("fails-first", 2)
    first, second = calls[0], calls[1]
    assert first["raised"] and first["counts"] == [1], first
    assert not second["raised"] and second["counts"] == [2], second
    assert second["ids"] == first["ids"], "the same message comes back"
    # It came back when its visibility timeout (2 s) ended, not at once.
    assert second["start"] - first["start"] >= 1.5, (first["start"], second["start"])
    wait_counts(sqs, q, (0, 0))
    time.sleep(QUIET)
    assert rec.delivered() == ["fails-first", "fails-first"]


def test_redrive_policy_moves_a_failing_message_to_the_dead_letter_queue(lam, sqs, sesm, tmp_path):
    dlq, dlq_arn = new_queue(sqs)
    q, arn = new_queue(
        sqs, visibility=2, RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})
    )
    rec = Recorder(lam, tmp_path, timeout=2, FAIL_ALWAYS=1)
    sesm.create(rec.name, arn, BatchSize=10)
    sent = sqs.send_message(QueueUrl=q, MessageBody="poison")
    rec.wait_times("poison", 2)
    deadline = time.monotonic() + 30
    moved = []
    while not moved and time.monotonic() < deadline:
        moved = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1, AttributeNames=["All"]).get("Messages", [])
    assert moved, f"the message never reached the dead-letter queue; invocations: {rec.batches()}"
    assert moved[0]["MessageId"] == sent["MessageId"]
    assert moved[0]["Body"] == "poison"
    wait_counts(sqs, q, (0, 0))
    time.sleep(QUIET)
    assert [c["counts"] for c in rec.calls()] == [[1], [2]], "expected exactly two failed invocations"


# --------------------------------------------------------------------------- ReportBatchItemFailures


def test_report_batch_item_failures_returns_only_the_listed_messages(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, REPORT_ONCE="r2")
    sesm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=RBIF, Enabled=False)
    send_batch(sqs, q, ["r1", "r2", "r3"])
    uuid = sesm.uuids[-1]
    lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    rec.wait_times("r2", 2)
    wait_counts(sqs, q, (0, 0))
    time.sleep(QUIET)
    delivered = rec.delivered()
    assert sorted(delivered) == ["r1", "r2", "r2", "r3"], rec.batches()
    retry = [c for c in rec.calls() if c["counts"] and max(c["counts"]) > 1]
    assert [(c["bodies"], c["counts"]) for c in retry] == [(["r2"], [2])], "only r2 comes back"


@pytest.mark.parametrize(
    "responses",
    [[None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}, [], ""]],
    ids=["null-empty-list-and-friends"],
)
def test_report_batch_item_failures_empty_responses_delete_everything(lam, sqs, sesm, tmp_path, responses):
    """events.md §6: nothing/null, {}, an empty or null batchItemFailures, [] and "" are complete successes."""
    setups = []
    for response in responses:
        q, arn = new_queue(sqs, visibility=2)
        env = {"RESPONSE": json.dumps(response)} if response is not None else {}
        rec = Recorder(lam, tmp_path, timeout=2, **env)
        sesm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=RBIF)
        send_batch(sqs, q, ["e1", "e2"])
        setups.append((response, q, rec))
    for response, q, rec in setups:
        rec.wait_delivered(["e1", "e2"])
        wait_counts(sqs, q, (0, 0))
    time.sleep(QUIET)
    for response, q, rec in setups:
        assert sorted(rec.delivered()) == ["e1", "e2"], f"response {response!r}: {rec.batches()}"
        assert counts(sqs, q) == (0, 0), f"response {response!r}"


@pytest.mark.parametrize(
    "response",
    [
        {"batchItemFailures": [{"itemIdentifier": "not-in-this-batch"}]},
        {"batchItemFailures": [{"foo": 123}]},
        {"batchItemFailures": [{"itemIdentifier": ""}]},
        {"batchItemFailures": [{"itemIdentifier": None}]},
    ],
    ids=["unknown-id", "no-itemIdentifier", "empty-id", "null-id"],
)
def test_report_batch_item_failures_malformed_response_fails_the_whole_batch(lam, sqs, sesm, tmp_path, response):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, RESPONSE_ONCE=json.dumps(response))
    sesm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=RBIF, Enabled=False)
    send_batch(sqs, q, ["m1", "m2"])
    lam.update_event_source_mapping(UUID=sesm.uuids[-1], Enabled=True)
    rec.wait(lambda calls: sorted(rec.delivered()) == ["m1", "m1", "m2", "m2"], 30,
             "both messages delivered twice (the malformed response failed the whole batch)")
    wait_counts(sqs, q, (0, 0))
    calls = rec.calls()
    assert calls[0]["response"] == response and sorted(calls[0]["bodies"]) == ["m1", "m2"], calls[0]
    assert all(n == 2 for c in calls[1:] for n in c["counts"]), [(c["bodies"], c["counts"]) for c in calls]


def test_report_batch_item_failures_response_that_is_not_json_fails_the_whole_batch(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, raw_response="this is { not json")
    sesm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=RBIF, Enabled=False)
    send_batch(sqs, q, ["n1", "n2"])
    lam.update_event_source_mapping(UUID=sesm.uuids[-1], Enabled=True)
    # Every answer is not JSON, so the messages keep coming back: at least twice each, the receive count growing.
    calls = rec.wait(lambda calls: rec.delivered().count("n1") >= 2 and rec.delivered().count("n2") >= 2, 30,
                     "n1 and n2 delivered again after a non-JSON response")
    assert max(n for c in calls for n in c["counts"]) >= 2
    assert sum(counts(sqs, q)) == 2, "the messages must stay in the queue"


def test_without_report_batch_item_failures_the_response_is_ignored(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, REPORT_ONCE="i1,i2")
    sesm.create(rec.name, arn, BatchSize=10, Enabled=False)
    send_batch(sqs, q, ["i1", "i2", "i3"])
    lam.update_event_source_mapping(UUID=sesm.uuids[-1], Enabled=True)
    rec.wait_delivered(["i1", "i2", "i3"])
    wait_counts(sqs, q, (0, 0))
    time.sleep(QUIET)
    assert sorted(rec.delivered()) == ["i1", "i2", "i3"], rec.batches()
    assert any(c["reported"] for c in rec.calls()), "the function did report failures"


# --------------------------------------------------------------------------- filters


def test_filter_on_json_body_delivers_matches_and_deletes_the_rest(lam, sqs, sesm, url, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    created = sesm.create(rec.name, arn, BatchSize=10,
                FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["keep"]}})}]})
    keep1 = json.dumps({"kind": "keep", "n": 1})
    keep2 = json.dumps({"kind": "keep", "n": 4})
    send_batch(sqs, q, [keep1, json.dumps({"kind": "drop", "n": 2}), "not json at all", keep2, json.dumps({"n": 5}),
                        "keep"])
    rec.wait_delivered([keep1, keep2])
    wait_counts(sqs, q, (0, 0))
    time.sleep(1)
    assert sorted(rec.delivered()) == sorted([keep1, keep2]), rec.batches()
    assert counts(sqs, q) == (0, 0), "non-matching messages must be deleted from the queue"
    metrics = mapping_metrics(url, created["UUID"])
    assert metrics["sluice_esm_records_polled_total"] == 6
    assert metrics["sluice_esm_records_filtered_total"] == 4
    assert metrics["sluice_esm_invocations_total"] == len(rec.calls())
    assert metrics["sluice_esm_errors_total"] == 0


def test_filter_on_plain_string_body(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    sesm.create(rec.name, arn, BatchSize=10, FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": ["ping"]})}]})
    send_batch(sqs, q, ["ping", "pong", json.dumps({"body": "ping"}), "ping ", "PING", "ping"])
    rec.wait(lambda calls: rec.delivered().count("ping") == 2, 30, "both pings")
    wait_counts(sqs, q, (0, 0))
    time.sleep(1)
    assert rec.delivered() == ["ping", "ping"], rec.batches()


# --------------------------------------------------------------------------- batching


def test_batch_size_is_respected_and_every_message_arrives_once(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path, BRIEF=1)
    bodies = [f"b-{i:02d}" for i in range(25)]
    send_batch(sqs, q, bodies)
    sesm.create(rec.name, arn, BatchSize=10)
    rec.wait_delivered(bodies)
    wait_counts(sqs, q, (0, 0))
    time.sleep(1)
    assert sorted(rec.delivered()) == bodies, "lost or repeated messages"
    assert max(len(b) for b in rec.batches()) <= 10, [len(b) for b in rec.batches()]


def test_batching_window_gathers_a_burst_into_few_batches(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=60)
    rec = Recorder(lam, tmp_path, BRIEF=1)
    sesm.create(rec.name, arn, BatchSize=100, MaximumBatchingWindowInSeconds=2)
    bodies = [f"w-{i:02d}" for i in range(50)]
    send_batch(sqs, q, bodies)
    rec.wait_delivered(bodies)
    wait_counts(sqs, q, (0, 0))
    time.sleep(1)
    assert sorted(rec.delivered()) == bodies, "lost or repeated messages"
    sizes = [len(b) for b in rec.batches()]
    assert len(sizes) <= 3, f"50 messages sent in a burst came in {len(sizes)} batches: {sizes}"
    assert max(sizes) > 10, sizes


def test_small_batch_size_one(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path, BRIEF=1)
    bodies = [f"one-{i}" for i in range(5)]
    send_batch(sqs, q, bodies)
    sesm.create(rec.name, arn, BatchSize=1)
    rec.wait_delivered(bodies)
    wait_until(lambda: counts(sqs, q) == (0, 0), 30, "queue empty")
    assert all(len(b) == 1 for b in rec.batches()), rec.batches()
    assert sorted(rec.delivered()) == bodies
