"""The embedded SQS (JSON 1.0, awsQueryCompatible) through boto3 and the aws CLI v1, held to AWS's behaviour.

Sources of the expectations: botocore's sqs model (shapes, defaults and ranges in the CreateQueue `Attributes` doc,
MaximumMessageSize 1 MiB in the current model); `wire-protocols.md` §3 (JSON errors, `x-amzn-query-error` and the
legacy query codes, the recorded QueueDoesNotExist result) and §7 (shapes, the MD5 algorithms and the recorded
`d25a6aea…` example); SQS results recorded against AWS in LocalStack's AWS-validated snapshots (texts of
QueueAlreadyExists, MaxNumberOfMessages, MissingParameter MessageGroupId, the FIFO deduplication text, batch-entry
texts, PurgeQueueInProgress, the RedrivePolicy `dummy` ARN, FIFO DelaySeconds, FifoQueue attribute changes, unknown
attributes, receipt handles, message-attribute name filters and their MD5s); `esm-api.md` §5 for mappings. Where
AWS's text is not known, only the code (and the query code) is asserted.

botocore (boto3, the aws CLI) does *not* check MD5OfMessageBody / MD5OfMessageAttributes (the Java, .NET, Go and Ruby
SDKs do), so every digest is recomputed here.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import struct
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from compat_support import (
    ACCOUNT,
    REGION,
    body,
    cli_error,
    cli_error_text,
    cli_ok,
    create_function,
    expect_error,
    uniq,
    wait_for_deleted,
    wait_for_state,
)

QUEUE_DOES_NOT_EXIST = "The specified queue does not exist."
DEDUP_REQUIRED = (
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
)
INVALID_BATCH_ID = (
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters "
    "long."
)

# wire-protocols.md §3: the legacy query code boto3 reports as Error.Code for each JSON error (QueryErrorCode).
LEGACY_CODES = {
    "QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue",
    "QueueNameExists": "QueueAlreadyExists",
    "InvalidParameterValueException": "InvalidParameterValue",
    "MissingRequiredParameterException": "MissingParameter",
    **{
        name: f"AWS.SimpleQueueService.{name}"
        for name in (
            "BatchEntryIdsNotDistinct",
            "BatchRequestTooLong",
            "EmptyBatchRequest",
            "InvalidBatchEntryId",
            "MessageNotInflight",
            "PurgeQueueInProgress",
            "QueueDeletedRecently",
            "TooManyEntriesInBatchRequest",
            "UnsupportedOperation",
        )
    },
}

# GetQueueAttributes All of a new queue (recorded on AWS; FIFO adds the four FIFO attributes).
STANDARD_ATTRIBUTE_NAMES = {
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled",
}
FIFO_ATTRIBUTE_NAMES = STANDARD_ATTRIBUTE_NAMES | {
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
}
# ReceiveMessage system attributes `All` on a standard queue (recorded) and on a FIFO queue (recorded).
STANDARD_SYSTEM_ATTRIBUTES = {
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
}
FIFO_SYSTEM_ATTRIBUTES = STANDARD_SYSTEM_ATTRIBUTES | {"SequenceNumber", "MessageDeduplicationId", "MessageGroupId"}


# --------------------------------------------------------------------------- MD5 (wire-protocols.md §7)


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def md5_of_body(text: str) -> str:
    return md5_hex(text.encode("utf-8"))


def md5_of_attributes(attributes: dict) -> str:
    """Sorted by name; name, DataType and value each as a 4-byte big-endian length + bytes, with a transport byte
    (1 String/Number[.x], 2 Binary[.x]) before the value."""

    def field(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    buffer = b""
    for name in sorted(attributes):
        value = attributes[name]
        data_type = value["DataType"]
        buffer += field(name.encode("utf-8")) + field(data_type.encode("utf-8"))
        if data_type.split(".", 1)[0] == "Binary":
            raw = value["BinaryValue"]
            buffer += b"\x02" + field(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
        else:
            buffer += b"\x01" + field(value["StringValue"].encode("utf-8"))
    return md5_hex(buffer)


def s(value: str, data_type: str = "String") -> dict:
    return {"DataType": data_type, "StringValue": value}


# The helper itself, against digests recorded on AWS (§7's example; LocalStack's validated snapshots).
assert (
    md5_of_attributes({"Title": s("The Whistler"), "Author": s("John Grisham"), "WeeksOn": s("6", "Number")})
    == "d25a6aea97eb8f585bfa92d314504a92"
)
assert md5_of_attributes({"Foo": s("Bar")}) == "ae7155c6026991b6d54b11589678bf9c"
assert md5_of_body("msg") == "6e2baaf3b97dbeef01c0043275f9a0e7"

# The message of the recorded attribute-name filter results, and the recorded digests of each selection.
FILTER_ATTRIBUTES = {"Help.Me": s("Me"), "Hello": s("There"), "General": s("Kenobi")}
FILTER_DIGESTS = {
    ("Help.Me", "Hello", "General"): "4c360f3fdafd970e05fae2f149d997f5",
    ("Hello", "General"): "fca026605781cb4126a1e9044df24232",
    ("Hello",): "a311262e065454b75da111d535b8dacd",
    ("Hello", "Help.Me"): "83fee93c1bcd8b9a5a923ffacdc636c7",
}
for _names, _digest in FILTER_DIGESTS.items():
    assert md5_of_attributes({n: FILTER_ATTRIBUTES[n] for n in _names}) == _digest


# --------------------------------------------------------------------------- clients and fixtures


def sqs_client(url, *, validate=True):
    """boto3 SQS client (JSON protocol): endpoint_url, dummy keys, no retries."""
    return boto3.session.Session().client(
        "sqs",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(
            retries={"max_attempts": 0}, parameter_validation=validate, connect_timeout=5, read_timeout=60
        ),
    )


@pytest.fixture(scope="module")
def sqs(url):
    return sqs_client(url)


@pytest.fixture(scope="module")
def sqs_nv(url):
    """No client-side parameter validation: out-of-range values reach the server."""
    return sqs_client(url, validate=False)


# --------------------------------------------------------------------------- helpers


def queue_url(base: str, name: str) -> str:
    return f"{base}/{ACCOUNT}/{name}"


def queue_arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def make_queue(client, name=None, *, fifo=False, **attributes) -> str:
    """Creates a queue (FIFO: `.fifo` name and FifoQueue=true) with string attributes; returns its URL."""
    name = name or uniq("q") + (".fifo" if fifo else "")
    values = {k: str(v) for k, v in attributes.items()}
    if fifo:
        values["FifoQueue"] = "true"
    return client.create_queue(QueueName=name, Attributes=values)["QueueUrl"]


def name_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def attributes(client, url, *names) -> dict:
    return client.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))["Attributes"]


def counts(client, url) -> tuple[int, int, int]:
    """(ApproximateNumberOfMessages, …NotVisible, …Delayed)."""
    got = attributes(
        client,
        url,
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    )
    return (
        int(got["ApproximateNumberOfMessages"]),
        int(got["ApproximateNumberOfMessagesNotVisible"]),
        int(got["ApproximateNumberOfMessagesDelayed"]),
    )


def receive(client, url, **params) -> list[dict]:
    return client.receive_message(QueueUrl=url, **params).get("Messages", [])


def receive_all(client, url, count, *, timeout=10.0, **params) -> list[dict]:
    """Receive (long polls of 1 s, up to 10 per call) until `count` messages arrived; fails on more or a timeout."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(got) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"received {len(got)} of {count} messages within {timeout}s: {[m['Body'] for m in got]}")
        got += receive(client, url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **params)
    assert len(got) == count, f"expected {count} messages, got {len(got)}"
    return got


def receive_one_within(client, url, timeout, **params) -> tuple[dict, float]:
    """Polls (short receives) until one message arrives; returns it and the seconds it took."""
    start = time.monotonic()
    while True:
        messages = receive(client, url, **params)
        if messages:
            assert len(messages) == 1, messages
            return messages[0], time.monotonic() - start
        if time.monotonic() - start > timeout:
            pytest.fail(f"no message on {url} within {timeout}s")
        time.sleep(0.05)


def sqs_error(client, call, query_code, http_status=400, message=None, *, message_re=None) -> dict:
    """An SQS JSON error as boto3 surfaces it: Error.Code = the legacy query code, Error.QueryErrorCode = the JSON
    code (from `x-amzn-query-error`), Type Sender; the modeled exception class for modeled codes."""
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    error = response["Error"]
    legacy = LEGACY_CODES.get(query_code, query_code)
    assert (error["Code"], error.get("QueryErrorCode")) == (legacy, query_code), error
    assert error.get("Type") == "Sender", error
    assert response["ResponseMetadata"]["HTTPStatusCode"] == http_status, response["ResponseMetadata"]
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"] == f"{legacy};Sender"
    if query_code in {shape.name for shape in client.meta.service_model.error_shapes}:
        # The modeled class (per client; `call` may use another client than `client`).
        assert type(info.value).__name__ == query_code, type(info.value)
        assert type(info.value).__name__ == getattr(client.exceptions, query_code).__name__
    if message is not None:
        assert error["Message"] == message
    if message_re is not None:
        assert re.fullmatch(message_re, error["Message"]), error["Message"]
    return response


