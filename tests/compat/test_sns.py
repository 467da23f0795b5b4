"""SNS on the query protocol with boto3 and the aws CLI, delivering into Sluice's SQS: the envelope field by field,
raw delivery, PublishBatch, FIFO topics, errors, and acknowledged publishes surviving `kill -9`
(`shared/reference/events.md` §7.5, `wire-protocols.md` §4, §7; issue 3 items 4, 5)."""

from __future__ import annotations

import base64
import json
import re

import pytest

from compat_support import ACCOUNT, REGION, UUID_ANY, aws_client, cli_error, cli_ok, expect_error, uniq

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@pytest.fixture(scope="module")
def sns(url):
    return aws_client("sns", url)


@pytest.fixture(scope="module")
def sqs(url):
    return aws_client("sqs", url)


def topic_and_queue(sns, sqs, *, raw=False, fifo=False):
    suffix = ".fifo" if fifo else ""
    topic = sns.create_topic(
        Name=uniq("topic") + suffix, Attributes={"FifoTopic": "true"} if fifo else {}
    )["TopicArn"]
    name = uniq("queue") + suffix
    queue_url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"} if fifo else {})["QueueUrl"]
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    attributes = {"RawMessageDelivery": "true"} if raw else {}
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes=attributes)
    return topic, queue_url, subscription["SubscriptionArn"]


def receive(sqs, queue_url, count=1):
    messages = []
    for _ in range(10):
        got = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
        ).get("Messages", [])
        messages += got
        if len(messages) >= count:
            break
    return messages


def test_publish_delivers_the_sns_envelope_with_every_field(sns, sqs, url):
    topic, queue_url, subscription = topic_and_queue(sns, sqs)
    assert subscription.startswith(topic + ":")
    published = sns.publish(
        TopicArn=topic, Message='{"k": "v"}', Subject="Greeting",
        MessageAttributes={"color": {"DataType": "String", "StringValue": "blue"},
                           "size": {"DataType": "Number", "StringValue": "3"}},
    )
    assert UUID_ANY.match(published["MessageId"])
    [message] = receive(sqs, queue_url)
    envelope = json.loads(message["Body"])
    assert list(envelope) == [
        "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
        "SigningCertURL", "UnsubscribeURL", "MessageAttributes",
    ]
    assert envelope["Type"] == "Notification"
    assert envelope["MessageId"] == published["MessageId"]
    assert envelope["TopicArn"] == topic
    assert envelope["Subject"] == "Greeting"
    assert envelope["Message"] == '{"k": "v"}'
    assert TIMESTAMP.match(envelope["Timestamp"])
    assert envelope["SignatureVersion"] == "1"
    assert base64.b64decode(envelope["Signature"])
    assert envelope["SigningCertURL"].startswith(url + "/SimpleNotificationService-")
    assert envelope["SigningCertURL"].endswith(".pem")
    assert envelope["UnsubscribeURL"] == f"{url}/?Action=Unsubscribe&SubscriptionArn={subscription}"
    assert envelope["MessageAttributes"] == {
        "color": {"Type": "String", "Value": "blue"}, "size": {"Type": "Number", "Value": "3"},
    }
    assert "MessageAttributes" not in message


def test_without_subject_or_attributes_the_envelope_leaves_them_out(sns, sqs):
    topic, queue_url, _ = topic_and_queue(sns, sqs)
    sns.publish(TopicArn=topic, Message="plain")
    [message] = receive(sqs, queue_url)
    envelope = json.loads(message["Body"])
    assert "Subject" not in envelope and "MessageAttributes" not in envelope
    assert envelope["Message"] == "plain"


def test_raw_delivery_sends_the_message_with_its_attributes(sns, sqs):
    topic, queue_url, subscription = topic_and_queue(sns, sqs, raw=True)
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert attributes["PendingConfirmation"] == "false"
    sns.publish(TopicArn=topic, Message="raw body", MessageAttributes={
        "a": {"DataType": "String", "StringValue": "x"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
    })
    [message] = receive(sqs, queue_url)
    assert message["Body"] == "raw body"
    assert message["MessageAttributes"] == {
        "a": {"StringValue": "x", "DataType": "String"}, "b": {"BinaryValue": b"\x00\x01", "DataType": "Binary"},
    }


def test_publish_batch_answers_per_entry_and_delivers(sns, sqs):
    topic, queue_url, _ = topic_and_queue(sns, sqs, raw=True)
    response = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "one", "Message": "first"}, {"Id": "bad", "Message": ""}, {"Id": "two", "Message": "second"},
    ])
    assert [entry["Id"] for entry in response["Successful"]] == ["one", "two"]
    assert response["Failed"] == [
        {"Id": "bad", "Code": "InvalidParameter", "Message": "Empty message", "SenderFault": True}
    ]
    bodies = sorted(m["Body"] for m in receive(sqs, queue_url, 2))
    assert bodies == ["first", "second"]
    expect_error(
        lambda: sns.publish_batch(
            TopicArn=topic, PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": "m"} for i in range(11)]
        ),
        "TooManyEntriesInBatchRequest", 400, "The batch request contains more entries than permissible.",
    )


