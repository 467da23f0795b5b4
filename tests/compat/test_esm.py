"""Event source mappings with boto3: fields, defaults, exact response key sets per source type,
states, FunctionArn forms, updates, filters, destinations, List paging, tags
(esm-api.md §1–4, §7–9; docs/compatibility.md "Event source mappings")."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from compat_support import (
    MSK_KEYS,
    SELF_MANAGED_KAFKA_KEYS,
    SQS_KEYS,
    STREAM_KEYS,
    ACCOUNT,
    DLQ_ARN,
    SECRET_ARN,
    SNS_ARN,
    UUID_V4,
    assert_recent,
    body,
    create_function,
    ddb_stream_arn,
    esm_arn,
    expect_error,
    function_arn,
    kafka_access,
    kafka_source,
    kinesis_arn,
    lambda_client,
    list_uuids,
    msk_arn,
    sqs_arn,
    status,
    uniq,
    wait_for_deleted,
    wait_for_state,
    wait_until,
    NOT_FOUND_MESSAGE,
)

STREAM_DEFAULTS = {
    "BatchSize": 100,
    "BisectBatchOnFunctionError": False,
    "DestinationConfig": {"OnFailure": {}},
    "FunctionResponseTypes": [],
    "LastProcessingResult": "No records processed",
    "MaximumBatchingWindowInSeconds": 0,
    "MaximumRecordAgeInSeconds": -1,
    "MaximumRetryAttempts": -1,
    "ParallelizationFactor": 1,
    "StateTransitionReason": "User action",
    "TumblingWindowInSeconds": 0,
}

PATTERN_A = '{"data": {"kind": ["order"]}}'
PATTERN_B = '{ "body" : { "amount" : [ { "numeric" : [ ">", 10 ] } ] } }'


def same_config(a, b, ignore=("State", "LastModified")):
    strip = lambda c: {k: v for k, v in body(c).items() if k not in ignore}  # noqa: E731
    assert strip(a) == strip(b)


def check_identity(config, fn_name, source_arn=None):
    assert UUID_V4.match(config["UUID"]), config["UUID"]
    assert config["EventSourceMappingArn"] == esm_arn(config["UUID"])
    assert config["FunctionArn"] == function_arn(fn_name)
    if source_arn is not None:
        assert config["EventSourceArn"] == source_arn
    assert_recent(config["LastModified"])


# --------------------------------------------------------------------------- defaults per source


@pytest.mark.parametrize(
    "source,position",
    [("kinesis", "LATEST"), ("kinesis", "TRIM_HORIZON"), ("dynamodb", "TRIM_HORIZON"), ("dynamodb", "LATEST")],
)
def test_stream_create_has_recorded_keys_and_defaults(lam, fn, source, position):
    arn = kinesis_arn() if source == "kinesis" else ddb_stream_arn()
    response = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, StartingPosition=position)
    assert status(response) == 202
    created = body(response)
    assert set(created) == STREAM_KEYS
    check_identity(created, fn, arn)
    for key, value in STREAM_DEFAULTS.items():
        assert created[key] == value, key
    assert created["StartingPosition"] == position
    assert created["State"] == "Creating"

    got = wait_for_state(lam, created["UUID"], "Enabled")
    assert status(got) == 200
    assert set(body(got)) == STREAM_KEYS
    same_config(got, created)
    assert got["StateTransitionReason"] == "User action"


def test_sqs_create_has_recorded_keys_and_defaults(lam, fn):
    arn = sqs_arn()
    response = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn)
    assert status(response) == 202
    created = body(response)
    assert set(created) == SQS_KEYS
    check_identity(created, fn, arn)
    assert created["BatchSize"] == 10
    assert created["MaximumBatchingWindowInSeconds"] == 0
    assert created["FunctionResponseTypes"] == []
    assert created["State"] == "Creating"
    assert created["StateTransitionReason"] == "USER_INITIATED"

    got = wait_for_state(lam, created["UUID"], "Enabled")
    assert set(body(got)) == SQS_KEYS
    same_config(got, created)


def test_self_managed_kafka_create_has_recorded_keys_and_defaults(lam, fn):
    response = lam.create_event_source_mapping(
        FunctionName=fn,
        SelfManagedEventSource=kafka_source("broker-a.local:9092", "broker-b.local:9092"),
        Topics=[uniq("topic")],
        SourceAccessConfigurations=kafka_access(),
    )
    assert status(response) == 202
    created = body(response)
    assert set(created) == SELF_MANAGED_KAFKA_KEYS
    check_identity(created, fn)
    assert created["BatchSize"] == 100
    assert created["StartingPosition"] == "TRIM_HORIZON"
    assert created["LastProcessingResult"] == "No records processed"
    assert created["SelfManagedEventSource"] == kafka_source("broker-a.local:9092", "broker-b.local:9092")
    assert created["SelfManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": created["UUID"]}
    assert created["SourceAccessConfigurations"] == kafka_access()
    assert len(created["Topics"]) == 1
    assert created["State"] == "Creating"
    assert created["StateTransitionReason"] == "USER_INITIATED"

    got = wait_for_state(lam, created["UUID"], "Enabled")
    assert set(body(got)) == SELF_MANAGED_KAFKA_KEYS
    same_config(got, created)


def test_msk_create_has_kafka_shape_with_event_source_arn(lam, fn):
    arn = msk_arn()
    topic = uniq("topic")
    access = [{"Type": "SASL_SCRAM_512_AUTH", "URI": SECRET_ARN}]
    response = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=arn, Topics=[topic], SourceAccessConfigurations=access
    )
    assert status(response) == 202
    created = body(response)
    assert set(created) == MSK_KEYS
    check_identity(created, fn, arn)
    assert created["BatchSize"] == 100
    assert created["StartingPosition"] == "TRIM_HORIZON"
    assert created["Topics"] == [topic]
    assert created["AmazonManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": created["UUID"]}
    assert created["SourceAccessConfigurations"] == access
    assert created["LastProcessingResult"] == "No records processed"
    assert created["StateTransitionReason"] == "USER_INITIATED"
    assert created["State"] == "Creating"
    got = wait_for_state(lam, created["UUID"], "Enabled")
    assert set(body(got)) == MSK_KEYS
    same_config(got, created)


def test_kinesis_at_timestamp_echoes_starting_position_timestamp(lam, fn):
    when = dt.datetime(2024, 5, 1, 12, 30, 0, tzinfo=dt.timezone.utc)
    response = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=when
    )
    created = body(response)
    assert set(created) == STREAM_KEYS | {"StartingPositionTimestamp"}
    assert created["StartingPosition"] == "AT_TIMESTAMP"
    assert created["StartingPositionTimestamp"] == when
    got = wait_for_state(lam, created["UUID"], "Enabled")
    assert got["StartingPositionTimestamp"] == when


# --------------------------------------------------------------------------- every field on create


def test_kinesis_create_with_every_stream_field(lam, fn):
    arn = kinesis_arn()
    response = lam.create_event_source_mapping(
        FunctionName=fn,
        EventSourceArn=arn,
        StartingPosition="TRIM_HORIZON",
        BatchSize=250,
        MaximumBatchingWindowInSeconds=7,
        ParallelizationFactor=4,
        MaximumRecordAgeInSeconds=3600,
        MaximumRetryAttempts=3,
        BisectBatchOnFunctionError=True,
        TumblingWindowInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": DLQ_ARN}},
        FunctionResponseTypes=["ReportBatchItemFailures"],
        FilterCriteria={"Filters": [{"Pattern": PATTERN_A}, {"Pattern": PATTERN_B}]},
    )
    created = body(response)
    assert set(created) == STREAM_KEYS | {"FilterCriteria"}
    expected = {
        "BatchSize": 250,
        "MaximumBatchingWindowInSeconds": 7,
        "ParallelizationFactor": 4,
        "MaximumRecordAgeInSeconds": 3600,
        "MaximumRetryAttempts": 3,
        "BisectBatchOnFunctionError": True,
        "TumblingWindowInSeconds": 60,
        "DestinationConfig": {"OnFailure": {"Destination": DLQ_ARN}},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "FilterCriteria": {"Filters": [{"Pattern": PATTERN_A}, {"Pattern": PATTERN_B}]},
        "StartingPosition": "TRIM_HORIZON",
        "StateTransitionReason": "User action",
        "LastProcessingResult": "No records processed",
    }
    for key, value in expected.items():
        assert created[key] == value, key
    got = wait_for_state(lam, created["UUID"], "Enabled")
    same_config(got, created)


def test_dynamodb_create_with_destination_and_window(lam, fn):
    arn = ddb_stream_arn()
    created = lam.create_event_source_mapping(
        FunctionName=fn,
        EventSourceArn=arn,
        StartingPosition="LATEST",
        BatchSize=10000,
        MaximumBatchingWindowInSeconds=0,
        MaximumRecordAgeInSeconds=60,
        MaximumRetryAttempts=10000,
        TumblingWindowInSeconds=900,
        ParallelizationFactor=10,
        DestinationConfig={"OnFailure": {"Destination": SNS_ARN}},
    )
    assert set(body(created)) == STREAM_KEYS
    assert created["BatchSize"] == 10000  # streams do not need a window for BatchSize > 10 (recorded)
    assert created["MaximumRecordAgeInSeconds"] == 60
    assert created["MaximumRetryAttempts"] == 10000
    assert created["TumblingWindowInSeconds"] == 900
    assert created["ParallelizationFactor"] == 10
    assert created["DestinationConfig"] == {"OnFailure": {"Destination": SNS_ARN}}


def test_sqs_create_with_every_queue_field(lam, fn):
    arn = sqs_arn()
    created = body(
        lam.create_event_source_mapping(
            FunctionName=fn,
            EventSourceArn=arn,
            BatchSize=100,
            MaximumBatchingWindowInSeconds=5,
            ScalingConfig={"MaximumConcurrency": 5},
            FunctionResponseTypes=["ReportBatchItemFailures"],
            FilterCriteria={"Filters": [{"Pattern": PATTERN_B}]},
        )
    )
    assert set(created) == SQS_KEYS | {"ScalingConfig", "FilterCriteria"}
    assert created["BatchSize"] == 100
    assert created["MaximumBatchingWindowInSeconds"] == 5
    assert created["ScalingConfig"] == {"MaximumConcurrency": 5}
    assert created["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert created["FilterCriteria"] == {"Filters": [{"Pattern": PATTERN_B}]}
    assert created["StateTransitionReason"] == "USER_INITIATED"
    got = wait_for_state(lam, created["UUID"], "Enabled")
    same_config(got, created)


def test_self_managed_kafka_create_with_explicit_settings(lam, fn):
    topic = uniq("topic")
    created = body(
        lam.create_event_source_mapping(
            FunctionName=fn,
            SelfManagedEventSource=kafka_source("k1.local:9092"),
            Topics=[topic],
            SourceAccessConfigurations=kafka_access(),
            StartingPosition="LATEST",
            BatchSize=500,
            MaximumBatchingWindowInSeconds=3,
            SelfManagedKafkaEventSourceConfig={"ConsumerGroupId": "my-group"},
            DestinationConfig={"OnFailure": {"Destination": DLQ_ARN}},
        )
    )
    assert set(created) == SELF_MANAGED_KAFKA_KEYS | {"MaximumBatchingWindowInSeconds", "DestinationConfig"}
    assert created["StartingPosition"] == "LATEST"
    assert created["BatchSize"] == 500
    assert created["MaximumBatchingWindowInSeconds"] == 3
    assert created["SelfManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": "my-group"}
    assert created["Topics"] == [topic]
    assert created["DestinationConfig"] == {"OnFailure": {"Destination": DLQ_ARN}}


def test_msk_explicit_consumer_group(lam, fn):
    created = lam.create_event_source_mapping(
        FunctionName=fn,
        EventSourceArn=msk_arn(),
        Topics=[uniq("topic")],
        StartingPosition="LATEST",
        SourceAccessConfigurations=kafka_access(),
        AmazonManagedKafkaEventSourceConfig={"ConsumerGroupId": "orders-consumers"},
    )
    assert created["AmazonManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": "orders-consumers"}
    assert created["StartingPosition"] == "LATEST"


# --------------------------------------------------------------------------- filters and destinations


def test_empty_filter_list_is_accepted_and_omitted(lam, fn):
    for create in (
        lambda: lam.create_event_source_mapping(
            FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="LATEST", FilterCriteria={"Filters": []}
        ),
        lambda: lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), FilterCriteria={"Filters": []}),
    ):
        created = create()
        assert "FilterCriteria" not in created
        assert "FilterCriteria" not in lam.get_event_source_mapping(UUID=created["UUID"])


def test_filter_patterns_are_echoed_as_the_original_strings(lam, fn):
    odd = '{"a":[{"prefix":"x"}],   "b" : [ 1, 2 ]}'
    created = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=sqs_arn(), FilterCriteria={"Filters": [{"Pattern": odd}]}
    )
    assert created["FilterCriteria"] == {"Filters": [{"Pattern": odd}]}
    assert isinstance(created["FilterCriteria"]["Filters"][0]["Pattern"], str)
    assert lam.get_event_source_mapping(UUID=created["UUID"])["FilterCriteria"] == {"Filters": [{"Pattern": odd}]}


def test_filter_criteria_update_replaces_and_empty_object_removes(lam, fn):
    created = lam.create_event_source_mapping(
        FunctionName=fn,
        EventSourceArn=kinesis_arn(),
        StartingPosition="LATEST",
        FilterCriteria={"Filters": [{"Pattern": PATTERN_A}]},
    )
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    updated = lam.update_event_source_mapping(UUID=uuid, FilterCriteria={"Filters": [{"Pattern": PATTERN_B}]})
    assert updated["FilterCriteria"] == {"Filters": [{"Pattern": PATTERN_B}]}
    got = wait_for_state(lam, uuid, "Enabled")
    assert got["FilterCriteria"] == {"Filters": [{"Pattern": PATTERN_B}]}
    removed = lam.update_event_source_mapping(UUID=uuid, FilterCriteria={})
    assert "FilterCriteria" not in removed
    got = wait_for_state(lam, uuid, "Enabled")
    assert "FilterCriteria" not in got
    assert set(body(got)) == STREAM_KEYS


def test_destination_config_echo_and_removal(lam, fn):
    created = lam.create_event_source_mapping(
        FunctionName=fn,
        EventSourceArn=ddb_stream_arn(),
        StartingPosition="TRIM_HORIZON",
        DestinationConfig={"OnFailure": {"Destination": DLQ_ARN}},
    )
    uuid = created["UUID"]
    assert created["DestinationConfig"] == {"OnFailure": {"Destination": DLQ_ARN}}
    wait_for_state(lam, uuid, "Enabled")
    changed = lam.update_event_source_mapping(UUID=uuid, DestinationConfig={"OnFailure": {"Destination": SNS_ARN}})
    assert changed["DestinationConfig"] == {"OnFailure": {"Destination": SNS_ARN}}
    wait_for_state(lam, uuid, "Enabled")
    removed = lam.update_event_source_mapping(UUID=uuid, DestinationConfig={"OnFailure": {"Destination": ""}})
    assert removed["DestinationConfig"] == {"OnFailure": {}}
    got = wait_for_state(lam, uuid, "Enabled")
    assert got["DestinationConfig"] == {"OnFailure": {}}


# --------------------------------------------------------------------------- states


@pytest.mark.parametrize("source", ["kinesis", "sqs", "kafka"])
def test_create_disabled_is_disabled_at_once(lam, fn, source):
    if source == "kinesis":
        response = lam.create_event_source_mapping(
            FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="LATEST", Enabled=False
        )
    elif source == "sqs":
        response = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False)
    else:
        response = lam.create_event_source_mapping(
            FunctionName=fn,
            SelfManagedEventSource=kafka_source(),
            Topics=[uniq("topic")],
            SourceAccessConfigurations=kafka_access(),
            Enabled=False,
        )
    assert status(response) == 202
    assert response["State"] == "Disabled"
    assert "Enabled" not in response
    assert lam.get_event_source_mapping(UUID=response["UUID"])["State"] == "Disabled"


def test_state_machine_through_every_transition(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn())
    uuid = created["UUID"]
    assert created["State"] == "Creating"
    wait_for_state(lam, uuid, "Enabled")

    disabling = lam.update_event_source_mapping(UUID=uuid, Enabled=False)
    assert status(disabling) == 202
    assert disabling["State"] == "Disabling"
    assert disabling["StateTransitionReason"] == "USER_INITIATED"
    wait_for_state(lam, uuid, "Disabled")

    updating_disabled = lam.update_event_source_mapping(UUID=uuid, BatchSize=7)
    assert updating_disabled["State"] == "Updating"
    assert wait_for_state(lam, uuid, "Disabled")["BatchSize"] == 7

    enabling = lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    assert enabling["State"] == "Enabling"
    wait_for_state(lam, uuid, "Enabled")

    updating = lam.update_event_source_mapping(UUID=uuid, BatchSize=5)
    assert updating["State"] == "Updating"
    assert updating["BatchSize"] == 5
    settled = wait_for_state(lam, uuid, "Enabled")
    assert settled["BatchSize"] == 5

    deleting = lam.delete_event_source_mapping(UUID=uuid)
    assert status(deleting) == 202
    assert deleting["State"] == "Deleting"
    assert set(body(deleting)) == SQS_KEYS
    assert deleting["UUID"] == uuid
    assert deleting["BatchSize"] == 5
    wait_for_deleted(lam, uuid)
    assert uuid not in list_uuids(lam, FunctionName=fn)
    expect_error(lambda: lam.delete_event_source_mapping(UUID=uuid), "ResourceNotFoundException", 404, NOT_FOUND_MESSAGE)


def test_stream_disable_enable_keeps_user_action_reason(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="LATEST")
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    disabling = lam.update_event_source_mapping(UUID=uuid, Enabled=False)
    assert disabling["State"] == "Disabling"
    assert disabling["StateTransitionReason"] == "User action"
    assert set(body(disabling)) == STREAM_KEYS
    got = wait_for_state(lam, uuid, "Disabled")
    assert got["StateTransitionReason"] == "User action"
    enabling = lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    assert enabling["State"] == "Enabling"
    wait_for_state(lam, uuid, "Enabled")
    deleting = lam.delete_event_source_mapping(UUID=uuid)
    assert deleting["State"] == "Deleting"
    assert set(body(deleting)) == STREAM_KEYS
    wait_for_deleted(lam, uuid)


def test_last_modified_changes_on_update(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False)
    uuid = created["UUID"]
    first = created["LastModified"]
    wait_until(lambda: time.time() > first.timestamp() + 1.05, timeout=5, message="one second after creation")
    updated = lam.update_event_source_mapping(UUID=uuid, BatchSize=3)
    assert updated["LastModified"] > first
    assert_recent(updated["LastModified"])
    settled = wait_for_state(lam, uuid, "Disabled")
    assert settled["LastModified"] >= updated["LastModified"]


def test_deleting_the_function_keeps_its_mappings(lam):
    name = uniq("fn-doomed")
    create_function(lam, name)
    created = lam.create_event_source_mapping(FunctionName=name, EventSourceArn=kinesis_arn(), StartingPosition="LATEST")
    wait_for_state(lam, created["UUID"], "Enabled")
    lam.delete_function(FunctionName=name)
    got = lam.get_event_source_mapping(UUID=created["UUID"])
    assert got["State"] == "Enabled"
    assert got["FunctionArn"] == function_arn(name)
    assert created["UUID"] in list_uuids(lam, FunctionName=name)


# --------------------------------------------------------------------------- FunctionName forms (§8)

FUNCTION_FORMS = {
    "name": (lambda n: n, lambda n: function_arn(n)),
    "name-latest": (lambda n: f"{n}:$LATEST", lambda n: function_arn(n, qualifier="$LATEST")),
    "partial-arn": (lambda n: f"{ACCOUNT}:function:{n}", lambda n: function_arn(n)),
    "partial-arn-latest": (lambda n: f"{ACCOUNT}:function:{n}:$LATEST", lambda n: function_arn(n, qualifier="$LATEST")),
    "arn": (lambda n: function_arn(n), lambda n: function_arn(n)),
    "arn-latest": (lambda n: function_arn(n, qualifier="$LATEST"), lambda n: function_arn(n, qualifier="$LATEST")),
}


@pytest.mark.parametrize("form", list(FUNCTION_FORMS))
def test_function_arn_for_each_function_name_form(lam, fn, form):
    given, expected = FUNCTION_FORMS[form]
    created = lam.create_event_source_mapping(FunctionName=given(fn), EventSourceArn=sqs_arn(), Enabled=False)
    assert created["FunctionArn"] == expected(fn)
    assert lam.get_event_source_mapping(UUID=created["UUID"])["FunctionArn"] == expected(fn)
    assert created["UUID"] in list_uuids(lam, FunctionName=given(fn))


def test_unqualified_and_latest_are_distinct_mappings(lam, fn):
    arn = sqs_arn()
    first = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, Enabled=False)
    second = lam.create_event_source_mapping(FunctionName=f"{fn}:$LATEST", EventSourceArn=arn, Enabled=False)
    assert first["UUID"] != second["UUID"]
    assert list_uuids(lam, EventSourceArn=arn) == [first["UUID"], second["UUID"]]
    assert list_uuids(lam, EventSourceArn=arn, FunctionName=f"{fn}:$LATEST") == [second["UUID"]]
    assert list_uuids(lam, EventSourceArn=arn, FunctionName=fn) == [first["UUID"], second["UUID"]]


# --------------------------------------------------------------------------- updates


def test_update_every_stream_field(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=kinesis_arn(), StartingPosition="LATEST")
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    changes = {
        "BatchSize": 500,
        "MaximumBatchingWindowInSeconds": 10,
        "ParallelizationFactor": 5,
        "MaximumRecordAgeInSeconds": 7200,
        "BisectBatchOnFunctionError": True,
        "MaximumRetryAttempts": 7,
        "TumblingWindowInSeconds": 120,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "DestinationConfig": {"OnFailure": {"Destination": SNS_ARN}},
        "FilterCriteria": {"Filters": [{"Pattern": PATTERN_A}]},
    }
    response = lam.update_event_source_mapping(UUID=uuid, **changes)
    assert status(response) == 202
    updated = body(response)
    assert set(updated) == STREAM_KEYS | {"FilterCriteria"}
    assert updated["State"] == "Updating"
    for key, value in changes.items():
        assert updated[key] == value, key
    assert updated["StartingPosition"] == "LATEST"
    assert updated["UUID"] == uuid
    got = wait_for_state(lam, uuid, "Enabled")
    same_config(got, updated)

    # Omitted fields keep their current value.
    again = lam.update_event_source_mapping(UUID=uuid, BatchSize=42)
    assert again["BatchSize"] == 42
    for key, value in changes.items():
        if key != "BatchSize":
            assert again[key] == value, key
    same_config(wait_for_state(lam, uuid, "Enabled"), again)


def test_update_every_queue_field(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn())
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    changes = {
        "BatchSize": 50,
        "MaximumBatchingWindowInSeconds": 3,
        "ScalingConfig": {"MaximumConcurrency": 20},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "FilterCriteria": {"Filters": [{"Pattern": PATTERN_B}]},
    }
    updated = body(lam.update_event_source_mapping(UUID=uuid, **changes))
    assert set(updated) == SQS_KEYS | {"ScalingConfig", "FilterCriteria"}
    assert updated["State"] == "Updating"
    assert updated["StateTransitionReason"] == "USER_INITIATED"
    for key, value in changes.items():
        assert updated[key] == value, key
    same_config(wait_for_state(lam, uuid, "Enabled"), updated)


def test_update_kafka_fields(lam, fn):
    created = lam.create_event_source_mapping(
        FunctionName=fn,
        SelfManagedEventSource=kafka_source("upd.local:9092"),
        Topics=[uniq("topic")],
        SourceAccessConfigurations=kafka_access(),
    )
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    access = [
        {"Type": "SASL_SCRAM_256_AUTH", "URI": SECRET_ARN},
        {"Type": "SERVER_ROOT_CA_CERTIFICATE", "URI": f"{SECRET_ARN}-ca"},
    ]
    updated = body(
        lam.update_event_source_mapping(
            UUID=uuid, BatchSize=1000, MaximumBatchingWindowInSeconds=2, SourceAccessConfigurations=access
        )
    )
    assert set(updated) == SELF_MANAGED_KAFKA_KEYS | {"MaximumBatchingWindowInSeconds"}
    assert updated["State"] == "Updating"
    assert updated["BatchSize"] == 1000
    assert updated["MaximumBatchingWindowInSeconds"] == 2
    assert updated["SourceAccessConfigurations"] == access
    assert updated["SelfManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": uuid}
    assert updated["Topics"] == created["Topics"]
    same_config(wait_for_state(lam, uuid, "Enabled"), updated)


def test_update_function_name_retargets_the_mapping(lam, fn):
    other = uniq("fn-other")
    create_function(lam, other)
    arn = kinesis_arn()
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=arn, StartingPosition="LATEST")
    uuid = created["UUID"]
    wait_for_state(lam, uuid, "Enabled")
    updated = lam.update_event_source_mapping(UUID=uuid, FunctionName=other)
    assert updated["FunctionArn"] == function_arn(other)
    assert updated["State"] == "Updating"
    got = wait_for_state(lam, uuid, "Enabled")
    assert got["FunctionArn"] == function_arn(other)
    assert list_uuids(lam, FunctionName=other) == [uuid]
    assert uuid not in list_uuids(lam, FunctionName=fn)
    # The qualified form is echoed as resolved.
    qualified = lam.update_event_source_mapping(UUID=uuid, FunctionName=f"{other}:$LATEST")
    assert qualified["FunctionArn"] == function_arn(other, qualifier="$LATEST")


# --------------------------------------------------------------------------- List


def test_list_filters_by_source_and_function(lam):
    fn_a, fn_b = uniq("fn-list-a"), uniq("fn-list-b")
    create_function(lam, fn_a)
    create_function(lam, fn_b)
    shared, only_a = kinesis_arn(), kinesis_arn()
    a_shared = lam.create_event_source_mapping(FunctionName=fn_a, EventSourceArn=shared, StartingPosition="LATEST", Enabled=False)
    b_shared = lam.create_event_source_mapping(FunctionName=fn_b, EventSourceArn=shared, StartingPosition="LATEST", Enabled=False)
    a_only = lam.create_event_source_mapping(FunctionName=fn_a, EventSourceArn=only_a, StartingPosition="LATEST", Enabled=False)

    response = lam.list_event_source_mappings(EventSourceArn=shared)
    assert status(response) == 200
    assert "NextMarker" not in response
    assert [m["UUID"] for m in response["EventSourceMappings"]] == [a_shared["UUID"], b_shared["UUID"]]
    listed = response["EventSourceMappings"][0]
    assert set(listed) == STREAM_KEYS
    same_config(listed, a_shared)

    assert list_uuids(lam, FunctionName=fn_a) == [a_shared["UUID"], a_only["UUID"]]
    assert list_uuids(lam, FunctionName=function_arn(fn_a)) == [a_shared["UUID"], a_only["UUID"]]
    assert list_uuids(lam, FunctionName=f"{ACCOUNT}:function:{fn_a}") == [a_shared["UUID"], a_only["UUID"]]
    assert list_uuids(lam, FunctionName=fn_a, EventSourceArn=shared) == [a_shared["UUID"]]
    assert list_uuids(lam, FunctionName=fn_b, EventSourceArn=only_a) == []
    assert lam.list_event_source_mappings(FunctionName=uniq("no-such-fn"))["EventSourceMappings"] == []
    assert lam.list_event_source_mappings(EventSourceArn=kinesis_arn())["EventSourceMappings"] == []


def test_list_pages_with_max_items_in_creation_order(lam):
    name = uniq("fn-pages")
    create_function(lam, name)
    uuids = [
        lam.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)["UUID"]
        for _ in range(5)
    ]
    pages, marker = [], None
    while True:
        kwargs = {"FunctionName": name, "MaxItems": 2}
        if marker is not None:
            kwargs["Marker"] = marker
        page = lam.list_event_source_mappings(**kwargs)
        pages.append([m["UUID"] for m in page["EventSourceMappings"]])
        marker = page.get("NextMarker")
        if marker is None:
            break
        assert isinstance(marker, str) and marker
        assert len(pages) < 10, "paging does not terminate"
    assert pages == [uuids[0:2], uuids[2:4], uuids[4:5]]

    paginated = list(
        lam.get_paginator("list_event_source_mappings").paginate(FunctionName=name, PaginationConfig={"PageSize": 2})
    )
    assert [[m["UUID"] for m in p["EventSourceMappings"]] for p in paginated] == pages
    assert "NextMarker" in paginated[0] and "NextMarker" not in paginated[-1]

    limited = lam.get_paginator("list_event_source_mappings").paginate(
        FunctionName=name, PaginationConfig={"MaxItems": 3, "PageSize": 2}
    ).build_full_result()
    assert [m["UUID"] for m in limited["EventSourceMappings"]] == uuids[:3]
    assert "NextToken" in limited

    everything = lam.list_event_source_mappings(FunctionName=name)
    assert [m["UUID"] for m in everything["EventSourceMappings"]] == uuids
    assert "NextMarker" not in everything


def test_list_returns_at_most_100_per_page(lam):
    name = uniq("fn-hundred")
    create_function(lam, name)
    uuids = [
        lam.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)["UUID"]
        for _ in range(101)
    ]
    first = lam.list_event_source_mappings(FunctionName=name, MaxItems=1000)
    assert [m["UUID"] for m in first["EventSourceMappings"]] == uuids[:100]
    assert first.get("NextMarker")
    second = lam.list_event_source_mappings(FunctionName=name, MaxItems=1000, Marker=first["NextMarker"])
    assert [m["UUID"] for m in second["EventSourceMappings"]] == uuids[100:]
    assert "NextMarker" not in second
    assert list_uuids(lam, FunctionName=name) == uuids


# --------------------------------------------------------------------------- tags


def test_tags_on_the_mapping_arn(lam, fn):
    created = lam.create_event_source_mapping(
        FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False, Tags={"team": "data", "env": "dev"}
    )
    assert "Tags" not in created
    arn = created["EventSourceMappingArn"]
    listed = lam.list_tags(Resource=arn)
    assert status(listed) == 200
    assert listed["Tags"] == {"team": "data", "env": "dev"}
    assert status(lam.tag_resource(Resource=arn, Tags={"owner": "me", "env": "prod"})) == 204
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "data", "env": "prod", "owner": "me"}
    assert status(lam.untag_resource(Resource=arn, TagKeys=["team", "owner"])) == 204
    assert lam.list_tags(Resource=arn)["Tags"] == {"env": "prod"}
    assert "Tags" not in lam.get_event_source_mapping(UUID=created["UUID"])


def test_mapping_without_tags_lists_empty_tags(lam, fn):
    created = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=sqs_arn(), Enabled=False)
    assert lam.list_tags(Resource=created["EventSourceMappingArn"])["Tags"] == {}


# --------------------------------------------------------------------------- regions


def test_region_of_mapping_comes_from_the_signature_scope(url):
    west = lambda_client(url, region="eu-west-1")
    name = uniq("fn-eu")
    create_function(west, name)
    source = sqs_arn(region="eu-west-1")
    created = west.create_event_source_mapping(FunctionName=name, EventSourceArn=source, Enabled=False)
    assert created["FunctionArn"] == function_arn(name, region="eu-west-1")
    assert created["EventSourceMappingArn"] == esm_arn(created["UUID"], region="eu-west-1")
    assert west.get_event_source_mapping(UUID=created["UUID"])["EventSourceArn"] == source
    east = lambda_client(url, region="us-east-1")
    assert created["UUID"] not in list_uuids(east)
    for call in (
        lambda: east.get_event_source_mapping(UUID=created["UUID"]),
        lambda: east.update_event_source_mapping(UUID=created["UUID"], BatchSize=3),
        lambda: east.delete_event_source_mapping(UUID=created["UUID"]),
    ):
        expect_error(call, "ResourceNotFoundException", 404, NOT_FOUND_MESSAGE)
    got = west.get_event_source_mapping(UUID=created["UUID"])
    assert got["BatchSize"] == 10
    assert got["State"] == "Disabled"
