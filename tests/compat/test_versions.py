"""Function versions, aliases and reserved concurrency (issue 4, items 5–6): PublishVersion,
ListVersionsByFunction, qualified GetFunction / GetFunctionConfiguration / DeleteFunction, the five alias
operations and Put/Get/DeleteFunctionConcurrency, with boto3 and the aws CLI v1, across a restart.

Texts are AWS's as recorded in LocalStack's snapshots where one exists (routing config, alias conflicts,
PublishVersion revision, PutFunctionConcurrency); the others are listed in the issue's report."""

from __future__ import annotations

import urllib.request

import pytest

from compat_support import (
    ACCOUNT,
    UUID_ANY,
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
    sqs_arn,
    status,
    uniq,
    validation_message,
    wait_for_state,
)

RNFE = "ResourceNotFoundException"
IPVE = "InvalidParameterValueException"
PFE = "PreconditionFailedException"
RCE = "ResourceConflictException"
VE = "ValidationException"
REVISION_MESSAGE = (
    "The Revision Id provided does not match the latest Revision Id. "
    "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
)
QUALIFIED_MESSAGE = (
    "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
    "Please specify either a function name or an unqualified function ARN."
)
LIMIT_MESSAGE = (
    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
    "below its minimum value of [100]."
)
ALIAS_PATTERN = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"
WEIGHT_VALUE_RULE = (
    "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value "
    "greater than or equal to 0.0, Member must not be null]"
)
WEIGHT_KEY_RULE = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have "
    "length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not "
    "be null]"
)


def not_found(name, qualifier=None):
    return f"Function not found: {function_arn(name, qualifier=qualifier)}"


def alias_not_found(name, alias):
    return f"Cannot find alias arn: {function_arn(name, qualifier=alias)}"


def code(tag):
    return make_zip({"handler.py": f"def handler(event, context):\n    return {tag!r}\n"})


def with_versions(lam, count, prefix="fn-ver"):
    """A function with versions 1..count, version N running code(f'v{N}') with Timeout N."""
    name = uniq(prefix)
    create_function(lam, name, zip_bytes=code("v1"), Timeout=1)
    lam.publish_version(FunctionName=name)
    for number in range(2, count + 1):
        lam.update_function_code(FunctionName=name, ZipFile=code(f"v{number}"))
        lam.update_function_configuration(FunctionName=name, Timeout=number)
        lam.publish_version(FunctionName=name)
    return name


def routing(weights):
    return {"AdditionalVersionWeights": weights}


def reserve(client, name, limit):
    """PutFunctionConcurrency; the limit the response echoes."""
    return client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=limit)[
        "ReservedConcurrentExecutions"
    ]


# --------------------------------------------------------------------------- PublishVersion


def test_publish_version_returns_201_with_the_qualified_version(lam):
    name = uniq("fn-pub")
    zip_bytes = code("one")
    created = create_function(lam, name, zip_bytes=zip_bytes, Description="the function")
    published = lam.publish_version(FunctionName=name)
    assert status(published) == 201
    assert published["Version"] == "1"
    assert published["FunctionArn"] == function_arn(name, qualifier="1")
    assert published["FunctionName"] == name
    assert published["CodeSha256"] == code_sha256(zip_bytes)
    assert published["CodeSize"] == len(zip_bytes)
    assert published["Description"] == "the function"
    assert published["State"] == "Active"
    assert published["LastUpdateStatus"] == "Successful"
    assert UUID_ANY.match(published["RevisionId"])
    assert published["RevisionId"] != created["RevisionId"]


def test_publish_version_takes_the_given_description(lam):
    name = uniq("fn-pub-desc")
    create_function(lam, name, Description="latest")
    published = lam.publish_version(FunctionName=name, Description="release 1")
    assert published["Description"] == "release 1"
    assert lam.get_function_configuration(FunctionName=name)["Description"] == "latest"
    assert lam.get_function_configuration(FunctionName=name, Qualifier="1")["Description"] == "release 1"


def test_publishing_an_unchanged_function_returns_the_last_version(lam):
    name = uniq("fn-pub-same")
    create_function(lam, name)
    first = lam.publish_version(FunctionName=name)
    again = lam.publish_version(FunctionName=name, Description="ignored")
    assert status(again) == 201
    assert again["Version"] == "1"
    assert again["RevisionId"] == first["RevisionId"]
    assert again["Description"] == ""
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "1"]


