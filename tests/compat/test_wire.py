"""Raw HTTP: error headers and body shapes (esm-api.md §6), request-body problems, unknown routes,
oversized bodies, timestamps on the wire, path encoding, and SigV4 verification
(wire-protocols.md §5–6, docs/compatibility.md "Server and identity")."""

from __future__ import annotations

import base64
import json
import select
import socket
import uuid as uuidlib
from urllib.parse import quote, urlsplit

import boto3
import pytest
import requests

from compat_support import (
    NOT_FOUND_MESSAGE,
    ROLE,
    create_function,
    expect_error,
    function_arn,
    kinesis_arn,
    lambda_client,
    list_uuids,
    make_zip,
    sqs_arn,
    uniq,
)

ESM_PATH = "/2015-03-31/event-source-mappings"
BODY_LIMIT = 70167211


def call(url, method, path, *, data=None, json_body=None, headers=None, params=None):
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    if json_body is not None:
        data = json.dumps(json_body)
    return requests.request(method, url + path, data=data, headers=all_headers, params=params, timeout=30)


def error_type(response):
    value = response.headers.get("x-amzn-ErrorType")
    assert value, f"no x-amzn-ErrorType header: {dict(response.headers)}"
    return value.split(":", 1)[0]


def assert_request_id(response):
    request_id = response.headers.get("x-amzn-RequestId")
    assert request_id, f"no x-amzn-RequestId header: {dict(response.headers)}"
    return request_id


def assert_json(response):
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    return response.json()


def any_message(payload):
    return payload.get("message", payload.get("Message"))


@pytest.fixture
def unchanged(lam):
    before = list_uuids(lam)
    yield
    assert list_uuids(lam) == before, "a rejected request left a mapping behind"


# --------------------------------------------------------------------------- error shapes


def test_resource_not_found_uses_type_and_capital_message(url):
    response = call(url, "GET", f"{ESM_PATH}/{uuidlib.uuid4()}")
    assert response.status_code == 404
    assert error_type(response) == "ResourceNotFoundException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["Type"] == "User"
    assert payload["Message"] == NOT_FOUND_MESSAGE
    assert "message" not in payload


def test_function_not_found_uses_capital_message(url):
    name = uniq("nope")
    response = call(url, "GET", f"/2015-03-31/functions/{name}")
    assert response.status_code == 404
    assert error_type(response) == "ResourceNotFoundException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["Type"] == "User"
    assert payload["Message"] == f"Function not found: {function_arn(name)}"
    assert "message" not in payload


def test_invalid_parameter_uses_type_and_lowercase_message(url, unchanged):
    response = call(url, "POST", ESM_PATH, json_body={"FunctionName": uniq("nope"), "EventSourceArn": sqs_arn()})
    assert response.status_code == 400
    assert error_type(response) == "InvalidParameterValueException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["Type"] == "User"
    assert payload["message"] == "Function does not exist"
    assert "Message" not in payload


def test_conflict_uses_lowercase_message(url, lam, fn):
    queue = sqs_arn()
    first = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=queue, Enabled=False)
    response = call(url, "POST", ESM_PATH, json_body={"FunctionName": fn, "EventSourceArn": queue})
    assert response.status_code == 409
    assert error_type(response) == "ResourceConflictException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["Type"] == "User"
    assert payload["message"].endswith(f"Please update or delete the existing mapping with UUID {first['UUID']}")
    assert "Message" not in payload


def test_validation_exception_uses_lowercase_message(url, fn, unchanged):
    response = call(
        url, "POST", ESM_PATH, json_body={"FunctionName": fn, "EventSourceArn": kinesis_arn(), "StartingPosition": "LATEST", "BatchSize": 0}
    )
    assert response.status_code == 400
    assert error_type(response) == "ValidationException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["message"] == (
        "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_resource_in_use_uses_capital_message(servers):
    slow = servers.start(transition_delay=3)
    client = lambda_client(slow.url)
    name = uniq("fn-busy")
    create_function(client, name)
    created = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn())
    response = call(slow.url, "PUT", f"{ESM_PATH}/{created['UUID']}", json_body={"BatchSize": 3})
    assert response.status_code == 400
    assert error_type(response) == "ResourceInUseException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["Type"] == "User"
    assert payload["Message"] == (
        "The operation cannot be performed at this time. "
        "The event source mapping is currently in the following state: Creating"
    )
    assert "message" not in payload


