"""SQS event source mappings (issue 6): disable, enable, update and delete while messages flow, and a restart.

Expected behaviour: shared/reference/semantics.md §7, §11.
"""

from __future__ import annotations

import time

from compat_support import aws_client, function_arn, lambda_client, wait_for_deleted, wait_for_state
from sqs_esm_support import QUIET, Recorder, counts, new_queue, send_batch, wait_counts


def test_disabled_mapping_consumes_nothing_until_enabled_and_stops_when_disabled(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    created = sesm.create(rec.name, arn, Enabled=False)
    assert created["State"] == "Disabled"
    sqs.send_message(QueueUrl=q, MessageBody="waiting")
    time.sleep(QUIET)
    assert rec.calls() == [], "a Disabled mapping invoked its function"
    assert counts(sqs, q) == (1, 0), "a Disabled mapping received the message"

    assert lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)["State"] == "Enabling"
    wait_for_state(lam, created["UUID"], "Enabled")
    rec.wait_delivered(["waiting"])
    wait_counts(sqs, q, (0, 0))

    assert lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)["State"] == "Disabling"
    wait_for_state(lam, created["UUID"], "Disabled")
    sqs.send_message(QueueUrl=q, MessageBody="while-disabled")
    time.sleep(QUIET)
    assert counts(sqs, q) == (1, 0), "a message sent after Disabled must stay visible in the queue"
    assert rec.delivered() == ["waiting"]

    lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
    wait_for_state(lam, created["UUID"], "Enabled")
    rec.wait_delivered(["while-disabled"])
    wait_counts(sqs, q, (0, 0))
    assert rec.delivered() == ["waiting", "while-disabled"]


def test_delete_stops_receiving_at_once_and_settles_the_batch_in_flight(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs, visibility=10)
    rec = Recorder(lam, tmp_path, timeout=5, SLEEP=3)
    created = sesm.create(rec.name, arn)
    sqs.send_message(QueueUrl=q, MessageBody="in-flight")
    rec.wait_delivered(["in-flight"])
    assert counts(sqs, q) == (0, 1)

    assert lam.delete_event_source_mapping(UUID=created["UUID"])["State"] == "Deleting"
    sesm.uuids.remove(created["UUID"])
    sqs.send_message(QueueUrl=q, MessageBody="after-delete")
    wait_for_deleted(lam, created["UUID"], timeout=30)
    # The invocation in flight ran to its end and its batch was settled (success: deleted); the message sent after
    # the delete was not received.
    deadline = time.monotonic() + 15
    while not rec.ends() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [e["bodies"] for e in rec.ends()] == [["in-flight"]], "the in-flight invocation did not finish"
    wait_counts(sqs, q, (1, 0), timeout=15)
    time.sleep(QUIET)
    assert counts(sqs, q) == (1, 0)
    assert rec.delivered() == ["in-flight"], "a deleted mapping still received messages"
    got = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["after-delete"]
    assert got[0]["MessageId"]


def test_update_function_name_sends_new_messages_to_the_other_function(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    old = Recorder(lam, tmp_path)
    new = Recorder(lam, tmp_path)
    created = sesm.create(old.name, arn)
    sqs.send_message(QueueUrl=q, MessageBody="for-old")
    old.wait_delivered(["for-old"])
    wait_counts(sqs, q, (0, 0))

    updated = lam.update_event_source_mapping(UUID=created["UUID"], FunctionName=new.name)
    assert updated["FunctionArn"] == function_arn(new.name)
    wait_for_state(lam, created["UUID"], "Enabled")
    send_batch(sqs, q, ["for-new-1", "for-new-2"])
    new.wait_delivered(["for-new-1", "for-new-2"])
    wait_counts(sqs, q, (0, 0))
    time.sleep(1)
    assert sorted(new.delivered()) == ["for-new-1", "for-new-2"]
    assert old.delivered() == ["for-old"]
    assert {c["function"] for c in new.calls()} == {new.name}


def test_update_batch_size_applies_to_later_batches(lam, sqs, sesm, tmp_path):
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path, BRIEF=1)
    created = sesm.create(rec.name, arn, BatchSize=2)
    first = [f"s{i}" for i in range(6)]
    send_batch(sqs, q, first)
    rec.wait_delivered(first)
    assert all(len(b) <= 2 for b in rec.batches()), rec.batches()
    seen = len(rec.calls())

    updating = lam.update_event_source_mapping(UUID=created["UUID"], BatchSize=10)
    assert updating["State"] == "Updating"
    assert wait_for_state(lam, created["UUID"], "Enabled")["BatchSize"] == 10
    second = [f"t{i}" for i in range(10)]
    send_batch(sqs, q, second)
    rec.wait_delivered(second)
    wait_counts(sqs, q, (0, 0))
    later = rec.batches()[seen:]
    assert all(len(b) <= 10 for b in later), later
    assert max(len(b) for b in later) > 2, f"BatchSize 10 did not apply: {later}"
    assert sorted(rec.delivered()) == sorted(first + second)


def test_an_enabled_mapping_resumes_consuming_after_a_restart(servers, tmp_path):
    first = servers.start()
    lam, sqs = lambda_client(first.url), aws_client("sqs", first.url)
    q, arn = new_queue(sqs)
    rec = Recorder(lam, tmp_path)
    created = lam.create_event_source_mapping(FunctionName=rec.name, EventSourceArn=arn, BatchSize=10)
    wait_for_state(lam, created["UUID"], "Enabled")
    sqs.send_message(QueueUrl=q, MessageBody="before-restart")
    rec.wait_delivered(["before-restart"])
    wait_counts(sqs, q, (0, 0))
    first.stop()

    second = servers.start(data_dir=first.data_dir)
    lam, sqs = lambda_client(second.url), aws_client("sqs", second.url)
    q = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
    wait_for_state(lam, created["UUID"], "Enabled")
    sqs.send_message(QueueUrl=q, MessageBody="after-restart")
    rec.wait_delivered(["after-restart"])
    wait_counts(sqs, q, (0, 0))
    assert rec.delivered() == ["before-restart", "after-restart"]
    second.stop()
