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

import socket
import threading
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.errors import QueryError
from graphmodel.neo4j.library import load_library, load_user_file
from graphmodel.neo4j.runner import check_read_only, run

from graph_writer import write_payload
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


class _Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (and closes each at once,
    so a request sent to it fails fast instead of waiting for an answer)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # shut down by close()
                return
            self.accepted += 1  # counted before the client can see the connection close
            conn.close()

    def close(self) -> int:
        """Stop listening; the number of connections made."""
        self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join()
        self.sock.close()
        return self.accepted


def test_load_csv_from_a_url_makes_no_request(seed_graph, neo4j_driver, tmp_path):
    listener = _Listener()
    try:
        path, result = query_file(tmp_path, f"LOAD CSV FROM 'http://127.0.0.1:{listener.port}/x.csv' AS row "
                                            "RETURN row")
    finally:
        requests = listener.close()
    assert (result.exit_code, result.stderr) == (2, f"Error: {path}:1: {LOAD_CSV}\n")
    assert requests == 0


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


def test_the_gds_query_passes_the_check(neo4j_gds_server):
    """The GDS betweenness query plans on a server with the library (and reads only)."""
    import neo4j

    q = load_library()["broker_betweenness_gds"]
    with neo4j.GraphDatabase.driver(neo4j_gds_server.uri,
                                    auth=(neo4j_gds_server.user, neo4j_gds_server.password)) as driver:
        check_read_only(driver, q, {p: None for p in q.params})


def test_check_errors_cite_the_query_line(seed_graph, neo4j_driver, tmp_path):
    path = tmp_path / "typo.cypher"
    path.write_text("// two comment lines\n// then a typo\nMATCH (n)\nRETRUN n\n", "utf-8")
    with pytest.raises(QueryError) as info:
        check_read_only(neo4j_driver, load_user_file(path))
    assert str(info.value).startswith(f"{path}:4:1: query 'typo' failed: Invalid input 'RETRUN'")
