#!/usr/bin/env python3
"""Kinesis event-source-mapping benchmark (issue 5, items 13–14).

On a `sluice serve` with a fresh --data-dir it creates a python function, `bench-esm-sink`, that reports every
batch it is given by UDP to a socket this script listens on (its address is in the function's environment): the
wall-clock time at the handler's entry, the batch's record count, the stream's ARN and the records' data (each
record's data is 9 bytes, a phase tag and a unique id, 12 base64 characters; the handler only joins the strings, it
decodes nothing). Every record a measurement puts is accounted for by id: delivered, delivered again (duplicates,
allowed: at-least-once) or missing (a lost record makes the run INVALID).

1. put → invoke latency on an idle stream: a 1-shard stream, a mapping with BatchSize 1 (TRIM_HORIZON). After the
   function is warm, one record at a time, a random pause of 20–60 ms before each (the stream is idle when the
   record arrives): time.time_ns() just before PutRecord (http.client, a keep-alive connection) to time.time_ns()
   at the handler's entry, the same machine's clock. p50 / p99.
2. End-to-end records/s while producing: P producer processes (default 4) each loop PutRecords of 500 records
   (9-byte data, random partition keys) on a 4-shard stream for D seconds. First with no mapping (the raw ingest
   rate of the same run), then on a fresh stream per point with a mapping of ParallelizationFactor 10 and BatchSize
   100, then 1000 (TRIM_HORIZON; a warm-up of its own records first, fully delivered, so that the 40 lanes'
   environments are warm). End-to-end = records acknowledged / (last of them delivered − producers' start).
3. Drain: P producers preload N records (1,000,000; 20,000 with --smoke) into a 4-shard stream; then a mapping
   with TRIM_HORIZON, BatchSize 1000 (--drain-batch-size) and ParallelizationFactor 10 is created; records/s =
   N / (last record delivered − just before CreateEventSourceMapping).
4. Idle mappings, on a second, fresh server (what the load left behind, 40 warm environments among it, is not
   theirs; that server's CPU after the load is shown for reference): S idle 1-shard streams and M/S functions
   ((function, stream) must be unique); the server's CPU (utime+stime of the process, /proc/PID/stat) over a few
   idle seconds as a baseline; then M mappings (1,000; 200 with --smoke, LATEST) and, once all are Enabled and
   2 s have passed, the server's CPU over 10 s (3 s with --smoke).

Exit status: 0 when everything was measured (whether or not the targets are met); 1 when the run itself failed
(missing tool or binary, a server that did not start or crashed, a setup call that failed, a mapping that never
became Enabled, no record reaching the function); 3 when a measurement was invalid (records acknowledged but never
delivered, PutRecords records that failed, UDP reports lost between the function and this script);
130/143 when interrupted. The server (and with it every function process) and every producer process are stopped
by PID on every path out.

Run it through the wrapper, bench/kinesis-esm (see --help). Shared machinery (servers, the machine description,
the end of the run) comes from control_plane.py; the raw Kinesis calls from sources.py.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import json
import multiprocessing
import os
import platform
import queue as queue_mod
import random
import re
import signal
import socket
import statistics
import struct
import sys
import threading
import time
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import control_plane as cp
import sources as src
from control_plane import ACCOUNT, RunFailed

NAME = "kinesis-esm"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bench"
FUNCTION = "bench-esm-sink"
BATCH = 500                 # records per PutRecords call
SHARDS = 4
PARALLELIZATION = 10
MASK40 = (1 << 40) - 1
REC = struct.Struct(">BQ")  # a record's data: phase tag, (producer << 40 | counter); 9 bytes, 12 base64 chars
B64_LEN = 12

# Phase tags (the first byte of every record's data).
PH_LATENCY, PH_RAW_WARM, PH_RAW, PH_DRAIN = 1, 2, 3, 4
PH_E2E_WARM = {100: 10, 1000: 11}
PH_E2E = {100: 20, 1000: 21}

# Targets (issue 5, item 14).
TARGET_P50_MS = 5.0
TARGET_P99_MS = 25.0
TARGET_E2E_SHARE = 0.5
TARGET_DRAIN_PER_S = 100_000.0
TARGET_IDLE_CPU_PCT = 1.0


def log(msg: str) -> None:
    print(f"[{NAME}] {msg}", file=sys.stderr, flush=True)


cp.log = log  # the shared helpers log through this
src.log = log


# --------------------------------------------------------------------------
# The function

HANDLER = '''
import os
import socket
import struct
import time

_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
_addr = (os.environ["BENCH_UDP_HOST"], int(os.environ["BENCH_UDP_PORT"]))
_pid = os.getpid()
_seq = 0
_now = time.time_ns
_head = struct.Struct("<qIIIIIH").pack
_CHUNK = 4000  # 12 base64 characters a record: 48 KB a datagram, under UDP's 64 KB


def handler(event, context):
    global _seq
    t = _now()
    records = event.get("Records") or []
    n = len(records)
    arn = (records[0].get("eventSourceARN") or "").encode() if records else b""
    for i in range(0, n or 1, _CHUNK):
        part = records[i:i + _CHUNK]
        data = "".join([r["kinesis"]["data"] for r in part]).encode()
        _sock.sendto(_head(t, _pid, _seq, n, i, len(part), len(arn)) + arn + data, _addr)
        _seq += 1
'''
HEAD = struct.Struct("<qIIIIIH")  # handler entry (time_ns), pid, datagram seq of that pid, n, offset, count, len(arn)


def function_zip() -> bytes:
    return cp.zip_bytes({"handler.py": (HANDLER, 0o644)})


# --------------------------------------------------------------------------
# The UDP sink: what the function reports

class Tally:
    """The reports of one stream (by ARN), in arrival order."""

    def __init__(self):
        self.records = 0       # records reported, duplicates included
        self.batches = 0
        self.chunks: list[tuple[int, int, int, bytes]] = []  # (arrival monotonic_ns, handler entry time_ns,
        #                                                         records, their data)
        self.pids: set[int] = set()
        self.batch_sizes: list[int] = []


class Sink:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        want = 32 << 20
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), want)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, want)
        self.rcvbuf = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.cond = threading.Condition()
        self.tallies: dict[str, Tally] = {}
        self.last_seq: dict[int, int] = {}
        self.datagrams = 0
        self.gaps = 0          # datagrams missing in a function process's sequence: UDP loss
        self.malformed = 0
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="udp-sink", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        recv, now, unpack = self.sock.recv, time.monotonic_ns, HEAD.unpack_from
        size = HEAD.size
        while not self.stopping:
            try:
                b = recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            t_arr = now()
            try:
                t_fn, pid, seq, n, offset, count, alen = unpack(b)
                arn = b[size:size + alen].decode()
                data = b[size + alen:]
            except (struct.error, UnicodeDecodeError):
                with self.cond:
                    self.malformed += 1
                continue
            with self.cond:
                self.datagrams += 1
                prev = self.last_seq.get(pid, -1)
                if seq > prev + 1:
                    self.gaps += seq - prev - 1
                self.last_seq[pid] = max(prev, seq)
                t = self.tallies.get(arn)
                if t is None:
                    t = self.tallies[arn] = Tally()
                t.records += count
                if offset == 0:
                    t.batches += 1
                    t.batch_sizes.append(n)
                t.chunks.append((t_arr, t_fn, count, data))
                t.pids.add(pid)
                self.cond.notify_all()

    def tally(self, arn: str) -> Tally:
        with self.cond:
            t = self.tallies.get(arn)
            if t is None:
                t = self.tallies[arn] = Tally()
            return t

    def close(self) -> None:
        self.stopping = True
        self.thread.join(2)
        self.sock.close()


class Ledger:
    """Which records of which phases a stream's reports hold, by id, built incrementally from its Tally."""

    def __init__(self, tally: Tally, lock):
        self.tally = tally
        self.lock = lock
        self.pos = 0
        self.processed = 0                                  # records in the reports decoded so far
        self.seen: dict[int, dict[int, bytearray]] = {}     # phase -> producer -> one byte per counter
        self.expected: dict[int, int] = {}                  # phase -> distinct records expected
        self.distinct: dict[int, int] = {}
        self.dups: dict[int, int] = {}
        self.done_ns: dict[int, int] = {}                   # phase -> arrival of the report that completed it
        self.first_ns: dict[int, int] = {}
        self.fn_ns: dict[int, dict[int, tuple[int, int]]] = {}  # phase -> id -> (handler entry, arrival), if asked
        self.keep_times: set[int] = set()
        self.foreign = 0
        self.bad_data = 0

    def expect(self, phase: int, produced: dict[int, int], failed: dict[int, list[int]] | None = None,
               keep_times: bool = False) -> None:
        """produced: producer -> records sent (counters 0..n-1); failed: producer -> counters not written."""
        self.seen[phase] = {p: bytearray(n) for p, n in produced.items()}
        n_failed = 0
        for p, counters in (failed or {}).items():
            for c in counters:
                self.seen[phase][p][c] = 1  # not written: not expected (a delivery would count as a duplicate)
                n_failed += 1
        self.expected[phase] = sum(produced.values()) - n_failed
        self.distinct.setdefault(phase, 0)
        self.dups.setdefault(phase, 0)
        if keep_times:
            self.keep_times.add(phase)
            self.fn_ns.setdefault(phase, {})
        if self.expected[phase] == 0:
            self.done_ns.setdefault(phase, 0)

    def update(self) -> None:
        with self.lock:
            chunks = self.tally.chunks[self.pos:]
        self.pos += len(chunks)
        for t_arr, t_fn, count, data in chunks:
            self.processed += count
            if len(data) % B64_LEN:
                self.bad_data += 1
                continue
            try:
                raw = base64.b64decode(data, validate=True)
            except ValueError:
                self.bad_data += 1
                continue
            for phase, ident in REC.iter_unpack(raw):
                seen = self.seen.get(phase)
                if seen is None:
                    self.foreign += 1
                    continue
                bits = seen.get(ident >> 40)
                c = ident & MASK40
                if bits is None or c >= len(bits):
                    self.foreign += 1
                    continue
                if bits[c]:
                    self.dups[phase] += 1
                    continue
                bits[c] = 1
                self.distinct[phase] += 1
                self.first_ns.setdefault(phase, t_arr)
                if phase in self.keep_times:
                    self.fn_ns[phase][ident] = (t_fn, t_arr)
                if self.distinct[phase] == self.expected[phase]:
                    self.done_ns[phase] = t_arr

    def could_complete(self, phase: int, reported: int) -> bool:
        """Whether the reports not decoded yet (`reported` is the tally's count) hold enough records to complete
        `phase`: decoding waits until then."""
        return self.distinct[phase] + reported - self.processed >= self.expected[phase]

    def complete(self, phase: int) -> bool:
        return phase in self.done_ns

    def missing(self, phase: int) -> int:
        return self.expected[phase] - self.distinct[phase]


