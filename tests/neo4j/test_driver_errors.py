"""graphmodel/neo4j/errors.py: the one place where the driver's exceptions become graphmodel's.

The messages a user reads when a connection fails are checked against real servers in
tests/cli/test_credentials.py and tests/devserver/test_tls.py; here, that no other module
handles a driver exception, and how :func:`translate` words a connection that fails
before any server answers (the URI, the port).
"""

from __future__ import annotations

import pytest
from neo4j.exceptions import AuthError, ConfigurationError

from graphmodel.errors import ConnectionFailed
from graphmodel.neo4j.connection import connect
from graphmodel.neo4j.errors import Connecting, translate

from imports import imports_of, within
from paths import REPO

HOME = REPO / "graphmodel" / "neo4j" / "errors.py"


def test_no_other_module_handles_a_driver_exception():
    sources = sorted((REPO / "graphmodel").rglob("*.py"))
    assert HOME in sources
    for path in sources:
        if path != HOME:
            assert within(imports_of(path), "neo4j.exceptions") == set(), path
            assert "neo4j.exceptions" not in path.read_text("utf-8"), path


@pytest.mark.parametrize("exc, opened, message", [
    (ValueError("invalid port 'x'"), False, "bad Neo4j URI 'bolt://127.0.0.1:x': invalid port 'x'"),
    (ValueError("invalid port 'x'"), True, "bad Neo4j URI 'bolt://127.0.0.1:x': invalid port 'x'"),
    (AuthError("unauthorized"), True,
     "Neo4j at bolt://127.0.0.1:x wants a password: set NEO4J_PASSWORD (and NEO4J_USER if not 'neo4j')"),
])
def test_a_connection_that_fails(exc, opened, message):
    to = Connecting("bolt://127.0.0.1:x", "neo4j", False, None, opened=opened)
    found = translate(exc, "connecting", connecting=to)
    assert (type(found), str(found)) == (ConnectionFailed, message)


def test_a_configuration_error_is_a_bad_uri_only_while_the_driver_is_built():
    to = Connecting("bolt://127.0.0.1:1", "neo4j", True, None)
    assert str(translate(ConfigurationError("x"), "connecting", connecting=to)).startswith(
        "bad Neo4j URI 'bolt://127.0.0.1:1': ")
    opened = translate(ConfigurationError("x"), "connecting", connecting=Connecting(
        "bolt://127.0.0.1:1", "neo4j", True, None, opened=True))  # nothing listens on port 1
    assert str(opened) == "cannot reach Neo4j at bolt://127.0.0.1:1 (is the server running?)"


def test_anything_else_while_the_driver_is_built_is_a_bug_and_shows():
    with pytest.raises(TypeError, match="^a bug$"):
        translate(TypeError("a bug"), "connecting", connecting=Connecting("bolt://h", "neo4j", False, None))


def test_a_server_that_wants_a_password(neo4j_server):
    with pytest.raises(ConnectionFailed) as info:
        connect(neo4j_server.uri)  # no password: no authentication sent
    assert str(info.value) == (f"Neo4j at {neo4j_server.uri} wants a password: set NEO4J_PASSWORD "
                               "(and NEO4J_USER if not 'neo4j')")
