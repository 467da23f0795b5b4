"""Kinesis event source mappings over time (issue 5): tumbling windows carry state between the
invocations of one window, a split parent shard is finished before its children, and a mapping
survives restarts (`kill -9` loses no record; a Disabled mapping stays Disabled with its checkpoint).

Expected behaviour: shared/reference/semantics.md §5, §8, §11; events.md §5. Delivery is at least once.
"""

from __future__ import annotations

import datetime as dt
import time


from compat_support import aws_client, kinesis_arn, lambda_client, uniq, wait_for_state
from kinesis_esm_support import Recorder, new_stream, put_record, put_records, wait_stream_active

WINDOW = 3


def parse_window_time(text: str) -> float:
    """`2020-12-09T07:04:00Z` (events.md §5), tolerating a fraction."""
    assert text.endswith("Z"), text
    base = text[:-1]
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in base else "%Y-%m-%dT%H:%M:%S"
    return dt.datetime.strptime(base, fmt).replace(tzinfo=dt.timezone.utc).timestamp()


def test_tumbling_window_carries_state_to_the_next_invocation_of_the_window(lam, kin, url, esm, tmp_path):
    arn, name = new_stream(url, kinesis_arn)
    rec = Recorder(lam, tmp_path, TUMBLING=1)
    esm.create(rec.name, arn, StartingPosition="LATEST", BatchSize=100, TumblingWindowInSeconds=WINDOW)
    values = [f"tw{i}" for i in range(12)]
    for value in values:
        put_record(kin, name, value)
        time.sleep(0.4)

    def windows(calls):
        grouped: dict[str, list[dict]] = {}
        for call in calls:
            event = call["event"]
            if "window" in event:
                grouped.setdefault(event["window"]["start"], []).append(call)
        return grouped

    def a_finished_window_with_records(calls):
        return any(
            group[-1]["event"].get("isFinalInvokeForWindow") is True and sum(len(c["data"]) for c in group) > 0
            for group in windows(calls).values()
        )

    rec.wait_delivered(values, timeout=30)
    for call in rec.calls():
        event = call["event"]
        missing = {"Records", "window", "state", "shardId", "eventSourceARN", "isFinalInvokeForWindow",
                   "isWindowTerminatedEarly"} - set(event)
        assert not missing, f"tumbling-window event lacks {sorted(missing)}: got keys {sorted(event)}"
        assert event["eventSourceARN"] == arn
        assert event["shardId"] == "shardId-000000000000"
        assert event["isWindowTerminatedEarly"] is False
        start, end = parse_window_time(event["window"]["start"]), parse_window_time(event["window"]["end"])
        assert end - start == WINDOW, event["window"]
        for record in event["Records"]:
            assert start <= record["kinesis"]["approximateArrivalTimestamp"] < end + 0.001, (event["window"], record)
    rec.wait(a_finished_window_with_records, 30, "a window closed by an isFinalInvokeForWindow call")
    calls = rec.calls()

    for start, group in windows(calls).items():
        assert group[0]["event"]["state"] == {}, f"window {start} did not start with empty state"
        for previous, current in zip(group, group[1:]):
            assert current["event"]["state"] == previous["returned"]["state"], (
                f"window {start}: state {current['event']['state']} is not the {previous['returned']['state']} "
                "returned by the previous invocation"
            )
        finals = [c for c in group if c["event"]["isFinalInvokeForWindow"]]
        assert len(finals) <= 1 and (not finals or finals[0] is group[-1]), [c["event"] for c in group]
        if finals:
            counted = sum(len(c["data"]) for c in group[:-1])
            assert finals[0]["event"]["state"] == {"count": counted}, group
    # Every record was counted in some window exactly once.
    assert sorted(rec.delivered()) == sorted(values)