def test_publishing_after_a_change_takes_the_next_number(lam):
    name = uniq("fn-pub-next")
    create_function(lam, name)
    assert lam.publish_version(FunctionName=name)["Version"] == "1"
    lam.update_function_configuration(FunctionName=name, Timeout=9)
    second = lam.publish_version(FunctionName=name)
    assert second["Version"] == "2"
    assert second["Timeout"] == 9
    assert lam.get_function_configuration(FunctionName=name, Qualifier="1")["Timeout"] == 3


def test_publishing_gives_latest_a_new_revision_id(lam):
    name = uniq("fn-pub-rev")
    create_function(lam, name)
    before = lam.get_function(FunctionName=name)["Configuration"]["RevisionId"]
    lam.publish_version(FunctionName=name, RevisionId=before)
    after = lam.get_function(FunctionName=name)["Configuration"]["RevisionId"]
    assert after != before
    expect_error(lambda: lam.publish_version(FunctionName=name, RevisionId=before), PFE, 412, REVISION_MESSAGE)


def test_publish_with_a_wrong_code_sha256_is_refused(lam):
    name = uniq("fn-pub-sha")
    zip_bytes = code("sha")
    create_function(lam, name, zip_bytes=zip_bytes)
    expect_error(
        lambda: lam.publish_version(FunctionName=name, CodeSha256="somenonexistentsha256"),
        IPVE,
        400,
        f"CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST "
        f"({code_sha256(zip_bytes)}). Please try again with the CodeSHA256 in $LATEST.",
    )
    assert lam.publish_version(FunctionName=name, CodeSha256=code_sha256(zip_bytes))["Version"] == "1"


def test_publish_with_a_wrong_revision_id_is_refused(lam):
    name = uniq("fn-pub-badrev")
    create_function(lam, name)
    expect_error(lambda: lam.publish_version(FunctionName=name, RevisionId="wrong"), PFE, 412, REVISION_MESSAGE)
    assert lam.list_versions_by_function(FunctionName=name)["Versions"][1:] == []


def test_publish_of_an_unknown_function_is_404(lam):
    name = uniq("no-such-fn")
    expect_error(lambda: lam.publish_version(FunctionName=name), RNFE, 404, not_found(name))


def test_publish_of_a_qualified_name_is_refused(lam, fn):
    expect_error(lambda: lam.publish_version(FunctionName=f"{fn}:$LATEST"), IPVE, 400, QUALIFIED_MESSAGE)


def test_create_function_with_publish_answers_version_1(lam):
    name = uniq("fn-create-pub")
    created = create_function(lam, name, Publish=True)
    assert status(created) == 201
    assert created["Version"] == "1"
    assert created["FunctionArn"] == function_arn(name)
    version = lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]
    assert version["Version"] == "1"
    assert version["FunctionArn"] == function_arn(name, qualifier="1")
    assert version["State"] == "Active"


def test_update_function_code_with_publish_answers_the_new_version(lam):
    name = uniq("fn-code-pub")
    create_function(lam, name, zip_bytes=code("v1"), Publish=True)
    updated = lam.update_function_code(FunctionName=name, ZipFile=code("v2"), Publish=True)
    assert updated["Version"] == "2"
    assert updated["FunctionArn"] == function_arn(name, qualifier="2")
    assert updated["CodeSha256"] == code_sha256(code("v2"))
    assert updated["State"] == "Pending"
    assert updated["StateReasonCode"] == "Creating"
    assert lam.get_function_configuration(FunctionName=name, Qualifier="1")["CodeSha256"] == code_sha256(code("v1"))
    assert lam.get_function_configuration(FunctionName=name, Qualifier="2")["State"] == "Active"


def test_version_numbers_are_not_reused_after_deletion(lam):
    name = with_versions(lam, 2)
    assert status(lam.delete_function(FunctionName=name, Qualifier="2")) == 204
    lam.update_function_configuration(FunctionName=name, Timeout=30)
    assert lam.publish_version(FunctionName=name)["Version"] == "3"
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "1", "3"]


