"""scripts/neo4j-dev start --gds: the Graph Data Science plugin on the dev server."""

from __future__ import annotations

import networkx as nx
import neo4j
import pytest

pytestmark = pytest.mark.neo4j

#: A square a-b-d-c-a with a tail d-e, undirected.
EDGES = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]
#: Betweenness by hand (unordered pairs, a pair's share split over its shortest paths):
#: (a,d) goes a-b-d or a-c-d: b and c get 1/2 each; (a,e) likewise, and d gets 1;
#: (b,c) goes b-a-c or b-d-c: a and d get 1/2 each; (b,e) and (c,e) pass d: 1 each.
BY_HAND = {"a": 0.5, "b": 1.0, "c": 1.0, "d": 3.5, "e": 0.0}


@pytest.fixture(scope="module")
def gds(neo4j_gds_server):
    driver = neo4j.GraphDatabase.driver(neo4j_gds_server.uri, auth=("neo4j", neo4j_gds_server.password),
                                        notifications_min_severity="OFF")
    yield driver
    driver.close()


def test_gds_version(gds):
    assert gds.execute_query("CALL gds.version()").records[0]["gdsVersion"] == "2.13.9"


def test_betweenness_on_a_five_node_graph(gds):
    gds.execute_query("MATCH (n:GdsTest) DETACH DELETE n")
    gds.execute_query("UNWIND $edges AS e MERGE (a:GdsTest {id: e[0]}) MERGE (b:GdsTest {id: e[1]}) "
                      "CREATE (a)-[:LINK]->(b)", edges=EDGES)
    gds.execute_query("CALL gds.graph.project('five', 'GdsTest', {LINK: {orientation: 'UNDIRECTED'}})")
    try:
        records = gds.execute_query(
            "CALL gds.betweenness.stream('five') YIELD nodeId, score "
            "RETURN gds.util.asNode(nodeId).id AS id, score").records
    finally:
        gds.execute_query("CALL gds.graph.drop('five') YIELD graphName RETURN graphName")
    scores = {r["id"]: r["score"] for r in records}
    assert scores == pytest.approx(BY_HAND)
    # The same by an independent implementation.
    assert scores == pytest.approx(nx.betweenness_centrality(nx.Graph(EDGES), normalized=False))


def test_the_plain_test_server_has_no_gds(neo4j_driver):
    """GDS is opt-in: the server scripts/test starts for the suite does not load it."""
    names = neo4j_driver.execute_query("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' "
                                       "RETURN count(*) AS n").records
    assert names[0]["n"] == 0