def assert_epoch_millis_recent(value: str, slack=300.0):
    assert value.isdigit(), value
    assert abs(int(value) / 1000 - time.time()) < slack, value


# --------------------------------------------------------------------------- queues


def test_create_queue_url_arn_and_default_attributes(sqs, url):
    name = uniq("q-defaults")
    created = sqs.create_queue(QueueName=name)
    assert body(created) == {"QueueUrl": queue_url(url, name)}
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == queue_url(url, name)

    got = attributes(sqs, created["QueueUrl"])
    assert set(got) == STANDARD_ATTRIBUTE_NAMES
    assert got["QueueArn"] == f"arn:aws:sqs:us-east-1:000000000000:{name}"
    settable = STANDARD_ATTRIBUTE_NAMES - {"QueueArn", "CreatedTimestamp", "LastModifiedTimestamp"}
    assert {k: got[k] for k in settable} == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "VisibilityTimeout": "30",
        "MaximumMessageSize": "1048576",  # the current model's default (1 MiB)
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
    }
    for stamp in ("CreatedTimestamp", "LastModifiedTimestamp"):  # epoch seconds
        assert got[stamp].isdigit() and abs(int(got[stamp]) - time.time()) < 300, got[stamp]

    # Only the named attributes; none named, none returned.
    assert attributes(sqs, created["QueueUrl"], "QueueArn", "VisibilityTimeout") == {
        "QueueArn": queue_arn(name),
        "VisibilityTimeout": "30",
    }
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=created["QueueUrl"])


def test_create_queue_with_attributes_and_tags(sqs):
    name = uniq("q-attrs")
    created = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": "20",
            "MessageRetentionPeriod": "604800",
            "DelaySeconds": "5",
            "ReceiveMessageWaitTimeSeconds": "10",
            "MaximumMessageSize": "2048",
        },
        tags={"team": "data", "empty": ""},
    )
    got = attributes(sqs, created["QueueUrl"])
    assert set(got) == STANDARD_ATTRIBUTE_NAMES
    assert (
        got["VisibilityTimeout"],
        got["MessageRetentionPeriod"],
        got["DelaySeconds"],
        got["ReceiveMessageWaitTimeSeconds"],
        got["MaximumMessageSize"],
    ) == ("20", "604800", "5", "10", "2048")
    assert sqs.list_queue_tags(QueueUrl=created["QueueUrl"])["Tags"] == {"team": "data", "empty": ""}


def test_create_fifo_queue(sqs, url):
    name = uniq("q-fifo") + ".fifo"
    created = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    assert created["QueueUrl"] == queue_url(url, name)
    got = attributes(sqs, created["QueueUrl"])
    assert set(got) == FIFO_ATTRIBUTE_NAMES
    assert (got["FifoQueue"], got["ContentBasedDeduplication"], got["QueueArn"]) == ("true", "true", queue_arn(name))
    # Recorded defaults of a FIFO queue.
    assert (got["DeduplicationScope"], got["FifoThroughputLimit"]) == ("queue", "perQueue")
    plain = make_queue(sqs, fifo=True)
    assert attributes(sqs, plain, "ContentBasedDeduplication") == {"ContentBasedDeduplication": "false"}


def test_create_queue_is_idempotent_with_the_same_attributes(sqs):
    name = uniq("q-idem")
    first = sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "3", "VisibilityTimeout": "40"})["QueueUrl"]
    again = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40", "DelaySeconds": "3"})["QueueUrl"]
    assert again == first
    assert attributes(sqs, first, "DelaySeconds", "VisibilityTimeout") == {
        "DelaySeconds": "3",
        "VisibilityTimeout": "40",
    }
    assert sqs.list_queues(QueueNamePrefix=name)["QueueUrls"] == [first]


def test_create_queue_with_different_attributes_is_queue_already_exists(sqs):
    name = uniq("q-exists")
    sqs.create_queue(QueueName=name)
    # Recorded: Code QueueAlreadyExists, QueryErrorCode QueueNameExists, the attribute named.
    for _ in range(2):
        sqs_error(
            sqs,
            lambda: sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"}),
            "QueueNameExists",
            400,
            "A queue already exists with the same name and a different value for attribute DelaySeconds",
        )
    fifo = uniq("q-exists") + ".fifo"
    sqs.create_queue(QueueName=fifo, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    sqs_error(
        sqs,
        lambda: sqs.create_queue(
            QueueName=fifo, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "false"}
        ),
        "QueueNameExists",
        400,
        "A queue already exists with the same name and a different value for attribute ContentBasedDeduplication",
    )
    assert attributes(sqs, sqs.get_queue_url(QueueName=name)["QueueUrl"], "DelaySeconds") == {"DelaySeconds": "0"}


@pytest.mark.parametrize(
    "name, extra",
    [
        ("bad name!", {}),
        ("q" * 81, {}),
        ("", {}),
        ("no-suffix-but-fifo", {"FifoQueue": "true"}),
        (uniq("suffix-but-standard") + ".fifo", {}),
    ],
    ids=["characters", "81-chars", "empty", "fifo-without-suffix", "suffix-without-fifo"],
)
def test_create_queue_invalid_names(sqs, sqs_nv, name, extra):
    sqs_error(sqs, lambda: sqs_nv.create_queue(QueueName=name, Attributes=extra), "InvalidParameterValueException")
    assert not [u for u in sqs.list_queues().get("QueueUrls", []) if u.endswith(f"/{name}")]


def test_create_queue_longest_name(sqs, url):
    name = "q" * 75 + ".fifo"  # 80 characters, the suffix included
    assert sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"] == queue_url(url, name)
    plain = "Q_-9" * 20
    assert sqs.create_queue(QueueName=plain)["QueueUrl"] == queue_url(url, plain)


def test_create_queue_attribute_errors(sqs):
    sqs_error(
        sqs,
        lambda: sqs.create_queue(QueueName=uniq("q"), Attributes={"Foobar": "1"}),
        "InvalidAttributeName",
        400,
        "Unknown Attribute Foobar.",
    )
    for attribute, value in (
        ("VisibilityTimeout", "43201"),
        ("DelaySeconds", "901"),
        ("MaximumMessageSize", "1023"),
        ("MaximumMessageSize", "1048577"),
        ("MessageRetentionPeriod", "59"),
        ("MessageRetentionPeriod", "1209601"),
        ("ReceiveMessageWaitTimeSeconds", "21"),
        ("VisibilityTimeout", "-1"),
        ("VisibilityTimeout", "ten"),
    ):
        name = uniq("q-bad")
        sqs_error(
            sqs,
            lambda: sqs.create_queue(QueueName=name, Attributes={attribute: value}),
            "InvalidAttributeValue",
            400,
            message_re=rf"Invalid value for the parameter {attribute}\b.*",
        )
        sqs_error(sqs, lambda: sqs.get_queue_url(QueueName=name), "QueueDoesNotExist", 400, QUEUE_DOES_NOT_EXIST)
    # Range ends are accepted.
    edge = make_queue(
        sqs,
        VisibilityTimeout=43200,
        DelaySeconds=900,
        MaximumMessageSize=1024,
        MessageRetentionPeriod=1209600,
        ReceiveMessageWaitTimeSeconds=20,
    )
    assert attributes(sqs, edge, "VisibilityTimeout", "DelaySeconds", "MaximumMessageSize") == {
        "VisibilityTimeout": "43200",
        "DelaySeconds": "900",
        "MaximumMessageSize": "1024",
    }


def test_get_queue_url_and_attributes_of_a_missing_queue(sqs, url):
    missing = uniq("q-missing")
    response = sqs_error(
        sqs, lambda: sqs.get_queue_url(QueueName=missing), "QueueDoesNotExist", 400, QUEUE_DOES_NOT_EXIST
    )
    # The recorded AWS result, field by field (wire-protocols.md §3).
    assert {k: response["Error"][k] for k in ("Code", "QueryErrorCode", "Message", "Type")} == {
        "Code": "AWS.SimpleQueueService.NonExistentQueue",
        "QueryErrorCode": "QueueDoesNotExist",
        "Message": "The specified queue does not exist.",
        "Type": "Sender",
    }
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_attributes(QueueUrl=queue_url(url, missing), AttributeNames=["All"])


