#!/usr/bin/env python3
"""Control-plane benchmark: Sluice against moto's server, in the same run.

Measures, with wrk, requests/s of GetEventSourceMapping and
ListEventSourceMappings on `sluice serve --in-memory` and on `moto_server`,
and prints the ratio; measures the time from exec to Sluice's ready line
(median of N starts, in-memory and with a fresh --data-dir) and Sluice's idle
resident set size. Prints a table with the targets beside the figures.

Exit status: 0 when everything was measured (whether or not the targets are
met); 1 when the run itself failed (missing tool or binary, a server that did
not start or crashed, a setup call that failed); 3 when a wrk measurement was
invalid (non-2xx responses or socket errors); 130/143 when interrupted.
Every server that this script starts is stopped with SIGTERM by PID, on every
path out.

Run it through the wrapper, bench/control-plane (see --help).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import re
import select
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from http.client import HTTPConnection, HTTPException
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "release" / "sluice"
READY_RE = re.compile(r"^Sluice ready at http://127\.0\.0\.1:(\d+)$")

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROLE_NAME = "r"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
FUNCTION = "f"
QUEUE = "q"  # the mapping that Get measures uses this queue
N_MAPPINGS = 20
LIST_MAX_ITEMS = 50
API = "/2015-03-31"

# Targets from the issue.
TARGET_GET_RATIO = 50.0
TARGET_STARTUP_MS = 100.0
TARGET_IDLE_RSS_MIB = 30.0

EXIT_FAILED = 1
EXIT_INVALID = 3


class RunFailed(Exception):
    """The run itself failed: nothing trustworthy to report."""


class Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def log(msg: str) -> None:
    print(f"[control-plane] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Child processes: every server goes through here, and is always stopped.

CHILDREN: list[subprocess.Popen] = []


def stop(proc: subprocess.Popen, name: str, timeout: float = 10.0) -> None:
    """SIGTERM by PID, wait; SIGKILL only if it does not go."""
    try:
        if proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{name} (pid {proc.pid}) ignored SIGTERM for {timeout:.0f} s; sending SIGKILL")
                try:
                    os.kill(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
    finally:
        if proc in CHILDREN:
            CHILDREN.remove(proc)
        for f in (proc.stdout, getattr(proc, "bench_log", None)):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass


def stop_all() -> None:
    for proc in list(CHILDREN):
        stop(proc, getattr(proc, "bench_name", "child"))


# Client processes (multiprocessing) a benchmark starts; stopped by PID like the servers.
WORKERS: list = []


def stop_workers() -> None:
    for p in list(WORKERS):
        try:
            if p.is_alive():
                p.terminate()  # SIGTERM to p.pid
                p.join(5)
                if p.is_alive():
                    log(f"client process {p.pid} ignored SIGTERM; sending SIGKILL")
                    p.kill()
                    p.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        if p in WORKERS:
            WORKERS.remove(p)


def stop_everything() -> None:
    stop_workers()
    stop_all()


def met(value: float | None, target: float, higher_is_better: bool) -> str:
    """'yes' / 'no' for a figure against its target; 'n/a' when it was not measured."""
    if value is None:
        return "n/a"
    return "yes" if (value >= target if higher_is_better else value < target) else "no"


def _on_signal(signum, _frame):
    raise Interrupted(signum)


def tail(path: Path, n: int = 20) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()[-n:]
    except OSError:
        return "(no log)"
    return "\n".join("    " + l for l in lines) or "    (empty)"


# --------------------------------------------------------------------------
# Machine and environment

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, val = line.partition(":")
            if key.strip() in ("model name", "Hardware", "cpu model", "Model"):
                return val.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError as e:
        raise RunFailed(f"cannot read /proc/{pid}/status (server gone?): {e}") from e
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RunFailed(f"no VmRSS in /proc/{pid}/status")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RunFailed("wrk not found; install it (Debian: apt-get install -y wrk)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("wrk not found; apt-get install -y wrk")
    cmd = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(cmd, env=env, stdout=sys.stderr, stderr=sys.stderr).returncode != 0:
        log("install failed; apt-get update, then again")
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=sys.stderr, stderr=sys.stderr)
        subprocess.run(cmd, env=env, stdout=sys.stderr, stderr=sys.stderr)
    path = shutil.which("wrk")
    if not path:
        raise RunFailed("apt-get install -y wrk did not install wrk")
    return path


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[0] if text else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# --------------------------------------------------------------------------
# HTTP

def sigv4_headers() -> dict[str, str]:
    """A SigV4-shaped Authorization naming the lambda service (moto routes on
    it; Sluice accepts any signature unless --credentials is given)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    day = now.strftime("%Y%m%d")
    return {
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential=test/{day}/{REGION}/lambda/aws4_request, "
            f"SignedHeaders=host;x-amz-date, Signature={'0' * 64}"
        ),
        "X-Amz-Date": now.strftime("%Y%m%dT%H%M%SZ"),
    }


