#!/usr/bin/env python3
"""Invoke benchmark: warm invokes/s, cold starts and Sluice's per-invoke overhead, beside the raw HTTP
round-trip ceiling of the same server in the same run (issue 4, items 9–10).

On one `sluice serve` (a fresh --data-dir) it creates two functions:

* `bench-python` (python3.12): the handler returns the event; it also times itself
  (perf_counter_ns from entry to return) and hands the totals out on a control event;
* `bench-provided` (provided.al2023): a `bootstrap` shell script that execs the machine's python3 on
  a minimal Runtime API loop (one keep-alive http.client connection, echoes the event bytes without
  parsing them); it times what it does between reading `next` and posting `/response`.

Then, with wrk (bench/lib/invoke.lua checks every response: status, no X-Amz-Function-Error, body equal
to the event):

1. warm invokes/s of each function, sequentially (-c1) and with N in flight (-c8 by default);
2. the ceiling: the same URL with `X-Amz-Invocation-Type: DryRun` (parsed, routed, the function looked
   up, the payload checked, nothing run: 204) at the same concurrencies;
3. cold starts: per round, UpdateFunctionConfiguration (a new environment variable) retires the
   environment; once its process is gone, the first invoke is timed (http.client, an open keep-alive
   connection) and must report a fresh process (its first call);
4. Sluice's overhead per warm invoke: sequential invoke latency − sequential DryRun latency − the time
   measured inside the handler (python) or inside the runtime loop (provided). Also Sluice's own CPU
   per invoke (from /proc) beside its CPU per DryRun request.

Exit status: 0 when everything was measured (whether or not the targets are met); 1 when the run itself
failed; 3 when a measurement was invalid (non-2xx/unexpected statuses, socket errors, function errors,
bodies other than the event, a cold start that reused an environment); 130/143 when interrupted. The
server (and with it every function process) is stopped with SIGTERM by PID on every path out.

Run it through the wrapper, bench/invoke (see --help). Shared machinery (servers, wrk, the machine
description) comes from control_plane.py.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import control_plane as cp
from control_plane import ACCOUNT, RunFailed

HERE = Path(__file__).resolve().parent
LUA_SCRIPT = HERE / "invoke.lua"
NAME = "invoke"
API = "/2015-03-31"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bench"
PY_FUNCTION = "bench-python"
PROVIDED_FUNCTION = "bench-provided"
# As Python's json.dumps writes it, so that the python handler's response is byte-for-byte the event.
EVENT = json.dumps({"bench": "invoke", "n": 1, "items": ["a", "b", "c"]}).encode()

# Targets (issue 4, item 10).
TARGET_SEQ_PER_S = 1_000.0
TARGET_INFLIGHT_PER_S = 3_000.0
TARGET_OVERHEAD_MS = 0.5
TARGET_PY_COLD_MS = 150.0


def log(msg: str) -> None:
    print(f"[{NAME}] {msg}", file=sys.stderr, flush=True)


cp.log = log  # the shared helpers log through this

# --------------------------------------------------------------------------
# The functions

PY_HANDLER = '''
import os
import time

_perf = time.perf_counter_ns
_handled = 0
_handler_ns = 0
_calls = 0


def handler(event, context):
    global _handled, _handler_ns, _calls
    t0 = _perf()
    _calls += 1
    if type(event) is dict and "__sluice_bench" in event:
        out = {"pid": os.getpid(), "calls": _calls, "handled": _handled, "inside_ns": _handler_ns}
        if event["__sluice_bench"] == "reset":
            _handled = _handler_ns = 0
        return out
    _handled += 1
    _handler_ns += _perf() - t0
    return event
'''

PROVIDED_RUNTIME = '''
import http.client
import json
import os
import time

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
api = http.client.HTTPConnection(host, int(port))
prefix = "/2018-06-01/runtime/invocation/"
perf = time.perf_counter_ns
handled = inside_ns = calls = 0
while True:
    api.request("GET", prefix + "next")
    response = api.getresponse()
    event = response.read()
    t0 = perf()
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    calls += 1
    if event.startswith(b'{"__sluice_bench"'):
        command = json.loads(event)["__sluice_bench"]
        out = json.dumps({"pid": os.getpid(), "calls": calls, "handled": handled, "inside_ns": inside_ns}).encode()
        if command == "reset":
            handled = inside_ns = 0
    else:
        out = event
        handled += 1
        inside_ns += perf() - t0
    api.request("POST", prefix + request_id + "/response", out)
    api.getresponse().read()
'''


def python_executable() -> str:
    """The real interpreter (not a version-manager shim) for the provided bootstrap to exec."""
    return os.path.realpath(sys.executable)


def provided_bootstrap() -> str:
    return f'#!/bin/sh\nexec {shlex.quote(python_executable())} -S -u "$LAMBDA_TASK_ROOT/runtime.py"\n'


# --------------------------------------------------------------------------
# HTTP

def headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    h = dict(cp.sigv4_headers())
    h["Content-Type"] = "application/json"
    h.update(extra or {})
    return h


def invoke_path(function: str) -> str:
    return f"{API}/functions/{function}/invocations"


class Client:
    """One keep-alive connection to Sluice."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.port = port
        self.timeout = timeout
        self.conn: HTTPConnection | None = None

    def call(self, method: str, path: str, body: bytes | None = None, extra: dict[str, str] | None = None):
        if self.conn is None:
            self.conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers(extra))
            resp = self.conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        except (OSError, HTTPException) as e:
            self.close()
            raise RunFailed(f"{method} http://127.0.0.1:{self.port}{path}: {e.__class__.__name__}: {e}") from e

    def json(self, method: str, path: str, payload: dict | None = None, ok=(200, 201)) -> dict:
        status, _, body = self.call(method, path, json.dumps(payload).encode() if payload is not None else None)
        if status not in ok:
            raise RunFailed(f"{method} {path} answered {status}: {body[:300]!r}")
        return json.loads(body) if body else {}

    def invoke(self, function: str, body: bytes) -> tuple[int, dict, bytes]:
        return self.call("POST", invoke_path(function), body)

    def control(self, function: str, command: str) -> dict:
        status, h, body = self.invoke(function, json.dumps({"__sluice_bench": command}).encode())
        if status != 200 or "x-amz-function-error" in h:
            raise RunFailed(f"{function}: control invoke answered {status} "
                            f"{h.get('x-amz-function-error', '')}: {body[:500]!r}")
        return json.loads(body)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_updated(client: Client, function: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        config = client.json("GET", f"{API}/functions/{function}/configuration")
        if config.get("State") == "Active" and config.get("LastUpdateStatus", "Successful") == "Successful":
            return config
        if config.get("State") == "Failed":
            raise RunFailed(f"{function} is Failed: {config.get('StateReason')}")
        if time.monotonic() > deadline:
            raise RunFailed(f"{function}: still {config.get('State')}/{config.get('LastUpdateStatus')} after {timeout:.0f} s")
        time.sleep(0.01)


def create_functions(client: Client) -> None:
    for name, runtime, handler, files in (
        (PY_FUNCTION, "python3.12", "handler.handler", {"handler.py": (PY_HANDLER, 0o644)}),
        (PROVIDED_FUNCTION, "provided.al2023", "echo",
         {"bootstrap": (provided_bootstrap(), 0o755), "runtime.py": (PROVIDED_RUNTIME, 0o644)}),
    ):
        client.json("POST", f"{API}/functions", {
            "FunctionName": name, "Runtime": runtime, "Role": ROLE, "Handler": handler, "Timeout": 30,
            "MemorySize": 128, "Code": {"ZipFile": base64.b64encode(cp.zip_bytes(files)).decode()},
        })
        wait_updated(client, name)


def verify_function(client: Client, function: str) -> None:
    """The exact request wrk sends, once, checked by content; then the DryRun."""
    status, h, body = client.invoke(function, EVENT)
    if status != 200 or "x-amz-function-error" in h or body != EVENT:
        raise RunFailed(f"{function}: invoke answered {status} {h.get('x-amz-function-error', '')}: {body[:500]!r}")
    status, h, body = client.call("POST", invoke_path(function), EVENT, {"X-Amz-Invocation-Type": "DryRun"})
    if status != 204:
        raise RunFailed(f"{function}: DryRun answered {status}: {body[:300]!r}")


# --------------------------------------------------------------------------
# Processes and CPU

def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (all its threads), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def children_cpu(pid: int) -> dict[int, float]:
    return {c: s for c in children(pid) if (s := cpu_seconds(c)) is not None}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


# --------------------------------------------------------------------------
# wrk

def run_wrk_invoke(wrk: str, port: int, function: str, *, dry_run: bool, duration: float, conns: int,
                   out_path: Path, server_pid: int) -> dict:
    extra = {"X-Amz-Invocation-Type": "DryRun"} if dry_run else {}
    url = f"http://127.0.0.1:{port}{invoke_path(function)}"
    cmd = cp.wrk_cmd(wrk, url, headers(extra), duration, 1, conns)
    cmd[1:1] = ["-s", str(LUA_SCRIPT), "--timeout", "60s"]
    cmd += ["--", EVENT.decode(), "204" if dry_run else "200", "-" if dry_run else EVENT.decode()]
    cpu0, kids0 = cpu_seconds(server_pid), children_cpu(server_pid)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    except subprocess.TimeoutExpired as e:
        raise RunFailed(f"wrk did not finish: {shlex.join(cmd)}") from e
    cpu1, kids1 = cpu_seconds(server_pid), children_cpu(server_pid)
    out_path.write_text(f"$ {shlex.join(cmd)}\n{p.stdout}\n{p.stderr}")
    if p.returncode != 0:
        raise RunFailed(f"wrk exited with {p.returncode}: {p.stderr.strip() or p.stdout.strip()}")
    r = cp.parse_wrk(p.stdout)
    r["connections"] = conns
    m = re.search(r"Invoke check: responses (\d+), unexpected status (\d+), function errors (\d+), "
                  r"unexpected bodies (\d+)", p.stdout)
    if not m:
        r["valid"] = False
        r["problems"].append("no check line from invoke.lua")
    else:
        r["checked"], bad_status, errors, bodies = map(int, m.groups())
        for n, what in ((bad_status, "responses with an unexpected status"), (errors, "function errors"),
                        (bodies, "bodies other than the event")):
            if n:
                r["valid"] = False
                r["problems"].append(f"{n} {what}")
    elapsed = (r.get("elapsed_ms") or 0) / 1000
    req = r.get("requests") or 0
    if cpu0 is not None and cpu1 is not None and req:
        r["server_cpu_us_per_request"] = (cpu1 - cpu0) / req * 1e6
        if elapsed:
            r["server_cores"] = (cpu1 - cpu0) / elapsed
    if req:
        # Environments alive at both ends; ones started during the run count from 0.
        env_cpu = sum(kids1[c] - kids0.get(c, 0.0) for c in kids1)
        r["env_cpu_us_per_request"] = env_cpu / req * 1e6
        r["environments"] = len(kids1)
    if not r["valid"]:
        log(f"{function}{' DryRun' if dry_run else ''} -c{conns} INVALID: {'; '.join(r['problems'])}")
    return r


def prewarm(port: int, function: str, n: int) -> None:
    """n invokes at once, twice, so that n environments exist before a -c n measurement."""
    def one(_):
        c = Client(port)
        try:
            for _ in range(2):
                status, h, body = c.invoke(function, EVENT)
                if status != 200 or "x-amz-function-error" in h:
                    raise RunFailed(f"{function}: pre-warm invoke answered {status}: {body[:300]!r}")
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        list(pool.map(one, range(n)))


# --------------------------------------------------------------------------
# Cold starts

def cold_starts(client: Client, function: str, rounds: int) -> dict:
    times, warm_after = [], []
    fresh = True
    last_pid = client.control(function, "peek")["pid"]
    for i in range(rounds):
        client.json("PUT", f"{API}/functions/{function}/configuration",
                    {"Environment": {"Variables": {"BENCH_ROUND": f"{i}-{time.monotonic_ns()}"}}})
        wait_updated(client, function)
        deadline = time.monotonic() + 10
        while alive(last_pid):  # the retired environment is gone: nothing else competes for the CPU
            if time.monotonic() > deadline:
                raise RunFailed(f"{function}: environment {last_pid} still alive 10 s after UpdateFunctionConfiguration")
            time.sleep(0.005)
        time.sleep(0.05)
        body = json.dumps({"__sluice_bench": "peek"}).encode()
        t0 = time.perf_counter_ns()
        status, h, data = client.invoke(function, body)
        t1 = time.perf_counter_ns()
        if status != 200 or "x-amz-function-error" in h:
            raise RunFailed(f"{function}: cold invoke answered {status}: {data[:300]!r}")
        got = json.loads(data)
        if got["calls"] != 1 or got["pid"] == last_pid:
            fresh = False
            log(f"{function}: cold-start round {i} reused an environment (pid {got['pid']}, call {got['calls']})")
        last_pid = got["pid"]
        times.append((t1 - t0) / 1e6)
        # The same request again, warm, for comparison.
        t0 = time.perf_counter_ns()
        client.invoke(function, body)
        warm_after.append((time.perf_counter_ns() - t0) / 1e6)
    return {"ms": times, "warm_after_ms": warm_after, "fresh": fresh}


def interpreter_start_ms(args: list[str], n: int = 5) -> float:
    xs = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        subprocess.run([python_executable(), *args, "-c", "pass"], check=True)
        xs.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(xs)


# --------------------------------------------------------------------------
# The run

def measure(binary: str, wrk: str, args, workdir: Path) -> dict:
    res: dict = {"points": {}, "stats": {}}
    data_dir = workdir / "data"
    data_dir.mkdir()
    log("start sluice serve with a fresh --data-dir")
    proc, port, ready_ms = cp.start_sluice(binary, ["--data-dir", str(data_dir), "--max-environments", "64"],
                                           workdir / "sluice.log", timeout=30)
    res["ready_ms"] = ready_ms
    extra: list[bytes] = []
    drainer = cp.drain_stdout(proc, extra)
    client = Client(port)

    def check_alive(when: str) -> None:
        if proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {proc.returncode} {when}\n{cp.tail(workdir / 'sluice.log')}")

    try:
        create_functions(client)
        for function in (PY_FUNCTION, PROVIDED_FUNCTION):
            verify_function(client, function)
        check_alive("after setup")

        for key, function in (("python", PY_FUNCTION), ("provided", PROVIDED_FUNCTION)):
            log(f"{function}: {args.cold_starts} cold starts")
            res[f"cold_{key}"] = cold_starts(client, function, args.cold_starts)
            check_alive("during the cold starts")

        for key, function, dry in (("python", PY_FUNCTION, False), ("provided", PROVIDED_FUNCTION, False),
                                   ("dryrun", PY_FUNCTION, True)):
            for conns in (1, args.connections):
                label = f"{key}-c{conns}"
                if conns > 1:
                    prewarm(port, function, conns)
                if args.warmup > 0:
                    log(f"{label}: warm-up {args.warmup:g} s")
                    run_wrk_invoke(wrk, port, function, dry_run=dry, duration=args.warmup, conns=conns,
                                   out_path=workdir / f"wrk-{label}-warmup.txt", server_pid=proc.pid)
                if conns == 1 and not dry:
                    client.control(function, "reset")
                log(f"{label}: {args.duration:g} s")
                r = run_wrk_invoke(wrk, port, function, dry_run=dry, duration=args.duration, conns=conns,
                                   out_path=workdir / f"wrk-{label}.txt", server_pid=proc.pid)
                if conns == 1 and not dry:
                    stats = client.control(function, "peek")
                    res["stats"][key] = stats
                    if stats["handled"]:
                        r["inside_ms"] = stats["inside_ns"] / stats["handled"] / 1e6
                    r["environment_pid"] = stats["pid"]
                res["points"][label] = r
                check_alive(f"under load ({label})")
        res["interpreter_ms"] = interpreter_start_ms([])
        res["interpreter_S_ms"] = interpreter_start_ms(["-S"])
    finally:
        client.close()
        cp.stop(proc, "sluice")
        drainer.join(2)
    if extra:
        res["extra_stdout"] = b"".join(extra)[:500].decode("utf-8", "replace")
    return res


# --------------------------------------------------------------------------
# Report

def fmt(x: float | None, digits: int = 1) -> str:
    return cp.fmt_num(x, digits)


def build_rows(res: dict, args) -> tuple[list[list[str]], bool, dict]:
    rows: list[list[str]] = []
    invalid = False
    pts = res["points"]
    n = args.connections
    derived: dict = {}

    def point(label):
        r = pts.get(label)
        return r if r is not None and r["valid"] else None

    for key, title in (("python", "warm python invokes/s"), ("provided", "warm provided invokes/s"),
                       ("dryrun", "raw HTTP ceiling: DryRun invokes/s")):
        for conns in (1, n):
            label = f"{key}-c{conns}"
            r = pts.get(label)
            invalid |= r is not None and not r["valid"]
            ok = point(label)
            rps = ok["rps"] if ok else None
            if key == "python":
                target = TARGET_SEQ_PER_S if conns == 1 else TARGET_INFLIGHT_PER_S
                tcell, mcell = f"≥ {target:,.0f}/s", ("INVALID" if r and not ok else cp.met(rps, target, True))
            else:
                tcell, mcell = "—", ("INVALID" if r and not ok else "—")
            how = "sequential (-c1)" if conns == 1 else f"{conns} in flight (-c{conns})"
            rows.append([f"{title}, {how}", "INVALID" if r and not ok else fmt(rps), tcell, mcell])
            if ok:
                rows.append(["  latency mean / p50 / p99 (ms)",
                             f"{fmt(ok.get('latency_avg_ms'), 3)} / {fmt(ok.get('latency_p50_ms'), 3)} / "
                             f"{fmt(ok.get('latency_p99_ms'), 3)}", "—", "—"])
                cpu = ok.get("server_cpu_us_per_request")
                env = ok.get("env_cpu_us_per_request")
                rows.append(["  Sluice CPU / environments' CPU per request (µs)",
                             f"{fmt(cpu)} / {fmt(env) if key != 'dryrun' else '—'}", "—", "—"])
    dry = point("dryrun-c1")
    for key in ("python", "provided"):
        ok = point(f"{key}-c1")
        inside = ok.get("inside_ms") if ok else None
        overhead = None
        if dry and ok and inside is not None and ok.get("latency_p50_ms") is not None \
                and dry.get("latency_p50_ms") is not None:
            overhead = ok["latency_p50_ms"] - dry["latency_p50_ms"] - inside
            derived[f"{key}_overhead_p50_ms"] = overhead
            derived[f"{key}_overhead_mean_ms"] = ok["latency_avg_ms"] - dry["latency_avg_ms"] - inside
        rows.append([f"Sluice overhead per warm invoke, {key} (ms, from p50s)",
                     "—" if overhead is None else f"{overhead:.3f}", f"< {TARGET_OVERHEAD_MS:g} ms",
                     cp.met(overhead, TARGET_OVERHEAD_MS, False)])
        if overhead is not None:
            rows.append(["  invoke p50 − DryRun p50 − inside (ms); the same from means",
                         f"{ok['latency_p50_ms']:.3f} − {dry['latency_p50_ms']:.3f} − {inside:.4f}; "
                         f"{derived[f'{key}_overhead_mean_ms']:.3f}", "—", "—"])
    py = point("python-c1")
    if py and dry and py.get("server_cpu_us_per_request") is not None and dry.get("server_cpu_us_per_request") is not None:
        extra_cpu = py["server_cpu_us_per_request"] - dry["server_cpu_us_per_request"]
        derived["python_extra_cpu_us"] = extra_cpu
        rows.append(["  Sluice CPU per warm python invoke beyond a DryRun (µs)", fmt(extra_cpu), "—", "—"])
    for key, title, target in (("python", "python", TARGET_PY_COLD_MS), ("provided", "provided", None)):
        c = res.get(f"cold_{key}")
        if not c:
            continue
        invalid |= not c["fresh"]
        value = statistics.median(c["ms"])
        rows.append([f"cold start, {title} (median of {len(c['ms'])}, ms)",
                     fmt(value) + ("" if c["fresh"] else " (NOT FRESH)"),
                     f"< {target:g} ms" if target else "—",
                     ("INVALID" if not c["fresh"] else cp.met(value, target, False)) if target else "—"])
        rows.append(["  min / max (ms); the same call warm right after (median, ms)",
                     f"{fmt(min(c['ms']))} / {fmt(max(c['ms']))}; {fmt(statistics.median(c['warm_after_ms']), 2)}",
                     "—", "—"])
    return rows, invalid, derived


# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=os.environ.get("INVOKE_ARGV0", "bench/invoke"),
        description="Warm invokes/s (sequential and N in flight) of a python and a provided function, cold starts, "
                    "and Sluice's per-invoke overhead, beside the DryRun ceiling of the same server, against the "
                    "targets.",
        epilog="Environment: SLUICE_BIN (default <repo>/.build/release/sluice), PYTHON (for the wrapper). "
               "Exit: 0 measured (targets may be missed), 1 run failed, 3 a measurement was invalid (unexpected "
               "statuses, socket errors, function errors, bodies other than the event, a cold start that was not).")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per wrk measurement (default 5)")
    p.add_argument("--smoke", action="store_true", help="CI smoke: 1 s per measurement, no warm-up, 3 cold starts")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds of wrk warm-up before each measurement, not counted (default 1; 0 with --smoke)")
    p.add_argument("--connections", type=int, default=8, help="invokes in flight for the concurrent points (default 8)")
    p.add_argument("--cold-starts", type=int, default=None, help="cold starts per function (default 10; 3 with --smoke)")
    cp.add_common_arguments(p, keep_help="keep the work dir (server log, data dir, raw wrk output)")
    a = p.parse_args(argv)
    cp.settle_durations(a)
    if a.cold_starts is None:
        a.cold_starts = 3 if a.smoke else 10
    if a.duration <= 0 or a.warmup < 0 or a.connections < 2 or a.cold_starts < 1:
        p.error("--duration > 0, --warmup >= 0, --connections >= 2, --cold-starts >= 1")
    if a.no_sluice:
        p.error("--no-sluice leaves nothing to measure (this benchmark has no moto half; --no-moto is accepted and "
                "changes nothing)")
    return a


