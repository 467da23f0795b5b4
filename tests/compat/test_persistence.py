"""Persistence across restarts: `kill -9` loses nothing that was acknowledged, transitional states
settle after a restart, `--in-memory` keeps nothing, SIGTERM/SIGINT exit 0."""

from __future__ import annotations

import signal

from compat_support import (
    DLQ_ARN,
    NOT_FOUND_MESSAGE,
    SNS_ARN,
    create_function,
    ddb_stream_arn,
    expect_error,
    kafka_access,
    kafka_source,
    kinesis_arn,
    lambda_client,
    list_all_mappings,
    make_zip,
    msk_arn,
    sqs_arn,
    uniq,
    body,
    wait_for_deleted,
    wait_for_state,
    wait_until,
)
from invoke_support import python_function

SETTLED = ("Enabled", "Disabled")


def snapshot(client):
    """Everything a user can read back, minus fields that legitimately differ per process."""
    functions = client.get_paginator("list_functions").paginate().build_full_result()["Functions"]
    function_state = {}
    for listed in functions:
        got = body(client.get_function(FunctionName=listed["FunctionName"]))
        got.get("Code", {}).pop("Location", None)  # a download URL naming the current port
        function_state[listed["FunctionName"]] = {
            "get": got,
            "tags": client.list_tags(Resource=listed["FunctionArn"])["Tags"],
        }
    mappings = list_all_mappings(client)
    mapping_state = {}
    for listed in mappings:
        mapping_state[listed["UUID"]] = {
            "get": body(client.get_event_source_mapping(UUID=listed["UUID"])),
            "tags": client.list_tags(Resource=listed["EventSourceMappingArn"])["Tags"],
        }
    return {
        "function_names": sorted(f["FunctionName"] for f in functions),
        "functions": function_state,
        "mapping_order": [m["UUID"] for m in mappings],
        "mappings": mapping_state,
    }


def settle_all(client, timeout=10.0):
    """Wait until every mapping is Enabled or Disabled (a restart may replay a transition)."""
    for mapping in list_all_mappings(client):
        wait_until(
            lambda: client.get_event_source_mapping(UUID=mapping["UUID"])["State"] in SETTLED,
            timeout,
            f"mapping {mapping['UUID']} settled",
        )


