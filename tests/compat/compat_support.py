"""Helpers shared by the Sluice compatibility suite.

The suite drives the real `sluice` binary with the clients users actually use
(boto3 and the aws CLI v1). Facts asserted here come from
`shared/reference/esm-api.md`, `runtime-api.md` §4, `wire-protocols.md` §5–6 and
`docs/compatibility.md`.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
SLUICE_BIN = os.environ.get("SLUICE_BIN") or str(REPO / ".build" / "debug" / "sluice")

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda-role"

READY_PREFIX = "Sluice ready at "
READY_LINE = re.compile(r"^Sluice ready at (http://127\.0\.0\.1:(\d+))$")
READY_TIMEOUT = 20.0

UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UUID_ANY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FUNCTION_LAST_MODIFIED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")

NOT_FOUND_MESSAGE = "The resource you requested does not exist."

# Every server started by the suite, so a last-resort session finalizer can stop leftovers.
LIVE_SERVERS: set["SluiceServer"] = set()


# esm-api.md §3: keys AWS returns on a default Create response, per source type.
STREAM_KEYS = {
    "BatchSize",
    "BisectBatchOnFunctionError",
    "DestinationConfig",
    "EventSourceArn",
    "EventSourceMappingArn",
    "FunctionArn",
    "FunctionResponseTypes",
    "LastModified",
    "LastProcessingResult",
    "MaximumBatchingWindowInSeconds",
    "MaximumRecordAgeInSeconds",
    "MaximumRetryAttempts",
    "ParallelizationFactor",
    "StartingPosition",
    "State",
    "StateTransitionReason",
    "TumblingWindowInSeconds",
    "UUID",
}
SQS_KEYS = {
    "BatchSize",
    "EventSourceArn",
    "EventSourceMappingArn",
    "FunctionArn",
    "FunctionResponseTypes",
    "LastModified",
    "MaximumBatchingWindowInSeconds",
    "State",
    "StateTransitionReason",
    "UUID",
}
SELF_MANAGED_KAFKA_KEYS = {
    "BatchSize",
    "EventSourceMappingArn",
    "FunctionArn",
    "LastModified",
    "LastProcessingResult",
    "SelfManagedEventSource",
    "SelfManagedKafkaEventSourceConfig",
    "SourceAccessConfigurations",
    "StartingPosition",
    "State",
    "StateTransitionReason",
    "Topics",
    "UUID",
}
MSK_KEYS = (SELF_MANAGED_KAFKA_KEYS - {"SelfManagedEventSource", "SelfManagedKafkaEventSourceConfig"}) | {
    "EventSourceArn",
    "AmazonManagedKafkaEventSourceConfig",
}


# --------------------------------------------------------------------------- servers


class SluiceServer:
    """One `sluice` subprocess. Output goes to files (no pipe can fill up and block it)."""

    _counter = 0

    def __init__(self, args, *, log_dir, env=None, argv=None):
        SluiceServer._counter += 1
        self.number = SluiceServer._counter
        self.argv = list(argv) if argv is not None else [SLUICE_BIN, *args]
        self.env = env
        self.log_dir = Path(log_dir)
        self.proc: subprocess.Popen | None = None
        self.url: str | None = None
        self.port: int | None = None
        self.returncode: int | None = None

    # -- lifecycle

    def start(self) -> "SluiceServer":
        if not Path(self.argv[0]).exists():
            pytest.fail(f"sluice binary not found at {self.argv[0]} (set SLUICE_BIN)")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = self.log_dir / f"sluice-{self.number}.stdout"
        self.stderr_path = self.log_dir / f"sluice-{self.number}.stderr"
        env = dict(os.environ)
        for key in ("SLUICE_HOST", "SLUICE_PORT", "SLUICE_DATA_DIR"):
            env.pop(key, None)
        if self.env:
            env.update(self.env)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        LIVE_SERVERS.add(self)
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            text = self.stdout_path.read_text(errors="replace")
            if "\n" in text:
                first = text.split("\n", 1)[0].rstrip("\r")
                match = READY_LINE.match(first)
                if not match:
                    self.stop()
                    pytest.fail(f"unexpected first stdout line from sluice: {first!r}\nstderr:\n{self.stderr()}")
                self.url = match.group(1)
                self.port = int(match.group(2))
                return self
            rc = self.proc.poll()
            if rc is not None:
                LIVE_SERVERS.discard(self)
                self.returncode = rc
                pytest.fail(
                    f"sluice exited with {rc} before printing its ready line\n"
                    f"argv: {self.argv}\nstdout:\n{text}\nstderr:\n{self.stderr()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"sluice did not print its ready line within {READY_TIMEOUT}s\nstderr:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Signal the process by PID, wait, SIGKILL if it does not exit. Returns its exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                os.kill(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                # It ignored the signal: kill it; the exit code (-9) tells callers that care.
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
        LIVE_SERVERS.discard(self)
        self.returncode = proc.returncode
        return proc.returncode

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        LIVE_SERVERS.discard(self)
        self.returncode = self.proc.returncode

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-8000:]
        except FileNotFoundError:
            return ""

    def __repr__(self) -> str:
        pid = self.proc.pid if self.proc else None
        return f"<SluiceServer #{self.number} pid={pid} url={self.url}>"


class ServerPool:
    """Starts extra servers with custom flags; stops them all (by PID) at teardown."""

    def __init__(self, base_dir: Path):
        self.base_dir = Path(base_dir)
        self.servers: list[SluiceServer] = []
        self._dirs = 0

    def new_data_dir(self) -> Path:
        self._dirs += 1
        path = self.base_dir / f"data-{self._dirs}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def start(self, *flags, data_dir=None, in_memory=False, transition_delay=0.05, env=None, argv=None):
        """`sluice serve --host 127.0.0.1 --port 0 (--data-dir D | --in-memory) --transition-delay T FLAGS...`.

        `argv` replaces the whole command line (for tests of the binary's own arguments).
        """
        if argv is None:
            args = ["serve", "--host", "127.0.0.1", "--port", "0"]
            if in_memory:
                args.append("--in-memory")
            else:
                if data_dir is None:
                    data_dir = self.new_data_dir()
                args += ["--data-dir", str(data_dir)]
            if transition_delay is not None:
                args += ["--transition-delay", str(transition_delay)]
            args += [str(f) for f in flags]
            server = SluiceServer(args, log_dir=self.base_dir / "logs", env=env)
        else:
            server = SluiceServer([], log_dir=self.base_dir / "logs", env=env, argv=argv)
        server.data_dir = data_dir
        self.servers.append(server)
        return server.start()

    def stop_all(self) -> None:
        for server in self.servers:
            if server.alive():
                server.stop()


def stop_leftovers() -> None:
    for server in list(LIVE_SERVERS):
        if server.alive():
            try:
                os.kill(server.proc.pid, signal.SIGKILL)
                server.proc.wait(10)
            except ProcessLookupError:
                pass
        LIVE_SERVERS.discard(server)


# --------------------------------------------------------------------------- clients


def lambda_client(url, *, region=REGION, key="test", secret="test", validate=True, signed=True, **config):
    """boto3 Lambda client: endpoint_url, dummy keys, no retries."""
    options = dict(
        retries={"max_attempts": 0},
        parameter_validation=validate,
        connect_timeout=5,
        read_timeout=30,
    )
    if not signed:
        from botocore import UNSIGNED

        options["signature_version"] = UNSIGNED
    options.update(config)
    session = boto3.session.Session()
    return session.client(
        "lambda",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(**options),
    )


def status(response) -> int:
    return response["ResponseMetadata"]["HTTPStatusCode"]


def body(response) -> dict:
    """The parsed response without botocore's ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def expect_error(call, code, http_status, message=None, *, message_re=None):
    """Run `call`, assert it raises ClientError with exactly this code, status and message."""
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    error = response["Error"]
    assert error["Code"] == code, f"expected {code}, got {error['Code']}: {error.get('Message')!r}"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == http_status, response["ResponseMetadata"]
    if message is not None:
        assert error["Message"] == message
    if message_re is not None:
        assert re.fullmatch(message_re, error["Message"]), error["Message"]
    return response


def validation_message(*errors: str) -> str:
    """`1 validation error detected: e1` / `N validation errors detected: e1; e2` (esm-api.md §5)."""
    if len(errors) == 1:
        return f"1 validation error detected: {errors[0]}"
    return f"{len(errors)} validation errors detected: " + "; ".join(errors)


def range_error(value, member, rule) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: Member must {rule}"


def at_most(value, member, limit) -> str:
    return range_error(value, member, f"have value less than or equal to {limit}")


def at_least(value, member, limit) -> str:
    return range_error(value, member, f"have value greater than or equal to {limit}")


def assert_validation_errors(message: str, expected: list[str]) -> None:
    """Multi-error ValidationException text: exact prefix and exactly these errors (any order)."""
    prefix = f"{len(expected)} validation errors detected: "
    assert message.startswith(prefix), message
    assert sorted(message[len(prefix):].split("; ")) == sorted(expected), message


# --------------------------------------------------------------------------- names and ARNs


def uniq(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def function_arn(name, region=REGION, qualifier=None) -> str:
    arn = f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


def esm_arn(mapping_uuid, region=REGION) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:event-source-mapping:{mapping_uuid}"


def kinesis_arn(name=None, region=REGION, *, create=True) -> str:
    """The ARN of a new Kinesis stream, created (1 shard) on every Sluice server the suite is running, since a
    mapping's stream must exist (esm-api.md §5). `create=False` only names one."""
    name = name or uniq("stream")
    if create:
        for server in list(LIVE_SERVERS):
            if not server.alive():
                continue
            try:
                aws_client("kinesis", server.url, region=region).create_stream(StreamName=name, ShardCount=1)
            except ClientError:
                pass  # e.g. a server that verifies signatures with other credentials
    return f"arn:aws:kinesis:{region}:{ACCOUNT}:stream/{name}"


def aws_client(service, url, *, region=REGION):
    """A boto3 client of another service of the same server: dummy keys, no retries."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}),
    )


def ddb_stream_arn(table=None, region=REGION) -> str:
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table or uniq('table')}/stream/2024-01-01T00:00:00.000"


def sqs_arn(name=None, region=REGION, *, create=True) -> str:
    """The ARN of a new SQS queue, created on every Sluice server the suite is running (a FIFO queue when the name
    ends in `.fifo`), since a mapping's queue must exist (esm-api.md §5). `create=False` only names one."""
    name = name or uniq("queue")
    if create:
        attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
        for server in list(LIVE_SERVERS):
            if not server.alive():
                continue
            try:
                aws_client("sqs", server.url, region=region).create_queue(QueueName=name, Attributes=attributes)
            except ClientError:
                pass  # e.g. a server that verifies signatures with other credentials
    return f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"


def msk_arn(cluster=None, region=REGION) -> str:
    return f"arn:aws:kafka:{region}:{ACCOUNT}:cluster/{cluster or uniq('cluster')}/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1"


SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:kafka-credentials"
DLQ_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:esm-dlq"
SNS_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:esm-failures"


def kafka_source(*servers):
    return {"Endpoints": {"KAFKA_BOOTSTRAP_SERVERS": list(servers or ("kafka1.local:9092",))}}


def kafka_access():
    return [{"Type": "SASL_SCRAM_512_AUTH", "URI": SECRET_ARN}]


# --------------------------------------------------------------------------- functions

# The start of a recorder function's source (kinesis_esm_support.RECORDER, sqs_esm_support.RECORDER) after its
# imports (fcntl, json, os): _log(line) appends one JSON line to the file named by $OUT (under flock: invocations
# may run at once); _first_time(key) is True once per key, by an O_EXCL marker file in $ONCE_DIR.
RECORDER_HELPERS = r'''

def _log(line):
    data = (json.dumps(line) + "\n").encode()
    fd = os.open(os.environ["OUT"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, data)
    finally:
        os.close(fd)


def _first_time(key):
    path = os.path.join(os.environ["ONCE_DIR"], key)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False
'''


def make_zip(files=None) -> bytes:
    """A tiny, deterministic, valid zip with a python handler."""
    files = files or {"handler.py": "def handler(event, context):\n    return event\n"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def code_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def create_function(client, name=None, *, zip_bytes=None, **overrides):
    params = dict(
        FunctionName=name or uniq("fn"),
        Runtime="python3.12",
        Role=ROLE,
        Handler="handler.handler",
        Code={"ZipFile": zip_bytes if zip_bytes is not None else make_zip()},
    )
    params.update(overrides)
    return client.create_function(**params)


# --------------------------------------------------------------------------- polling


def wait_for_state(client, mapping_uuid, state, timeout=10.0):
    """Poll GetEventSourceMapping until State == state; fail with the states seen."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        config = client.get_event_source_mapping(UUID=mapping_uuid)
        if not seen or seen[-1] != config["State"]:
            seen.append(config["State"])
        if config["State"] == state:
            return config
        if time.monotonic() > deadline:
            pytest.fail(f"mapping {mapping_uuid} did not reach {state} within {timeout}s; states seen: {seen}")
        time.sleep(0.02)


def wait_for_deleted(client, mapping_uuid, timeout=10.0):
    """Poll GetEventSourceMapping until it answers 404; returns the states seen before."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        try:
            config = client.get_event_source_mapping(UUID=mapping_uuid)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFoundException", error.response
            assert error.response["Error"]["Message"] == NOT_FOUND_MESSAGE
            return seen
        if not seen or seen[-1] != config["State"]:
            seen.append(config["State"])
        if time.monotonic() > deadline:
            pytest.fail(f"mapping {mapping_uuid} still exists after {timeout}s; states seen: {seen}")
        time.sleep(0.02)


class Mappings:
    """Creates event source mappings and deletes whatever is left at teardown (an always-failing function with
    the default retries would otherwise keep the server busy for the rest of the module). The sources' helpers
    (kinesis_esm_support.Mappings, sqs_esm_support.Mappings) subclass it.

    WAIT_FOR_DISABLED: whether create(wait=True) of a mapping created with Enabled=False waits for "Disabled"
    (otherwise only enabled mappings are waited for, until "Enabled"). DELETE_TIMEOUT: how long delete() waits."""

    WAIT_FOR_DISABLED = True
    DELETE_TIMEOUT = 10.0

    def __init__(self, client):
        self.client = client
        self.uuids: list[str] = []

    def create(self, function, source_arn, *, wait=True, **params) -> dict:
        created = self.client.create_event_source_mapping(FunctionName=function, EventSourceArn=source_arn, **params)
        self.uuids.append(created["UUID"])
        enabled = params.get("Enabled", True)
        if wait and (enabled or self.WAIT_FOR_DISABLED):
            wait_for_state(self.client, created["UUID"], "Enabled" if enabled else "Disabled")
        return created

    def delete(self, mapping_uuid) -> None:
        self.client.delete_event_source_mapping(UUID=mapping_uuid)
        wait_for_deleted(self.client, mapping_uuid, timeout=self.DELETE_TIMEOUT)
        self.uuids.remove(mapping_uuid)

    def cleanup(self) -> None:
        for mapping_uuid in list(self.uuids):
            try:
                state = self.client.get_event_source_mapping(UUID=mapping_uuid)["State"]
                if state in ("Creating", "Updating", "Enabling", "Disabling"):
                    wait_for_state(self.client, mapping_uuid, "Enabled" if state != "Disabling" else "Disabled")
                self.client.delete_event_source_mapping(UUID=mapping_uuid)
            except Exception:  # noqa: BLE001 - best effort; the module's server is stopped anyway
                pass


def wait_until(predicate, timeout=10.0, message="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"{message} not reached within {timeout}s")
        time.sleep(0.02)


def list_all_mappings(client, **filters) -> list[dict]:
    items: list[dict] = []
    for page in client.get_paginator("list_event_source_mappings").paginate(**filters):
        items.extend(page["EventSourceMappings"])
    return items


def list_uuids(client, **filters) -> list[str]:
    return [m["UUID"] for m in list_all_mappings(client, **filters)]


def assert_recent(timestamp: dt.datetime, slack=300.0) -> None:
    """An ESM timestamp parsed by botocore: a tz-aware datetime close to now (epoch *seconds*)."""
    assert isinstance(timestamp, dt.datetime), type(timestamp)
    assert timestamp.tzinfo is not None
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((now - timestamp).total_seconds()) < slack, f"{timestamp} is not close to {now}"


# --------------------------------------------------------------------------- aws CLI v1

CliFailure = collections.namedtuple("CliFailure", "returncode stderr")


def _cli_env(key, secret, region):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=key,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_MAX_ATTEMPTS="1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def aws_cli(url, *args, key="test", secret="test", region=REGION, timeout=60):
    """Run `aws --endpoint-url URL --output json ARGS`; parsed JSON (None if no output) or CliFailure."""
    command = ["aws", "--endpoint-url", url, "--output", "json", *[str(a) for a in args]]
    done = subprocess.run(
        command, capture_output=True, text=True, env=_cli_env(key, secret, region), timeout=timeout
    )
    if done.returncode != 0:
        return CliFailure(done.returncode, done.stderr)
    return json.loads(done.stdout) if done.stdout.strip() else None


def cli_ok(url, *args, **kwargs):
    result = aws_cli(url, *args, **kwargs)
    assert not isinstance(result, CliFailure), f"aws {' '.join(map(str, args))} failed: {result}"
    return result


def cli_error(url, *args, **kwargs) -> CliFailure:
    result = aws_cli(url, *args, **kwargs)
    assert isinstance(result, CliFailure), f"aws {' '.join(map(str, args))} unexpectedly succeeded: {result}"
    return result


def cli_error_text(code, operation, message) -> str:
    return f"An error occurred ({code}) when calling the {operation} operation: {message}"


def mapping_metrics(url, uuid):
    """The mapping's `sluice_esm_*` series from GET /metrics, as {name: value}."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers.get("Content-Type", "").startswith("text/plain")
        text = response.read().decode()
    values = {}
    for line in text.splitlines():
        if line.startswith("sluice_esm_") and f'event_source_mapping_uuid="{uuid}"' in line:
            series, value = line.rsplit(" ", 1)
            values[series.split("{", 1)[0]] = float(value)
    return values
