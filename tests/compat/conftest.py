"""Fixtures for the Sluice compatibility suite: real `sluice` processes, boto3 clients, a function.

Each test module gets its own default server (fresh data directory, `--transition-delay 0.05`)
and a `servers` pool for servers with other flags; every process is stopped by PID at the
end of the module, and anything left over is killed at the end of the session.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compat_support import (  # noqa: E402
    ServerPool,
    aws_client,
    create_function,
    kinesis_arn,
    lambda_client,
    stop_leftovers,
    uniq,
)
from kinesis_esm_support import Mappings, new_stream  # noqa: E402
from sqs_esm_support import Mappings as SQSMappings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _kill_leftover_servers():
    yield
    stop_leftovers()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Start extra servers: `servers.start("--credentials", "A:B", transition_delay=3)`."""
    pool = ServerPool(tmp_path_factory.mktemp("sluice"))
    yield pool
    pool.stop_all()


@pytest.fixture(scope="module")
def server(servers):
    """The module's default server: persistent data dir in a tmp dir, short transitions."""
    return servers.start(transition_delay=0.05)


@pytest.fixture(scope="module")
def url(server):
    return server.url


@pytest.fixture(scope="module")
def lam(url):
    return lambda_client(url)


@pytest.fixture(scope="module")
def lam_nv(url):
    """No client-side parameter validation: lets out-of-range values reach the server."""
    return lambda_client(url, validate=False)


@pytest.fixture(scope="module")
def fn(lam):
    """A function that exists on the module's default server."""
    name = uniq("esm-target")
    create_function(lam, name)
    return name


@pytest.fixture(scope="module")
def kin(url):
    """A Kinesis client of the module's default server."""
    return aws_client("kinesis", url)


@pytest.fixture
def esm(lam):
    """Creates mappings and deletes what a test left."""
    mappings = Mappings(lam)
    yield mappings
    mappings.cleanup()


@pytest.fixture
def stream(url):
    """A new ACTIVE stream of the module's default server: (arn, name)."""
    return new_stream(url, kinesis_arn)


@pytest.fixture(scope="module")
def sqs(url):
    """An SQS client of the module's default server."""
    return aws_client("sqs", url)


@pytest.fixture
def sesm(lam):
    """Creates SQS mappings and deletes what a test left."""
    mappings = SQSMappings(lam)
    yield mappings
    mappings.cleanup()
