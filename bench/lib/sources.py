#!/usr/bin/env python3
"""Embedded-sources benchmark: Sluice against moto's server, in the same run.

Measures, on `sluice serve` (a fresh --data-dir by default, so that every
acknowledged write is committed) and on `python -m moto.server`:

1. Kinesis PutRecords ingest in records/s: wrk (bench/lib/putrecords.lua)
   POSTs pre-built PutRecords bodies of 500 records of 1 KiB (random bytes,
   distinct partition keys) with -t4 -c4 (the target's "4 client threads")
   and a second point with more connections; each point writes to a fresh
   4-shard stream created with boto3 (the warm-ups to another one).
   records/s = wrk's requests/s x 500, less any FailedRecordCount (the Lua
   script sums it over the responses).
   Afterwards: Sluice is killed with SIGKILL right after the load and restarted
   on the same data dir; on both servers DescribeStreamSummary must answer
   ACTIVE with 4 open shards, GetRecords from TRIM_HORIZON on one shard must
   return our records, and (unless --no-count) the records of every stream are
   counted and compared with the acknowledged ones.
2. SQS send -> receive -> delete in messages/s: N processes (default 4), each
   looping SendMessageBatch (10) -> ReceiveMessage (MaxNumberOfMessages 10,
   WaitTimeSeconds 1) -> DeleteMessageBatch with boto3 (JSON protocol; or the
   same requests through http.client with --sqs-client raw) on one queue for a
   fixed duration; deleted messages/s summed over the processes.
   A Sluice whose CreateQueue answers UnknownOperationException does not serve
   SQS yet: its rows say "not served".
3. The ratios Sluice / moto and the targets (issue 3, item 11).

Exit status: 0 when everything was measured (whether or not the targets are
met); 1 when the run itself failed (missing tool or binary, a server that did
not start or crashed, a setup or verification call that failed); 3 when a
measurement was invalid (non-2xx responses, socket errors, PutRecords records
that failed, fewer records in the stream than were acknowledged); 130/143 when
interrupted. Every process this script starts (servers, SQS client processes)
is stopped by PID on every path out.

Shared machinery (starting and stopping servers, wrk output, the machine
description, the table) comes from control_plane.py. Run it through the
wrapper, bench/sources (see --help).
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import platform
import queue as queue_mod
import re
import shlex
import signal
import subprocess
import sys
import time
import uuid
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import control_plane as cp
from control_plane import ACCOUNT, RunFailed

HERE = Path(__file__).resolve().parent
LUA_SCRIPT = HERE / "putrecords.lua"

STREAM = "bench-sources"
SHARDS = 4
BATCH = 500              # records per PutRecords call
RECORD_BYTES = 1024      # bytes of data per record
N_BODIES = 8             # distinct PutRecords bodies that wrk cycles through
QUEUE = "bench-sources"
SQS_BATCH = 10
SQS_WAIT_SECONDS = 1
KINESIS_TARGET_PREFIX = "Kinesis_20131202."

# Targets from the issue (item 11).
TARGET_PUT_RECORDS_PER_S = 50_000.0
TARGET_SQS_MESSAGES_PER_S = 5_000.0
TARGET_RATIO = 10.0

NAME = "sources"


def log(msg: str) -> None:
    print(f"[{NAME}] {msg}", file=sys.stderr, flush=True)


# The shared helpers (stop, start_sluice, ensure_wrk, ...) log through this.
cp.log = log


# --------------------------------------------------------------------------
# Child processes other than servers: the SQS client processes.



# --------------------------------------------------------------------------
# Small helpers

def headers_for(service: str) -> dict[str, str]:
    """control_plane's SigV4-shaped headers, with the credential scope naming
    `service` (moto routes on it; Sluice reads it)."""
    h = dict(cp.sigv4_headers())
    auth = h["Authorization"].replace("/lambda/aws4_request", f"/{service}/aws4_request")
    if auth == h["Authorization"]:
        raise RunFailed("control_plane.sigv4_headers() changed shape; cannot name another service")
    h["Authorization"] = auth
    return h


def kinesis_headers(operation: str) -> dict[str, str]:
    h = headers_for("kinesis")
    h["X-Amz-Target"] = KINESIS_TARGET_PREFIX + operation
    h["Content-Type"] = "application/x-amz-json-1.1"
    return h


def kinesis_call(port: int, operation: str, payload: dict | bytes, timeout: float = 120.0) -> dict:
    """One Kinesis JSON 1.1 call without an SDK (no base64 decoding of the
    records: counting millions of them through boto3 would take minutes)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers=kinesis_headers(operation))
        resp = conn.getresponse()
        status, data = resp.status, resp.read()
    except (OSError, HTTPException) as e:
        raise RunFailed(f"Kinesis {operation} on port {port}: {e.__class__.__name__}: {e}") from e
    finally:
        conn.close()
    if status != 200:
        raise RunFailed(f"Kinesis {operation} on port {port} answered {status}: {data[:300]!r}")
    try:
        return json.loads(data)
    except ValueError as e:
        raise RunFailed(f"Kinesis {operation} on port {port}: body is not JSON: {data[:300]!r}") from e


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (all its threads), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def client_error_code(e) -> str:
    try:
        return e.response["Error"]["Code"]
    except (AttributeError, KeyError, TypeError):
        return ""


# Error codes that mean "this server does not have that operation".
NOT_SERVED_CODES = {"UnknownOperationException", "UnknownOperation", "InvalidAction"}


# --------------------------------------------------------------------------
# Kinesis

