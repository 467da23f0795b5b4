"""SQS event source mappings (issue 6): FIFO order under failures, concurrency (the initial 5 pollers,
ScalingConfig.MaximumConcurrency, the function's reserved concurrency) and the FIFO-only validation rules.

Expected behaviour: shared/reference/semantics.md §7; events.md §6; esm-api.md §5. The other validation rules
(DestinationConfig, BatchSize > 10 without a window, visibility timeout < function timeout) are already covered by
test_esm_errors.py and test_sqs.py.
"""

from __future__ import annotations

import pytest

from compat_support import expect_error, wait_until
from sqs_esm_support import Recorder, max_overlap, new_queue, send_batch, wait_counts

RBIF = ["ReportBatchItemFailures"]


# --------------------------------------------------------------------------- FIFO order under failures


@pytest.mark.parametrize("how", ["raise", "report"])
def test_fifo_group_order_holds_when_a_message_fails(lam, sqs, sesm, tmp_path, how):
    """Group A's message A2 fails the first time it is seen (the function raises, or reports it and everything
    after it, as AWS advises FIFO functions to). Successful deliveries follow the send order in each group, and no
    later message of group A is delivered before A2 comes back."""
    q, arn = new_queue(sqs, fifo=True, visibility=2)
    if how == "raise":
        rec = Recorder(lam, tmp_path, timeout=2, FAIL_ONCE="A2")
        extra = {}
    else:
        rec = Recorder(lam, tmp_path, timeout=2, REPORT_ONCE="A2", REPORT_REST=1)
        extra = {"FunctionResponseTypes": RBIF}
    order = {"A": [f"A{i}" for i in range(5)], "B": [f"B{i}" for i in range(5)]}
    interleaved = [m for pair in zip(order["A"], order["B"]) for m in pair]
    send_batch(sqs, q, interleaved, MessageGroupId=lambda body: body[0], MessageDeduplicationId=lambda body: body)
    sesm.create(rec.name, arn, BatchSize=3, **extra)

    def all_succeeded(_calls):
        return sorted(rec.succeeded()) == sorted(interleaved)

    rec.wait(all_succeeded, 40, "every message delivered successfully")
    wait_counts(sqs, q, (0, 0))
    calls = rec.calls()
    batches = [(c["bodies"], c["counts"], "raised" if c["raised"] else c["reported"]) for c in calls]
    succeeded = rec.succeeded()
    for group, expected in order.items():
        mine = [b for b in succeeded if b[0] == group]
        assert mine == expected, f"group {group}: successful deliveries {mine}; batches {batches}"
    for call in calls:
        for group in order:
            mine = [b for b in call["bodies"] if b[0] == group]
            assert mine == sorted(mine), f"group {group} out of order inside a batch: {batches}"

    failed_at = next(i for i, c in enumerate(calls) if "A2" in c["bodies"] and (c["raised"] or c["reported"]))
    again_at = next(i for i, c in enumerate(calls) if i > failed_at and "A2" in c["bodies"])
    assert calls[again_at]["counts"][calls[again_at]["bodies"].index("A2")] == 2, batches
    for between in calls[failed_at + 1:again_at]:
        assert not {"A3", "A4"} & set(between["bodies"]), (
            f"a later message of group A was delivered before A2 came back: {batches}"
        )
    if how == "report":
        first = calls[failed_at]
        kept = [b for b, m in zip(first["bodies"], first["ids"]) if m not in first["reported"]]
        assert kept == first["bodies"][:first["bodies"].index("A2")], batches


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


# --------------------------------------------------------------------------- FIFO validation


def test_fifo_batch_size_above_10_is_refused(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, fifo=True)
    rec = Recorder(lam, tmp_path)
    for extra in ({"BatchSize": 11}, {"BatchSize": 20, "MaximumBatchingWindowInSeconds": 1}):
        expect_error(lambda: lam.create_event_source_mapping(FunctionName=rec.name, EventSourceArn=arn, **extra),
                     "InvalidParameterValueException", 400)
    assert lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"] == []
    created = sesm.create(rec.name, arn, BatchSize=10, Enabled=False)
    expect_error(lambda: lam.update_event_source_mapping(UUID=created["UUID"], BatchSize=11,
                                                         MaximumBatchingWindowInSeconds=1),
                 "InvalidParameterValueException", 400)
    assert lam.get_event_source_mapping(UUID=created["UUID"])["BatchSize"] == 10