def http_get(port: int, path: str, headers: dict[str, str], timeout: float = 10.0) -> tuple[int, bytes]:
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, HTTPException) as e:
        raise RunFailed(f"GET http://127.0.0.1:{port}{path}: {e.__class__.__name__}: {e}") from e
    finally:
        conn.close()


def get_path(uuid: str) -> str:
    return f"{API}/event-source-mappings/{urllib.parse.quote(uuid)}"


def list_path() -> str:
    return f"{API}/event-source-mappings?MaxItems={LIST_MAX_ITEMS}"


def verify_endpoints(name: str, port: int, uuid: str, n_expected: int, headers: dict[str, str]) -> None:
    """One request of each kind, checked by content, before wrk hammers them."""
    status, body = http_get(port, get_path(uuid), headers)
    if status != 200:
        raise RunFailed(f"{name}: GetEventSourceMapping answered {status}: {body[:300]!r}")
    try:
        got = json.loads(body).get("UUID")
    except ValueError:
        got = None
    if got != uuid:
        raise RunFailed(f"{name}: GetEventSourceMapping body has UUID {got!r}, expected {uuid}: {body[:300]!r}")
    status, body = http_get(port, list_path(), headers)
    if status != 200:
        raise RunFailed(f"{name}: ListEventSourceMappings answered {status}: {body[:300]!r}")
    try:
        items = json.loads(body).get("EventSourceMappings")
    except ValueError:
        items = None
    if not isinstance(items, list) or len(items) != n_expected:
        n = len(items) if isinstance(items, list) else None
        raise RunFailed(f"{name}: ListEventSourceMappings returned {n} mappings, expected {n_expected}")


# --------------------------------------------------------------------------
# Setup with boto3 (the same calls on both servers)

