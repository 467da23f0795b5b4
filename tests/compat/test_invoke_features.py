"""Invoke with reserved concurrency, nodejs runtimes, qualified invokes of published versions and aliases,
START/END/REPORT log lines and `sluice logs` (issue 4), against the real binary with boto3 and the aws CLI.
"""

from __future__ import annotations

import concurrent.futures
import json
import math
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from compat_support import (
    ROLE,
    SLUICE_BIN,
    cli_ok,
    expect_error,
    function_arn,
    lambda_client,
    status,
    uniq,
)
from invoke_support import (
    FUNCTION_ERROR,
    INTROSPECT,
    LATEST,
    cli_invoke,
    invoke,
    invoke_json,
    log_tail,
    python_function,
    raw_invoke,
    request_id,
    wait_active,
    wait_for_files,
    zip_of,
)

THROTTLE_MESSAGE = "Rate Exceeded."
RESERVED_REASON = "ReservedFunctionConcurrentInvocationLimitExceeded"


# --------------------------------------------------------------------------- reserved concurrency


def test_put_get_delete_function_concurrency(lam, url):
    name = python_function(lam, INTROSPECT, prefix="reserved-api")
    put = lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=3)
    assert status(put) == 200
    assert put["ReservedConcurrentExecutions"] == 3
    assert lam.get_function_concurrency(FunctionName=name)["ReservedConcurrentExecutions"] == 3
    assert lam.get_function(FunctionName=name)["Concurrency"] == {"ReservedConcurrentExecutions": 3}
    printed = cli_ok(url, "lambda", "put-function-concurrency", "--function-name", name,
                     "--reserved-concurrent-executions", "2")
    assert printed == {"ReservedConcurrentExecutions": 2}
    deleted = lam.delete_function_concurrency(FunctionName=name)
    assert status(deleted) == 204
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName=name)


def test_reserved_concurrency_throttles_with_its_reason(lam, url, tmp_path):
    name = python_function(lam, INTROSPECT, prefix="reserved", Timeout=60)
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    marker_dir = tmp_path / "busy"
    marker_dir.mkdir()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        busy = pool.submit(
            lambda: invoke_json(lambda_client(url), name, {"sleep": 3, "marker": str(marker_dir / "m")})
        )
        wait_for_files(marker_dir, 1)
        response = expect_error(
            lambda: lam.invoke(FunctionName=name, Payload=b"{}"), "TooManyRequestsException", 429, THROTTLE_MESSAGE
        )
        assert response.get("Reason") == RESERVED_REASON, response
        code, headers, body = raw_invoke(url, name, b"{}")
        assert code == 429
        assert "retry-after" in headers
        assert json.loads(body)["Reason"] == RESERVED_REASON
        # Other functions are not limited by this one's reservation.
        other = python_function(lam, INTROSPECT, prefix="unreserved")
        assert invoke_json(lam, other, {})[0]["StatusCode"] == 200
        first, _ = busy.result()
    assert "FunctionError" not in first
    assert invoke_json(lam, name, {})[0]["StatusCode"] == 200
    # Deleting the reservation lifts the limit: two at once run.
    lam.delete_function_concurrency(FunctionName=name)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: invoke_json(lambda_client(url), name, {"sleep": 1}), range(2)))
    assert len({r["pid"] for _, r in results}) == 2


def test_zero_reserved_concurrency_throttles_every_invoke(lam, url):
    name = python_function(lam, INTROSPECT, prefix="reserved-zero")
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    response = expect_error(
        lambda: lam.invoke(FunctionName=name, Payload=b"{}"), "TooManyRequestsException", 429, THROTTLE_MESSAGE
    )
    assert response.get("Reason") == RESERVED_REASON
    code, printed, stderr, written = cli_invoke(url, name, payload="{}")
    assert code != 0
    assert "TooManyRequestsException" in stderr and stderr.strip().endswith(THROTTLE_MESSAGE), stderr


# --------------------------------------------------------------------------- nodejs


def node_function(client, files: dict, *, runtime="nodejs20.x", handler="index.handler", prefix="node", **overrides):
    if shutil.which("node") is None:
        pytest.skip("no node on this machine")
    name = uniq(prefix)
    client.create_function(
        FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": zip_of(files)}, **overrides
    )
    config = wait_active(client, name)
    assert config["State"] == "Active", config
    return name


