"""Shared fixtures: paths, the real Neo4j test servers, Chromium.

The Neo4j fixtures never touch a user's database: they use
``GRAPHMODEL_TEST_NEO4J_URI`` / ``GRAPHMODEL_TEST_NEO4J_PASSWORD`` when set
(scripts/test and .ci/run set them after starting the project's own
server), and otherwise start a throwaway server under ``.neo4j-dev/pytest``
with ``scripts/neo4j-dev``. ``neo4j_tls_server`` is a server of its own that
speaks Bolt over TLS only (``bolt+ssc://``), ``neo4j_gds_server`` one with the
Graph Data Science plugin. If no server can be had
the tests fail; they never skip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from paths import REPO, SEED, SEED_COORDINATED  # noqa: F401 - re-exported for fixtures
from synth_fixtures import synth_dir, synth_rule  # noqa: F401 - a generated province, for any test
from hostile import write_hostile


#: Fixtures that start (or need) a Neo4j server or Chromium; a test using one carries the marker,
#: so ``scripts/test --quick`` (``-m "not neo4j and not browser"``) never starts either.
_NEEDS = {"neo4j": {"neo4j_server", "neo4j_driver", "empty_neo4j", "neo4j_tls_server", "neo4j_gds_server"},
          "browser": {"browser", "open_view", "open_report"}}


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in _NEEDS.items():
            if used & fixtures and item.get_closest_marker(marker) is None:  # not keywords: tests/neo4j/ is one
                item.add_marker(marker)


@pytest.fixture(scope="session")
def hostile_dataset(tmp_path_factory) -> Path:
    """The folder of tests/hostile.py: every text field a script, Cypher or look-alike payload.
    Add every new output (report, export, page) to the tests that use it."""
    return write_hostile(tmp_path_factory.mktemp("hostile") / "hostile")


@dataclass(frozen=True)
class ServerInfo:
    uri: str
    user: str
    password: str
    #: The scripts/neo4j-dev home of a server the fixtures started (None for one given by the environment).
    home: Path | None = None


@pytest.fixture(scope="session")
def neo4j_server() -> ServerInfo:
    """A real Neo4j server on 127.0.0.1, started by the project's own script if needed."""
    uri = os.environ.get("GRAPHMODEL_TEST_NEO4J_URI")
    if uri:
        yield ServerInfo(uri, os.environ.get("GRAPHMODEL_TEST_NEO4J_USER", "neo4j"),
                         os.environ["GRAPHMODEL_TEST_NEO4J_PASSWORD"])
        return
    from neo4j_server import stop_server

    home = REPO / ".neo4j-dev" / "pytest"
    try:
        yield _own_server(home)
    finally:
        stop_server(home)


def _own_server(home: Path, **options) -> ServerInfo:
    from neo4j_server import start_server

    try:
        uri, password = start_server(home, **options)
    except Exception as exc:  # noqa: BLE001 - turn any start failure into a failed test
        pytest.fail(f"could not start the Neo4j test server in {home}: {exc}")
    return ServerInfo(uri, "neo4j", password, home)


@pytest.fixture(scope="session")
def neo4j_tls_server(tmp_path_factory) -> ServerInfo:
    """A real Neo4j server of its own that requires TLS on Bolt (self-signed certificate
    in ``<home>/certificates/bolt``); its URI is ``bolt+ssc://127.0.0.1:N``."""
    from neo4j_server import stop_server

    home = tmp_path_factory.mktemp("neo4j-tls")
    try:
        yield _own_server(home, tls=True)
    finally:
        stop_server(home)


@pytest.fixture(scope="session")
def neo4j_gds_server(tmp_path_factory) -> ServerInfo:
    """A real Neo4j server of its own with the Graph Data Science plugin (``gds.*``)."""
    from neo4j_server import stop_server

    home = tmp_path_factory.mktemp("neo4j-gds")
    try:
        yield _own_server(home, gds=True)
    finally:
        stop_server(home)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server):
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    driver.verify_connectivity()
    yield driver
    driver.close()


@pytest.fixture
def empty_neo4j(neo4j_driver, neo4j_server, monkeypatch) -> ServerInfo:
    """The test server with an empty graph, and NEO4J_* set for CLI calls."""
    with neo4j_driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    return neo4j_server