def main(argv) -> int:
    args = parse_args(argv)
    started, cmdline, load_before = cp.begin_run(argv, "INVOKE_ARGV0", "bench/invoke")
    t_start = time.monotonic()

    def setup():
        binary, wrk = cp.resolve_binary(args), cp.ensure_wrk()
        if not LUA_SCRIPT.is_file():
            raise RunFailed(f"missing {LUA_SCRIPT}")
        return binary, wrk

    status, prepared, workdir, res = cp.run_measurement(
        setup, lambda prepared, workdir: measure(*prepared, args, workdir), "sluice-bench-invoke-", "sluice stopped")
    if status is not None:
        return status
    binary, _ = prepared

    rows, invalid, derived = build_rows(res, args)
    n = args.connections
    out = ["Sluice invoke benchmark", f"command:  {cmdline}",
           f"date:     {started.isoformat(timespec='seconds')} ({time.monotonic() - t_start:.0f} s)"]
    out += cp.machine_lines(load_before)
    out += cp.binary_lines(binary, "serve with a fresh --data-dir, --max-environments 64")
    out += [
        f"python:   {python_executable()} {platform.python_version()} (functions: python3.12 runtime = this machine's "
        f"python3; the provided bootstrap execs it with -S)",
        f"wrk:      {cp.tool_version(['wrk', '-v']).split(' Copyright')[0]}; -t1 -c1 and -t1 -c{n}, "
        f"-d{args.duration:g}s --latency, warm-up {args.warmup:g} s; POST {invoke_path('<function>')} with a "
        f"{len(EVENT)}-byte event, every response checked (status, no X-Amz-Function-Error, body = the event); "
        f"{n} invokes in flight before each -c{n} point so that {n} environments are warm",
        f"targets:  warm python ≥ {TARGET_SEQ_PER_S:,.0f}/s sequential and ≥ {TARGET_INFLIGHT_PER_S:,.0f}/s with 8 in "
        f"flight; Sluice's overhead < {TARGET_OVERHEAD_MS:g} ms per warm invoke beyond the handler; python cold start "
        f"< {TARGET_PY_COLD_MS:g} ms",
        "",
        cp.render_target_table(rows),
        "",
        "Method:",
        "  ceiling  = the same URL with X-Amz-Invocation-Type: DryRun (HTTP parse, SigV4 scope, routing, function "
        "lookup, payload JSON check; nothing runs; 204), same server, same run, same wrk settings.",
        "  overhead = sequential invoke latency − sequential DryRun latency (wrk's p50s: a busy machine's stalls "
        "inflate the means, shown too) − the mean time measured inside the handler (python: perf_counter_ns from the handler's entry to its return; provided: from reading the `next` "
        "response to posting `/response`), averaged over the measured invokes. What remains is everything an invoke "
        "adds to a plain request: the hand-off to the environment, both Runtime API round trips (Sluice's listener "
        "and the runtime's HTTP client), and for python the shipped bootstrap's JSON decode/encode and context. It "
        "is an upper bound on Sluice's own share.",
        "  cold start = the first invoke after UpdateFunctionConfiguration retired the environment (and its process "
        "exited), timed on an open keep-alive connection: spawn + interpreter start + bootstrap + handler import + "
        f"the invoke. For reference, this python starts in {fmt(res.get('interpreter_ms'))} ms "
        f"({fmt(res.get('interpreter_S_ms'))} ms with -S), median of 5.",
        "  CPU per request = utime+stime of the sluice process (and of its children, the environments) over the run, "
        "from /proc, divided by the requests wrk completed.",
    ]
    for key in ("python", "provided"):
        s = res["stats"].get(key)
        if s:
            out.append(f"{key}: the sequential run was served by environment pid {s['pid']} ({s['handled']:,} "
                       f"invokes timed inside, {s['inside_ns'] / max(s['handled'], 1) / 1000:.1f} µs each)")
    for label, r in res["points"].items():
        if not r["valid"]:
            out.append(f"INVALID: {label}: {'; '.join(r['problems'])} (raw: {workdir}/wrk-{label}.txt)")
    for key in ("python", "provided"):
        c = res.get(f"cold_{key}")
        if c and not c["fresh"]:
            out.append(f"INVALID: {key} cold starts: an invoke after UpdateFunctionConfiguration reused an environment")
    if res.get("extra_stdout"):
        out.append(f"NOTE: sluice printed more than the one ready line on stdout: {res['extra_stdout'][:200]!r}")
    if invalid:
        out.append("The run is INVALID: a measurement saw unexpected statuses, socket errors, function errors, other "
                   "bodies, or a cold start that was not.")
    print("\n".join(out), flush=True)

    return cp.end_run(args, workdir, invalid, cmdline, started, load_before,
                      ["measurement", "sluice", "target", "met"], rows, sluice=res, derived=derived)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        cp.stop_all()
