"""The embedded Kinesis (JSON 1.1) through boto3 and the aws CLI v1, held to AWS's behaviour.

Sources of the expectations: botocore's kinesis model (shapes, limits, enums); `wire-protocols.md` §3 and §7
(shard names, the even split of the hash-key space, MD5 routing, the not-found text); error texts that
kinesalite's tests recorded against AWS (`… under account … not found.`, `… already exists.`,
`Invalid ShardIterator.`, the validation, retention, SplitShard and MergeShards texts); AWS's published
`describe-stream-summary` output; `esm-api.md` §5 (`Stream not found: <arn>`). Where AWS's text is not known, only
the error code is asserted.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import hashlib
import math
import re
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from compat_support import (
    ACCOUNT,
    REGION,
    assert_recent,
    body,
    cli_error,
    cli_error_text,
    cli_ok,
    expect_error,
    status,
    uniq,
    validation_message,
    wait_for_deleted,
    wait_for_state,
    wait_until,
)

HASH_SPACE = 2**128
MAX_HASH = HASH_SPACE - 1
SEQUENCE = re.compile(r"^[0-9]{56}$")  # AWS's sequence numbers: 56 decimal digits (`4959…`)

DESCRIPTION_KEYS = {
    "StreamName",
    "StreamARN",
    "StreamStatus",
    "StreamModeDetails",
    "Shards",
    "HasMoreShards",
    "RetentionPeriodHours",
    "StreamCreationTimestamp",
    "EnhancedMonitoring",
    "EncryptionType",
}
SUMMARY_KEYS = {
    "StreamName",
    "StreamARN",
    "StreamStatus",
    "StreamModeDetails",
    "RetentionPeriodHours",
    "StreamCreationTimestamp",
    "EnhancedMonitoring",
    "EncryptionType",
    "OpenShardCount",
    "ConsumerCount",
}
# Members of the current model that AWS added after the recorded output above; allowed, not required.
SUMMARY_OPTIONAL = {"MaxRecordSizeInKiB", "WarmThroughput"}
RECORD_KEYS = {"SequenceNumber", "ApproximateArrivalTimestamp", "Data", "PartitionKey"}
OPEN_READ_KEYS = {"Records", "NextShardIterator", "MillisBehindLatest"}


def shard_id(index: int) -> str:
    return f"shardId-{index:012d}"


def stream_arn(name: str) -> str:
    return f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"


def not_found(name: str) -> str:
    return f"Stream {name} under account {ACCOUNT} not found."


def shard_missing(name: str, shard: str) -> str:
    return f"Shard {shard} in stream {name} under account {ACCOUNT} does not exist"


def even_ranges(count: int) -> list[tuple[int, int]]:
    """wire-protocols.md §7: w = floor(2^128 / N); shard i covers [i·w, (i+1)·w − 1]; the last ends at 2^128 − 1."""
    width = HASH_SPACE // count
    return [(i * width, (i + 1) * width - 1 if i < count - 1 else MAX_HASH) for i in range(count)]


def hash_range(low: int, high: int) -> dict:
    return {"StartingHashKey": str(low), "EndingHashKey": str(high)}


def md5_hash_key(partition_key: str) -> int:
    """The MD5 of the UTF-8 partition key read as a big-endian unsigned 128-bit integer."""
    return int.from_bytes(hashlib.md5(partition_key.encode("utf-8")).digest(), "big")


def is_open(shard: dict) -> bool:
    return "EndingSequenceNumber" not in shard["SequenceNumberRange"]


def shard_for(hash_key: int, shards: list[dict]) -> str:
    """The one open shard whose HashKeyRange holds hash_key."""
    hits = [
        s["ShardId"]
        for s in shards
        if is_open(s)
        and int(s["HashKeyRange"]["StartingHashKey"]) <= hash_key <= int(s["HashKeyRange"]["EndingHashKey"])
    ]
    assert len(hits) == 1, f"hash key {hash_key} is in open shards {hits}: {shards}"
    return hits[0]


# The helper itself, against the 3-shard split kinesalite recorded on AWS.
assert even_ranges(3) == [
    (0, 113427455640312821154458202477256070484),
    (113427455640312821154458202477256070485, 226854911280625642308916404954512140969),
    (226854911280625642308916404954512140970, 340282366920938463463374607431768211455),
]
assert even_ranges(2) == [(0, 2**127 - 1), (2**127, MAX_HASH)]


# --------------------------------------------------------------------------- clients and fixtures


def kinesis_client(url, *, validate=True):
    """boto3 Kinesis client: endpoint_url, dummy keys, no retries."""
    return boto3.session.Session().client(
        "kinesis",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(
            retries={"max_attempts": 0}, parameter_validation=validate, connect_timeout=5, read_timeout=60
        ),
    )


@pytest.fixture(scope="module")
def kin(url):
    return kinesis_client(url)


@pytest.fixture(scope="module")
def kin_nv(url):
    """No client-side parameter validation: out-of-range values reach the server."""
    return kinesis_client(url, validate=False)


# --------------------------------------------------------------------------- stream helpers


def wait_active(client, name, timeout=15.0) -> list[str]:
    """Poll DescribeStreamSummary until ACTIVE; returns the statuses seen (in order, without repeats)."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        state = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == "ACTIVE":
            return seen
        if time.monotonic() > deadline:
            pytest.fail(f"stream {name} not ACTIVE within {timeout}s; statuses seen: {seen}")
        time.sleep(0.02)