def wait_delivered(sink: Sink, ledger: Ledger, phase: int, timeout: float, what: str, check_alive) -> bool:
    """Until every expected record of `phase` has been reported, or `timeout` s without progress. Cheap while
    waiting: the reports are only decoded once their raw count reaches the expected one."""
    deadline = time.monotonic() + timeout
    last = -1
    while True:
        with sink.cond:
            n = ledger.tally.records
        if ledger.could_complete(phase, n):
            ledger.update()
            if ledger.complete(phase):
                return True
        if n != last:
            last = n
            deadline = time.monotonic() + timeout
        if time.monotonic() > deadline:
            ledger.update()
            if ledger.complete(phase):
                return True
            log(f"{what}: {ledger.missing(phase):,} of {ledger.expected[phase]:,} records not delivered "
                f"{timeout:g} s after the last report")
            return False
        check_alive(f"while waiting for {what}")
        time.sleep(0.01)


# --------------------------------------------------------------------------
# Producers



FAILED_RE = re.compile(rb'"FailedRecordCount"\s*:\s*(\d+)')


def producer(idx: int, port: int, stream: str, phase: int, duration: float | None, quota: int | None,
             barrier, results) -> None:
    """One producer process: PutRecords of BATCH records (9-byte data: phase, idx << 40 | counter; a random
    partition key each) on one keep-alive connection, for `duration` seconds or until `quota` records."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops us
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=120)
        headers = src.kinesis_headers("PutRecords")
        rnd = random.Random(os.getpid() ^ time.time_ns())
        b64, pack, bits = base64.b64encode, REC.pack, rnd.getrandbits
        prefix = '{"StreamName":"%s","Records":[' % stream
        base = idx << 40
        counter = calls = 0
        failed: list[int] = []
        latencies: list[float] = []

        def body() -> bytes:
            nonlocal counter
            c0 = counter
            parts = ['{"Data":"%s","PartitionKey":"%016x"}' % (b64(pack(phase, base | c)).decode(), bits(64))
                     for c in range(c0, c0 + BATCH)]
            counter = c0 + BATCH
            return (prefix + ",".join(parts) + "]}").encode()

        barrier.wait(timeout=600)
        t0 = time.monotonic()
        cpu0 = time.process_time()
        end = t0 + duration if duration is not None else None
        while (end is None or time.monotonic() < end) and (quota is None or counter < quota):
            b = body()
            first = counter - BATCH
            s0 = time.monotonic()
            conn.request("POST", "/", body=b, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            latencies.append(time.monotonic() - s0)
            if resp.status != 200:
                raise RuntimeError(f"PutRecords answered {resp.status}: {data[:300]!r}")
            m = FAILED_RE.search(data)
            if not m:
                raise RuntimeError(f"PutRecords answer without FailedRecordCount: {data[:300]!r}")
            if int(m.group(1)):
                for i, r in enumerate(json.loads(data)["Records"]):
                    if r.get("ErrorCode"):
                        failed.append(first + i)
            calls += 1
        t1 = time.monotonic()
        latencies.sort()
        results.put({"idx": idx, "sent": counter, "failed": failed, "calls": calls, "t0": t0, "t1": t1,
                     "cpu": time.process_time() - cpu0,
                     "call_p50_ms": latencies[len(latencies) // 2] * 1e3 if latencies else None})
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        try:
            barrier.abort()
        except Exception:  # noqa: BLE001
            pass
        results.put({"idx": idx, "error": f"{e.__class__.__name__}: {e}"})


def produce(port: int, stream: str, phase: int, n_procs: int, *, duration: float | None = None,
            total: int | None = None) -> dict:
    """Run n_procs producers for `duration` s or until `total` records (split among them, whole batches). Returns
    per-producer results and the aggregate: sent, failed, acknowledged, t0 (first start), t1 (last end), records/s."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(n_procs + 1)
    results = ctx.Queue()
    quota = None
    if total is not None:
        per = -(-total // n_procs)
        quota = -(-per // BATCH) * BATCH
    for i in range(n_procs):
        p = ctx.Process(target=producer, name=f"producer-{i}", daemon=True,
                        args=(i, port, stream, phase, duration, quota, barrier, results))
        p.start()
        cp.WORKERS.append(p)
    got: list[dict] = []
    try:
        try:
            barrier.wait(timeout=120)
        except Exception:  # noqa: BLE001 - a producer failed (its error is on the queue) or never got there
            try:
                barrier.abort()
            except Exception:  # noqa: BLE001
                pass
        limit = (duration or 0) + (total or 0) / 5_000 + 120
        deadline = time.monotonic() + limit
        while len(got) < n_procs:
            try:
                got.append(results.get(timeout=max(deadline - time.monotonic(), 0.1)))
            except queue_mod.Empty:
                raise RunFailed(f"producers on {stream} did not report within {limit:.0f} s") from None
            if "error" in got[-1]:
                raise RunFailed(f"producer {got[-1]['idx']} on {stream} failed: {got[-1]['error']}")
    finally:
        cp.stop_workers()
    got.sort(key=lambda g: g["idx"])
    sent = sum(g["sent"] for g in got)
    n_failed = sum(len(g["failed"]) for g in got)
    t0, t1 = min(g["t0"] for g in got), max(g["t1"] for g in got)
    acked = sent - n_failed
    return {"producers": n_procs, "per_producer": [{k: v for k, v in g.items() if k != "failed"} for g in got],
            "produced": {g["idx"]: g["sent"] for g in got}, "failed_ids": {g["idx"]: g["failed"] for g in got},
            "sent": sent, "failed": n_failed, "acknowledged": acked, "t0": t0, "t1": t1,
            "seconds": t1 - t0, "records_per_s": acked / (t1 - t0) if t1 > t0 else None,
            "calls": sum(g["calls"] for g in got),
            "call_p50_ms": statistics.median([g["call_p50_ms"] for g in got if g["call_p50_ms"] is not None] or [0]),
            "producer_cores": sum(g["cpu"] for g in got) / (t1 - t0) if t1 > t0 else None}


# --------------------------------------------------------------------------
# Control plane (boto3)

class Control:
    def __init__(self, port: int):
        self.port = port
        self.lam = cp.boto_client("lambda", port)
        self.kin = cp.boto_client("kinesis", port)

    def create_function(self, name: str, udp_port: int) -> None:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            self.lam.create_function(
                FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="handler.handler", Timeout=60,
                MemorySize=128, Code={"ZipFile": function_zip()},
                Environment={"Variables": {"BENCH_UDP_HOST": "127.0.0.1", "BENCH_UDP_PORT": str(udp_port)}})
            deadline = time.monotonic() + 30
            while True:
                c = self.lam.get_function_configuration(FunctionName=name)
                if c.get("State") == "Active":
                    return
                if c.get("State") == "Failed" or time.monotonic() > deadline:
                    raise RunFailed(f"function {name}: State {c.get('State')} ({c.get('StateReason')})")
                time.sleep(0.02)
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"CreateFunction {name}: {e.__class__.__name__}: {e}") from e

    def create_streams(self, names: list[str], shards: int) -> dict[str, str]:
        """CreateStream each, then wait for ACTIVE; returns name -> ARN."""
        from botocore.exceptions import BotoCoreError, ClientError
        arns = {}
        try:
            for name in names:
                self.kin.create_stream(StreamName=name, ShardCount=shards)
            deadline = time.monotonic() + 60
            for name in names:
                while True:
                    s = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
                    if s["StreamStatus"] == "ACTIVE":
                        arns[name] = s["StreamARN"]
                        break
                    if time.monotonic() > deadline:
                        raise RunFailed(f"stream {name} still {s['StreamStatus']} 60 s after CreateStream")
                    time.sleep(0.02)
        except (ClientError, BotoCoreError) as e:
            hint = " (a binary without the embedded Kinesis?)" if "Unknown operation" in str(e) else ""
            raise RunFailed(f"CreateStream: {e.__class__.__name__}: {e}{hint}") from e
        return arns

    def create_mapping(self, function: str, arn: str, *, batch_size: int, parallelization: int,
                       starting: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            r = self.lam.create_event_source_mapping(
                FunctionName=function, EventSourceArn=arn, BatchSize=batch_size,
                ParallelizationFactor=parallelization, StartingPosition=starting)
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"CreateEventSourceMapping {function} ← {arn}: {e.__class__.__name__}: {e}") from e
        return r["UUID"]

    def wait_enabled(self, uuid: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            m = self.lam.get_event_source_mapping(UUID=uuid)
            if m["State"] == "Enabled":
                return
            if time.monotonic() > deadline:
                raise RunFailed(f"mapping {uuid} still {m['State']} ({m.get('StateTransitionReason')}) "
                                f"{timeout:g} s after CreateEventSourceMapping")
            time.sleep(0.02)

    def list_mappings(self) -> list[dict]:
        out, marker = [], None
        while True:
            kw = {"MaxItems": 100}
            if marker:
                kw["Marker"] = marker
            r = self.lam.list_event_source_mappings(**kw)
            out += r.get("EventSourceMappings") or []
            marker = r.get("NextMarker")
            if not marker:
                return out

    def delete_all_mappings(self, timeout: float = 60.0) -> None:
        from botocore.exceptions import ClientError
        for m in self.list_mappings():
            try:
                self.lam.delete_event_source_mapping(UUID=m["UUID"])
            except ClientError as e:
                if src.client_error_code(e) != "ResourceInUseException":  # already Deleting
                    raise RunFailed(f"DeleteEventSourceMapping {m['UUID']}: {e}") from e
        deadline = time.monotonic() + timeout
        while self.list_mappings():
            if time.monotonic() > deadline:
                raise RunFailed(f"mappings still listed {timeout:g} s after DeleteEventSourceMapping")
            time.sleep(0.05)


# --------------------------------------------------------------------------
# The measurements

class Run:
    def __init__(self, args, port: int, proc, workdir: Path, sink: Sink, name: str, invalid: list[str]):
        self.args, self.port, self.proc, self.workdir, self.sink = args, port, proc, workdir, sink
        self.name = name
        self.ctl = Control(port)
        self.arns: dict[str, str] = {}
        self.ledgers: dict[str, Ledger] = {}
        self.invalid = invalid

    def check_alive(self, when: str) -> None:
        if self.proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {self.proc.returncode} {when}\n"
                            f"{cp.tail(self.workdir / f'sluice-{self.name}.log')}")

    def ledger(self, stream: str) -> Ledger:
        if stream not in self.ledgers:
            self.ledgers[stream] = Ledger(self.sink.tally(self.arns[stream]), self.sink.cond)
        return self.ledgers[stream]

    def delivered(self, stream: str, phase: int, produced: dict, what: str, timeout: float) -> dict:
        """Wait for every acknowledged record of `phase`; account for them. The run is invalid if any is missing."""
        led = self.ledger(stream)
        led.expect(phase, produced["produced"], produced["failed_ids"])
        ok = wait_delivered(self.sink, led, phase, timeout, what, self.check_alive)
        r = {"expected": led.expected[phase], "delivered": led.distinct[phase], "duplicates": led.dups[phase],
             "missing": led.missing(phase), "complete": ok}
        if not ok:
            self.invalid.append(f"{what}: {r['missing']:,} of {r['expected']:,} acknowledged records never "
                                f"reached the function")
        if produced["failed"]:
            self.invalid.append(f"{what}: {produced['failed']:,} records failed in PutRecords")
        return r

    # 1 ------------------------------------------------------------------
    def latency(self) -> dict:
        a = self.args
        stream = "esm-latency"
        self.arns.update(self.ctl.create_streams([stream], 1))
        uuid = self.ctl.create_mapping(FUNCTION, self.arns[stream], batch_size=1, parallelization=1,
                                       starting="TRIM_HORIZON")
        self.ctl.wait_enabled(uuid)
        led = self.ledger(stream)
        n_warm, n = a.latency_warmup, a.latency_samples
        total = 1 + n_warm + n
        led.expect(PH_LATENCY, {0: total}, keep_times=True)
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = src.kinesis_headers("PutRecord")
        rnd = random.Random(1)
        samples, put_ms, arrival_ms = [], [], []
        put_n = 0
        log(f"latency: 1 shard, BatchSize 1; {n_warm + 1} warm-up records, then {n} one at a time")
        try:
            for i in range(total):
                body = json.dumps({"StreamName": stream, "PartitionKey": f"k{i}",
                                   "Data": base64.b64encode(REC.pack(PH_LATENCY, i)).decode()}).encode()
                if i > n_warm:
                    time.sleep(rnd.uniform(0.02, 0.06))
                t_put = time.time_ns()
                m_put = time.monotonic_ns()
                try:
                    conn.request("POST", "/", body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, HTTPException) as e:
                    raise RunFailed(f"PutRecord: {e.__class__.__name__}: {e}") from e
                m_ack = time.monotonic_ns()
                if resp.status != 200:
                    raise RunFailed(f"PutRecord answered {resp.status}: {data[:300]!r}")
                put_n += 1
                # The first record meets a cold environment (and a mapping that may still be starting).
                wait = a.first_record_timeout if i == 0 else a.deliver_timeout
                deadline = time.monotonic() + wait
                lost = False
                while True:
                    led.update()
                    if i in led.fn_ns[PH_LATENCY]:
                        break
                    with self.sink.cond:
                        self.sink.cond.wait(0.05)
                    if time.monotonic() > deadline:
                        if i == 0:
                            raise RunFailed(f"no record reached the function within {wait:g} s of PutRecord (is "
                                            "the Kinesis mapping engine in this binary?)")
                        lost = True
                        break
                    self.check_alive("during the latency samples")
                if lost:
                    # One lost record is enough to fail the run; waiting for every later one would not end.
                    self.invalid.append(f"latency: record {i} did not reach the function within {wait:g} s; "
                                        "the samples stop there")
                    break
                if i > n_warm and i in led.fn_ns[PH_LATENCY]:
                    t_fn, t_arr = led.fn_ns[PH_LATENCY][i]
                    samples.append((t_fn - t_put) / 1e6)
                    put_ms.append((m_ack - m_put) / 1e6)
                    arrival_ms.append((t_arr - m_put) / 1e6)
        finally:
            conn.close()
        led.update()
        res = {"samples_ms": samples, "putrecord_ms": put_ms, "report_arrival_ms": arrival_ms,
               "put": put_n, "delivered": led.distinct[PH_LATENCY], "duplicates": led.dups[PH_LATENCY],
               "missing": put_n - led.distinct[PH_LATENCY],
               "environments": len(led.tally.pids)}
        if samples:
            res.update(p50_ms=pct(samples, 50), p99_ms=pct(samples, 99), min_ms=min(samples),
                       mean_ms=statistics.fmean(samples), max_ms=max(samples))
        return res

    # 2 ------------------------------------------------------------------
    def raw_ingest(self) -> dict:
        a = self.args
        stream = "esm-raw"
        self.arns.update(self.ctl.create_streams([stream], SHARDS))
        if a.warmup > 0:
            log(f"raw ingest: warm-up {a.warmup:g} s, {a.producers} producers")
            w = produce(self.port, stream, PH_RAW_WARM, a.producers, duration=a.warmup)
            if w["failed"]:
                self.invalid.append(f"raw ingest warm-up: {w['failed']:,} records failed in PutRecords")
        log(f"raw ingest: {a.duration:g} s, {a.producers} producers × PutRecords of {BATCH}, no mapping")
        cpu0 = src.cpu_seconds(self.proc.pid)
        r = produce(self.port, stream, PH_RAW, a.producers, duration=a.duration)
        cpu1 = src.cpu_seconds(self.proc.pid)
        self.check_alive("during the raw ingest")
        if r["failed"]:
            self.invalid.append(f"raw ingest: {r['failed']:,} records failed in PutRecords")
        r["server_cores"] = (cpu1 - cpu0) / r["seconds"] if cpu0 is not None and cpu1 is not None else None
        return slim(r)

    def end_to_end(self, batch_size: int) -> dict:
        a = self.args
        stream = f"esm-e2e-{batch_size}"
        self.arns.update(self.ctl.create_streams([stream], SHARDS))
        uuid = self.ctl.create_mapping(FUNCTION, self.arns[stream], batch_size=batch_size,
                                       parallelization=PARALLELIZATION, starting="TRIM_HORIZON")
        self.ctl.wait_enabled(uuid)
        what = f"BatchSize {batch_size}"
        if a.warmup > 0:
            log(f"{what}: warm-up {a.warmup:g} s, then until all its records are delivered")
            w = produce(self.port, stream, PH_E2E_WARM[batch_size], a.producers, duration=a.warmup)
            self.delivered(stream, PH_E2E_WARM[batch_size], w, f"{what} warm-up", a.deliver_timeout)
        led = self.ledger(stream)
        pids_before = set(led.tally.pids)
        log(f"{what}: {a.duration:g} s of {a.producers} producers, then until all are delivered")
        cpu0, env0 = src.cpu_seconds(self.proc.pid), children_cpu(self.proc.pid)
        batches0 = led.tally.batches
        p = produce(self.port, stream, PH_E2E[batch_size], a.producers, duration=a.duration)
        acc = self.delivered(stream, PH_E2E[batch_size], p, what, a.deliver_timeout)
        cpu1, env1 = src.cpu_seconds(self.proc.pid), children_cpu(self.proc.pid)
        ph = PH_E2E[batch_size]
        r = slim(p)
        r.update(acc)
        r["mapping"] = uuid
        if acc["complete"]:
            done_s = led.done_ns[ph] / 1e9
            r["e2e_seconds"] = done_s - p["t0"]
            r["e2e_per_s"] = acc["expected"] / r["e2e_seconds"]
            r["lag_after_producers_ms"] = (done_s - p["t1"]) * 1e3
            wall = done_s - p["t0"]
            if cpu0 is not None and cpu1 is not None and wall > 0:
                r["server_cores"] = (cpu1 - cpu0) / wall
                r["environment_cores"] = env_delta(env0, env1) / wall
        sizes = led.tally.batch_sizes[batches0:]
        r["batches"] = len(sizes)
        r["mean_batch"] = statistics.fmean(sizes) if sizes else None
        r["environments"] = len(led.tally.pids)
        r["new_environments"] = len(led.tally.pids - pids_before)
        return r

    # 3 ------------------------------------------------------------------
    def drain(self) -> dict:
        a = self.args
        stream = "esm-drain"
        self.arns.update(self.ctl.create_streams([stream], SHARDS))
        log(f"drain: preload {a.drain_records:,} records, {a.producers} producers")
        p = produce(self.port, stream, PH_DRAIN, a.producers, total=a.drain_records)
        self.check_alive("during the preload")
        log(f"drain: {p['acknowledged']:,} records in at {p['records_per_s'] or 0:,.0f}/s; "
            f"mapping BatchSize {a.drain_batch_size}, ParallelizationFactor {PARALLELIZATION}, TRIM_HORIZON")
        led = self.ledger(stream)
        cpu0, env0 = src.cpu_seconds(self.proc.pid), children_cpu(self.proc.pid)
        t_create = time.monotonic()
        uuid = self.ctl.create_mapping(FUNCTION, self.arns[stream], batch_size=a.drain_batch_size,
                                       parallelization=PARALLELIZATION, starting="TRIM_HORIZON")
        self.ctl.wait_enabled(uuid)
        t_enabled = time.monotonic()
        acc = self.delivered(stream, PH_DRAIN, p, "drain", a.deliver_timeout)
        cpu1, env1 = src.cpu_seconds(self.proc.pid), children_cpu(self.proc.pid)
        r = {"preload": slim(p), **acc, "mapping": uuid, "batch_size": a.drain_batch_size,
             "enabled_after_s": t_enabled - t_create}
        if acc["complete"]:
            done_s, first_s = led.done_ns[PH_DRAIN] / 1e9, led.first_ns[PH_DRAIN] / 1e9
            r["seconds"] = done_s - t_create
            r["per_s"] = acc["expected"] / r["seconds"]
            r["first_delivery_after_s"] = first_s - t_create
            r["first_to_last_per_s"] = acc["expected"] / (done_s - first_s) if done_s > first_s else None
            if cpu0 is not None and cpu1 is not None:
                r["server_cores"] = (cpu1 - cpu0) / r["seconds"]
                r["environment_cores"] = env_delta(env0, env1) / r["seconds"]
        sizes = led.tally.batch_sizes
        r["batches"] = len(sizes)
        r["mean_batch"] = statistics.fmean(sizes) if sizes else None
        r["environments"] = len(led.tally.pids)
        return r

    # 4 ------------------------------------------------------------------
    def idle(self) -> dict:
        """On a fresh server: the streams and functions first, a baseline, then the mappings."""
        a = self.args
        m, s = a.idle_mappings, min(a.idle_streams, a.idle_mappings)
        n_funcs = -(-m // s)
        log(f"idle: {s} 1-shard streams, {n_funcs} functions")
        streams = [f"esm-idle-{i}" for i in range(s)]
        self.arns.update(self.ctl.create_streams(streams, 1))
        functions = [f"esm-idle-f{j}" for j in range(n_funcs)]
        for f in functions:
            self.ctl.create_function(f, self.sink.port)
        time.sleep(1.0)
        log(f"idle: baseline CPU over {a.idle_baseline:g} s with no mappings")
        base = idle_cpu(self.proc.pid, a.idle_baseline)
        log(f"idle: {m:,} mappings (LATEST)")
        t0 = time.monotonic()
        pairs = [(functions[k // s], self.arns[streams[k % s]]) for k in range(m)]

        def create(chunk):
            ctl = Control(self.port)
            return [ctl.create_mapping(f, arn, batch_size=100, parallelization=1, starting="LATEST")
                    for f, arn in chunk]

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            uuids = [u for us in pool.map(create, [pairs[i::4] for i in range(4)]) for u in us]
        t_created = time.monotonic()
        deadline = time.monotonic() + 120
        while True:
            states: dict[str, int] = {}
            for mp in self.ctl.list_mappings():
                states[mp["State"]] = states.get(mp["State"], 0) + 1
            if states.get("Enabled", 0) >= len(uuids):
                break
            if time.monotonic() > deadline:
                raise RunFailed(f"idle: mappings not all Enabled 120 s after creation: {states}")
            time.sleep(0.1)
        t_enabled = time.monotonic()
        self.check_alive("after creating the idle mappings")
        time.sleep(a.idle_settle)
        log(f"idle: CPU over {a.idle_seconds:g} s with {m:,} Enabled mappings")
        busy = idle_cpu(self.proc.pid, a.idle_seconds)
        self.check_alive("during the idle measurement")
        return {"mappings": m, "streams": s, "functions": n_funcs, "baseline": base, **busy,
                "create_seconds": t_created - t0, "all_enabled_after_s": t_enabled - t_created,
                "rss_mib": cp.rss_kib(self.proc.pid) / 1024, "threads": threads(self.proc.pid)}


def idle_cpu(pid: int, seconds: float) -> dict:
    c0, t0 = src.cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = src.cpu_seconds(pid), time.monotonic()
    if c0 is None or c1 is None:
        raise RunFailed(f"cannot read /proc/{pid}/stat (server gone?)")
    return {"cpu_seconds": c1 - c0, "wall_seconds": t1 - t0, "cpu_pct": (c1 - c0) / (t1 - t0) * 100,
            "tick_s": 1 / os.sysconf("SC_CLK_TCK")}


def threads(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def slim(p: dict) -> dict:
    return {k: v for k, v in p.items() if k not in ("produced", "failed_ids")}


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


# --------------------------------------------------------------------------
# The run

PHASES = ("latency", "throughput", "drain", "idle")


def start_server(binary: str, workdir: Path, name: str) -> tuple:
    data_dir = workdir / f"data-{name}"
    data_dir.mkdir()
    proc, port, _ = cp.start_sluice(binary, ["--data-dir", str(data_dir), "--max-environments", "64"],
                                    workdir / f"sluice-{name}.log", timeout=30)
    extra: list[bytes] = []
    return proc, port, extra, cp.drain_stdout(proc, extra)


def measure(binary: str, args, workdir: Path) -> dict:
    """Latency, throughput and drain on one server; the idle mappings on a second, fresh one, so that what the
    first run left behind (40 warm environments, deleted mappings, full streams) does not count as theirs."""
    res: dict = {}
    sink = Sink()
    res["udp_rcvbuf"] = sink.rcvbuf
    extra: list[bytes] = []
    runs: list[Run] = []
    invalid: list[str] = []
    try:
        if set(args.only) - {"idle"}:
            log(f"start sluice serve with a fresh --data-dir; UDP sink on 127.0.0.1:{sink.port}")
            proc, port, out, drainer = start_server(binary, workdir, "load")
            run = Run(args, port, proc, workdir, sink, "load", invalid)
            runs.append(run)
            try:
                run.ctl.create_function(FUNCTION, sink.port)
                if "latency" in args.only:
                    res["latency"] = run.latency()
                if "throughput" in args.only:
                    res["raw"] = run.raw_ingest()
                    res["e2e"] = {}
                    for bs in (100, 1000):
                        res["e2e"][bs] = run.end_to_end(bs)
                if "drain" in args.only:
                    res["drain"] = run.drain()
                if "idle" in args.only:
                    log("after the load: delete its mappings; the server's CPU over "
                        f"{args.idle_baseline:g} s (for reference)")
                    run.ctl.delete_all_mappings()
                    time.sleep(1.0)
                    res["after_load"] = idle_cpu(proc.pid, args.idle_baseline)
                    res["after_load"]["environments"] = len(children(proc.pid))
                run.check_alive("at the end")
            finally:
                cp.stop(proc, "sluice")
                drainer.join(2)
                extra += out
        if "idle" in args.only:
            log("idle: start a second sluice serve with a fresh --data-dir")
            proc, port, out, drainer = start_server(binary, workdir, "idle")
            run = Run(args, port, proc, workdir, sink, "idle", invalid)
            runs.append(run)
            try:
                res["idle"] = run.idle()
            finally:
                cp.stop(proc, "sluice")
                drainer.join(2)
                extra += out
    finally:
        with sink.cond:
            res["udp"] = {"datagrams": sink.datagrams, "gaps": sink.gaps, "malformed": sink.malformed}
        res["udp"]["foreign_records"] = sum(l.foreign + l.bad_data for r in runs for l in r.ledgers.values())
        res["invalid"] = invalid
        sink.close()
    if res["udp"]["gaps"]:
        invalid.append(f"{res['udp']['gaps']} UDP reports from the function were lost on the way to this "
                       "script: the records in them count as missing (a measurement problem, not "
                       "necessarily Sluice's)")
    if extra:
        res["extra_stdout"] = b"".join(extra)[:500].decode("utf-8", "replace")
    return res


def children_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each child process (the function environments)."""
    return {c: t for c in children(pid) if (t := src.cpu_seconds(c)) is not None}


def env_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the environments used between two snapshots; ones started meanwhile count from 0 (ones that ended are
    lost: environments live for the idle timeout, 10 minutes by default)."""
    return sum(t - before.get(c, 0.0) for c, t in after.items())


def children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                out.update(int(x) for x in (task / "children").read_text().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


# --------------------------------------------------------------------------
# Report

def fmt(x: float | None, digits: int = 1) -> str:
    return cp.fmt_num(x, digits)


def build_rows(res: dict, args) -> list[list[str]]:
    rows: list[list[str]] = []
    lat = res.get("latency")
    if lat:
        rows.append(["put → invoke latency p50, idle stream, BatchSize 1 (ms)", fmt(lat.get("p50_ms"), 2),
                     f"< {TARGET_P50_MS:g} ms", cp.met(lat.get("p50_ms"), TARGET_P50_MS, False)])
        rows.append(["put → invoke latency p99 (ms)", fmt(lat.get("p99_ms"), 2), f"< {TARGET_P99_MS:g} ms",
                     cp.met(lat.get("p99_ms"), TARGET_P99_MS, False)])
        if lat.get("samples_ms"):
            rows.append([f"  min / mean / max of {len(lat['samples_ms'])} (ms)",
                         f"{fmt(lat['min_ms'], 2)} / {fmt(lat['mean_ms'], 2)} / {fmt(lat['max_ms'], 2)}", "—", "—"])
            rows.append(["  PutRecord call p50; put → report at the bench p50 (ms)",
                         f"{fmt(pct(lat['putrecord_ms'], 50), 2)}; {fmt(pct(lat['report_arrival_ms'], 50), 2)}",
                         "—", "—"])
    raw = res.get("raw")
    raw_rate = raw.get("records_per_s") if raw else None
    if raw:
        rows.append([f"raw PutRecords ingest, {raw['producers']} producers × {BATCH} records, no mapping (records/s)",
                     fmt(raw_rate), "—", "—"])
        rows.append(["  PutRecords call p50 (ms); server / producers' CPU (cores)",
                     f"{fmt(raw['call_p50_ms'], 2)}; {fmt(raw.get('server_cores'), 2)} / "
                     f"{fmt(raw.get('producer_cores'), 2)}", "—", "—"])
    for bs, r in (res.get("e2e") or {}).items():
        target = TARGET_E2E_SHARE * raw_rate if raw_rate else None
        value = r.get("e2e_per_s")
        rows.append([f"end-to-end records/s, BatchSize {bs}, {SHARDS} shards, ParallelizationFactor {PARALLELIZATION}",
                     fmt(value) if r["complete"] else "LOST RECORDS",
                     f"≥ ½ raw ({fmt(target)}/s)" if target else "≥ ½ raw",
                     "INVALID" if not r["complete"] else (cp.met(value, target, True) if target else "n/a")])
        rows.append(["  produced (records/s); delivered after the producers stopped (ms)",
                     f"{fmt(r.get('records_per_s'))}; {fmt(r.get('lag_after_producers_ms'), 0)}", "—", "—"])
        rows.append(["  batches, mean size; environments (new); server / environments' CPU (cores)",
                     f"{r['batches']:,}, {fmt(r.get('mean_batch'))}; {r['environments']} ({r['new_environments']}); "
                     f"{fmt(r.get('server_cores'), 2)} / {fmt(r.get('environment_cores'), 2)}", "—", "—"])
    d = res.get("drain")
    if d:
        n = d["expected"]
        value = d.get("per_s")
        rows.append([f"drain of a {n:,}-record backlog, BatchSize {d['batch_size']}, PF {PARALLELIZATION} (records/s)",
                     fmt(value) if d["complete"] else "LOST RECORDS", f"≥ {TARGET_DRAIN_PER_S:,.0f}/s",
                     "INVALID" if not d["complete"] else cp.met(value, TARGET_DRAIN_PER_S, True)])
        if d["complete"]:
            rows.append(["  Create → Enabled; → first delivery; → last (s)",
                         f"{fmt(d['enabled_after_s'], 2)}; {fmt(d['first_delivery_after_s'], 2)}; "
                         f"{fmt(d['seconds'], 2)}", "—", "—"])
            rows.append(["  first → last delivery (records/s); server / environments' CPU (cores)",
                         f"{fmt(d.get('first_to_last_per_s'))}; {fmt(d.get('server_cores'), 2)} / "
                         f"{fmt(d.get('environment_cores'), 2)}", "—", "—"])
        rows.append(["  batches, mean size; environments; preload ingest (records/s)",
                     f"{d['batches']:,}, {fmt(d.get('mean_batch'))}; {d['environments']}; "
                     f"{fmt(d['preload'].get('records_per_s'))}", "—", "—"])
    i = res.get("idle")
    if i:
        rows.append([f"server CPU, {i['mappings']:,} idle mappings, {i['wall_seconds']:.0f} s (% of a core)",
                     f"{i['cpu_pct']:.2f}", f"< {TARGET_IDLE_CPU_PCT:g} %",
                     cp.met(round(i["cpu_pct"], 2), TARGET_IDLE_CPU_PCT, False)])  # judged as printed
        b = i["baseline"]
        rows.append([f"  CPU s over {i['wall_seconds']:.0f} s (tick {i['tick_s'] * 1000:.0f} ms); baseline, "
                     f"no mappings ({b['wall_seconds']:.0f} s, %)", f"{i['cpu_seconds']:.2f}; {b['cpu_pct']:.2f}",
                     "—", "—"])
        rows.append(["  mappings created in; all Enabled after (s); RSS (MiB); threads",
                     f"{i['create_seconds']:.1f}; {i['all_enabled_after_s']:.1f}; {i['rss_mib']:.1f}; {i['threads']}",
                     "—", "—"])
    al = res.get("after_load")
    if al:
        rows.append([f"  for reference: the load's server after it, mappings deleted, {al['environments']} idle "
                     f"environments ({al['wall_seconds']:.0f} s, %)", f"{al['cpu_pct']:.2f}", "—", "—"])
    acc = accounting(res)
    if acc["expected"]:
        lost = acc["missing"]
        rows.append(["records acknowledged → delivered (distinct); duplicates",
                     f"{acc['expected']:,} → {acc['delivered']:,}; {acc['duplicates']:,}", "none lost",
                     "yes" if not lost else f"NO: {lost:,} lost"])
    return rows


def accounting(res: dict) -> dict:
    parts = list((res.get("e2e") or {}).values()) + ([res["drain"]] if res.get("drain") else [])
    lat = res.get("latency")
    out = {k: sum(p[k] for p in parts) for k in ("expected", "delivered", "duplicates", "missing")}
    if lat:
        out["expected"] += lat["put"]
        for k in ("delivered", "duplicates", "missing"):
            out[k] += lat[k]
    return out


# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=os.environ.get("KINESIS_ESM_ARGV0", "bench/kinesis-esm"),
        description="Kinesis event source mappings end to end: put → invoke latency on an idle stream, end-to-end "
                    "records/s while producing beside the raw PutRecords ingest of the same run, the drain rate of a "
                    "preloaded backlog, and the server's CPU with idle mappings, against the targets.",
        epilog="Environment: SLUICE_BIN (default <repo>/.build/release/sluice), PYTHON (for the wrapper). "
               "Exit: 0 measured (targets may be missed), 1 run failed, 3 a measurement was invalid (acknowledged "
               "records never delivered, failed PutRecords records, UDP reports lost).")
    p.add_argument("--smoke", action="store_true",
                   help="CI smoke (under 90 s): 1 s producing points, 0.5 s warm-ups, 30 latency samples, a 20,000-"
                        "record backlog, 200 idle mappings over 3 s")
    p.add_argument("--duration", type=float, default=None, help="seconds of producing per point (default 10; 1 with "
                   "--smoke)")
    p.add_argument("--warmup", type=float, default=None, help="seconds of producing before each point, not counted "
                   "(default 2; 0.5 with --smoke)")
    p.add_argument("--producers", type=int, default=4, help="producer processes (default 4)")
    p.add_argument("--latency-samples", type=int, default=None, help="default 200; 30 with --smoke")
    p.add_argument("--latency-warmup", type=int, default=5, help="records put and waited for before the samples, "
                   "after the first (default 5)")
    p.add_argument("--drain-records", type=int, default=None, help="backlog size (default 1,000,000; 20,000 with "
                   "--smoke)")
    p.add_argument("--drain-batch-size", type=int, default=1000, help="BatchSize of the drain mapping (default 1000; "
                   "up to 10000)")
    p.add_argument("--idle-mappings", type=int, default=None, help="default 1000; 200 with --smoke")
    p.add_argument("--idle-streams", type=int, default=100, help="idle 1-shard streams the idle mappings share "
                   "(default 100; mappings / streams functions)")
    p.add_argument("--idle-seconds", type=float, default=None, help="default 10; 3 with --smoke")
    p.add_argument("--idle-baseline", type=float, default=None, help="seconds of the no-mapping baseline (default 5; "
                   "1 with --smoke)")
    p.add_argument("--idle-settle", type=float, default=2.0, help="seconds between all Enabled and the idle "
                   "measurement (default 2)")
    p.add_argument("--deliver-timeout", type=float, default=None, help="seconds without a report before the records "
                   "still missing count as lost (default 30; 5 with --smoke)")
    p.add_argument("--first-record-timeout", type=float, default=None, help="seconds for the very first record to "
                   "reach the cold function (default 30; 15 with --smoke)")
    p.add_argument("--only", type=cp.comma_list(PHASES), default=list(PHASES),
                   help=f"comma-separated subset of {','.join(PHASES)} (default all)")
    p.add_argument("--json", metavar="FILE", help="also write all figures as JSON to FILE")
    p.add_argument("--keep", action="store_true", help="keep the work dir (server log, data dir)")
    p.add_argument("--build", action="store_true",
                   help="if the sluice binary is missing, build it: swift build -c release --product sluice")
    a = p.parse_args(argv)
    s = a.smoke
    for key, full, smoke in (("duration", 10.0, 1.0), ("warmup", 2.0, 0.5), ("latency_samples", 200, 30),
                             ("drain_records", 1_000_000, 20_000), ("idle_mappings", 1000, 200),
                             ("idle_seconds", 10.0, 3.0), ("idle_baseline", 5.0, 1.0),
                             ("deliver_timeout", 30.0, 5.0), ("first_record_timeout", 30.0, 15.0)):
        if getattr(a, key) is None:
            setattr(a, key, smoke if s else full)
    if (a.duration <= 0 or a.warmup < 0 or a.producers < 1 or a.latency_samples < 1 or a.drain_records < BATCH
            or not 1 <= a.drain_batch_size <= 10000 or a.idle_mappings < 1 or a.idle_streams < 1
            or a.idle_seconds <= 0 or a.idle_baseline <= 0):
        p.error("--duration > 0, --warmup >= 0, --producers >= 1, --latency-samples >= 1, --drain-records >= 500, "
                "--drain-batch-size 1..10000, --idle-mappings/--idle-streams >= 1, --idle-seconds/--idle-baseline > 0")
    return a


def main(argv) -> int:
    args = parse_args(argv)
    started, cmdline, load_before = cp.begin_run(argv, "KINESIS_ESM_ARGV0", "bench/kinesis-esm")
    t_start = time.monotonic()
    status, binary, workdir, res = cp.run_measurement(
        lambda: cp.resolve_binary(args), lambda binary, workdir: measure(binary, args, workdir),
        "sluice-bench-kinesis-esm-", "sluice and the producers stopped")
    if status is not None:
        return status

    rows = build_rows(res, args)
    invalid = res["invalid"]
    out = ["Sluice Kinesis event-source-mapping benchmark", f"command:  {cmdline}",
           f"date:     {started.isoformat(timespec='seconds')} ({time.monotonic() - t_start:.0f} s)"]
    out += cp.machine_lines(load_before)
    out += cp.binary_lines(binary, "serve with a fresh --data-dir, --max-environments 64")
    out += [
        f"function: {FUNCTION}, python3.12 (this machine's python {platform.python_version()}): reports each batch "
        f"by UDP (handler-entry time, count, the records' 12-character data); UDP receive buffer "
        f"{res['udp_rcvbuf'] / 1048576:.1f} MiB",
        f"load:     {args.producers} producer processes × PutRecords of {BATCH} records (9-byte data: a phase and a "
        f"unique id; random partition keys), keep-alive http.client; {args.duration:g} s per point after "
        f"{args.warmup:g} s warm-up; every acknowledged record accounted for by id",
        f"targets:  put → invoke p50 < {TARGET_P50_MS:g} ms, p99 < {TARGET_P99_MS:g} ms; end-to-end ≥ ½ the raw "
        f"PutRecords rate of the same run; drain ≥ {TARGET_DRAIN_PER_S:,.0f} records/s; 1,000 idle mappings: no "
        f"measurable CPU (< {TARGET_IDLE_CPU_PCT:g} % of a core)",
        "",
        cp.render_target_table(rows),
        "",
        "Method:",
        "  latency    = time.time_ns() at the handler's entry − time.time_ns() just before PutRecord (1-shard stream, "
        "BatchSize 1, a 20–60 ms pause before each record, after the function is warm).",
        "  end-to-end = records acknowledged / (arrival of the report that completed them − the producers' start); "
        "the raw rate = records acknowledged / the producers' time on a stream with no mapping.",
        "  drain      = records preloaded / (arrival of the report that completed them − just before "
        "CreateEventSourceMapping).",
        "  idle CPU   = utime+stime of a second, fresh sluice process (/proc/PID/stat; function processes are not "
        "counted; none run), 2 s after every mapping was Enabled; the baseline: the same server with the streams and "
        "functions, before the mappings.",
    ]
    udp = res["udp"]
    out.append(f"UDP: {udp['datagrams']:,} reports, {udp['gaps']} lost in transit, {udp['malformed']} malformed, "
               f"{udp['foreign_records']} records not ours")
    if res.get("extra_stdout"):
        out.append(f"NOTE: sluice printed more than the one ready line on stdout: {res['extra_stdout'][:200]!r}")
    for line in invalid:
        out.append(f"INVALID: {line}")
    if invalid:
        out.append("The run is INVALID: records were lost (or their reports were), or PutRecords failed records.")
    print("\n".join(out), flush=True)
    return cp.end_run(args, workdir, bool(invalid), cmdline, started, load_before,
                      ["measurement", "sluice", "target", "met"], rows, sluice=jsonable(res))


def jsonable(res: dict) -> dict:
    out = json.loads(json.dumps(res, default=str))
    lat = out.get("latency") or {}
    for key in ("samples_ms", "putrecord_ms", "report_arrival_ms"):
        if key in lat:
            lat[key] = [round(x, 3) for x in lat[key]]
    return out


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        cp.stop_everything()