def test_get_queue_attributes_unknown_name(sqs):
    q = make_queue(sqs)
    sqs_error(
        sqs,
        lambda: sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["Foobar"]),
        "InvalidAttributeName",
        400,
        "Unknown Attribute Foobar.",
    )


def test_list_queues_prefix_and_pages(sqs, url):
    prefix = uniq("lq")
    names = sorted(f"{prefix}-{i}" for i in range(5))
    for name in names:
        sqs.create_queue(QueueName=name)
    other = sqs.create_queue(QueueName=uniq("lq-other"))["QueueUrl"]

    listed = sqs.list_queues(QueueNamePrefix=prefix)
    assert sorted(listed["QueueUrls"]) == [queue_url(url, n) for n in names]
    assert "NextToken" not in listed  # only with MaxResults (model doc)
    everything = sqs.list_queues()["QueueUrls"]
    assert set(everything) >= {queue_url(url, n) for n in names} | {other}
    assert len(everything) == len(set(everything))
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=uniq("nothing-has-this-prefix"))

    pages, token = [], None
    deadline = time.monotonic() + 10
    while True:
        params = {"QueueNamePrefix": prefix, "MaxResults": 2}
        if token:
            params["NextToken"] = token
        page = sqs.list_queues(**params)
        assert 1 <= len(page["QueueUrls"]) <= 2, page
        pages.append(page["QueueUrls"])
        token = page.get("NextToken")
        if not token:
            break
        assert time.monotonic() < deadline, f"ListQueues kept paging: {pages}"
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(u for p in pages for u in p) == [queue_url(url, n) for n in names]
    exact = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=5)
    assert len(exact["QueueUrls"]) == 5 and "NextToken" not in exact


@pytest.mark.parametrize("value", [0, 1001])
def test_list_queues_max_results_out_of_range(sqs, sqs_nv, value):
    sqs_error(sqs, lambda: sqs_nv.list_queues(MaxResults=value), "InvalidParameterValueException")


def test_set_queue_attributes(sqs):
    q = make_queue(sqs, VisibilityTimeout=20)
    before = attributes(sqs, q)
    changed = {"VisibilityTimeout": "69", "MaximumMessageSize": "2048", "DelaySeconds": "420"}
    assert body(sqs.set_queue_attributes(QueueUrl=q, Attributes=changed)) == {}
    after = attributes(sqs, q)
    assert (after["VisibilityTimeout"], after["MaximumMessageSize"], after["DelaySeconds"]) == ("69", "2048", "420")
    assert after["CreatedTimestamp"] == before["CreatedTimestamp"]
    assert int(after["LastModifiedTimestamp"]) >= int(before["LastModifiedTimestamp"])
    untouched = set(before) - set(changed) - {"LastModifiedTimestamp"}
    assert set(after) == set(before)
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}

    # Errors leave every attribute as it was (all or nothing).
    sqs_error(
        sqs,
        lambda: sqs.set_queue_attributes(QueueUrl=q, Attributes={"DelaySeconds": "1", "Foobar": "x"}),
        "InvalidAttributeName",
        400,
        "Unknown Attribute Foobar.",
    )
    sqs_error(
        sqs,
        lambda: sqs.set_queue_attributes(QueueUrl=q, Attributes={"DelaySeconds": "1", "VisibilityTimeout": "43201"}),
        "InvalidAttributeValue",
        400,
        message_re=r"Invalid value for the parameter VisibilityTimeout\b.*",
    )
    # Read-only attributes cannot be set.
    sqs_error(
        sqs,
        lambda: sqs.set_queue_attributes(QueueUrl=q, Attributes={"QueueArn": queue_arn("x")}),
        "InvalidAttributeName",
        400,
    )
    assert attributes(sqs, q, "DelaySeconds", "VisibilityTimeout") == {"DelaySeconds": "420", "VisibilityTimeout": "69"}


def test_fifo_queue_type_cannot_change(sqs):
    standard = make_queue(sqs)
    sqs_error(
        sqs,
        lambda: sqs.set_queue_attributes(QueueUrl=standard, Attributes={"FifoQueue": "true"}),
        "InvalidAttributeName",
        400,
        "Unknown Attribute FifoQueue.",
    )
    fifo = make_queue(sqs, fifo=True)
    sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"FifoQueue": "true"})
    sqs_error(
        sqs,
        lambda: sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"FifoQueue": "false"}),
        "InvalidAttributeValue",
        400,
        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
    )
    sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"ContentBasedDeduplication": "true"})
    assert attributes(sqs, fifo, "ContentBasedDeduplication", "FifoQueue") == {
        "ContentBasedDeduplication": "true",
        "FifoQueue": "true",
    }


def test_tag_list_untag_queue(sqs):
    q = make_queue(sqs)
    assert sqs.list_queue_tags(QueueUrl=q).get("Tags", {}) == {}
    assert body(sqs.tag_queue(QueueUrl=q, Tags={"tag1": "value1", "tag2": "value2", "tag3": ""})) == {}
    assert sqs.list_queue_tags(QueueUrl=q)["Tags"] == {"tag1": "value1", "tag2": "value2", "tag3": ""}
    sqs.tag_queue(QueueUrl=q, Tags={"tag1": "changed"})
    assert sqs.list_queue_tags(QueueUrl=q)["Tags"] == {"tag1": "changed", "tag2": "value2", "tag3": ""}
    assert body(sqs.untag_queue(QueueUrl=q, TagKeys=["tag1", "tag3", "never-set"])) == {}
    assert sqs.list_queue_tags(QueueUrl=q)["Tags"] == {"tag2": "value2"}
    sqs.untag_queue(QueueUrl=q, TagKeys=["tag2"])
    assert sqs.list_queue_tags(QueueUrl=q).get("Tags", {}) == {}


def test_delete_queue(sqs, url):
    name = uniq("q-doomed")
    q = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=q, MessageBody="gone with the queue")
    assert body(sqs.delete_queue(QueueUrl=q)) == {}
    calls = [
        lambda: sqs.get_queue_url(QueueName=name),
        lambda: sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"]),
        lambda: sqs.send_message(QueueUrl=q, MessageBody="x"),
        lambda: sqs.receive_message(QueueUrl=q),
        lambda: sqs.set_queue_attributes(QueueUrl=q, Attributes={"DelaySeconds": "1"}),
        lambda: sqs.purge_queue(QueueUrl=q),
        lambda: sqs.list_queue_tags(QueueUrl=q),
        lambda: sqs.delete_queue(QueueUrl=q),
    ]
    for call in calls:
        sqs_error(sqs, call, "QueueDoesNotExist", 400, QUEUE_DOES_NOT_EXIST)
    assert queue_url(url, name) not in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])


