"""``graphmodel query`` refuses every form of write, each its own test (issue 12, section 3).

Each query is an analyst's ``.cypher`` file run with the CLI against the seed
on the real server. The refusal is the exact ``Error:`` line with exit 2,
and the database is the same afterwards: every node and relationship with
its labels and properties, the label, type and property-key tokens, the
indexes, constraints, users and databases (:func:`state`).

Two fences (graphmodel/neo4j/runner.py): the query is planned first
(``EXPLAIN``, nothing runs) and refused when the plan writes or uses
something a read transaction would still allow; then it runs in a read
transaction, where the server refuses any write itself
(:func:`test_the_server_refuses_writes_in_a_read_transaction` shows that
second fence alone).
"""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.errors import QueryError
from graphmodel.model import REL_ENDS, NodeLabel, RelType
from graphmodel.neo4j.runner import check_read_only, run
from graphmodel.queries import load_internal, load_library, load_user_file

from graph_writer import write_payload
from listener import Listener
from paths import SEED

pytestmark = pytest.mark.neo4j

WRITE = "the query tried to write; graphmodel query is read-only"
ADMIN = ("the query is an administration command (users, roles, privileges, databases, transactions); "
         "graphmodel query only reads the graph")
LOAD_CSV = ("the query uses LOAD CSV, which reads files or URLs from the server; graphmodel query only "
            "reads the graph (graphmodel load brings data in)")
IN_TRANSACTIONS = ("the query uses CALL { ... } IN TRANSACTIONS, which commits transactions of its own; "
                   "graphmodel query runs one read transaction")
PLAN = "the query starts with EXPLAIN or PROFILE; graphmodel query prints rows, not plans: remove it"
SHOWS = ("the query lists the server's transactions or settings (other sessions' queries and parameters, "
         "the server's configuration); graphmodel query only reads the graph")


def procedure(name: str, mode: str, admin: bool = False) -> str:
    kind = f"mode {mode}" + (", for administrators" if admin else "")
    return (f"the query calls procedure {name!r} ({kind}); graphmodel query calls only read procedures "
            "open to every user")


def community(cypher: str) -> str:
    """The server's own refusal of an administration command Community Edition lacks."""
    return f"query 'mine' failed: Unsupported administration command: {cypher}"


def state(driver) -> dict[str, list]:
    """Everything a write could change: the graph itself, its tokens, its schema, users and databases."""
    def rows(text: str, database: str | None = None) -> list:
        return sorted(repr(r.values()) for r in driver.execute_query(text, database_=database).records)

    return {
        "nodes": rows("MATCH (n) RETURN elementId(n), labels(n), properties(n)"),
        "relationships": rows("MATCH ()-[r]->() RETURN elementId(r), type(r), properties(r)"),
        "labels": rows("CALL db.labels()"),
        "types": rows("CALL db.relationshipTypes()"),
        "keys": rows("CALL db.propertyKeys()"),
        "indexes": rows("SHOW INDEXES YIELD name, type, labelsOrTypes, properties"),
        "constraints": rows("SHOW CONSTRAINTS YIELD name"),
        "users": rows("SHOW USERS YIELD user, suspended, passwordChangeRequired", "system"),
        "databases": rows("SHOW DATABASES YIELD name, currentStatus", "system"),
    }


@pytest.fixture
def seed_graph(empty_neo4j, neo4j_driver):
    """The seed in the empty test server; NEO4J_* point at it."""
    write_payload(neo4j_driver, read_dataset(SEED).to_graph())


def query_file(tmp_path: Path, cypher: str) -> tuple[Path, object]:
    path = tmp_path / "mine.cypher"
    path.write_text(cypher + "\n", "utf-8")
    return path, CliRunner().invoke(main, ["query", str(path)])


