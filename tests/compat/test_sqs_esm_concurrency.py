"""SQS event source mappings (issue 6): concurrency — the initial 5 pollers, ScalingConfig.MaximumConcurrency and
the function's reserved concurrency; a throttled batch goes back to the queue and nothing is lost.

Expected behaviour: shared/reference/semantics.md §7.
"""

from __future__ import annotations

from compat_support import wait_until
from sqs_esm_support import Recorder, max_overlap, new_queue, send_batch, wait_counts


# --------------------------------------------------------------------------- concurrency


def test_batches_run_concurrently(lam, sqs, sesm, tmp_path):
    """AWS starts an SQS mapping with 5 concurrent pollers: slow batches overlap."""
    q, arn = new_queue(sqs, visibility=10)
    rec = Recorder(lam, tmp_path, timeout=3, SLEEP=1, BRIEF=1)
    bodies = [f"c-{i:02d}" for i in range(30)]
    send_batch(sqs, q, bodies)
    sesm.create(rec.name, arn, BatchSize=1)
    rec.wait_delivered(bodies, timeout=60)
    wait_until(lambda: len(rec.ends()) >= 30, 30, "every invocation finished")
    wait_counts(sqs, q, (0, 0))
    ends = rec.ends()
    peak = max_overlap(ends)
    assert peak > 1, f"no two invocations ran at once: {[(round(e['start'], 2), round(e['end'], 2)) for e in ends]}"
    assert len({e["pid"] for e in ends}) > 1
    assert sorted(rec.delivered()) == bodies, "lost or repeated messages"


def test_maximum_concurrency_caps_the_batches_in_flight(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=10)
    rec = Recorder(lam, tmp_path, timeout=3, SLEEP=1, BRIEF=1)
    bodies = [f"m-{i:02d}" for i in range(10)]
    send_batch(sqs, q, bodies)
    created = sesm.create(rec.name, arn, BatchSize=1, ScalingConfig={"MaximumConcurrency": 2})
    assert created["ScalingConfig"] == {"MaximumConcurrency": 2}
    rec.wait_delivered(bodies, timeout=60)
    wait_until(lambda: len(rec.ends()) >= 10, 30, "every invocation finished")
    wait_counts(sqs, q, (0, 0))
    ends = rec.ends()
    peak = max_overlap(ends)
    assert peak <= 2, f"{peak} invocations at once with MaximumConcurrency 2: " \
                      f"{[(round(e['start'], 2), round(e['end'], 2)) for e in ends]}"
    assert peak == 2, "MaximumConcurrency 2 should still run two batches at once"
    assert sorted(rec.delivered()) == bodies, "lost or repeated messages"


def test_reserved_concurrency_caps_the_batches_and_loses_nothing(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=2)
    rec = Recorder(lam, tmp_path, timeout=2, SLEEP=0.5, BRIEF=1)
    lam.put_function_concurrency(FunctionName=rec.name, ReservedConcurrentExecutions=1)
    bodies = [f"r-{i}" for i in range(8)]
    send_batch(sqs, q, bodies)
    sesm.create(rec.name, arn, BatchSize=1)
    rec.wait_delivered(bodies, timeout=60)
    wait_until(lambda: len(rec.ends()) >= len(rec.calls()), 30, "every invocation finished")
    wait_counts(sqs, q, (0, 0))
    ends = rec.ends()
    assert max_overlap(ends) == 1, [(round(e["start"], 2), round(e["end"], 2)) for e in ends]
    assert sorted(set(rec.delivered())) == bodies
