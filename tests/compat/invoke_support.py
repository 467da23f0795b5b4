"""Helpers for the Invoke compatibility tests (test_invoke.py, test_invoke_pending.py).

Functions here create real functions on a real `sluice` and invoke them with boto3, the
aws CLI v1, or raw HTTP (when exact headers or bodies matter). Facts come from
`shared/reference/runtime-api.md` §1–§5.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from compat_support import (
    ACCOUNT,
    REGION,
    ROLE,
    _cli_env,
    aws_client,
    uniq,
)

LATEST = "$LATEST"
FUNCTION_ERROR = "Unhandled"
UNZIP_MESSAGE = "Could not unzip uploaded file. Please check your file, then try to upload again."
LOG_TAIL_BYTES = 4096
SYNC_LIMIT = 6_291_456  # 6 MB, the RequestResponse payload limit
EVENT_LIMIT = 1_048_576  # 1 MB, the Event payload limit (current model docs)

# `2024-04-08T16:56:22.123Z <id> Task timed out after 1.00 seconds` (runtime-api.md §2, 2024-04 format).
TIMEOUT_MESSAGE = re.compile(
    r"^RequestId: (?P<id>[0-9a-f-]{36}) Error: Task timed out after (?P<s>\d+\.\d\d) seconds$"
)
LOG_STREAM_NAME = re.compile(r"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$")

# What AWS puts in a function's environment (runtime-api.md §5), plus Sluice's AWS_ENDPOINT_URL.
AWS_ENVIRONMENT_KEYS = {
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "_HANDLER",
    "LAMBDA_TASK_ROOT",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "TZ",
    "LANG",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ENDPOINT_URL",
}
# Keys AWS may also set (§5), and ones a process sets itself: Python's C-locale coercion (PEP 538)
# adds LC_CTYPE; the runtime copies the trace header into _X_AMZN_TRACE_ID.
OPTIONAL_ENVIRONMENT_KEYS = {
    "PATH",
    "LD_LIBRARY_PATH",
    "LAMBDA_RUNTIME_DIR",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_XRAY_CONTEXT_MISSING",
    "AWS_XRAY_DAEMON_ADDRESS",
    "_AWS_XRAY_DAEMON_ADDRESS",
    "_AWS_XRAY_DAEMON_PORT",
    "_X_AMZN_TRACE_ID",
    "AWS_LAMBDA_LOG_FORMAT",
    "AWS_LAMBDA_LOG_LEVEL",
    "LC_CTYPE",
}


# --------------------------------------------------------------------------- zips and functions


def zip_of(files: dict, *, link_compression=zipfile.ZIP_STORED) -> bytes:
    """A zip whose values are `content` (mode 0644) or `(content, mode)`; a mode with S_IFLNK makes a symlink
    whose target is `content`. Files are deflated; symlinks are stored, as Info-ZIP's `zip -y` writes short
    ones, unless `link_compression` says otherwise (Python's zipfile, and so many build tools, deflate them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in files.items():
            content, mode = value if isinstance(value, tuple) else (value, 0o644)
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            if mode & 0o170000 == 0:
                mode |= 0o100000  # regular file
            info.external_attr = mode << 16
            info.create_system = 3  # Unix, so that the mode bits count
            is_link = mode & 0o170000 == 0o120000
            info.compress_type = link_compression if is_link else zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def wait_active(client, name, timeout=10.0) -> dict:
    """Poll GetFunctionConfiguration until State leaves Pending (what the SDK waiters do)."""
    deadline = time.monotonic() + timeout
    while True:
        config = client.get_function_configuration(FunctionName=name)
        if config.get("State") != "Pending":
            return config
        if time.monotonic() > deadline:
            pytest.fail(f"function {name} still Pending after {timeout}s")
        time.sleep(0.02)


def python_function(client, source: str, *, name=None, prefix="py", module="handler", **overrides) -> str:
    """Create a python3.12 function `module.handler` from `source`; wait until it is no longer Pending."""
    name = name or uniq(prefix)
    params = dict(
        FunctionName=name,
        Runtime="python3.12",
        Role=ROLE,
        Handler=f"{module}.handler",
        Code={"ZipFile": zip_of({f"{module}.py": source})},
    )
    params.update(overrides)
    client.create_function(**params)
    config = wait_active(client, name)
    assert config["State"] == "Active", config
    return name


def provided_function(
    client, bootstrap: str, *, name=None, prefix="provided", runtime="provided.al2023", extra=None, **overrides
) -> str:
    name = name or uniq(prefix)
    files = {"bootstrap": (bootstrap, 0o755)}
    files.update(extra or {})
    params = dict(
        FunctionName=name, Runtime=runtime, Role=ROLE, Handler="function.handler", Code={"ZipFile": zip_of(files)}
    )
    params.update(overrides)
    client.create_function(**params)
    config = wait_active(client, name)
    assert config["State"] == "Active", config
    return name


# A handler that reports what it sees: its event, pid, environment and context.
INTROSPECT = '''
import json, os, sys, time

CALLS = 0

def handler(event, context):
    global CALLS
    CALLS += 1
    event = event if isinstance(event, dict) else {"value": event}
    if event.get("marker"):
        open(event["marker"] + ".%d" % os.getpid(), "w").close()
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("print"):
        print(event["print"])
    if event.get("stderr"):
        sys.stderr.write(event["stderr"] + "\\n")
    if event.get("raise"):
        raise ValueError(event["raise"])
    if event.get("exit") is not None:
        sys.stdout.flush()
        os._exit(event["exit"])
    return {
        "event": event,
        "pid": os.getpid(),
        "calls": CALLS,
        "env": dict(os.environ),
        "context": {
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "aws_request_id": context.aws_request_id,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(),
        },
        "cwd": os.getcwd(),
    }
'''


# --------------------------------------------------------------------------- invoking


def invoke(client, name, payload=None, **kwargs):
    """boto3 Invoke; returns (response without the stream, payload bytes)."""
    if payload is not None and not isinstance(payload, (bytes, str)):
        payload = json.dumps(payload)
    if payload is not None:
        kwargs["Payload"] = payload
    response = client.invoke(FunctionName=name, **kwargs)
    data = response.pop("Payload").read()
    return response, data


def invoke_json(client, name, payload=None, **kwargs):
    response, data = invoke(client, name, payload, **kwargs)
    return response, json.loads(data) if data else None


def request_id(response) -> str:
    return response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]