def function_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("h.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


def zip_bytes(files: dict[str, tuple[str, int]]) -> bytes:
    """A function's code: a deflated zip of {name: (content, mode)}, with fixed dates (the same bytes every run)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, (content, mode) in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    return buf.getvalue()


def queue_names() -> list[str]:
    # Distinct queues: (function, event source) is a mapping's unique key.
    return [QUEUE] + [f"{QUEUE}-{i}" for i in range(1, N_MAPPINGS)]


def boto_client(service: str, port: int):
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=60),
    )


def setup_mappings(name: str, port: int, is_moto: bool) -> tuple[str, list[str]]:
    """CreateFunction, then N_MAPPINGS mappings of SQS queues. Returns the UUID
    of the mapping of queue QUEUE and all UUIDs."""
    from botocore.exceptions import BotoCoreError, ClientError

    names = queue_names()
    try:
        if is_moto:
            # moto checks that the role exists and can be assumed by Lambda,
            # and that the SQS queue exists.
            iam = boto_client("iam", port)
            iam.create_role(
                RoleName=ROLE_NAME,
                AssumeRolePolicyDocument=json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                   "Action": "sts:AssumeRole"}],
                }),
            )
        sqs = boto_client("sqs", port)
        for q in names:
            try:
                sqs.create_queue(QueueName=q)
            except (ClientError, BotoCoreError) as e:
                if is_moto:
                    raise
                # Sluice's embedded SQS may not exist (yet); its mappings do
                # not need the queue by contract.
                log(f"{name}: CreateQueue {q} failed ({e.__class__.__name__}: {e}); going on without queues")
                break
        lam = boto_client("lambda", port)
        lam.create_function(
            FunctionName=FUNCTION,
            Runtime="python3.12",
            Role=ROLE_ARN,
            Handler="h.handler",
            Code={"ZipFile": function_zip()},
        )
        uuids = []
        for q in names:
            r = lam.create_event_source_mapping(
                FunctionName=FUNCTION,
                EventSourceArn=f"arn:aws:sqs:{REGION}:{ACCOUNT}:{q}",
            )
            uuids.append(r["UUID"])
    except (ClientError, BotoCoreError) as e:
        raise RunFailed(f"{name}: setup failed: {e.__class__.__name__}: {e}") from e
    return uuids[0], uuids


# --------------------------------------------------------------------------
# Servers

def read_first_line(proc: subprocess.Popen, timeout: float) -> tuple[str, bytes]:
    """The first stdout line, and whatever came after it in the same read."""
    fd = proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RunFailed(f"no ready line within {timeout:.0f} s (stdout so far: {buf[:200]!r})")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            try:
                code = proc.wait(5)
            except subprocess.TimeoutExpired:
                raise RunFailed(f"closed its stdout before the ready line (stdout: {buf[:200]!r})") from None
            raise RunFailed(f"exited with status {code} before the ready line (stdout: {buf[:200]!r})")
        buf += chunk
    line, rest = buf.split(b"\n", 1)
    return line.decode("utf-8", errors="replace").rstrip("\r"), rest


# `sluice serve` also reads these; the flags given here must be the only say.
SLUICE_ENV = {k: v for k, v in os.environ.items() if k not in ("SLUICE_HOST", "SLUICE_PORT", "SLUICE_DATA_DIR")}


def start_sluice(binary: str, mode_args: list[str], log_path: Path, timeout: float) -> tuple[subprocess.Popen, int, float]:
    """Start `sluice serve`; return the process, its port and the ms from
    just before exec (Popen) to the ready line. proc.bench_rest holds stdout
    read past the ready line."""
    cmd = [binary, "serve", "--host", "127.0.0.1", "--port", "0", *mode_args]
    log_file = open(log_path, "ab")
    t0 = time.perf_counter_ns()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=log_file, bufsize=0, close_fds=True, env=SLUICE_ENV)
    except OSError as e:
        log_file.close()
        raise RunFailed(f"cannot exec {shlex.join(cmd)}: {e}") from e
    CHILDREN.append(proc)
    proc.bench_name = "sluice"
    proc.bench_log = log_file
    try:
        line, proc.bench_rest = read_first_line(proc, timeout)
        t1 = time.perf_counter_ns()
        m = READY_RE.match(line)
        if not m:
            raise RunFailed(f"first stdout line is {line!r}, expected 'Sluice ready at http://127.0.0.1:PORT'")
    except RunFailed as e:
        stop(proc, "sluice")
        raise RunFailed(f"sluice ({shlex.join(cmd)}): {e}\n  stderr tail ({log_path}):\n{tail(log_path)}") from None
    return proc, int(m.group(1)), (t1 - t0) / 1e6


def drain_stdout(proc: subprocess.Popen, extra: list[bytes]) -> threading.Thread:
    """Keep reading a long-running server's stdout so it never blocks; keep
    what it printed after the ready line (the contract says: one line)."""
    def run():
        try:
            while True:
                chunk = proc.stdout.read(4096)
                if not chunk:
                    return
                if sum(map(len, extra)) < 4096:
                    extra.append(chunk)
        except (OSError, ValueError):
            return
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def measure_startups(binary: str, starts: int, data_dir: bool, workdir: Path, headers: dict[str, str]) -> list[float]:
    times = []
    for i in range(starts):
        if data_dir:
            d = Path(tempfile.mkdtemp(prefix=f"data-{i}-", dir=workdir))
            args = ["--data-dir", str(d)]
        else:
            args = ["--in-memory"]
        proc, port, ms = start_sluice(binary, args, workdir / "sluice-startup.log", timeout=30)
        try:
            # Not timed: the server must answer once the ready line is out.
            status, body = http_get(port, list_path(), headers)
            if status != 200:
                raise RunFailed(f"sluice {shlex.join(args)}: ListEventSourceMappings right after ready answered {status}: {body[:200]!r}")
        finally:
            stop(proc, "sluice")
        code = proc.returncode
        if code not in (0, -signal.SIGTERM, 128 + signal.SIGTERM):
            log(f"sluice {' '.join(args)} exited with status {code} on SIGTERM")
        times.append(ms)
    return times


def start_moto(workdir: Path, timeout: float = 60.0) -> tuple[subprocess.Popen, int, float]:
    """moto's server, with account 000000000000 (Sluice's) so that the role
    and queue ARNs are the same on both. Returns process, port, and ms from
    exec to the port accepting connections."""
    port = free_port()
    cmd = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    env = dict(os.environ, MOTO_ACCOUNT_ID=ACCOUNT)
    log_path = workdir / "moto.log"
    log_file = open(log_path, "ab")
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, env=env, close_fds=True)
    CHILDREN.append(proc)
    proc.bench_name = "moto_server"
    proc.bench_log = log_file
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            code = proc.returncode
            stop(proc, "moto_server")
            raise RunFailed(f"moto_server exited with status {code}\n  log tail ({log_path}):\n{tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            break
        except OSError:
            if time.monotonic() > deadline:
                stop(proc, "moto_server")
                raise RunFailed(f"moto_server did not listen on {port} within {timeout:.0f} s\n{tail(log_path)}")
            time.sleep(0.005)
    t1 = time.perf_counter_ns()
    return proc, port, (t1 - t0) / 1e6


# --------------------------------------------------------------------------
# wrk

_UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def to_ms(text: str) -> float | None:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * _UNIT_MS[m.group(2)] if m else None


def wrk_cmd(wrk: str, url: str, headers: dict[str, str], duration: float, threads: int, conns: int) -> list[str]:
    cmd = [wrk, f"-t{threads}", f"-c{conns}", f"-d{duration:g}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    return cmd + [url]


def parse_wrk(out: str) -> dict:
    r: dict = {"valid": True, "problems": []}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", out, re.M)
    r["requests"] = int(m.group(1)) if m else None
    r["elapsed_ms"] = to_ms(m.group(2)) if m else None
    m = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)
    if m:
        r["latency_avg_ms"], r["latency_stdev_ms"], r["latency_max_ms"] = (to_ms(x) for x in m.groups())
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s*{pct}%\s+(\S+)", out, re.M)
        r[f"latency_p{pct}_ms"] = to_ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    r["non_2xx_3xx"] = int(m.group(1)) if m else 0
    if m:
        r["valid"] = False
        r["problems"].append(f"{m.group(1)} non-2xx/3xx responses")
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()))) if m else None
    if m and any(int(x) for x in m.groups()):
        r["valid"] = False
        r["problems"].append("socket errors: " + m.group(0).split(": ", 1)[1])
    if not r["rps"] or not r["requests"]:
        r["valid"] = False
        r["problems"].append("no requests completed (or wrk output not understood)")
    return r


def run_wrk(wrk: str, url: str, headers: dict[str, str], duration: float, threads: int, conns: int,
            out_path: Path) -> dict:
    cmd = wrk_cmd(wrk, url, headers, duration, threads, conns)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    except subprocess.TimeoutExpired as e:
        raise RunFailed(f"wrk did not finish: {shlex.join(cmd)}") from e
    out_path.write_text(f"$ {shlex.join(cmd)}\n{p.stdout}\n{p.stderr}")
    if p.returncode != 0:
        raise RunFailed(f"wrk exited with {p.returncode}: {p.stderr.strip() or p.stdout.strip()}")
    r = parse_wrk(p.stdout)
    r["url"] = url
    return r


# --------------------------------------------------------------------------
# One server's half of the run

def throughput(name: str, wrk: str, port: int, uuid: str, headers: dict[str, str], args, workdir: Path,
               pid: int, res: dict) -> None:
    for op, path in (("get", get_path(uuid)), ("list", list_path())):
        url = f"http://127.0.0.1:{port}{path}"
        if args.warmup > 0:
            log(f"{name}: warm-up {op} {args.warmup:g} s")
            run_wrk(wrk, url, headers, args.warmup, args.threads, args.connections,
                    workdir / f"wrk-{name}-{op}-warmup.txt")
        log(f"{name}: wrk {op} {args.duration:g} s")
        r = run_wrk(wrk, url, headers, args.duration, args.threads, args.connections,
                    workdir / f"wrk-{name}-{op}.txt")
        if not r["valid"]:
            log(f"{name}: {op} run INVALID: {'; '.join(r['problems'])}")
        res[op] = r
        if Path(f"/proc/{pid}").exists():
            res[f"rss_after_{op}_kib"] = rss_kib(pid)
    res["rss_after_load_kib"] = res.get("rss_after_list_kib")


def sluice_half(binary: str, wrk: str, headers: dict[str, str], args, workdir: Path) -> dict:
    res: dict = {"binary": binary}
    log(f"sluice: {args.starts} starts --in-memory")
    res["startup_in_memory_ms"] = measure_startups(binary, args.starts, False, workdir, headers)
    log(f"sluice: {args.starts} starts --data-dir (fresh temp dir each)")
    res["startup_data_dir_ms"] = measure_startups(binary, args.starts, True, workdir, headers)

    log("sluice: start --in-memory for idle RSS and throughput")
    proc, port, _ = start_sluice(binary, ["--in-memory"], workdir / "sluice.log", timeout=30)
    extra: list[bytes] = [proc.bench_rest] if proc.bench_rest else []
    drainer = drain_stdout(proc, extra)
    try:
        uuid, uuids = setup_mappings("sluice", port, is_moto=False)
        time.sleep(args.idle_wait)
        if proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {proc.returncode} after setup\n{tail(workdir / 'sluice.log')}")
        res["rss_idle_kib"] = rss_kib(proc.pid)
        verify_endpoints("sluice", port, uuid, len(uuids), headers)
        throughput("sluice", wrk, port, uuid, headers, args, workdir, proc.pid, res)
        if proc.poll() is not None:
            raise RunFailed(f"sluice exited with status {proc.returncode} under load\n{tail(workdir / 'sluice.log')}")
    finally:
        stop(proc, "sluice")
        drainer.join(2)
    if extra:
        res["extra_stdout"] = b"".join(extra)[:500].decode("utf-8", "replace")
        log(f"sluice printed more than the ready line on stdout: {res['extra_stdout']!r}")
    return res


def moto_half(wrk: str, headers: dict[str, str], args, workdir: Path) -> dict:
    import moto

    res: dict = {"version": moto.__version__}
    log("moto: start moto_server")
    proc, port, ms = start_moto(workdir)
    res["startup_port_open_ms"] = [ms]
    try:
        uuid, uuids = setup_mappings("moto", port, is_moto=True)
        time.sleep(args.idle_wait)
        if proc.poll() is not None:
            raise RunFailed(f"moto_server exited with status {proc.returncode}\n{tail(workdir / 'moto.log')}")
        res["rss_idle_kib"] = rss_kib(proc.pid)
        verify_endpoints("moto", port, uuid, len(uuids), headers)
        throughput("moto", wrk, port, uuid, headers, args, workdir, proc.pid, res)
    finally:
        stop(proc, "moto_server")
    return res


# --------------------------------------------------------------------------
# Report

def fmt_num(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "—"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    if r >= 10:
        return f"{r:,.1f}×"
    return f"{r:.3g}×"


def median(xs):
    return statistics.median(xs) if xs else None


def build_rows(s: dict | None, m: dict | None, starts: int) -> tuple[list[list[str]], bool]:
    rows = []
    any_invalid = False

    def wrk_res(h, op):
        return (h or {}).get(op)

    for op, label in (("get", "GetEventSourceMapping"), ("list", f"ListEventSourceMappings ({N_MAPPINGS} items)")):
        sr, mr = wrk_res(s, op), wrk_res(m, op)
        s_ok = sr is not None and sr["valid"]
        m_ok = mr is not None and mr["valid"]
        any_invalid |= (sr is not None and not sr["valid"]) or (mr is not None and not mr["valid"])

        def cell(r, key, digits=1):
            if r is None:
                return "—"
            if not r["valid"]:
                return "INVALID"
            return fmt_num(r.get(key), digits)

        rr = ratio(sr["rps"], mr["rps"]) if s_ok and m_ok else None
        if op == "get":
            target = f"≥ {TARGET_GET_RATIO:g}× moto"
            if sr is not None and not s_ok or mr is not None and not m_ok:
                met = "INVALID"
            elif rr is None:
                met = "n/a"
            else:
                met = "yes" if rr >= TARGET_GET_RATIO else "no"
        else:
            target, met = "—", "—"
        rows.append([f"{label} req/s", cell(sr, "rps"), cell(mr, "rps"),
                     fmt_ratio(rr), target, met])
        for key, name in (("latency_p50_ms", "p50"), ("latency_p99_ms", "p99")):
            a = sr.get(key) if s_ok else None
            b = mr.get(key) if m_ok else None
            rq = ratio(a, b)
            rows.append([f"  {name} latency (ms)", cell(sr, key, 2), cell(mr, key, 2),
                         fmt_ratio(rq), "—", "—"])

    ms_mem = median((s or {}).get("startup_in_memory_ms"))
    ms_dir = median((s or {}).get("startup_data_dir_ms"))
    moto_ms = median((m or {}).get("startup_port_open_ms"))
    n = starts
    for label, val, moto_val in ((f"startup to ready, --in-memory (median of {n}, ms)", ms_mem, moto_ms),
                                 (f"startup to ready, fresh --data-dir (median of {n}, ms)", ms_dir, None)):
        rq = ratio(val, moto_val)
        rows.append([label, fmt_num(val, 1), fmt_num(moto_val, 0) + ("*" if moto_val is not None else ""),
                     fmt_ratio(rq), f"< {TARGET_STARTUP_MS:g} ms",
                     "n/a" if val is None else ("yes" if val < TARGET_STARTUP_MS else "no")])

    def mib(h, key):
        v = (h or {}).get(key)
        return v / 1024 if v is not None else None

    s_rss, m_rss = mib(s, "rss_idle_kib"), mib(m, "rss_idle_kib")
    rq = ratio(s_rss, m_rss)
    rows.append([f"idle RSS, {N_MAPPINGS} mappings (MiB)", fmt_num(s_rss), fmt_num(m_rss),
                 fmt_ratio(rq), f"< {TARGET_IDLE_RSS_MIB:g} MiB",
                 "n/a" if s_rss is None else ("yes" if s_rss < TARGET_IDLE_RSS_MIB else "no")])
    s_rss, m_rss = mib(s, "rss_after_load_kib"), mib(m, "rss_after_load_kib")
    rq = ratio(s_rss, m_rss)
    rows.append(["RSS after the wrk runs (MiB)", fmt_num(s_rss), fmt_num(m_rss),
                 fmt_ratio(rq), "—", "—"])
    return rows, any_invalid


def render_target_table(rows: list[list[str]]) -> str:
    """The table of a benchmark that measures Sluice alone: measurement, Sluice (right-aligned), target, met."""
    head = ["measurement", "Sluice", "target", "met"]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]

    def line(r):
        return "| " + " | ".join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                                  r[3].ljust(widths[3])]) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), sep] + [line(r) for r in rows])


def render_table(rows: list[list[str]]) -> str:
    head = ["measurement", "Sluice", "moto", "ratio", "target", "met"]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]

    def line(r):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:4], widths[1:4])] \
            + [c.ljust(w) for c, w in zip(r[4:], widths[4:])]
        return "| " + " | ".join(cells) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), sep] + [line(r) for r in rows])


def git_rev() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        rev = out.stdout.strip()
        if not rev:
            return "no commit"
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev + (" (dirty)" if dirty else "")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# --------------------------------------------------------------------------

def add_common_arguments(p, *, keep_help):
    """The flags every bench script shares: --build, --no-moto, --no-sluice, --json, --keep."""
    p.add_argument("--build", action="store_true",
                   help="if the sluice binary is missing, build it: swift build -c release --product sluice")
    p.add_argument("--no-moto", action="store_true", help="measure Sluice only (no ratios)")
    p.add_argument("--no-sluice", action="store_true", help="measure moto only (to check the harness)")
    p.add_argument("--json", metavar="FILE", help="also write all figures as JSON to FILE")
    p.add_argument("--keep", action="store_true", help=keep_help)


def settle_durations(a):
    """--smoke means 1 s measurements without warm-up; the warm-up defaults to 1 s otherwise."""
    if a.smoke:
        a.duration = 1.0
        if a.warmup is None:
            a.warmup = 0.0
    if a.warmup is None:
        a.warmup = 1.0


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=os.environ.get("CONTROL_PLANE_ARGV0", "bench/control-plane"),
        description="Requests/s of GetEventSourceMapping and ListEventSourceMappings on Sluice and on "
                    "moto_server in the same run, Sluice start-up time and idle RSS, against the targets.",
        epilog="Environment: SLUICE_BIN (default <repo>/.build/release/sluice), PYTHON (for the wrapper). "
               "Exit: 0 measured (targets may be missed), 1 run failed, 3 a measurement was invalid "
               "(non-2xx responses or socket errors).")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per wrk measurement (default 5)")
    p.add_argument("--smoke", action="store_true", help="CI smoke: 1 s per measurement, no warm-up")
    p.add_argument("--warmup", type=float, default=None, help="seconds of wrk warm-up before each measurement, "
                   "not counted (default 1; 0 with --smoke)")
    p.add_argument("--starts", type=int, default=10, help="starts per start-up measurement (default 10)")
    p.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    p.add_argument("--connections", type=int, default=32, help="wrk -c (default 32)")
    p.add_argument("--idle-wait", type=float, default=2.0, help="seconds idle before reading RSS (default 2)")
    add_common_arguments(p, keep_help="keep the work dir (server logs, raw wrk output)")
    a = p.parse_args(argv)
    settle_durations(a)
    if a.duration <= 0 or a.starts < 1 or a.threads < 1 or a.connections < a.threads:
        p.error("--duration > 0, --starts >= 1, --connections >= --threads >= 1")
    if a.no_moto and a.no_sluice:
        p.error("--no-moto and --no-sluice together leave nothing to measure")
    return a


def resolve_binary(args) -> str:
    env_bin = os.environ.get("SLUICE_BIN")
    binary = Path(env_bin) if env_bin else DEFAULT_BIN
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        if args.build and not env_bin:
            log("building: swift build -c release --product sluice")
            if subprocess.run(["swift", "build", "-c", "release", "--product", "sluice"],
                              cwd=REPO, stdout=sys.stderr, stderr=sys.stderr).returncode != 0:
                raise RunFailed("swift build -c release --product sluice failed")
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            hint = "" if env_bin else " (pass --build to build it)"
            raise RunFailed(f"sluice binary not found or not executable: {binary}{hint}")
    return str(binary.resolve())


def begin_run(argv, argv0_variable: str, default_argv0: str):
    """Signal handlers, the start time, the command line as the user typed it (with SLUICE_BIN) and the load
    average before the run: what every benchmark's header starts from."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    started = datetime.datetime.now().astimezone()
    cmdline = shlex.join([os.environ.get(argv0_variable, default_argv0), *argv])
    if os.environ.get("SLUICE_BIN"):
        cmdline = f"SLUICE_BIN={shlex.quote(os.environ['SLUICE_BIN'])} {cmdline}"
    return started, cmdline, loadavg()