NODE_ASYNC = """
let calls = 0;
exports.handler = async (event, context) => {
  calls += 1;
  console.log("node says " + JSON.stringify(event));
  if (event.throw) throw new Error(event.throw);
  return {
    event, calls, pid: process.pid,
    env: process.env,
    context: {
      functionName: context.functionName, functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId, logGroupName: context.logGroupName, logStreamName: context.logStreamName,
      remaining: context.getRemainingTimeInMillis(),
    },
  };
};
"""

NODE_CALLBACK = """
exports.handler = function (event, context, callback) {
  if (event.fail) return callback(new TypeError(event.fail));
  setTimeout(() => callback(null, { echoed: event, requestId: context.awsRequestId }), 10);
};
"""

NODE_ESM = """
export const handler = async (event) => ({ esm: true, event });
"""


@pytest.mark.parametrize("runtime", ["nodejs18.x", "nodejs20.x", "nodejs22.x"])
def test_node_async_handler(lam, url, runtime):
    name = node_function(lam, {"index.js": NODE_ASYNC}, runtime=runtime, MemorySize=256,
                         Environment={"Variables": {"GREETING": "hi"}})
    response, result = invoke_json(lam, name, {"a": 1}, LogType="Tail")
    assert response["StatusCode"] == 200
    assert "FunctionError" not in response, result
    assert response["ExecutedVersion"] == LATEST
    assert result["event"] == {"a": 1}
    context = result["context"]
    assert context["functionName"] == name
    assert context["functionVersion"] == LATEST
    assert context["invokedFunctionArn"] == function_arn(name)
    assert str(context["memoryLimitInMB"]) == "256"
    assert context["awsRequestId"] == request_id(response)
    assert context["logGroupName"] == f"/aws/lambda/{name}"
    assert 0 < context["remaining"] <= 3000
    env = result["env"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["_HANDLER"] == "index.handler"
    assert env["GREETING"] == "hi"
    assert env["AWS_ENDPOINT_URL"] == url
    assert env["AWS_EXECUTION_ENV"] == f"AWS_Lambda_{runtime}"
    assert 'node says {"a":1}' in log_tail(response)
    _, again = invoke_json(lam, name, {})
    assert again["pid"] == result["pid"]
    assert again["calls"] == 2


def test_node_async_throw_is_a_function_error(lam):
    name = node_function(lam, {"index.js": NODE_ASYNC})
    response, error = invoke_json(lam, name, {"throw": "node boom"})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "Error"
    assert error["errorMessage"] == "node boom"
    assert isinstance(error.get("trace"), list) and error["trace"][0] == "Error: node boom", error


def test_node_callback_handler(lam, url):
    name = node_function(lam, {"index.js": NODE_CALLBACK}, prefix="node-cb")
    response, result = invoke_json(lam, name, {"b": 2})
    assert "FunctionError" not in response, result
    assert result == {"echoed": {"b": 2}, "requestId": request_id(response)}
    response, error = invoke_json(lam, name, {"fail": "bad callback"})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "TypeError"
    assert error["errorMessage"] == "bad callback"
    code, printed, stderr, written = cli_invoke(url, name, payload='{"c": 3}')
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "ExecutedVersion": LATEST}
    assert json.loads(written)["echoed"] == {"c": 3}


def test_node_esm_module_and_nested_handler_path(lam):
    name = node_function(lam, {"src/app.mjs": NODE_ESM}, handler="src/app.handler", prefix="node-esm")
    response, result = invoke_json(lam, name, {"d": 4})
    assert "FunctionError" not in response, result
    assert result == {"esm": True, "event": {"d": 4}}


def test_node_missing_handler_is_an_init_error(lam):
    name = node_function(lam, {"index.js": "exports.other = async () => 1;\n"}, prefix="node-nohandler")
    response, error = invoke_json(lam, name, {})
    assert response["FunctionError"] == FUNCTION_ERROR
    assert error["errorType"] == "Runtime.HandlerNotFound", error


# --------------------------------------------------------------------------- versions and aliases