def headers(response) -> dict:
    return response["ResponseMetadata"]["HTTPHeaders"]


def log_tail(response) -> str:
    return base64.b64decode(response["LogResult"]).decode("utf-8", errors="replace")


def raw_invoke(url, name, body=b"", *, headers=None, qualifier=None, timeout=60):
    """POST the Invoke path with http.client: (status, lower-cased headers, body bytes)."""
    parsed = urlparse(url)
    path = f"/2015-03-31/functions/{quote(name, safe='')}/invocations"
    if qualifier:
        path += f"?Qualifier={quote(qualifier, safe='')}"
    connection = HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def cli_invoke(url, name, *args, payload=None, region=REGION, timeout=60):
    """`aws lambda invoke --function-name NAME [--payload P] ARGS OUTFILE`: (returncode, stdout JSON or None,
    stderr, outfile bytes or None)."""
    with tempfile.TemporaryDirectory() as tmp:
        outfile = Path(tmp) / "out.json"
        command = ["aws", "--endpoint-url", url, "--output", "json", "lambda", "invoke", "--function-name", name]
        if payload is not None:
            command += ["--payload", payload if isinstance(payload, str) else json.dumps(payload)]
        command += [*map(str, args), str(outfile)]
        done = subprocess.run(
            command, capture_output=True, text=True, env=_cli_env("test", "test", region), timeout=timeout
        )
        printed = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
        written = outfile.read_bytes() if outfile.exists() else None
        return done.returncode, printed, done.stderr, written


# --------------------------------------------------------------------------- processes


def pid_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def wait_gone(pid: int, timeout=10.0) -> None:
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            pytest.fail(f"process {pid} still alive after {timeout}s")
        time.sleep(0.05)