def comma_list(choices):
    """An argparse `type` for a comma-separated subset of `choices` (e.g. --only latency,b10)."""
    def parse(text: str) -> list[str]:
        xs = [x.strip() for x in text.split(",") if x.strip()]
        bad = [x for x in xs if x not in choices]
        if bad or not xs:
            raise argparse.ArgumentTypeError(f"choose among {', '.join(choices)}: {text!r}")
        return xs
    return parse


def run_measurement(setup, measure, workdir_prefix: str, stopped: str):
    """What every benchmark's main() does between its arguments and its report: `setup()` (find the binary, wrk, …;
    RunFailed there is a failed run), a fresh work dir in /tmp named `workdir_prefix`…, `measure(prepared, workdir)`,
    and every process it started stopped by PID however it ends (`stopped` says what, in the interrupted message).

    Returns (status, prepared, workdir, result): status None when measured, else the exit status to return at once
    (EXIT_FAILED when the run failed, 128 + the signal when interrupted), the reason already logged."""
    try:
        prepared = setup()
    except RunFailed as e:
        log(f"FAILED: {e}")
        return EXIT_FAILED, None, None, None
    workdir = Path(tempfile.mkdtemp(prefix=workdir_prefix))
    try:
        return None, prepared, workdir, measure(prepared, workdir)
    except RunFailed as e:
        stop_everything()
        log(f"FAILED: {e}")
        log(f"work dir kept: {workdir}")
        return EXIT_FAILED, prepared, workdir, None
    except Interrupted as e:
        stop_everything()
        log(f"interrupted ({e}); {stopped}; work dir kept: {workdir}")
        return 128 + e.signum, prepared, workdir, None
    finally:
        stop_everything()


