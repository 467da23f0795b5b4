"""`sluice logs FUNCTION [--follow]` on a prepared data directory: the rotated file then the current one,
a name or an ARN, SLUICE_DATA_DIR, a clear failure without a log, and following across a rotation until
SIGTERM or SIGINT. Every process started here is stopped by its PID."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from compat_support import SLUICE_BIN

WAIT_TIMEOUT = 10.0

REPORT = "REPORT RequestId: {id}\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 48 MB\t"


def invocation(request_id: str, *output: str) -> str:
    lines = [f"START RequestId: {request_id} Version: $LATEST", *output, f"END RequestId: {request_id}"]
    return "\n".join(lines + [REPORT.format(id=request_id)]) + "\n"


def log_file(data_dir: Path, name: str, region: str = "us-east-1") -> Path:
    directory = data_dir / "logs" / region
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{name}.log"


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SLUICE_DATA_DIR", None)
    env.update(extra)
    return env


def sluice_logs(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    if not Path(SLUICE_BIN).exists():
        pytest.fail(f"sluice binary not found at {SLUICE_BIN} (set SLUICE_BIN)")
    return subprocess.run(
        [SLUICE_BIN, "logs", *args], capture_output=True, text=True, timeout=30, env=env or environment(), cwd=cwd
    )


def wait_for_text(path: Path, expected: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_TIMEOUT
    while True:
        text = path.read_text()
        if text == expected:
            return
        if process.poll() is not None:
            pytest.fail(f"sluice logs exited with {process.returncode}; printed:\n{text}")
        if time.monotonic() > deadline:
            pytest.fail(f"sluice logs printed {text!r}, expected {expected!r}")
        time.sleep(0.02)


class Follower:
    """`sluice logs --follow` with its standard output in a file."""

    def __init__(self, tmp_path: Path, *args: str):
        self.output = tmp_path / "follow.out"
        self.errors = tmp_path / "follow.err"
        with open(self.output, "wb") as out, open(self.errors, "wb") as err:
            self.process = subprocess.Popen(
                [SLUICE_BIN, "logs", "--follow", *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                env=environment(),
            )

    def wait_for(self, expected: str) -> None:
        wait_for_text(self.output, expected, self.process)

    def stop(self, sig: int) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, sig)
        try:
            return self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            pytest.fail(f"sluice logs --follow ignored signal {sig}")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def test_logs_prints_the_rotated_file_then_the_current_one(tmp_path):
    log = log_file(tmp_path, "orders")
    older = invocation("r1", "first")
    newer = invocation("r2", "second", "third")
    Path(f"{log}.1").write_text(older)
    log.write_text(newer)
    result = sluice_logs("orders", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == older + newer
    assert result.stderr == ""


def test_logs_takes_the_region_from_an_arn(tmp_path):
    log_file(tmp_path, "orders").write_text(invocation("east", "in us-east-1"))
    log_file(tmp_path, "orders", "eu-west-1").write_text(invocation("west", "in eu-west-1"))
    arn = "arn:aws:lambda:eu-west-1:000000000000:function:orders"
    by_arn = sluice_logs(arn, "--data-dir", str(tmp_path))
    assert by_arn.returncode == 0, by_arn.stderr
    assert by_arn.stdout == invocation("west", "in eu-west-1")
    qualified = sluice_logs(f"{arn}:$LATEST", "--data-dir", str(tmp_path), "--region", "us-east-1")
    assert qualified.stdout == invocation("west", "in eu-west-1")
    by_name = sluice_logs("orders", "--data-dir", str(tmp_path), "--region", "eu-west-1")
    assert by_name.stdout == invocation("west", "in eu-west-1")


def test_logs_reads_sluice_data_dir_and_defaults_to_dot_sluice(tmp_path):
    data_dir = tmp_path / "data"
    log_file(data_dir, "orders").write_text(invocation("env", "from SLUICE_DATA_DIR"))
    from_env = sluice_logs("orders", env=environment(SLUICE_DATA_DIR=str(data_dir)))
    assert from_env.returncode == 0, from_env.stderr
    assert from_env.stdout == invocation("env", "from SLUICE_DATA_DIR")

    log_file(tmp_path / ".sluice", "orders").write_text(invocation("default", "from .sluice"))
    default = sluice_logs("orders", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout == invocation("default", "from .sluice")


def test_logs_of_a_function_without_a_log_fails_clearly(tmp_path):
    for args in (["missing"], ["--follow", "missing"]):
        result = sluice_logs(*args, "--data-dir", str(tmp_path))
        assert result.returncode == 1
        assert result.stdout == ""
        expected = str(tmp_path / "logs" / "us-east-1" / "missing.log")
        assert result.stderr == f"sluice: no log for function 'missing' (looked for {expected})\n"


def test_logs_rejects_what_is_not_a_function(tmp_path):
    result = sluice_logs("../etc/passwd", "--data-dir", str(tmp_path))
    assert result.returncode == 64
    assert "'../etc/passwd' is not a function name or ARN" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_logs_follow_prints_appended_lines_across_a_rotation_until_signalled(tmp_path, sig):
    log = log_file(tmp_path, "orders")
    first = invocation("r1", "before following")
    log.write_text(first)
    follower = Follower(tmp_path, "orders", "--data-dir", str(tmp_path))
    try:
        follower.wait_for(first)
        with open(log, "a") as file:
            file.write("partial ")
            file.flush()
            follower.wait_for(first + "partial ")
            file.write("line\n")
        follower.wait_for(first + "partial line\n")

        # What the writer does at 16 MiB: the last lines go to the old file, which is renamed to .log.1,
        # then a new file starts.
        with open(log, "a") as file:
            file.write("last of the old file\n")
        os.rename(log, f"{log}.1")
        second = invocation("r2", "in the new file")
        log.write_text(second)
        follower.wait_for(first + "partial line\nlast of the old file\n" + second)

        assert follower.stop(sig) == 0
        assert follower.output.read_text() == first + "partial line\nlast of the old file\n" + second
        assert follower.errors.read_text() == ""
    finally:
        follower.kill()