def wait_for_files(directory: Path, count: int, timeout=20.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while True:
        files = sorted(directory.iterdir())
        if len(files) >= count:
            return files
        if time.monotonic() > deadline:
            pytest.fail(f"{len(files)} of {count} marker files in {directory} after {timeout}s")
        time.sleep(0.02)


# --------------------------------------------------------------------------- SQS from inside functions


def python_with_boto3() -> str | None:
    """The `python3` that Sluice will run (found through PATH, as Sluice finds it) if it can import boto3."""
    python = shutil.which("python3")
    if python is None:
        return None
    done = subprocess.run([python, "-c", "import boto3, sys; print(sys.executable)"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def require_boto3_in_functions() -> None:
    if python_with_boto3() is None:
        pytest.skip("the python3 that functions run with cannot import boto3")


# Sends the event's `body` to queue `queue` with the SDK defaults only: endpoint, credentials and
# region all come from the environment Sluice gives the function.
SQS_SENDER = '''
import os
import boto3

def handler(event, context):
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=event["queue"])["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody=event["body"],
                            MessageAttributes={"RequestId": {"DataType": "String",
                                                             "StringValue": context.aws_request_id}})
    return {"MessageId": sent["MessageId"], "endpoint": sqs.meta.endpoint_url, "region": sqs.meta.region_name}
'''


def sqs_receive(url, queue_url, *, wait=20.0, expected=1) -> list[dict]:
    """Receive (and delete) at least `expected` messages within `wait` seconds."""
    sqs = aws_client("sqs", url)
    messages: list[dict] = []
    deadline = time.monotonic() + wait
    while len(messages) < expected and time.monotonic() < deadline:
        got = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
        ).get("Messages", [])
        for message in got:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        messages.extend(got)
    return messages


# --------------------------------------------------------------------------- provided runtime


def have_curl() -> bool:
    return any(Path(d, "curl").exists() for d in ("/usr/local/bin", "/usr/bin", "/bin"))


# A custom runtime in bash + curl (the AWS tutorial's shape): echoes the event with the request id, its pid
# and the handler; an event {"fail": "..."} is reported through /error with an error type header.
BASH_CURL_BOOTSTRAP = r'''#!/bin/bash
set -euo pipefail
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "bash bootstrap starting, handler ${_HANDLER}" >&2
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
  ARN="$(grep -i '^Lambda-Runtime-Invoked-Function-Arn:' "$HEADERS" | cut -d: -f2- | tr -d '[:space:]')"
  DEADLINE="$(grep -i '^Lambda-Runtime-Deadline-Ms:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
  rm -f "$HEADERS"
  echo "bash handling $REQUEST_ID"
  case "$EVENT" in
    *'"fail"'*)
      curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/error" \
        -H 'Lambda-Runtime-Function-Error-Type: Bash.Failure' \
        -d '{"errorMessage":"bash says no","errorType":"Bash.Failure","stackTrace":[]}'
      ;;
    *)
      curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" \
        -d "{\"echo\":$EVENT,\"requestId\":\"$REQUEST_ID\",\"arn\":\"$ARN\",\"deadline\":$DEADLINE,\"pid\":$$,\"handler\":\"$_HANDLER\",\"runtime\":\"bash+curl\"}"
      ;;
  esac
done
'''

# The same runtime when curl is missing: bash starting an embedded python Runtime API client.
BASH_PYTHON_BOOTSTRAP = r'''#!/bin/bash
set -euo pipefail
echo "bash bootstrap starting, handler ${_HANDLER}" >&2
exec python3 - <<'PY'
import http.client, json, os
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
api = http.client.HTTPConnection(host, int(port))
prefix = "/2018-06-01/runtime/invocation"
while True:
    api.request("GET", prefix + "/next")
    response = api.getresponse()
    event = response.read()
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    print("bash handling " + request_id, flush=True)
    if b'"fail"' in event:
        body = json.dumps({"errorMessage": "bash says no", "errorType": "Bash.Failure", "stackTrace": []})
        api.request("POST", "%s/%s/error" % (prefix, request_id), body,
                    {"Lambda-Runtime-Function-Error-Type": "Bash.Failure"})
    else:
        body = json.dumps({"echo": json.loads(event), "requestId": request_id,
                           "arn": response.getheader("Lambda-Runtime-Invoked-Function-Arn"),
                           "deadline": int(response.getheader("Lambda-Runtime-Deadline-Ms")),
                           "pid": os.getpid(), "handler": os.environ["_HANDLER"],
                           "runtime": "bash+python"})
        api.request("POST", "%s/%s/response" % (prefix, request_id), body)
    api.getresponse().read()
PY
'''


def bash_bootstrap() -> str:
    return BASH_CURL_BOOTSTRAP if have_curl() else BASH_PYTHON_BOOTSTRAP


def function_arn_in(name, region) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"
