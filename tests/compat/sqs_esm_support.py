"""Helpers for the SQS event-source-mapping behaviour tests (test_sqs_esm*.py, issue 6).

Every test runs a REAL python function on the real `sluice`. The function (RECORDER) appends one JSON line
per invocation to the file named by its `OUT` environment variable and is scripted through other environment
variables (fail, sleep, report batch item failures, return a fixed response). Tests poll those files with
generous timeouts: they assert behaviour, never timing.

Facts come from `shared/reference/semantics.md` §1, §6.3, §7, §11 and `events.md` §3, §6.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import compat_support
import recorder_support
from compat_support import ACCOUNT, RECORDER_HELPERS, REGION, ROLE, uniq
from invoke_support import zip_of, wait_active

QUIET = 3.0  # seconds to wait when asserting that something does NOT happen

# Scripting (all optional, environment variables of the function):
#   OUT            file that gets one JSON line per invocation ("kind": "call"), written first thing
#   ONCE_DIR       directory for "first time only" markers (needed by the *_ONCE switches)
#   SLEEP          seconds to sleep after logging the call; then a {"kind": "end"} line is written
#   FAIL_ALWAYS    raise on every invocation
#   FAIL_ONCE      comma-separated bodies: raise the first time one of them is in the batch
#   REPORT_ONCE    comma-separated bodies: the first time each is seen, report its messageId in batchItemFailures
#   REPORT_REST    with REPORT_ONCE: also report every message after the first reported one (what AWS advises a
#                  FIFO function to do: stop at the first failure, report it and everything after it)
#   RESPONSE       JSON returned by every invocation
#   RESPONSE_ONCE  JSON returned by the first invocation (later ones return null)
#   BRIEF          log only bodies, ids and counts, not the event
# Each "call" line says what the invocation did: "raised" (bool) and "reported" (messageIds listed as failed).
RECORDER = r'''
import fcntl, json, os, time
''' + RECORDER_HELPERS + r'''

def _list(name):
    return [v for v in (os.environ.get(name) or "").split(",") if v]


def handler(event, context):
    env = os.environ
    start = time.time()
    records = event.get("Records") or []
    bodies = [r.get("body") for r in records]
    ids = [r.get("messageId") for r in records]
    raised = False
    response = None
    reported = []
    if env.get("FAIL_ALWAYS"):
        raised = True
    fail_once = _list("FAIL_ONCE")
    for body in bodies:
        if body in fail_once and _first_time("fail-" + body):
            raised = True
    report_once = _list("REPORT_ONCE")
    for i, (mid, body) in enumerate(zip(ids, bodies)):
        if body in report_once and _first_time("report-" + body):
            if env.get("REPORT_REST"):
                reported += [m for m in ids[i:] if m not in reported]
                break
            reported.append(mid)
    if reported:
        response = {"batchItemFailures": [{"itemIdentifier": m} for m in reported]}
    if env.get("RESPONSE"):
        response = json.loads(env["RESPONSE"])
    if env.get("RESPONSE_ONCE") and _first_time("response"):
        response = json.loads(env["RESPONSE_ONCE"])
    line = {
        "kind": "call",
        "pid": os.getpid(),
        "start": start,
        "request_id": context.aws_request_id,
        "function": context.function_name,
        "bodies": bodies,
        "ids": ids,
        "counts": [int((r.get("attributes") or {}).get("ApproximateReceiveCount") or 0) for r in records],
        "groups": [(r.get("attributes") or {}).get("MessageGroupId") for r in records],
        "raised": raised,
        "reported": reported,
        "response": response,
    }
    if not env.get("BRIEF"):
        line["event"] = event
    _log(line)
    sleep = float(env.get("SLEEP") or 0)
    if sleep:
        time.sleep(sleep)
        _log({"kind": "end", "pid": os.getpid(), "request_id": context.aws_request_id,
              "start": start, "end": time.time(), "bodies": bodies})
    if raised:
        raise RuntimeError("scripted failure")
    return response
'''

# A custom runtime (python, through the Runtime API) that logs like RECORDER and answers every invocation with the
# raw bytes of RAW_RESPONSE: how a function returns a response that is not JSON at all.
RAW_BOOTSTRAP = r'''#!/usr/bin/env python3
import http.client, json, os, time
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
api = http.client.HTTPConnection(host, int(port))
prefix = "/2018-06-01/runtime/invocation"
while True:
    api.request("GET", prefix + "/next")
    response = api.getresponse()
    event = json.loads(response.read())
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    records = event.get("Records") or []
    line = {"kind": "call", "pid": os.getpid(), "start": time.time(), "request_id": request_id,
            "function": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
            "bodies": [r.get("body") for r in records], "ids": [r.get("messageId") for r in records],
            "counts": [int(r["attributes"]["ApproximateReceiveCount"]) for r in records],
            "groups": [r["attributes"].get("MessageGroupId") for r in records],
            "raised": False, "reported": [], "response": os.environ["RAW_RESPONSE"]}
    with open(os.environ["OUT"], "a") as out:
        out.write(json.dumps(line) + "\n")
    api.request("POST", "%s/%s/response" % (prefix, request_id), os.environ["RAW_RESPONSE"].encode())
    api.getresponse().read()
'''


class Recorder(recorder_support.Recorder):
    """A real python function (RECORDER, or RAW_BOOTSTRAP with `raw_response`) plus the file it writes its
    invocations to; a call line lists the delivered bodies under "bodies"."""

    SOURCE = RECORDER
    PREFIX = "sesm"
    KEY = "bodies"
    TIMEOUT = 2

    def __init__(self, client, directory: Path, *, timeout=None, name=None, raw_response=None, **env):
        self.raw_response = raw_response
        super().__init__(client, directory, timeout=timeout, name=name, **env)

    def create_function(self, client, name, timeout, variables) -> str:
        if self.raw_response is None:
            return super().create_function(client, name, timeout, variables)
        variables["RAW_RESPONSE"] = self.raw_response
        name = name or uniq("sesm-raw")
        client.create_function(
            FunctionName=name, Runtime="provided.al2023", Role=ROLE, Handler="function.handler",
            Code={"ZipFile": zip_of({"bootstrap": (RAW_BOOTSTRAP, 0o755)})}, Timeout=timeout,
            Environment={"Variables": variables},
        )
        assert wait_active(client, name)["State"] == "Active"
        return name

    def succeeded(self) -> list:
        """Bodies whose invocation succeeded and that were not reported as failed, in invocation order."""
        out = []
        for call in self.calls():
            if call["raised"]:
                continue
            out += [b for b, m in zip(call["bodies"], call["ids"]) if m not in call["reported"]]
        return out

    def wait_times(self, body, times, timeout=30.0) -> list[dict]:
        """Wait until `body` was delivered at least `times` times."""
        return self.wait(
            lambda calls: sum(c["bodies"].count(body) for c in calls) >= times, timeout,
            f"{times} deliveries of {body!r}",
        )

    def records(self) -> list[dict]:
        """Every SQS record delivered (needs a recorder without BRIEF)."""
        return [r for call in self.calls() for r in call["event"]["Records"]]


# --------------------------------------------------------------------------- queues


def queue_arn(name: str, region=REGION) -> str:
    return f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"


def new_queue(sqs, *, fifo=False, name=None, visibility=30, **attributes) -> tuple[str, str]:
    """(url, arn) of a new queue on `sqs`'s server. `attributes` are extra queue attributes (strings)."""
    name = name or uniq("sesm-q") + (".fifo" if fifo else "")
    attrs = {"VisibilityTimeout": str(visibility)}
    if fifo:
        attrs["FifoQueue"] = "true"
    attrs.update({k: str(v) for k, v in attributes.items()})
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return url, queue_arn(name)


