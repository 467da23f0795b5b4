#!/usr/bin/env python3
"""SQS event-source-mapping benchmark (issue 6, item 8).

On a `sluice serve` with a fresh --data-dir it creates a python function, `bench-sqs-sink`, that appends one line
per batch to a file (its path is in the function's environment): the wall-clock time.time_ns() at the handler's
entry, the batch's record count and the bodies of its messages. Every body is a phase tag and a unique id (and, for
the latency phase, the send time), so every message a phase sends is accounted for by id: delivered, delivered again
(duplicates, allowed: at-least-once) or missing (a lost message makes the run INVALID).

1. send → invoke latency on an idle queue: a mapping with BatchSize 1. After a few warm-up messages (the function's
   environment is warm), one message at a time, a random pause of 20–60 ms before each: time.time_ns() just before
   SendMessage (http.client, a keep-alive connection; the time travels in the body) to time.time_ns() at the
   handler's entry, the same machine's clock. p50 / p99.
2. messages/s through one mapping, BatchSize 10: N messages (50,000; 2,000 with --smoke) are preloaded with
   SendMessageBatch into a queue whose mapping was created with Enabled=False; then UpdateEventSourceMapping
   Enabled=True; messages/s = N / (the moment every message was seen by the function and the queue is empty
   (ApproximateNumberOfMessages and ...NotVisible both 0) − just before the Enable call).
3. The same with BatchSize 1000, MaximumBatchingWindowInSeconds 1 and ScalingConfig.MaximumConcurrency 10.

Exit status: 0 when everything was measured (whether or not the targets are met); 1 when the run itself failed
(missing binary, a server that did not start or crashed, a setup call that failed, nothing reaching the function);
3 when a measurement was invalid (messages acknowledged but never delivered, or left in the queue); 130/143 when
interrupted. The server (and with it every function process) is stopped by PID on every path out.

Run it through the wrapper, bench/sqs-esm (see --help). Shared machinery (servers, the machine description, the end
of the run) comes from control_plane.py; the raw SQS calls from sources.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import threading
import time
from pathlib import Path

import control_plane as cp
import sources as src
from control_plane import ACCOUNT, REGION, RunFailed

NAME = "sqs-esm"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bench"
FUNCTION = "bench-sqs-sink"
FUNCTION_TIMEOUT = 30
VISIBILITY_TIMEOUT = 60

TARGET_P50_MS = 5.0
TARGET_B10_PER_S = 5_000.0
TARGET_B1000_PER_S = 20_000.0


def log(msg: str) -> None:
    print(f"[{NAME}] {msg}", file=sys.stderr, flush=True)


cp.log = log
src.log = log


# --------------------------------------------------------------------------
# The function

HANDLER = '''
import os
import time

_fd = os.open(os.environ["BENCH_OUT"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
_now = time.time_ns


def handler(event, context):
    t = _now()
    records = event.get("Records") or ()
    os.write(_fd, ("%d %d %s\\n" % (t, len(records), ",".join([r["body"] for r in records]))).encode())
'''


def function_zip() -> bytes:
    return cp.zip_bytes({"handler.py": (HANDLER, 0o644)})


class Reports:
    """What the function wrote: read incrementally; per phase tag the ids seen, duplicates, batches."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.partial = b""
        self.seen: dict[str, set[str]] = {}
        self.dups: dict[str, int] = {}
        self.batches: dict[str, list[int]] = {}
        self.entry_ns: dict[str, dict[str, int]] = {}  # latency phase: id -> handler entry
        self.foreign = 0

    def update(self) -> int:
        """Reads what was appended; returns the number of new lines."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return 0
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        for raw in lines:
            parts = raw.decode().split(" ", 2)
            if len(parts) != 3:
                self.foreign += 1
                continue
            t, n, bodies = int(parts[0]), int(parts[1]), parts[2].split(",") if parts[2] else []
            if n != len(bodies) or not bodies:
                self.foreign += 1
                continue
            tag = bodies[0].split(":", 1)[0]
            self.batches.setdefault(tag, []).append(n)
            for body in bodies:
                pieces = body.split(":")
                if len(pieces) < 2:
                    self.foreign += 1
                    continue
                phase, ident = pieces[0], pieces[1]
                seen = self.seen.setdefault(phase, set())
                if ident in seen:
                    self.dups[phase] = self.dups.get(phase, 0) + 1
                    continue
                seen.add(ident)
                if len(pieces) == 3:  # latency: the send time travels in the body
                    self.entry_ns.setdefault(phase, {})[ident] = t - int(pieces[2])
        return len(lines)

    def count(self, phase: str) -> int:
        return len(self.seen.get(phase, ()))


# --------------------------------------------------------------------------
# The run


class Run:
    def __init__(self, args, port: int, proc, workdir: Path):
        self.args, self.port, self.proc, self.workdir = args, port, proc, workdir
        self.lam = cp.boto_client("lambda", port)
        self.sqs = cp.boto_client("sqs", port)
        self.out = workdir / "function-out.txt"
        self.out.touch()
        self.reports = Reports(self.out)
        self.invalid: list[str] = []

    def check_alive(self, when: str) -> None:
        if self.proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {self.proc.returncode} {when}\n"
                            f"{cp.tail(self.workdir / 'sluice.log')}")

    # setup ----------------------------------------------------------------
    def create_function(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            self.lam.create_function(
                FunctionName=FUNCTION, Runtime="python3.12", Role=ROLE, Handler="handler.handler",
                Timeout=FUNCTION_TIMEOUT, MemorySize=128, Code={"ZipFile": function_zip()},
                Environment={"Variables": {"BENCH_OUT": str(self.out)}})
            deadline = time.monotonic() + 30
            while True:
                c = self.lam.get_function_configuration(FunctionName=FUNCTION)
                if c.get("State") == "Active":
                    return
                if c.get("State") == "Failed" or time.monotonic() > deadline:
                    raise RunFailed(f"function {FUNCTION}: State {c.get('State')} ({c.get('StateReason')})")
                time.sleep(0.02)
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"CreateFunction {FUNCTION}: {e.__class__.__name__}: {e}") from e

    def create_queue(self, name: str) -> tuple[str, str]:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            url = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(VISIBILITY_TIMEOUT)})[
                "QueueUrl"]
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"CreateQueue {name}: {e.__class__.__name__}: {e}") from e
        return url, f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"

    def create_mapping(self, arn: str, **params) -> str:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            r = self.lam.create_event_source_mapping(FunctionName=FUNCTION, EventSourceArn=arn, **params)
        except (ClientError, BotoCoreError) as e:
            raise RunFailed(f"CreateEventSourceMapping {arn}: {e.__class__.__name__}: {e}") from e
        return r["UUID"]

    def wait_state(self, uuid: str, state: str, timeout: float = 30.0) -> float:
        t0 = time.monotonic()
        while True:
            m = self.lam.get_event_source_mapping(UUID=uuid)
            if m["State"] == state:
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise RunFailed(f"mapping {uuid} still {m['State']} {timeout:g} s after asking for {state}")
            time.sleep(0.01)

    def queue_counts(self, url: str) -> tuple[int, int]:
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])

    # 1 --------------------------------------------------------------------
    def latency(self) -> dict:
        a = self.args
        url, arn = self.create_queue("sqs-esm-latency")
        uuid = self.create_mapping(arn, BatchSize=1)
        self.wait_state(uuid, "Enabled")
        raw = src.RawSQS(self.port)
        rnd = random.Random(1)
        total = a.latency_warmup + a.latency_samples
        log(f"latency: BatchSize 1; {a.latency_warmup} warm-up messages, then {a.latency_samples} one at a time")
        send_ms = []
        for i in range(total):
            if i >= a.latency_warmup:
                time.sleep(rnd.uniform(0.02, 0.06))
            t_send = time.time_ns()
            s0 = time.perf_counter()
            raw._call("SendMessage", {"QueueUrl": url, "MessageBody": f"L:{i}:{t_send}"})
            send_ms.append((time.perf_counter() - s0) * 1e3)
            deadline = time.monotonic() + (a.first_timeout if i == 0 else a.deliver_timeout)
            while str(i) not in self.reports.seen.get("L", ()):
                self.reports.update()
                if str(i) in self.reports.seen.get("L", ()):
                    break
                if time.monotonic() > deadline:
                    self.invalid.append(f"latency: message {i} did not reach the function")
                    return {"samples_ms": [], "lost": total - self.reports.count("L"), "sent": total}
                self.check_alive("during the latency phase")
                time.sleep(0.0005)
        samples = [self.reports.entry_ns["L"][str(i)] / 1e6 for i in range(a.latency_warmup, total)]
        samples.sort()
        return {"samples_ms": samples, "p50_ms": pct(samples, 50), "p99_ms": pct(samples, 99),
                "min_ms": samples[0], "max_ms": samples[-1], "mean_ms": sum(samples) / len(samples),
                "send_p50_ms": pct(sorted(send_ms[a.latency_warmup:]), 50),
                "sent": total, "lost": 0, "duplicates": self.reports.dups.get("L", 0)}

    # 2, 3 -----------------------------------------------------------------
    def preload(self, url: str, tag: str, n: int) -> float:
        """SendMessageBatch of 10 from 4 threads (keep-alive connections); returns messages/s."""
        errors: list[str] = []
        threads = 4
        per = [range(k, (n + 9) // 10, threads) for k in range(threads)]

        def worker(chunks):
            raw = src.RawSQS(self.port)
            try:
                for c in chunks:
                    ids = range(c * 10, min(n, c * 10 + 10))
                    r = raw._call("SendMessageBatch", {"QueueUrl": url, "Entries": [
                        {"Id": str(i - c * 10), "MessageBody": f"{tag}:{i}"} for i in ids]})
                    if r.get("Failed"):
                        errors.append(f"SendMessageBatch failed entries: {r['Failed'][:2]}")
                        return
            except Exception as e:  # noqa: BLE001 - reported as a failed run
                errors.append(f"{e.__class__.__name__}: {e}")

        t0 = time.monotonic()
        ts = [threading.Thread(target=worker, args=(p,), daemon=True) for p in per]
        for t in ts:
            t.start()
        for t in ts:
            while t.is_alive():
                t.join(0.5)
                self.check_alive("while preloading")
        if errors:
            raise RunFailed(f"preload of {tag}: {errors[0]}")
        return n / (time.monotonic() - t0)

    def throughput(self, tag: str, queue: str, n: int, **params) -> dict:
        a = self.args
        url, arn = self.create_queue(queue)
        uuid = self.create_mapping(arn, Enabled=False, **params)
        self.wait_state(uuid, "Disabled")
        described = ", ".join(f"{k} {v}" for k, v in params.items())
        log(f"{tag}: preload {n:,} messages, then enable the mapping ({described})")
        preload_rate = self.preload(url, tag, n)
        visible, _ = self.queue_counts(url)
        if visible != n:
            raise RunFailed(f"{tag}: {visible:,} messages visible after preloading {n:,}")
        cpu0 = src.cpu_seconds(self.proc.pid)
        t0 = time.monotonic()
        self.lam.update_event_source_mapping(UUID=uuid, Enabled=True)
        last_progress = time.monotonic()
        last_count = -1
        t_all = None
        while True:
            self.reports.update()
            count = self.reports.count(tag)
            now = time.monotonic()
            if count != last_count:
                last_count, last_progress = count, now
            if count >= n:
                if t_all is None:
                    t_all = now
                if self.queue_counts(url) == (0, 0):
                    t_end = time.monotonic()
                    break
            timeout = a.first_timeout if count == 0 else a.deliver_timeout
            if now - last_progress > timeout:
                left = self.queue_counts(url)
                self.invalid.append(f"{tag}: {n - count:,} of {n:,} messages never reached the function "
                                    f"({timeout:g} s without progress); queue (visible, in flight) = {left}")
                return {"messages": n, "delivered": count, "lost": n - count, "complete": False,
                        "params": params, "preload_per_s": preload_rate}
            if t_all is not None and now - t_all > a.deliver_timeout:
                left = self.queue_counts(url)
                self.invalid.append(f"{tag}: the function saw every message but the queue still holds {left} "
                                    f"(visible, in flight) {a.deliver_timeout:g} s later")
                return {"messages": n, "delivered": count, "lost": 0, "complete": False,
                        "params": params, "preload_per_s": preload_rate}
            self.check_alive(f"while draining {tag}")
            time.sleep(0.01)
        cpu1 = src.cpu_seconds(self.proc.pid)
        seconds = t_end - t0
        batches = self.reports.batches.get(tag, [])
        # A small backlog can drain before the mapping leaves Enabling, and a mapping in transition refuses updates.
        self.wait_state(uuid, "Enabled")
        self.lam.update_event_source_mapping(UUID=uuid, Enabled=False)
        return {"messages": n, "delivered": self.reports.count(tag), "lost": 0, "complete": True,
                "duplicates": self.reports.dups.get(tag, 0), "seconds": seconds, "per_s": n / seconds,
                "all_seen_after_s": t_all - t0, "batches": len(batches),
                "mean_batch": sum(batches) / len(batches) if batches else None,
                "server_cores": (cpu1 - cpu0) / seconds if cpu0 is not None and cpu1 is not None else None,
                "params": params, "preload_per_s": preload_rate}


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted xs."""
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def measure(binary: str, args, workdir: Path) -> dict:
    res: dict = {}
    data_dir = workdir / "data"
    data_dir.mkdir()
    log("start sluice serve with a fresh --data-dir")
    proc, port, _ = cp.start_sluice(binary, ["--data-dir", str(data_dir), "--max-environments", "64"],
                                    workdir / "sluice.log", timeout=30)
    extra: list[bytes] = []
    drainer = cp.drain_stdout(proc, extra)
    run = Run(args, port, proc, workdir)
    try:
        run.create_function()
        if "latency" in args.only:
            res["latency"] = run.latency()
        if "b10" in args.only:
            res["b10"] = run.throughput("T10", "sqs-esm-b10", args.messages, BatchSize=10)
        if "b1000" in args.only:
            res["b1000"] = run.throughput("T1000", "sqs-esm-b1000", args.messages, BatchSize=1000,
                                          MaximumBatchingWindowInSeconds=1,
                                          ScalingConfig={"MaximumConcurrency": 10})
        run.check_alive("at the end")
    finally:
        cp.stop(proc, "sluice")
        drainer.join(2)
    res["invalid"] = run.invalid
    res["foreign_lines"] = run.reports.foreign
    if extra:
        res["extra_stdout"] = b"".join(extra)[:500].decode("utf-8", "replace")
    return res