def populate(client):
    """Functions and mappings of every kind, with updates, tags and one deletion."""
    f1, f2 = uniq("persist-a"), uniq("persist-b")
    create_function(
        client,
        f1,
        Description="first",
        Timeout=30,
        MemorySize=256,
        Environment={"Variables": {"ALPHA": "1", "BETA": "two"}},
        Tags={"team": "data"},
    )
    create_function(client, f2, Runtime="provided.al2023", Handler="bootstrap", Architectures=["arm64"])
    client.update_function_configuration(FunctionName=f1, Description="first, updated", Timeout=25)
    client.update_function_code(FunctionName=f2, ZipFile=make_zip({"bootstrap": "#!/bin/sh\necho hi\n"}))

    made = []
    made.append(
        client.create_event_source_mapping(
            FunctionName=f1,
            EventSourceArn=kinesis_arn(),
            StartingPosition="TRIM_HORIZON",
            BatchSize=300,
            MaximumBatchingWindowInSeconds=4,
            ParallelizationFactor=3,
            MaximumRecordAgeInSeconds=600,
            MaximumRetryAttempts=2,
            BisectBatchOnFunctionError=True,
            TumblingWindowInSeconds=30,
            DestinationConfig={"OnFailure": {"Destination": DLQ_ARN}},
            FunctionResponseTypes=["ReportBatchItemFailures"],
            FilterCriteria={"Filters": [{"Pattern": '{"data": {"x": [1]}}'}]},
            Tags={"kind": "kinesis", "owner": "me"},
        )
    )
    made.append(
        client.create_event_source_mapping(
            FunctionName=f"{f1}:$LATEST", EventSourceArn=ddb_stream_arn(), StartingPosition="LATEST", Enabled=False
        )
    )
    made.append(
        client.create_event_source_mapping(
            FunctionName=f2,
            EventSourceArn=sqs_arn(),
            BatchSize=50,
            MaximumBatchingWindowInSeconds=2,
            ScalingConfig={"MaximumConcurrency": 7},
            FilterCriteria={"Filters": [{"Pattern": '{"body": {"k": ["v"]}}'}]},
            Tags={"kind": "sqs"},
        )
    )
    made.append(
        client.create_event_source_mapping(
            FunctionName=f1,
            SelfManagedEventSource=kafka_source("p1.local:9092", "p2.local:9092"),
            Topics=["persisted-topic"],
            SourceAccessConfigurations=kafka_access(),
            StartingPosition="LATEST",
        )
    )
    made.append(
        client.create_event_source_mapping(
            FunctionName=f2,
            EventSourceArn=msk_arn(),
            Topics=["msk-topic"],
            SourceAccessConfigurations=kafka_access(),
            AmazonManagedKafkaEventSourceConfig={"ConsumerGroupId": "persisted-group"},
        )
    )
    updated = client.create_event_source_mapping(FunctionName=f1, EventSourceArn=sqs_arn())
    made.append(updated)
    doomed = client.create_event_source_mapping(FunctionName=f2, EventSourceArn=kinesis_arn(), StartingPosition="LATEST")

    for mapping in made + [doomed]:
        wait_for_state(client, mapping["UUID"], "Disabled" if mapping["State"] == "Disabled" else "Enabled")
    client.update_event_source_mapping(UUID=updated["UUID"], Enabled=False, BatchSize=9, FunctionName=f2)
    wait_for_state(client, updated["UUID"], "Disabled")
    client.update_event_source_mapping(
        UUID=made[0]["UUID"], DestinationConfig={"OnFailure": {"Destination": SNS_ARN}}, MaximumRetryAttempts=5
    )
    wait_for_state(client, made[0]["UUID"], "Enabled")
    client.tag_resource(Resource=made[2]["EventSourceMappingArn"], Tags={"added": "later"})
    client.untag_resource(Resource=made[0]["EventSourceMappingArn"], TagKeys=["owner"])
    client.delete_event_source_mapping(UUID=doomed["UUID"])
    wait_for_deleted(client, doomed["UUID"])
    return {"functions": [f1, f2], "mappings": [m["UUID"] for m in made], "deleted": doomed["UUID"]}


def test_kill_9_loses_nothing(servers):
    first = servers.start()
    client = lambda_client(first.url)
    created = populate(client)
    before = snapshot(client)
    assert before["function_names"] == sorted(created["functions"])
    assert before["mapping_order"] == created["mappings"]

    first.kill9()
    assert first.returncode == -signal.SIGKILL

    second = servers.start(data_dir=first.data_dir)
    client = lambda_client(second.url)
    settle_all(client)
    after = snapshot(client)
    assert after["function_names"] == before["function_names"]
    assert after["mapping_order"] == before["mapping_order"]
    for name in before["functions"]:
        assert after["functions"][name] == before["functions"][name], name
    for mapping_uuid in before["mappings"]:
        assert after["mappings"][mapping_uuid] == before["mappings"][mapping_uuid], mapping_uuid
    expect_error(
        lambda: client.get_event_source_mapping(UUID=created["deleted"]), "ResourceNotFoundException", 404, NOT_FOUND_MESSAGE
    )

    # The restarted server keeps working on the same data.
    fresh = client.create_event_source_mapping(FunctionName=created["functions"][0], EventSourceArn=sqs_arn())
    assert fresh["UUID"] not in before["mappings"]
    wait_for_state(client, fresh["UUID"], "Enabled")
    assert [m["UUID"] for m in list_all_mappings(client)] == before["mapping_order"] + [fresh["UUID"]]
    second.stop()