def test_split_shard_parent_is_finished_before_its_children(lam, kin, esm, tmp_path):
    """semantics.md §8: after a split the mapping reads the parent to its end, then both children."""
    arn, name = new_stream(lam.meta.endpoint_url, kinesis_arn)
    keys = [f"rk-{i}" for i in range(8)]
    parent_values = [f"{key}/p" for key in keys]
    put_records(kin, name, parent_values, keys=keys)
    kin.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    wait_stream_active(kin, name)
    child_values = [f"{key}/c" for key in keys]
    entries = put_records(kin, name, child_values, keys=keys)
    assert {e["ShardId"] for e in entries} == {"shardId-000000000001", "shardId-000000000002"}
    rec = Recorder(lam, tmp_path)
    esm.create(rec.name, arn, BatchSize=100)
    rec.wait_delivered(parent_values + child_values)
    later = [f"{key}/l" for key in keys]
    put_records(kin, name, later, keys=keys)
    rec.wait_delivered(later)
    time.sleep(1)

    calls = rec.calls()
    shard_of_call = []
    for call in calls:
        shards = {r["eventID"].split(":")[0] for r in call["event"]["Records"]}
        assert len(shards) == 1, f"a batch mixes shards: {call['data']}"
        shard_of_call.append(shards.pop())
    parent_calls = [i for i, s in enumerate(shard_of_call) if s == "shardId-000000000000"]
    child_calls = [i for i, s in enumerate(shard_of_call) if s != "shardId-000000000000"]
    assert parent_calls and child_calls
    assert max(parent_calls) < min(child_calls), f"a child shard was read before its parent was done: {shard_of_call}"
    for key in keys:
        assert [d for d in rec.delivered() if d.startswith(key + "/")] == [f"{key}/p", f"{key}/c", f"{key}/l"], key

    # A split while the mapping runs: the child read to its end leads the mapping to the grandchildren.
    kin.split_shard(StreamName=name, ShardToSplit="shardId-000000000001", NewStartingHashKey=str(2**126))
    wait_stream_active(kin, name)
    final = [f"{key}/s" for key in keys]
    entries = put_records(kin, name, final, keys=keys)
    assert "shardId-000000000003" in {e["ShardId"] for e in entries} or "shardId-000000000004" in {
        e["ShardId"] for e in entries}
    rec.wait_delivered(final)
    time.sleep(1)
    for key in keys:
        assert [d for d in rec.delivered() if d.startswith(key + "/")] == [
            f"{key}/p", f"{key}/c", f"{key}/l", f"{key}/s"], key


def test_kill_9_mid_processing_then_restart_delivers_every_record(servers, tmp_path):
    data_dir = servers.new_data_dir()
    first = servers.start(data_dir=data_dir)
    lam = lambda_client(first.url)
    kin = aws_client("kinesis", first.url)
    name = uniq("durable")
    kin.create_stream(StreamName=name, ShardCount=1)
    wait_stream_active(kin, name)
    arn = kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    rec = Recorder(lam, tmp_path, SLEEP=0.5)
    values = [f"k{i}" for i in range(20)]
    put_records(kin, name, values)
    created = lam.create_event_source_mapping(FunctionName=rec.name, EventSourceArn=arn,
                                              StartingPosition="TRIM_HORIZON", BatchSize=2)
    wait_for_state(lam, created["UUID"], "Enabled")
    rec.wait_count(3, timeout=30)
    first.kill9()
    delivered_before = set(rec.delivered())
    assert delivered_before != set(values), "everything was delivered before the kill; nothing was tested"

    second = servers.start(data_dir=data_dir)
    lam2 = lambda_client(second.url)
    assert lam2.get_event_source_mapping(UUID=created["UUID"])["State"] in ("Enabled", "Enabling", "Creating")
    rec.wait_delivered(values, timeout=60)
    # Still running after the restart: a new record arrives too.
    put_records(aws_client("kinesis", second.url), name, ["after-restart"])
    rec.wait_delivered(["after-restart"], timeout=30)
    delivered = rec.delivered()
    for value in values:
        assert value in delivered
    lam2.delete_event_source_mapping(UUID=created["UUID"])


def test_restart_keeps_a_disabled_mapping_disabled_and_its_checkpoint(servers, tmp_path):
    data_dir = servers.new_data_dir()
    first = servers.start(data_dir=data_dir)
    lam = lambda_client(first.url)
    kin = aws_client("kinesis", first.url)
    name = uniq("restart")
    kin.create_stream(StreamName=name, ShardCount=1)
    wait_stream_active(kin, name)
    arn = kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    rec = Recorder(lam, tmp_path)
    created = lam.create_event_source_mapping(FunctionName=rec.name, EventSourceArn=arn,
                                              StartingPosition="TRIM_HORIZON", BatchSize=10)
    wait_for_state(lam, created["UUID"], "Enabled")
    put_records(kin, name, ["before-1", "before-2"])
    rec.wait_delivered(["before-1", "before-2"])
    lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)
    wait_for_state(lam, created["UUID"], "Disabled")
    assert first.stop() == 0

    second = servers.start(data_dir=data_dir)
    lam = lambda_client(second.url)
    kin = aws_client("kinesis", second.url)
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Disabled"
    put_record(kin, name, "while-disabled")
    time.sleep(3)
    assert rec.delivered() == ["before-1", "before-2"], "a Disabled mapping delivered after a restart"
    lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
    wait_for_state(lam, created["UUID"], "Enabled")
    rec.wait_delivered(["while-disabled"])
    time.sleep(1)
    assert rec.delivered() == ["before-1", "before-2", "while-disabled"], (
        "Enable after a restart did not resume right after the last processed record"
    )
    lam.delete_event_source_mapping(UUID=created["UUID"])