# --------------------------------------------------------------------------- ListVersionsByFunction


def test_list_versions_starts_with_latest_qualified(lam):
    name = with_versions(lam, 2)
    listed = lam.list_versions_by_function(FunctionName=name)
    assert status(listed) == 200
    assert "NextMarker" not in listed
    assert [v["Version"] for v in listed["Versions"]] == ["$LATEST", "1", "2"]
    assert [v["FunctionArn"] for v in listed["Versions"]] == [
        function_arn(name, qualifier="$LATEST"),
        function_arn(name, qualifier="1"),
        function_arn(name, qualifier="2"),
    ]
    assert [v["Timeout"] for v in listed["Versions"]] == [2, 1, 2]


def test_list_versions_pages_with_max_items_and_marker(lam):
    name = with_versions(lam, 4)
    pages, marker = [], None
    while True:
        kwargs = {"FunctionName": name, "MaxItems": 2}
        if marker:
            kwargs["Marker"] = marker
        page = lam.list_versions_by_function(**kwargs)
        pages.append([v["Version"] for v in page["Versions"]])
        marker = page.get("NextMarker")
        if not marker:
            break
    assert pages == [["$LATEST", "1"], ["2", "3"], ["4"]]
    paged = lam.get_paginator("list_versions_by_function").paginate(FunctionName=name, PaginationConfig={"PageSize": 3})
    assert [v["Version"] for p in paged for v in p["Versions"]] == ["$LATEST", "1", "2", "3", "4"]


def test_list_versions_of_an_unknown_function_is_404(lam):
    name = uniq("no-such-fn")
    expect_error(lambda: lam.list_versions_by_function(FunctionName=name), RNFE, 404, not_found(name))


# --------------------------------------------------------------------------- qualified reads


@pytest.mark.parametrize(
    "form",
    [
        lambda n, q: {"FunctionName": n, "Qualifier": q},
        lambda n, q: {"FunctionName": f"{n}:{q}"},
        lambda n, q: {"FunctionName": function_arn(n, qualifier=q)},
        lambda n, q: {"FunctionName": f"{ACCOUNT}:function:{n}:{q}"},
    ],
    ids=["qualifier", "name", "arn", "partial-arn"],
)
def test_get_function_of_a_version_answers_that_version(lam, form):
    name = with_versions(lam, 2)
    got = lam.get_function(**form(name, "1"))["Configuration"]
    assert got["Version"] == "1"
    assert got["FunctionArn"] == function_arn(name, qualifier="1")
    assert got["Timeout"] == 1
    assert got["CodeSha256"] == code_sha256(code("v1"))
    configuration = lam.get_function_configuration(**form(name, "2"))
    assert configuration["Version"] == "2"
    assert configuration["Timeout"] == 2


def test_get_function_of_an_alias_answers_its_version_under_the_alias_arn(lam):
    name = with_versions(lam, 2)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    for got in (
        lam.get_function(FunctionName=name, Qualifier="prod")["Configuration"],
        lam.get_function(FunctionName=function_arn(name, qualifier="prod"))["Configuration"],
        body(lam.get_function_configuration(FunctionName=f"{name}:prod")),
    ):
        assert got["FunctionArn"] == function_arn(name, qualifier="prod")
        assert got["Version"] == "1"
        assert got["Timeout"] == 1


def test_get_function_with_latest_qualifier_names_latest(lam, fn):
    got = lam.get_function_configuration(FunctionName=fn, Qualifier="$LATEST")
    assert got["Version"] == "$LATEST"
    assert got["FunctionArn"] == function_arn(fn, qualifier="$LATEST")


def test_code_location_of_a_version_serves_that_versions_zip(lam):
    name = with_versions(lam, 2)
    location = lam.get_function(FunctionName=name, Qualifier="1")["Code"]["Location"]
    with urllib.request.urlopen(location, timeout=10) as response:
        assert response.read() == code("v1")


@pytest.mark.parametrize("qualifier", ["7", "nope"])
def test_unknown_qualifier_is_404_with_the_qualified_arn(lam, qualifier):
    name = with_versions(lam, 1)
    message = not_found(name, qualifier)
    expect_error(lambda: lam.get_function(FunctionName=name, Qualifier=qualifier), RNFE, 404, message)
    expect_error(lambda: lam.get_function_configuration(FunctionName=f"{name}:{qualifier}"), RNFE, 404, message)