#: (test id, the query, why it is refused). Procedures' modes as SHOW PROCEDURES gives them on 5.26.
REFUSED = [
    ("create", "CREATE (n:Agency {id: 'intruder', name: 'x', kind: 'provincial'}) RETURN n", WRITE),
    ("merge", "MERGE (n:Agency {id: 'intruder'}) RETURN n", WRITE),
    ("set", "MATCH (a:Agency {id: 'codi'}) SET a.name = 'changed' RETURN a", WRITE),
    ("delete", "MATCH (t:Tambon) WHERE NOT (t)--() DELETE t", WRITE),
    ("detach-delete", "MATCH (n) DETACH DELETE n", WRITE),
    ("remove", "MATCH (a:Agency) REMOVE a.name RETURN count(a) AS n", WRITE),
    ("remove-label", "MATCH (a:Agency) REMOVE a:Agency RETURN count(a) AS n", WRITE),
    ("foreach", "MATCH (a:Agency) FOREACH (x IN [1] | SET a.x = x)", WRITE),
    ("write-in-subquery", "CALL { CREATE (n:Intruder) RETURN n } RETURN count(n) AS n", WRITE),
    ("in-transactions", "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS", IN_TRANSACTIONS),
    ("in-transactions-read-only", "UNWIND range(1, 3) AS x CALL (x) { RETURN x * 2 AS y } "
                                  "IN TRANSACTIONS OF 1 ROWS RETURN y", IN_TRANSACTIONS),
    ("load-csv-file", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", LOAD_CSV),
    ("create-index", "CREATE INDEX intruder IF NOT EXISTS FOR (n:Agency) ON (n.kind)", WRITE),
    ("drop-index", "DROP INDEX agency_id IF EXISTS", WRITE),
    ("drop-constraint", "DROP CONSTRAINT agency_id IF EXISTS", WRITE),
    ("create-user", "CREATE USER intruder SET PASSWORD 'intruder-password'", ADMIN),
    ("alter-user", "ALTER USER neo4j SET PASSWORD 'intruder-password'", ADMIN),
    ("alter-current-user", "ALTER CURRENT USER SET PASSWORD FROM 'a-password' TO 'b-password'", ADMIN),
    ("drop-user", "DROP USER neo4j IF EXISTS", ADMIN),
    # Community Edition has no roles or other databases: the server refuses to plan these.
    ("grant", "GRANT ROLE admin TO neo4j", community("GRANT ROLE admin TO neo4j")),
    ("create-database", "CREATE DATABASE intruder", community("CREATE DATABASE intruder")),
    ("stop-database", "STOP DATABASE neo4j", community("STOP DATABASE neo4j")),
    ("show-users", "SHOW USERS", ADMIN),
    ("terminate-transactions", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", ADMIN),
    ("show-current-user", "SHOW CURRENT USER", ADMIN),
    ("show-databases", "SHOW DATABASES", ADMIN),
    ("show-transactions", "SHOW TRANSACTIONS", SHOWS),
    ("show-transactions-yield", "SHOW TRANSACTIONS YIELD currentQuery, parameters, clientAddress "
                                "RETURN currentQuery, parameters, clientAddress", SHOWS),
    ("show-settings", "SHOW SETTINGS", SHOWS),
    ("show-settings-filtered", "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'dbms.security' "
                               "RETURN name, value", SHOWS),
    ("db.createLabel", "CALL db.createLabel('Intruder')", procedure("db.createLabel", "WRITE")),
    ("db.createProperty", "CALL db.createProperty('intruder')", procedure("db.createProperty", "WRITE")),
    ("db.createRelationshipType", "CALL db.createRelationshipType('INTRUDES')",
     procedure("db.createRelationshipType", "WRITE")),
    ("db.create.setNodeVectorProperty", "MATCH (a:Agency) CALL db.create.setNodeVectorProperty(a, 'v', [1.0])",
     procedure("db.create.setNodeVectorProperty", "WRITE")),
    ("db.index.vector.createNodeIndex", "CALL db.index.vector.createNodeIndex('v', 'Agency', 'v', 1, 'cosine')",
     procedure("db.index.vector.createNodeIndex", "SCHEMA")),
    ("dbms.upgrade", "CALL dbms.upgrade()", procedure("dbms.upgrade", "WRITE", admin=True)),
    ("db.clearQueryCaches", "CALL db.clearQueryCaches()", procedure("db.clearQueryCaches", "DBMS", admin=True)),
    ("dbms.killConnections", "CALL dbms.killConnections(['bolt-1'])", procedure("dbms.killConnections", "DBMS")),
    ("tx.setMetaData", "CALL tx.setMetaData({app: 'intruder'})", procedure("tx.setMetaData", "DBMS")),
    ("db.stats.clear", "CALL db.stats.clear('QUERIES')", procedure("db.stats.clear", "READ", admin=True)),
    ("dbms.listConfig", "CALL dbms.listConfig()", procedure("dbms.listConfig", "DBMS", admin=True)),
    ("yielded-write-procedure", "MATCH (a:Agency) WITH a LIMIT 1 CALL db.createLabel(a.id) RETURN a.id",
     procedure("db.createLabel", "WRITE")),
    ("profile", "PROFILE MATCH (n) SET n.x = 1", PLAN),
]


@pytest.mark.parametrize("cypher, why", [pytest.param(c, w, id=i) for i, c, w in REFUSED])
def test_refused_and_nothing_changes(seed_graph, neo4j_driver, tmp_path, cypher, why):
    before = state(neo4j_driver)
    path, result = query_file(tmp_path, cypher)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}:1: {why}\n"
    assert state(neo4j_driver) == before


def test_load_csv_from_a_url_makes_no_request(seed_graph, neo4j_driver, tmp_path):
    listener = Listener()
    try:
        path, result = query_file(tmp_path, f"LOAD CSV FROM 'http://127.0.0.1:{listener.port}/x.csv' AS row "
                                            "RETURN row")
    finally:
        requests = listener.close()
    assert (result.exit_code, result.stderr) == (2, f"Error: {path}:1: {LOAD_CSV}\n")
    assert requests == 0


def test_another_sessions_open_transaction_is_not_shown(seed_graph, neo4j_driver, tmp_path):
    """SHOW TRANSACTIONS would print another session's query text, parameters (an API token) and
    client address."""
    with neo4j_driver.session() as other:
        tx = other.begin_transaction()
        tx.run("MATCH (a:Agency {id: $agency}) RETURN a.id, $api_token AS t", agency="codi",
               api_token="tok-5f8e1c-secret").consume()
        try:
            path, result = query_file(tmp_path, "SHOW TRANSACTIONS YIELD currentQuery, parameters "
                                                "RETURN currentQuery, parameters")
        finally:
            tx.rollback()
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {path}:1: {SHOWS}\n"


@pytest.mark.parametrize("name", ["dbms.setConfigValue", "db.index.fulltext.createNodeIndex"])
def test_procedures_that_5_26_does_not_have(seed_graph, neo4j_driver, tmp_path, name):
    """Named in the issue; gone from Neo4j 5.26 Community: the server says so, nothing runs."""
    before = state(neo4j_driver)
    path, result = query_file(tmp_path, f"CALL {name}('a', 'b', 'c')")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:1:")
    assert f"query 'mine' failed: There is no procedure with the name `{name}` registered" in result.stderr
    assert state(neo4j_driver) == before


def test_use_system_is_refused_by_the_server(seed_graph, neo4j_driver, tmp_path):
    path, result = query_file(tmp_path, "USE system CREATE USER intruder SET PASSWORD 'intruder-password'")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:1:")
    assert "The `USE` clause is not required for Administration Commands" in result.stderr


@pytest.mark.parametrize("cypher, rows", [
    ("MATCH (a:Agency {id: $agency}) RETURN a.id AS id", [{"id": "codi"}]),
    ("CALL db.labels() YIELD label WHERE label = 'Agency' RETURN label", [{"label": "Agency"}]),
    ("SHOW INDEXES YIELD type WHERE type = 'LOOKUP' RETURN count(*) AS n", [{"n": 2}]),
    ("EXPLAIN MATCH (n) RETURN n", []),  # a plan only: nothing runs, no rows
    ("CYPHER runtime=slotted MATCH (p:Program {id: 'codi_life_plan'}) RETURN p.start_year AS y", [{"y": 2006}]),
])
def test_reads_still_run(seed_graph, neo4j_driver, tmp_path, cypher, rows):
    (tmp_path / "mine.cypher").write_text(cypher + "\n", "utf-8")
    q = load_user_file(tmp_path / "mine.cypher")
    params = {"agency": "codi"} if "$agency" in cypher else {}
    assert run(neo4j_driver, q, params).rows == rows


def test_the_server_refuses_writes_in_a_read_transaction(seed_graph, neo4j_driver):
    """The second fence alone: a write in a read transaction, the plan check not asked."""
    before = state(neo4j_driver)
    with pytest.raises(neo4j.exceptions.ClientError) as info:
        neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", routing_=neo4j.RoutingControl.READ)
    assert info.value.code == "Neo.ClientError.Statement.AccessMode"
    assert state(neo4j_driver) == before


def test_every_library_query_passes_the_check(seed_graph, neo4j_driver):
    """The library's own queries skip the plan check on every run: this test is why they may."""
    library = load_library()
    assert library
    for q in library.values():
        if q.name != "broker_betweenness_gds":  # its procedure exists only with GDS: below
            check_read_only(neo4j_driver, q, {p: None for p in q.params})


def test_every_internal_query_passes_the_check(seed_graph, neo4j_driver):
    """graphmodel's own queries (cypher/internal/) only read, whatever labels of the model fill them."""
    fillings = {(): [{}], ("label",): [{"label": label} for label in NodeLabel],
                ("start", "type"): [{"start": start, "type": rtype} for rtype in RelType
                                    for start in REL_ENDS[rtype][0]]}
    internal = load_internal()
    assert internal
    for q in internal.values():
        for labels in fillings[q.labels]:
            check_read_only(neo4j_driver, q.with_labels(**labels) if labels else q, {p: None for p in q.params})


def test_the_gds_query_is_refused_by_the_check_and_plans_as_a_read(neo4j_gds_server):
    """The library's GDS query runs as the library's own only (it skips the check): as an analyst's
    file it would be refused for calling GDS; otherwise its plan only reads."""
    q = load_library()["broker_betweenness_gds"]
    with neo4j.GraphDatabase.driver(neo4j_gds_server.uri,
                                    auth=(neo4j_gds_server.user, neo4j_gds_server.password)) as driver:
        with pytest.raises(QueryError, match=f"^{q.location}: the query calls procedure "
                                             "'gds.betweenness.stream' of a plugin, not of Neo4j"):
            check_read_only(driver, q, {p: None for p in q.params})
        plan = driver.execute_query("EXPLAIN " + q.text, {p: None for p in q.params},
                                    routing_=neo4j.RoutingControl.READ).summary
    assert plan.query_type == "r"


def test_check_errors_cite_the_query_line(seed_graph, neo4j_driver, tmp_path):
    path = tmp_path / "typo.cypher"
    path.write_text("// two comment lines\n// then a typo\nMATCH (n)\nRETRUN n\n", "utf-8")
    with pytest.raises(QueryError) as info:
        check_read_only(neo4j_driver, load_user_file(path))
    assert str(info.value).startswith(f"{path}:4:1: query 'typo' failed: Invalid input 'RETRUN'")


# --- a server with the Graph Data Science plugin (issue 15, item 1) ---------------------------------
#
# GDS marks its procedures READ, also those that change its shared in-memory graph catalog
# (gds.graph.project, gds.graph.drop, gds.*.mutate), create databases (gds.graph.export) or run
# Cypher strings the plan check never sees (gds.graph.project.cypher, whose LOAD CSV fetched URLs).
# graphmodel query calls no procedure or function of a plugin (docs/cypher.md, "Read-only"); the
# dev server loads only the GDS procedures the project uses (tools/neo4j/README.md).

def plugin(kind: str, name: str) -> str:
    return (f"the query calls {kind} {name!r} of a plugin, not of Neo4j; graphmodel query calls only "
            "Neo4j's own procedures and functions")


def not_loaded(name: str) -> str:
    """The server's own refusal of a GDS procedure its profile does not load."""
    return (f"query 'mine' failed: There is no procedure with the name `{name}` registered for this database "
            "instance. Please ensure you've spelled the procedure name correctly and that the procedure is "
            "properly deployed")


@pytest.fixture(scope="module")
def gds_driver(neo4j_gds_server):
    driver = neo4j.GraphDatabase.driver(neo4j_gds_server.uri, auth=(neo4j_gds_server.user,
                                                                    neo4j_gds_server.password),
                                        notifications_min_severity="OFF")
    driver.execute_query("MATCH (n) DETACH DELETE n")
    write_payload(driver, read_dataset(SEED).to_graph())
    yield driver
    driver.close()


@pytest.fixture
def gds_seed(gds_driver, neo4j_gds_server, monkeypatch):
    """The seed on the GDS server, NEO4J_* pointing at it, and another analyst's projected graph
    'theirs' in the shared catalog (dropped afterwards: the drop fails if it is gone)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_gds_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_gds_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_gds_server.password)
    gds_driver.execute_query("CALL gds.graph.project('theirs', 'Agency', '*')")
    yield gds_driver
    gds_driver.execute_query("CALL gds.graph.drop('theirs')")


def catalog_has(driver, name: str) -> bool:
    """Whether the GDS catalog holds ``name`` (asked by dropping it without failing, then restoring
    'theirs'; gds.graph.list is not among the procedures the dev server loads)."""
    dropped = driver.execute_query("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName",
                                   name=name).records
    if dropped and name == "theirs":
        driver.execute_query("CALL gds.graph.project('theirs', 'Agency', '*')")
    return bool(dropped)


GDS_REFUSED = [
    ("gds.graph.project", "CALL gds.graph.project('mine', 'Agency', '*') YIELD graphName RETURN graphName",
     plugin("procedure", "gds.graph.project")),
    ("gds.graph.project-function", "MATCH (a:Agency)-->(b) WITH gds.graph.project('mine', a, b) AS g "
                                   "RETURN g.graphName", plugin("function", "gds.graph.project")),
    ("gds.graph.drop", "CALL gds.graph.drop('theirs') YIELD graphName RETURN graphName",
     plugin("procedure", "gds.graph.drop")),
    ("gds.betweenness.stream", "CALL gds.betweenness.stream('theirs') YIELD nodeId, score RETURN nodeId, score",
     plugin("procedure", "gds.betweenness.stream")),
    ("gds.util.asNode", "MATCH (a:Agency) RETURN gds.util.asNode(id(a)).id AS id",
     plugin("function", "gds.util.asNode")),
    ("function-in-a-filter", "MATCH (a:Agency) WHERE a.id = gds.version() RETURN a.id",
     plugin("function", "gds.version")),
    ("function-in-backticks", "RETURN `gds`.`version`() AS v", plugin("function", "gds.version")),
    ("function-in-a-subquery", "MATCH (a:Agency) RETURN COLLECT { RETURN gds.version() AS v } AS v",
     plugin("function", "gds.version")),
    # Not loaded by the dev server's profile: the server refuses to plan them.
    ("gds.graph.export", "CALL gds.graph.export('theirs', {dbName: 'exported'}) YIELD dbName RETURN dbName",
     not_loaded("gds.graph.export")),
    ("gds.degree.mutate", "CALL gds.degree.mutate('theirs', {mutateProperty: 'd'}) YIELD nodePropertiesWritten "
                          "RETURN nodePropertiesWritten", not_loaded("gds.degree.mutate")),
    ("gds.graph.list", "CALL gds.graph.list() YIELD graphName RETURN graphName", not_loaded("gds.graph.list")),
]


@pytest.mark.parametrize("cypher, why", [pytest.param(c, w, id=i) for i, c, w in GDS_REFUSED])
def test_gds_refused_and_nothing_changes(gds_seed, tmp_path, cypher, why):
    before = state(gds_seed)
    path, result = query_file(tmp_path, cypher)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {path}:1: {why}\n"
    assert state(gds_seed) == before  # no database exported, nothing written
    assert catalog_has(gds_seed, "theirs") and not catalog_has(gds_seed, "mine")


def test_gds_cypher_projection_with_load_csv_makes_no_request(gds_seed, tmp_path):
    """LOAD CSV inside a Cypher projection's string: the plan shows no LoadCSV, so only the
    server can refuse it (the procedure is not loaded; URLs are blocked anyway)."""
    listener = Listener()
    try:
        path, result = query_file(
            tmp_path, "CALL gds.graph.project.cypher('mine', "
                      f"'LOAD CSV FROM \"http://127.0.0.1:{listener.port}/x.csv\" AS r RETURN 1 AS id', "
                      "'RETURN 1 AS source, 1 AS target LIMIT 0') YIELD graphName RETURN graphName")
    finally:
        requests = listener.close()
    assert (result.exit_code, result.stderr) == (2, f"Error: {path}:1: {not_loaded('gds.graph.project.cypher')}\n")
    assert requests == 0
    assert not catalog_has(gds_seed, "mine")


def test_the_gds_library_query_runs_and_leaves_the_catalog_as_it_was(gds_seed):
    """The project's own use of GDS: a library query, not checked by the fence, projects a graph of
    its own and drops it."""
    result = CliRunner().invoke(main, ["query", "broker_betweenness_gds", "--param", "tambon=801208",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[")
    assert catalog_has(gds_seed, "theirs")
    left = gds_seed.execute_query("CALL gds.graph.drop('graphmodel-brokers-801208', false) YIELD graphName "
                                  "RETURN graphName").records
    assert left == []