# --------------------------------------------------------------------------
# Report

def fmt(x, digits: int = 1) -> str:
    return cp.fmt_num(x, digits)


def build_rows(res: dict) -> list[list[str]]:
    rows: list[list[str]] = []
    lat = res.get("latency")
    if lat:
        if lat.get("samples_ms"):
            rows.append(["send → invoke latency p50, idle queue, BatchSize 1 (ms)", fmt(lat["p50_ms"], 2),
                         f"< {TARGET_P50_MS:g} ms", cp.met(lat["p50_ms"], TARGET_P50_MS, False)])
            rows.append(["send → invoke latency p99 (ms)", fmt(lat["p99_ms"], 2), "—", "—"])
            rows.append([f"  min / mean / max of {len(lat['samples_ms'])} (ms); SendMessage call p50 (ms)",
                         f"{fmt(lat['min_ms'], 2)} / {fmt(lat['mean_ms'], 2)} / {fmt(lat['max_ms'], 2)}; "
                         f"{fmt(lat['send_p50_ms'], 2)}", "—", "—"])
        else:
            rows.append(["send → invoke latency p50, idle queue, BatchSize 1 (ms)", "LOST MESSAGES",
                         f"< {TARGET_P50_MS:g} ms", "INVALID"])
    for key, label, target in (("b10", "BatchSize 10", TARGET_B10_PER_S),
                               ("b1000", "BatchSize 1000, window 1 s, MaximumConcurrency 10", TARGET_B1000_PER_S)):
        r = res.get(key)
        if not r:
            continue
        rows.append([f"messages/s, one mapping, {label}, {r['messages']:,} preloaded",
                     fmt(r.get("per_s")) if r["complete"] else "LOST MESSAGES", f"≥ {target:,.0f}/s",
                     cp.met(r.get("per_s"), target, True) if r["complete"] else "INVALID"])
        if r["complete"]:
            rows.append(["  Enable → all seen by the function; → queue empty (s)",
                         f"{fmt(r['all_seen_after_s'], 2)}; {fmt(r['seconds'], 2)}", "—", "—"])
            rows.append(["  batches, mean size; duplicates; server CPU (cores); preload (msg/s)",
                         f"{r['batches']:,}, {fmt(r['mean_batch'])}; {r['duplicates']:,}; "
                         f"{fmt(r.get('server_cores'), 2)}; {fmt(r['preload_per_s'])}", "—", "—"])
    sent = sum(r["messages"] for r in (res.get("b10"), res.get("b1000")) if r)
    sent += lat["sent"] if lat else 0
    lost = sum(r["lost"] for r in (res.get("b10"), res.get("b1000"), lat) if r)
    rows.append(["messages sent → lost", f"{sent:,} → {lost:,}", "none lost", "yes" if not lost else "NO"])
    return rows


