"""Invoke (issue 4): real function processes behind `POST /2015-03-31/functions/{name}/invocations`,
driven with boto3, the aws CLI v1 (`aws lambda invoke`) and raw HTTP where exact headers matter.

Expected behaviour: shared/reference/runtime-api.md §1–§5. Function processes are started by Sluice;
each server is stopped by PID (module teardown, or the test that started it), and the tests that care
check that the function processes went with it.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from compat_support import (
    ACCOUNT,
    REGION,
    ROLE,
    UUID_ANY,
    UUID_V4,
    aws_client,
    cli_error,
    cli_error_text,
    create_function,
    expect_error,
    function_arn,
    lambda_client,
    status,
    uniq,
)
from invoke_support import (
    AWS_ENVIRONMENT_KEYS,
    EVENT_LIMIT,
    FUNCTION_ERROR,
    INTROSPECT,
    LATEST,
    LOG_STREAM_NAME,
    LOG_TAIL_BYTES,
    OPTIONAL_ENVIRONMENT_KEYS,
    SQS_SENDER,
    SYNC_LIMIT,
    TIMEOUT_MESSAGE,
    UNZIP_MESSAGE,
    bash_bootstrap,
    cli_invoke,
    function_arn_in,
    have_curl,
    headers,
    invoke,
    invoke_json,
    log_tail,
    pid_alive,
    provided_function,
    python_function,
    raw_invoke,
    request_id,
    require_boto3_in_functions,
    sqs_receive,
    wait_active,
    wait_for_files,
    wait_gone,
    zip_of,
)

# Set in Sluice's own environment: none of it may reach a function (issue 4, item 2).
CANARY_KEY = "SLUICE_COMPAT_CANARY"
SERVER_ENV = {
    CANARY_KEY: "must-not-leak",
    "AWS_ENDPOINT_URL": "http://sluice-own-environment.invalid:1",
    "PYTHONPATH": "/sluice-own-environment/pythonpath",
}


@pytest.fixture(scope="module")
def server(servers):
    """The module's default server, started with a few variables that functions must not see."""
    return servers.start(transition_delay=0.05, env=SERVER_ENV)


@pytest.fixture(scope="module")
def introspect(lam):
    """A warm python function that reports its event, pid, environment and context."""
    return python_function(
        lam, INTROSPECT, prefix="introspect", MemorySize=256, Timeout=30,
        Environment={"Variables": {"GREETING": "hello", "EMPTY": ""}},
    )


def not_found(name, qualifier=None):
    return f"Function not found: {function_arn(name, qualifier=qualifier)}"


# --------------------------------------------------------------------------- results


def test_python_result_boto3(lam, introspect):
    response, result = invoke_json(lam, introspect, {"a": 1, "nested": {"list": [1, "two", None]}})
    assert response["StatusCode"] == 200
    assert response["ExecutedVersion"] == LATEST
    assert "FunctionError" not in response
    assert "LogResult" not in response
    assert headers(response)["content-type"].startswith("application/json")
    assert result["event"] == {"a": 1, "nested": {"list": [1, "two", None]}}


def test_request_id_is_the_invocation_id(lam, introspect):
    seen = set()
    for _ in range(3):
        response, result = invoke_json(lam, introspect, {})
        rid = request_id(response)
        assert UUID_V4.match(rid), rid
        assert result["context"]["aws_request_id"] == rid
        assert response["ResponseMetadata"]["RequestId"] == rid
        seen.add(rid)
    assert len(seen) == 3


def test_payload_is_passed_verbatim_for_any_json_value(lam):
    name = python_function(lam, "def handler(event, context):\n    return event\n", prefix="echo")
    for value in ([1, 2, 3], "text", 42, 1.5, True, None, {"unicode": "żółw ✓"}):
        response, result = invoke_json(lam, name, json.dumps(value))
        assert response["StatusCode"] == 200
        assert result == value
    # No payload at all reaches the handler as {} (as the CLI and the console invoke it).
    response, data = invoke(lam, name)
    assert json.loads(data) == {}


def test_handler_returning_none_gives_null(lam):
    name = python_function(lam, "def handler(event, context):\n    pass\n", prefix="none")
    response, data = invoke(lam, name, "{}")
    assert response["StatusCode"] == 200
    assert data == b"null"


def test_qualifier_latest(lam, introspect):
    response, result = invoke_json(lam, introspect, {}, Qualifier=LATEST)
    assert response["ExecutedVersion"] == LATEST
    assert result["context"]["invoked_function_arn"] == function_arn(introspect, qualifier=LATEST)
    response, result = invoke_json(lam, f"{introspect}:{LATEST}", {})
    assert response["ExecutedVersion"] == LATEST


def test_function_name_forms(lam, introspect):
    for ref in (introspect, function_arn(introspect), f"{ACCOUNT}:function:{introspect}"):
        response, result = invoke_json(lam, ref, {"ref": ref})
        assert response["StatusCode"] == 200
        assert result["event"] == {"ref": ref}
        assert result["context"]["function_name"] == introspect


def test_cli_invoke_writes_the_result_and_prints_status(url, introspect):
    code, printed, stderr, written = cli_invoke(url, introspect, payload='{"from": "cli"}')
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "ExecutedVersion": LATEST}
    assert json.loads(written)["event"] == {"from": "cli"}


# --------------------------------------------------------------------------- function errors


RAISER = '''
def helper(message):
    raise ValueError(message)

def handler(event, context):
    helper(event["message"])
'''