def machine_lines(load_before: str) -> list[str]:
    """The `machine:` and `load avg:` lines of a benchmark's header."""
    mem = mem_total_gib()
    return [f"machine:  nproc {nproc()}, {cpu_model()}" + (f", {mem:.1f} GiB RAM" if mem else "")
            + f", {platform.system()} {platform.release()}",
            f"load avg: {load_before} at start, {loadavg()} at end"]


def binary_lines(binary: str, serving: str = "") -> list[str]:
    """The `sluice:` line (size, build time, repo revision, how it was served) and a warning for debug builds."""
    st = os.stat(binary)
    mtime = datetime.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")
    lines = [f"sluice:   {binary} ({st.st_size / 1048576:.1f} MiB, built {mtime}); repo at {git_rev()}"
             + (f"; {serving}" if serving else "")]
    if "/debug/" in binary:
        lines.append("          NOTE: a debug build; its figures are not meaningful")
    return lines


def end_run(args, workdir: Path, invalid: bool, cmdline: str, started, load_before: str, columns: list[str],
            rows, **results) -> int:
    """Writes `--json` (command, date, machine, the results, the table), keeps the work dir when asked or when the
    run is invalid, and returns the exit status: what every benchmark does last."""
    if args.json:
        Path(args.json).write_text(json.dumps({
            "command": cmdline, "date": started.isoformat(timespec="seconds"),
            "machine": {"nproc": nproc(), "cpu": cpu_model(), "loadavg_start": load_before,
                        "loadavg_end": loadavg()},
            **results, "valid": not invalid,
            "table": [dict(zip(columns, r)) for r in rows],
        }, indent=2, default=str))
    if args.keep or invalid:
        log(f"work dir kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return EXIT_INVALID if invalid else 0


def main(argv) -> int:
    args = parse_args(argv)
    started, cmdline, load_before = begin_run(argv, "CONTROL_PLANE_ARGV0", "bench/control-plane")

    def both_halves(prepared, workdir):
        binary, wrk = prepared
        headers = sigv4_headers()
        s_res = None if args.no_sluice else sluice_half(binary, wrk, headers, args, workdir)
        m_res = None if args.no_moto else moto_half(wrk, headers, args, workdir)
        return s_res, m_res

    status, prepared, workdir, halves = run_measurement(
        lambda: (None if args.no_sluice else resolve_binary(args), ensure_wrk()), both_halves,
        "sluice-bench-", "servers stopped")
    if status is not None:
        return status
    (binary, _), (s_res, m_res) = prepared, halves

    rows, any_invalid = build_rows(s_res, m_res, args.starts)
    out = ["Sluice control-plane benchmark", f"command:  {cmdline}", f"date:     {started.isoformat(timespec='seconds')}"]
    out += machine_lines(load_before)
    if binary:
        out += binary_lines(binary)
    if m_res:
        out.append(f"moto:     moto_server {m_res['version']} (MOTO_ACCOUNT_ID={ACCOUNT}), python {platform.python_version()}")
    out.append(f"wrk:      {tool_version(['wrk', '-v']).split(' Copyright')[0]}; "
               f"-t{args.threads} -c{args.connections} -d{args.duration:g}s --latency, "
               f"warm-up {args.warmup:g} s; Authorization SigV4-shaped (service lambda), X-Amz-Date")
    out.append(f"targets:  GetEventSourceMapping ≥ {TARGET_GET_RATIO:g}× moto in the same run; "
               f"`sluice serve` ready < {TARGET_STARTUP_MS:g} ms after exec; idle RSS < {TARGET_IDLE_RSS_MIB:g} MiB")
    out.append("")
    out.append(render_table(rows))
    out.append("")
    out.append("ratio = Sluice / moto. Get reads the mapping of queue 'q'; List is "
               f"GET {list_path()} ({N_MAPPINGS} mappings).")
    if m_res:
        out.append("* moto: one start, exec to its port accepting connections (moto prints no ready line).")
    if s_res:
        for key, label in (("startup_in_memory_ms", "--in-memory"), ("startup_data_dir_ms", "--data-dir")):
            xs = s_res[key]
            out.append(f"sluice start-ups {label} (ms): min {min(xs):.1f}, median {median(xs):.1f}, "
                       f"max {max(xs):.1f}: " + " ".join(f"{x:.1f}" for x in xs))
    if s_res and s_res.get("extra_stdout"):
        out.append(f"NOTE: sluice printed more than the one ready line on stdout: {s_res['extra_stdout'][:200]!r}")
    for name, h in (("sluice", s_res), ("moto", m_res)):
        for op in ("get", "list"):
            r = (h or {}).get(op)
            if r and not r["valid"]:
                out.append(f"INVALID: {name} {op}: {'; '.join(r['problems'])} (raw: {workdir}/wrk-{name}-{op}.txt)")
    if any_invalid:
        out.append("The run is INVALID: a wrk measurement saw non-2xx responses or socket errors.")
    print("\n".join(out), flush=True)

    return end_run(args, workdir, any_invalid, cmdline, started, load_before,
                   ["measurement", "sluice", "moto", "ratio", "target", "met"], rows, sluice=s_res, moto=m_res)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    finally:
        stop_all()
