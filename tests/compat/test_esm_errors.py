"""Event source mapping validation and errors (esm-api.md §5, docs/compatibility.md): error code,
HTTP status and exact message for every case that applies without real sources, and no
half-created mapping after a rejected Create."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib

import pytest

from compat_support import (
    DLQ_ARN,
    NOT_FOUND_MESSAGE,
    at_least,
    at_most,
    assert_validation_errors,
    create_function,
    ddb_stream_arn,
    expect_error,
    function_arn,
    kafka_access,
    kafka_source,
    kinesis_arn,
    lambda_client,
    list_uuids,
    msk_arn,
    range_error,
    sqs_arn,
    uniq,
    validation_message,
    wait_for_state,
)

IPVE = "InvalidParameterValueException"
UNSUPPORTED_DESTINATION = "Unsupported DestinationConfig parameter for given event source mapping type."
SQS_WINDOW = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
RECORD_AGE = "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
BAD_FILTER = "Invalid filter pattern definition."
NO_FUNCTION = "Function does not exist"
STARTING_POSITION_NULL = (
    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."
)


def unsupported(field):
    return f"Unsupported {field} parameter for given event source mapping type."


@pytest.fixture
def unchanged(lam):
    """Asserts at the end of the test that the set of mappings did not change."""
    before = list_uuids(lam)
    yield
    assert list_uuids(lam) == before, "a rejected request left a mapping behind"


def kinesis(fn, **extra):
    return dict(FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="LATEST", **extra)


def sqs(fn, **extra):
    return dict(FunctionName=fn, EventSourceArn=sqs_arn(), **extra)


def kafka(fn, **extra):
    params = dict(
        FunctionName=fn,
        SelfManagedEventSource=kafka_source(),
        Topics=[uniq("topic")],
        SourceAccessConfigurations=kafka_access(),
    )
    params.update(extra)
    return params


# --------------------------------------------------------------------------- recorded InvalidParameterValue cases


@pytest.mark.parametrize("make", [kinesis, sqs, kafka], ids=["kinesis", "sqs", "kafka"])
def test_on_success_destination_is_rejected(lam, fn, unchanged, make):
    params = make(fn, DestinationConfig={"OnSuccess": {"Destination": DLQ_ARN}})
    expect_error(lambda: lam.create_event_source_mapping(**params), IPVE, 400, UNSUPPORTED_DESTINATION)


def test_on_success_is_checked_before_the_function(lam, unchanged):
    params = kinesis(uniq("no-such-fn"), DestinationConfig={"OnSuccess": {"Destination": DLQ_ARN}})
    expect_error(lambda: lam.create_event_source_mapping(**params), IPVE, 400, UNSUPPORTED_DESTINATION)


def test_on_success_rejected_on_update(lam, fn):
    created = lam.create_event_source_mapping(**kinesis(fn, Enabled=False))
    expect_error(
        lambda: lam.update_event_source_mapping(
            UUID=created["UUID"], DestinationConfig={"OnSuccess": {"Destination": DLQ_ARN}}
        ),
        IPVE,
        400,
        UNSUPPORTED_DESTINATION,
    )
    assert lam.get_event_source_mapping(UUID=created["UUID"])["DestinationConfig"] == {"OnFailure": {}}


def test_missing_event_source_is_unrecognized(lam, fn, unchanged):
    expect_error(lambda: lam.create_event_source_mapping(FunctionName=fn), IPVE, 400, "Unrecognized event source.")
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=uniq("no-such-fn"), BatchSize=5),
        IPVE,
        400,
        "Unrecognized event source.",
    )


@pytest.mark.parametrize("source", ["kinesis", "dynamodb"])
def test_streams_require_starting_position(lam, fn, unchanged, source):
    arn = kinesis_arn() if source == "kinesis" else ddb_stream_arn()
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn), IPVE, 400, STARTING_POSITION_NULL
    )
    # Checked before the function's existence (recorded order).
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=uniq("no-such-fn"), EventSourceArn=arn),
        IPVE,
        400,
        STARTING_POSITION_NULL,
    )


def test_invalid_starting_position_is_a_validation_error(lam_nv, fn, unchanged):
    expect_error(
        lambda: lam_nv.create_event_source_mapping(FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="invalid"),
        "ValidationException",
        400,
        "1 validation error detected: Value 'invalid' at 'startingPosition' failed to satisfy constraint: "
        "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    )


def test_at_timestamp_is_unsupported_for_dynamodb(lam, fn, unchanged):
    arn = ddb_stream_arn()
    expect_error(
        lambda: lam.create_event_source_mapping(
            FunctionName=fn,
            EventSourceArn=arn,
            StartingPosition="AT_TIMESTAMP",
            StartingPositionTimestamp=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
        ),
        IPVE,
        400,
        f"Unsupported starting position for arn type: {arn}",
    )


def test_sqs_batch_size_over_10_needs_a_window_on_create(lam, fn, unchanged):
    expect_error(lambda: lam.create_event_source_mapping(**sqs(fn, BatchSize=11)), IPVE, 400, SQS_WINDOW)
    expect_error(
        lambda: lam.create_event_source_mapping(**sqs(fn, BatchSize=11, MaximumBatchingWindowInSeconds=0)),
        IPVE,
        400,
        SQS_WINDOW,
    )


def test_sqs_batch_size_over_10_with_window_is_accepted(lam, fn):
    created = lam.create_event_source_mapping(**sqs(fn, BatchSize=11, MaximumBatchingWindowInSeconds=1, Enabled=False))
    assert created["BatchSize"] == 11
    assert created["MaximumBatchingWindowInSeconds"] == 1


def test_sqs_batch_size_over_10_needs_a_window_on_update(lam, fn):
    created = lam.create_event_source_mapping(**sqs(fn, Enabled=False))
    uuid = created["UUID"]
    expect_error(lambda: lam.update_event_source_mapping(UUID=uuid, BatchSize=11), IPVE, 400, SQS_WINDOW)
    got = lam.get_event_source_mapping(UUID=uuid)
    assert got["BatchSize"] == 10
    assert got["State"] == "Disabled"
    updated = lam.update_event_source_mapping(UUID=uuid, BatchSize=11, MaximumBatchingWindowInSeconds=2)
    assert updated["BatchSize"] == 11
    wait_for_state(lam, uuid, "Disabled")
    # Removing the window while BatchSize stays above 10 breaks the same rule.
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=uuid, MaximumBatchingWindowInSeconds=0), IPVE, 400, SQS_WINDOW
    )
    assert lam.get_event_source_mapping(UUID=uuid)["MaximumBatchingWindowInSeconds"] == 2


@pytest.mark.parametrize("age", [0, 1, 30, 59])
def test_maximum_record_age_below_60_is_rejected(lam, fn, unchanged, age):
    expect_error(
        lambda: lam.create_event_source_mapping(**kinesis(fn, MaximumRecordAgeInSeconds=age)), IPVE, 400, RECORD_AGE
    )


def test_maximum_record_age_below_60_is_rejected_on_update(lam, fn):
    created = lam.create_event_source_mapping(**kinesis(fn, Enabled=False, MaximumRecordAgeInSeconds=60))
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=created["UUID"], MaximumRecordAgeInSeconds=10),
        IPVE,
        400,
        RECORD_AGE,
    )
    assert lam.get_event_source_mapping(UUID=created["UUID"])["MaximumRecordAgeInSeconds"] == 60


@pytest.mark.parametrize(
    "pattern", ["not json", "[1, 2]", "null", '"a string"', "42", '{"a": ', ""], ids=lambda p: repr(p)
)
def test_invalid_filter_pattern_is_rejected(lam, fn, unchanged, pattern):
    expect_error(
        lambda: lam.create_event_source_mapping(**sqs(fn, FilterCriteria={"Filters": [{"Pattern": pattern}]})),
        IPVE,
        400,
        BAD_FILTER,
    )


def test_invalid_filter_pattern_is_rejected_on_update(lam, fn):
    created = lam.create_event_source_mapping(**sqs(fn, Enabled=False))
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=created["UUID"], FilterCriteria={"Filters": [{"Pattern": "{"}]}),
        IPVE,
        400,
        BAD_FILTER,
    )
    assert "FilterCriteria" not in lam.get_event_source_mapping(UUID=created["UUID"])


def test_more_than_five_filters_is_rejected(lam, fn):
    filters = [{"Pattern": '{"n": [%d]}' % i} for i in range(6)]
    before = list_uuids(lam)
    expect_error(
        lambda: lam.create_event_source_mapping(**sqs(fn, FilterCriteria={"Filters": filters})),
        IPVE,
        400,
        "The maximum number of filters allowed for an event source mapping is 5.",
    )
    assert list_uuids(lam) == before
    created = lam.create_event_source_mapping(**sqs(fn, Enabled=False, FilterCriteria={"Filters": filters[:5]}))
    assert len(created["FilterCriteria"]["Filters"]) == 5


@pytest.mark.parametrize(
    "name_of",
    [
        lambda fn: uniq("no-such-fn"),
        lambda fn: function_arn(uniq("no-such-fn")),
        lambda fn: f"{fn}:prod",  # qualifiers other than $LATEST do not exist yet
        lambda fn: f"{fn}:1",
    ],
    ids=["name", "arn", "unknown-alias", "unknown-version"],
)
def test_function_that_does_not_exist(lam, fn, unchanged, name_of):
    name = name_of(fn)
    expect_error(lambda: lam.create_event_source_mapping(**kinesis(name)), IPVE, 400, NO_FUNCTION)
    expect_error(lambda: lam.create_event_source_mapping(**sqs(name)), IPVE, 400, NO_FUNCTION)


def test_update_to_a_function_that_does_not_exist(lam, fn):
    created = lam.create_event_source_mapping(**sqs(fn, Enabled=False))
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=created["UUID"], FunctionName=uniq("no-such-fn")),
        IPVE,
        400,
        NO_FUNCTION,
    )
    assert lam.get_event_source_mapping(UUID=created["UUID"])["FunctionArn"] == function_arn(fn)


def test_kafka_requires_topics_and_access_configurations(lam, fn, unchanged):
    params = kafka(fn)
    del params["Topics"]
    expect_error(lambda: lam.create_event_source_mapping(**params), IPVE, 400, "Required 'topics' parameter is missing.")
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=msk_arn(), StartingPosition="LATEST"),
        IPVE,
        400,
        "Required 'topics' parameter is missing.",
    )
    params = kafka(fn)
    del params["SourceAccessConfigurations"]
    expect_error(
        lambda: lam.create_event_source_mapping(**params),
        IPVE,
        400,
        "Required 'sourceAccessConfigurations' parameter is missing.",
    )


# --------------------------------------------------------------------------- duplicates


def test_duplicate_sqs_mapping(lam, fn):
    queue = sqs_arn()
    first = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=queue, Enabled=False)
    before = list_uuids(lam)
    message = (
        f'An event source mapping with SQS arn (" {queue} ") and function (" {fn} ") already exists. '
        f"Please update or delete the existing mapping with UUID {first['UUID']}"
    )
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=queue), "ResourceConflictException", 409, message
    )
    # The same function by ARN resolves to the same key; the message still names the function.
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=function_arn(fn), EventSourceArn=queue, BatchSize=5),
        "ResourceConflictException",
        409,
        message,
    )
    assert list_uuids(lam) == before


@pytest.mark.parametrize("source", ["kinesis", "dynamodb"])
def test_duplicate_stream_mapping(lam, fn, source):
    stream = kinesis_arn() if source == "kinesis" else ddb_stream_arn()
    first = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=stream, StartingPosition="LATEST", Enabled=False)
    before = list_uuids(lam)
    expect_error(
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=stream, StartingPosition="TRIM_HORIZON"),
        "ResourceConflictException",
        409,
        f'The event source arn (" {stream} ") and function (" {fn} ") provided mapping already exists. '
        f"Please update or delete the existing mapping with UUID {first['UUID']}",
    )
    assert list_uuids(lam) == before


def test_duplicate_kafka_mapping(lam, fn):
    topic = uniq("topic")
    source = kafka_source("dup.local:9092")
    first = lam.create_event_source_mapping(
        FunctionName=fn, SelfManagedEventSource=source, Topics=[topic], SourceAccessConfigurations=kafka_access(), Enabled=False
    )
    before = list_uuids(lam)
    expect_error(
        lambda: lam.create_event_source_mapping(
            FunctionName=fn, SelfManagedEventSource=source, Topics=[topic], SourceAccessConfigurations=kafka_access()
        ),
        "ResourceConflictException",
        409,
        f'An event source mapping with event source ("dup.local:9092"), function ("{function_arn(fn)}"), '
        f'topics ("{topic}") already exists. Please update or delete the existing mapping with UUID {first["UUID"]}',
    )
    # Any overlapping bootstrap server with the same topic is a duplicate.
    expect_error(
        lambda: lam.create_event_source_mapping(
            FunctionName=fn,
            SelfManagedEventSource=kafka_source("other.local:9092", "dup.local:9092"),
            Topics=[topic],
            SourceAccessConfigurations=kafka_access(),
        ),
        "ResourceConflictException",
        409,
        message_re=r"An event source mapping with event source \(\"[^\"]+\"\), function \(\"%s\"\), topics \(\"%s\"\) "
        r"already exists\. Please update or delete the existing mapping with UUID %s"
        % (function_arn(fn).replace("$", r"\$"), topic, first["UUID"]),
    )
    assert list_uuids(lam) == before
    # Another topic on the same servers is not a duplicate.
    other = lam.create_event_source_mapping(
        FunctionName=fn, SelfManagedEventSource=source, Topics=[uniq("topic")], SourceAccessConfigurations=kafka_access(), Enabled=False
    )
    assert other["UUID"] != first["UUID"]


def test_same_source_for_another_function_is_not_a_duplicate(lam, fn):
    other = uniq("fn-second")
    create_function(lam, other)
    queue = sqs_arn()
    a = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=queue, Enabled=False)
    b = lam.create_event_source_mapping(FunctionName=other, EventSourceArn=queue, Enabled=False)
    assert a["UUID"] != b["UUID"]


# --------------------------------------------------------------------------- unknown UUIDs


@pytest.mark.parametrize("operation", ["get", "update", "delete"])
def test_unknown_uuid_is_404(lam, operation):
    missing = str(uuidlib.uuid4())
    calls = {
        "get": lambda: lam.get_event_source_mapping(UUID=missing),
        "update": lambda: lam.update_event_source_mapping(UUID=missing, BatchSize=5),
        "delete": lambda: lam.delete_event_source_mapping(UUID=missing),
    }
    expect_error(calls[operation], "ResourceNotFoundException", 404, NOT_FOUND_MESSAGE)


# --------------------------------------------------------------------------- model constraints (ValidationException)

RANGE_CASES = [
    ("kinesis", "BatchSize", 0, at_least(0, "batchSize", 1)),
    ("kinesis", "BatchSize", 10001, at_most(10001, "batchSize", 10000)),
    ("sqs", "BatchSize", 10001, at_most(10001, "batchSize", 10000)),
    ("kinesis", "MaximumBatchingWindowInSeconds", 301, at_most(301, "maximumBatchingWindowInSeconds", 300)),
    ("kinesis", "MaximumBatchingWindowInSeconds", -1, at_least(-1, "maximumBatchingWindowInSeconds", 0)),
    ("kinesis", "ParallelizationFactor", 0, at_least(0, "parallelizationFactor", 1)),
    ("kinesis", "ParallelizationFactor", 11, at_most(11, "parallelizationFactor", 10)),
    ("kinesis", "MaximumRecordAgeInSeconds", 604801, at_most(604801, "maximumRecordAgeInSeconds", 604800)),
    ("kinesis", "MaximumRecordAgeInSeconds", -2, at_least(-2, "maximumRecordAgeInSeconds", -1)),
    ("kinesis", "MaximumRetryAttempts", 10001, at_most(10001, "maximumRetryAttempts", 10000)),
    ("kinesis", "MaximumRetryAttempts", -2, at_least(-2, "maximumRetryAttempts", -1)),
    ("kinesis", "TumblingWindowInSeconds", 901, at_most(901, "tumblingWindowInSeconds", 900)),
    ("kinesis", "TumblingWindowInSeconds", -1, at_least(-1, "tumblingWindowInSeconds", 0)),
]


@pytest.mark.parametrize("source,field,value,error", RANGE_CASES, ids=[f"{c[1]}={c[2]}" for c in RANGE_CASES])
def test_range_violation_on_create(lam_nv, fn, unchanged, source, field, value, error):
    params = (kinesis if source == "kinesis" else sqs)(fn, **{field: value})
    expect_error(
        lambda: lam_nv.create_event_source_mapping(**params), "ValidationException", 400, validation_message(error)
    )


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("BatchSize", 10001, at_most(10001, "batchSize", 10000)),
        ("ParallelizationFactor", 11, at_most(11, "parallelizationFactor", 10)),
        ("MaximumRetryAttempts", -2, at_least(-2, "maximumRetryAttempts", -1)),
    ],
)
def test_range_violation_on_update(lam, lam_nv, fn, field, value, error):
    created = lam.create_event_source_mapping(**kinesis(fn, Enabled=False))
    expect_error(
        lambda: lam_nv.update_event_source_mapping(UUID=created["UUID"], **{field: value}),
        "ValidationException",
        400,
        validation_message(error),
    )
    assert lam.get_event_source_mapping(UUID=created["UUID"])[field] == created[field]


def test_two_violations_are_reported_together(lam_nv, fn, unchanged):
    response = expect_error(
        lambda: lam_nv.create_event_source_mapping(**kinesis(fn, BatchSize=0, ParallelizationFactor=11)),
        "ValidationException",
        400,
    )
    assert_validation_errors(
        response["Error"]["Message"],
        [at_least(0, "batchSize", 1), at_most(11, "parallelizationFactor", 10)],
    )


def test_scaling_config_out_of_range(lam_nv, fn, unchanged):
    expect_error(
        lambda: lam_nv.create_event_source_mapping(**sqs(fn, ScalingConfig={"MaximumConcurrency": 1})),
        "ValidationException",
        400,
        validation_message(at_least(1, "scalingConfig.maximumConcurrency", 2)),
    )
    expect_error(
        lambda: lam_nv.create_event_source_mapping(**sqs(fn, ScalingConfig={"MaximumConcurrency": 1001})),
        "ValidationException",
        400,
        validation_message(at_most(1001, "scalingConfig.maximumConcurrency", 1000)),
    )


def test_destination_that_is_not_an_arn(lam_nv, fn, unchanged):
    expect_error(
        lambda: lam_nv.create_event_source_mapping(
            **kinesis(fn, DestinationConfig={"OnFailure": {"Destination": "not-an-arn"}})
        ),
        "ValidationException",
        400,
        message_re=r"1 validation error detected: Value 'not-an-arn' at 'destinationConfig\.onFailure\.destination' "
        r"failed to satisfy constraint: Member must satisfy regular expression pattern: .+",
    )


def test_list_max_items_out_of_range(lam_nv):
    expect_error(
        lambda: lam_nv.list_event_source_mappings(MaxItems=0),
        "ValidationException",
        400,
        validation_message(at_least(0, "maxItems", 1)),
    )
    expect_error(
        lambda: lam_nv.list_event_source_mappings(MaxItems=10001),
        "ValidationException",
        400,
        validation_message(at_most(10001, "maxItems", 10000)),
    )


def test_function_name_longer_than_64(lam, unchanged):
    name = "f" * 65
    expect_error(
        lambda: lam.create_event_source_mapping(**sqs(name)),
        IPVE,
        400,
        validation_message(range_error(name, "functionName", "have length less than or equal to 64")),
    )


# --------------------------------------------------------------------------- fields the source type does not use

UNSUPPORTED_CASES = [
    ("sqs", {"ParallelizationFactor": 2}, "ParallelizationFactor"),
    ("sqs", {"StartingPosition": "LATEST"}, "StartingPosition"),
    ("sqs", {"TumblingWindowInSeconds": 30}, "TumblingWindowInSeconds"),
    ("sqs", {"BisectBatchOnFunctionError": True}, "BisectBatchOnFunctionError"),
    ("sqs", {"MaximumRetryAttempts": 5}, "MaximumRetryAttempts"),
    ("sqs", {"MaximumRecordAgeInSeconds": 120}, "MaximumRecordAgeInSeconds"),
    ("sqs", {"DestinationConfig": {"OnFailure": {"Destination": DLQ_ARN}}}, "DestinationConfig"),
    ("sqs", {"Topics": ["orders"]}, "Topics"),
    ("kinesis", {"ScalingConfig": {"MaximumConcurrency": 5}}, "ScalingConfig"),
    ("kinesis", {"Topics": ["orders"]}, "Topics"),
    ("kinesis", {"SourceAccessConfigurations": kafka_access()}, "SourceAccessConfigurations"),
    ("kafka", {"ParallelizationFactor": 2}, "ParallelizationFactor"),
    ("kafka", {"TumblingWindowInSeconds": 30}, "TumblingWindowInSeconds"),
    ("kafka", {"ScalingConfig": {"MaximumConcurrency": 5}}, "ScalingConfig"),
]


@pytest.mark.parametrize(
    "source,extra,field", UNSUPPORTED_CASES, ids=[f"{c[0]}-{c[2]}" for c in UNSUPPORTED_CASES]
)
def test_field_not_used_by_the_source_type(lam, fn, unchanged, source, extra, field):
    make = {"sqs": sqs, "kinesis": kinesis, "kafka": kafka}[source]
    params = make(fn, **extra)
    expect_error(lambda: lam.create_event_source_mapping(**params), IPVE, 400, unsupported(field))


def test_field_not_used_by_the_source_type_on_update(lam, fn):
    created = lam.create_event_source_mapping(**sqs(fn, Enabled=False))
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=created["UUID"], ParallelizationFactor=2),
        IPVE,
        400,
        unsupported("ParallelizationFactor"),
    )
    stream = lam.create_event_source_mapping(**kinesis(fn, Enabled=False))
    expect_error(
        lambda: lam.update_event_source_mapping(UUID=stream["UUID"], ScalingConfig={"MaximumConcurrency": 5}),
        IPVE,
        400,
        unsupported("ScalingConfig"),
    )


# --------------------------------------------------------------------------- List errors


def test_list_with_a_marker_sluice_did_not_issue(lam):
    expect_error(
        lambda: lam.list_event_source_mappings(Marker="not-a-marker-we-issued"), IPVE, 400, "Invalid Marker value."
    )


# --------------------------------------------------------------------------- busy mappings (slow transitions)


@pytest.fixture(scope="module")
def slow(servers):
    """A server whose transitional states last at least 3 seconds."""
    server = servers.start(transition_delay=3)
    client = lambda_client(server.url)
    name = uniq("slow-fn")
    create_function(client, name)
    return client, name


def in_use(state):
    return f"The operation cannot be performed at this time. The event source mapping is currently in the following state: {state}"


def test_update_and_delete_while_creating_are_in_use(slow):
    client, name = slow
    created = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn())
    assert created["State"] == "Creating"
    uuid = created["UUID"]
    expect_error(
        lambda: client.update_event_source_mapping(UUID=uuid, BatchSize=5), "ResourceInUseException", 400, in_use("Creating")
    )
    expect_error(lambda: client.delete_event_source_mapping(UUID=uuid), "ResourceInUseException", 400, in_use("Creating"))
    got = client.get_event_source_mapping(UUID=uuid)
    assert got["State"] == "Creating"
    assert got["BatchSize"] == 10


def test_update_and_delete_while_updating_are_in_use(slow):
    client, name = slow
    created = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    uuid = created["UUID"]
    assert created["State"] == "Disabled"
    assert client.update_event_source_mapping(UUID=uuid, BatchSize=4)["State"] == "Updating"
    expect_error(
        lambda: client.update_event_source_mapping(UUID=uuid, BatchSize=5), "ResourceInUseException", 400, in_use("Updating")
    )
    expect_error(lambda: client.delete_event_source_mapping(UUID=uuid), "ResourceInUseException", 400, in_use("Updating"))
    got = client.get_event_source_mapping(UUID=uuid)
    assert got["State"] == "Updating"
    assert got["BatchSize"] == 4


def test_update_while_enabling_and_deleting_are_in_use(slow):
    client, name = slow
    created = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    uuid = created["UUID"]
    assert client.update_event_source_mapping(UUID=uuid, Enabled=True)["State"] == "Enabling"
    expect_error(
        lambda: client.update_event_source_mapping(UUID=uuid, Enabled=False),
        "ResourceInUseException",
        400,
        in_use("Enabling"),
    )
    other = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    assert client.delete_event_source_mapping(UUID=other["UUID"])["State"] == "Deleting"
    expect_error(
        lambda: client.update_event_source_mapping(UUID=other["UUID"], BatchSize=3),
        "ResourceInUseException",
        400,
        in_use("Deleting"),
    )
    expect_error(
        lambda: client.delete_event_source_mapping(UUID=other["UUID"]), "ResourceInUseException", 400, in_use("Deleting")
    )
    assert client.get_event_source_mapping(UUID=other["UUID"])["State"] == "Deleting"