def test_python_raise_is_a_function_error(lam):
    name = python_function(lam, RAISER, prefix="raise")
    response, error = invoke_json(lam, name, {"message": "boom"})
    assert status(response) == 200
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == FUNCTION_ERROR
    assert response["ExecutedVersion"] == LATEST
    assert error["errorMessage"] == "boom"
    assert error["errorType"] == "ValueError"
    assert error["requestId"] == request_id(response)
    assert isinstance(error["stackTrace"], list) and error["stackTrace"]
    trace = "".join(error["stackTrace"])
    assert 'handler.py", line 3, in helper' in trace, trace
    assert "sluice_python_bootstrap" not in trace, "the runtime's own frames leak into the stack trace"
    # The environment survives a raise: the next invoke works.
    response, error = invoke_json(lam, name, {"message": "again"})
    assert error["errorMessage"] == "again"


def test_cli_prints_function_error(url, lam):
    name = python_function(lam, RAISER, prefix="raise-cli")
    code, printed, stderr, written = cli_invoke(url, name, payload='{"message": "cli boom"}')
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "FunctionError": FUNCTION_ERROR, "ExecutedVersion": LATEST}
    error = json.loads(written)
    assert error["errorMessage"] == "cli boom"
    assert error["errorType"] == "ValueError"


def test_unserializable_result_is_a_marshal_error(lam):
    name = python_function(lam, "def handler(event, context):\n    return object()\n", prefix="marshal")
    response, error = invoke_json(lam, name, {})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "Runtime.MarshalError"
    assert error["errorMessage"].startswith("Unable to marshal response: "), error


def test_import_error_returns_the_init_error(lam):
    name = python_function(lam, "import sluice_no_such_module_xyz\n\ndef handler(e, c):\n    return 1\n", prefix="init")
    for _ in range(2):  # every invoke tries a fresh init and answers the same way
        response, error = invoke_json(lam, name, {})
        assert response["StatusCode"] == 200
        assert response["FunctionError"] == FUNCTION_ERROR
        assert error["errorType"] == "Runtime.ImportModuleError"
        assert error["errorMessage"] == "Unable to import module 'handler': No module named 'sluice_no_such_module_xyz'"


def test_missing_handler_function_is_an_init_error(lam):
    name = python_function(lam, "def other(e, c):\n    return 1\n", prefix="nohandler")
    response, error = invoke_json(lam, name, {})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "Runtime.HandlerNotFound"
    assert error["errorMessage"] == "Handler 'handler' missing on module 'handler'"


def test_exception_during_import_is_an_init_error(lam):
    name = python_function(lam, "raise RuntimeError('init failed')\n\ndef handler(e, c):\n    return 1\n", prefix="initraise")
    response, error = invoke_json(lam, name, {})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "RuntimeError"
    assert error["errorMessage"] == "init failed"


# --------------------------------------------------------------------------- timeouts and crashes


def test_timeout_kills_the_environment_and_the_next_invoke_is_fresh(lam):
    name = python_function(lam, INTROSPECT, prefix="timeout", Timeout=1)
    warm, first = invoke_json(lam, name, {})
    old_pid = first["pid"]
    started = time.monotonic()
    response, error = invoke_json(lam, name, {"sleep": 10})
    elapsed = time.monotonic() - started
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == FUNCTION_ERROR
    assert 0.9 <= elapsed < 9.0, f"a 1 s timeout answered after {elapsed:.2f}s (the handler sleeps 10 s)"
    assert error.get("errorType") == "Sandbox.Timedout", error
    match = TIMEOUT_MESSAGE.match(error.get("errorMessage", ""))
    assert match, error
    assert match["id"] == request_id(response)
    assert match["s"] == "1.00"
    wait_gone(old_pid)  # the timed-out environment is killed
    response, result = invoke_json(lam, name, {})
    assert "FunctionError" not in response
    assert result["pid"] != old_pid
    assert result["calls"] == 1, "the next invoke after a timeout must get a fresh process (state lost)"


def test_timeout_seconds_in_the_message_follow_the_configuration(lam):
    name = python_function(lam, INTROSPECT, prefix="timeout2", Timeout=2)
    response, error = invoke_json(lam, name, {"sleep": 10})
    match = TIMEOUT_MESSAGE.match(error.get("errorMessage", ""))
    assert match, error
    assert match["s"] == "2.00"


def test_crash_mid_invoke_is_runtime_exit_error_then_recovery(lam):
    name = python_function(lam, INTROSPECT, prefix="crash")
    response, first = invoke_json(lam, name, {})
    old_pid = first["pid"]
    response, error = invoke_json(lam, name, {"exit": 3})
    rid = request_id(response)
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {rid} Error: Runtime exited with error: exit status 3",
    }
    wait_gone(old_pid)
    response, result = invoke_json(lam, name, {})
    assert "FunctionError" not in response
    assert result["pid"] != old_pid
    assert result["calls"] == 1


def test_cli_reports_a_timeout(url, lam):
    name = python_function(lam, INTROSPECT, prefix="timeout-cli", Timeout=1)
    code, printed, stderr, written = cli_invoke(url, name, payload='{"sleep": 10}')
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "FunctionError": FUNCTION_ERROR, "ExecutedVersion": LATEST}
    assert TIMEOUT_MESSAGE.match(json.loads(written)["errorMessage"]), written


# --------------------------------------------------------------------------- logs