PHASES = ("latency", "b10", "b1000")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=os.environ.get("SQS_ESM_ARGV0", "bench/sqs-esm"),
        description="SQS event source mappings end to end: send → invoke latency on an idle queue and messages/s "
                    "through one mapping (no-op python function; BatchSize 10, then BatchSize 1000 with a 1 s "
                    "window and MaximumConcurrency 10), against the targets.",
        epilog="Environment: SLUICE_BIN (default <repo>/.build/release/sluice), PYTHON (for the wrapper). "
               "Exit: 0 measured (targets may be missed), 1 run failed, 3 a measurement was invalid (messages lost "
               "or left in the queue).")
    p.add_argument("--smoke", action="store_true",
                   help="CI smoke (under 60 s, even with a debug build): 20 latency samples, 2,000 messages")
    p.add_argument("--latency-samples", type=int, default=None, help="default 200; 20 with --smoke")
    p.add_argument("--latency-warmup", type=int, default=5, help="messages sent and waited for before the samples")
    p.add_argument("--messages", type=int, default=None, help="messages preloaded for each throughput point "
                   "(default 50,000; 2,000 with --smoke)")
    p.add_argument("--deliver-timeout", type=float, default=None, help="seconds without progress before the "
                   "messages still missing count as lost (default 30; 15 with --smoke)")
    p.add_argument("--first-timeout", type=float, default=30.0, help="seconds for the first message of a phase to "
                   "reach the function (default 30)")
    p.add_argument("--only", type=cp.comma_list(PHASES), default=list(PHASES),
                   help=f"comma-separated subset of {','.join(PHASES)} (default all)")
    p.add_argument("--json", metavar="FILE", help="also write all figures as JSON to FILE")
    p.add_argument("--keep", action="store_true", help="keep the work dir (server log, data dir, function output)")
    p.add_argument("--build", action="store_true",
                   help="if the sluice binary is missing, build it: swift build -c release --product sluice")
    a = p.parse_args(argv)
    for key, full, smoke in (("latency_samples", 200, 20), ("messages", 50_000, 2_000), ("deliver_timeout", 30.0, 15.0)):
        if getattr(a, key) is None:
            setattr(a, key, smoke if a.smoke else full)
    if a.latency_samples < 1 or a.latency_warmup < 0 or a.messages < 10 or a.deliver_timeout <= 0:
        p.error("--latency-samples >= 1, --latency-warmup >= 0, --messages >= 10, --deliver-timeout > 0")
    return a