VERSIONED = """
import os
def handler(event, context):
    return {"code": CODE, "version": context.function_version, "arn": context.invoked_function_arn,
            "env_version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"], "stamp": os.environ.get("STAMP"),
            "pid": os.getpid()}
"""


def versioned_code(tag: str) -> bytes:
    return zip_of({"handler.py": f"CODE = {tag!r}\n" + VERSIONED})


def test_qualified_invokes_run_that_versions_code_and_configuration(lam, url):
    name = uniq("versioned")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="handler.handler",
                        Code={"ZipFile": versioned_code("one")}, Environment={"Variables": {"STAMP": "first"}})
    wait_active(lam, name)
    published = lam.publish_version(FunctionName=name)
    assert status(published) == 201
    assert published["Version"] == "1"
    lam.update_function_code(FunctionName=name, ZipFile=versioned_code("two"))
    wait_active(lam, name)
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"STAMP": "second"}})
    wait_active(lam, name)

    response, one = invoke_json(lam, name, {}, Qualifier="1")
    assert response["ExecutedVersion"] == "1"
    assert one == {"code": "one", "version": "1", "arn": function_arn(name, qualifier="1"), "env_version": "1",
                   "stamp": "first", "pid": one["pid"]}
    response, latest = invoke_json(lam, name, {})
    assert response["ExecutedVersion"] == LATEST
    assert (latest["code"], latest["version"], latest["stamp"]) == ("two", LATEST, "second")
    assert latest["pid"] != one["pid"], "versions run in their own environments"
    # name:1 in FunctionName is the same as Qualifier=1.
    response, again = invoke_json(lam, f"{name}:1", {})
    assert response["ExecutedVersion"] == "1"
    assert again["code"] == "one"
    code, printed, stderr, written = cli_invoke(url, name, "--qualifier", "1", payload="{}")
    assert code == 0, stderr
    assert printed == {"StatusCode": 200, "ExecutedVersion": "1"}
    assert json.loads(written)["code"] == "one"


def test_alias_invokes_resolve_to_the_version(lam):
    name = uniq("aliased")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="handler.handler",
                        Code={"ZipFile": versioned_code("one")})
    wait_active(lam, name)
    assert lam.publish_version(FunctionName=name)["Version"] == "1"
    lam.update_function_code(FunctionName=name, ZipFile=versioned_code("two"))
    wait_active(lam, name)
    assert lam.publish_version(FunctionName=name)["Version"] == "2"
    alias = lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    assert status(alias) == 201
    assert alias["AliasArn"] == function_arn(name, qualifier="live")

    response, result = invoke_json(lam, name, {}, Qualifier="live")
    assert response["ExecutedVersion"] == "1"
    assert result["code"] == "one"
    assert result["arn"] == function_arn(name, qualifier="live")
    assert result["version"] == "1"
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
    response, result = invoke_json(lam, function_arn(name, qualifier="live"), {})
    assert response["ExecutedVersion"] == "2"
    assert result["code"] == "two"
    expect_error(
        lambda: lam.invoke(FunctionName=name, Qualifier="nope", Payload=b"{}"),
        "ResourceNotFoundException", 404, f"Function not found: {function_arn(name, qualifier='nope')}",
    )


def test_conflicting_qualifiers_are_rejected(lam):
    name = python_function(lam, "def handler(e, c):\n    return 1\n", prefix="conflict")
    lam.publish_version(FunctionName=name)
    expect_error(
        lambda: lam.invoke(FunctionName=f"{name}:1", Qualifier=LATEST, Payload=b"{}"),
        "InvalidParameterValueException", 400,
        "The derived qualifier from the function name does not match the specified qualifier.",
    )


# --------------------------------------------------------------------------- logs

START_LINE = "START RequestId: {id} Version: {version}"
END_LINE = "END RequestId: {id}"
REPORT_LINE = re.compile(
    r"^REPORT RequestId: (?P<id>[0-9a-f-]{36})\tDuration: (?P<duration>\d+\.\d\d) ms\t"
    r"Billed Duration: (?P<billed>\d+) ms\tMemory Size: (?P<memory>\d+) MB\tMax Memory Used: (?P<used>\d+) MB"
    r"(?:\tInit Duration: (?P<init>\d+\.\d\d) ms)?(?:\t|\tStatus: (?P<status>timeout|error.*))$"
)