def test_print_and_stderr_are_in_the_tail_log(lam, introspect):
    marker = uniq("printed")
    response, result = invoke_json(
        lam, introspect, {"print": f"{marker} to stdout", "stderr": f"{marker} to stderr"}, LogType="Tail"
    )
    assert response["StatusCode"] == 200
    log = log_tail(response)
    assert f"{marker} to stdout" in log, log
    assert f"{marker} to stderr" in log, log
    # Without LogType=Tail there is no log header.
    response, _ = invoke_json(lam, introspect, {"print": marker})
    assert "LogResult" not in response
    assert "x-amz-log-result" not in headers(response)


def test_tail_log_is_the_last_4_kb(lam):
    source = (
        "def handler(event, context):\n"
        "    for i in range(400):\n"
        "        print('line %04d ' % i + 'x' * 40)\n"
        "    print('THE-END')\n"
    )
    name = python_function(lam, source, prefix="bigtail")
    response, _ = invoke(lam, name, "{}", LogType="Tail")
    raw = base64.b64decode(response["LogResult"])
    assert 0 < len(raw) <= LOG_TAIL_BYTES, len(raw)
    assert len(raw) >= LOG_TAIL_BYTES - 200, f"only {len(raw)} bytes of a ~20 KB log"
    text = raw.decode("utf-8", errors="replace")
    assert "THE-END" in text
    assert "line 0000" not in text


def test_tail_log_of_a_function_error_has_the_error(lam):
    name = python_function(lam, "def handler(e, c):\n    print('before the raise')\n    raise KeyError('k')\n", prefix="errlog")
    response, error = invoke_json(lam, name, {}, LogType="Tail")
    assert response["FunctionError"] == FUNCTION_ERROR
    assert "before the raise" in log_tail(response)


def test_cli_prints_log_result(url, lam):
    marker = uniq("cli-log")
    name = python_function(lam, f"def handler(e, c):\n    print('{marker}')\n    return 1\n", prefix="cli-tail")
    code, printed, stderr, written = cli_invoke(url, name, "--log-type", "Tail", payload="{}")
    assert code == 0, stderr
    assert printed["StatusCode"] == 200
    assert marker in base64.b64decode(printed["LogResult"]).decode()
    assert written == b"1"


# --------------------------------------------------------------------------- environment and context


def test_environment_is_what_aws_gives(lam, url, introspect):
    response, result = invoke_json(lam, introspect, {})
    env = result["env"]
    missing = AWS_ENVIRONMENT_KEYS - env.keys()
    assert not missing, f"missing: {sorted(missing)}"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == introspect
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == LATEST
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["_HANDLER"] == "handler.handler"
    assert env["AWS_REGION"] == REGION
    assert env["AWS_DEFAULT_REGION"] == REGION
    assert re.fullmatch(r"127\.0\.0\.1:\d+", env["AWS_LAMBDA_RUNTIME_API"]), env["AWS_LAMBDA_RUNTIME_API"]
    assert env["AWS_LAMBDA_RUNTIME_API"].split(":")[1] != str(url.rsplit(":", 1)[1])
    assert env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"] and env["AWS_SESSION_TOKEN"]
    assert env["TZ"] == ":UTC"
    assert env["LANG"] == "en_US.UTF-8"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{introspect}"
    assert LOG_STREAM_NAME.match(env["AWS_LAMBDA_LOG_STREAM_NAME"]), env["AWS_LAMBDA_LOG_STREAM_NAME"]
    assert Path(env["LAMBDA_TASK_ROOT"]).is_dir()
    assert Path(env["LAMBDA_TASK_ROOT"], "handler.py").is_file()
    assert result["cwd"] == env["LAMBDA_TASK_ROOT"], "the working directory is LAMBDA_TASK_ROOT"
    # The function's own variables, and Sluice's URL for the SDKs.
    assert env["GREETING"] == "hello"
    assert env["EMPTY"] == ""
    assert env["AWS_ENDPOINT_URL"] == url


def test_nothing_of_sluices_environment_leaks(lam, introspect):
    response, result = invoke_json(lam, introspect, {})
    env = result["env"]
    assert CANARY_KEY not in env
    assert env.get("PYTHONPATH") != SERVER_ENV["PYTHONPATH"]
    assert env["AWS_ENDPOINT_URL"] != SERVER_ENV["AWS_ENDPOINT_URL"]
    extra = env.keys() - AWS_ENVIRONMENT_KEYS - OPTIONAL_ENVIRONMENT_KEYS - {"GREETING", "EMPTY"}
    assert not extra, f"variables neither AWS's nor the function's: {sorted(extra)}"
    own = os.environ.keys() - AWS_ENVIRONMENT_KEYS - OPTIONAL_ENVIRONMENT_KEYS
    leaked = {k for k in own if k in env and env[k] == os.environ[k]}
    assert not leaked, f"the test runner's (and so Sluice's) variables reached the function: {sorted(leaked)}"


def test_user_set_endpoint_url_wins(lam):
    name = python_function(
        lam, INTROSPECT, prefix="endpoint",
        Environment={"Variables": {"AWS_ENDPOINT_URL": "http://example.invalid:9", "AWS_ENDPOINT_URL_SQS": "http://sqs.invalid"}},
    )
    response, result = invoke_json(lam, name, {})
    assert result["env"]["AWS_ENDPOINT_URL"] == "http://example.invalid:9"
    assert result["env"]["AWS_ENDPOINT_URL_SQS"] == "http://sqs.invalid"