def test_request_id_on_success_and_unique(url):
    first = call(url, "GET", ESM_PATH)
    second = call(url, "GET", ESM_PATH)
    assert first.status_code == second.status_code == 200
    assert assert_request_id(first) != assert_request_id(second)
    assert "EventSourceMappings" in assert_json(first)


# --------------------------------------------------------------------------- request bodies


@pytest.mark.parametrize("raw", ["{not json", '{"FunctionName": "f",', "\x00\x01", '{"a": 1} trailing'])
def test_malformed_json_is_invalid_request_content(url, unchanged, raw):
    response = call(url, "POST", ESM_PATH, data=raw.encode())
    assert response.status_code == 400
    assert error_type(response) == "InvalidRequestContentException"
    assert_request_id(response)
    payload = assert_json(response)
    assert payload["message"].startswith("Could not parse request body into json: "), payload


def test_malformed_json_on_create_function(url):
    name = uniq("fn-badjson")
    response = call(url, "POST", "/2015-03-31/functions", data=b'{"FunctionName": "%s", ' % name.encode())
    assert response.status_code == 400
    assert error_type(response) == "InvalidRequestContentException"
    assert any_message(response.json()).startswith("Could not parse request body into json: ")
    assert call(url, "GET", f"/2015-03-31/functions/{name}").status_code == 404


@pytest.mark.parametrize(
    "member,value",
    [("BatchSize", "ten"), ("Enabled", "yes"), ("MaximumRetryAttempts", [1]), ("FunctionName", 12), ("FilterCriteria", "x")],
)
def test_wrong_member_type_is_invalid_request_content(url, fn, unchanged, member, value):
    document = {"FunctionName": fn, "EventSourceArn": kinesis_arn(), "StartingPosition": "LATEST"}
    document[member] = value
    response = call(url, "POST", ESM_PATH, json_body=document)
    assert response.status_code == 400
    assert error_type(response) == "InvalidRequestContentException"
    payload = assert_json(response)
    assert payload["message"].startswith(
        f"Could not parse request body into json: Could not deserialize {member}: expected "
    ), payload


def test_wrong_member_type_on_update_changes_nothing(url, lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False)
    response = call(url, "PUT", f"{ESM_PATH}/{created['UUID']}", json_body={"BatchSize": "ten"})
    assert response.status_code == 400
    assert error_type(response) == "InvalidRequestContentException"
    got = lam.get_event_source_mapping(UUID=created["UUID"])
    assert got["BatchSize"] == 10
    assert got["State"] == "Disabled"


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/2015-03-31/no-such-thing"),
        ("POST", "/2015-03-31/functions/x/no-such-subresource"),
        ("GET", "/2017-03-31/nothing-here"),
        ("PATCH", ESM_PATH),
    ],
)
def test_unknown_route_is_unknown_operation(url, unchanged, method, path):
    response = call(url, method, path, data=b"{}")
    assert response.status_code == 404
    assert error_type(response) == "UnknownOperationException"
    assert_request_id(response)
    assert any_message(response.json()) == "Unknown operation"


# --------------------------------------------------------------------------- oversized bodies