def test_purge_queue(sqs):
    name = uniq("q-purge")
    q = sqs.create_queue(QueueName=name)["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=q, MessageBody=f"visible-{i}")
    sqs.send_message(QueueUrl=q, MessageBody="delayed", DelaySeconds=1)
    assert len(receive(sqs, q, MaxNumberOfMessages=1, VisibilityTimeout=1)) == 1
    assert counts(sqs, q) == (2, 1, 1)

    assert body(sqs.purge_queue(QueueUrl=q)) == {}
    assert counts(sqs, q) == (0, 0, 0)
    # Neither the in-flight nor the delayed message comes back once its time is up.
    assert receive(sqs, q, WaitTimeSeconds=2) == []
    # Sending after a purge works.
    sqs.send_message(QueueUrl=q, MessageBody="after")
    assert [m["Body"] for m in receive_all(sqs, q, 1)] == ["after"]
    # Recorded: a second purge within 60 s.
    sqs_error(
        sqs,
        lambda: sqs.purge_queue(QueueUrl=q),
        "PurgeQueueInProgress",
        403,
        f"Only one PurgeQueue operation on {name} is allowed every 60 seconds.",
    )


# --------------------------------------------------------------------------- sending


def test_send_message_digests_and_attribute_types(sqs):
    q = make_queue(sqs)
    text = "héllo ✓ 🎉 \r\n\t<&\"'>"
    message_attributes = {
        "Title": s("The Whistler"),
        "Author": s("John Grisham"),
        "WeeksOn": s("6", "Number"),
        "Price": s("12.50", "Number.float"),
        "Raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
        "Gif": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a"},
        "Custom": s("ünïcode", "String.custom"),
    }
    sent = sqs.send_message(QueueUrl=q, MessageBody=text, MessageAttributes=message_attributes)
    assert set(body(sent)) == {"MessageId", "MD5OfMessageBody", "MD5OfMessageAttributes"}
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", sent["MessageId"])
    assert sent["MD5OfMessageBody"] == md5_of_body(text)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(message_attributes)

    [got] = receive_all(sqs, q, 1, MessageAttributeNames=["All"])
    assert got["Body"] == text
    assert got["MessageId"] == sent["MessageId"]
    assert got["MD5OfBody"] == md5_of_body(text)
    assert got["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert got["MessageAttributes"] == message_attributes
    assert "SequenceNumber" not in sent  # standard queues have none


def test_send_message_recorded_attribute_digest(sqs):
    q = make_queue(sqs)
    recorded = {"Title": s("The Whistler"), "Author": s("John Grisham"), "WeeksOn": s("6", "Number")}
    sent = sqs.send_message(QueueUrl=q, MessageBody="msg", MessageAttributes=recorded)
    assert (sent["MD5OfMessageBody"], sent["MD5OfMessageAttributes"]) == (
        "6e2baaf3b97dbeef01c0043275f9a0e7",
        "d25a6aea97eb8f585bfa92d314504a92",
    )
    plain = sqs.send_message(QueueUrl=q, MessageBody="msg")
    assert "MD5OfMessageAttributes" not in plain  # no attributes, no digest


def test_send_message_invalid_input(sqs, sqs_nv):
    q = make_queue(sqs, MaximumMessageSize=1024)
    sqs.send_message(QueueUrl=q, MessageBody="a" * 1024)  # exactly the limit
    # Recorded text; attributes count toward the size (name + type + value).
    sqs_error(
        sqs,
        lambda: sqs.send_message(QueueUrl=q, MessageBody="a" * (1024 - 8 + 1), MessageAttributes={"k": s("x")}),
        "InvalidParameterValueException",
        400,
        "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    )
    sqs_error(sqs, lambda: sqs.send_message(QueueUrl=q, MessageBody="bad \x00 char"), "InvalidMessageContents")
    with pytest.raises(ClientError) as info:  # an empty body: AWS's exact answer is not recorded
        sqs_nv.send_message(QueueUrl=q, MessageBody="")
    assert info.value.response["Error"].get("QueryErrorCode") in (
        "MissingRequiredParameterException",
        "InvalidParameterValueException",
    ), info.value.response["Error"]
    for delay in (-1, 901):
        sqs_error(
            sqs,
            lambda: sqs_nv.send_message(QueueUrl=q, MessageBody="x", DelaySeconds=delay),
            "InvalidParameterValueException",
            message_re=rf"Value {delay} for parameter DelaySeconds is invalid\. Reason: .+",
        )
    assert counts(sqs, q) == (1, 0, 0)  # only the first message went in


def test_send_message_attribute_with_invalid_characters(sqs):
    """Validated on AWS (LocalStack `test_invalid_string_attributes_cause_invalid_parameter_value_error`): invalid
    characters in an attribute value are InvalidParameterValue (in a body they are InvalidMessageContents)."""
    q = make_queue(sqs)
    sqs_error(
        sqs,
        lambda: sqs.send_message(
            QueueUrl=q, MessageBody="x", MessageAttributes={"attr1": s(f"Invalid-{chr(8)},{chr(11)}")}
        ),
        "InvalidParameterValueException",
    )
    assert counts(sqs, q) == (0, 0, 0)


def test_send_message_empty_string_attribute(sqs):
    q = make_queue(sqs)
    # Recorded text.
    sqs_error(
        sqs,
        lambda: sqs.send_message(QueueUrl=q, MessageBody="x", MessageAttributes={"ErrorDetails": s("")}),
        "InvalidParameterValueException",
        400,
        "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    )
    assert counts(sqs, q) == (0, 0, 0)


def test_send_message_batch(sqs):
    q = make_queue(sqs)
    entries = [
        {"Id": "plain", "MessageBody": "one"},
        {"Id": "with-attrs_2", "MessageBody": "two", "MessageAttributes": {"k": s("v"), "n": s("7", "Number")}},
        {"Id": "broken", "MessageBody": "bad \x00 char"},
        {"Id": "delayed", "MessageBody": "three", "DelaySeconds": 1},
    ]
    result = sqs.send_message_batch(QueueUrl=q, Entries=entries)
    successful = {e["Id"]: e for e in result["Successful"]}
    assert set(successful) == {"plain", "with-attrs_2", "delayed"}
    assert set(successful["plain"]) == {"Id", "MessageId", "MD5OfMessageBody"}
    assert successful["plain"]["MD5OfMessageBody"] == md5_of_body("one")
    assert successful["with-attrs_2"]["MD5OfMessageAttributes"] == md5_of_attributes(entries[1]["MessageAttributes"])
    assert len({e["MessageId"] for e in successful.values()}) == 3
    [failed] = result["Failed"]
    assert (failed["Id"], failed["SenderFault"], failed["Code"]) == ("broken", True, "InvalidMessageContents")
    assert failed["Message"]

    assert counts(sqs, q) == (2, 0, 1)
    got = receive_all(sqs, q, 3, timeout=10, MessageAttributeNames=["All"])
    by_body = {m["Body"]: m for m in got}
    assert set(by_body) == {"one", "two", "three"}
    assert by_body["two"]["MessageAttributes"] == entries[1]["MessageAttributes"]
    entry_of = {"one": "plain", "two": "with-attrs_2", "three": "delayed"}
    for m in got:
        assert m["MessageId"] == successful[entry_of[m["Body"]]]["MessageId"]


def test_send_message_batch_errors(sqs, sqs_nv):
    q = make_queue(sqs)
    sqs_error(
        sqs,
        lambda: sqs.send_message_batch(
            QueueUrl=q, Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}]
        ),
        "BatchEntryIdsNotDistinct",
    )
    sqs_error(
        sqs,
        lambda: sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(11)]),
        "TooManyEntriesInBatchRequest",
        400,
        "Maximum number of entries per request are 10. You have sent 11.",
    )
    sqs_error(sqs, lambda: sqs_nv.send_message_batch(QueueUrl=q, Entries=[]), "EmptyBatchRequest")
    for bad in ("", "invalid:id", "x" * 81):
        sqs_error(
            sqs,
            lambda: sqs_nv.send_message_batch(QueueUrl=q, Entries=[{"Id": bad, "MessageBody": "x"}]),
            "InvalidBatchEntryId",
            400,
            INVALID_BATCH_ID,
        )
    ok = sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": "x" * 80, "MessageBody": "x"}])
    assert [e["Id"] for e in ok["Successful"]] == ["x" * 80]
    # The whole batch over the size limit: the recorded text, with the current model's 1 MiB.
    sqs_error(
        sqs,
        lambda: sqs.send_message_batch(
            QueueUrl=q, Entries=[{"Id": "1", "MessageBody": "a" * 600_000}, {"Id": "2", "MessageBody": "b" * 600_000}]
        ),
        "BatchRequestTooLong",
        400,
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.",
    )
    assert counts(sqs, q) == (1, 0, 0)


# --------------------------------------------------------------------------- receiving


def test_receive_max_number_of_messages(sqs, sqs_nv):
    q = make_queue(sqs)
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(10)])
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"n{i}"} for i in range(2)])
    assert len(receive(sqs, q)) == 1  # default 1
    assert 1 <= len(receive(sqs, q, MaxNumberOfMessages=10)) <= 10
    for value in (0, 11, -1):
        sqs_error(
            sqs,
            lambda: sqs_nv.receive_message(QueueUrl=q, MaxNumberOfMessages=value),
            "InvalidParameterValueException",
            400,
            f"Value {value} for parameter MaxNumberOfMessages is invalid. "
            "Reason: Must be between 1 and 10, if provided.",
        )
    for value in (-1, 21):
        sqs_error(
            sqs,
            lambda: sqs_nv.receive_message(QueueUrl=q, WaitTimeSeconds=value),
            "InvalidParameterValueException",
            400,
            message_re=rf"Value {value} for parameter WaitTimeSeconds is invalid\. Reason: .+",
        )
    for value in (-1, 43201):
        sqs_error(
            sqs,
            lambda: sqs_nv.receive_message(QueueUrl=q, VisibilityTimeout=value),
            "InvalidParameterValueException",
            400,
            message_re=rf"Value {value} for parameter VisibilityTimeout is invalid\. Reason: .+",
        )
    # Everything received so far is in flight; the rest is still there.
    visible, in_flight, _ = counts(sqs, q)
    assert visible + in_flight == 12 and in_flight >= 2


def test_receive_empty_queue(sqs):
    q = make_queue(sqs)
    response = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10)
    assert response.get("Messages", []) == []