def test_context_fields(lam, introspect):
    response, result = invoke_json(lam, introspect, {})
    context = result["context"]
    assert context["function_name"] == introspect
    assert context["function_version"] == LATEST
    assert context["invoked_function_arn"] == function_arn(introspect)
    assert context["memory_limit_in_mb"] in ("256", 256)
    assert context["aws_request_id"] == request_id(response)
    assert context["log_group_name"] == f"/aws/lambda/{introspect}"
    assert context["log_stream_name"] == result["env"]["AWS_LAMBDA_LOG_STREAM_NAME"]
    assert 25_000 < context["remaining"] <= 30_000, context["remaining"]


def test_invoked_function_arn_is_the_arn_used(lam, introspect):
    _, result = invoke_json(lam, function_arn(introspect), {})
    assert result["context"]["invoked_function_arn"] == function_arn(introspect)


def test_warm_environment_is_reused(lam, introspect):
    _, first = invoke_json(lam, introspect, {})
    _, second = invoke_json(lam, introspect, {})
    assert second["pid"] == first["pid"]
    assert second["calls"] == first["calls"] + 1, "globals persist in a warm environment"
    assert second["env"]["AWS_LAMBDA_LOG_STREAM_NAME"] == first["env"]["AWS_LAMBDA_LOG_STREAM_NAME"]


def test_update_configuration_retires_the_old_environment(lam):
    name = python_function(lam, INTROSPECT, prefix="retire", Environment={"Variables": {"STAMP": "1"}})
    _, before = invoke_json(lam, name, {})
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"STAMP": "2"}})
    wait_active(lam, name)
    _, after = invoke_json(lam, name, {})
    assert after["env"]["STAMP"] == "2"
    assert after["pid"] != before["pid"]
    wait_gone(before["pid"])


def test_update_code_retires_the_old_environment(lam):
    name = python_function(lam, "def handler(e, c):\n    import os\n    return ['v1', os.getpid()]\n", prefix="recode")
    _, (version, pid) = invoke_json(lam, name, {})
    assert version == "v1"
    lam.update_function_code(
        FunctionName=name, ZipFile=zip_of({"handler.py": "def handler(e, c):\n    import os\n    return ['v2', os.getpid()]\n"})
    )
    wait_active(lam, name)
    _, (version, new_pid) = invoke_json(lam, name, {})
    assert version == "v2"
    assert new_pid != pid
    wait_gone(pid)


# --------------------------------------------------------------------------- SDK calls from inside a function


def test_function_calls_sluices_sqs_with_boto3(lam, url):
    require_boto3_in_functions()
    sqs = aws_client("sqs", url)
    queue = uniq("from-fn")
    queue_url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    name = python_function(lam, SQS_SENDER, prefix="sqs-sender", Timeout=30)
    body = uniq("hello from inside")
    response, result = invoke_json(lam, name, {"queue": queue, "body": body})
    assert "FunctionError" not in response, result
    assert result["endpoint"] == url
    assert result["region"] == REGION
    messages = sqs_receive(url, queue_url)
    assert [m["Body"] for m in messages] == [body]
    assert messages[0]["MessageId"] == result["MessageId"]
    assert messages[0]["MessageAttributes"]["RequestId"]["StringValue"] == request_id(response)


# --------------------------------------------------------------------------- Event and DryRun


def test_event_invoke_is_queued_and_runs(lam, url):
    require_boto3_in_functions()
    sqs = aws_client("sqs", url)
    queue = uniq("event")
    queue_url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    name = python_function(lam, SQS_SENDER, prefix="event", Timeout=30)
    body = uniq("async")
    started = time.monotonic()
    response, data = invoke(lam, name, json.dumps({"queue": queue, "body": body}), InvocationType="Event")
    assert time.monotonic() - started < 2.0, "an Event invoke must not wait for the function"
    assert response["StatusCode"] == 202
    assert status(response) == 202
    assert data == b""
    assert "FunctionError" not in response
    rid = request_id(response)
    assert UUID_V4.match(rid), rid
    messages = sqs_receive(url, queue_url)
    assert [m["Body"] for m in messages] == [body]
    assert messages[0]["MessageAttributes"]["RequestId"]["StringValue"] == rid


def test_cli_event_invoke(url, lam, tmp_path):
    name = python_function(lam, INTROSPECT, prefix="event-cli")
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    code, printed, stderr, written = cli_invoke(
        url, name, "--invocation-type", "Event", payload=json.dumps({"marker": str(marker_dir / "ran")})
    )
    assert code == 0, stderr
    assert printed == {"StatusCode": 202}
    assert written == b""
    wait_for_files(marker_dir, 1)


def test_dry_run_checks_without_running(lam, url, tmp_path):
    name = python_function(lam, INTROSPECT, prefix="dryrun")
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    response, data = invoke(lam, name, json.dumps({"marker": str(marker_dir / "ran")}), InvocationType="DryRun")
    assert response["StatusCode"] == 204
    assert status(response) == 204
    assert data == b""
    time.sleep(0.5)
    assert list(marker_dir.iterdir()) == [], "DryRun ran the function"
    expect_error(
        lambda: lam.invoke(FunctionName=uniq("missing"), InvocationType="DryRun"),
        "ResourceNotFoundException", 404,
    )
    code, printed, stderr, written = cli_invoke(url, name, "--invocation-type", "DryRun", payload="{}")
    assert code == 0, stderr
    assert printed == {"StatusCode": 204}


# --------------------------------------------------------------------------- request errors