def send_oversized(url, path, total):
    """POST `total` bytes with Content-Length, 1 MiB at a time; stop sending once the server answers."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    try:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        chunk = memoryview(b" " * (1 << 20))
        sent = 0
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            size = min(len(chunk), total - sent)
            try:
                sock.sendall(chunk[:size])
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
            sent += size
        data = b""
        try:
            while not _complete(data):
                part = sock.recv(65536)
                if not part:
                    break
                data += part
        except (ConnectionResetError, socket.timeout):
            pass
    finally:
        sock.close()
    assert b"\r\n\r\n" in data, f"no HTTP response after sending {sent} bytes: {data[:200]!r}"
    return _parse(data)


def _split(data):
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, rest


def _complete(data):
    if b"\r\n\r\n" not in data:
        return False
    _, headers, rest = _split(data)
    if "content-length" in headers:
        return len(rest) >= int(headers["content-length"])
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return rest.endswith(b"0\r\n\r\n")
    return False


def _parse(data):
    code, headers, rest = _split(data)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        payload = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            payload, rest = payload + rest[:size], rest[size + 2 :]
        rest = payload
    elif "content-length" in headers:
        rest = rest[: int(headers["content-length"])]
    return code, headers, json.loads(rest)


@pytest.mark.parametrize(
    "path,operation",
    [(ESM_PATH, "CreateEventSourceMapping"), ("/2015-03-31/functions", "CreateFunction")],
)
def test_body_over_limit_is_413(url, lam, unchanged, path, operation):
    functions_before = sorted(f["FunctionName"] for f in lam.list_functions(MaxItems=1000)["Functions"])
    code, headers, payload = send_oversized(url, path, BODY_LIMIT + 1)
    assert code == 413
    assert headers.get("x-amzn-errortype", "").split(":")[0] == "RequestEntityTooLargeException"
    assert headers.get("x-amzn-requestid")
    assert any_message(payload) == f"Request must be smaller than {BODY_LIMIT} bytes for the {operation} operation"
    # The server is still healthy and nothing was created.
    assert sorted(f["FunctionName"] for f in lam.list_functions(MaxItems=1000)["Functions"]) == functions_before


# --------------------------------------------------------------------------- paths, timestamps, region


def test_trailing_slash_routes_are_accepted(url, fn):
    response = call(url, "POST", ESM_PATH + "/", json_body={"FunctionName": fn, "EventSourceArn": sqs_arn(), "Enabled": False})
    assert response.status_code == 202
    created = response.json()
    listed = call(url, "GET", ESM_PATH + "/", params={"FunctionName": fn})
    assert listed.status_code == 200
    assert created["UUID"] in [m["UUID"] for m in listed.json()["EventSourceMappings"]]


def test_timestamps_on_the_wire(url, fn):
    response = call(
        url,
        "POST",
        ESM_PATH,
        json_body={
            "FunctionName": fn,
            "EventSourceArn": kinesis_arn(),
            "StartingPosition": "AT_TIMESTAMP",
            "StartingPositionTimestamp": 1714566600,
            "Enabled": False,
        },
    )
    assert response.status_code == 202
    created = response.json()
    for key in ("LastModified", "StartingPositionTimestamp"):
        value = created[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (key, value)
    assert created["StartingPositionTimestamp"] == 1714566600
    assert "Enabled" not in created
    got = call(url, "GET", f"{ESM_PATH}/{created['UUID']}").json()
    assert isinstance(got["LastModified"], (int, float))
    function = call(url, "GET", f"/2015-03-31/functions/{fn}/configuration").json()
    assert isinstance(function["LastModified"], str)


def test_percent_encoded_arn_in_tag_path(url, lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False, Tags={"k": "v"})
    arn = created["EventSourceMappingArn"]
    response = call(url, "GET", "/2017-03-31/tags/" + quote(arn, safe=""))
    assert response.status_code == 200
    assert response.json() == {"Tags": {"k": "v"}}
    response = call(url, "GET", f"/2017-03-31/tags/{quote(function_arn(fn), safe='')}")
    assert response.status_code == 200
    assert response.json()["Tags"] == {}


def test_percent_encoded_function_name_in_path(url, fn):
    response = call(url, "GET", "/2015-03-31/functions/" + quote(f"{fn}:$LATEST", safe=""))
    assert response.status_code == 200
    assert response.json()["Configuration"]["FunctionName"] == fn
    response = call(url, "GET", "/2015-03-31/functions/" + quote(function_arn(fn), safe="") + "/configuration")
    assert response.status_code == 200
    assert response.json()["FunctionName"] == fn


def test_unsigned_requests_use_the_configured_region(servers):
    server = servers.start("--region", "eu-central-1", in_memory=True)
    name = uniq("fn-unsigned")
    response = call(
        server.url,
        "POST",
        "/2015-03-31/functions",
        json_body={
            "FunctionName": name,
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "handler.handler",
            "Code": {"ZipFile": base64.b64encode(make_zip()).decode()},
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["FunctionArn"] == function_arn(name, region="eu-central-1")


# --------------------------------------------------------------------------- SigV4


@pytest.fixture(scope="module")
def secured(servers):
    return servers.start("--credentials", "AKIDEXAMPLE:SECRETEXAMPLE", "--credentials", "AKIDOTHER:OTHERSECRET")


def test_sigv4_right_keys_work_for_every_request_shape(secured):
    client = lambda_client(secured.url, key="AKIDEXAMPLE", secret="SECRETEXAMPLE")
    name = uniq("fn-signed")
    assert create_function(client, name)["FunctionName"] == name  # signed body
    assert client.get_function(FunctionName=f"{name}:$LATEST")["Configuration"]["FunctionName"] == name  # %24 in path
    queue = uniq("queue")
    signed_sqs = boto3.client(
        "sqs", endpoint_url=secured.url, region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="SECRETEXAMPLE",
    )
    signed_sqs.create_queue(QueueName=queue)  # signed JSON-protocol request on the same port
    created = client.create_event_source_mapping(
        FunctionName=name, EventSourceArn=sqs_arn(queue, create=False), Enabled=False
    )
    assert client.get_event_source_mapping(UUID=created["UUID"])["UUID"] == created["UUID"]
    listed = client.list_event_source_mappings(FunctionName=function_arn(name), MaxItems=5)  # signed query
    assert [m["UUID"] for m in listed["EventSourceMappings"]] == [created["UUID"]]
    arn = created["EventSourceMappingArn"]
    client.tag_resource(Resource=arn, Tags={"a": "b c"})  # %3A in path
    assert client.list_tags(Resource=arn)["Tags"] == {"a": "b c"}
    client.untag_resource(Resource=arn, TagKeys=["a"])  # repeated query keys
    assert client.list_tags(Resource=arn)["Tags"] == {}
    assert client.update_event_source_mapping(UUID=created["UUID"], BatchSize=4)["BatchSize"] == 4
    other = lambda_client(secured.url, key="AKIDOTHER", secret="OTHERSECRET", region="us-west-2")
    assert other.list_functions()["Functions"] == []
    assert other.list_event_source_mappings()["EventSourceMappings"] == []


def test_sigv4_wrong_secret(secured):
    client = lambda_client(secured.url, key="AKIDEXAMPLE", secret="WRONG")
    expect_error(
        lambda: client.list_functions(),
        "InvalidSignatureException",
        403,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
        "Access Key and signing method. Consult the service documentation for details.",
    )
    good = lambda_client(secured.url, key="AKIDEXAMPLE", secret="SECRETEXAMPLE")
    name = uniq("fn-never")
    expect_error(lambda: create_function(client, name), "InvalidSignatureException", 403)
    expect_error(
        lambda: good.get_function(FunctionName=name),
        "ResourceNotFoundException",
        404,
        f"Function not found: {function_arn(name)}",
    )


def test_sigv4_unknown_key(secured):
    client = lambda_client(secured.url, key="AKIDUNKNOWN", secret="SECRETEXAMPLE")
    expect_error(
        lambda: client.list_event_source_mappings(),
        "UnrecognizedClientException",
        403,
        "The security token included in the request is invalid.",
    )


def test_unsigned_request_is_rejected_when_credentials_are_configured(secured):
    response = call(secured.url, "GET", ESM_PATH)
    assert response.status_code == 403
    assert error_type(response) == "MissingAuthenticationTokenException"
    assert_request_id(response)
    assert any_message(response.json()) == "Missing Authentication Token"
    client = lambda_client(secured.url, signed=False)
    expect_error(lambda: client.list_functions(), "MissingAuthenticationTokenException", 403, "Missing Authentication Token")


def test_secured_server_rejects_before_touching_state(secured):
    good = lambda_client(secured.url, key="AKIDEXAMPLE", secret="SECRETEXAMPLE")
    before = list_uuids(good)
    name = uniq("fn-sec")
    create_function(good, name)
    response = call(secured.url, "POST", ESM_PATH, json_body={"FunctionName": name, "EventSourceArn": sqs_arn()})
    assert response.status_code == 403
    bad = lambda_client(secured.url, key="AKIDEXAMPLE", secret="nope")
    expect_error(
        lambda: bad.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn()), "InvalidSignatureException", 403
    )
    assert list_uuids(good) == before
