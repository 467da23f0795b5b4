"""Kinesis event source mappings when the function fails (issue 5): retries, record age, bisection,
ReportBatchItemFailures, timeouts and on-failure destinations (SQS, and SNS → SQS).

Expected behaviour: shared/reference/semantics.md §3; events.md §6, §7.1, §7.5.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from compat_support import (
    UUID_ANY,
    aws_client,
    function_arn,
    kinesis_arn,
    sqs_arn,
    uniq,
    wait_for_state,
    wait_until,
)
from kinesis_esm_support import Recorder, new_stream, put_record, put_records, queue_url_of, receive_all

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
RECORD_AGE = 60  # the smallest MaximumRecordAgeInSeconds AWS accepts


@pytest.fixture(scope="module", autouse=True)
def aged_record(url, kin):
    """A record put when the module starts, so that it is older than 60 s by the time the record-age test
    (the last of the module) runs, without that test sleeping a whole minute on its own."""
    arn, name = new_stream(url, kinesis_arn)
    put = put_record(kin, name, "old")
    return {"arn": arn, "name": name, "put": put, "at": time.monotonic()}


def parse_iso(text: str) -> float:
    assert ISO_MS.match(text), f"{text!r} is not ISO-8601 UTC with milliseconds and Z"
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp()


def check_batch_info(info, *, stream_arn, records):
    """KinesisBatchInfo (events.md §7.1) describing exactly `records` (Kinesis event records, in order)."""
    assert set(info) == {
        "shardId", "startSequenceNumber", "endSequenceNumber", "approximateArrivalOfFirstRecord",
        "approximateArrivalOfLastRecord", "batchSize", "streamArn",
    }, info
    first, last = records[0], records[-1]
    assert info["shardId"] == first["eventID"].split(":")[0]
    assert re.fullmatch(r"shardId-\d{12}", info["shardId"]), info["shardId"]
    assert info["startSequenceNumber"] == first["kinesis"]["sequenceNumber"]
    assert info["endSequenceNumber"] == last["kinesis"]["sequenceNumber"]
    assert abs(parse_iso(info["approximateArrivalOfFirstRecord"]) - first["kinesis"]["approximateArrivalTimestamp"]) < 0.002
    assert abs(parse_iso(info["approximateArrivalOfLastRecord"]) - last["kinesis"]["approximateArrivalTimestamp"]) < 0.002
    assert info["batchSize"] == len(records)
    assert info["streamArn"] == stream_arn


def check_failure_record(record, *, function, condition, invoke_count, request_id=None):
    expected_keys = {"requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo"}
    if condition == "RecordAgeExceeded":
        expected_keys.discard("responseContext")
    assert set(record) == expected_keys, record
    context = record["requestContext"]
    assert set(context) == {"requestId", "functionArn", "condition", "approximateInvokeCount"}, context
    assert UUID_ANY.match(context["requestId"]) and context["requestId"] == context["requestId"].lower(), context
    if request_id is not None:
        assert context["requestId"] == request_id, "requestId is not the last invocation's"
    assert context["functionArn"] == function_arn(function)
    assert context["condition"] == condition
    assert context["approximateInvokeCount"] == invoke_count
    if condition != "RecordAgeExceeded":
        assert record["responseContext"] == {
            "statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled",
        }
    assert record["version"] == "1.0"
    assert abs(parse_iso(record["timestamp"]) - time.time()) < 120


# --------------------------------------------------------------------------- retries


def test_maximum_retry_attempts_then_the_records_are_skipped(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    put_records(kin, name, ["bad", "good"])
    rec = Recorder(lam, tmp_path, POISON="bad")
    esm.create(rec.name, arn, BatchSize=1, MaximumRetryAttempts=2)
    rec.wait_delivered(["good"], timeout=45)
    time.sleep(1)
    assert rec.batches() == [["bad"], ["bad"], ["bad"], ["good"]], "expected 1 + 2 retries of 'bad', then 'good'"


def test_bisect_isolates_the_poison_record(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    values = [f"r{i}" for i in range(8)]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, POISON="r5")
    esm.create(rec.name, arn, BatchSize=8, BisectBatchOnFunctionError=True, MaximumRetryAttempts=0)
    rec.wait_delivered(["r6", "r7"], timeout=45)
    time.sleep(1)
    assert rec.batches() == [
        values,                  # fails: split
        values[:4],              # ok
        values[4:],              # fails: split
        ["r4", "r5"],            # fails: split
        ["r4"],                  # ok
        ["r5"],                  # fails alone, no retries left: given up
        ["r6", "r7"],            # ok
    ]


# --------------------------------------------------------------------------- ReportBatchItemFailures


def test_batch_item_failure_retries_from_the_reported_record(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    values = [f"p{i}" for i in range(6)]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, REPORT_ONCE="p3")
    esm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"])
    rec.wait_count(2, timeout=45)
    time.sleep(1.5)
    assert rec.batches() == [values, values[3:]]


def test_with_bisect_a_batch_item_failure_cuts_at_the_reported_record(lam, kin, esm, stream, tmp_path):
    """semantics.md §3: with BisectBatchOnFunctionError and ReportBatchItemFailures both on, a partial
    failure retries from the reported record instead of halving the batch."""
    arn, name = stream
    values = [f"c{i}" for i in range(6)]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, REPORT_ONCE="c4")
    esm.create(rec.name, arn, BatchSize=10, BisectBatchOnFunctionError=True,
               FunctionResponseTypes=["ReportBatchItemFailures"])
    rec.wait_count(2, timeout=45)
    time.sleep(1.5)
    assert rec.batches() == [values, values[4:]]


def test_malformed_batch_item_failures_retry_the_whole_batch(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    values = ["m0", "m1", "m2"]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, RESPONSE_ONCE=json.dumps({"batchItemFailures": [{"foo": 123}]}))
    esm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"])
    rec.wait_count(2, timeout=45)
    time.sleep(1.5)
    assert rec.batches() == [values, values]


def test_empty_batch_item_failures_is_a_success(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    values = ["e0", "e1", "e2"]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, RESPONSE_ONCE=json.dumps({"batchItemFailures": []}))
    created = esm.create(rec.name, arn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"])
    rec.wait_count(1)
    put_record(kin, name, "e3")
    rec.wait_delivered(["e3"])
    time.sleep(1)
    assert rec.batches() == [values, ["e3"]]
    assert lam.get_event_source_mapping(UUID=created["UUID"])["LastProcessingResult"] == "OK"


def test_function_timeout_counts_as_a_function_error(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    put_records(kin, name, ["slow-1", "slow-2"])
    rec = Recorder(lam, tmp_path, timeout=1, SLEEP_ONCE=4)
    esm.create(rec.name, arn, BatchSize=10, MaximumRetryAttempts=1)
    rec.wait_count(2, timeout=45)
    time.sleep(1)
    assert rec.batches() == [["slow-1", "slow-2"], ["slow-1", "slow-2"]], "a timed-out batch must be retried"


# --------------------------------------------------------------------------- on-failure destinations


def test_on_failure_sqs_destination_gets_the_invocation_record(lam, kin, url, esm, stream, tmp_path):
    arn, name = stream
    queue = sqs_arn()
    queue_url = queue_url_of(url, queue)
    marker = tmp_path / "failing"
    marker.touch()
    values = ["f1", "f2", "f3"]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, FAIL_WHILE=marker)
    esm.create(rec.name, arn, BatchSize=10, MaximumRetryAttempts=1,
               DestinationConfig={"OnFailure": {"Destination": queue}})
    messages = receive_all(url, queue_url, expected=1, wait=45)
    assert len(messages) == 1, messages
    record = json.loads(messages[0]["Body"])
    calls = rec.calls()
    assert [c["data"] for c in calls] == [values, values]
    check_failure_record(record, function=rec.name, condition="RetryAttemptsExhausted", invoke_count=2,
                         request_id=calls[-1]["request_id"])
    check_batch_info(record["KinesisBatchInfo"], stream_arn=arn, records=calls[0]["event"]["Records"])

    # The shard moved past the given-up batch.
    marker.unlink()
    put_record(kin, name, "after")
    rec.wait_delivered(["after"])
    time.sleep(1)
    assert rec.batches() == [values, values, ["after"]]


def test_on_failure_sns_destination_reaches_a_subscribed_queue(lam, kin, url, esm, stream, tmp_path):
    arn, name = stream
    sns = aws_client("sns", url)
    topic = sns.create_topic(Name=uniq("esm-failures"))["TopicArn"]
    queue = sqs_arn()
    queue_url = queue_url_of(url, queue)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)
    put_records(kin, name, ["n1", "n2"])
    rec = Recorder(lam, tmp_path, FAIL_ALWAYS=1)
    esm.create(rec.name, arn, BatchSize=10, MaximumRetryAttempts=0,
               DestinationConfig={"OnFailure": {"Destination": topic}})
    messages = receive_all(url, queue_url, expected=1, wait=45)
    assert len(messages) == 1, messages
    envelope = json.loads(messages[0]["Body"])
    assert envelope["Type"] == "Notification"
    assert envelope["TopicArn"] == topic
    assert "Subject" not in envelope, envelope
    record = json.loads(envelope["Message"])
    calls = rec.calls()
    assert [c["data"] for c in calls] == [["n1", "n2"]]
    check_failure_record(record, function=rec.name, condition="RetryAttemptsExhausted", invoke_count=1,
                         request_id=calls[0]["request_id"])
    check_batch_info(record["KinesisBatchInfo"], stream_arn=arn, records=calls[0]["event"]["Records"])


def test_default_infinite_retries_block_the_shard_until_the_function_recovers(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    marker = tmp_path / "failing"
    marker.touch()
    rec = Recorder(lam, tmp_path, FAIL_WHILE=marker)
    created = esm.create(rec.name, arn, BatchSize=1)  # MaximumRetryAttempts -1, no record age limit
    put_records(kin, name, ["head", "behind"])
    rec.wait_count(3, timeout=30)
    assert all(batch == ["head"] for batch in rec.batches()), f"the shard was not blocked: {rec.batches()}"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["LastProcessingResult"].startswith(
        "PROBLEM: Function call failed")
    marker.unlink()
    rec.wait_delivered(["behind"], timeout=30)
    time.sleep(1)
    batches = rec.batches()
    assert batches[-1] == ["behind"] and set(map(tuple, batches[:-1])) == {("head",)}, batches
    wait_until(lambda: lam.get_event_source_mapping(UUID=created["UUID"])["LastProcessingResult"] == "OK", 15,
               "LastProcessingResult OK after the function recovered")


def test_disable_during_retries_stops_and_enable_retries_the_same_batch(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    marker = tmp_path / "failing"
    marker.touch()
    rec = Recorder(lam, tmp_path, FAIL_WHILE=marker)
    created = esm.create(rec.name, arn, BatchSize=10)
    put_records(kin, name, ["stuck-1", "stuck-2"])
    rec.wait_count(2, timeout=30)
    assert lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)["State"] == "Disabling"
    wait_for_state(lam, created["UUID"], "Disabled", timeout=15)
    stopped = len(rec.calls())
    marker.unlink()
    time.sleep(3)
    assert len(rec.calls()) == stopped, "a Disabled mapping kept retrying its batch"
    lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
    wait_for_state(lam, created["UUID"], "Enabled")
    rec.wait_count(stopped + 1)
    put_record(kin, name, "next")
    rec.wait_delivered(["next"])
    time.sleep(1)
    batches = rec.batches()
    assert batches[-1] == ["next"] and all(b == ["stuck-1", "stuck-2"] for b in batches[:-1]), (
        f"the failing batch was not retried after Enable (or was skipped): {batches}"
    )


def test_throttled_invocations_do_not_use_up_retries(lam, kin, esm, stream, tmp_path):
    """semantics.md §3: an invocation that was not made (429) is retried with backoff and does not count
    toward MaximumRetryAttempts."""
    arn, name = stream
    rec = Recorder(lam, tmp_path)
    lam.put_function_concurrency(FunctionName=rec.name, ReservedConcurrentExecutions=0)
    esm.create(rec.name, arn, BatchSize=10, MaximumRetryAttempts=0)
    put_record(kin, name, "throttled")
    time.sleep(4)
    assert rec.calls() == []
    lam.delete_function_concurrency(FunctionName=rec.name)
    rec.wait_delivered(["throttled"], timeout=30)
    assert rec.batches() == [["throttled"]]


def test_missing_function_does_not_use_up_retries(lam, kin, esm, stream, tmp_path):
    """semantics.md §3 and §11: a deleted function leaves the mapping Enabled; its invocations are retried
    like throttles, so the records reach the function once it exists again."""
    arn, name = stream
    gone = Recorder(lam, tmp_path)
    created = esm.create(gone.name, arn, BatchSize=10, MaximumRetryAttempts=0)
    lam.delete_function(FunctionName=gone.name)
    put_record(kin, name, "orphan")
    time.sleep(4)
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Enabled"
    back = Recorder(lam, tmp_path, name=gone.name)
    back.wait_delivered(["orphan"], timeout=30)
    assert back.batches() == [["orphan"]]
    assert gone.calls() == []


def test_batch_item_failures_are_ignored_without_report_batch_item_failures(lam, kin, esm, stream, tmp_path):
    arn, name = stream
    values = ["i0", "i1", "i2"]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, REPORT_ALWAYS="i1")
    esm.create(rec.name, arn, BatchSize=10)  # FunctionResponseTypes []
    rec.wait_count(1)
    put_record(kin, name, "i3")
    rec.wait_delivered(["i3"])
    time.sleep(1.5)
    assert rec.batches() == [values, ["i3"]], "the response body was not ignored"


def test_reported_record_that_keeps_failing_goes_to_the_destination_alone(lam, kin, url, esm, stream, tmp_path):
    """semantics.md §3 / events.md §7.1: the remainder after a moved checkpoint is a new batch with a fresh
    retry budget; its failure record has batchSize 1 and responseContext.functionError null."""
    arn, name = stream
    queue = sqs_arn()
    queue_url = queue_url_of(url, queue)
    values = ["q0", "q1", "q2"]
    put_records(kin, name, values)
    rec = Recorder(lam, tmp_path, REPORT_ALWAYS="q2")
    esm.create(rec.name, arn, BatchSize=10, MaximumRetryAttempts=1,
               FunctionResponseTypes=["ReportBatchItemFailures"],
               DestinationConfig={"OnFailure": {"Destination": queue}})
    messages = receive_all(url, queue_url, expected=1, wait=45)
    calls = rec.calls()
    assert [c["data"] for c in calls] == [values, ["q2"], ["q2"]], "q2: once in its batch, then 1 + 1 retry alone"
    assert len(messages) == 1, messages
    record = json.loads(messages[0]["Body"])
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": None}
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestContext"]["requestId"] == calls[-1]["request_id"]
    check_batch_info(record["KinesisBatchInfo"], stream_arn=arn, records=calls[-1]["event"]["Records"])


# --------------------------------------------------------------------------- record age (keep last: it uses
# the record put when the module started)


def test_maximum_record_age_sends_old_records_to_the_destination_without_invoking(lam, kin, url, esm, tmp_path,
                                                                                  aged_record):
    arn, name = aged_record["arn"], aged_record["name"]
    remaining = aged_record["at"] + RECORD_AGE + 2 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    queue = sqs_arn()
    queue_url = queue_url_of(url, queue)
    rec = Recorder(lam, tmp_path)
    esm.create(rec.name, arn, BatchSize=10, MaximumRecordAgeInSeconds=RECORD_AGE,
               DestinationConfig={"OnFailure": {"Destination": queue}})
    put_record(kin, name, "fresh")
    rec.wait_delivered(["fresh"])
    messages = receive_all(url, queue_url, expected=1, wait=30)
    time.sleep(1)
    assert rec.delivered() == ["fresh"], "a record older than MaximumRecordAgeInSeconds was invoked"
    assert len(messages) == 1, messages
    record = json.loads(messages[0]["Body"])
    check_failure_record(record, function=rec.name, condition="RecordAgeExceeded", invoke_count=1)
    info = record["KinesisBatchInfo"]
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == aged_record["put"]["SequenceNumber"]
    assert info["shardId"] == aged_record["put"]["ShardId"]
    assert info["batchSize"] == 1
    assert info["streamArn"] == arn
    wait_until(lambda: lam.get_event_source_mapping(UUID=esm.uuids[0])["LastProcessingResult"] == "OK", 15,
               "LastProcessingResult OK")