def make_batches() -> tuple[list[list[dict]], set[str]]:
    """N_BODIES batches of BATCH records of RECORD_BYTES random bytes, every
    partition key distinct. Returns the batches and the keys."""
    batches, keys = [], set()
    for _ in range(N_BODIES):
        records = []
        for _ in range(BATCH):
            key = uuid.uuid4().hex
            keys.add(key)
            records.append({"Data": base64.b64encode(os.urandom(RECORD_BYTES)).decode("ascii"),
                            "PartitionKey": key})
        batches.append(records)
    return batches, keys


_BODIES: dict[str, list[Path]] = {}


def bodies_for(stream: str, batches: list[list[dict]], workdir: Path) -> list[Path]:
    """The PutRecords bodies (files) of `stream`: the same batches for every
    stream and both servers."""
    if stream not in _BODIES:
        d = workdir / "bodies" / stream
        d.mkdir(parents=True, exist_ok=True)
        paths = []
        for i, records in enumerate(batches):
            path = d / f"putrecords-{i}.json"
            path.write_text(json.dumps({"StreamName": stream, "Records": records}, separators=(",", ":")))
            paths.append(path)
        _BODIES[stream] = paths
    return _BODIES[stream]


def point_stream(conns: int) -> str:
    # Each measured point writes to a stream of its own that starts empty:
    # moto's PutRecords slows down as a shard grows (it lists every sequence
    # number to find the last one), so a shared stream would make a point's
    # figure depend on the points before it.
    return f"{STREAM}-c{conns}"


WARMUP_STREAM = f"{STREAM}-warmup"


def create_streams(name: str, port: int, streams: list[str], allow_not_served: bool) -> bool:
    """CreateStream (4 shards) of each with boto3, then wait for ACTIVE. False
    when the server has no Kinesis (only allowed for Sluice)."""
    from botocore.exceptions import BotoCoreError, ClientError

    kin = cp.boto_client("kinesis", port)
    for stream in streams:
        try:
            kin.create_stream(StreamName=stream, ShardCount=SHARDS)
        except ClientError as e:
            if allow_not_served and client_error_code(e) in NOT_SERVED_CODES:
                log(f"{name}: CreateStream answered {client_error_code(e)}: no Kinesis served")
                return False
            hint = " (a binary without the embedded Kinesis?)" if "Unknown operation" in str(e) else ""
            raise RunFailed(f"{name}: CreateStream {stream} failed: {e}{hint}") from e
        except BotoCoreError as e:
            raise RunFailed(f"{name}: CreateStream {stream} failed: {e.__class__.__name__}: {e}") from e
    deadline = time.monotonic() + 30
    for stream in streams:
        while True:
            try:
                st = kin.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"]
            except (ClientError, BotoCoreError) as e:
                raise RunFailed(f"{name}: DescribeStreamSummary {stream} after CreateStream failed: {e}") from e
            if st == "ACTIVE":
                break
            if time.monotonic() > deadline:
                raise RunFailed(f"{name}: stream {stream} still {st} 30 s after CreateStream")
            time.sleep(0.05)
    return True


def check_one_put(name: str, port: int, body_path: Path) -> None:
    """The exact body wrk sends, once, checked by content."""
    r = kinesis_call(port, "PutRecords", body_path.read_bytes())
    if r.get("FailedRecordCount") != 0 or len(r.get("Records") or []) != BATCH:
        raise RunFailed(f"{name}: PutRecords of the benchmark body answered FailedRecordCount "
                        f"{r.get('FailedRecordCount')!r} with {len(r.get('Records') or [])} records")
    shards = {rec.get("ShardId") for rec in r["Records"]}
    if len(shards) != SHARDS:
        log(f"{name}: note: a batch of {BATCH} distinct keys landed on {len(shards)} of {SHARDS} shards")


def run_wrk_put(name: str, wrk: str, port: int, bodies: list[Path], duration: float, threads: int,
                conns: int, out_path: Path, pid: int) -> dict:
    headers = kinesis_headers("PutRecords")
    cmd = cp.wrk_cmd(wrk, f"http://127.0.0.1:{port}/", headers, duration, threads, conns)
    # 700 KB requests: a slow server (moto) keeps them for seconds; wrk's
    # default 2 s timeout would count those as socket errors.
    cmd[1:1] = ["-s", str(LUA_SCRIPT), "--timeout", "120s"]
    cmd += ["--", *map(str, bodies)]
    cpu0 = cpu_seconds(pid)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 180)
    except subprocess.TimeoutExpired as e:
        raise RunFailed(f"wrk did not finish: {shlex.join(cmd)}") from e
    cpu1 = cpu_seconds(pid)
    out_path.write_text(f"$ {shlex.join(cmd)}\n{p.stdout}\n{p.stderr}")
    if p.returncode != 0:
        raise RunFailed(f"wrk exited with {p.returncode}: {p.stderr.strip() or p.stdout.strip()}")
    r = cp.parse_wrk(p.stdout)
    r["connections"], r["threads"] = conns, threads
    m = re.search(r"PutRecords check: responses (\d+), FailedRecordCount total (\d+), "
                  r"without FailedRecordCount (\d+)", p.stdout)
    if not m:
        r["valid"] = False
        r["problems"].append("no PutRecords check line from putrecords.lua")
        r["failed_records"] = r["unparsed"] = None
    else:
        r["checked"], r["failed_records"], r["unparsed"] = map(int, m.groups())
        if r["failed_records"]:
            r["valid"] = False
            r["problems"].append(f"{r['failed_records']} records failed (FailedRecordCount)")
        if r["unparsed"]:
            r["valid"] = False
            r["problems"].append(f"{r['unparsed']} responses without FailedRecordCount")
    req = r.get("requests") or 0
    r["acknowledged"] = max(req * BATCH - (r.get("failed_records") or 0), 0)
    # wrk's Requests/sec × the acknowledged share of the records (wrk's
    # printed elapsed time is rounded to 10 ms).
    r["records_per_s"] = r["rps"] * r["acknowledged"] / req if req and r.get("rps") else None
    r["calls_per_s"] = r.get("rps")
    elapsed_s = (r.get("elapsed_ms") or 0) / 1000
    if cpu0 is not None and cpu1 is not None and elapsed_s > 0:
        r["server_cores"] = (cpu1 - cpu0) / elapsed_s
    if not r["valid"]:
        log(f"{name}: PutRecords -c{conns} INVALID: {'; '.join(r['problems'])}")
    return r