def main(argv) -> int:
    args = parse_args(argv)
    started, cmdline, load_before = cp.begin_run(argv, "SQS_ESM_ARGV0", "bench/sqs-esm")
    t_start = time.monotonic()
    status, binary, workdir, res = cp.run_measurement(
        lambda: cp.resolve_binary(args), lambda binary, workdir: measure(binary, args, workdir),
        "sluice-bench-sqs-esm-", "sluice stopped")
    if status is not None:
        return status

    rows = build_rows(res)
    invalid = res["invalid"]
    out = ["Sluice SQS event-source-mapping benchmark", f"command:  {cmdline}",
           f"date:     {started.isoformat(timespec='seconds')} ({time.monotonic() - t_start:.0f} s)"]
    out += cp.machine_lines(load_before)
    out += cp.binary_lines(binary, "serve with a fresh --data-dir, --max-environments 64")
    out += [
        f"function: {FUNCTION}, python3.12 (this machine's python {platform.python_version()}): appends one line per "
        f"batch to a file (handler-entry time, count, bodies); Timeout {FUNCTION_TIMEOUT} s; queues' "
        f"VisibilityTimeout {VISIBILITY_TIMEOUT} s",
        f"targets:  send → invoke p50 < {TARGET_P50_MS:g} ms; ≥ {TARGET_B10_PER_S:,.0f} msg/s with BatchSize 10; "
        f"≥ {TARGET_B1000_PER_S:,.0f} msg/s with BatchSize 1000",
        "",
        cp.render_target_table(rows),
        "",
        "Method:",
        "  latency    = time.time_ns() at the handler's entry − time.time_ns() just before SendMessage (BatchSize 1, "
        "a 20–60 ms pause before each message, after the function is warm).",
        "  messages/s = messages preloaded / (every message seen by the function and the queue empty − just before "
        "UpdateEventSourceMapping Enabled=True).",
    ]
    if res.get("foreign_lines"):
        out.append(f"NOTE: {res['foreign_lines']} lines of the function's output were not understood")
    if res.get("extra_stdout"):
        out.append(f"NOTE: sluice printed more than the one ready line on stdout: {res['extra_stdout'][:200]!r}")
    for line in invalid:
        out.append(f"INVALID: {line}")
    if invalid:
        out.append("The run is INVALID: messages were lost, or left in the queue.")
    print("\n".join(out), flush=True)
    slim = json.loads(json.dumps(res, default=str))
    if slim.get("latency"):
        slim["latency"]["samples_ms"] = [round(x, 3) for x in slim["latency"].get("samples_ms", [])]
    return cp.end_run(args, workdir, bool(invalid), cmdline, started, load_before,
                      ["measurement", "sluice", "target", "met"], rows, sluice=slim)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        cp.stop_everything()