def test_invalid_json_payload(lam, introspect):
    response = expect_error(
        lambda: lam.invoke(FunctionName=introspect, Payload=b"{not json"),
        "InvalidRequestContentException", 400,
    )
    message = response["Error"]["Message"]
    assert message.startswith("Could not parse request body into json: Could not parse payload into json: "), message
    assert len(message) > len("Could not parse request body into json: Could not parse payload into json: ")


def test_cli_invalid_json_payload(url, introspect):
    code, printed, stderr, written = cli_invoke(url, introspect, payload="this is not json")
    assert code != 0
    assert (
        "An error occurred (InvalidRequestContentException) when calling the Invoke operation: "
        "Could not parse request body into json: Could not parse payload into json: " in stderr
    ), stderr


def test_payload_over_6_mb_is_413(lam, introspect):
    too_big = json.dumps("x" * (SYNC_LIMIT - 1))  # 2 quotes: SYNC_LIMIT + 1 bytes
    assert len(too_big) == SYNC_LIMIT + 1
    response = expect_error(
        lambda: lam.invoke(FunctionName=introspect, Payload=too_big), "RequestTooLargeException", 413
    )
    assert response["Error"]["Message"] == f"Request must be smaller than {SYNC_LIMIT} bytes for the InvokeFunction operation"


def test_payload_of_exactly_6_mb_is_accepted(lam):
    name = python_function(lam, "def handler(e, c):\n    return len(e)\n", prefix="sixmb", MemorySize=512)
    payload = json.dumps("x" * (SYNC_LIMIT - 2))
    assert len(payload) == SYNC_LIMIT
    response, result = invoke_json(lam, name, payload)
    assert "FunctionError" not in response, result
    assert result == SYNC_LIMIT - 2


def test_event_payload_over_1_mb_is_413(lam, introspect):
    too_big = json.dumps("x" * (EVENT_LIMIT - 1))
    expect_error(
        lambda: lam.invoke(FunctionName=introspect, Payload=too_big, InvocationType="Event"),
        "RequestTooLargeException", 413,
    )


RESPONSE_LIMIT = 6_291_556  # the Runtime API's response limit (runtime-api.md §1.2)


def test_response_over_the_limit_is_a_function_error(lam):
    name = python_function(lam, "def handler(e, c):\n    return 'x' * e['n']\n", prefix="bigresponse", MemorySize=1024)
    response, data = invoke(lam, name, json.dumps({"n": RESPONSE_LIMIT - 2}))
    assert "FunctionError" not in response
    assert len(data) == RESPONSE_LIMIT
    response, error = invoke_json(lam, name, {"n": RESPONSE_LIMIT - 1})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error == {
        "errorMessage": f"Response payload size exceeded maximum allowed payload size ({RESPONSE_LIMIT} bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
    }


def test_delete_function_stops_its_environments(lam):
    name = python_function(lam, INTROSPECT, prefix="deleted")
    pid = invoke_json(lam, name, {})[1]["pid"]
    lam.delete_function(FunctionName=name)
    wait_gone(pid)
    expect_error(lambda: lam.invoke(FunctionName=name, Payload=b"{}"), "ResourceNotFoundException", 404, not_found(name))


def test_unknown_function_is_404(lam, url):
    name = uniq("nobody")
    for ref in (name, function_arn(name)):
        expect_error(lambda: lam.invoke(FunctionName=ref, Payload=b"{}"), "ResourceNotFoundException", 404, not_found(name))
    for invocation_type in ("Event", "DryRun"):
        expect_error(
            lambda: lam.invoke(FunctionName=name, Payload=b"{}", InvocationType=invocation_type),
            "ResourceNotFoundException", 404, not_found(name),
        )
    failure = cli_error(url, "lambda", "invoke", "--function-name", name, "/dev/null")
    assert cli_error_text("ResourceNotFoundException", "Invoke", not_found(name)) in failure.stderr


def test_unknown_version_is_404(lam, introspect):
    expect_error(
        lambda: lam.invoke(FunctionName=introspect, Qualifier="42", Payload=b"{}"),
        "ResourceNotFoundException", 404, not_found(introspect, "42"),
    )


def test_region_mismatch_is_404(lam, introspect):
    arn = function_arn_in(introspect, "eu-west-1")
    expect_error(
        lambda: lam.invoke(FunctionName=arn, Payload=b"{}"),
        "ResourceNotFoundException", 404,
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    )


def test_raw_invoke_headers(url, introspect):
    status_code, got, body = raw_invoke(url, introspect, b'{"raw": true}', headers={"X-Amz-Log-Type": "Tail"})
    assert status_code == 200, body
    assert got["x-amz-executed-version"] == LATEST
    assert UUID_V4.match(got["x-amzn-requestid"])
    assert "x-amz-function-error" not in got
    base64.b64decode(got["x-amz-log-result"], validate=True)
    assert json.loads(body)["context"]["aws_request_id"] == got["x-amzn-requestid"]


# --------------------------------------------------------------------------- provided runtime


