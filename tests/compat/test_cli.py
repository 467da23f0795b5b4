"""The aws CLI v1 for every ESM operation, its error exit codes and messages, and the `sluice`
binary's own command line (no subcommand, SLUICE_* environment, the ready line)."""

from __future__ import annotations

import json
import socket
import uuid as uuidlib
from pathlib import Path

from compat_support import (
    DLQ_ARN,
    NOT_FOUND_MESSAGE,
    SECRET_ARN,
    SELF_MANAGED_KAFKA_KEYS,
    SQS_KEYS,
    STREAM_KEYS,
    SLUICE_BIN,
    cli_error,
    cli_error_text,
    cli_ok,
    create_function,
    esm_arn,
    function_arn,
    kinesis_arn,
    lambda_client,
    sqs_arn,
    uniq,
    wait_for_deleted,
    wait_for_state,
)

PATTERN = '{"data": {"kind": ["a"]}}'


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------- ESM operations


def test_cli_create_get_list_update_delete(url, lam, fn):
    stream = kinesis_arn()
    created = cli_ok(
        url,
        "lambda",
        "create-event-source-mapping",
        "--function-name",
        fn,
        "--event-source-arn",
        stream,
        "--starting-position",
        "TRIM_HORIZON",
        "--batch-size",
        "25",
        "--maximum-retry-attempts",
        "2",
        "--bisect-batch-on-function-error",
        "--destination-config",
        json.dumps({"OnFailure": {"Destination": DLQ_ARN}}),
        "--filter-criteria",
        json.dumps({"Filters": [{"Pattern": PATTERN}]}),
        "--tags",
        json.dumps({"cli": "yes"}),
    )
    assert set(created) == STREAM_KEYS | {"FilterCriteria"}
    uuid = created["UUID"]
    assert created["EventSourceMappingArn"] == esm_arn(uuid)
    assert created["FunctionArn"] == function_arn(fn)
    assert created["EventSourceArn"] == stream
    assert created["State"] == "Creating"
    assert created["StateTransitionReason"] == "User action"
    assert created["BatchSize"] == 25
    assert created["MaximumRetryAttempts"] == 2
    assert created["BisectBatchOnFunctionError"] is True
    assert created["DestinationConfig"] == {"OnFailure": {"Destination": DLQ_ARN}}
    assert created["FilterCriteria"] == {"Filters": [{"Pattern": PATTERN}]}
    assert is_number(created["LastModified"])  # the CLI prints the wire value: epoch seconds

    wait_for_state(lam, uuid, "Enabled")
    got = cli_ok(url, "lambda", "get-event-source-mapping", "--uuid", uuid)
    assert got["State"] == "Enabled"
    assert {k: v for k, v in got.items() if k not in ("State", "LastModified")} == {
        k: v for k, v in created.items() if k not in ("State", "LastModified")
    }

    listed = cli_ok(url, "lambda", "list-event-source-mappings", "--event-source-arn", stream)
    assert [m["UUID"] for m in listed["EventSourceMappings"]] == [uuid]
    listed = cli_ok(url, "lambda", "list-event-source-mappings", "--function-name", fn, "--event-source-arn", stream)
    assert [m["UUID"] for m in listed["EventSourceMappings"]] == [uuid]

    tags = cli_ok(url, "lambda", "list-tags", "--resource", created["EventSourceMappingArn"])
    assert tags == {"Tags": {"cli": "yes"}}

    updated = cli_ok(
        url, "lambda", "update-event-source-mapping", "--uuid", uuid, "--no-enabled", "--batch-size", "50"
    )
    assert updated["State"] == "Disabling"
    assert updated["BatchSize"] == 50
    assert updated["MaximumRetryAttempts"] == 2
    wait_for_state(lam, uuid, "Disabled")

    deleted = cli_ok(url, "lambda", "delete-event-source-mapping", "--uuid", uuid)
    assert deleted["State"] == "Deleting"
    assert deleted["UUID"] == uuid
    wait_for_deleted(lam, uuid)

    failure = cli_error(url, "lambda", "get-event-source-mapping", "--uuid", uuid)
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        "ResourceNotFoundException", "GetEventSourceMapping", NOT_FOUND_MESSAGE
    )


