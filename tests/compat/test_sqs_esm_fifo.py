"""SQS event source mappings (issue 6): FIFO order under failures and the FIFO-only validation rules.

Expected behaviour: shared/reference/semantics.md §7; events.md §6; esm-api.md §5. The other validation rules
(DestinationConfig, BatchSize > 10 without a window, visibility timeout < function timeout) are already covered by
test_esm_errors.py and test_sqs.py.
"""

from __future__ import annotations

import pytest

from compat_support import expect_error
from sqs_esm_support import Recorder, new_queue, send_batch, wait_counts

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