def test_bash_provided_bootstrap(lam, url):
    name = provided_function(lam, bash_bootstrap(), Environment={"Variables": {"FROM_USER": "yes"}})
    response, result = invoke_json(lam, name, {"hello": "bash"}, LogType="Tail")
    assert response["StatusCode"] == 200, result
    assert "FunctionError" not in response, result
    assert response["ExecutedVersion"] == LATEST
    assert result["echo"] == {"hello": "bash"}
    assert result["requestId"] == request_id(response)
    assert result["arn"] == function_arn(name)
    assert result["handler"] == "function.handler"
    assert abs(result["deadline"] - (time.time() * 1000 + 3000)) < 10_000
    log = log_tail(response)
    assert f"bash handling {request_id(response)}" in log, log
    # Warm: the same bash process answers the next invoke.
    _, again = invoke_json(lam, name, [1, 2])
    assert again["echo"] == [1, 2]
    assert again["pid"] == result["pid"]
    # An error posted to /error is the payload, unchanged, with X-Amz-Function-Error.
    response, error = invoke_json(lam, name, {"fail": True})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error == {"errorMessage": "bash says no", "errorType": "Bash.Failure", "stackTrace": []}
    code, printed, stderr, written = cli_invoke(url, name, payload='{"via": "cli"}')
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "ExecutedVersion": LATEST}
    assert json.loads(written)["echo"] == {"via": "cli"}


def test_bash_bootstrap_uses_curl_when_present():
    """Documents which variant ran above (the curl one whenever curl exists, as on AWS's tutorial)."""
    assert ("curl" in bash_bootstrap()) == have_curl()


def test_provided_bootstrap_that_exits_during_init(lam):
    name = provided_function(lam, "#!/bin/sh\necho 'bootstrap giving up' >&2\nexit 7\n", prefix="init-exit")
    response, error = invoke_json(lam, name, {})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "Runtime.ExitError", error
    assert "exit status 7" in error["errorMessage"], error


# A provided runtime (python on the bootstrap's shebang) that answers with the `next` response's headers.
HEADER_ECHO_RUNTIME = """#!{python}
import http.client, json, os
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
api = http.client.HTTPConnection(host, int(port))
while True:
    api.request("GET", "/2018-06-01/runtime/invocation/next")
    response = api.getresponse()
    event = response.read()
    headers = {{k.lower(): v for k, v in response.getheaders()}}
    body = json.dumps({{"headers": headers, "event": event.decode()}})
    api.request("POST", "/2018-06-01/runtime/invocation/%s/response" % headers["lambda-runtime-aws-request-id"], body)
    api.getresponse().read()
"""


def test_runtime_api_next_headers(lam):
    name = provided_function(lam, HEADER_ECHO_RUNTIME.format(python=os.path.realpath(sys.executable)), prefix="headers",
                             Timeout=7)
    before = time.time() * 1000
    response, result = invoke_json(lam, name, '{"k": [1, 2]}')
    after = time.time() * 1000
    assert "FunctionError" not in response, result
    got = result["headers"]
    assert result["event"] == '{"k": [1, 2]}', "the event reaches the runtime byte for byte"
    assert got["lambda-runtime-aws-request-id"] == request_id(response)
    assert got["lambda-runtime-invoked-function-arn"] == function_arn(name)
    assert before + 7000 - 1000 <= int(got["lambda-runtime-deadline-ms"]) <= after + 7000
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", got["lambda-runtime-trace-id"])
    assert "lambda-runtime-client-context" not in got
    assert "lambda-runtime-cognito-identity" not in got


CLIENT_CONTEXT = {"custom": {"k": "v"}, "env": {"platform": "test"}, "client": {"installation_id": "i-1"}}


def test_client_context_reaches_the_runtime(lam):
    name = provided_function(lam, HEADER_ECHO_RUNTIME.format(python=os.path.realpath(sys.executable)), prefix="cc-raw")
    encoded = base64.b64encode(json.dumps(CLIENT_CONTEXT).encode()).decode()
    _, result = invoke_json(lam, name, {}, ClientContext=encoded)
    assert json.loads(result["headers"]["lambda-runtime-client-context"]) == CLIENT_CONTEXT


def test_client_context_in_the_python_context(lam):
    source = (
        "def handler(event, context):\n"
        "    cc = context.client_context\n"
        "    if cc is None:\n"
        "        return None\n"
        "    return {'custom': cc.custom, 'env': cc.env, 'installation_id': cc.client.installation_id}\n"
    )
    name = python_function(lam, source, prefix="cc-python")
    _, result = invoke_json(lam, name, {})
    assert result is None, "no X-Amz-Client-Context: context.client_context is None"
    encoded = base64.b64encode(json.dumps(CLIENT_CONTEXT).encode()).decode()
    _, result = invoke_json(lam, name, {}, ClientContext=encoded)
    # awslambdaric turns the JSON into an object with .custom, .env (dicts) and .client (an object).
    assert result == {"custom": {"k": "v"}, "env": {"platform": "test"}, "installation_id": "i-1"}


def test_bootstrap_exiting_during_init_never_answers_500(lam, url):
    """An init that exits at once races the hand-off of the invocation; every answer must still be the
    Runtime.ExitError function error, never a service error."""
    names = [provided_function(lam, "#!/bin/sh\nexit 7\n", prefix="init-race") for _ in range(4)]

    def hammer(name):
        client = lambda_client(url)
        outcomes = []
        for _ in range(10):
            try:
                response, error = invoke_json(client, name, {})
                outcomes.append((response.get("FunctionError"), error.get("errorType")))
            except ClientError as e:
                outcomes.append((e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"],
                                 e.response["Error"]["Message"]))
        return outcomes

    with concurrent.futures.ThreadPoolExecutor(len(names)) as pool:
        outcomes = [o for batch in pool.map(hammer, names) for o in batch]
    wrong = [o for o in outcomes if o != (FUNCTION_ERROR, "Runtime.ExitError")]
    assert not wrong, f"{len(wrong)} of {len(outcomes)} answers were not Runtime.ExitError: {sorted(set(wrong))}"