def test_fifo_topic_numbers_messages_and_keeps_groups(sns, sqs):
    topic, queue_url, _ = topic_and_queue(sns, sqs, raw=True, fifo=True)
    first = sns.publish(TopicArn=topic, Message="a", MessageGroupId="g", MessageDeduplicationId="1")
    second = sns.publish(TopicArn=topic, Message="b", MessageGroupId="g", MessageDeduplicationId="2")
    assert len(first["SequenceNumber"]) == 20 and int(second["SequenceNumber"]) > int(first["SequenceNumber"])
    repeated = sns.publish(TopicArn=topic, Message="a", MessageGroupId="g", MessageDeduplicationId="1")
    assert (repeated["MessageId"], repeated["SequenceNumber"]) == (first["MessageId"], first["SequenceNumber"])
    assert [m["Body"] for m in receive(sqs, queue_url, 2)] == ["a", "b"]
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["FifoTopic"] == "true"
    expect_error(
        lambda: sns.publish(TopicArn=topic, Message="m", MessageDeduplicationId="3"),
        "InvalidParameter", 400, "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    )


def test_topics_attributes_listing_and_tags(sns, sqs):
    name = uniq("topic")
    topic = sns.create_topic(Name=name, Tags=[{"Key": "team", "Value": "data"}])["TopicArn"]
    assert topic == f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
    assert sns.create_topic(Name=name)["TopicArn"] == topic
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes["TopicArn"] == topic and attributes["Owner"] == ACCOUNT
    assert attributes["DisplayName"] == "" and attributes["SubscriptionsConfirmed"] == "0"
    assert json.loads(attributes["Policy"])["Statement"][0]["Resource"] == topic
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Orders")
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"] == "Orders"
    listed = sns.get_paginator("list_topics").paginate().build_full_result()["Topics"]
    assert {"TopicArn": topic} in listed
    sns.tag_resource(ResourceArn=topic, Tags=[{"Key": "env", "Value": "test"}])
    sns.untag_resource(ResourceArn=topic, TagKeys=["team"])
    assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "env", "Value": "test"}]
    sns.delete_topic(TopicArn=topic)
    sns.delete_topic(TopicArn=topic)
    assert {"TopicArn": topic} not in sns.list_topics()["Topics"]


def test_unsubscribe_stops_delivery(sns, sqs):
    topic, queue_url, subscription = topic_and_queue(sns, sqs)
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == [subscription]
    assert listed[0]["Protocol"] == "sqs" and listed[0]["Owner"] == ACCOUNT
    sns.unsubscribe(SubscriptionArn=subscription)
    sns.publish(TopicArn=topic, Message="nobody")
    assert sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages", []) == []


def test_errors_carry_sns_codes(sns):
    missing = f"arn:aws:sns:{REGION}:{ACCOUNT}:{uniq('missing')}"
    expect_error(lambda: sns.get_topic_attributes(TopicArn=missing), "NotFound", 404, "Topic does not exist")
    expect_error(lambda: sns.publish(TopicArn=missing, Message="m"), "NotFound", 404, "Topic does not exist")
    expect_error(lambda: sns.publish(TopicArn="nope", Message="m"), "InvalidParameter", 400,
                 "Invalid parameter: TopicArn")
    expect_error(lambda: sns.create_topic(Name="bad name"), "InvalidParameter", 400, "Invalid parameter: Topic Name")
    topic = sns.create_topic(Name=uniq("topic"))["TopicArn"]
    expect_error(lambda: sns.publish(TopicArn=topic, Message=""), "InvalidParameter", 400, "Empty message")
    expect_error(lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="not-an-arn"), "InvalidParameter",
                 400, "Invalid parameter: SQS endpoint ARN")
    expect_error(lambda: sns.get_subscription_attributes(SubscriptionArn=topic + ":0000"), "NotFound", 404,
                 "Subscription does not exist")
    expect_error(lambda: sns.list_tags_for_resource(ResourceArn=missing), "ResourceNotFound", 404,
                 "Resource does not exist")


def test_aws_cli_sns_publish(sns, sqs, url):
    topic, queue_url, _ = topic_and_queue(sns, sqs)
    published = cli_ok(url, "sns", "publish", "--topic-arn", topic, "--message", "from the cli", "--subject", "CLI")
    [message] = receive(sqs, queue_url)
    envelope = json.loads(message["Body"])
    assert envelope["MessageId"] == published["MessageId"]
    assert envelope["Message"] == "from the cli" and envelope["Subject"] == "CLI"
    failure = cli_error(url, "sns", "publish", "--topic-arn", topic + "-missing", "--message", "x")
    assert "An error occurred (NotFound) when calling the Publish operation: Topic does not exist" in failure.stderr


def test_acknowledged_publish_survives_kill_9(servers):
    first = servers.start()
    sns, sqs = aws_client("sns", first.url), aws_client("sqs", first.url)
    topic, queue_url, subscription = topic_and_queue(sns, sqs, raw=True)
    published = [sns.publish(TopicArn=topic, Message=f"m{i}")["MessageId"] for i in range(20)]
    first.kill9()

    second = servers.start(data_dir=first.data_dir)
    sns, sqs = aws_client("sns", second.url), aws_client("sqs", second.url)
    queue_url = queue_url.replace(first.url, second.url)
    assert sorted(m["Body"] for m in receive(sqs, queue_url, 20)) == sorted(f"m{i}" for i in range(20))
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == [
        subscription
    ]
    assert len(published) == 20
    sns.publish(TopicArn=topic, Message="after restart")
    assert [m["Body"] for m in receive(sqs, queue_url)] == ["after restart"]
    second.stop()