def test_cli_sqs_and_kafka_mappings(url, fn):
    queue = sqs_arn()
    created = cli_ok(
        url,
        "lambda",
        "create-event-source-mapping",
        "--function-name",
        function_arn(fn),
        "--event-source-arn",
        queue,
        "--batch-size",
        "100",
        "--maximum-batching-window-in-seconds",
        "5",
        "--scaling-config",
        "MaximumConcurrency=5",
        "--function-response-types",
        "ReportBatchItemFailures",
    )
    assert set(created) == SQS_KEYS | {"ScalingConfig"}
    assert created["ScalingConfig"] == {"MaximumConcurrency": 5}
    assert created["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert created["StateTransitionReason"] == "USER_INITIATED"

    topic = uniq("topic")
    kafka = cli_ok(
        url,
        "lambda",
        "create-event-source-mapping",
        "--function-name",
        fn,
        "--self-managed-event-source",
        json.dumps({"Endpoints": {"KAFKA_BOOTSTRAP_SERVERS": ["cli-kafka.local:9092"]}}),
        "--topics",
        topic,
        "--source-access-configurations",
        f"Type=SASL_SCRAM_512_AUTH,URI={SECRET_ARN}",
    )
    assert set(kafka) == SELF_MANAGED_KAFKA_KEYS
    assert kafka["Topics"] == [topic]
    assert kafka["StartingPosition"] == "TRIM_HORIZON"
    assert kafka["SelfManagedKafkaEventSourceConfig"] == {"ConsumerGroupId": kafka["UUID"]}
    assert kafka["SourceAccessConfigurations"] == [{"Type": "SASL_SCRAM_512_AUTH", "URI": SECRET_ARN}]


def test_cli_list_follows_markers(url, lam):
    name = uniq("fn-cli-pages")
    create_function(lam, name)
    uuids = [
        lam.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)["UUID"]
        for _ in range(3)
    ]
    everything = cli_ok(url, "lambda", "list-event-source-mappings", "--function-name", name, "--page-size", "1")
    assert [m["UUID"] for m in everything["EventSourceMappings"]] == uuids
    first = cli_ok(url, "lambda", "list-event-source-mappings", "--function-name", name, "--max-items", "2")
    assert [m["UUID"] for m in first["EventSourceMappings"]] == uuids[:2]
    assert first.get("NextToken")
    rest = cli_ok(
        url,
        "lambda",
        "list-event-source-mappings",
        "--function-name",
        name,
        "--max-items",
        "2",
        "--starting-token",
        first["NextToken"],
    )
    assert [m["UUID"] for m in rest["EventSourceMappings"]] == uuids[2:]
    assert "NextToken" not in rest


def test_cli_error_exit_codes_and_messages(url, fn):
    missing = str(uuidlib.uuid4())
    cases = [
        (
            ["get-event-source-mapping", "--uuid", missing],
            cli_error_text("ResourceNotFoundException", "GetEventSourceMapping", NOT_FOUND_MESSAGE),
        ),
        (
            ["update-event-source-mapping", "--uuid", missing, "--batch-size", "5"],
            cli_error_text("ResourceNotFoundException", "UpdateEventSourceMapping", NOT_FOUND_MESSAGE),
        ),
        (
            ["delete-event-source-mapping", "--uuid", missing],
            cli_error_text("ResourceNotFoundException", "DeleteEventSourceMapping", NOT_FOUND_MESSAGE),
        ),
        (
            ["create-event-source-mapping", "--function-name", uniq("no-such-fn"), "--event-source-arn", sqs_arn()],
            cli_error_text("InvalidParameterValueException", "CreateEventSourceMapping", "Function does not exist"),
        ),
        (
            ["create-event-source-mapping", "--function-name", fn, "--event-source-arn", sqs_arn(), "--batch-size", "11"],
            cli_error_text(
                "InvalidParameterValueException",
                "CreateEventSourceMapping",
                "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
            ),
        ),
        (
            ["create-event-source-mapping", "--function-name", fn, "--event-source-arn", kinesis_arn()],
            cli_error_text(
                "InvalidParameterValueException",
                "CreateEventSourceMapping",
                "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
                "Member must not be null.",
            ),
        ),
    ]
    for args, expected in cases:
        failure = cli_error(url, "lambda", *args)
        assert failure.returncode == 255, (args, failure)
        assert failure.stderr.strip() == expected, args


def test_cli_duplicate_reports_conflict(url, lam, fn):
    queue = sqs_arn()
    first = lam.create_event_source_mapping(FunctionName=fn, EventSourceArn=queue, Enabled=False)
    failure = cli_error(
        url, "lambda", "create-event-source-mapping", "--function-name", fn, "--event-source-arn", queue
    )
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        "ResourceConflictException",
        "CreateEventSourceMapping",
        f'An event source mapping with SQS arn (" {queue} ") and function (" {fn} ") already exists. '
        f"Please update or delete the existing mapping with UUID {first['UUID']}",
    )


# --------------------------------------------------------------------------- the sluice binary


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sluice_without_subcommand_serves(servers):
    data_dir = servers.new_data_dir()
    server = servers.start(
        argv=[SLUICE_BIN, "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir), "--transition-delay", "0.05"]
    )
    assert server.port > 0
    assert cli_ok(server.url, "lambda", "list-event-source-mappings") == {"EventSourceMappings": []}
    assert server.stop() == 0


def test_sluice_reads_its_environment(servers):
    data_dir = servers.new_data_dir()
    port = free_port()
    env = {"SLUICE_HOST": "127.0.0.1", "SLUICE_PORT": str(port), "SLUICE_DATA_DIR": str(data_dir)}
    server = servers.start(argv=[SLUICE_BIN], env=env)
    assert server.url == f"http://127.0.0.1:{port}"
    client = lambda_client(server.url)
    name = uniq("env-fn")
    create_function(client, name)
    assert server.stop() == 0
    assert any(Path(data_dir).iterdir()), "SLUICE_DATA_DIR was not used"

    again = servers.start(argv=[SLUICE_BIN, "serve"], env=env)
    assert again.port == port
    assert lambda_client(again.url).get_function(FunctionName=name)["Configuration"]["FunctionName"] == name
    assert again.stop() == 0


def test_ready_line_is_the_only_stdout_line(servers):
    server = servers.start(in_memory=True)
    client = lambda_client(server.url)
    create_function(client, uniq("quiet-fn"))
    client.list_event_source_mappings()
    assert server.stop() == 0
    assert server.stdout() == f"Sluice ready at {server.url}\n"