def kinesis_half(name: str, wrk: str, port: int, pid: int, batches: list[list[dict]], args, workdir: Path,
                 allow_not_served: bool) -> dict | None:
    """Create the streams, check one call, then a warm-up (its own stream)
    and a measured run (a fresh stream) per connection count. Per stream:
    the records acknowledged, and an upper bound of what it may hold (those
    in flight when wrk stopped may have been written too)."""
    streams = [point_stream(c) for c in args.connections] + ([WARMUP_STREAM] if args.warmup > 0 else [])
    log(f"{name}: CreateStream {', '.join(streams)} ({SHARDS} shards each)")
    if not create_streams(name, port, streams, allow_not_served):
        return None
    check_one_put(name, port, bodies_for(streams[0], batches, workdir)[0])
    res: dict = {"points": {}, "streams": {st: {"acknowledged": 0, "upper_bound": 0} for st in streams}}
    res["streams"][streams[0]] = {"acknowledged": BATCH, "upper_bound": BATCH}

    def account(stream: str, r: dict, conns: int) -> None:
        res["streams"][stream]["acknowledged"] += r["acknowledged"]
        res["streams"][stream]["upper_bound"] += r["acknowledged"] + (r.get("failed_records") or 0) + conns * BATCH

    for conns in args.connections:
        if args.warmup > 0:
            log(f"{name}: PutRecords warm-up -t{args.threads} -c{conns} {args.warmup:g} s")
            w = run_wrk_put(name, wrk, port, bodies_for(WARMUP_STREAM, batches, workdir), args.warmup,
                            args.threads, conns, workdir / f"wrk-{name}-putrecords-c{conns}-warmup.txt", pid)
            account(WARMUP_STREAM, w, conns)
        stream = point_stream(conns)
        log(f"{name}: PutRecords -t{args.threads} -c{conns} {args.duration:g} s")
        r = run_wrk_put(name, wrk, port, bodies_for(stream, batches, workdir), args.duration, args.threads,
                        conns, workdir / f"wrk-{name}-putrecords-c{conns}.txt", pid)
        res["points"][conns] = r
        account(stream, r, conns)
    res["acknowledged"] = sum(x["acknowledged"] for x in res["streams"].values())
    res["upper_bound"] = sum(x["upper_bound"] for x in res["streams"].values())
    return res