def send_batch(sqs, queue_url, bodies, **per_message) -> list[dict]:
    """SendMessageBatch in chunks of 10; returns the Successful entries in send order (each with its body)."""
    sent: list[dict] = []
    bodies = list(bodies)
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        entries = []
        for i, body in enumerate(chunk):
            entry = {"Id": str(i), "MessageBody": body}
            for key, value in per_message.items():
                entry[key] = value(body) if callable(value) else value
            entries.append(entry)
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        assert not response.get("Failed"), response
        by_id = {e["Id"]: e for e in response["Successful"]}
        for i, body in enumerate(chunk):
            sent.append(dict(by_id[str(i)], Body=body))
    return sent


def counts(sqs, queue_url) -> tuple[int, int]:
    """(ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible)."""
    got = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(got["ApproximateNumberOfMessages"]), int(got["ApproximateNumberOfMessagesNotVisible"])


def wait_counts(sqs, queue_url, expected=(0, 0), timeout=30.0) -> None:
    """Poll the queue's counters until they equal `expected` (visible, not visible)."""
    deadline = time.monotonic() + timeout
    seen = None
    while True:
        seen = counts(sqs, queue_url)
        if seen == tuple(expected):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"queue {queue_url}: (visible, in flight) = {seen}, expected {tuple(expected)} "
                        f"within {timeout}s")
        time.sleep(0.1)


def max_overlap(ends: list[dict]) -> int:
    """The most invocations running at the same moment, from their [start, end] intervals."""
    events = sorted([(e["start"], 1) for e in ends] + [(e["end"], -1) for e in ends], key=lambda x: (x[0], x[1]))
    running = peak = 0
    for _, delta in events:
        running += delta
        peak = max(peak, running)
    return peak


class Mappings(compat_support.Mappings):
    """Creates SQS mappings and deletes whatever is left at teardown."""

    DELETE_TIMEOUT = 30