def test_qualifier_outside_the_model_pattern_is_a_validation_error(lam, fn):
    message = validation_message(
        "Value 'a.b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "(|[a-zA-Z0-9$_-]+)"
    )
    expect_error(lambda: lam.get_function(FunctionName=fn, Qualifier="a.b"), VE, 400, message)
    expect_error(lambda: lam.delete_function(FunctionName=fn, Qualifier="a.b"), VE, 400, message)


# --------------------------------------------------------------------------- DeleteFunction of a version


def test_delete_function_with_a_version_deletes_that_version_only(lam):
    name = with_versions(lam, 2)
    assert status(lam.delete_function(FunctionName=name, Qualifier="1")) == 204
    expect_error(lambda: lam.get_function(FunctionName=name, Qualifier="1"), RNFE, 404, not_found(name, "1"))
    assert lam.get_function(FunctionName=name, Qualifier="2")["Configuration"]["Version"] == "2"
    assert lam.get_function(FunctionName=name)["Configuration"]["Version"] == "$LATEST"


def test_delete_function_of_a_version_in_name_form(lam):
    name = with_versions(lam, 2)
    assert status(lam.delete_function(FunctionName=function_arn(name, qualifier="2"))) == 204
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "1"]


def test_deleting_a_version_an_alias_points_at_is_a_conflict(lam):
    name = with_versions(lam, 2)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    lam.create_alias(FunctionName=name, Name="beta", FunctionVersion="2", RoutingConfig=routing({"1": 0.1}))
    expect_error(
        lambda: lam.delete_function(FunctionName=name, Qualifier="1"),
        RCE,
        409,
        "Unable to delete version because the following aliases reference it: [beta, prod]",
    )
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Version"] == "1"


def test_deleting_an_alias_through_delete_function_is_refused(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    expect_error(
        lambda: lam.delete_function(FunctionName=name, Qualifier="prod"),
        IPVE,
        400,
        "Deletion of aliases is not currently supported.",
    )
    assert lam.get_alias(FunctionName=name, Name="prod")["FunctionVersion"] == "1"


def test_deleting_a_version_that_does_not_exist_answers_204(lam):
    name = with_versions(lam, 1)
    assert status(lam.delete_function(FunctionName=name, Qualifier="9")) == 204
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "1"]


def test_deleting_a_version_of_an_unknown_function_is_404(lam):
    name = uniq("no-such-fn")
    expect_error(lambda: lam.delete_function(FunctionName=name, Qualifier="1"), RNFE, 404, not_found(name))


def test_deleting_the_function_removes_versions_aliases_and_concurrency(lam):
    name = with_versions(lam, 2)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="2")
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=5)
    assert status(lam.delete_function(FunctionName=name)) == 204
    expect_error(lambda: lam.get_function(FunctionName=name, Qualifier="1"), RNFE, 404, not_found(name, "1"))
    expect_error(lambda: lam.list_aliases(FunctionName=name), RNFE, 404, not_found(name))
    create_function(lam, name)
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST"]
    assert lam.list_aliases(FunctionName=name)["Aliases"] == []
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName=name)
    assert lam.publish_version(FunctionName=name)["Version"] == "1"


# --------------------------------------------------------------------------- aliases


def test_create_alias_returns_201_with_the_alias_configuration(lam):
    name = with_versions(lam, 2)
    created = lam.create_alias(
        FunctionName=name,
        Name="live",
        FunctionVersion="1",
        Description="custom-alias",
        RoutingConfig=routing({"2": 0.2}),
    )
    assert status(created) == 201
    assert body(created) == {
        "AliasArn": function_arn(name, qualifier="live"),
        "Name": "live",
        "FunctionVersion": "1",
        "Description": "custom-alias",
        "RevisionId": created["RevisionId"],
        "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.2}},
    }
    assert UUID_ANY.match(created["RevisionId"])
    got = lam.get_alias(FunctionName=name, Name="live")
    assert status(got) == 200
    assert body(got) == body(created)