def wait_gone(client, name, timeout=15.0) -> list[str]:
    """Poll DescribeStreamSummary until ResourceNotFoundException; returns the statuses seen before."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        try:
            state = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFoundException", error.response
            return seen
        if not seen or seen[-1] != state:
            seen.append(state)
        if time.monotonic() > deadline:
            pytest.fail(f"stream {name} still exists after {timeout}s; statuses seen: {seen}")
        time.sleep(0.02)


def create_stream(client, name=None, shards=1, **extra) -> str:
    name = name or uniq("ks")
    params = dict(StreamName=name, **extra)
    if shards is not None:
        params["ShardCount"] = shards
    assert body(client.create_stream(**params)) == {}
    wait_active(client, name)
    return name


def describe(client, name) -> dict:
    return client.describe_stream(StreamName=name)["StreamDescription"]


def summary(client, name) -> dict:
    return client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]


def list_all_shards(client, name, **params) -> list[dict]:
    shards: list[dict] = []
    response = client.list_shards(StreamName=name, **params)
    deadline = time.monotonic() + 15
    while True:
        shards.extend(response["Shards"])
        token = response.get("NextToken")
        if not token:
            return shards
        if time.monotonic() > deadline:
            pytest.fail(f"ListShards kept returning NextToken; got so far {shards}")
        response = client.list_shards(NextToken=token, **{k: v for k, v in params.items() if k == "MaxResults"})


def iterator(client, name, shard, kind="TRIM_HORIZON", **extra) -> str:
    response = client.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType=kind, **extra)
    assert set(body(response)) == {"ShardIterator"}
    assert isinstance(response["ShardIterator"], str) and 1 <= len(response["ShardIterator"]) <= 512
    return response["ShardIterator"]


def read_to_tip(client, shard_iterator, *, limit=None, timeout=15.0):
    """GetRecords until caught up (an empty answer with MillisBehindLatest 0) or the shard's end (no
    NextShardIterator). Returns (records, the last response)."""
    records: list[dict] = []
    deadline = time.monotonic() + timeout
    while True:
        params = {"ShardIterator": shard_iterator}
        if limit is not None:
            params["Limit"] = limit
        response = client.get_records(**params)
        records.extend(response["Records"])
        following = response.get("NextShardIterator")
        if following is None:
            return records, response
        if not response["Records"] and response.get("MillisBehindLatest") == 0:
            return records, response
        if time.monotonic() > deadline:
            pytest.fail(f"GetRecords did not reach the tip within {timeout}s; last response: {body(response)}")
        shard_iterator = following


def read_to_end(client, shard_iterator, *, timeout=15.0):
    """GetRecords on a closed shard until NextShardIterator is absent. Returns (records, the last response)."""
    records: list[dict] = []
    deadline = time.monotonic() + timeout
    while True:
        response = client.get_records(ShardIterator=shard_iterator)
        records.extend(response["Records"])
        if response.get("NextShardIterator") is None:
            return records, response
        if time.monotonic() > deadline:
            pytest.fail(f"a closed shard never ended within {timeout}s; last response: {body(response)}")
        shard_iterator = response["NextShardIterator"]


def assert_record(record, *, data, partition_key, sequence_number=None):
    assert set(record) == RECORD_KEYS, record
    assert record["Data"] == data
    assert record["PartitionKey"] == partition_key
    assert SEQUENCE.match(record["SequenceNumber"]), record["SequenceNumber"]
    if sequence_number is not None:
        assert record["SequenceNumber"] == sequence_number
    arrival = record["ApproximateArrivalTimestamp"]
    assert_recent(arrival)
    assert arrival.microsecond % 1000 == 0, f"{arrival} is finer than milliseconds"


def put(client, name, key, data, **extra) -> dict:
    response = client.put_record(StreamName=name, PartitionKey=key, Data=data, **extra)
    assert set(body(response)) == {"ShardId", "SequenceNumber", "EncryptionType"}, body(response)
    assert response["EncryptionType"] == "NONE"
    assert SEQUENCE.match(response["SequenceNumber"]), response["SequenceNumber"]
    return response


# --------------------------------------------------------------------------- CreateStream / Describe


@pytest.mark.parametrize("count", [1, 2, 3])
def test_create_stream_describes_evenly_split_shards(kin, count):
    name = uniq("ks")
    response = kin.create_stream(StreamName=name, ShardCount=count)
    assert status(response) == 200
    assert body(response) == {}
    assert response["ResponseMetadata"]["RequestId"]
    kin.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})

    description = describe(kin, name)
    assert set(description) == DESCRIPTION_KEYS, description
    assert description["StreamName"] == name
    assert description["StreamARN"] == stream_arn(name)
    assert description["StreamStatus"] == "ACTIVE"
    assert description["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert description["RetentionPeriodHours"] == 24
    assert description["EncryptionType"] == "NONE"
    assert description["EnhancedMonitoring"] == [{"ShardLevelMetrics": []}]
    assert description["HasMoreShards"] is False
    assert_recent(description["StreamCreationTimestamp"])

    shards = description["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(i) for i in range(count)]
    for shard, (low, high) in zip(shards, even_ranges(count)):
        assert set(shard) == {"ShardId", "HashKeyRange", "SequenceNumberRange"}, shard
        assert shard["HashKeyRange"] == hash_range(low, high)
        assert set(shard["SequenceNumberRange"]) == {"StartingSequenceNumber"}
        assert SEQUENCE.match(shard["SequenceNumberRange"]["StartingSequenceNumber"])


def test_describe_stream_summary(kin):
    name = uniq("ks")
    assert body(kin.create_stream(StreamName=name, ShardCount=3)) == {}
    statuses = wait_active(kin, name)
    assert statuses in (["CREATING", "ACTIVE"], ["ACTIVE"]), statuses

    got = summary(kin, name)
    assert SUMMARY_KEYS <= set(got) <= SUMMARY_KEYS | SUMMARY_OPTIONAL, got
    assert got["StreamName"] == name
    assert got["StreamARN"] == stream_arn(name)
    assert got["StreamStatus"] == "ACTIVE"
    assert got["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert got["RetentionPeriodHours"] == 24
    assert got["EncryptionType"] == "NONE"
    assert got["EnhancedMonitoring"] == [{"ShardLevelMetrics": []}]
    assert got["OpenShardCount"] == 3
    assert got["ConsumerCount"] == 0
    assert_recent(got["StreamCreationTimestamp"])
    if "MaxRecordSizeInKiB" in got:
        assert got["MaxRecordSizeInKiB"] == 1024
    # Addressed by ARN, the same stream.
    assert kin.describe_stream_summary(StreamARN=stream_arn(name))["StreamDescriptionSummary"] == got
    assert describe(kin, name)["StreamCreationTimestamp"] == got["StreamCreationTimestamp"]


def test_on_demand_stream(kin):
    name = uniq("ks-od")
    assert body(kin.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})) == {}
    wait_active(kin, name)
    description = describe(kin, name)
    assert description["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert description["StreamStatus"] == "ACTIVE"
    # AWS starts an on-demand stream with 4 shards.
    assert [s["ShardId"] for s in description["Shards"]] == [shard_id(i) for i in range(4)]
    assert [s["HashKeyRange"] for s in description["Shards"]] == [hash_range(*r) for r in even_ranges(4)]
    got = summary(kin, name)
    assert got["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert got["OpenShardCount"] == 4
    response = put(kin, name, "on-demand", b"x")
    assert response["ShardId"] == shard_for(md5_hash_key("on-demand"), description["Shards"])


def test_a_new_stream_reads_creating_then_active(servers):
    """CreateStream answers at once; the stream reads CREATING for a moment (the server's --transition-delay),
    then ACTIVE, as SDK waiters expect."""
    kin = kinesis_client(servers.start(transition_delay=1).url)
    name = uniq("creating")
    kin.create_stream(StreamName=name, ShardCount=1)
    assert kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "CREATING"
    deadline = time.monotonic() + 10
    while kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, "the stream never became ACTIVE"
        time.sleep(0.01)


def test_create_stream_without_shard_count_has_four_shards(kin):
    name = create_stream(kin, shards=None)
    description = describe(kin, name)
    assert [s["HashKeyRange"] for s in description["Shards"]] == [hash_range(*r) for r in even_ranges(4)]


def test_describe_stream_pages_shards(kin):
    name = create_stream(kin, shards=3)
    first = kin.describe_stream(StreamName=name, Limit=1)["StreamDescription"]
    assert [s["ShardId"] for s in first["Shards"]] == [shard_id(0)]
    assert first["HasMoreShards"] is True
    page = kin.describe_stream(StreamName=name, Limit=2, ExclusiveStartShardId=shard_id(0))["StreamDescription"]
    assert [s["ShardId"] for s in page["Shards"]] == [shard_id(1), shard_id(2)]
    assert page["HasMoreShards"] is False
    pages = kin.get_paginator("describe_stream").paginate(StreamName=name, PaginationConfig={"PageSize": 1})
    assert [s["ShardId"] for s in pages.build_full_result()["StreamDescription"]["Shards"]] == [
        shard_id(i) for i in range(3)
    ]


# --------------------------------------------------------------------------- PutRecord


def test_put_record_routes_by_md5_of_the_partition_key(kin):
    name = create_stream(kin, shards=3)
    shards = describe(kin, name)["Shards"]
    keys = [f"pk-{i}" for i in range(60)] + ["ü", "ключ", "鍵", "emoji-🙂", "a" * 256]
    used = set()
    for key in keys:
        response = put(kin, name, key, key.encode("utf-8"))
        assert response["ShardId"] == shard_for(md5_hash_key(key), shards), key
        used.add(response["ShardId"])
    assert used == {shard_id(0), shard_id(1), shard_id(2)}


def test_put_record_honours_explicit_hash_key(kin):
    name = create_stream(kin, shards=3)
    (a0, a1), (b0, b1), (c0, c1) = even_ranges(3)
    cases = [(0, 0), (a1, 0), (b0, 1), (b1, 1), (c0, 2), (MAX_HASH, 2)]
    for hash_key, index in cases:
        # The partition key alone would route elsewhere for at least some of these; ExplicitHashKey wins.
        response = put(kin, name, "same-key", b"", ExplicitHashKey=str(hash_key))
        assert response["ShardId"] == shard_id(index), hash_key
    batch = kin.put_records(
        StreamName=name,
        Records=[{"Data": b"", "PartitionKey": "same-key", "ExplicitHashKey": str(h)} for h, _ in cases],
    )
    assert batch["FailedRecordCount"] == 0
    assert [r["ShardId"] for r in batch["Records"]] == [shard_id(i) for _, i in cases]


def test_sequence_numbers_increase_strictly_per_shard(kin):
    name = create_stream(kin, shards=2)
    per_shard = collections.defaultdict(list)
    for i in range(40):
        response = put(kin, name, f"order-{i % 7}", f"{i}".encode())
        per_shard[response["ShardId"]].append(int(response["SequenceNumber"]))
    assert set(per_shard) == {shard_id(0), shard_id(1)}
    for shard, numbers in per_shard.items():
        assert all(a < b for a, b in zip(numbers, numbers[1:])), (shard, numbers)
    # A shard's StartingSequenceNumber is not after its first record.
    for shard in describe(kin, name)["Shards"]:
        assert int(shard["SequenceNumberRange"]["StartingSequenceNumber"]) <= per_shard[shard["ShardId"]][0]


def test_put_record_by_stream_arn(kin):
    name = create_stream(kin)
    response = kin.put_record(StreamARN=stream_arn(name), PartitionKey="k", Data=b"by-arn")
    assert response["ShardId"] == shard_id(0)
    it = kin.get_shard_iterator(StreamARN=stream_arn(name), ShardId=shard_id(0), ShardIteratorType="TRIM_HORIZON")
    got = kin.get_records(ShardIterator=it["ShardIterator"], StreamARN=stream_arn(name))
    assert [(r["Data"], r["SequenceNumber"]) for r in got["Records"]] == [(b"by-arn", response["SequenceNumber"])]


def test_large_record_reads_back_exactly(kin):
    name = create_stream(kin)
    data = bytes(range(256)) * 4095  # 1 MiB − 256 bytes, every byte value
    response = put(kin, name, "big", data)
    records, _ = read_to_tip(kin, iterator(kin, name, response["ShardId"]))
    assert len(records) == 1
    assert_record(records[0], data=data, partition_key="big", sequence_number=response["SequenceNumber"])


# --------------------------------------------------------------------------- PutRecords


def test_put_records_500_keeps_order_per_shard(kin):
    name = create_stream(kin, shards=3)
    shards = describe(kin, name)["Shards"]
    entries = [{"Data": f"record-{i}".encode() + bytes([i % 256]), "PartitionKey": f"key-{i % 41}"} for i in range(500)]
    response = kin.put_records(StreamName=name, Records=entries)
    assert status(response) == 200
    assert {"FailedRecordCount", "Records"} <= set(body(response)) <= {"FailedRecordCount", "Records", "EncryptionType"}
    assert response.get("EncryptionType", "NONE") == "NONE"
    assert response["FailedRecordCount"] == 0
    assert len(response["Records"]) == 500

    per_shard = collections.defaultdict(list)
    for entry, result in zip(entries, response["Records"]):
        assert set(result) == {"ShardId", "SequenceNumber"}, result
        assert SEQUENCE.match(result["SequenceNumber"])
        assert result["ShardId"] == shard_for(md5_hash_key(entry["PartitionKey"]), shards)
        per_shard[result["ShardId"]].append((result["SequenceNumber"], entry))
    assert set(per_shard) == {shard_id(0), shard_id(1), shard_id(2)}

    for shard, items in per_shard.items():
        numbers = [int(n) for n, _ in items]
        assert all(a < b for a, b in zip(numbers, numbers[1:])), f"{shard}: request order not kept"
        records, _ = read_to_tip(kin, iterator(kin, name, shard))
        assert [(r["SequenceNumber"], r["Data"], r["PartitionKey"]) for r in records] == [
            (n, e["Data"], e["PartitionKey"]) for n, e in items
        ]
        for record in records:
            assert set(record) == RECORD_KEYS


def test_put_records_over_500_is_a_validation_error(kin_nv):
    name = create_stream(kin_nv)
    records = [{"Data": b"x", "PartitionKey": "k"}] * 501
    response = expect_error(
        lambda: kin_nv.put_records(StreamName=name, Records=records),
        "ValidationException",
        400,
    )
    message = response["Error"]["Message"]
    assert re.fullmatch(
        r"1 validation error detected: Value '.*' at 'records' failed to satisfy constraint: "
        r"Member must have length less than or equal to 500",
        message,
        re.DOTALL,
    ), message[:300]
    # Nothing of the rejected batch was written.
    records_read, _ = read_to_tip(kin_nv, iterator(kin_nv, name, shard_id(0)))
    assert records_read == []


def test_put_records_empty_list_is_a_validation_error(kin_nv):
    name = create_stream(kin_nv)
    expect_error(
        lambda: kin_nv.put_records(StreamName=name, Records=[]),
        "ValidationException",
        400,
        validation_message(
            "Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1"
        ),
    )


def test_put_records_entry_with_empty_partition_key(kin_nv):
    name = create_stream(kin_nv)
    expect_error(
        lambda: kin_nv.put_records(StreamName=name, Records=[{"Data": b"x", "PartitionKey": ""}]),
        "ValidationException",
        400,
        validation_message(
            "Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        ),
    )


def test_put_records_out_of_range_explicit_hash_key_rejects_the_batch(kin):
    name = create_stream(kin)
    expect_error(
        lambda: kin.put_records(
            StreamName=name,
            Records=[
                {"Data": b"a", "PartitionKey": "a", "ExplicitHashKey": str(HASH_SPACE)},
                {"Data": b"b", "PartitionKey": "b"},
            ],
        ),
        "InvalidArgumentException",
        400,
        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
        f"Specified value was {HASH_SPACE}",
    )
    records, _ = read_to_tip(kin, iterator(kin, name, shard_id(0)))
    assert records == [], "a rejected PutRecords left records behind"


# --------------------------------------------------------------------------- GetShardIterator / GetRecords


def test_trim_horizon_returns_every_field_exactly(kin):
    name = create_stream(kin)
    payloads = [b"", b"\x00\xff\x10binary\r\n", "ünïcödé 鍵".encode(), bytes(range(256)) * 40]
    put_at = []
    for i, data in enumerate(payloads):
        put_at.append(put(kin, name, f"key-{i}", data))
    response = kin.get_records(ShardIterator=iterator(kin, name, shard_id(0)))
    assert set(body(response)) == OPEN_READ_KEYS, body(response).keys()
    assert isinstance(response["MillisBehindLatest"], int) and response["MillisBehindLatest"] >= 0
    records = response["Records"]
    assert len(records) == len(payloads)
    for i, (record, data, ack) in enumerate(zip(records, payloads, put_at)):
        assert_record(record, data=data, partition_key=f"key-{i}", sequence_number=ack["SequenceNumber"])
    arrivals = [r["ApproximateArrivalTimestamp"] for r in records]
    assert arrivals == sorted(arrivals)
    # Caught up: an empty read with an iterator to go on and nothing behind.
    rest = kin.get_records(ShardIterator=response["NextShardIterator"])
    assert rest["Records"] == []
    assert rest["MillisBehindLatest"] == 0
    assert rest["NextShardIterator"]


def test_get_records_honours_limit(kin):
    name = create_stream(kin)
    acks = [put(kin, name, "k", f"r{i}".encode())["SequenceNumber"] for i in range(10)]
    shard_iterator = iterator(kin, name, shard_id(0))
    seen = []
    for expected in (3, 3, 3, 1, 0):
        response = kin.get_records(ShardIterator=shard_iterator, Limit=3)
        assert len(response["Records"]) == expected, [r["Data"] for r in response["Records"]]
        seen += [r["SequenceNumber"] for r in response["Records"]]
        shard_iterator = response["NextShardIterator"]
    assert seen == acks
    one = kin.get_records(ShardIterator=iterator(kin, name, shard_id(0)), Limit=1)
    assert [r["Data"] for r in one["Records"]] == [b"r0"]


def test_latest_reads_only_what_comes_after(kin):
    name = create_stream(kin)
    for i in range(3):
        put(kin, name, "k", f"old-{i}".encode())
    latest = iterator(kin, name, shard_id(0), "LATEST")
    empty = kin.get_records(ShardIterator=latest)
    assert set(body(empty)) == OPEN_READ_KEYS
    assert empty["Records"] == []
    assert empty["MillisBehindLatest"] == 0
    assert empty["NextShardIterator"]

    new = [put(kin, name, "k", f"new-{i}".encode()) for i in range(2)]
    for shard_iterator in (latest, empty["NextShardIterator"]):
        records, _ = read_to_tip(kin, shard_iterator)
        assert [(r["Data"], r["SequenceNumber"]) for r in records] == [
            (f"new-{i}".encode(), ack["SequenceNumber"]) for i, ack in enumerate(new)
        ]


def test_at_and_after_sequence_number(kin):
    name = create_stream(kin)
    acks = [put(kin, name, "k", f"r{i}".encode())["SequenceNumber"] for i in range(6)]

    def read_from(kind, number):
        records, _ = read_to_tip(kin, iterator(kin, name, shard_id(0), kind, StartingSequenceNumber=number))
        return [r["SequenceNumber"] for r in records]

    assert read_from("AT_SEQUENCE_NUMBER", acks[2]) == acks[2:]
    assert read_from("AFTER_SEQUENCE_NUMBER", acks[2]) == acks[3:]
    assert read_from("AT_SEQUENCE_NUMBER", acks[0]) == acks
    assert read_from("AFTER_SEQUENCE_NUMBER", acks[-1]) == []
    # AFTER the last record, then a new record arrives: it is read.
    after_last = iterator(kin, name, shard_id(0), "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=acks[-1])
    fresh = put(kin, name, "k", b"fresh")
    records, _ = read_to_tip(kin, after_last)
    assert [r["SequenceNumber"] for r in records] == [fresh["SequenceNumber"]]


def test_at_timestamp(kin):
    name = create_stream(kin)
    early = [put(kin, name, "k", f"early-{i}".encode())["SequenceNumber"] for i in range(3)]
    records, _ = read_to_tip(kin, iterator(kin, name, shard_id(0)))
    last_early = max(r["ApproximateArrivalTimestamp"].timestamp() for r in records)
    # boto3 sends whole epoch seconds: start the later records after the next whole second.
    boundary = math.floor(last_early) + 1
    wait_until(lambda: time.time() >= boundary + 0.05, timeout=5, message="the next whole second")
    late = [put(kin, name, "k", f"late-{i}".encode())["SequenceNumber"] for i in range(3)]

    def read_at(when):
        got, _ = read_to_tip(kin, iterator(kin, name, shard_id(0), "AT_TIMESTAMP", Timestamp=when))
        return [r["SequenceNumber"] for r in got]

    assert read_at(boundary) == late
    assert read_at(dt.datetime.fromtimestamp(boundary, dt.timezone.utc)) == late
    assert read_at(boundary - 3600) == early + late


def test_millis_behind_latest_reaches_zero(kin):
    name = create_stream(kin)
    for i in range(5):
        put(kin, name, "k", f"{i}".encode())
    shard_iterator = iterator(kin, name, shard_id(0))
    values = []
    for _ in range(5):
        response = kin.get_records(ShardIterator=shard_iterator, Limit=1)
        assert len(response["Records"]) == 1
        assert isinstance(response["MillisBehindLatest"], int) and response["MillisBehindLatest"] >= 0
        values.append(response["MillisBehindLatest"])
        shard_iterator = response["NextShardIterator"]
    assert values[-1] == 0
    assert kin.get_records(ShardIterator=shard_iterator)["MillisBehindLatest"] == 0


# --------------------------------------------------------------------------- resharding


def test_split_shard_closes_the_parent_and_routes_to_the_children(kin):
    name = create_stream(kin, shards=1)
    before = [put(kin, name, f"before-{i}", f"b{i}".encode()) for i in range(5)]
    middle = 2**127
    response = kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(middle))
    assert body(response) == {}
    wait_active(kin, name)

    shards = describe(kin, name)["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(0), shard_id(1), shard_id(2)]
    parent, left, right = shards
    assert set(parent) == {"ShardId", "HashKeyRange", "SequenceNumberRange"}
    assert parent["HashKeyRange"] == hash_range(0, MAX_HASH)
    assert set(parent["SequenceNumberRange"]) == {"StartingSequenceNumber", "EndingSequenceNumber"}
    ending = parent["SequenceNumberRange"]["EndingSequenceNumber"]
    assert SEQUENCE.match(ending)
    assert int(ending) >= max(int(b["SequenceNumber"]) for b in before)
    for child, (low, high) in ((left, (0, middle - 1)), (right, (middle, MAX_HASH))):
        assert set(child) == {"ShardId", "ParentShardId", "HashKeyRange", "SequenceNumberRange"}, child
        assert child["ParentShardId"] == shard_id(0)
        assert child["HashKeyRange"] == hash_range(low, high)
        assert set(child["SequenceNumberRange"]) == {"StartingSequenceNumber"}
    assert summary(kin, name)["OpenShardCount"] == 2

    # The parent reads to its end: its records, then no NextShardIterator and the children.
    records, last = read_to_end(kin, iterator(kin, name, shard_id(0)))
    assert [r["SequenceNumber"] for r in records] == [b["SequenceNumber"] for b in before]
    assert [r["Data"] for r in records] == [f"b{i}".encode() for i in range(5)]
    assert "NextShardIterator" not in last
    assert sorted(last["ChildShards"], key=lambda c: c["ShardId"]) == [
        {"ShardId": shard_id(1), "ParentShards": [shard_id(0)], "HashKeyRange": hash_range(0, middle - 1)},
        {"ShardId": shard_id(2), "ParentShards": [shard_id(0)], "HashKeyRange": hash_range(middle, MAX_HASH)},
    ]

    # New records land in the children, by MD5 as before.
    after = collections.defaultdict(list)
    for i in range(40):
        key = f"after-{i}"
        response = put(kin, name, key, key.encode())
        assert response["ShardId"] == shard_for(md5_hash_key(key), shards), key
        after[response["ShardId"]].append(response["SequenceNumber"])
    assert set(after) == {shard_id(1), shard_id(2)}
    assert put(kin, name, "x", b"", ExplicitHashKey="0")["ShardId"] == shard_id(1)
    assert put(kin, name, "x", b"", ExplicitHashKey=str(MAX_HASH))["ShardId"] == shard_id(2)
    for child in (shard_id(1), shard_id(2)):
        got, _ = read_to_tip(kin, iterator(kin, name, child))
        assert [r["SequenceNumber"] for r in got][: len(after[child])] == after[child]


def test_merge_adjacent_shards(kin):
    name = create_stream(kin, shards=3)
    (a0, a1), (b0, b1), (c0, c1) = even_ranges(3)
    on_1 = put(kin, name, "m", b"one", ExplicitHashKey=str(b0))
    on_2 = put(kin, name, "m", b"two", ExplicitHashKey=str(c0))
    assert (on_1["ShardId"], on_2["ShardId"]) == (shard_id(1), shard_id(2))

    response = kin.merge_shards(StreamName=name, ShardToMerge=shard_id(1), AdjacentShardToMerge=shard_id(2))
    assert body(response) == {}
    wait_active(kin, name)

    shards = describe(kin, name)["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(i) for i in range(4)]
    assert is_open(shards[0]) and not is_open(shards[1]) and not is_open(shards[2]) and is_open(shards[3])
    child = shards[3]
    assert set(child) == {"ShardId", "ParentShardId", "AdjacentParentShardId", "HashKeyRange", "SequenceNumberRange"}
    assert child["ParentShardId"] == shard_id(1)
    assert child["AdjacentParentShardId"] == shard_id(2)
    assert child["HashKeyRange"] == hash_range(b0, c1)
    assert shards[0]["HashKeyRange"] == hash_range(a0, a1)
    assert summary(kin, name)["OpenShardCount"] == 2

    assert put(kin, name, "m", b"", ExplicitHashKey=str(b0))["ShardId"] == shard_id(3)
    assert put(kin, name, "m", b"", ExplicitHashKey=str(c1))["ShardId"] == shard_id(3)
    assert put(kin, name, "m", b"", ExplicitHashKey=str(a1))["ShardId"] == shard_id(0)

    for parent, ack in ((shard_id(1), on_1), (shard_id(2), on_2)):
        records, last = read_to_end(kin, iterator(kin, name, parent))
        assert [r["SequenceNumber"] for r in records] == [ack["SequenceNumber"]]
        assert "NextShardIterator" not in last
        assert len(last["ChildShards"]) == 1
        got = last["ChildShards"][0]
        assert got["ShardId"] == shard_id(3)
        assert sorted(got["ParentShards"]) == [shard_id(1), shard_id(2)]
        assert got["HashKeyRange"] == hash_range(b0, c1)


def test_update_shard_count_uniform_scaling_1_to_2(kin):
    name = create_stream(kin, shards=1)
    response = kin.update_shard_count(StreamName=name, TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    got = body(response)
    assert {"StreamName", "CurrentShardCount", "TargetShardCount"} <= set(got) <= {
        "StreamName",
        "CurrentShardCount",
        "TargetShardCount",
        "StreamARN",
    }
    assert (got["StreamName"], got["CurrentShardCount"], got["TargetShardCount"]) == (name, 1, 2)
    assert got.get("StreamARN", stream_arn(name)) == stream_arn(name)
    wait_active(kin, name)

    assert summary(kin, name)["OpenShardCount"] == 2
    shards = list_all_shards(kin, name)
    assert len(shards) == 3
    closed = [s for s in shards if not is_open(s)]
    opened = sorted((s for s in shards if is_open(s)), key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))
    assert [s["ShardId"] for s in closed] == [shard_id(0)]
    assert [s["HashKeyRange"] for s in opened] == [hash_range(*r) for r in even_ranges(2)]
    assert all(s["ParentShardId"] == shard_id(0) for s in opened)
    for i in range(10):
        key = f"scaled-{i}"
        assert put(kin, name, key, b"x")["ShardId"] == shard_for(md5_hash_key(key), shards)


def test_list_shards_includes_closed_shards_and_pages(kin):
    name = create_stream(kin, shards=1)
    kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2**127))
    wait_active(kin, name)

    response = kin.list_shards(StreamName=name)
    assert set(body(response)) == {"Shards"}, body(response)
    shards = response["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(0), shard_id(1), shard_id(2)]
    assert shards == describe(kin, name)["Shards"]
    assert not is_open(shards[0])

    first = kin.list_shards(StreamName=name, MaxResults=1)
    assert [s["ShardId"] for s in first["Shards"]] == [shard_id(0)]
    assert first["NextToken"]
    assert [s["ShardId"] for s in list_all_shards(kin, name, MaxResults=1)] == [shard_id(i) for i in range(3)]
    after = kin.list_shards(StreamName=name, ExclusiveStartShardId=shard_id(0))["Shards"]
    assert [s["ShardId"] for s in after] == [shard_id(1), shard_id(2)]
    assert [s["ShardId"] for s in kin.list_shards(StreamARN=stream_arn(name))["Shards"]] == [
        shard_id(i) for i in range(3)
    ]


def test_list_shards_filter_at_latest_lists_open_shards(kin):
    name = create_stream(kin, shards=1)
    kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2**127))
    wait_active(kin, name)
    latest = kin.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})["Shards"]
    assert [s["ShardId"] for s in latest] == [shard_id(1), shard_id(2)]
    horizon = kin.list_shards(StreamName=name, ShardFilter={"Type": "AT_TRIM_HORIZON"})["Shards"]
    assert [s["ShardId"] for s in horizon] == [shard_id(0), shard_id(1), shard_id(2)]


def test_resharding_errors(kin):
    name = create_stream(kin, shards=1)
    expect_error(
        lambda: kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey="1"),
        "InvalidArgumentException",
        400,
        f"NewStartingHashKey 1 used in SplitShard() on shard {shard_id(0)} in stream {name} under account "
        f"{ACCOUNT} is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's "
        f"EndingHashKey {MAX_HASH}.",
    )
    expect_error(
        lambda: kin.split_shard(StreamName=name, ShardToSplit=shard_id(5), NewStartingHashKey=str(2**127)),
        "ResourceNotFoundException",
        400,
        f"Could not find shard {shard_id(5)} in stream {name} under account {ACCOUNT}.",
    )
    kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2**127))
    wait_active(kin, name)
    expect_error(
        lambda: kin.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2**126)),
        "InvalidArgumentException",
        400,
        f"Shard {shard_id(0)} in stream {name} under account {ACCOUNT} has already been merged or split, "
        "and thus is not eligible for merging or splitting.",
    )

    three = create_stream(kin, shards=3)
    expect_error(
        lambda: kin.merge_shards(StreamName=three, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(2)),
        "InvalidArgumentException",
        400,
        f"Shards {shard_id(0)} and {shard_id(2)} in stream {three} under account {ACCOUNT} are not an adjacent "
        "pair of shards eligible for merging",
    )
    # Nothing changed on a rejected reshard.
    assert [s["ShardId"] for s in describe(kin, three)["Shards"]] == [shard_id(i) for i in range(3)]
    assert summary(kin, three)["StreamStatus"] == "ACTIVE"


# --------------------------------------------------------------------------- ListStreams, tags, retention, delete


def test_list_streams_in_name_order_with_pages(kin):
    prefix = uniq("kls")
    names = [create_stream(kin, f"{prefix}-{suffix}") for suffix in ("c", "a", "b")]
    response = kin.list_streams()
    assert {"StreamNames", "HasMoreStreams"} <= set(body(response)) <= {
        "StreamNames",
        "HasMoreStreams",
        "NextToken",
        "StreamSummaries",
    }
    pages = kin.get_paginator("list_streams").paginate(PaginationConfig={"PageSize": 2}).build_full_result()
    listed = pages["StreamNames"]
    assert listed == sorted(listed) and len(listed) == len(set(listed))
    assert set(names) <= set(listed)

    summaries = {s["StreamName"]: s for s in pages.get("StreamSummaries", [])}
    for name in names:
        assert summaries[name]["StreamARN"] == stream_arn(name)
        assert summaries[name]["StreamStatus"] == "ACTIVE"
        assert summaries[name]["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
        assert_recent(summaries[name]["StreamCreationTimestamp"])

    page = kin.list_streams(ExclusiveStartStreamName=f"{prefix}-a", Limit=1)
    assert page["StreamNames"] == [f"{prefix}-b"]
    assert page["HasMoreStreams"] is True


def test_tags_add_list_remove(kin):
    name = create_stream(kin)
    assert kin.list_tags_for_stream(StreamName=name)["Tags"] == []
    assert body(kin.add_tags_to_stream(StreamName=name, Tags={"team": "data", "env": "dev"})) == {}
    assert body(kin.add_tags_to_stream(StreamName=name, Tags={"env": "prod", "owner": ""})) == {}

    listed = kin.list_tags_for_stream(StreamName=name)
    assert set(body(listed)) == {"Tags", "HasMoreTags"}
    assert listed["HasMoreTags"] is False
    expected = [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": ""}, {"Key": "team", "Value": "data"}]
    assert sorted(listed["Tags"], key=lambda t: t["Key"]) == expected

    # Pages of one, each starting after the last key seen.
    seen, start = [], None
    for _ in range(5):
        params = {"StreamName": name, "Limit": 1}
        if start:
            params["ExclusiveStartTagKey"] = start
        page = kin.list_tags_for_stream(**params)
        seen += page["Tags"]
        if not page["HasMoreTags"]:
            break
        assert len(page["Tags"]) == 1
        start = page["Tags"][-1]["Key"]
    assert sorted(seen, key=lambda t: t["Key"]) == expected

    assert body(kin.remove_tags_from_stream(StreamName=name, TagKeys=["env", "not-there"])) == {}
    remaining = kin.list_tags_for_stream(StreamARN=stream_arn(name))["Tags"]
    assert sorted(remaining, key=lambda t: t["Key"]) == expected[1:]


def test_create_stream_with_tags(kin):
    name = create_stream(kin, Tags={"created": "with-tags"})
    assert kin.list_tags_for_stream(StreamName=name)["Tags"] == [{"Key": "created", "Value": "with-tags"}]


def test_retention_period_increase_and_decrease(kin):
    name = create_stream(kin)
    assert body(kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)) == {}
    assert summary(kin, name)["RetentionPeriodHours"] == 48
    assert describe(kin, name)["RetentionPeriodHours"] == 48

    expect_error(
        lambda: kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=24),
        "InvalidArgumentException",
        400,
        f"Requested retention period (24 hours) for stream {name} can not be shorter than existing retention "
        "period (48 hours). Use DecreaseRetentionPeriod API.",
    )
    expect_error(
        lambda: kin.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=72),
        "InvalidArgumentException",
        400,
        f"Requested retention period (72 hours) for stream {name} can not be longer than existing retention "
        "period (48 hours). Use IncreaseRetentionPeriod API.",
    )
    assert body(kin.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)) == {}
    assert summary(kin, name)["RetentionPeriodHours"] == 24

    expect_error(
        lambda: kin.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=23),
        "InvalidArgumentException",
        400,
        "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.",
    )
    expect_error(
        lambda: kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=8761),
        "InvalidArgumentException",
        400,
        "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.",
    )
    assert body(kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=8760)) == {}
    assert summary(kin, name)["RetentionPeriodHours"] == 8760


def test_delete_stream(kin):
    name = create_stream(kin, shards=2)
    old_iterator = iterator(kin, name, shard_id(0))
    put(kin, name, "k", b"doomed")
    assert body(kin.delete_stream(StreamName=name)) == {}
    statuses = wait_gone(kin, name)
    assert set(statuses) <= {"DELETING"}, statuses

    expect_error(lambda: kin.describe_stream(StreamName=name), "ResourceNotFoundException", 400, not_found(name))
    expect_error(lambda: kin.describe_stream_summary(StreamName=name), "ResourceNotFoundException", 400, not_found(name))
    names = kin.get_paginator("list_streams").paginate().build_full_result()["StreamNames"]
    assert name not in names
    expect_error(
        lambda: kin.get_records(ShardIterator=old_iterator),
        "ResourceNotFoundException",
        400,
        shard_missing(name, shard_id(0)),
    )

    # The name is free again; the new stream starts empty.
    create_stream(kin, name, shards=1)
    records, _ = read_to_tip(kin, iterator(kin, name, shard_id(0)))
    assert records == []


# --------------------------------------------------------------------------- errors


def unknown_stream_calls(client, name):
    return {
        "DescribeStream": lambda: client.describe_stream(StreamName=name),
        "DescribeStreamSummary": lambda: client.describe_stream_summary(StreamName=name),
        "PutRecord": lambda: client.put_record(StreamName=name, PartitionKey="k", Data=b"x"),
        "PutRecords": lambda: client.put_records(StreamName=name, Records=[{"PartitionKey": "k", "Data": b"x"}]),
        "ListShards": lambda: client.list_shards(StreamName=name),
        "DeleteStream": lambda: client.delete_stream(StreamName=name),
        "AddTagsToStream": lambda: client.add_tags_to_stream(StreamName=name, Tags={"a": "b"}),
        "ListTagsForStream": lambda: client.list_tags_for_stream(StreamName=name),
        "RemoveTagsFromStream": lambda: client.remove_tags_from_stream(StreamName=name, TagKeys=["a"]),
        "IncreaseStreamRetentionPeriod": lambda: client.increase_stream_retention_period(
            StreamName=name, RetentionPeriodHours=48
        ),
        "DecreaseStreamRetentionPeriod": lambda: client.decrease_stream_retention_period(
            StreamName=name, RetentionPeriodHours=24
        ),
        "SplitShard": lambda: client.split_shard(
            StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2**127)
        ),
        "MergeShards": lambda: client.merge_shards(
            StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1)
        ),
        "UpdateShardCount": lambda: client.update_shard_count(
            StreamName=name, TargetShardCount=2, ScalingType="UNIFORM_SCALING"
        ),
    }


@pytest.mark.parametrize("operation", sorted(unknown_stream_calls(None, "x")))
def test_unknown_stream(kin, operation):
    name = uniq("missing")
    expect_error(unknown_stream_calls(kin, name)[operation], "ResourceNotFoundException", 400, not_found(name))


def test_unknown_stream_by_arn(kin):
    name = uniq("missing")
    expect_error(
        lambda: kin.describe_stream_summary(StreamARN=stream_arn(name)),
        "ResourceNotFoundException",
        400,
        not_found(name),
    )


def test_get_shard_iterator_on_unknown_stream_or_shard(kin):
    name = uniq("missing")
    expect_error(
        lambda: kin.get_shard_iterator(StreamName=name, ShardId=shard_id(0), ShardIteratorType="LATEST"),
        "ResourceNotFoundException",
        400,
        shard_missing(name, shard_id(0)),
    )
    existing = create_stream(kin)
    expect_error(
        lambda: kin.get_shard_iterator(StreamName=existing, ShardId=shard_id(5), ShardIteratorType="LATEST"),
        "ResourceNotFoundException",
        400,
        shard_missing(existing, shard_id(5)),
    )


def test_duplicate_create_stream(kin):
    name = create_stream(kin, shards=2)
    expect_error(
        lambda: kin.create_stream(StreamName=name, ShardCount=1),
        "ResourceInUseException",
        400,
        f"Stream {name} under account {ACCOUNT} already exists.",
    )
    assert summary(kin, name)["OpenShardCount"] == 2


@pytest.mark.parametrize("garbage", ["garbage", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a" * 512])
def test_bad_shard_iterator(kin, garbage):
    expect_error(
        lambda: kin.get_records(ShardIterator=garbage), "InvalidArgumentException", 400, "Invalid ShardIterator."
    )


def test_altered_shard_iterator(kin):
    name = create_stream(kin)
    good = iterator(kin, name, shard_id(0))
    middle = len(good) // 2
    altered = good[:middle] + ("A" if good[middle] != "A" else "B") + good[middle + 1 :]
    expect_error(
        lambda: kin.get_records(ShardIterator=altered), "InvalidArgumentException", 400, "Invalid ShardIterator."
    )


@pytest.mark.parametrize(
    "limit, rule",
    [(0, "have value greater than or equal to 1"), (10001, "have value less than or equal to 10000")],
)
def test_get_records_limit_out_of_range(kin, kin_nv, limit, rule):
    name = create_stream(kin)
    shard_iterator = iterator(kin, name, shard_id(0))
    expect_error(
        lambda: kin_nv.get_records(ShardIterator=shard_iterator, Limit=limit),
        "ValidationException",
        400,
        validation_message(f"Value '{limit}' at 'limit' failed to satisfy constraint: Member must {rule}"),
    )
    # 10000 itself is fine.
    assert kin.get_records(ShardIterator=shard_iterator, Limit=10000)["Records"] == []


@pytest.mark.parametrize(
    "key, rule",
    [("", "have length greater than or equal to 1"), ("k" * 257, "have length less than or equal to 256")],
    ids=["empty", "257"],
)
def test_partition_key_length(kin_nv, key, rule):
    name = create_stream(kin_nv)
    expect_error(
        lambda: kin_nv.put_record(StreamName=name, PartitionKey=key, Data=b"x"),
        "ValidationException",
        400,
        validation_message(f"Value '{key}' at 'partitionKey' failed to satisfy constraint: Member must {rule}"),
    )


def test_explicit_hash_key_out_of_range_and_malformed(kin, kin_nv):
    name = create_stream(kin)
    expect_error(
        lambda: kin.put_record(StreamName=name, PartitionKey="a", Data=b"", ExplicitHashKey=str(HASH_SPACE)),
        "InvalidArgumentException",
        400,
        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
        f"Specified value was {HASH_SPACE}",
    )
    expect_error(
        lambda: kin_nv.put_record(StreamName=name, PartitionKey="a", Data=b"", ExplicitHashKey="abc"),
        "ValidationException",
        400,
        validation_message(
            "Value 'abc' at 'explicitHashKey' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"
        ),
    )


def test_data_over_the_model_limit(kin_nv):
    name = create_stream(kin_nv)
    size = 10 * 1024 * 1024 + 1
    expect_error(
        lambda: kin_nv.put_record(StreamName=name, PartitionKey="k", Data=b"\0" * size),
        "ValidationException",
        400,
        validation_message(
            f"Value 'java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]' at 'data' failed to satisfy constraint: "
            "Member must have length less than or equal to 10485760"
        ),
    )


def test_record_over_the_default_max_record_size_is_rejected(kin):
    """A new stream's maximum record size is 1 MiB (partition key + data). The model allows 10 MiB, so the
    service, not the client, refuses; AWS's code and text for it are not known, only that it is refused."""
    name = create_stream(kin)
    with pytest.raises(ClientError) as info:
        kin.put_record(StreamName=name, PartitionKey="k", Data=b"\0" * (1024 * 1024 + 1))
    assert info.value.response["Error"]["Code"] in ("InvalidArgumentException", "ValidationException")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    records, _ = read_to_tip(kin, iterator(kin, name, shard_id(0)))
    assert records == []


def test_create_stream_validation(kin_nv):
    expect_error(
        lambda: kin_nv.create_stream(StreamName="bad name!", ShardCount=1),
        "ValidationException",
        400,
        validation_message(
            "Value 'bad name!' at 'streamName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        ),
    )
    long_name = "s" * 129
    expect_error(
        lambda: kin_nv.create_stream(StreamName=long_name, ShardCount=1),
        "ValidationException",
        400,
        validation_message(
            f"Value '{long_name}' at 'streamName' failed to satisfy constraint: "
            "Member must have length less than or equal to 128"
        ),
    )
    expect_error(
        lambda: kin_nv.create_stream(StreamName=uniq("ks"), ShardCount=0),
        "ValidationException",
        400,
        validation_message(
            "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1"
        ),
    )


def test_shard_iterator_type_not_in_enum(kin, kin_nv):
    name = create_stream(kin)
    response = expect_error(
        lambda: kin_nv.get_shard_iterator(StreamName=name, ShardId=shard_id(0), ShardIteratorType="BOGUS"),
        "ValidationException",
        400,
    )
    message = response["Error"]["Message"]
    match = re.fullmatch(
        r"1 validation error detected: Value 'BOGUS' at 'shardIteratorType' failed to satisfy constraint: "
        r"Member must satisfy enum value set: \[(.*)\]",
        message,
    )
    assert match, message
    assert sorted(match.group(1).split(", ")) == sorted(
        ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"]
    )


def test_get_shard_iterator_argument_combinations(kin):
    name = create_stream(kin, shards=2)
    first = put(kin, name, "k", b"x", ExplicitHashKey="0")
    other = put(kin, name, "k", b"y", ExplicitHashKey=str(MAX_HASH))
    assert (first["ShardId"], other["ShardId"]) == (shard_id(0), shard_id(1))
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP"):
        expect_error(
            lambda: kin.get_shard_iterator(StreamName=name, ShardId=shard_id(0), ShardIteratorType=kind),
            "InvalidArgumentException",
            400,
        )
    for kind in ("LATEST", "TRIM_HORIZON"):
        expect_error(
            lambda: kin.get_shard_iterator(
                StreamName=name,
                ShardId=shard_id(0),
                ShardIteratorType=kind,
                StartingSequenceNumber=first["SequenceNumber"],
            ),
            "InvalidArgumentException",
            400,
        )
    # A sequence number of shard 1 used on shard 0.
    expect_error(
        lambda: kin.get_shard_iterator(
            StreamName=name,
            ShardId=shard_id(0),
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=other["SequenceNumber"],
        ),
        "InvalidArgumentException",
        400,
        f"Invalid StartingSequenceNumber. It encodes {shard_id(1)}, while it was used in a call to a shard with "
        f"{shard_id(0)}",
    )


# --------------------------------------------------------------------------- aws CLI v1


def test_cli_create_put_get_and_describe(url, kin):
    name = uniq("kcli")
    assert cli_ok(url, "kinesis", "create-stream", "--stream-name", name, "--shard-count", "2") is None
    wait_active(kin, name)

    got = cli_ok(url, "kinesis", "describe-stream-summary", "--stream-name", name)["StreamDescriptionSummary"]
    assert SUMMARY_KEYS <= set(got) <= SUMMARY_KEYS | SUMMARY_OPTIONAL
    assert (got["StreamName"], got["StreamARN"], got["StreamStatus"]) == (name, stream_arn(name), "ACTIVE")
    assert (got["OpenShardCount"], got["RetentionPeriodHours"], got["EncryptionType"]) == (2, 24, "NONE")
    assert isinstance(got["StreamCreationTimestamp"], (int, float))  # CLI v1 prints the wire's epoch seconds

    shards = describe(kin, name)["Shards"]
    put_out = cli_ok(
        url, "kinesis", "put-record", "--stream-name", name, "--partition-key", "k", "--data", "aGVsbG8="
    )
    assert set(put_out) == {"ShardId", "SequenceNumber", "EncryptionType"}
    assert put_out["ShardId"] == shard_for(md5_hash_key("k"), shards)
    assert put_out["EncryptionType"] == "NONE"
    assert SEQUENCE.match(put_out["SequenceNumber"])

    shard_iterator = cli_ok(
        url,
        "kinesis",
        "get-shard-iterator",
        "--stream-name",
        name,
        "--shard-id",
        put_out["ShardId"],
        "--shard-iterator-type",
        "TRIM_HORIZON",
    )["ShardIterator"]
    records_out = cli_ok(url, "kinesis", "get-records", "--shard-iterator", shard_iterator)
    assert set(records_out) == OPEN_READ_KEYS
    assert len(records_out["Records"]) == 1
    record = records_out["Records"][0]
    assert set(record) == RECORD_KEYS
    assert record["SequenceNumber"] == put_out["SequenceNumber"]
    assert record["PartitionKey"] == "k"
    # CLI v1 sends --data as given (botocore base64-encodes the 8 characters), so the record holds the bytes
    # `aGVsbG8=`, which get-records prints base64-encoded again.
    assert record["Data"] == base64.b64encode(b"aGVsbG8=").decode() == "YUdWc2JHOD0="
    assert isinstance(record["ApproximateArrivalTimestamp"], (int, float))
    assert abs(record["ApproximateArrivalTimestamp"] - time.time()) < 300
    boto_records, _ = read_to_tip(kin, iterator(kin, name, put_out["ShardId"]))
    assert [r["Data"] for r in boto_records] == [b"aGVsbG8="]

    later = cli_ok(url, "kinesis", "get-records", "--shard-iterator", records_out["NextShardIterator"])
    assert later["Records"] == [] and later["MillisBehindLatest"] == 0


def test_cli_put_and_get_across_a_split(url, kin):
    name = uniq("kcli-split")
    cli_ok(url, "kinesis", "create-stream", "--stream-name", name, "--shard-count", "1")
    wait_active(kin, name)
    before = cli_ok(url, "kinesis", "put-record", "--stream-name", name, "--partition-key", "p", "--data", "before")
    assert before["ShardId"] == shard_id(0)
    assert (
        cli_ok(
            url,
            "kinesis",
            "split-shard",
            "--stream-name",
            name,
            "--shard-to-split",
            shard_id(0),
            "--new-starting-hash-key",
            str(2**127),
        )
        is None
    )
    wait_active(kin, name)
    low = cli_ok(
        url, "kinesis", "put-record", "--stream-name", name, "--partition-key", "p", "--data", "low",
        "--explicit-hash-key", "1",
    )
    high = cli_ok(
        url, "kinesis", "put-record", "--stream-name", name, "--partition-key", "p", "--data", "high",
        "--explicit-hash-key", str(MAX_HASH),
    )
    assert (low["ShardId"], high["ShardId"]) == (shard_id(1), shard_id(2))

    def cli_iterator(shard):
        return cli_ok(
            url, "kinesis", "get-shard-iterator", "--stream-name", name, "--shard-id", shard,
            "--shard-iterator-type", "TRIM_HORIZON",
        )["ShardIterator"]

    # The parent: its record, then the end with the children.
    shard_iterator, parent_records, last = cli_iterator(shard_id(0)), [], None
    deadline = time.monotonic() + 30
    while shard_iterator:
        last = cli_ok(url, "kinesis", "get-records", "--shard-iterator", shard_iterator)
        parent_records += last["Records"]
        shard_iterator = last.get("NextShardIterator")
        assert time.monotonic() < deadline, "the split parent never ended"
    assert [r["SequenceNumber"] for r in parent_records] == [before["SequenceNumber"]]
    assert parent_records[0]["Data"] == base64.b64encode(b"before").decode()
    assert sorted(c["ShardId"] for c in last["ChildShards"]) == [shard_id(1), shard_id(2)]
    assert all(c["ParentShards"] == [shard_id(0)] for c in last["ChildShards"])

    for shard, ack, raw in ((shard_id(1), low, b"low"), (shard_id(2), high, b"high")):
        out = cli_ok(url, "kinesis", "get-records", "--shard-iterator", cli_iterator(shard))
        assert [(r["SequenceNumber"], r["Data"]) for r in out["Records"]] == [
            (ack["SequenceNumber"], base64.b64encode(raw).decode())
        ]

    listed = cli_ok(url, "kinesis", "list-shards", "--stream-name", name)["Shards"]
    assert [s["ShardId"] for s in listed] == [shard_id(0), shard_id(1), shard_id(2)]
    assert "EndingSequenceNumber" in listed[0]["SequenceNumberRange"]


def test_cli_errors(url):
    name = uniq("missing")
    failure = cli_error(url, "kinesis", "describe-stream-summary", "--stream-name", name)
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        "ResourceNotFoundException", "DescribeStreamSummary", not_found(name)
    )
    failure = cli_error(url, "kinesis", "get-records", "--shard-iterator", "garbage")
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text("InvalidArgumentException", "GetRecords", "Invalid ShardIterator.")


# --------------------------------------------------------------------------- durability


def read_shards(client, name) -> dict[str, list[dict]]:
    return {
        s["ShardId"]: read_to_tip(client, iterator(client, name, s["ShardId"]), timeout=60)[0]
        for s in describe(client, name)["Shards"]
    }


def assert_acknowledged_present(after_restart: dict[str, list[dict]], acknowledged):
    """Every acknowledged (shard, sequence number, data, key) is read back; sequence numbers rise per shard."""
    for shard, records in after_restart.items():
        numbers = [int(r["SequenceNumber"]) for r in records]
        assert all(a < b for a, b in zip(numbers, numbers[1:])), f"{shard}: sequence numbers out of order"
    stored = {
        (shard, r["SequenceNumber"]): (r["Data"], r["PartitionKey"])
        for shard, records in after_restart.items()
        for r in records
    }
    lost = [ack for ack in acknowledged if stored.get((ack[0], ack[1])) != (ack[2], ack[3])]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged records lost or changed, e.g. {lost[:3]}"


def assert_new_puts_continue(client, name, acknowledged):
    highest = collections.defaultdict(int)
    for shard, number, _, _ in acknowledged:
        highest[shard] = max(highest[shard], int(number))
    shards = describe(client, name)["Shards"]
    for shard in shards:
        response = put(client, name, "after-restart", b"new", ExplicitHashKey=shard["HashKeyRange"]["StartingHashKey"])
        assert response["ShardId"] == shard["ShardId"]
        assert int(response["SequenceNumber"]) > highest[shard["ShardId"]], shard["ShardId"]


def test_acknowledged_puts_survive_kill_9(servers):
    first = servers.start()
    client = kinesis_client(first.url)
    name = create_stream(client, shards=2)
    acknowledged = []
    entries = [{"Data": f"batch-{i}".encode(), "PartitionKey": f"key-{i}"} for i in range(500)]
    response = client.put_records(StreamName=name, Records=entries)
    assert response["FailedRecordCount"] == 0
    for entry, result in zip(entries, response["Records"]):
        acknowledged.append((result["ShardId"], result["SequenceNumber"], entry["Data"], entry["PartitionKey"]))
    for i in range(20):
        single = put(client, name, f"single-{i}", f"single-{i}".encode())
        acknowledged.append((single["ShardId"], single["SequenceNumber"], f"single-{i}".encode(), f"single-{i}"))
    first.kill9()

    second = servers.start(data_dir=first.data_dir)
    client = kinesis_client(second.url)
    assert summary(client, name)["StreamStatus"] == "ACTIVE"
    after = read_shards(client, name)
    assert_acknowledged_present(after, acknowledged)
    assert sum(len(r) for r in after.values()) == len(acknowledged)  # nothing else was ever sent
    assert_new_puts_continue(client, name, acknowledged)
    second.stop()


def test_concurrent_acknowledged_puts_survive_kill_9(servers):
    first = servers.start()
    client = kinesis_client(first.url)
    name = create_stream(client, shards=4)
    acknowledged: list[tuple] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number):
        own = kinesis_client(first.url)
        batch = 0
        while not stop.is_set():
            entries = [
                {"Data": f"w{number}-b{batch}-{i}".encode(), "PartitionKey": f"w{number}-{i}"} for i in range(100)
            ]
            try:
                response = own.put_records(StreamName=name, Records=entries)
            except Exception:  # the server died during the request: nothing was acknowledged
                return
            with lock:
                for entry, result in zip(entries, response["Records"]):
                    if "ErrorCode" not in result:
                        acknowledged.append(
                            (result["ShardId"], result["SequenceNumber"], entry["Data"], entry["PartitionKey"])
                        )
            batch += 1

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(acknowledged) >= 3000, timeout=60, message="3000 acknowledged records")
    first.kill9()
    stop.set()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()

    with lock:
        acknowledged_now = list(acknowledged)
    second = servers.start(data_dir=first.data_dir)
    client = kinesis_client(second.url)
    after = read_shards(client, name)
    assert_acknowledged_present(after, acknowledged_now)
    assert_new_puts_continue(client, name, acknowledged_now)
    second.stop()


# --------------------------------------------------------------------------- mappings check their source


def test_mapping_for_a_missing_stream_is_rejected(lam, fn):
    arn = stream_arn(uniq("no-such-stream"))  # named only: nothing creates it
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, StartingPosition="LATEST"),
        "InvalidParameterValueException",
        400,
        f"Stream not found: {arn}",
    )
    assert lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"] == []


def test_mapping_for_an_existing_stream_is_created(lam, fn, kin):
    name = create_stream(kin)
    created = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=stream_arn(name), StartingPosition="LATEST"
    )
    assert created["EventSourceArn"] == stream_arn(name)
    wait_for_state(lam, created["UUID"], "Enabled")
    lam.delete_event_source_mapping(UUID=created["UUID"])
    wait_for_deleted(lam, created["UUID"])
