"""Requests for the other AWS protocols on the same port get errors in their own protocol, which the SDKs parse.

(The embedded Kinesis, SQS, SNS and DynamoDB come with the sources issue; an operation no service has stays an
error in the request's protocol.)
"""

from __future__ import annotations

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser

AUTH = (
    "AWS4-HMAC-SHA256 Credential=test/20241125/us-east-1/{service}/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)


def client(url, service):
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}),
    )


def post(url, headers, body):
    return requests.post(url + "/", headers=headers, data=body, timeout=10)


def test_unknown_kinesis_operation_is_a_json_1_1_error(url):
    response = post(
        url,
        {
            "X-Amz-Target": "Kinesis_20131202.NoSuchOperation",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": AUTH.format(service="kinesis"),
        },
        "{}",
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert response.headers["x-amzn-RequestId"]
    # Kinesis writes __type without a namespace.
    assert response.json() == {"__type": "UnknownOperationException", "message": "Unknown operation NoSuchOperation"}


def test_unknown_sqs_json_operation_carries_the_query_error_header(url):
    response = post(
        url,
        {
            "X-Amz-Target": "AmazonSQS.NoSuchOperation",
            "Content-Type": "application/x-amz-json-1.0",
            "x-amzn-query-mode": "true",
            "Authorization": AUTH.format(service="sqs"),
        },
        "{}",
    )
    assert response.status_code == 400
    assert response.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"
    assert response.headers["x-amzn-query-error"] == "UnknownOperationException;Sender"


def test_unknown_sns_action_is_a_query_xml_error_botocore_parses(url):
    sns = client(url, "sns")
    # A real SNS call Sluice does not serve yet would be the same shape; this action exists nowhere.
    response = post(
        url,
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": AUTH.format(service="sns")},
        "Action=NoSuchAction&Version=2010-03-31",
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/xml")
    parsed = create_parser("query").parse(
        {"status_code": 400, "headers": dict(response.headers), "body": response.content},
        sns.meta.service_model.operation_model("Publish").output_shape,
    )
    assert parsed["Error"]["Code"] == "InvalidAction"
    assert parsed["Error"]["Message"] == "The action NoSuchAction is not valid for this web service."


def test_kinesis_sdk_error_is_parsed_by_boto3(url):
    kinesis = client(url, "kinesis")
    with pytest.raises(ClientError) as info:
        kinesis.list_stream_consumers(StreamARN="arn:aws:kinesis:us-east-1:000000000000:stream/s")  # EFO is not served
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert info.value.response["Error"]["Code"] == "UnknownOperationException"


def test_cbor_requests_get_a_cbor_error_naming_the_json_switch(url):
    response = post(
        url,
        {
            "X-Amz-Target": "Kinesis_20131202.ListStreams",
            "Content-Type": "application/x-amz-cbor-1.1",
            "Authorization": AUTH.format(service="kinesis"),
        },
        b"\xa0",
    )
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "SerializationException"
    assert b"CBOR" in response.content


def test_signature_errors_use_the_protocol_of_the_request(servers):
    strict = servers.start("--credentials", "AKID:SECRET")
    response = post(
        strict.url,
        {
            "X-Amz-Target": "Kinesis_20131202.ListStreams",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": AUTH.format(service="kinesis"),
        },
        "{}",
    )
    assert response.status_code == 403
    assert response.json()["__type"] == "UnrecognizedClientException"
