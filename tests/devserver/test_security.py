"""What every profile of the dev server refuses on its own, whatever client asks (issue 15, item 1).

graphmodel's read-only fence (graphmodel/neo4j/runner.py) protects ``graphmodel query``; these
tests talk to the servers directly with the driver, in write transactions, so they show the
server's own settings (tools/neo4j/README.md): ``LOAD CSV`` reads no file and no URL, and the
Graph Data Science profile loads only the GDS procedures and functions graphmodel uses.
"""

from __future__ import annotations

import re

import neo4j
import pytest

from graphmodel.queries import load_library

from listener import Listener

pytestmark = pytest.mark.neo4j

#: The GDS procedures and functions outside the library's queries that the tests call themselves.
TESTS_USE = {"gds.version"}


def driver_of(server) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password),
                                      notifications_min_severity="OFF")


@pytest.fixture(params=["neo4j_server", "neo4j_gds_server", "neo4j_tls_server"])
def any_server(request):
    """Each profile: plain, with GDS, with TLS."""
    with driver_of(request.getfixturevalue(request.param)) as driver:
        yield driver


def test_load_csv_fetches_no_url(any_server):
    listener = Listener()
    try:
        with pytest.raises(neo4j.exceptions.ClientError) as info:
            any_server.execute_query(f"LOAD CSV FROM 'http://127.0.0.1:{listener.port}/x.csv' AS row "
                                     "RETURN row")
    finally:
        requests = listener.close()
    assert requests == 0
    assert "blocked" in info.value.message


def test_load_csv_reads_no_file(any_server):
    with pytest.raises(neo4j.exceptions.ClientError) as info:
        any_server.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
    assert info.value.message.startswith("Cannot load from URL 'file:///etc/passwd': configuration property "
                                         "'dbms.security.allow_csv_import_from_file_urls' is false")


def test_the_gds_profile_loads_only_what_graphmodel_uses(neo4j_gds_server):
    """Every gds.* name the library's queries call, plus the tests' own, and nothing else: no
    gds.graph.project.cypher (it runs Cypher strings), gds.graph.export (it makes databases),
    no mutate, write or catalog listing."""
    used = {name for q in load_library().values()
            for name in re.findall(r"\b(gds(?:\.\w+)+)\s*\(", q.text)} | TESTS_USE
    assert used >= {"gds.graph.project", "gds.betweenness.stream", "gds.graph.drop", "gds.util.asNode"}
    with driver_of(neo4j_gds_server) as driver:
        loaded = {r["name"] for r in driver.execute_query(
            "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' RETURN name").records}
        loaded |= {r["name"] for r in driver.execute_query(
            "SHOW FUNCTIONS YIELD name WHERE name STARTS WITH 'gds.' RETURN name").records}
    assert loaded == used
