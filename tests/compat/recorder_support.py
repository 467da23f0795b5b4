"""The recorder function shared by the event-source-mapping behaviour tests (sqs_esm_support, kinesis_esm_support).

A recorder is a REAL python function plus the file it appends one JSON line to per invocation ("kind": "call",
and "kind": "end" after a scripted sleep), written by the function's `_log` (compat_support.RECORDER_HELPERS).
Each source subclasses `Recorder` with its function source and the key under which a call line lists what the
invocation delivered ("bodies" for SQS, "data" for Kinesis).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from compat_support import uniq
from invoke_support import python_function


class Recorder:
    """A real python function plus the file it writes its invocations to.

    Subclasses set SOURCE (the function's source), PREFIX (of its generated name), KEY (the key of a call line
    that lists what the invocation delivered) and TIMEOUT (the function's default timeout, in seconds)."""

    SOURCE: str
    PREFIX: str
    KEY: str
    TIMEOUT: int

    def __init__(self, client, directory: Path, *, timeout=None, name=None, **env):
        self.client = client
        self.dir = Path(directory) / uniq("rec")
        self.dir.mkdir(parents=True)
        self.out = self.dir / "out.jsonl"
        self.out.touch()
        once = self.dir / "once"
        once.mkdir()
        variables = {"OUT": str(self.out), "ONCE_DIR": str(once)}
        variables.update({k: str(v) for k, v in env.items()})
        self.name = self.create_function(client, name, self.TIMEOUT if timeout is None else timeout, variables)

    def create_function(self, client, name, timeout, variables) -> str:
        """Create the function with the recorder's environment `variables`; returns its name."""
        return python_function(
            client, self.SOURCE, name=name, prefix=self.PREFIX, Timeout=timeout, Environment={"Variables": variables}
        )

    def lines(self) -> list[dict]:
        out = []
        for line in self.out.read_text().splitlines():
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
        """What each invocation delivered (its KEY list), in invocation order."""
        return [call[self.KEY] for call in self.calls()]

    def delivered(self) -> list:
        return [item for batch in self.batches() for item in batch]

    def wait(self, predicate, timeout=30.0, what="the expected invocations") -> list[dict]:
        """Poll until predicate(calls) is true; fail with every batch seen so far."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls()
            if predicate(calls):
                return calls
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not seen within {timeout}s; batches seen: {[c[self.KEY] for c in calls]}")
            time.sleep(0.1)

    def wait_delivered(self, expected, timeout=30.0) -> list[dict]:
        """Wait until every value of `expected` was delivered at least once."""
        expected = list(expected)
        return self.wait(
            lambda calls: set(expected) <= {item for c in calls for item in c[self.KEY]},
            timeout,
            f"delivery of {expected}",
        )

    def wait_count(self, count, timeout=30.0) -> list[dict]:
        return self.wait(lambda calls: len(calls) >= count, timeout, f"{count} invocation(s)")