def test_visibility_timeout_hides_then_shows_again(sqs):
    q = make_queue(sqs)
    sent = sqs.send_message(QueueUrl=q, MessageBody="peekaboo")
    first = receive(sqs, q, VisibilityTimeout=1, MessageSystemAttributeNames=["All"])
    hidden_at = time.monotonic()
    assert [m["MessageId"] for m in first] == [sent["MessageId"]]
    assert counts(sqs, q) == (0, 1, 0)
    assert receive(sqs, q) == []
    again, _ = receive_one_within(sqs, q, 5, MessageSystemAttributeNames=["All"], VisibilityTimeout=30)
    assert time.monotonic() - hidden_at >= 0.9
    assert again["MessageId"] == sent["MessageId"]
    assert again["ReceiptHandle"] != first[0]["ReceiptHandle"]
    assert first[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    for stamp in ("SentTimestamp", "ApproximateFirstReceiveTimestamp"):
        assert again["Attributes"][stamp] == first[0]["Attributes"][stamp]
    assert counts(sqs, q) == (0, 1, 0)


def test_queue_visibility_timeout_is_the_default(sqs):
    q = make_queue(sqs, VisibilityTimeout=1)
    sqs.send_message(QueueUrl=q, MessageBody="x")
    assert len(receive(sqs, q)) == 1
    started = time.monotonic()
    assert receive(sqs, q) == []
    receive_one_within(sqs, q, 5)
    assert time.monotonic() - started >= 0.7


def test_visibility_timeout_zero_leaves_the_message_visible(sqs):
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="x")
    counts_seen = []
    for _ in range(3):
        [m] = receive(sqs, q, VisibilityTimeout=0, MessageSystemAttributeNames=["ApproximateReceiveCount"])
        counts_seen.append(m["Attributes"]["ApproximateReceiveCount"])
    assert counts_seen == ["1", "2", "3"]


def test_long_poll_returns_as_soon_as_a_message_is_sent(sqs):
    q = make_queue(sqs)
    other = sqs_client(sqs.meta.endpoint_url)
    sender = threading.Timer(0.7, lambda: other.send_message(QueueUrl=q, MessageBody="wake"))
    started = time.monotonic()
    sender.start()
    try:
        messages = receive(sqs, q, WaitTimeSeconds=10)
    finally:
        sender.join(10)
    elapsed = time.monotonic() - started
    assert [m["Body"] for m in messages] == ["wake"]
    assert 0.6 <= elapsed < 4, f"long poll returned after {elapsed:.2f}s"


def test_long_poll_waits_its_time_when_nothing_comes(sqs):
    q = make_queue(sqs)
    started = time.monotonic()
    assert receive(sqs, q, WaitTimeSeconds=1) == []
    assert 0.9 <= time.monotonic() - started < 5
    # The queue's ReceiveMessageWaitTimeSeconds applies when WaitTimeSeconds is omitted; 0 overrides it.
    waiting = make_queue(sqs, ReceiveMessageWaitTimeSeconds=1)
    started = time.monotonic()
    assert receive(sqs, waiting) == []
    assert 0.9 <= time.monotonic() - started < 5
    started = time.monotonic()
    assert receive(sqs, waiting, WaitTimeSeconds=0) == []
    assert time.monotonic() - started < 0.8


def test_system_attributes_new_and_legacy_names(sqs):
    q = make_queue(sqs)
    sent_at = time.time()
    sent = sqs.send_message(QueueUrl=q, MessageBody="msg", MessageAttributes={"Foo": s("Bar")})

    [m] = receive(sqs, q, VisibilityTimeout=0)
    assert set(m) == {"MessageId", "ReceiptHandle", "MD5OfBody", "Body"}  # nothing asked, nothing extra
    assert m["MD5OfBody"] == "6e2baaf3b97dbeef01c0043275f9a0e7"

    [m] = receive(sqs, q, VisibilityTimeout=0, MessageSystemAttributeNames=["All"])
    assert set(m["Attributes"]) == STANDARD_SYSTEM_ATTRIBUTES
    attrs = m["Attributes"]
    assert attrs["ApproximateReceiveCount"] == "2"
    assert_epoch_millis_recent(attrs["SentTimestamp"])
    assert_epoch_millis_recent(attrs["ApproximateFirstReceiveTimestamp"])
    assert int(attrs["SentTimestamp"]) <= int(attrs["ApproximateFirstReceiveTimestamp"])
    assert abs(int(attrs["SentTimestamp"]) / 1000 - sent_at) < 60
    assert isinstance(attrs["SenderId"], str) and attrs["SenderId"]

    # Legacy AttributeNames, All with message attributes (recorded shape).
    [m] = receive(sqs, q, VisibilityTimeout=0, AttributeNames=["All"], MessageAttributeNames=["All"])
    assert set(m["Attributes"]) == STANDARD_SYSTEM_ATTRIBUTES
    assert m["Attributes"]["ApproximateReceiveCount"] == "3"
    assert m["MessageAttributes"] == {"Foo": s("Bar")}
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"] == "ae7155c6026991b6d54b11589678bf9c"

    # Single names, old and new; a FIFO-only name on a standard queue adds nothing (recorded).
    [m] = receive(sqs, q, VisibilityTimeout=0, AttributeNames=["SenderId"])
    assert set(m["Attributes"]) == {"SenderId"}
    [m] = receive(sqs, q, VisibilityTimeout=0, AttributeNames=["SenderId", "SequenceNumber"])
    assert set(m["Attributes"]) == {"SenderId"}
    [m] = receive(sqs, q, VisibilityTimeout=0, MessageSystemAttributeNames=["SentTimestamp", "ApproximateReceiveCount"])
    assert set(m["Attributes"]) == {"SentTimestamp", "ApproximateReceiveCount"}
    assert m["Attributes"]["ApproximateReceiveCount"] == "6"
    # Both lists together: the union.
    [m] = receive(
        sqs, q, VisibilityTimeout=0, AttributeNames=["SenderId"], MessageSystemAttributeNames=["SentTimestamp"]
    )
    assert set(m["Attributes"]) == {"SenderId", "SentTimestamp"}


@pytest.mark.parametrize(
    "names, selected",
    [
        ([], None),
        (["All"], ("Help.Me", "Hello", "General")),
        ([".*"], ("Help.Me", "Hello", "General")),
        (["Foo", "Help"], None),
        (["Hello", "General"], ("Hello", "General")),
        (["Foo", "Hello"], ("Hello",)),
        (["Hel.*"], ("Hello", "Help.Me")),
        (["AWS."], None),
        (["..foo"], None),
    ],
    ids=["none", "All", "dot-star", "only-missing", "two-names", "one-of-two", "prefix", "illegal-1", "illegal-2"],
)
def test_message_attribute_name_filters(sqs, names, selected):
    """The recorded filter results and digests (MD5OfMessageAttributes covers only what is returned)."""
    q = make_queue(sqs)
    sent = sqs.send_message(QueueUrl=q, MessageBody="msg", MessageAttributes=FILTER_ATTRIBUTES)
    assert sent["MD5OfMessageAttributes"] == "4c360f3fdafd970e05fae2f149d997f5"
    [m] = receive_all(sqs, q, 1, MessageAttributeNames=names)
    if selected is None:
        assert m.get("MessageAttributes", {}) == {}
        assert "MD5OfMessageAttributes" not in m
    else:
        assert m["MessageAttributes"] == {n: FILTER_ATTRIBUTES[n] for n in selected}
        assert m["MD5OfMessageAttributes"] == FILTER_DIGESTS[selected]


# --------------------------------------------------------------------------- deleting and visibility changes


def test_delete_message(sqs):
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="bye")
    [m] = receive(sqs, q)
    assert counts(sqs, q) == (0, 1, 0)
    assert body(sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])) == {}
    assert counts(sqs, q) == (0, 0, 0)
    # Validated: deleting again with the same handle succeeds, repeatedly.
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    # Validated text for a handle that is not one.
    sqs_error(
        sqs,
        lambda: sqs.delete_message(QueueUrl=q, ReceiptHandle="garbage"),
        "ReceiptHandleIsInvalid",
        400,
        'The input receipt handle "garbage" is not a valid receipt handle.',
    )


def test_delete_with_a_handle_whose_visibility_expired(sqs):
    """Validated on AWS: on a standard queue, the handle of a receive whose visibility timeout has run out still
    deletes the message."""
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="late")
    [m] = receive(sqs, q, VisibilityTimeout=1)
    deadline = time.monotonic() + 5
    while counts(sqs, q) != (1, 0, 0):
        assert time.monotonic() < deadline, "the message never became visible again"
        time.sleep(0.05)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    assert counts(sqs, q) == (0, 0, 0)
    assert receive(sqs, q) == []


