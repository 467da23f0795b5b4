"""Function registry: CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
DeleteFunction, UpdateFunctionConfiguration, UpdateFunctionCode (runtime-api.md §4,
docs/compatibility.md "Functions"), with boto3 and the aws CLI v1."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from compat_support import (
    ACCOUNT,
    FUNCTION_LAST_MODIFIED,
    REGION,
    ROLE,
    UUID_ANY,
    at_least,
    at_most,
    body,
    cli_error,
    cli_error_text,
    cli_ok,
    code_sha256,
    create_function,
    expect_error,
    function_arn,
    lambda_client,
    make_zip,
    status,
    uniq,
    validation_message,
)

# Recorded essentials of a FunctionConfiguration (runtime-api.md §4).
CONFIG_KEYS = {
    "FunctionName",
    "FunctionArn",
    "Runtime",
    "Role",
    "Handler",
    "CodeSize",
    "CodeSha256",
    "Description",
    "Timeout",
    "MemorySize",
    "LastModified",
    "Version",
    "TracingConfig",
    "RevisionId",
    "PackageType",
    "Architectures",
    "EphemeralStorage",
    "SnapStart",
    "LoggingConfig",
    "RuntimeVersionConfig",
    "State",
}

NAME_FORMS = {
    "name": lambda n: n,
    "arn": lambda n: function_arn(n),
    "partial-arn": lambda n: f"{ACCOUNT}:function:{n}",
    "name-latest": lambda n: f"{n}:$LATEST",
}


def not_found(name, qualifier=None):
    return f"Function not found: {function_arn(name, qualifier=qualifier)}"


def deprecated(runtime):
    return (
        f"The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda "
        "functions. We recommend you use a supported runtime while creating or updating functions."
    )


RESERVED_MESSAGE = (
    "Lambda was unable to configure your environment variables because the environment variables you have "
    "provided contains reserved keys that are currently not supported for modification. "
    "Reserved keys used in this request: {}"
)
UNZIP_MESSAGE = "Could not unzip uploaded file. Please check your file, then try to upload again."


# --------------------------------------------------------------------------- CreateFunction


def test_create_function_returns_201_with_recorded_shape_and_defaults(lam):
    name = uniq("fn-create")
    code = make_zip()
    response = create_function(lam, name, zip_bytes=code)
    assert status(response) == 201
    config = body(response)
    assert CONFIG_KEYS <= config.keys(), f"missing: {CONFIG_KEYS - config.keys()}"
    assert config["FunctionName"] == name
    assert config["FunctionArn"] == function_arn(name)
    assert config["Runtime"] == "python3.12"
    assert config["Role"] == ROLE
    assert config["Handler"] == "handler.handler"
    assert config["CodeSize"] == len(code)
    assert config["CodeSha256"] == code_sha256(code)
    assert config["Description"] == ""
    assert config["Timeout"] == 3
    assert config["MemorySize"] == 128
    assert config["Version"] == "$LATEST"
    assert config["PackageType"] == "Zip"
    assert config["Architectures"] == ["x86_64"]
    assert config["TracingConfig"] == {"Mode": "PassThrough"}
    assert config["EphemeralStorage"] == {"Size": 512}
    assert config["SnapStart"] == {"ApplyOn": "None", "OptimizationStatus": "Off"}
    assert config["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}
    assert config.get("Environment", {"Variables": {}}) == {"Variables": {}}
    assert config["State"] == "Pending"
    assert config["StateReason"] == "The function is being created."
    assert config["StateReasonCode"] == "Creating"
    assert FUNCTION_LAST_MODIFIED.match(config["LastModified"]), config["LastModified"]
    assert UUID_ANY.match(config["RevisionId"]), config["RevisionId"]


def test_create_function_echoes_given_settings(lam):
    name = uniq("fn-settings")
    response = create_function(
        lam,
        name,
        Runtime="provided.al2023",
        Handler="bootstrap",
        Description="a description",
        Timeout=60,
        MemorySize=512,
        Environment={"Variables": {"GREETING": "hello", "EMPTY": ""}},
        Architectures=["arm64"],
    )
    assert status(response) == 201
    assert response["Runtime"] == "provided.al2023"
    assert response["Handler"] == "bootstrap"
    assert response["Description"] == "a description"
    assert response["Timeout"] == 60
    assert response["MemorySize"] == 512
    assert response["Environment"] == {"Variables": {"GREETING": "hello", "EMPTY": ""}}
    assert response["Architectures"] == ["arm64"]
    got = lam.get_function_configuration(FunctionName=name)
    for key in ("Runtime", "Handler", "Description", "Timeout", "MemorySize", "Environment", "Architectures"):
        assert got[key] == response[key], key


def test_every_later_read_says_active(lam):
    name = uniq("fn-active")
    created = create_function(lam, name)
    assert created["State"] == "Pending"
    got = lam.get_function(FunctionName=name)
    assert status(got) == 200
    assert got["Configuration"]["State"] == "Active"
    assert lam.get_function_configuration(FunctionName=name)["State"] == "Active"
    assert lam.get_function(FunctionName=name)["Configuration"]["State"] == "Active"


def test_get_function_and_configuration_match_create(lam):
    name = uniq("fn-get")
    code = make_zip({"handler.py": "def handler(e, c):\n    return 42\n"})
    created = body(create_function(lam, name, zip_bytes=code))
    got = lam.get_function(FunctionName=name)
    assert set(body(got)) >= {"Configuration", "Code"}
    assert isinstance(got["Code"], dict)
    assert got.get("Tags", {}) == {}
    configuration = lam.get_function_configuration(FunctionName=name)
    assert status(configuration) == 200
    for config in (got["Configuration"], body(configuration)):
        assert CONFIG_KEYS <= config.keys(), f"missing: {CONFIG_KEYS - config.keys()}"
        for key in CONFIG_KEYS - {"State", "RevisionId"}:
            assert config[key] == created[key], key
        assert config["CodeSha256"] == code_sha256(code)
        assert config["CodeSize"] == len(code)


@pytest.mark.parametrize("form", sorted(NAME_FORMS))
def test_function_name_forms_on_get_and_delete(lam, form):
    name = uniq("fn-form")
    create_function(lam, name)
    ref = NAME_FORMS[form](name)
    got = lam.get_function(FunctionName=ref)["Configuration"]
    assert got["FunctionName"] == name
    assert got["Version"] == "$LATEST"
    assert got["FunctionArn"] in (function_arn(name), function_arn(name, qualifier="$LATEST"))
    configuration = lam.get_function_configuration(FunctionName=ref)
    assert configuration["FunctionName"] == name
    assert configuration["Version"] == "$LATEST"
    if form != "name-latest":  # deleting `name:$LATEST` is not a whole-function delete
        deleted = lam.delete_function(FunctionName=ref)
        assert status(deleted) == 204
        expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


def test_get_function_with_latest_qualifier_parameter(lam, fn):
    got = lam.get_function(FunctionName=fn, Qualifier="$LATEST")
    assert got["Configuration"]["FunctionName"] == fn
    assert got["Configuration"]["Version"] == "$LATEST"


def test_qualifiers_other_than_latest_are_not_found(lam, fn):
    expect_error(
        lambda: lam.get_function(FunctionName=fn, Qualifier="1"),
        "ResourceNotFoundException",
        404,
        not_found(fn, qualifier="1"),
    )
    expect_error(
        lambda: lam.get_function_configuration(FunctionName=f"{fn}:prod"),
        "ResourceNotFoundException",
        404,
        not_found(fn, qualifier="prod"),
    )


# --------------------------------------------------------------------------- unknown functions


@pytest.mark.parametrize(
    "operation",
    ["get_function", "get_function_configuration", "delete_function", "update_configuration", "update_code"],
)
def test_unknown_function_is_404_with_recorded_message(lam, operation):
    name = uniq("no-such-fn")
    calls = {
        "get_function": lambda: lam.get_function(FunctionName=name),
        "get_function_configuration": lambda: lam.get_function_configuration(FunctionName=name),
        "delete_function": lambda: lam.delete_function(FunctionName=name),
        "update_configuration": lambda: lam.update_function_configuration(FunctionName=name, Timeout=10),
        "update_code": lambda: lam.update_function_code(FunctionName=name, ZipFile=make_zip()),
    }
    expect_error(calls[operation], "ResourceNotFoundException", 404, not_found(name))


def test_unknown_function_by_arn_is_404(lam):
    name = uniq("no-such-fn")
    expect_error(lambda: lam.get_function(FunctionName=function_arn(name)), "ResourceNotFoundException", 404, not_found(name))
    expect_error(
        lambda: lam.get_function(FunctionName=f"{ACCOUNT}:function:{name}"),
        "ResourceNotFoundException",
        404,
        not_found(name),
    )


def test_function_name_longer_than_64_is_rejected(lam):
    name = "f" * 65
    expect_error(
        lambda: lam.get_function(FunctionName=name),
        "InvalidParameterValueException",
        400,
        validation_message(range_rule_length(name)),
    )


def range_rule_length(name):
    return f"Value '{name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"


# --------------------------------------------------------------------------- create errors


def test_duplicate_create_is_conflict(lam):
    name = uniq("fn-dup")
    create_function(lam, name)
    expect_error(lambda: create_function(lam, name), "ResourceConflictException", 409, f"Function already exist: {name}")


def test_unknown_runtime_is_rejected(lam):
    name = uniq("fn-badrt")
    response = expect_error(lambda: create_function(lam, name, Runtime="python9.9"), "InvalidParameterValueException", 400)
    message = response["Error"]["Message"]
    prefix = "Value python9.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["
    assert message.startswith(prefix), message
    listed = message[len(prefix):].split("]", 1)[0].split(", ")
    for runtime in ("python3.12", "python3.13", "provided.al2023", "provided.al2", "nodejs20.x", "java21"):
        assert runtime in listed, (runtime, message)
    expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


@pytest.mark.parametrize("runtime", ["python3.8", "python2.7", "nodejs16.x", "java8", "go1.x", "dotnet6", "ruby2.7"])
def test_deprecated_runtime_is_rejected_with_recorded_message(lam, runtime):
    name = uniq("fn-oldrt")
    expect_error(
        lambda: create_function(lam, name, Runtime=runtime), "InvalidParameterValueException", 400, deprecated(runtime)
    )
    expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


def test_runtime_provided_is_still_accepted(lam):
    response = create_function(lam, uniq("fn-provided"), Runtime="provided", Handler="bootstrap")
    assert status(response) == 201
    assert response["Runtime"] == "provided"


@pytest.mark.parametrize("key", ["AWS_REGION", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_NAME", "AWS_SECRET_ACCESS_KEY"])
def test_reserved_environment_key_is_rejected(lam, key):
    name = uniq("fn-env")
    expect_error(
        lambda: create_function(lam, name, Environment={"Variables": {key: "x", "FINE": "y"}}),
        "InvalidParameterValueException",
        400,
        RESERVED_MESSAGE.format(key),
    )


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("Timeout", 0, at_least(0, "timeout", 1)),
        ("Timeout", 901, at_most(901, "timeout", 900)),
        ("MemorySize", 127, at_least(127, "memorySize", 128)),
    ],
)
def test_timeout_and_memory_out_of_range_are_validation_errors(lam_nv, field, value, error):
    name = uniq("fn-range")
    expect_error(
        lambda: create_function(lam_nv, name, **{field: value}), "ValidationException", 400, validation_message(error)
    )
    expect_error(lambda: lam_nv.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


def test_memory_above_maximum_is_a_validation_error(lam_nv):
    # The maximum is 10240 (AWS) or 32768 (current model); runtime-api.md §4 leaves it open.
    expect_error(
        lambda: create_function(lam_nv, uniq("fn-mem"), MemorySize=40960),
        "ValidationException",
        400,
        message_re=re.escape(validation_message(at_most(40960, "memorySize", "X"))).replace("X", "(10240|32768)"),
    )


def test_timeout_and_memory_limits_are_inclusive(lam):
    response = create_function(lam, uniq("fn-limits"), Timeout=900, MemorySize=10240)
    assert response["Timeout"] == 900
    assert response["MemorySize"] == 10240
    response = create_function(lam, uniq("fn-limits"), Timeout=1, MemorySize=128)
    assert response["Timeout"] == 1
    assert response["MemorySize"] == 128


def test_zip_file_that_is_not_a_zip_is_rejected(lam):
    name = uniq("fn-notzip")
    expect_error(
        lambda: create_function(lam, name, zip_bytes=b"this is not a zip archive"),
        "InvalidParameterValueException",
        400,
        UNZIP_MESSAGE,
    )
    expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


def test_s3_code_is_rejected_as_missing_bucket(lam):
    expect_error(
        lambda: lam.create_function(
            FunctionName=uniq("fn-s3"),
            Runtime="python3.12",
            Role=ROLE,
            Handler="handler.handler",
            Code={"S3Bucket": "some-bucket", "S3Key": "code.zip"},
        ),
        "InvalidParameterValueException",
        400,
        "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
    )


def test_container_images_are_rejected(lam):
    expect_error(
        lambda: lam.create_function(
            FunctionName=uniq("fn-image"),
            Role=ROLE,
            PackageType="Image",
            Code={"ImageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/repo:latest"},
        ),
        "InvalidParameterValueException",
        400,
        "Sluice runs Zip functions only; container images are not supported.",
    )


# --------------------------------------------------------------------------- updates


def test_update_function_configuration_applies_and_echoes(lam):
    name = uniq("fn-upd")
    created = create_function(lam, name)
    response = lam.update_function_configuration(
        FunctionName=name,
        Timeout=30,
        MemorySize=256,
        Description="updated",
        Handler="other.handler",
        Environment={"Variables": {"KEY": "VALUE"}},
    )
    assert status(response) == 200
    assert response["Timeout"] == 30
    assert response["MemorySize"] == 256
    assert response["Description"] == "updated"
    assert response["Handler"] == "other.handler"
    assert response["Environment"] == {"Variables": {"KEY": "VALUE"}}
    assert response["Runtime"] == "python3.12"  # omitted: unchanged
    assert response["CodeSha256"] == created["CodeSha256"]
    assert response["LastUpdateStatus"] == "InProgress"
    assert response["RevisionId"] != created["RevisionId"]
    got = lam.get_function_configuration(FunctionName=name)
    assert got["LastUpdateStatus"] == "Successful"
    assert got["State"] == "Active"
    for key in ("Timeout", "MemorySize", "Description", "Handler", "Environment", "Runtime", "CodeSha256"):
        assert got[key] == response[key], key


def test_update_function_configuration_by_arn(lam):
    name = uniq("fn-upd-arn")
    create_function(lam, name)
    response = lam.update_function_configuration(FunctionName=function_arn(name), Runtime="python3.13")
    assert response["Runtime"] == "python3.13"
    assert lam.get_function_configuration(FunctionName=name)["Runtime"] == "python3.13"


def test_update_function_configuration_validates(lam, lam_nv):
    name = uniq("fn-upd-bad")
    create_function(lam, name)
    expect_error(
        lambda: lam_nv.update_function_configuration(FunctionName=name, Timeout=901),
        "ValidationException",
        400,
        validation_message(at_most(901, "timeout", 900)),
    )
    expect_error(
        lambda: lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"AWS_REGION": "x"}}),
        "InvalidParameterValueException",
        400,
        RESERVED_MESSAGE.format("AWS_REGION"),
    )
    expect_error(
        lambda: lam.update_function_configuration(FunctionName=name, Runtime="python3.8"),
        "InvalidParameterValueException",
        400,
        deprecated("python3.8"),
    )
    got = lam.get_function_configuration(FunctionName=name)
    assert got["Timeout"] == 3
    assert got["Runtime"] == "python3.12"
    assert got.get("Environment", {"Variables": {}}) == {"Variables": {}}


def test_update_function_code_replaces_code(lam):
    name = uniq("fn-code")
    first = make_zip()
    created = create_function(lam, name, zip_bytes=first)
    second = make_zip({"handler.py": "def handler(event, context):\n    return {'v': 2}\n", "extra.txt": "x" * 300})
    assert code_sha256(second) != code_sha256(first)
    response = lam.update_function_code(FunctionName=name, ZipFile=second)
    assert status(response) == 200
    assert response["CodeSha256"] == code_sha256(second)
    assert response["CodeSize"] == len(second)
    assert response["LastUpdateStatus"] == "InProgress"
    assert response["RevisionId"] != created["RevisionId"]
    assert response["Handler"] == "handler.handler"
    got = lam.get_function(FunctionName=name)["Configuration"]
    assert got["CodeSha256"] == code_sha256(second)
    assert got["CodeSize"] == len(second)
    assert got["LastUpdateStatus"] == "Successful"


def test_update_function_code_rejects_non_zip(lam):
    name = uniq("fn-code-bad")
    code = make_zip()
    create_function(lam, name, zip_bytes=code)
    expect_error(
        lambda: lam.update_function_code(FunctionName=name, ZipFile=b"garbage"),
        "InvalidParameterValueException",
        400,
        UNZIP_MESSAGE,
    )
    assert lam.get_function_configuration(FunctionName=name)["CodeSha256"] == code_sha256(code)


# --------------------------------------------------------------------------- delete, list, tags, regions


def test_delete_function_returns_204_then_404(lam):
    name = uniq("fn-del")
    create_function(lam, name)
    response = lam.delete_function(FunctionName=name)
    assert status(response) == 204
    expect_error(lambda: lam.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))
    expect_error(lambda: lam.delete_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))
    assert name not in [f["FunctionName"] for f in lam.get_paginator("list_functions").paginate().build_full_result()["Functions"]]
    # The name is free again.
    assert status(create_function(lam, name)) == 201


def test_deleting_the_latest_qualifier_alone_is_refused(lam):
    name = uniq("fn-del-latest")
    create_function(lam, name)
    expect_error(
        lambda: lam.delete_function(FunctionName=name, Qualifier="$LATEST"),
        "InvalidParameterValueException",
        400,
        "$LATEST version cannot be deleted without deleting the function.",
    )
    assert lam.get_function(FunctionName=name)["Configuration"]["FunctionName"] == name


def test_list_functions_pages_with_max_items_and_marker(servers):
    fresh = servers.start(in_memory=True)
    client = lambda_client(fresh.url)
    assert client.list_functions()["Functions"] == []
    names = [uniq(f"fn-list{i}") for i in range(5)]
    codes = {}
    for name in names:
        code = make_zip({"handler.py": f"# {name}\ndef handler(e, c):\n    return 1\n"})
        codes[name] = code
        create_function(client, name, zip_bytes=code)

    pages = []
    marker = None
    while True:
        kwargs = {"MaxItems": 2}
        if marker:
            kwargs["Marker"] = marker
        page = client.list_functions(**kwargs)
        assert status(page) == 200
        pages.append([f["FunctionName"] for f in page["Functions"]])
        for config in page["Functions"]:
            assert config["FunctionArn"] == function_arn(config["FunctionName"])
            assert config["CodeSha256"] == code_sha256(codes[config["FunctionName"]])
            assert config["Version"] == "$LATEST"
        marker = page.get("NextMarker")
        if not marker:
            break
        assert len(pages) < 10, "paging does not terminate"
    assert [len(p) for p in pages] == [2, 2, 1]
    seen = [n for p in pages for n in p]
    assert sorted(seen) == sorted(names)

    everything = client.list_functions()
    assert "NextMarker" not in everything
    assert sorted(f["FunctionName"] for f in everything["Functions"]) == sorted(names)

    paged = list(client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Functions"]) for p in paged] == [2, 2, 1]
    assert [f["FunctionName"] for p in paged for f in p["Functions"]] == seen


def test_function_tags(lam):
    name = uniq("fn-tags")
    create_function(lam, name, Tags={"team": "data", "env": "dev"})
    assert lam.get_function(FunctionName=name)["Tags"] == {"team": "data", "env": "dev"}
    arn = function_arn(name)
    listed = lam.list_tags(Resource=arn)
    assert status(listed) == 200
    assert listed["Tags"] == {"team": "data", "env": "dev"}
    assert status(lam.tag_resource(Resource=arn, Tags={"cost": "42", "env": "prod"})) == 204
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "data", "env": "prod", "cost": "42"}
    assert status(lam.untag_resource(Resource=arn, TagKeys=["team", "cost"])) == 204
    assert lam.list_tags(Resource=arn)["Tags"] == {"env": "prod"}
    assert lam.get_function(FunctionName=name)["Tags"] == {"env": "prod"}


def test_tags_on_a_qualified_function_arn_are_refused(lam):
    name = uniq("fn-tags-q")
    create_function(lam, name)
    expect_error(
        lambda: lam.tag_resource(Resource=function_arn(name) + ":$LATEST", Tags={"a": "b"}),
        "InvalidParameterValueException",
        400,
        "Tags on function aliases and versions are not supported. Please specify a function ARN.",
    )
    assert lam.list_tags(Resource=function_arn(name))["Tags"] == {}


def test_region_comes_from_the_signature_scope(url):
    west = lambda_client(url, region="us-west-2")
    east = lambda_client(url, region="us-east-1")
    name = uniq("fn-west")
    created = create_function(west, name)
    assert created["FunctionArn"] == function_arn(name, region="us-west-2")
    assert west.get_function(FunctionName=name)["Configuration"]["FunctionArn"] == function_arn(name, region="us-west-2")
    expect_error(lambda: east.get_function(FunctionName=name), "ResourceNotFoundException", 404, not_found(name))


# --------------------------------------------------------------------------- aws CLI v1


def test_cli_create_get_list_delete_function(url, tmp_path):
    name = uniq("fn-cli")
    code = make_zip()
    path = tmp_path / "code.zip"
    path.write_bytes(code)
    created = cli_ok(
        url,
        "lambda",
        "create-function",
        "--function-name",
        name,
        "--runtime",
        "python3.12",
        "--role",
        ROLE,
        "--handler",
        "handler.handler",
        "--zip-file",
        f"fileb://{path}",
        "--timeout",
        "10",
        "--environment",
        '{"Variables":{"ALPHA":"1"}}',
    )
    assert created["FunctionName"] == name
    assert created["FunctionArn"] == function_arn(name)
    assert created["CodeSha256"] == code_sha256(code)
    assert created["CodeSize"] == len(code)
    assert created["Timeout"] == 10
    assert created["MemorySize"] == 128
    assert created["Environment"] == {"Variables": {"ALPHA": "1"}}
    assert created["State"] == "Pending"

    got = cli_ok(url, "lambda", "get-function", "--function-name", name)
    assert got["Configuration"]["State"] == "Active"
    assert got["Configuration"]["CodeSha256"] == code_sha256(code)

    configuration = cli_ok(url, "lambda", "get-function-configuration", "--function-name", function_arn(name))
    assert configuration["FunctionName"] == name

    listed = cli_ok(url, "lambda", "list-functions")
    assert name in [f["FunctionName"] for f in listed["Functions"]]

    # botocore's DeleteFunction output binds the HTTP status to StatusCode.
    assert cli_ok(url, "lambda", "delete-function", "--function-name", name) == {"StatusCode": 204}

    failure = cli_error(url, "lambda", "get-function", "--function-name", name)
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text("ResourceNotFoundException", "GetFunction", not_found(name))


def test_cli_duplicate_create_reports_conflict(url, lam, tmp_path):
    name = uniq("fn-cli-dup")
    create_function(lam, name)
    path = tmp_path / "code.zip"
    path.write_bytes(make_zip())
    failure = cli_error(
        url,
        "lambda",
        "create-function",
        "--function-name",
        name,
        "--runtime",
        "python3.12",
        "--role",
        ROLE,
        "--handler",
        "handler.handler",
        "--zip-file",
        f"fileb://{path}",
    )
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        "ResourceConflictException", "CreateFunction", f"Function already exist: {name}"
    )


def test_client_error_carries_request_id(lam):
    with pytest.raises(ClientError) as info:
        lam.get_function(FunctionName=uniq("nope"))
    assert info.value.response["ResponseMetadata"].get("RequestId")