def count_records(port: int, stream: str, shards: list[str]) -> int:
    total = 0
    for shard in shards:
        it = kinesis_call(port, "GetShardIterator", {"StreamName": stream, "ShardId": shard,
                                                     "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
        empties = 0
        while it:
            page = kinesis_call(port, "GetRecords", {"ShardIterator": it, "Limit": 10000})
            n = len(page.get("Records") or [])
            total += n
            it = page.get("NextShardIterator")
            if n == 0:
                empties += 1
                if page.get("MillisBehindLatest", 0) == 0 or empties >= 5:
                    break
    return total


def verify_streams(name: str, port: int, k: dict, keys: set[str], count_all: bool) -> dict:
    """After the load, on every stream: DescribeStreamSummary (ACTIVE, 4 open
    shards) and ListShards with boto3; on the first measured stream, GetRecords
    from TRIM_HORIZON on its first shard, checked by content; optionally every
    record counted (raw JSON) and compared with the acknowledged ones."""
    from botocore.exceptions import BotoCoreError, ClientError

    kin = cp.boto_client("kinesis", port)
    v: dict = {"streams": {}}
    t0 = time.monotonic()
    for i, stream in enumerate(k["streams"]):
        sv: dict = {}
        try:
            s = kin.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
            sv["status"], sv["open_shards"] = s.get("StreamStatus"), s.get("OpenShardCount")
            if sv["status"] != "ACTIVE" or sv["open_shards"] != SHARDS:
                raise RunFailed(f"{name}: DescribeStreamSummary {stream} after the load: status {sv['status']}, "
                                f"{sv['open_shards']} open shards (expected ACTIVE, {SHARDS})")
            shards = [sh["ShardId"] for sh in kin.list_shards(StreamName=stream)["Shards"]]
            if len(shards) != SHARDS:
                raise RunFailed(f"{name}: ListShards {stream} after the load: {len(shards)} shards, "
                                f"expected {SHARDS}")
            if i == 0:
                it = kin.get_shard_iterator(StreamName=stream, ShardId=shards[0],
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                records = []
                for _ in range(5):  # AWS may answer empty pages before the first records
                    r = kin.get_records(ShardIterator=it, Limit=100)
                    records = r.get("Records") or []
                    it = r.get("NextShardIterator")
                    if records or not it:
                        break
                if not records:
                    raise RunFailed(f"{name}: GetRecords from TRIM_HORIZON on {stream} {shards[0]} returned no "
                                    "records after the load")
                bad = [rec for rec in records if len(rec["Data"]) != RECORD_BYTES or rec["PartitionKey"] not in keys]
                if bad:
                    raise RunFailed(f"{name}: GetRecords on {stream} returned {len(bad)} of {len(records)} records "
                                    f"that are not ours (first: key {bad[0]['PartitionKey']!r}, "
                                    f"{len(bad[0]['Data'])} bytes)")
                v["first"] = f"{stream} {shards[0]}"
                v["first_page"] = len(records)
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"{name}: verification of {stream} after the load failed: "
                            f"{e.__class__.__name__}: {e}") from e
        if count_all:
            sv["count"] = count_records(port, stream, shards)
            sv["acknowledged"] = k["streams"][stream]["acknowledged"]
            if sv["count"] < sv["acknowledged"]:
                log(f"{name}: {stream} holds {sv['count']:,} records, {sv['acknowledged']:,} were acknowledged")
        v["streams"][stream] = sv
    v["all_active"] = True
    if count_all:
        v["count"] = sum(sv["count"] for sv in v["streams"].values())
        v["missing_in"] = [st for st, sv in v["streams"].items() if sv["count"] < sv["acknowledged"]]
    v["seconds"] = time.monotonic() - t0
    return v


# --------------------------------------------------------------------------
# SQS

def create_queue(name: str, port: int, allow_not_served: bool) -> tuple[str | None, str | None]:
    """(queue URL, None), or (None, why) when the server has no SQS."""
    from botocore.exceptions import BotoCoreError, ClientError

    sqs = cp.boto_client("sqs", port)
    try:
        url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    except ClientError as e:
        code = client_error_code(e)
        if allow_not_served and code in NOT_SERVED_CODES:
            log(f"{name}: CreateQueue answered {code}: no SQS served")
            return None, f"CreateQueue answered {code}"
        raise RunFailed(f"{name}: CreateQueue failed: {e}") from e
    except BotoCoreError as e:
        raise RunFailed(f"{name}: CreateQueue failed: {e.__class__.__name__}: {e}") from e
    return url, None


class RawSQS:
    """The SQS JSON protocol (awsJson 1.0) over one keep-alive connection,
    without botocore: the same requests, a fraction of the client CPU.
    Methods take and return what boto3's do (the JSON members are the same)."""

    def __init__(self, port: int):
        self.conn = HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = dict(headers_for("sqs"), **{"Content-Type": "application/x-amz-json-1.0"})

    def _call(self, operation: str, payload: dict) -> dict:
        headers = dict(self.headers, **{"X-Amz-Target": f"AmazonSQS.{operation}"})
        try:
            self.conn.request("POST", "/", body=json.dumps(payload).encode(), headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, HTTPException):
            self.conn.close()
            raise
        if resp.status != 200:
            raise RuntimeError(f"{operation} answered {resp.status}: {data[:300]!r}")
        return json.loads(data) if data else {}

    def send_message_batch(self, **kw):
        return self._call("SendMessageBatch", kw)

    def receive_message(self, **kw):
        return self._call("ReceiveMessage", kw)

    def delete_message_batch(self, **kw):
        return self._call("DeleteMessageBatch", kw)


def sqs_worker(idx: int, port: int, queue_url: str, warmup: float, duration: float, body_bytes: int,
               client: str, barrier, results) -> None:
    """One client process: SendMessageBatch -> ReceiveMessage -> DeleteMessageBatch
    until the deadline; puts its counts on `results`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops us
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    counts = dict.fromkeys(("sent", "send_failed", "received", "empty_receives", "deleted",
                            "delete_failed", "cycles"), 0)
    try:
        if client == "raw":
            sqs, protocol = RawSQS(port), "json (raw HTTP)"
        else:
            sqs = cp.boto_client("sqs", port)
            protocol = sqs.meta.service_model.protocol
        body = (f"worker {idx} " + "x" * body_bytes)[:body_bytes]
        send_entries = [{"Id": str(i), "MessageBody": body} for i in range(SQS_BATCH)]

        def cycle(c: dict) -> None:
            r = sqs.send_message_batch(QueueUrl=queue_url, Entries=send_entries)
            c["sent"] += len(r.get("Successful") or [])
            c["send_failed"] += len(r.get("Failed") or [])
            r = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=SQS_BATCH,
                                    WaitTimeSeconds=SQS_WAIT_SECONDS)
            msgs = r.get("Messages") or []
            c["received"] += len(msgs)
            if msgs:
                r = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
                c["deleted"] += len(r.get("Successful") or [])
                c["delete_failed"] += len(r.get("Failed") or [])
            else:
                c["empty_receives"] += 1
            c["cycles"] += 1

        scratch = dict(counts)
        cycle(scratch)  # connections open, models loaded, before anything counts
        end = time.monotonic() + warmup
        while time.monotonic() < end:
            cycle(scratch)
        barrier.wait(timeout=600)
        cpu0, t0 = time.process_time(), time.monotonic()
        deadline = t0 + duration
        while time.monotonic() < deadline:
            cycle(counts)
        results.put({"idx": idx, "elapsed": time.monotonic() - t0, "cpu": time.process_time() - cpu0,
                     "protocol": protocol, **counts})
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        try:
            barrier.abort()
        except Exception:  # noqa: BLE001
            pass
        results.put({"idx": idx, "error": f"{e.__class__.__name__}: {e}"})


def sqs_load(name: str, port: int, pid: int, queue_url: str, args) -> dict:
    ctx = multiprocessing.get_context("spawn")
    n = args.sqs_processes
    barrier = ctx.Barrier(n + 1)
    results = ctx.Queue()
    log(f"{name}: SQS {n} client processes, warm-up {args.warmup:g} s, then {args.duration:g} s")
    for i in range(n):
        p = ctx.Process(target=sqs_worker, name=f"sqs-client-{i}", daemon=True,
                        args=(i, port, queue_url, args.warmup, args.duration, args.sqs_body_bytes, args.sqs_client,
                              barrier, results))
        p.start()
        cp.WORKERS.append(p)
    got: list[dict] = []
    try:
        try:
            barrier.wait(timeout=args.warmup + 120)
        except Exception:  # noqa: BLE001 - BrokenBarrierError, or timeout
            # A worker failed (its error is on the queue) or never got there.
            try:
                barrier.abort()
            except Exception:  # noqa: BLE001
                pass
        cpu0 = cpu_seconds(pid)
        t0 = time.monotonic()
        deadline = time.monotonic() + args.duration + 120
        while len(got) < n:
            try:
                got.append(results.get(timeout=max(deadline - time.monotonic(), 0.1)))
            except queue_mod.Empty:
                raise RunFailed(f"{name}: SQS client processes did not report within {args.duration + 120:g} s") from None
            if "error" in got[-1]:
                raise RunFailed(f"{name}: SQS client {got[-1]['idx']} failed: {got[-1]['error']}")
        wall = time.monotonic() - t0
        cpu1 = cpu_seconds(pid)
    finally:
        cp.stop_workers()
    res: dict = {"processes": n, "protocol": got[0]["protocol"], "per_process": got}
    for key in ("sent", "send_failed", "received", "empty_receives", "deleted", "delete_failed", "cycles"):
        res[key] = sum(g[key] for g in got)
    # Each process's own rate over its own window, summed.
    res["deleted_per_s"] = sum(g["deleted"] / g["elapsed"] for g in got if g["elapsed"] > 0)
    res["sent_per_s"] = sum(g["sent"] / g["elapsed"] for g in got if g["elapsed"] > 0)
    res["calls_per_s"] = sum((2 * g["cycles"] + (g["cycles"] - g["empty_receives"])) / g["elapsed"]
                             for g in got if g["elapsed"] > 0)
    res["client_cores"] = sum(g["cpu"] for g in got) / max(g["elapsed"] for g in got)
    if cpu0 is not None and cpu1 is not None and wall > 0:
        res["server_cores"] = (cpu1 - cpu0) / wall
    res["valid"] = not (res["send_failed"] or res["delete_failed"])
    res["problems"] = []
    if res["send_failed"]:
        res["problems"].append(f"{res['send_failed']} messages failed in SendMessageBatch")
    if res["delete_failed"]:
        res["problems"].append(f"{res['delete_failed']} entries failed in DeleteMessageBatch")
    if not res["valid"]:
        log(f"{name}: SQS run INVALID: {'; '.join(res['problems'])}")
    return res


def sqs_half(name: str, port: int, pid: int, args, allow_not_served: bool) -> dict:
    log(f"{name}: CreateQueue {QUEUE}")
    url, why = create_queue(name, port, allow_not_served)
    if url is None:
        return {"served": False, "why": why}
    res = sqs_load(name, port, pid, url, args)
    res["served"] = True
    return res


# --------------------------------------------------------------------------
# One server's half of the run

def sluice_half(binary: str, wrk: str, batches: list[list[dict]], keys: set[str], args, workdir: Path) -> dict:
    res: dict = {"binary": binary}
    if args.in_memory:
        mode = ["--in-memory"]
        data_dir = None
    else:
        data_dir = workdir / "sluice-data"
        data_dir.mkdir()
        mode = ["--data-dir", str(data_dir)]
    res["mode"] = mode[0]
    log(f"sluice: start {shlex.join(mode)}")
    proc, port, _ = cp.start_sluice(binary, mode, workdir / "sluice.log", timeout=30)
    drainer = cp.drain_stdout(proc, [])

    def check_alive(when: str) -> None:
        if proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {proc.returncode} {when}\n{cp.tail(workdir / 'sluice.log')}")

    try:
        k = kinesis_half("sluice", wrk, port, proc.pid, batches, args, workdir, allow_not_served=True)
        check_alive("during the Kinesis load")
        if k is not None:
            if data_dir is not None and not args.no_restart:
                # Right after the last acknowledged PutRecords: no clean shutdown.
                log("sluice: kill -9, restart on the same --data-dir")
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                cp.stop(proc, "sluice")
                drainer.join(2)
                proc, port, _ = cp.start_sluice(binary, mode, workdir / "sluice.log", timeout=60)
                drainer = cp.drain_stdout(proc, [])
                k["restarted"] = True
            log("sluice: verify the streams" + ("" if args.no_count else " and count their records"))
            k["verify"] = verify_streams("sluice", port, k, keys, not args.no_count)
        res["kinesis"] = k if k is not None else {"served": False}
        res["sqs"] = sqs_half("sluice", port, proc.pid, args, allow_not_served=True)
        check_alive("during the SQS load")
    finally:
        cp.stop(proc, "sluice")
        drainer.join(2)
    k = res.get("kinesis") or {}
    if data_dir is not None and k.get("served", True) and k.get("points"):
        k["disk_bytes"] = dir_bytes(data_dir)  # after a clean stop (SQLite checkpointed)
    return res


def moto_half(wrk: str, batches: list[list[dict]], keys: set[str], args, workdir: Path) -> dict:
    import moto

    res: dict = {"version": moto.__version__}
    log("moto: start python -m moto.server")
    proc, port, _ = cp.start_moto(workdir)
    try:
        k = kinesis_half("moto", wrk, port, proc.pid, batches, args, workdir, allow_not_served=False)
        if proc.poll() is not None:
            raise RunFailed(f"moto_server exited with status {proc.returncode}\n{cp.tail(workdir / 'moto.log')}")
        log("moto: verify the streams" + ("" if args.no_count else " and count their records"))
        k["verify"] = verify_streams("moto", port, k, keys, not args.no_count)
        res["kinesis"] = k
        res["sqs"] = sqs_half("moto", port, proc.pid, args, allow_not_served=False)
        if proc.poll() is not None:
            raise RunFailed(f"moto_server exited with status {proc.returncode}\n{cp.tail(workdir / 'moto.log')}")
    finally:
        cp.stop(proc, "moto_server")
    return res


# --------------------------------------------------------------------------
# Report

def met2(value: float | None, target: float, r: float | None, have_moto: bool) -> str:
    a = "n/a" if value is None else ("yes" if value >= target else "no")
    b = "n/a" if r is None else ("yes" if r >= TARGET_RATIO else "no")
    return f"{a}; {b}" if have_moto else a


def durable_cell(k: dict | None) -> tuple[str, bool | None]:
    """'N of M' stored of acknowledged, and whether none is missing."""
    if not k or "verify" not in k or k["verify"].get("count") is None:
        return "—", None
    n, ack, missing = k["verify"]["count"], k["acknowledged"], k["verify"]["missing_in"]
    ok = n >= ack and not missing
    return (f"{n:,} ≥ {ack:,}" if ok else f"{n:,} vs {ack:,}: MISSING"), ok


def build_rows(s: dict | None, m: dict | None, args) -> tuple[list[list[str]], bool]:
    rows: list[list[str]] = []
    invalid = False
    have_moto = m is not None
    sk = (s or {}).get("kinesis")
    mk = (m or {}).get("kinesis")
    s_kin_served = sk is not None and sk.get("served", True)

    def point(k, conns):
        return (k or {}).get("points", {}).get(conns) if k and k.get("served", True) else None

    def cell(r, key, digits=1, not_served=False):
        if not_served:
            return "not served"
        if r is None:
            return "—"
        if not r["valid"]:
            return "INVALID"
        return cp.fmt_num(r.get(key), digits)

    def val(r, key):
        return r.get(key) if r is not None and r["valid"] else None

    for i, conns in enumerate(args.connections):
        sr, mr = point(sk, conns), point(mk, conns)
        invalid |= bool(sr and not sr["valid"]) or bool(mr and not mr["valid"])
        s_ns = s is not None and not s_kin_served
        rr = cp.ratio(val(sr, "records_per_s"), val(mr, "records_per_s"))
        if i == 0:
            target = f"≥ {TARGET_PUT_RECORDS_PER_S:,.0f}/s" + (f"; ≥ {TARGET_RATIO:g}× moto" if have_moto else "")
            met = "INVALID" if (sr and not sr["valid"]) or (mr and not mr["valid"]) else \
                ("n/a (not served)" if s_ns else met2(val(sr, "records_per_s"), TARGET_PUT_RECORDS_PER_S, rr, have_moto))
        else:
            target, met = "—", "—"
        rows.append([f"Kinesis PutRecords, -t{args.threads} -c{conns} (records/s)",
                     cell(sr, "records_per_s", not_served=s_ns), cell(mr, "records_per_s"),
                     cp.fmt_ratio(rr), target, met])
        rows.append(["  PutRecords calls/s", cell(sr, "calls_per_s", not_served=s_ns), cell(mr, "calls_per_s"),
                     cp.fmt_ratio(cp.ratio(val(sr, "calls_per_s"), val(mr, "calls_per_s"))), "—", "—"])
        for key, label in (("latency_p50_ms", "p50"), ("latency_p99_ms", "p99")):
            rows.append([f"  {label} latency (ms)", cell(sr, key, 2, s_ns), cell(mr, key, 2),
                         cp.fmt_ratio(cp.ratio(val(sr, key), val(mr, key))), "—", "—"])
        rows.append(["  server CPU (cores busy)", cell(sr, "server_cores", 2, s_ns), cell(mr, "server_cores", 2),
                     "—", "—", "—"])

    s_dur, s_ok = durable_cell(sk if s_kin_served else None)
    m_dur, m_ok = durable_cell(mk)
    if s_ok is False or m_ok is False:
        invalid = True
    label = "records in the streams ≥ acknowledged"
    if sk and sk.get("restarted"):
        label += " (Sluice after kill -9)"
    met = "n/a" if s_ok is None else ("yes" if s_ok else "NO")
    if args.in_memory and s is not None:
        label += " (Sluice --in-memory)"
        if s_ok:
            met = "n/a (--in-memory)"
    rows.append([label, "not served" if s is not None and not s_kin_served else s_dur, m_dur, "—",
                 "every acknowledged record durable", met])

    ss, ms = (s or {}).get("sqs"), (m or {}).get("sqs")
    s_sqs_ns = ss is not None and not ss.get("served")
    sr = ss if ss and ss.get("served") else None
    mr = ms if ms and ms.get("served") else None
    invalid |= bool(sr and not sr["valid"]) or bool(mr and not mr["valid"])
    rr = cp.ratio(val(sr, "deleted_per_s"), val(mr, "deleted_per_s"))
    target = f"≥ {TARGET_SQS_MESSAGES_PER_S:,.0f}/s" + (f"; ≥ {TARGET_RATIO:g}× moto" if have_moto else "")
    if (sr and not sr["valid"]) or (mr and not mr["valid"]):
        met = "INVALID"
    elif s_sqs_ns:
        met = "n/a (not served)"
    else:
        met = met2(val(sr, "deleted_per_s"), TARGET_SQS_MESSAGES_PER_S, rr, have_moto)
    n = args.sqs_processes
    rows.append([f"SQS send → receive → delete, {n} processes (messages/s)",
                 cell(sr, "deleted_per_s", not_served=s_sqs_ns), cell(mr, "deleted_per_s"),
                 cp.fmt_ratio(rr), target, met])
    rows.append(["  API calls/s", cell(sr, "calls_per_s", not_served=s_sqs_ns), cell(mr, "calls_per_s"),
                 cp.fmt_ratio(cp.ratio(val(sr, "calls_per_s"), val(mr, "calls_per_s"))), "—", "—"])
    rows.append(["  server CPU (cores busy)", cell(sr, "server_cores", 2, s_sqs_ns), cell(mr, "server_cores", 2),
                 "—", "—", "—"])
    rows.append([f"  {args.sqs_client} clients' CPU (cores busy)", cell(sr, "client_cores", 2, s_sqs_ns),
                 cell(mr, "client_cores", 2), "—", "—", "—"])
    return rows, invalid


# --------------------------------------------------------------------------

def parse_connections(text: str) -> list[int]:
    try:
        xs = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}") from None
    if not xs or any(x < 1 for x in xs) or len(set(xs)) != len(xs):
        raise argparse.ArgumentTypeError(f"need distinct positive integers: {text!r}")
    return xs


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=os.environ.get("SOURCES_ARGV0", "bench/sources"),
        description="Kinesis PutRecords ingest (records/s, 500 × 1 KiB per call) and SQS send → receive → "
                    "delete (messages/s) on Sluice and on moto's server in the same run, against the targets.",
        epilog="Environment: SLUICE_BIN (default <repo>/.build/release/sluice), PYTHON (for the wrapper). "
               "Exit: 0 measured (targets may be missed), 1 run failed, 3 a measurement was invalid "
               "(non-2xx responses, socket errors, failed records or messages, acknowledged records missing).")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per measurement (default 5)")
    p.add_argument("--smoke", action="store_true", help="CI smoke: 1 s per measurement, no warm-up")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds of warm-up before each measurement, not counted (default 1; 0 with --smoke)")
    p.add_argument("--threads", type=int, default=4, help="wrk -t for PutRecords (default 4)")
    p.add_argument("--connections", type=parse_connections, default=[4, 16],
                   help="wrk -c for PutRecords, one point each, comma-separated; the first is the target's "
                        "(default 4,16)")
    p.add_argument("--sqs-processes", type=int, default=4, help="SQS client processes (default 4)")
    p.add_argument("--sqs-body-bytes", type=int, default=100, help="SQS message body size (default 100)")
    p.add_argument("--sqs-client", choices=("boto3", "raw"), default="boto3",
                   help="SQS clients: boto3 (default), or raw: the same JSON-protocol requests through "
                        "http.client, to see whether boto3's CPU cost is what limits the figure")
    p.add_argument("--in-memory", action="store_true",
                   help="run Sluice with --in-memory instead of a fresh --data-dir (nothing durable; no restart)")
    p.add_argument("--no-restart", action="store_true",
                   help="do not kill -9 and restart Sluice before verifying the stream")
    p.add_argument("--no-count", action="store_true",
                   help="do not count every record in the stream after the load (only DescribeStreamSummary "
                        "and one GetRecords page)")
    cp.add_common_arguments(p, keep_help="keep the work dir (server logs, data dir, raw wrk output)")
    a = p.parse_args(argv)
    cp.settle_durations(a)
    if a.duration <= 0 or a.warmup < 0 or a.threads < 1 or a.sqs_processes < 1 or a.sqs_body_bytes < 1:
        p.error("--duration > 0, --warmup >= 0, --threads >= 1, --sqs-processes >= 1, --sqs-body-bytes >= 1")
    if any(c < a.threads for c in a.connections):
        p.error("every --connections value must be >= --threads")
    if a.no_moto and a.no_sluice:
        p.error("--no-moto and --no-sluice together leave nothing to measure")
    return a


def main(argv) -> int:
    args = parse_args(argv)
    started, cmdline, load_before = cp.begin_run(argv, "SOURCES_ARGV0", "bench/sources")

    def setup():
        binary, wrk = None if args.no_sluice else cp.resolve_binary(args), cp.ensure_wrk()
        if not LUA_SCRIPT.is_file():
            raise RunFailed(f"missing {LUA_SCRIPT}")
        return binary, wrk

    def both_halves(prepared, workdir):
        binary, wrk = prepared
        batches, keys = make_batches()
        s_res = None if args.no_sluice else sluice_half(binary, wrk, batches, keys, args, workdir)
        m_res = None if args.no_moto else moto_half(wrk, batches, keys, args, workdir)
        return s_res, m_res

    status, prepared, workdir, halves = cp.run_measurement(setup, both_halves, "sluice-bench-sources-",
                                                           "every process stopped")
    if status is not None:
        return status
    (binary, _), (s_res, m_res) = prepared, halves

    rows, invalid = build_rows(s_res, m_res, args)
    out = ["Sluice embedded-sources benchmark", f"command:  {cmdline}",
           f"date:     {started.isoformat(timespec='seconds')}"]
    out += cp.machine_lines(load_before)
    if binary:
        out += cp.binary_lines(binary, "serve with " + ("--in-memory" if args.in_memory else "a fresh --data-dir"))
    if m_res:
        out.append(f"moto:     python -m moto.server {m_res['version']} (MOTO_ACCOUNT_ID={ACCOUNT}), "
                   f"python {platform.python_version()}")
    out.append(f"wrk:      {cp.tool_version(['wrk', '-v']).split(' Copyright')[0]}; PutRecords of {BATCH} × "
               f"{RECORD_BYTES} B random records, distinct partition keys ({N_BODIES} bodies in turn), each point "
               f"to a fresh {SHARDS}-shard stream; -t{args.threads} -c" + ",".join(map(str, args.connections))
               + f" -d{args.duration:g}s, warm-up {args.warmup:g} s; Authorization SigV4-shaped (service kinesis)")
    import botocore
    out.append(f"SQS:      {args.sqs_processes} processes × (SendMessageBatch {SQS_BATCH} × {args.sqs_body_bytes} B → "
               f"ReceiveMessage max {SQS_BATCH}, wait {SQS_WAIT_SECONDS} s → DeleteMessageBatch), "
               + (f"boto3 {botocore.__version__}" if args.sqs_client == "boto3" else "http.client")
               + f" (protocol {sqs_protocol(s_res, m_res)}), one queue, {args.duration:g} s "
               f"after {args.warmup:g} s warm-up")
    out.append(f"targets:  PutRecords ≥ {TARGET_PUT_RECORDS_PER_S:,.0f} records/s (-t4 -c4) with every acknowledged "
               f"record durable; SQS ≥ {TARGET_SQS_MESSAGES_PER_S:,.0f} messages/s; both ≥ {TARGET_RATIO:g}× moto "
               "in the same run")
    out.append("")
    out.append(cp.render_table(rows))
    out.append("")
    out.append("ratio = Sluice / moto. records/s = wrk's requests/s × 500 (less any FailedRecordCount); "
               "messages/s = messages deleted per second, summed over the client processes.")
    out.append("acknowledged = every record of a completed PutRecords (warm-ups and the one check call included); "
               "a stream may hold up to one batch per connection more (in flight when wrk stopped). Each point "
               "writes to its own empty stream, the warm-ups to another.")
    for name, h in (("sluice", s_res), ("moto", m_res)):
        k = (h or {}).get("kinesis") or {}
        v = k.get("verify")
        if v:
            line = (f"{name}: after the load: DescribeStreamSummary ACTIVE with {SHARDS} open shards on all "
                    f"{len(v['streams'])} streams; GetRecords TRIM_HORIZON {v['first']}: {v['first_page']} records, "
                    f"ours, {RECORD_BYTES} B each")
            if v.get("count") is not None:
                line += (f"; {v['count']:,} records in all (counted in {v['seconds']:.1f} s), "
                         f"{k['acknowledged']:,} acknowledged, at most {k['upper_bound']:,} sent")
                for st in v.get("missing_in") or []:
                    sv = v["streams"][st]
                    line += f"; MISSING in {st}: {sv['count']:,} records, {sv['acknowledged']:,} acknowledged"
            if k.get("restarted"):
                line += "; checked after kill -9 and a restart on the same --data-dir"
            out.append(line)
        if k.get("disk_bytes"):
            n_rec = (v or {}).get("count")
            held = f"holding {n_rec:,}" if n_rec is not None else f"after {k['acknowledged']:,} acknowledged"
            n_rec = n_rec or k["acknowledged"]
            out.append(f"{name}: data dir {k['disk_bytes'] / 1048576:,.1f} MiB after a clean stop, {held} "
                       f"records of {RECORD_BYTES} B (≈ {k['disk_bytes'] / max(n_rec, 1):,.0f} B/record on disk, "
                       f"SQS included)")
        sq = (h or {}).get("sqs") or {}
        if sq.get("served") is False:
            out.append(f"{name}: SQS not served ({sq.get('why')})")
        elif sq:
            out.append(f"{name}: SQS {sq['sent']:,} sent, {sq['received']:,} received, {sq['deleted']:,} deleted, "
                       f"{sq['empty_receives']:,} empty receives in {sq['cycles']:,} cycles")
        for conns, r in (k.get("points") or {}).items():
            if not r["valid"]:
                out.append(f"INVALID: {name} PutRecords -c{conns}: {'; '.join(r['problems'])} "
                           f"(raw: {workdir}/wrk-{name}-putrecords-c{conns}.txt)")
        if sq.get("served") and not sq["valid"]:
            out.append(f"INVALID: {name} SQS: {'; '.join(sq['problems'])}")
    if invalid:
        out.append("The run is INVALID: a measurement saw errors, failed records, or fewer records in the stream "
                   "than were acknowledged.")
    print("\n".join(out), flush=True)

    return cp.end_run(args, workdir, invalid, cmdline, started, load_before,
                      ["measurement", "sluice", "moto", "ratio", "target", "met"], rows, sluice=s_res, moto=m_res)


def sqs_protocol(*halves) -> str:
    for h in halves:
        sq = (h or {}).get("sqs") or {}
        if sq.get("protocol"):
            return sq["protocol"]
    try:
        import botocore.session
        return botocore.session.get_session().get_service_model("sqs").protocol
    except Exception:  # noqa: BLE001
        return "unknown"


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        cp.stop_everything()