def test_alias_without_description_or_routing(lam):
    name = with_versions(lam, 1)
    created = lam.create_alias(FunctionName=name, Name="plain", FunctionVersion="1", RoutingConfig=routing({}))
    assert created["Description"] == ""
    assert "RoutingConfig" not in created
    latest = lam.create_alias(FunctionName=name, Name="edge", FunctionVersion="$LATEST")
    assert latest["FunctionVersion"] == "$LATEST"


def test_update_alias_changes_given_members_with_a_new_revision(lam):
    name = with_versions(lam, 2)
    created = lam.create_alias(
        FunctionName=name, Name="prod", FunctionVersion="1", Description="d", RoutingConfig=routing({"2": 0.5})
    )
    updated = lam.update_alias(
        FunctionName=name, Name="prod", FunctionVersion="2", RoutingConfig=routing({}), RevisionId=created["RevisionId"]
    )
    assert status(updated) == 200
    assert updated["FunctionVersion"] == "2"
    assert updated["Description"] == "d"
    assert "RoutingConfig" not in updated
    assert updated["RevisionId"] != created["RevisionId"]
    untouched = lam.update_alias(FunctionName=name, Name="prod")
    assert untouched["RevisionId"] != updated["RevisionId"]
    assert lam.get_alias(FunctionName=name, Name="prod")["RevisionId"] == untouched["RevisionId"]