def test_delete_message_batch(sqs, sqs_nv):
    q = make_queue(sqs)
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
    got = receive_all(sqs, q, 3)
    entries = [{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got[:2])]
    entries.append({"Id": "bad", "ReceiptHandle": "garbage"})
    result = sqs.delete_message_batch(QueueUrl=q, Entries=entries)
    assert sorted(e["Id"] for e in result["Successful"]) == ["e0", "e1"]
    assert all(set(e) == {"Id"} for e in result["Successful"])
    [failed] = result["Failed"]
    assert (failed["Id"], failed["SenderFault"], failed["Code"]) == ("bad", True, "ReceiptHandleIsInvalid")
    assert counts(sqs, q) == (0, 1, 0)

    sqs_error(
        sqs,
        lambda: sqs.delete_message_batch(
            QueueUrl=q, Entries=[{"Id": "same", "ReceiptHandle": "a"}, {"Id": "same", "ReceiptHandle": "b"}]
        ),
        "BatchEntryIdsNotDistinct",
    )
    sqs_error(
        sqs,
        lambda: sqs.delete_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "ReceiptHandle": "h"} for i in range(20)]),
        "TooManyEntriesInBatchRequest",
        400,
        "Maximum number of entries per request are 10. You have sent 20.",
    )
    sqs_error(sqs, lambda: sqs.delete_message_batch(QueueUrl=q, Entries=[]), "EmptyBatchRequest")
    for bad in ("", "testLongId" * 10, "invalid:id"):
        sqs_error(
            sqs,
            lambda: sqs_nv.delete_message_batch(QueueUrl=q, Entries=[{"Id": bad, "ReceiptHandle": "h"}]),
            "InvalidBatchEntryId",
            400,
            INVALID_BATCH_ID,
        )
    assert counts(sqs, q) == (0, 1, 0)


def test_change_message_visibility(sqs, sqs_nv):
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="x")
    [m] = receive(sqs, q)  # 30 s
    assert body(sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)) == {}
    [again] = receive(sqs, q)
    assert again["MessageId"] == m["MessageId"]
    assert receive(sqs, q) == []  # validated: the change is not permanent; the new receive hid it again
    sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=1)
    current, _ = receive_one_within(sqs, q, 5)

    for value in (-1, 43201):
        sqs_error(
            sqs,
            lambda: sqs_nv.change_message_visibility(
                QueueUrl=q, ReceiptHandle=current["ReceiptHandle"], VisibilityTimeout=value
            ),
            "InvalidParameterValueException",
            400,
            message_re=rf"Value {value} for parameter VisibilityTimeout is invalid\. Reason: .+",
        )
    sqs_error(
        sqs,
        lambda: sqs.change_message_visibility(QueueUrl=q, ReceiptHandle="garbage", VisibilityTimeout=5),
        "ReceiptHandleIsInvalid",
        400,
        'The input receipt handle "garbage" is not a valid receipt handle.',
    )


def test_change_visibility_of_a_deleted_message(sqs):
    """Validated text: the handle of a deleted message."""
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="foo")
    [m] = receive(sqs, q)
    handle = m["ReceiptHandle"]
    sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=handle, VisibilityTimeout=42)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=handle)
    sqs_error(
        sqs,
        lambda: sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=handle, VisibilityTimeout=42),
        "InvalidParameterValueException",
        400,
        f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available "
        "for visibility timeout change.",
    )


def test_change_visibility_after_the_timeout_expired(sqs):
    """Recorded on AWS (LocalStack snapshot `visibility_timeout_expired`, 2023-11-14): ChangeMessageVisibility with
    the handle of a receive whose timeout has run out (the message not received since) succeeds, and hides it."""
    q = make_queue(sqs)
    sqs.send_message(QueueUrl=q, MessageBody="test")
    [m] = receive(sqs, q, VisibilityTimeout=1)
    deadline = time.monotonic() + 5
    while counts(sqs, q) != (1, 0, 0):
        assert time.monotonic() < deadline, "the message never became visible again"
        time.sleep(0.05)
    response = sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=30)
    assert body(response) == {}
    assert counts(sqs, q) == (0, 1, 0)
    assert receive(sqs, q) == []


def test_change_message_visibility_batch(sqs):
    q = make_queue(sqs)
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
    got = receive_all(sqs, q, 2)
    result = sqs.change_message_visibility_batch(
        QueueUrl=q,
        Entries=[
            {"Id": "show", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "keep", "ReceiptHandle": got[1]["ReceiptHandle"], "VisibilityTimeout": 60},
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
        ],
    )
    assert sorted(e["Id"] for e in result["Successful"]) == ["keep", "show"]
    [failed] = result["Failed"]
    assert (failed["Id"], failed["SenderFault"], failed["Code"]) == ("bad", True, "ReceiptHandleIsInvalid")
    [back] = receive(sqs, q, MaxNumberOfMessages=10)
    assert back["MessageId"] == got[0]["MessageId"]
    sqs_error(
        sqs,
        lambda: sqs.change_message_visibility_batch(
            QueueUrl=q, Entries=[{"Id": str(i), "ReceiptHandle": "h", "VisibilityTimeout": 1} for i in range(20)]
        ),
        "TooManyEntriesInBatchRequest",
        400,
        "Maximum number of entries per request are 10. You have sent 20.",
    )
    sqs_error(sqs, lambda: sqs.change_message_visibility_batch(QueueUrl=q, Entries=[]), "EmptyBatchRequest")


# --------------------------------------------------------------------------- delays


def test_queue_delay_seconds(sqs):
    q = make_queue(sqs, DelaySeconds=1)
    sent_at = time.monotonic()
    sent = sqs.send_message(QueueUrl=q, MessageBody="later")
    assert counts(sqs, q) == (0, 0, 1)
    assert receive(sqs, q) == []
    # A long poll returns when the delay ends.
    messages = receive(sqs, q, WaitTimeSeconds=5)
    waited = time.monotonic() - sent_at
    assert [m["MessageId"] for m in messages] == [sent["MessageId"]]
    assert 0.8 <= waited < 4, f"delivered {waited:.2f}s after the send"
    # A message's own DelaySeconds overrides the queue's: 0 is receivable at once.
    now = sqs.send_message(QueueUrl=q, MessageBody="now", DelaySeconds=0)
    assert [m["MessageId"] for m in receive(sqs, q)] == [now["MessageId"]]


def test_message_delay_seconds(sqs):
    q = make_queue(sqs)
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=q, MessageBody="in two", DelaySeconds=2)
    sqs.send_message(QueueUrl=q, MessageBody="at once")
    assert counts(sqs, q) == (1, 0, 1)
    assert [m["Body"] for m in receive(sqs, q, MaxNumberOfMessages=10)] == ["at once"]
    m, _ = receive_one_within(sqs, q, 6)
    assert m["Body"] == "in two"
    assert time.monotonic() - sent_at >= 1.8


# --------------------------------------------------------------------------- redrive