def test_transitional_states_settle_after_restart(servers):
    slow = servers.start(transition_delay=5)
    client = lambda_client(slow.url)
    name = uniq("persist-slow")
    create_function(client, name)
    creating = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), BatchSize=4)
    assert creating["State"] == "Creating"
    updating = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    assert client.update_event_source_mapping(UUID=updating["UUID"], BatchSize=6)["State"] == "Updating"
    enabling = client.create_event_source_mapping(FunctionName=name, EventSourceArn=kinesis_arn(), StartingPosition="LATEST", Enabled=False)
    assert client.update_event_source_mapping(UUID=enabling["UUID"], Enabled=True)["State"] == "Enabling"
    deleting = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    assert client.delete_event_source_mapping(UUID=deleting["UUID"])["State"] == "Deleting"
    slow.kill9()

    restarted = servers.start(data_dir=slow.data_dir, transition_delay=0.05)
    client = lambda_client(restarted.url)
    assert wait_for_state(client, creating["UUID"], "Enabled")["BatchSize"] == 4
    assert wait_for_state(client, updating["UUID"], "Disabled")["BatchSize"] == 6
    wait_for_state(client, enabling["UUID"], "Enabled")
    wait_for_deleted(client, deleting["UUID"])
    restarted.stop()


def test_in_memory_keeps_nothing(servers):
    first = servers.start(in_memory=True)
    client = lambda_client(first.url)
    name = uniq("mem-fn")
    create_function(client, name)
    mapping = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn(), Enabled=False)
    assert [m["UUID"] for m in list_all_mappings(client)] == [mapping["UUID"]]
    assert first.stop() == 0

    second = servers.start(in_memory=True)
    client = lambda_client(second.url)
    assert client.list_functions()["Functions"] == []
    assert client.list_event_source_mappings()["EventSourceMappings"] == []
    expect_error(
        lambda: client.get_event_source_mapping(UUID=mapping["UUID"]), "ResourceNotFoundException", 404, NOT_FOUND_MESSAGE
    )
    second.stop()


def test_sigterm_and_sigint_exit_zero_and_keep_data(servers):
    first = servers.start()
    client = lambda_client(first.url)
    name = uniq("graceful-fn")
    create_function(client, name)
    mapping = client.create_event_source_mapping(FunctionName=name, EventSourceArn=sqs_arn())
    wait_for_state(client, mapping["UUID"], "Enabled")
    assert first.stop(signal.SIGTERM) == 0

    second = servers.start(data_dir=first.data_dir)
    client = lambda_client(second.url)
    assert client.get_function(FunctionName=name)["Configuration"]["FunctionName"] == name
    assert wait_for_state(client, mapping["UUID"], "Enabled")["UUID"] == mapping["UUID"]
    assert second.stop(signal.SIGINT) == 0


def test_event_invocations_accepted_before_a_kill_9_run_after_the_restart(servers, tmp_path):
    """An Event invocation is stored before its 202: one still queued (here: throttled by a reserved concurrency
    of 0) when Sluice is killed runs once the restarted server may run it."""
    marker = tmp_path / "ran"
    first = servers.start()
    client = lambda_client(first.url)
    source = (
        "import json\n"
        "def handler(event, context):\n"
        f"    open({str(marker)!r}, 'a').write(json.dumps(event) + '\\n')\n"
    )
    name = python_function(client, source, prefix="event-durable")
    client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    response = client.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"n": 42}')
    assert response["StatusCode"] == 202
    first.kill9()
    assert not marker.exists(), "a throttled event must not have run"

    second = servers.start(data_dir=first.data_dir)
    client = lambda_client(second.url)
    client.delete_function_concurrency(FunctionName=name)
    wait_until(lambda: marker.exists(), timeout=20)
    assert marker.read_text() == '{"n": 42}\n'