def test_update_alias_with_a_stale_revision_is_refused(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    expect_error(
        lambda: lam.update_alias(FunctionName=name, Name="prod", Description="x", RevisionId="wrong"),
        PFE,
        412,
        REVISION_MESSAGE,
    )
    assert lam.get_alias(FunctionName=name, Name="prod")["Description"] == ""


def test_update_alias_to_an_unknown_version_is_404(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    expect_error(
        lambda: lam.update_alias(FunctionName=name, Name="prod", FunctionVersion="5"), RNFE, 404, not_found(name, "5")
    )


def test_delete_alias_returns_204_then_the_alias_is_gone(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    assert status(lam.delete_alias(FunctionName=name, Name="prod")) == 204
    expect_error(lambda: lam.get_alias(FunctionName=name, Name="prod"), RNFE, 404, alias_not_found(name, "prod"))
    expect_error(lambda: lam.delete_alias(FunctionName=name, Name="prod"), RNFE, 404, alias_not_found(name, "prod"))
    expect_error(lambda: lam.update_alias(FunctionName=name, Name="prod"), RNFE, 404, alias_not_found(name, "prod"))
    expect_error(lambda: lam.get_function(FunctionName=name, Qualifier="prod"), RNFE, 404, not_found(name, "prod"))


def test_list_aliases_in_name_order_filtered_by_version(lam):
    name = with_versions(lam, 2)
    lam.create_alias(FunctionName=name, Name="zeta", FunctionVersion="1")
    lam.create_alias(FunctionName=name, Name="alpha", FunctionVersion="2")
    lam.create_alias(FunctionName=name, Name="mid", FunctionVersion="1")
    listed = lam.list_aliases(FunctionName=name)
    assert status(listed) == 200
    assert [a["Name"] for a in listed["Aliases"]] == ["alpha", "mid", "zeta"]
    assert listed["Aliases"][0]["AliasArn"] == function_arn(name, qualifier="alpha")
    assert [a["Name"] for a in lam.list_aliases(FunctionName=name, FunctionVersion="1")["Aliases"]] == ["mid", "zeta"]
    assert lam.list_aliases(FunctionName=name, FunctionVersion="$LATEST")["Aliases"] == []


def test_list_aliases_pages(lam):
    name = with_versions(lam, 1)
    for alias in ("a1", "a2", "a3"):
        lam.create_alias(FunctionName=name, Name=alias, FunctionVersion="1")
    first = lam.list_aliases(FunctionName=name, MaxItems=2)
    assert [a["Name"] for a in first["Aliases"]] == ["a1", "a2"]
    second = lam.list_aliases(FunctionName=name, MaxItems=2, Marker=first["NextMarker"])
    assert [a["Name"] for a in second["Aliases"]] == ["a3"]
    assert "NextMarker" not in second
    paged = lam.get_paginator("list_aliases").paginate(FunctionName=name, PaginationConfig={"PageSize": 1})
    assert [a["Name"] for p in paged for a in p["Aliases"]] == ["a1", "a2", "a3"]


def test_duplicate_alias_is_a_conflict(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    expect_error(
        lambda: lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1"),
        RCE,
        409,
        f"Alias already exists: {function_arn(name, qualifier='prod')}",
    )


def test_alias_of_an_unknown_version_or_function_is_404(lam):
    name = with_versions(lam, 1)
    expect_error(
        lambda: lam.create_alias(FunctionName=name, Name="a", FunctionVersion="10"), RNFE, 404, not_found(name, "10")
    )
    missing = uniq("no-such-fn")
    expect_error(
        lambda: lam.create_alias(FunctionName=missing, Name="a", FunctionVersion="1"),
        RNFE,
        404,
        not_found(missing, "1"),
    )
    expect_error(lambda: lam.get_alias(FunctionName=missing, Name="a"), RNFE, 404, not_found(missing))


@pytest.mark.parametrize("alias", ["1", "123", "bad.name", "x" * 129])
def test_alias_name_must_match_the_model(lam, alias):
    name = with_versions(lam, 1)
    rule = (
        "have length less than or equal to 128"
        if len(alias) > 128
        else f"satisfy regular expression pattern: {ALIAS_PATTERN}"
    )
    message = validation_message(f"Value '{alias}' at 'name' failed to satisfy constraint: Member must {rule}")
    expect_error(lambda: lam.create_alias(FunctionName=name, Name=alias, FunctionVersion="1"), VE, 400, message)
    if len(alias) <= 128:
        expect_error(lambda: lam.get_alias(FunctionName=name, Name=alias), VE, 400, message)


def routing_value_error(quoted):
    return validation_message(
        f"Value '{quoted}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: "
        + WEIGHT_VALUE_RULE
    )


@pytest.mark.parametrize(
    "version,weights,code,http_status,message_of",
    [
        (
            "1",
            {"1": 0.8, "2": 0.2},
            IPVE,
            400,
            lambda n: "Number of items in AdditionalVersionWeights cannot be greater than 1",
        ),
        (
            "1",
            {"1": 0.5},
            IPVE,
            400,
            lambda n: "Invalid function version 1. Function version 1 is already included in routing configuration.",
        ),
        (
            "$LATEST",
            {"1": 0.5},
            IPVE,
            400,
            lambda n: "$LATEST is not supported for an alias pointing to more than 1 version",
        ),
        ("1", {"10": 0.5}, RNFE, 404, lambda n: not_found(n, "10")),
        ("1", {"2": 2}, VE, 400, lambda n: routing_value_error("{2=2.0}")),
        ("1", {"2": -1}, VE, 400, lambda n: routing_value_error("{2=-1.0}")),
        (
            "1",
            {"$LATEST": 0.5},
            VE,
            400,
            lambda n: validation_message(
                "Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: "
                + WEIGHT_KEY_RULE
            ),
        ),
    ],
    ids=["too-many", "same-version", "latest", "unknown-weighted", "too-high", "below-zero", "latest-key"],
)
def test_invalid_routing_configs_are_refused(lam_nv, version, weights, code, http_status, message_of):
    name = with_versions(lam_nv, 2)
    expect_error(
        lambda: lam_nv.create_alias(
            FunctionName=name, Name="custom", FunctionVersion=version, RoutingConfig=routing(weights)
        ),
        code,
        http_status,
        message_of(name),
    )
    assert lam_nv.list_aliases(FunctionName=name)["Aliases"] == []


def test_alias_operations_on_a_qualified_name_are_refused(lam):
    name = with_versions(lam, 1)
    expect_error(
        lambda: lam.create_alias(FunctionName=f"{name}:1", Name="a", FunctionVersion="1"), IPVE, 400, QUALIFIED_MESSAGE
    )


def test_mapping_on_an_alias_is_created_with_the_alias_arn(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    created = lam.create_event_source_mapping(FunctionName=f"{name}:prod", EventSourceArn=sqs_arn(), Enabled=False)
    assert created["FunctionArn"] == function_arn(name, qualifier="prod")
    wait_for_state(lam, created["UUID"], "Disabled")
    version_mapping = lam.create_event_source_mapping(FunctionName=f"{name}:1", EventSourceArn=sqs_arn(), Enabled=False)
    assert version_mapping["FunctionArn"] == function_arn(name, qualifier="1")


# --------------------------------------------------------------------------- reserved concurrency


def test_put_get_delete_function_concurrency(lam):
    name = uniq("fn-conc")
    create_function(lam, name)
    put = lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=7)
    assert status(put) == 200
    assert body(put) == {"ReservedConcurrentExecutions": 7}
    got = lam.get_function_concurrency(FunctionName=name)
    assert status(got) == 200
    assert body(got) == {"ReservedConcurrentExecutions": 7}
    assert lam.get_function(FunctionName=name)["Concurrency"] == {"ReservedConcurrentExecutions": 7}
    latest = lam.get_function(FunctionName=name, Qualifier="$LATEST")
    assert latest["Concurrency"] == {"ReservedConcurrentExecutions": 7}
    deleted = lam.delete_function_concurrency(FunctionName=name)
    assert status(deleted) == 204
    assert body(lam.get_function_concurrency(FunctionName=name)) == {}
    assert "Concurrency" not in lam.get_function(FunctionName=name)
    assert status(lam.delete_function_concurrency(FunctionName=name)) == 204


def test_reserved_concurrency_of_zero_is_accepted(lam):
    name = uniq("fn-conc-0")
    create_function(lam, name)
    assert reserve(lam, name, 0) == 0
    assert lam.get_function_concurrency(FunctionName=name)["ReservedConcurrentExecutions"] == 0


def test_reserving_past_the_unreserved_minimum_is_refused(servers):
    fresh = servers.start(in_memory=True)
    client = lambda_client(fresh.url)
    first, second = uniq("fn-conc-a"), uniq("fn-conc-b")
    create_function(client, first)
    create_function(client, second)
    expect_error(lambda: reserve(client, first, 901), IPVE, 400, LIMIT_MESSAGE)
    assert reserve(client, first, 900) == 900
    # A function's own limit is replaced, not added to.
    assert reserve(client, first, 600) == 600
    expect_error(lambda: reserve(client, second, 301), IPVE, 400, LIMIT_MESSAGE)
    assert client.get_function_concurrency(FunctionName=second).get("ReservedConcurrentExecutions") is None
    assert reserve(client, second, 300) == 300
    client.delete_function_concurrency(FunctionName=first)
    assert reserve(client, second, 900) == 900
    fresh.stop()


def test_concurrency_of_an_unknown_function_is_404(lam):
    name = uniq("no-such-fn")
    message = not_found(name, "$LATEST")
    expect_error(lambda: reserve(lam, name, 1), RNFE, 404, message)
    expect_error(lambda: reserve(lam, name, 5000), RNFE, 404, message)
    expect_error(lambda: lam.get_function_concurrency(FunctionName=name), RNFE, 404, message)
    expect_error(lambda: lam.delete_function_concurrency(FunctionName=name), RNFE, 404, message)


def test_concurrency_of_a_version_or_alias_is_refused(lam):
    name = with_versions(lam, 1)
    lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
    for ref in (f"{name}:1", function_arn(name, qualifier="prod"), f"{name}:$LATEST"):
        expect_error(lambda: reserve(lam, ref, 1), IPVE, 400, QUALIFIED_MESSAGE)


def test_negative_concurrency_is_a_validation_error(lam_nv, fn):
    expect_error(
        lambda: lam_nv.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=-1),
        VE,
        400,
        validation_message(
            "Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: "
            "Member must have value greater than or equal to 0"
        ),
    )


# --------------------------------------------------------------------------- persistence


def test_versions_aliases_and_concurrency_survive_a_restart(servers):
    first = servers.start()
    client = lambda_client(first.url)
    name = with_versions(client, 3)
    client.delete_function(FunctionName=name, Qualifier="2")
    created = client.create_alias(
        FunctionName=name, Name="live", FunctionVersion="1", RoutingConfig=routing({"3": 0.25})
    )
    client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=11)
    before = {
        "versions": client.list_versions_by_function(FunctionName=name)["Versions"],
        "aliases": client.list_aliases(FunctionName=name)["Aliases"],
        "version": body(client.get_function_configuration(FunctionName=name, Qualifier="3")),
        "alias": body(client.get_function_configuration(FunctionName=name, Qualifier="live")),
    }
    first.kill9()

    second = servers.start(data_dir=first.data_dir)
    client = lambda_client(second.url)
    assert client.list_versions_by_function(FunctionName=name)["Versions"] == before["versions"]
    assert client.list_aliases(FunctionName=name)["Aliases"] == before["aliases"]
    assert body(client.get_function_configuration(FunctionName=name, Qualifier="3")) == before["version"]
    assert body(client.get_function_configuration(FunctionName=name, Qualifier="live")) == before["alias"]
    assert client.get_alias(FunctionName=name, Name="live")["RevisionId"] == created["RevisionId"]
    assert client.get_function_concurrency(FunctionName=name)["ReservedConcurrentExecutions"] == 11
    assert client.get_function(FunctionName=name)["Concurrency"] == {"ReservedConcurrentExecutions": 11}
    # Numbers go on from the highest ever published.
    client.update_function_configuration(FunctionName=name, Timeout=44)
    assert client.publish_version(FunctionName=name)["Version"] == "4"
    second.stop()


# --------------------------------------------------------------------------- aws CLI v1


def test_cli_versions_and_aliases(url, lam):
    name = uniq("fn-cli-ver")
    create_function(lam, name, zip_bytes=code("cli"))
    published = cli_ok(url, "lambda", "publish-version", "--function-name", name, "--description", "from the cli")
    assert published["Version"] == "1"
    assert published["FunctionArn"] == function_arn(name, qualifier="1")
    assert published["Description"] == "from the cli"

    listed = cli_ok(url, "lambda", "list-versions-by-function", "--function-name", name)
    assert [v["Version"] for v in listed["Versions"]] == ["$LATEST", "1"]

    alias = cli_ok(
        url, "lambda", "create-alias", "--function-name", name, "--name", "prod", "--function-version", "1",
        "--description", "production",
    )
    assert alias["AliasArn"] == function_arn(name, qualifier="prod")
    assert cli_ok(url, "lambda", "get-alias", "--function-name", name, "--name", "prod") == alias
    got = cli_ok(url, "lambda", "get-function", "--function-name", name, "--qualifier", "prod")
    assert got["Configuration"]["Version"] == "1"

    updated = cli_ok(
        url, "lambda", "update-alias", "--function-name", name, "--name", "prod", "--description", "changed",
        "--revision-id", alias["RevisionId"],
    )
    assert updated["Description"] == "changed"
    assert [a["Name"] for a in cli_ok(url, "lambda", "list-aliases", "--function-name", name)["Aliases"]] == ["prod"]

    failure = cli_error(url, "lambda", "delete-function", "--function-name", name, "--qualifier", "1")
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(
        RCE, "DeleteFunction", "Unable to delete version because the following aliases reference it: [prod]"
    )
    assert cli_ok(url, "lambda", "delete-alias", "--function-name", name, "--name", "prod") is None
    failure = cli_error(url, "lambda", "get-alias", "--function-name", name, "--name", "prod")
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(RNFE, "GetAlias", alias_not_found(name, "prod"))
    assert cli_ok(url, "lambda", "delete-function", "--function-name", name, "--qualifier", "1") == {"StatusCode": 204}


def test_cli_function_concurrency(url, lam):
    name = uniq("fn-cli-conc")
    create_function(lam, name)
    reserved = {"ReservedConcurrentExecutions": 3}
    put = cli_ok(
        url, "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "3"
    )
    assert put == reserved
    assert cli_ok(url, "lambda", "get-function-concurrency", "--function-name", name) == reserved
    assert cli_ok(url, "lambda", "get-function", "--function-name", name)["Concurrency"] == reserved
    assert cli_ok(url, "lambda", "delete-function-concurrency", "--function-name", name) is None
    assert cli_ok(url, "lambda", "get-function-concurrency", "--function-name", name) in (None, {})
    failure = cli_error(
        url, "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "950"
    )
    assert failure.returncode == 255
    assert failure.stderr.strip() == cli_error_text(IPVE, "PutFunctionConcurrency", LIMIT_MESSAGE)
