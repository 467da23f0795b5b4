"""Helpers for the Kinesis event-source-mapping behaviour tests (test_kinesis_esm*.py, issue 5).

Every test runs a REAL python function on the real `sluice`. The function (RECORDER) appends one JSON
line per invocation to the file named by its `OUT` environment variable and is scripted through
other environment variables (fail, sleep, report batch item failures, keep tumbling-window state).
Tests poll those files with generous timeouts: they assert behaviour, never timing.

Facts come from `shared/reference/semantics.md` §1–§5, §8, §11 and `events.md` §1, §5–§7.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from compat_support import RECORDER_HELPERS, aws_client, uniq, wait_for_state, wait_for_deleted
from invoke_support import python_function

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


class Recorder:
    """A real python function plus the file it writes its invocations to."""

    def __init__(self, client, directory: Path, *, timeout=30, name=None, **env):
        self.dir = Path(directory) / uniq("rec")
        self.dir.mkdir(parents=True)
        self.out = self.dir / "out.jsonl"
        self.out.touch()
        once = self.dir / "once"
        once.mkdir()
        variables = {"OUT": str(self.out), "ONCE_DIR": str(once)}
        variables.update({k: str(v) for k, v in env.items()})
        self.name = python_function(
            client, RECORDER, name=name, prefix="kesm", Timeout=timeout, Environment={"Variables": variables}
        )

    def lines(self) -> list[dict]:
        text = self.out.read_text()
        out = []
        for line in text.splitlines():
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a line being written right now
        return out

    def calls(self) -> list[dict]:
        return [line for line in self.lines() if line["kind"] == "call"]

    def ends(self) -> list[dict]:
        return [line for line in self.lines() if line["kind"] == "end"]

    def batches(self) -> list[list]:
        """The data of each invocation, in invocation order."""
        return [call["data"] for call in self.calls()]

    def delivered(self) -> list:
        return [d for batch in self.batches() for d in batch]

    def wait(self, predicate, timeout=30.0, what="the expected invocations") -> list[dict]:
        """Poll until predicate(calls) is true; fail with every batch seen so far."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls()
            if predicate(calls):
                return calls
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not seen within {timeout}s; batches seen: {[c['data'] for c in calls]}")
            time.sleep(0.1)

    def wait_delivered(self, expected, timeout=30.0) -> list[dict]:
        """Wait until every value of `expected` was delivered at least once."""
        expected = list(expected)
        return self.wait(
            lambda calls: set(expected) <= {d for c in calls for d in c["data"]},
            timeout,
            f"delivery of {expected}",
        )

    def wait_count(self, count, timeout=30.0) -> list[dict]:
        return self.wait(lambda calls: len(calls) >= count, timeout, f"{count} invocation(s)")


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


class Mappings:
    """Creates mappings and deletes whatever is left at teardown (an always-failing function with the
    default infinite retries would otherwise keep the server busy for the rest of the module)."""

    def __init__(self, client):
        self.client = client
        self.uuids: list[str] = []

    def create(self, function, stream_arn, *, wait=True, **params) -> dict:
        params.setdefault("StartingPosition", "TRIM_HORIZON")
        created = self.client.create_event_source_mapping(FunctionName=function, EventSourceArn=stream_arn, **params)
        self.uuids.append(created["UUID"])
        if wait and params.get("Enabled", True):
            wait_for_state(self.client, created["UUID"], "Enabled")
        return created

    def delete(self, mapping_uuid) -> None:
        self.client.delete_event_source_mapping(UUID=mapping_uuid)
        wait_for_deleted(self.client, mapping_uuid)
        self.uuids.remove(mapping_uuid)

    def cleanup(self) -> None:
        for mapping_uuid in list(self.uuids):
            try:
                state = self.client.get_event_source_mapping(UUID=mapping_uuid)["State"]
                if state in ("Creating", "Updating", "Enabling", "Disabling"):
                    wait_for_state(self.client, mapping_uuid, "Enabled" if state != "Disabling" else "Disabled")
                self.client.delete_event_source_mapping(UUID=mapping_uuid)
            except Exception:  # noqa: BLE001 - best effort; the module's server is stopped anyway
                pass


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