# --------------------------------------------------------------------------- concurrency


def _invoke_in_threads(url, name, events):
    def one(event):
        client = lambda_client(url, read_timeout=60)
        response, result = invoke_json(client, name, event)
        return response, result

    with concurrent.futures.ThreadPoolExecutor(len(events)) as pool:
        return list(pool.map(one, events))


def test_parallel_invokes_get_their_own_environments(lam, url, tmp_path):
    n = 4
    name = python_function(lam, INTROSPECT, prefix="parallel", Timeout=60)
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    started = time.monotonic()
    outcomes = _invoke_in_threads(url, name, [{"sleep": 1.5, "marker": str(marker_dir / "m")}] * n)
    elapsed = time.monotonic() - started
    pids = [result["pid"] for _, result in outcomes]
    assert all("FunctionError" not in response for response, _ in outcomes), outcomes
    assert len(set(pids)) == n, f"{n} parallel invokes ran in {len(set(pids))} processes: {pids}"
    assert len({request_id(r) for r, _ in outcomes}) == n
    assert elapsed < n * 1.5, f"{n} invokes of 1.5 s took {elapsed:.1f}s: they did not run in parallel"
    # Afterwards the warm environments are reused, not new ones started.
    for _ in range(3):
        _, result = invoke_json(lam, name, {})
        assert result["pid"] in pids


def test_max_environments_throttles_with_429(servers, tmp_path):
    server = servers.start("--max-environments", "2", transition_delay=0.05)
    try:
        client = lambda_client(server.url)
        name = python_function(client, INTROSPECT, prefix="throttle", Timeout=60)
        marker_dir = tmp_path / "busy"
        marker_dir.mkdir()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            busy = [
                pool.submit(lambda: invoke_json(lambda_client(server.url), name, {"sleep": 4, "marker": str(marker_dir / "m")}))
                for _ in range(2)
            ]
            wait_for_files(marker_dir, 2)  # both environments are inside the handler
            response = expect_error(
                lambda: client.invoke(FunctionName=name, Payload=b"{}"), "TooManyRequestsException", 429, "Rate Exceeded."
            )
            assert response.get("Reason") == "ConcurrentInvocationLimitExceeded", response
            assert "retry-after" in response["ResponseMetadata"]["HTTPHeaders"], response["ResponseMetadata"]
            code, got, raw = raw_invoke(server.url, name, b"{}")
            assert code == 429
            assert got["x-amzn-errortype"].split(":")[0] == "TooManyRequestsException"
            assert int(got["retry-after"]) >= 0
            assert UUID_ANY.match(got["x-amzn-requestid"])
            error = json.loads(raw)
            assert error["Reason"] == "ConcurrentInvocationLimitExceeded"
            assert error.get("message", error.get("Message")) == "Rate Exceeded."
            failure = cli_error(server.url, "lambda", "invoke", "--function-name", name, "/dev/null")
            # The CLI names its (disabled) retries: "... the Invoke operation (reached max retries: 0): Rate Exceeded."
            assert "An error occurred (TooManyRequestsException) when calling the Invoke operation" in failure.stderr
            assert failure.stderr.strip().endswith(": Rate Exceeded."), failure.stderr
            # DryRun is not an invocation: it is not throttled.
            assert invoke(client, name, "{}", InvocationType="DryRun")[0]["StatusCode"] == 204
            results = [future.result() for future in busy]
        assert all("FunctionError" not in r for r, _ in results), results
        # Once they are done, invokes run again, in the existing environments.
        _, result = invoke_json(client, name, {})
        assert result["pid"] in {r["pid"] for _, r in results}
    finally:
        server.stop()



def test_idle_environments_are_stopped(servers):
    server = servers.start("--idle-timeout", "1", transition_delay=0.05)
    try:
        client = lambda_client(server.url)
        name = python_function(client, INTROSPECT, prefix="idle")
        _, first = invoke_json(client, name, {})
        _, warm = invoke_json(client, name, {})
        assert warm["pid"] == first["pid"]
        wait_gone(first["pid"], timeout=15)
        _, later = invoke_json(client, name, {})
        assert later["pid"] != first["pid"]
        assert later["calls"] == 1
    finally:
        server.stop()


def test_stopping_sluice_stops_its_function_processes(servers):
    server = servers.start(transition_delay=0.05)
    try:
        client = lambda_client(server.url)
        name = python_function(client, INTROSPECT, prefix="orphan")
        bash = provided_function(client, bash_bootstrap(), prefix="orphan-bash")
        pids = [invoke_json(client, name, {})[1]["pid"], invoke_json(client, bash, {})[1]["pid"]]
        assert all(pid_alive(pid) for pid in pids)
    finally:
        code = server.stop()
    assert code in (0, -15, 143), f"sluice exited with {code} on SIGTERM"
    for pid in pids:
        wait_gone(pid)


# --------------------------------------------------------------------------- code checks


SLIP_ZIPS = {
    "dot-dot": lambda marker: {"handler.py": "def handler(e, c):\n    return 1\n", f"../{marker}.py": "x = 1\n"},
    "deep-dot-dot": lambda marker: {"handler.py": "", f"lib/../../../{marker}.py": "x = 1\n"},
    "absolute": lambda marker: {"handler.py": "", f"/tmp/{marker}.py": "x = 1\n"},
    "symlink-out": lambda marker: {"handler.py": "", marker: ("/etc", 0o120777)},
    "symlink-up": lambda marker: {"handler.py": "", f"sub/{marker}": ("../../..", 0o120777)},
}


