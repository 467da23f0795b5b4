"""Helpers for the Kinesis event-source-mapping behaviour tests (test_kinesis_esm*.py, issue 5).

Every test runs a REAL python function on the real `sluice`. The function (RECORDER) appends one JSON
line per invocation to the file named by its `OUT` environment variable and is scripted through
other environment variables (fail, sleep, report batch item failures, keep tumbling-window state).
Tests poll those files with generous timeouts: they assert behaviour, never timing.

Facts come from `shared/reference/semantics.md` §1–§5, §8, §11 and `events.md` §1, §5–§7.
"""

from __future__ import annotations

import time

import pytest

import compat_support
import recorder_support
from compat_support import RECORDER_HELPERS, aws_client

# Scripting (all optional, environment variables of the function):
#   OUT            file that gets one JSON line per invocation ("kind": "call"), written first thing
#   ONCE_DIR       directory for "first time only" markers (needed by the *_ONCE switches)
#   SLEEP          seconds to sleep after logging the call; then a {"kind": "end"} line is written
#   SLEEP_ONCE     seconds to sleep on the first invocation only (e.g. to run into the function timeout)
#   FAIL_ALWAYS    raise on every invocation
#   POISON         raise when a record's data equals this string
#   FAIL_WHILE     raise while this file exists
#   FAIL_WHILE_KEY with FAIL_WHILE: raise only when a record of the batch has this partition key
#   REPORT_ONCE    comma-separated data values: the first time each is seen, report its sequence number
#                  in batchItemFailures
#   REPORT_ALWAYS  comma-separated data values reported in batchItemFailures every time they are seen
#   RESPONSE_ONCE  JSON returned by the first invocation (later ones return null)
#   BRIEF          log only the first 16 characters of each record's data and not the event (large records)
#   TUMBLING       keep {"count": n} in the tumbling-window state: returns {"state": {"count": old + len}}
RECORDER = r'''
import base64, fcntl, json, os, time
''' + RECORDER_HELPERS + r'''

def handler(event, context):
    env = os.environ
    records = event.get("Records") or []
    data = []
    for record in records:
        raw = base64.b64decode(record["kinesis"]["data"])
        try:
            data.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            data.append(None)
    seqs = [r["kinesis"]["sequenceNumber"] for r in records]
    line = {
        "kind": "call",
        "pid": os.getpid(),
        "start": time.time(),
        "request_id": context.aws_request_id,
        "function": context.function_name,
        "data": data,
        "seqs": seqs,
        "keys": [r["kinesis"]["partitionKey"] for r in records],
        "event": event,
    }
    if env.get("BRIEF"):
        line["data"] = [d[:16] if d is not None else None for d in data]
        line["event"] = {"Records": [{"kinesis": {"sequenceNumber": s}} for s in seqs], "brief": True}
    result = None
    if env.get("TUMBLING"):
        state = dict(event.get("state") or {})
        state["count"] = state.get("count", 0) + len(records)
        result = {"state": state}
        line["returned"] = result
    _log(line)
    sleep = float(env.get("SLEEP") or 0)
    if env.get("SLEEP_ONCE") and _first_time("sleep"):
        sleep = float(env["SLEEP_ONCE"])
    if sleep:
        time.sleep(sleep)
        _log({"kind": "end", "pid": os.getpid(), "request_id": context.aws_request_id,
              "start": line["start"], "end": time.time(), "data": data})
    if env.get("FAIL_ALWAYS"):
        raise RuntimeError("scripted failure")
    if env.get("POISON") and env["POISON"] in data:
        raise RuntimeError("poison record")
    if env.get("FAIL_WHILE") and os.path.exists(env["FAIL_WHILE"]):
        if not env.get("FAIL_WHILE_KEY") or env["FAIL_WHILE_KEY"] in line["keys"]:
            raise RuntimeError("failing while the marker exists")
    if env.get("RESPONSE_ONCE") and _first_time("response"):
        return json.loads(env["RESPONSE_ONCE"])
    report = [d for d in (env.get("REPORT_ONCE") or "").split(",") if d]
    failures = [{"itemIdentifier": s} for s, d in zip(seqs, data) if d in report and _first_time("report-" + d)]
    always = [d for d in (env.get("REPORT_ALWAYS") or "").split(",") if d]
    failures += [{"itemIdentifier": s} for s, d in zip(seqs, data) if d in always]
    if failures:
        return {"batchItemFailures": failures}
    return result
'''


class Recorder(recorder_support.Recorder):
    """A real python function (RECORDER) plus the file it writes its invocations to; a call line lists the
    delivered data under "data"."""

    SOURCE = RECORDER
    PREFIX = "kesm"
    KEY = "data"
    TIMEOUT = 30


def stream_name(arn: str) -> str:
    return arn.rsplit("/", 1)[1]


def wait_stream_active(kin, name, timeout=20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        status = kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
        if status == "ACTIVE":
            return
        if time.monotonic() > deadline:
            pytest.fail(f"stream {name} still {status} after {timeout}s")
        time.sleep(0.05)


def put_records(kin, name, datas, keys=None) -> list[dict]:
    """One PutRecords call; returns its entries ({SequenceNumber, ShardId}) in request order."""
    keys = keys or ["pk"] * len(datas)
    response = kin.put_records(
        StreamName=name,
        Records=[{"Data": d.encode() if isinstance(d, str) else d, "PartitionKey": k} for d, k in zip(datas, keys)],
    )
    assert response.get("FailedRecordCount", 0) == 0, response
    return response["Records"]


def put_record(kin, name, data, key="pk") -> dict:
    return kin.put_record(StreamName=name, Data=data.encode() if isinstance(data, str) else data, PartitionKey=key)


class Mappings(compat_support.Mappings):
    """Creates Kinesis mappings (from TRIM_HORIZON unless told) and deletes whatever is left at teardown; waits
    only for enabled ones."""

    WAIT_FOR_DISABLED = False

    def create(self, function, stream_arn, *, wait=True, **params) -> dict:
        params.setdefault("StartingPosition", "TRIM_HORIZON")
        return super().create(function, stream_arn, wait=wait, **params)


def new_stream(url, kinesis_arn) -> tuple[str, str]:
    """(arn, name) of a new 1-shard stream, ACTIVE."""
    arn = kinesis_arn()
    name = stream_name(arn)
    wait_stream_active(aws_client("kinesis", url), name)
    return arn, name


def receive_all(url, queue_url, expected=1, wait=30.0) -> list[dict]:
    from invoke_support import sqs_receive

    messages = sqs_receive(url, queue_url, wait=wait, expected=expected)
    assert len(messages) >= expected, f"expected {expected} message(s) in {queue_url} within {wait}s, got {messages}"
    return messages


def queue_url_of(url, queue_arn) -> str:
    return aws_client("sqs", url).get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