def test_redrive_to_the_dead_letter_queue_after_max_receive_count(sqs):
    dlq = make_queue(sqs)
    dlq_arn = attributes(sqs, dlq, "QueueArn")["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})
    source = make_queue(sqs, RedrivePolicy=policy)
    source_arn = queue_arn(name_of(source))
    stored = json.loads(attributes(sqs, source, "RedrivePolicy")["RedrivePolicy"])
    assert stored == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}

    message_attributes = {"kind": s("poison"), "n": s("3", "Number")}
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison pill", MessageAttributes=message_attributes)
    for count in ("1", "2"):
        [m] = receive(sqs, source, VisibilityTimeout=0, MessageSystemAttributeNames=["ApproximateReceiveCount"])
        assert (m["MessageId"], m["Attributes"]["ApproximateReceiveCount"]) == (sent["MessageId"], count)
    # The third receive finds it past maxReceiveCount: moved, not returned.
    assert receive(sqs, source, VisibilityTimeout=0) == []
    assert counts(sqs, source) == (0, 0, 0)
    assert counts(sqs, dlq) == (1, 0, 0)

    [dead] = receive_all(sqs, dlq, 1, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
    assert (dead["MessageId"], dead["Body"]) == (sent["MessageId"], "poison pill")
    assert dead["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert dead["MessageAttributes"] == message_attributes
    assert dead["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert dead["Attributes"].get("DeadLetterQueueSourceArn") == source_arn


def test_redrive_policy_with_an_invalid_arn(sqs):
    # Recorded: an ARN that is not one is rejected before any lookup, the value echoed as sent.
    policy = json.dumps({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})
    sqs_error(
        sqs,
        lambda: sqs.create_queue(QueueName=uniq("q-redrive"), Attributes={"RedrivePolicy": policy}),
        "InvalidParameterValueException",
        400,
        f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.",
    )


def test_redrive_policy_errors(sqs):
    missing = json.dumps({"deadLetterTargetArn": queue_arn(uniq("no-dlq")), "maxReceiveCount": 1})
    sqs_error(
        sqs,
        lambda: sqs.create_queue(QueueName=uniq("q-redrive"), Attributes={"RedrivePolicy": missing}),
        "InvalidParameterValueException",
    )
    fifo_dlq = make_queue(sqs, fifo=True)
    mixed = json.dumps({"deadLetterTargetArn": queue_arn(name_of(fifo_dlq)), "maxReceiveCount": 1})
    sqs_error(
        sqs,
        lambda: sqs.create_queue(QueueName=uniq("q-redrive"), Attributes={"RedrivePolicy": mixed}),
        "InvalidParameterValueException",
    )


# --------------------------------------------------------------------------- FIFO


def send_fifo(client, url, body_text, group, dedup=None, **extra):
    params = dict(QueueUrl=url, MessageBody=body_text, MessageGroupId=group, **extra)
    if dedup is not None:
        params["MessageDeduplicationId"] = dedup
    return client.send_message(**params)


def test_fifo_order_per_group_and_sequence_numbers(sqs):
    q = make_queue(sqs, fifo=True)
    sent = []
    for i in range(5):
        for group in ("g1", "g2"):
            response = send_fifo(sqs, q, f"{group}-{i}", group, dedup=f"{group}-{i}")
            assert set(body(response)) == {"MessageId", "MD5OfMessageBody", "SequenceNumber"}
            sent.append((group, f"{group}-{i}", response))
    numbers = [int(r["SequenceNumber"]) for _, _, r in sent]
    assert all(r["SequenceNumber"].isdigit() for _, _, r in sent)
    assert all(a < b for a, b in zip(numbers, numbers[1:])), numbers

    by_id = {r["MessageId"]: (g, b, r) for g, b, r in sent}
    seen = {"g1": [], "g2": []}
    deadline = time.monotonic() + 15
    while sum(map(len, seen.values())) < 10:
        assert time.monotonic() < deadline, seen
        batch = receive(sqs, q, MaxNumberOfMessages=3, MessageSystemAttributeNames=["All"])
        for m in batch:
            group, text, response = by_id[m["MessageId"]]
            assert set(m["Attributes"]) == FIFO_SYSTEM_ATTRIBUTES
            assert (m["Body"], m["Attributes"]["MessageGroupId"]) == (text, group)
            assert m["Attributes"]["SequenceNumber"] == response["SequenceNumber"]
            assert m["Attributes"]["MessageDeduplicationId"] == text
            seen[group].append(text)
        if batch:
            sqs.delete_message_batch(
                QueueUrl=q, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
            )
    assert seen == {g: [f"{g}-{i}" for i in range(5)] for g in ("g1", "g2")}


def test_fifo_group_is_held_while_a_message_is_in_flight(sqs):
    q = make_queue(sqs, fifo=True, ContentBasedDeduplication="true")
    send_fifo(sqs, q, "a1", "A")
    send_fifo(sqs, q, "a2", "A")
    [first] = receive(sqs, q, MaxNumberOfMessages=1, VisibilityTimeout=1)
    assert first["Body"] == "a1"
    assert receive(sqs, q, MaxNumberOfMessages=10) == []  # a2 waits behind the in-flight a1
    send_fifo(sqs, q, "b1", "B")
    assert [m["Body"] for m in receive(sqs, q, MaxNumberOfMessages=10, VisibilityTimeout=30)] == ["b1"]
    # a1's timeout runs out: a1 comes back before a2.
    again, _ = receive_one_within(sqs, q, 5, MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert (again["Body"], again["Attributes"]["ApproximateReceiveCount"]) == ("a1", "2")
    sqs.delete_message(QueueUrl=q, ReceiptHandle=again["ReceiptHandle"])
    assert [m["Body"] for m in receive(sqs, q, MaxNumberOfMessages=10)] == ["a2"]


def test_fifo_deduplication(sqs):
    q = make_queue(sqs, fifo=True)
    first = send_fifo(sqs, q, "payload", "g1", dedup="d1")
    duplicate = send_fifo(sqs, q, "payload", "g1", dedup="d1")
    assert duplicate["MessageId"] == first["MessageId"]
    # Deduplication is queue-wide, not per group (recorded), and ignores the body.
    other_group = send_fifo(sqs, q, "different body", "g2", dedup="d1")
    assert other_group["MessageId"] == first["MessageId"]
    distinct = send_fifo(sqs, q, "payload", "g1", dedup="d2")
    assert distinct["MessageId"] != first["MessageId"]
    assert counts(sqs, q) == (2, 0, 0)

    got = receive_all(sqs, q, 2)
    assert sorted(m["MessageId"] for m in got) == sorted([first["MessageId"], distinct["MessageId"]])
    for m in got:
        sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    # Recorded: still a duplicate after the original was deleted (five-minute window).
    again = send_fifo(sqs, q, "payload", "g1", dedup="d1")
    assert again["MessageId"] == first["MessageId"]
    assert receive(sqs, q, WaitTimeSeconds=1) == []


def test_fifo_content_based_deduplication(sqs):
    q = make_queue(sqs, fifo=True, ContentBasedDeduplication="true")
    item = '{"foo": "bar"}'
    first = send_fifo(sqs, q, item, "group-1")
    second = send_fifo(sqs, q, item, "group-2")  # recorded: not per group
    assert second["MessageId"] == first["MessageId"]
    other = send_fifo(sqs, q, item + " ", "group-1")
    assert other["MessageId"] != first["MessageId"]
    # An explicit MessageDeduplicationId takes precedence over the content.
    explicit = send_fifo(sqs, q, item, "group-1", dedup="explicit")
    assert explicit["MessageId"] != first["MessageId"]
    got = receive_all(sqs, q, 3, MessageSystemAttributeNames=["MessageDeduplicationId"])
    assert sorted(m["Body"] for m in got) == sorted([item, item + " ", item])
    assert receive(sqs, q, WaitTimeSeconds=1) == []
    dedup_ids = {m["MessageId"]: m["Attributes"]["MessageDeduplicationId"] for m in got}
    assert dedup_ids[explicit["MessageId"]] == "explicit"


def test_fifo_purge_clears_deduplication(sqs):
    q = make_queue(sqs, fifo=True)
    first = send_fifo(sqs, q, "message-1", "g", dedup="d")
    sqs.purge_queue(QueueUrl=q)
    second = send_fifo(sqs, q, "message-2", "g", dedup="d")
    assert second["MessageId"] != first["MessageId"]
    assert [m["Body"] for m in receive_all(sqs, q, 1)] == ["message-2"]


def test_fifo_send_errors(sqs, sqs_nv):
    q = make_queue(sqs, fifo=True)
    # Recorded: MessageGroupId missing → MissingParameter (QueryErrorCode MissingRequiredParameterException).
    sqs_error(
        sqs,
        lambda: sqs.send_message(QueueUrl=q, MessageBody="x", MessageDeduplicationId="d"),
        "MissingRequiredParameterException",
        400,
        "The request must contain the parameter MessageGroupId.",
    )
    sqs_error(
        sqs,
        lambda: sqs.send_message(QueueUrl=q, MessageBody="x", MessageGroupId="g"),
        "InvalidParameterValueException",
        400,
        DEDUP_REQUIRED,
    )
    sqs_error(
        sqs,
        lambda: send_fifo(sqs, q, "x", "g", dedup="d", DelaySeconds=2),
        "InvalidParameterValueException",
        400,
        "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for "
        "this queue type.",
    )
    assert counts(sqs, q) == (0, 0, 0)


def test_fifo_send_message_batch_errors(sqs):
    q = make_queue(sqs, fifo=True)
    # Recorded for batches: the whole request fails, InvalidParameterValue (not a Failed entry).
    sqs_error(
        sqs,
        lambda: sqs.send_message_batch(
            QueueUrl=q, Entries=[{"Id": "1", "MessageBody": "x", "MessageDeduplicationId": "d"}]
        ),
        "InvalidParameterValueException",
        400,
        "The request must contain the parameter MessageGroupId.",
    )
    sqs_error(
        sqs,
        lambda: sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": "1", "MessageBody": "x", "MessageGroupId": "g"}]),
        "InvalidParameterValueException",
        400,
        DEDUP_REQUIRED,
    )
    assert counts(sqs, q) == (0, 0, 0)


def test_fifo_send_message_batch_keeps_order(sqs):
    q = make_queue(sqs, fifo=True, ContentBasedDeduplication="true")
    result = sqs.send_message_batch(
        QueueUrl=q, Entries=[{"Id": f"e{i}", "MessageBody": f"m{i}", "MessageGroupId": "g"} for i in range(5)]
    )
    assert [e["Id"] for e in result["Successful"]] == [f"e{i}" for i in range(5)]
    numbers = [int(e["SequenceNumber"]) for e in result["Successful"]]
    assert all(a < b for a, b in zip(numbers, numbers[1:])), numbers
    got = receive(sqs, q, MaxNumberOfMessages=10)
    assert [m["Body"] for m in got] == [f"m{i}" for i in range(len(got))] and got


def test_fifo_expired_receipt_handle(sqs):
    """Recorded on AWS: deleting from a FIFO queue with the handle of a receive whose timeout ran out."""
    q = make_queue(sqs, fifo=True, ContentBasedDeduplication="true")
    send_fifo(sqs, q, "g1-m1", "g1")
    [m] = receive(sqs, q, VisibilityTimeout=1)
    deadline = time.monotonic() + 5
    while counts(sqs, q) != (1, 0, 0):
        assert time.monotonic() < deadline, "the message never became visible again"
        time.sleep(0.05)
    sqs_error(
        sqs,
        lambda: sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"]),
        "InvalidParameterValueException",
        400,
        f"Value {m['ReceiptHandle']} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
    )
    assert counts(sqs, q) == (1, 0, 0)


# --------------------------------------------------------------------------- aws CLI v1


def test_cli_create_send_receive_delete(url, sqs):
    name = uniq("q-cli")
    created = cli_ok(url, "sqs", "create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=45")
    assert created == {"QueueUrl": queue_url(url, name)}
    q = created["QueueUrl"]

    got = cli_ok(url, "sqs", "get-queue-attributes", "--queue-url", q, "--attribute-names", "All")["Attributes"]
    assert set(got) == STANDARD_ATTRIBUTE_NAMES
    assert (got["VisibilityTimeout"], got["QueueArn"]) == ("45", queue_arn(name))

    attrs_json = json.dumps({"Title": s("The Whistler"), "Author": s("John Grisham"), "WeeksOn": s("6", "Number")})
    sent = cli_ok(
        url, "sqs", "send-message", "--queue-url", q, "--message-body", "msg", "--message-attributes", attrs_json
    )
    assert set(sent) == {"MessageId", "MD5OfMessageBody", "MD5OfMessageAttributes"}
    assert (sent["MD5OfMessageBody"], sent["MD5OfMessageAttributes"]) == (
        "6e2baaf3b97dbeef01c0043275f9a0e7",
        "d25a6aea97eb8f585bfa92d314504a92",
    )

    received = cli_ok(
        url,
        "sqs",
        "receive-message",
        "--queue-url",
        q,
        "--attribute-names",
        "All",
        "--message-attribute-names",
        "All",
        "--wait-time-seconds",
        "2",
    )
    [m] = received["Messages"]
    assert (m["MessageId"], m["Body"], m["MD5OfBody"]) == (sent["MessageId"], "msg", sent["MD5OfMessageBody"])
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert m["MessageAttributes"]["WeeksOn"] == s("6", "Number")
    assert set(m["Attributes"]) == STANDARD_SYSTEM_ATTRIBUTES and m["Attributes"]["ApproximateReceiveCount"] == "1"

    assert cli_ok(url, "sqs", "delete-message", "--queue-url", q, "--receipt-handle", m["ReceiptHandle"]) is None
    got = cli_ok(
        url, "sqs", "get-queue-attributes", "--queue-url", q, "--attribute-names",
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
    )
    assert got == {"Attributes": {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}}
    assert cli_ok(url, "sqs", "receive-message", "--queue-url", q) in (None, {"Messages": []}, {})


def test_cli_errors(url):
    name = uniq("q-cli-missing")
    failure = cli_error(url, "sqs", "get-queue-url", "--queue-name", name)
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        "AWS.SimpleQueueService.NonExistentQueue", "GetQueueUrl", QUEUE_DOES_NOT_EXIST
    )
    failure = cli_error(url, "sqs", "send-message", "--queue-url", queue_url(url, name), "--message-body", "x")
    assert failure.stderr.strip() == cli_error_text(
        "AWS.SimpleQueueService.NonExistentQueue", "SendMessage", QUEUE_DOES_NOT_EXIST
    )


# --------------------------------------------------------------------------- durability


def test_acknowledged_messages_survive_kill_9(servers):
    first = servers.start()
    client = sqs_client(first.url)
    bulk = make_queue(client, name=uniq("q-durable"))
    state = make_queue(client, name=uniq("q-durable-state"))

    # On `state`: one message deleted, one in flight (4 s) at the kill.
    client.send_message(QueueUrl=state, MessageBody="doomed")
    client.send_message(QueueUrl=state, MessageBody="in flight")
    held = receive_all(client, state, 2, VisibilityTimeout=4)
    received_at = time.monotonic()
    by_body = {m["Body"]: m for m in held}
    client.delete_message(QueueUrl=state, ReceiptHandle=by_body["doomed"]["ReceiptHandle"])

    # On `bulk`: concurrent single sends and batches, each acknowledged before the kill.
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def sender(worker):
        try:
            own = sqs_client(first.url)
            for i in range(25):
                text = f"w{worker}-m{i}-" + "x" * (i * 40)
                response = own.send_message(QueueUrl=bulk, MessageBody=text)
                assert response["MD5OfMessageBody"] == md5_of_body(text)
                with lock:
                    acknowledged[response["MessageId"]] = text
            texts = {f"b{i}": f"w{worker}-batch-{i}" for i in range(10)}
            result = own.send_message_batch(
                QueueUrl=bulk, Entries=[{"Id": k, "MessageBody": v} for k, v in texts.items()]
            )
            assert not result.get("Failed"), result
            with lock:
                for entry in result["Successful"]:
                    acknowledged[entry["MessageId"]] = texts[entry["Id"]]
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(acknowledged) == 4 * 35

    first.kill9()
    assert first.returncode == -signal.SIGKILL

    second = servers.start(data_dir=first.data_dir)
    client = sqs_client(second.url)
    bulk = queue_url(second.url, name_of(bulk))
    state = queue_url(second.url, name_of(state))
    assert client.get_queue_url(QueueName=name_of(bulk))["QueueUrl"] == bulk

    got = receive_all(client, bulk, len(acknowledged), timeout=30, VisibilityTimeout=120)
    assert {m["MessageId"]: m["Body"] for m in got} == acknowledged
    assert all(m["MD5OfBody"] == md5_of_body(m["Body"]) for m in got)

    # The in-flight message stays hidden until its timeout runs out, then comes back; the deleted one never does.
    if time.monotonic() - received_at < 3.0:
        assert receive(client, state) == []
    back, _ = receive_one_within(client, state, 10, MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert time.monotonic() - received_at >= 3.0
    assert (back["MessageId"], back["Body"]) == (by_body["in flight"]["MessageId"], "in flight")
    assert back["Attributes"]["ApproximateReceiveCount"] == "2"
    assert receive(client, state, WaitTimeSeconds=1) == []
    assert counts(client, state) == (0, 1, 0)

    # The restarted server keeps working on the same data.
    fresh = client.send_message(QueueUrl=bulk, MessageBody="after restart")
    assert fresh["MessageId"] not in acknowledged
    assert [m["Body"] for m in receive_all(client, bulk, 1)] == ["after restart"]
    second.stop()


# --------------------------------------------------------------------------- mappings


def test_mapping_for_a_missing_queue_is_rejected(lam, fn):
    arn = queue_arn(uniq("no-such-queue"))
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn),
        "InvalidParameterValueException",
        400,
        "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
        "SQS Error Message: The specified queue does not exist.",
    )
    assert lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"] == []


def test_mapping_checks_visibility_timeout_against_function_timeout(lam, sqs):
    slow = uniq("fn-slow")
    create_function(lam, slow, Timeout=60)
    short = make_queue(sqs, VisibilityTimeout=30)
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=slow, EventSourceArn=queue_arn(name_of(short))),
        "InvalidParameterValueException",
        400,
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds",
    )
    assert lam.list_event_source_mappings(EventSourceArn=queue_arn(name_of(short)))["EventSourceMappings"] == []

    # Equal is fine.
    equal = make_queue(sqs, VisibilityTimeout=60)
    created = lam.create_event_source_mapping(
        FunctionName=slow, EventSourceArn=queue_arn(name_of(equal)), Enabled=False
    )
    assert created["EventSourceArn"] == queue_arn(name_of(equal))
    wait_for_state(lam, created["UUID"], "Disabled")

    # Update too: pointing a mapping of the short queue at the slow function.
    quick = uniq("fn-quick")
    create_function(lam, quick, Timeout=30)
    mapping = lam.create_event_source_mapping(
        FunctionName=quick, EventSourceArn=queue_arn(name_of(short)), Enabled=False
    )
    wait_for_state(lam, mapping["UUID"], "Disabled")
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=mapping["UUID"], FunctionName=slow),
        "InvalidParameterValueException",
        400,
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds",
    )
    for uuid in (created["UUID"], mapping["UUID"]):
        lam.delete_event_source_mapping(UUID=uuid)
        wait_for_deleted(lam, uuid)