SLIP_CASES = [(kind, zipfile.ZIP_STORED) for kind in sorted(SLIP_ZIPS)] + [
    (kind, zipfile.ZIP_DEFLATED) for kind in sorted(SLIP_ZIPS) if kind.startswith("symlink")
]


@pytest.mark.parametrize(
    "kind,link_compression", SLIP_CASES, ids=[f"{k}-{'deflated' if c else 'stored'}" for k, c in SLIP_CASES]
)
def test_zip_slip_is_refused(lam, server, kind, link_compression):
    marker = uniq("slip")
    bad = zip_of(SLIP_ZIPS[kind](marker), link_compression=link_compression)
    name = uniq("slip")
    response = expect_error(
        lambda: create_function(lam, name, zip_bytes=bad), "InvalidParameterValueException", 400
    )
    assert response["Error"]["Message"].startswith(UNZIP_MESSAGE), response["Error"]["Message"]
    expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404)
    # UpdateFunctionCode refuses it too, and the function keeps its code.
    good = python_function(lam, "def handler(e, c):\n    return 'still good'\n", prefix="slip-update")
    response = expect_error(
        lambda: lam.update_function_code(FunctionName=good, ZipFile=bad), "InvalidParameterValueException", 400
    )
    assert response["Error"]["Message"].startswith(UNZIP_MESSAGE)
    assert invoke_json(lam, good, {})[1] == "still good"
    # Nothing landed outside the code directories.
    roots = [Path(server.data_dir).parent, Path(server.data_dir), Path("/tmp")]
    for root in roots:
        assert not list(root.glob(f"{marker}*")), f"{marker} was written into {root}"


def test_cli_zip_slip_is_refused(url, tmp_path):
    path = tmp_path / "slip.zip"
    path.write_bytes(zip_of({"handler.py": "", "../escape.py": "x = 1\n"}))
    failure = cli_error(
        url, "lambda", "create-function", "--function-name", uniq("slip-cli"), "--runtime", "python3.12",
        "--role", ROLE, "--handler", "handler.handler", "--zip-file", f"fileb://{path}",
    )
    assert f"An error occurred (InvalidParameterValueException) when calling the CreateFunction operation: {UNZIP_MESSAGE}" in failure.stderr


@pytest.mark.parametrize("link_compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"])
def test_symlinks_inside_the_code_are_kept(lam, link_compression):
    files = {
        "real.py": "def handler(e, c):\n    import os\n    return [os.readlink('handler.py'), os.readlink('lib/up.py')]\n",
        "handler.py": ("real.py", 0o120777),
        "lib/up.py": ("../real.py", 0o120777),
    }
    name = python_function(lam, "", prefix="inner-link", Code={"ZipFile": zip_of(files, link_compression=link_compression)})
    response, result = invoke_json(lam, name, {})
    assert "FunctionError" not in response, result
    assert result == ["real.py", "../real.py"]


def test_executable_bits_are_kept(lam):
    name = provided_function(
        lam, "#!/bin/sh\nexec \"$LAMBDA_TASK_ROOT/bin/real-bootstrap\"\n", prefix="modes",
        extra={"bin/real-bootstrap": (bash_bootstrap(), 0o755)},
    )
    response, result = invoke_json(lam, name, {"x": 1})
    assert "FunctionError" not in response, result
    assert result["echo"] == {"x": 1}


# --------------------------------------------------------------------------- Failed state


def test_missing_interpreter_puts_the_function_in_failed_state(servers):
    server = servers.start(transition_delay=0.05, env={"PATH": "/nonexistent"})
    try:
        client = lambda_client(server.url)
        name = uniq("no-python")
        create_function(client, name, Runtime="python3.12")
        deadline = time.monotonic() + 10
        while (config := client.get_function_configuration(FunctionName=name))["State"] == "Pending":
            assert time.monotonic() < deadline, config
            time.sleep(0.02)
        assert config["State"] == "Failed"
        assert config["StateReasonCode"] == "InvalidRuntime"
        assert config["StateReason"] == "Sluice cannot run python3.12: no python3 interpreter was found on the PATH."
        assert client.get_function(FunctionName=name)["Configuration"]["State"] == "Failed"
        message = "The operation cannot be performed at this time. The function is currently in the following state: Failed"
        expect_error(lambda: client.invoke(FunctionName=name, Payload=b"{}"), "ResourceConflictException", 409, message)
        expect_error(
            lambda: client.invoke(FunctionName=name, Payload=b"{}", InvocationType="Event"),
            "ResourceConflictException", 409, message,
        )
        failure = cli_error(server.url, "lambda", "invoke", "--function-name", name, "/dev/null")
        assert cli_error_text("ResourceConflictException", "Invoke", message) in failure.stderr
        # A provided function does not need the interpreter: it is Active and runs on the same server.
        if have_curl():
            bash = provided_function(client, bash_bootstrap(), prefix="still-runs")
            response, result = invoke_json(client, bash, {"ok": 1})
            assert result["echo"] == {"ok": 1}
    finally:
        server.stop()
    # Whether a runtime can run is the machine's: restarted where python3 is found, the function is Active.
    again = servers.start(data_dir=server.data_dir, transition_delay=0.05)
    try:
        client = lambda_client(again.url)
        config = client.get_function_configuration(FunctionName=name)
        assert config["State"] == "Active" and "StateReasonCode" not in config, config
        assert invoke_json(client, name, {})[0]["StatusCode"] == 200
    finally:
        again.stop()