def report_line(log: str, rid: str) -> re.Match:
    for line in log.splitlines():
        match = REPORT_LINE.match(line)
        if match and match["id"] == rid:
            return match
    pytest.fail(f"no REPORT line for {rid} in:\n{log}")


def test_tail_log_has_start_end_report(lam):
    name = python_function(lam, "def handler(e, c):\n    print('in the handler')\n    return 1\n",
                           prefix="report", MemorySize=256)
    response, _ = invoke(lam, name, "{}", LogType="Tail")
    rid = request_id(response)
    lines = log_tail(response).splitlines()
    assert START_LINE.format(id=rid, version=LATEST) in lines, lines
    assert END_LINE.format(id=rid) in lines, lines
    start = lines.index(START_LINE.format(id=rid, version=LATEST))
    end = lines.index(END_LINE.format(id=rid))
    assert start < lines.index("in the handler") < end
    report = report_line("\n".join(lines), rid)
    assert report["memory"] == "256"
    assert report["init"] is not None, "the first invoke of an environment reports its Init Duration"
    # Since 2025 AWS bills the init of an on-demand cold start: Billed = ceil(Duration + Init Duration).
    assert int(report["billed"]) == math.ceil(float(report["duration"]) + float(report["init"]) - 1e-9)
    response, _ = invoke(lam, name, "{}", LogType="Tail")
    warm = report_line(log_tail(response), request_id(response))
    assert warm["init"] is None, "a warm invoke has no Init Duration"
    assert int(warm["billed"]) == max(1, math.ceil(float(warm["duration"]) - 1e-9))


def test_tail_log_of_a_timeout_has_the_report(lam):
    name = python_function(lam, INTROSPECT, prefix="report-timeout", Timeout=1)
    response, error = invoke_json(lam, name, {"sleep": 5}, LogType="Tail")
    rid = request_id(response)
    log = log_tail(response)
    assert END_LINE.format(id=rid) in log.splitlines(), log
    report = report_line(log, rid)
    assert report["duration"] == "1000.00"
    assert report["status"] == "timeout"


def sluice_logs(data_dir, *args, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env["SLUICE_DATA_DIR"] = str(data_dir)
    return subprocess.run([SLUICE_BIN, "logs", *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_sluice_logs_prints_a_functions_log(lam, server):
    marker = uniq("logged")
    name = python_function(lam, f"def handler(e, c):\n    print('{marker}')\n    return 1\n", prefix="logs")
    rids = [request_id(invoke(lam, name, "{}")[0]) for _ in range(2)]
    done = sluice_logs(server.data_dir, name)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for rid in rids:
        assert any(START_LINE.format(id=rid, version=LATEST) in line for line in lines), done.stdout
        assert any(line.startswith(f"REPORT RequestId: {rid}") or f"REPORT RequestId: {rid}" in line for line in lines)
    assert sum(marker in line for line in lines) == 2
    unknown = sluice_logs(server.data_dir, uniq("nobody"))
    assert unknown.returncode != 0


def test_sluice_logs_follow(lam, server, tmp_path):
    marker = uniq("followed")
    name = python_function(lam, "def handler(e, c):\n    print(e['say'])\n    return 1\n", prefix="follow")
    invoke(lam, name, json.dumps({"say": "before"}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env["SLUICE_DATA_DIR"] = str(server.data_dir)
    out_path = tmp_path / "follow.out"
    with open(out_path, "wb") as out:
        follower = subprocess.Popen([SLUICE_BIN, "logs", name, "--follow"], stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env)
    try:
        time.sleep(0.5)
        invoke(lam, name, json.dumps({"say": marker}))
        deadline = time.monotonic() + 10
        while marker not in out_path.read_text(errors="replace"):
            assert follower.poll() is None, out_path.read_text(errors="replace")
            assert time.monotonic() < deadline, f"--follow did not print {marker}: {out_path.read_text()}"
            time.sleep(0.05)
    finally:
        if follower.poll() is None:
            os.kill(follower.pid, signal.SIGTERM)
            try:
                follower.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(follower.pid, signal.SIGKILL)
                follower.wait(10)
