"""graphmodel/neo4j/load and ``graphmodel load``, against the real server.

Every test starts from an empty graph (``empty_neo4j``) on the project's own
Neo4j server; the server-stopped-mid-load test starts a second one of its own.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings, strategies as st

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.neo4j.backend import Neo4jBackend
from graphmodel.neo4j.gate import LoadUnderWay
from graphmodel.neo4j.load import (
    LOAD_LABEL, SINGLE_TRANSACTION_MAX_ROWS, STATE_LABEL, load_dataset, unload_dataset,
)
from graphmodel.neo4j.runner import run_pages
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError
from graphmodel.model import GraphPayload
from graphmodel.queries import load_library

from paths import SEED
from strategies import SHARES_CODI, dataset_folders, write_dataset
from described import described_pairs
from graphmodel.backends.base import payload

pytestmark = pytest.mark.neo4j


# --- helpers -------------------------------------------------------------------

def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """``graphmodel ARGS`` in-process; never a traceback."""
    result = CliRunner(env=env).invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def embedded_counts(folder: Path) -> dict[str, int]:
    return EmbeddedBackend(read_dataset(folder)).counts()


def as_sets(payload: GraphPayload) -> tuple[set, set]:
    """A payload as comparable sets (the order of nodes and relationships does not matter)."""
    def frozen(props: dict) -> tuple:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items()))

    nodes = {(n.label.value, n.id, frozen(n.properties)) for n in payload.nodes}
    rels = {(r.type.value, r.start_label.value, r.start, r.end_label.value, r.end, frozen(r.properties))
            for r in payload.relationships}
    return nodes, rels


#: Every node but the one holding the graph's version (graphmodel.neo4j.gate).
MODEL_NODES = f"MATCH (n) WHERE NOT n:{STATE_LABEL} RETURN count(n)"


def total(driver, query: str) -> int:
    return driver.execute_query(query).records[0][0]


def wipe(driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_csv(path: Path, keep) -> None:
    """Keep the header and the lines for which ``keep(line)`` is true."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + [x for x in lines[1:] if keep(x)]) + "\n", encoding="utf-8")


# --- load, reload -----------------------------------------------------------------

def test_load_seed_counts_equal_embedded(empty_neo4j, neo4j_driver):
    result = cli("load", str(SEED))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"loaded {SEED} as dataset 'nst-2006' into {empty_neo4j.uri} (database neo4j)"
    assert lines[-1].startswith("646 rows (233 nodes, 413 relationships) loaded in ")
    assert lines[-1].endswith(" s (single transaction, 16 batches)")
    assert Neo4jBackend(neo4j_driver).counts() == embedded_counts(SEED)
    assert total(neo4j_driver, MODEL_NODES) == 233  # no bookkeeping nodes but the version
    assert empty_neo4j.password not in result.output


def test_payload_equals_embedded_without_bookkeeping(empty_neo4j, neo4j_driver):
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    graph = payload(Neo4jBackend(neo4j_driver))
    assert as_sets(graph) == as_sets(payload(EmbeddedBackend(read_dataset(SEED))))
    assert not any(k.startswith("_") for n in graph.nodes for k in n.properties)
    codi = driver_node(neo4j_driver, "Agency", "codi")
    assert codi["_datasets"] == ["nst-2006"]
    assert sorted(codi["_keys"]) == ["nst-2006/kind", "nst-2006/name", "nst-2006/name_en", "nst-2006/source"]


def driver_node(driver, label: str, id_: str) -> dict:
    records = driver.execute_query(f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS p", id=id_).records
    assert len(records) == 1
    return records[0]["p"]


@pytest.mark.parametrize("batched", [False, True], ids=["single-transaction", "batched"])
def test_reload_gives_the_same_graph(empty_neo4j, neo4j_driver, batched):
    dataset = read_dataset(SEED)
    limit = 0 if batched else SINGLE_TRANSACTION_MAX_ROWS
    first = load_dataset(neo4j_driver, dataset, dataset_name="nst-2006", single_transaction_max=limit,
                         batch_size=100)
    assert first.mode == ("batched" if batched else "single transaction")
    backend = Neo4jBackend(neo4j_driver)
    before = as_sets(payload(backend))
    load_dataset(neo4j_driver, dataset, dataset_name="nst-2006", single_transaction_max=limit)
    assert backend.counts() == embedded_counts(SEED)
    assert as_sets(payload(backend)) == before
    assert total(neo4j_driver, f"MATCH (n:{LOAD_LABEL}) RETURN count(n)") == 0


def test_cli_reload_prints_the_same_counts(empty_neo4j):
    first, second = cli("load", str(SEED)), cli("load", str(SEED))
    assert first.exit_code == second.exit_code == 0
    assert first.stdout.splitlines()[:-1] == second.stdout.splitlines()[:-1]


def test_neo4j_scheme_works(empty_neo4j, neo4j_driver):
    uri = empty_neo4j.uri.replace("bolt://", "neo4j://")
    result = cli("load", str(SEED), "--neo4j", uri)
    assert result.exit_code == 0, result.output
    assert Neo4jBackend(neo4j_driver).counts() == embedded_counts(SEED)


def test_progress_bar_on_stderr(empty_neo4j, neo4j_driver, capsys):
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006", progress=True)
    captured = capsys.readouterr()
    assert "load nst-2006" in captured.err and "/646 " in captured.err
    assert captured.out == ""


# --- datasets and --replace -------------------------------------------------------

OTHER = SHARES_CODI


@pytest.mark.parametrize("batched", [False, True], ids=["single-transaction", "batched"])
def test_replace_removes_what_the_dataset_no_longer_has(empty_neo4j, neo4j_driver, tmp_path, batched):
    """Remove a program and an English name from a copy of the seed, load it with
    replace: the program and its relationships are gone, what the other
    dataset shares stays, and the graph equals a fresh load of both."""
    folder = tmp_path / "nst"
    shutil.copytree(SEED, folder)
    other = write_dataset(tmp_path / "other", OTHER)
    limit = 0 if batched else SINGLE_TRANSACTION_MAX_ROWS
    load_dataset(neo4j_driver, read_dataset(folder), dataset_name="nst", single_transaction_max=limit)
    load_dataset(neo4j_driver, read_dataset(other), dataset_name="other", single_transaction_max=limit)
    assert driver_node(neo4j_driver, "Agency", "codi")["_datasets"] == ["nst", "other"]

    for name in ("programs", "funding", "implementation", "locations", "coordination"):
        edit_csv(folder / f"{name}.csv", lambda line: "codi_revival" not in line)
    agencies = (folder / "agencies.csv").read_text(encoding="utf-8")
    (folder / "agencies.csv").write_text(
        agencies.replace("Community Organizations Development Institute (CODI)", ""), encoding="utf-8")
    assert "name_en" in driver_node(neo4j_driver, "Agency", "codi")
    result = load_dataset(neo4j_driver, read_dataset(folder), dataset_name="nst", replace=True,
                          single_transaction_max=limit)
    # codi_revival and its FUNDS, three group IMPLEMENTS and one LOCATED_IN.
    assert result.removed == {"nodes deleted": 1, "relationships deleted": 5,
                              "nodes kept for other datasets": 0, "relationships kept for other datasets": 0}

    gone = neo4j_driver.execute_query("MATCH (p:Program {id: 'codi_revival'}) RETURN count(p) AS n").records
    assert gone[0]["n"] == 0
    assert total(neo4j_driver, "MATCH (g:Group {id: 'hulong_revival_team'})-[r]-() RETURN count(r)") == 1  # BASED_IN only
    codi = driver_node(neo4j_driver, "Agency", "codi")
    assert codi["_datasets"] == ["nst", "other"]
    hulong = driver_node(neo4j_driver, "Tambon", "801208")
    assert sorted(hulong["_datasets"]) == ["nst", "other"]
    assert total(neo4j_driver, "MATCH (:Program {id: 'other_plan'})-[:LOCATED_IN]->(:Tambon {id: '801208'}) "
                               "RETURN count(*)") == 1

    assert "name_en" not in codi
    # The same graph as a fresh load, nst last (for a shared node, the last load's values win).
    after = as_sets(payload(Neo4jBackend(neo4j_driver)))
    wipe(neo4j_driver)
    load_dataset(neo4j_driver, read_dataset(other), dataset_name="other")
    load_dataset(neo4j_driver, read_dataset(folder), dataset_name="nst")
    assert after == as_sets(payload(Neo4jBackend(neo4j_driver)))


def test_replace_drops_a_property_only_that_dataset_set(empty_neo4j, neo4j_driver, tmp_path):
    a = write_dataset(tmp_path / "a", {**OTHER, "agencies": [
        {"id": "codi", "name": "พอช.", "kind": "special_agency", "name_en": "CODI"}]})
    b = write_dataset(tmp_path / "b", OTHER)
    load_dataset(neo4j_driver, read_dataset(a), dataset_name="a")
    load_dataset(neo4j_driver, read_dataset(b), dataset_name="b")
    assert driver_node(neo4j_driver, "Agency", "codi")["name_en"] == "CODI"
    write_dataset(a, OTHER)  # a no longer names codi in English; b never did
    load_dataset(neo4j_driver, read_dataset(a), dataset_name="a", replace=True)
    codi = driver_node(neo4j_driver, "Agency", "codi")
    assert "name_en" not in codi and codi["name"] == "พอช."
    assert sorted(codi["_keys"]) == ["a/kind", "a/name", "b/kind", "b/name"]


def test_replace_keeps_what_another_dataset_holds(empty_neo4j, neo4j_driver, tmp_path):
    a = write_dataset(tmp_path / "a", OTHER)
    load_dataset(neo4j_driver, read_dataset(a), dataset_name="a")
    load_dataset(neo4j_driver, read_dataset(write_dataset(tmp_path / "b", OTHER)), dataset_name="b")
    write_dataset(a, {"agencies": OTHER["agencies"],
                      "programs": [{"id": "solo", "name": "เดี่ยว", "themes": "welfare", "start_year": "2006",
                                    "end_year": "2006"}],
                      "locations": [{"program": "solo", "tambon": "800101"}]})
    result = load_dataset(neo4j_driver, read_dataset(a), dataset_name="a", replace=True)
    # other_plan, tambon 801208, district 8012; IMPLEMENTS, LOCATED_IN, IN_DISTRICT, IN_PROVINCE: b's now.
    assert result.removed == {"nodes deleted": 0, "relationships deleted": 0,
                              "nodes kept for other datasets": 3, "relationships kept for other datasets": 4}
    assert driver_node(neo4j_driver, "Program", "other_plan")["_datasets"] == ["b"]
    assert driver_node(neo4j_driver, "Program", "solo")["_datasets"] == ["a"]
    assert driver_node(neo4j_driver, "Agency", "codi")["_datasets"] == ["a", "b"]


def test_cli_replace_reports_what_it_removed(empty_neo4j, tmp_path):
    folder = tmp_path / "nst-2006"
    shutil.copytree(SEED, folder)
    assert cli("load", str(folder)).exit_code == 0
    for name in ("programs", "funding", "implementation", "locations", "coordination"):
        edit_csv(folder / f"{name}.csv", lambda line: "codi_revival" not in line)
    result = cli("load", str(folder), "--replace")
    assert result.exit_code == 0, result.output
    # codi_revival: the program, its FUNDS, 3 group IMPLEMENTS and one LOCATED_IN.
    assert ("replaced the previous load: 1 nodes and 5 relationships deleted, 0 nodes and "
            "0 relationships kept for other datasets") in result.stdout.splitlines()
    assert server_counts(empty_neo4j) == embedded_counts(folder)


def server_counts(server) -> dict[str, int]:
    with Neo4jBackend.connect(server.uri, user=server.user, password=server.password) as backend:
        return backend.counts()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=dataset_folders(), second=dataset_folders(), batched=st.booleans())
def test_replace_equals_a_fresh_load(neo4j_driver, tmp_path_factory, first, second, batched):
    """Loading X then Y with replace gives exactly the graph of loading Y alone."""
    wipe(neo4j_driver)
    root = tmp_path_factory.mktemp("replace")
    x, y = read_dataset(write_dataset(root / "x", first)), read_dataset(write_dataset(root / "y", second))
    limit = 0 if batched else SINGLE_TRANSACTION_MAX_ROWS
    load_dataset(neo4j_driver, x, dataset_name="d", single_transaction_max=limit)
    load_dataset(neo4j_driver, y, dataset_name="d", replace=True, single_transaction_max=limit)
    backend = Neo4jBackend(neo4j_driver)
    assert as_sets(payload(backend)) == as_sets(payload(EmbeddedBackend(y)))
    assert backend.counts() == EmbeddedBackend(y).counts()


# --- datasets that disagree on shared values (issue 15, item 4) -------------------------------

def test_unloading_one_dataset_restores_the_values_of_the_other(empty_neo4j, neo4j_driver, tmp_path):
    """The seed, then a copy that names codi_welfare and codi otherwise, adds a column to them and
    funds the shared FUNDS link with another amount: after `unload --dataset other` every node
    and relationship is what a load of the seed alone gives (codi_welfare kept other's name before)."""
    other = tmp_path / "other"
    shutil.copytree(SEED, other)
    for file, old, new in [
        ("programs.csv", 'codi_welfare,"สวัสดิการชุมชน (สมทบตำบลละ 100,000 บาท)","Community welfare (matching '
                         '100,000 baht per tambon)",community_welfare,2549,2549,true,seed',
         "codi_welfare,สวัสดิการอื่น,Other welfare,community_welfare,2550,2550,false,other"),
        ("agencies.csv", "Community Organizations Development Institute (CODI)", "CODI as the other names it"),
        ("funding.csv", "codi_nst,codi_welfare,100000,2549,seed", "codi_nst,codi_welfare,250000,2549,other"),
    ]:
        text = (other / file).read_text("utf-8")
        assert old in text
        (other / file).write_text(text.replace(old, new), "utf-8")
    (other / "programs.csv").write_text((other / "programs.csv").read_text("utf-8").replace(
        "end_year,pilot,source\n", "end_year,pilot,source,note\n").replace("\n", ",\n")
        .replace("source,note,\n", "source,note\n").replace("other,\n", "other,only in other\n"), "utf-8")
    assert cli("load", str(SEED)).exit_code == 0
    seed_alone = as_sets(payload(Neo4jBackend(neo4j_driver)))
    assert cli("load", str(other)).exit_code == 0
    welfare = driver_node(neo4j_driver, "Program", "codi_welfare")
    assert (welfare["name"], welfare["name_en"]) == ("สวัสดิการอื่น", "Other welfare")  # the last load's
    assert cli("unload", "--dataset", "other").exit_code == 0
    assert as_sets(payload(Neo4jBackend(neo4j_driver))) == seed_alone
    assert driver_node(neo4j_driver, "Program", "codi_welfare")["name_en"] == (
        "Community welfare (matching 100,000 baht per tambon)")
    # Every bookkeeping property of a value kept for another dataset is gone with it.
    assert total(neo4j_driver, "MATCH (n) WHERE any(k IN keys(n) WHERE k STARTS WITH '_value/') "
                               "RETURN count(n)") == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=dataset_folders(), second=dataset_folders(), third=dataset_folders(), batched=st.booleans())
def test_unload_and_replace_leave_the_values_of_the_datasets_that_stay(neo4j_driver, tmp_path_factory, first,
                                                                       second, third, batched):
    """Random datasets share ids (ag0, pg0, fd0, the tambons) and disagree on their values. Taking
    one out (unload, or replace by other data and then unload) leaves exactly the graph of the
    other alone, whichever was loaded last."""
    root = tmp_path_factory.mktemp("disagree")
    x, y, z = (read_dataset(write_dataset(root / name, files))
               for name, files in (("x", first), ("y", second), ("z", third)))
    limit = 0 if batched else SINGLE_TRANSACTION_MAX_ROWS
    backend = Neo4jBackend(neo4j_driver)

    def load(dataset, name, replace=False):
        load_dataset(neo4j_driver, dataset, dataset_name=name, replace=replace, single_transaction_max=limit)

    def undirected(sets: tuple[set, set]) -> tuple[set, set]:
        """A coordination link is one whichever way it is stored (the first dataset to write it says)."""
        nodes, rels = sets
        return nodes, {(t, *sorted([(sl, s), (el, e)]), props) if t == "COORDINATES_WITH" else (t, sl, s, el, e, props)
                       for t, sl, s, el, e, props in rels}

    def only(dataset) -> bool:
        return undirected(as_sets(payload(backend))) == undirected(as_sets(payload(EmbeddedBackend(dataset))))

    wipe(neo4j_driver)
    load(x, "a"), load(y, "b")
    unload_dataset(neo4j_driver, "b")
    assert only(x)
    load(y, "b")
    unload_dataset(neo4j_driver, "a")
    assert only(y)
    load(x, "a"), load(z, "b", replace=True)  # b: y replaced by z, over a's values
    unload_dataset(neo4j_driver, "b")
    assert only(x)


# --- refusals -------------------------------------------------------------------------

def test_bad_folder_exits_2_and_writes_nothing(empty_neo4j, neo4j_driver, tmp_path):
    folder = write_dataset(tmp_path / "bad", {**OTHER, "locations": [{"program": "other_plan", "tambon": "999999"}]})
    result = cli("load", str(folder))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {folder}/locations.csv:2: column 'tambon': value '999999': a 6-digit DOPA tambon code "
        "known to geothai (e.g. 801208 for Hu Long) [unknown-tambon]"]
    assert total(neo4j_driver, "MATCH (n) RETURN count(n)") == 0


def test_missing_uri_is_a_usage_error(empty_neo4j, monkeypatch):
    monkeypatch.delenv("NEO4J_URI")
    result = cli("load", str(SEED))
    assert result.exit_code == 2
    assert "Error: give --neo4j URI (or set NEO4J_URI)" in result.stderr


def test_bad_credentials_exit_2(empty_neo4j, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = cli("load", str(SEED))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: Neo4j at {empty_neo4j.uri} refused the credentials of user 'neo4j' "
        "(check NEO4J_USER and NEO4J_PASSWORD)"]
    assert "not-the-password" not in result.output


def test_unreachable_port_exits_2(empty_neo4j):
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = cli("load", str(SEED), "--neo4j", uri)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: cannot reach Neo4j at {uri} (is the server running?)"]


def test_missing_database_exits_2(empty_neo4j, neo4j_driver):
    result = cli("load", str(SEED), "--database", "nosuchdb")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: Neo4j at {empty_neo4j.uri} has no database 'nosuchdb'"]
    assert total(neo4j_driver, "MATCH (n) RETURN count(n)") == 0


def test_preexisting_duplicates_break_the_unique_constraint(empty_neo4j, neo4j_driver):
    """Two hand-made Agency nodes with one id: the constraint cannot be created; a clear error."""
    neo4j_driver.execute_query("DROP CONSTRAINT agency_id IF EXISTS")
    try:
        neo4j_driver.execute_query("CREATE (:Agency {id: 'codi'}), (:Agency {id: 'codi'})")
        result = cli("load", str(SEED))
        assert result.exit_code == 1
        [line] = result.stderr.splitlines()
        assert line.startswith("Error: cannot create a unique constraint while creating the schema "
                               "(cypher/ddl/schema.cypher:10): Unable to create Constraint( name='agency_id', ")
        assert "have the label `Agency` and property `id` = 'codi'" in line
        assert line.endswith("; merge or delete the duplicate nodes, then load again")
        assert total(neo4j_driver, "MATCH (n) RETURN count(n)") == 2
    finally:
        wipe(neo4j_driver)
        cli("load", str(SEED))  # puts the constraint back
        wipe(neo4j_driver)


def test_two_labels_fighting_over_an_id(empty_neo4j, neo4j_driver, tmp_path):
    """codi is an Agency in the seed; another dataset may not make it a Program."""
    assert cli("load", str(SEED)).exit_code == 0
    before = Neo4jBackend(neo4j_driver).counts()
    clash = write_dataset(tmp_path / "clash", {
        "agencies": [{"id": "tao", "name": "อบต.", "kind": "local_government"}],
        "programs": [{"id": "codi", "name": "ชื่อซ้ำ", "themes": "welfare", "start_year": "2006", "end_year": "2006"}],
        "locations": [{"program": "codi", "tambon": "800101"}],
    })
    result = cli("load", str(clash))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: id 'codi' is a Program in dataset 'clash' but the database already has it as an "
        "Agency (written by dataset 'nst-2006'); agencies, funds, programs and groups share one id "
        "space, so one id must name the same entity in every dataset loaded into a database"]
    assert Neo4jBackend(neo4j_driver).counts() == before


def test_reserved_property_name_is_refused_before_writing(empty_neo4j, neo4j_driver, tmp_path):
    folder = tmp_path / "reserved"
    folder.mkdir()
    (folder / "agencies.csv").write_text("id,name,kind,_datasets\ncodi,พอช.,special_agency,x\n", encoding="utf-8")
    (folder / "programs.csv").write_text("id,name,themes,start_year,end_year\np,แผน,welfare,2006,2006\n",
                                         encoding="utf-8")
    result = cli("load", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: Agency 'codi' has a property '_datasets': names starting with '_' are reserved for "
        "the loader's bookkeeping; rename that CSV column"]
    assert total(neo4j_driver, "MATCH (n) RETURN count(n)") == 0


def test_bad_dataset_name(empty_neo4j):
    result = cli("load", str(SEED), "--dataset", "a/b")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: bad dataset name 'a/b': give a non-empty name without '/' or control characters "
        "(default: the folder name)"]


# --- the server stops or restarts mid-way --------------------------------------------------
# Each test runs its own throwaway server and acts on it at a fixed point of the load
# (the loader's ``checkpoint`` hook), never at a moment found by polling.

@pytest.fixture(scope="module")
def own_server_home(tmp_path_factory):
    """A private server for this module's tests, which kill and restart it: started once (a
    start costs 15-30 s), stopped after the module."""
    from neo4j_server import start_server, stop_server

    home = tmp_path_factory.mktemp("own-server") / "server"
    # A port of its own: the default one may be taken by another server of the machine.
    uri, password = start_server(home, port=free_port())
    try:
        yield home, uri, password
    finally:
        stop_server(home)


@pytest.fixture
def own_server(own_server_home):
    """The private server, running and empty (a test before may have left it down or half
    loaded), and a driver that gives up quickly."""
    import neo4j

    from neo4j_server import start_server

    home, uri, password = own_server_home
    start_server(home)  # up again if the test before left it down; reuses it when running
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password), notifications_min_severity="OFF") as d:
        with d.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    class Own:
        def __init__(self):
            self.home, self.uri, self.password = home, uri, password

        def driver(self, retry_seconds: float = 30.0):
            d = neo4j.GraphDatabase.driver(uri, auth=("neo4j", password), notifications_min_severity="OFF",
                                           max_transaction_retry_time=retry_seconds)
            d.verify_connectivity()
            return d

        def kill(self):
            """SIGKILL the server and wait for it to be gone (a no-op when it is down already)."""
            import psutil

            from neo4j_server import server_pid

            pid = server_pid(home)
            if pid is None:
                return
            process = psutil.Process(pid)
            process.kill()
            process.wait(60)

        def start(self):
            start_server(home)

        def restart(self):
            """Down hard and up again (as after a crash: no orderly shutdown to wait for)."""
            self.kill()
            start_server(home)

    yield Own()


def seed_counts():
    dataset = read_dataset(SEED)
    return dataset, EmbeddedBackend(dataset).counts()


#: The seed (646 rows) in batches of 50, each its own transaction: 25 batches (by hand: Tambon,
#: IN_DISTRICT and LOCATED_IN take 4 each, the 13 other labels and types one each).
BATCHED = dict(dataset_name="large", batch_size=50, single_transaction_max=0)
SEED_BATCHES = 25


def assert_loaded_once(d, expected) -> None:
    assert Neo4jBackend(d).counts() == expected
    assert total(d, MODEL_NODES) == sum(v for k, v in expected.items() if not k.isupper())
    assert total(d, f"MATCH (n:{LOAD_LABEL}) RETURN count(n)") == 0
    duplicates = d.execute_query(
        "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r._key AS k, count(*) AS n WHERE n > 1 "
        "RETURN count(*) AS n").records[0]["n"]
    assert duplicates == 0


def nothing_visible(d) -> None:
    backend = Neo4jBackend(d)
    assert backend.counts() == {}
    assert described_pairs(backend) == []
    assert payload(backend) == GraphPayload()


def refused(d, dataset: str = "large") -> None:
    """Every read of graphmodel refuses the half-loaded graph, naming the dataset."""
    backend = Neo4jBackend(d)
    for read in (backend.counts, lambda: described_pairs(backend), lambda: payload(backend)):
        with pytest.raises(LoadUnderWay, match=f"^dataset '{dataset}' is being loaded "):
            read()


def restart_once_at(server, step: str, number: int):
    """A checkpoint that restarts the server once, at ``step`` ``number``."""
    done = []

    def checkpoint(at_step: str, at_number: int) -> None:
        if (at_step, at_number) == (step, number) and not done:
            done.append(True)
            server.restart()
    return checkpoint, done


@pytest.mark.parametrize("single_transaction_max, step", [
    pytest.param(SINGLE_TRANSACTION_MAX_ROWS, "write", id="one-transaction"),
    pytest.param(0, "batch", id="batched"),
])
def test_server_restarted_between_two_batches_the_load_completes(own_server, single_transaction_max, step):
    dataset = read_dataset(SEED)
    expected = EmbeddedBackend(dataset).counts()
    d = own_server.driver()
    checkpoint, done = restart_once_at(own_server, step, 2)
    result = load_dataset(d, dataset, dataset_name="nst-2006", batch_size=100, checkpoint=checkpoint,
                          single_transaction_max=single_transaction_max)
    assert done, "the restart happened"
    assert result.batches > 2
    assert_loaded_once(d, expected)
    d.close()


def test_server_restarted_between_two_commands(own_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", own_server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", own_server.password)
    assert cli("load", str(SEED)).exit_code == 0
    d = own_server.driver()
    backend = Neo4jBackend(d)
    before = (backend.counts(), described_pairs(backend))
    own_server.restart()
    # The same driver, its pooled connections now dead: the managed reads retry and answer.
    assert (backend.counts(), described_pairs(backend)) == before
    result = cli("overlaps", "--tambon", "802103", "--format", "json")
    assert result.exit_code == 0 and '"802103"' in result.stdout
    d.close()


@pytest.mark.parametrize("kill_at, written", [
    pytest.param(("open", 0), 0, id="gate-shut-nothing-written"),
    pytest.param(("batch", 5), 5, id="after-five-batches"),
    pytest.param(("batch", SEED_BATCHES), SEED_BATCHES, id="after-the-last-batch"),
])
def test_server_killed_mid_load_then_resumed(own_server, monkeypatch, kill_at, written):
    """Killed at a fixed point of a load bigger than one batch: the load fails with one
    line, graphmodel reads nothing of the database (every read refuses it, naming the
    dataset), and the same load run again skips the batches written and ends with the
    embedded counts."""
    dataset, expected = seed_counts()
    d = own_server.driver(retry_seconds=1.0)

    def checkpoint(step: str, number: int) -> None:
        if (step, number) == kill_at:
            own_server.kill()

    with pytest.raises(BackendError) as info:
        load_dataset(d, dataset, checkpoint=checkpoint, **BATCHED)
    message = str(info.value)
    assert message.startswith("lost the connection to Neo4j while loading dataset 'large': "), message
    assert message.endswith("graphmodel reads nothing of the database until this load is finished: "
                            "run the same load again to finish it"), message
    d.close()
    own_server.start()
    d = own_server.driver()
    refused(d)
    monkeypatch.setenv("NEO4J_URI", own_server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", own_server.password)
    for args in (("info",), ("overlaps", "--format", "json"), ("query", "counts")):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith(f"Error: dataset 'large' is being loaded ({written} of "
                                        f"{SEED_BATCHES} batches written), or its load was stopped"), result.stderr
    result = load_dataset(d, dataset, **BATCHED)
    assert result.mode == "batched" and (result.resumed_batches, result.batches) == (written, SEED_BATCHES)
    assert_loaded_once(d, expected)
    d.close()


def test_server_killed_during_a_one_transaction_load_leaves_nothing_visible(own_server):
    """Up to 50,000 rows a load is one transaction: killed after three of its batch
    statements, nothing of it is in the database (reads answer, with an empty graph)."""
    dataset, expected = seed_counts()
    d = own_server.driver(retry_seconds=1.0)

    def checkpoint(step: str, number: int) -> None:
        if (step, number) == ("write", 3):
            own_server.kill()

    with pytest.raises(BackendError, match="^lost the connection to Neo4j while loading dataset 'nst-2006': .*"
                                           "Nothing of this load is visible; run the same load again"):
        load_dataset(d, dataset, dataset_name="nst-2006", batch_size=50, checkpoint=checkpoint)
    d.close()
    own_server.start()
    d = own_server.driver()
    nothing_visible(d)
    assert load_dataset(d, dataset, dataset_name="nst-2006").mode == "single transaction"
    assert_loaded_once(d, expected)
    d.close()


def test_server_killed_while_replace_removes_then_resumed(own_server, tmp_path):
    """A batched --replace killed between its removal statements: refused, then resumed
    to exactly the graph of a fresh load."""
    folder = tmp_path / "large"
    shutil.copytree(SEED, folder)
    d = own_server.driver(retry_seconds=1.0)
    load_dataset(d, read_dataset(folder), **BATCHED)
    for name in ("programs", "funding", "implementation", "locations", "coordination"):
        edit_csv(folder / f"{name}.csv", lambda line: "codi_revival" not in line)
    edited = read_dataset(folder)

    def checkpoint(step: str, number: int) -> None:
        if (step, number) == ("remove", 2):  # relationships deleted and un-claimed, nodes not yet
            own_server.kill()

    with pytest.raises(BackendError, match="^lost the connection to Neo4j while loading dataset 'large'"):
        load_dataset(d, edited, replace=True, checkpoint=checkpoint, **BATCHED)
    d.close()
    own_server.start()
    d = own_server.driver()
    refused(d)
    result = load_dataset(d, edited, replace=True, **BATCHED)
    assert result.resumed_batches == result.batches
    # The rerun finds the relationships gone already; the node codi_revival is what is left.
    assert result.removed == {"relationships deleted": 0, "relationships kept for other datasets": 0,
                              "nodes deleted": 1, "nodes kept for other datasets": 0}
    assert_loaded_once(d, EmbeddedBackend(edited).counts())
    assert as_sets(payload(Neo4jBackend(d))) == as_sets(payload(EmbeddedBackend(edited)))
    d.close()


def test_server_killed_during_a_paged_read_the_read_completes(own_server):
    """overlaps over Neo4j reads a page of tambons per transaction; the server is killed
    and started again between two pages: the next page's read is retried and the whole
    answer equals a clean read."""
    d = own_server.driver()
    load_dataset(d, read_dataset(SEED), dataset_name="nst-2006")
    backend = Neo4jBackend(d)
    keys = [row["tambon"] for row in backend.query_rows("tambons_with_programs", {"minimum": 2})]
    assert len(keys) >= 2
    clean = list(backend.query_rows("overlaps", {}))
    pages = run_pages(d, load_library()["overlaps"], {}, page_param="tambons", pages=[[key] for key in keys])
    first = next(pages)
    own_server.kill()
    own_server.start()
    assert [first, *pages] == clean
    d.close()


def test_load_error_is_a_backend_error_not_a_driver_one(tmp_path):
    """No server on the port: the driver's ServiceUnavailable leaves as graphmodel's BackendError."""
    import neo4j

    d = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{free_port()}", auth=("neo4j", "irrelevant"),
                                   max_transaction_retry_time=0.5)
    with pytest.raises(BackendError, match=r"^lost the connection to Neo4j while creating the schema"):
        load_dataset(d, read_dataset(SEED), dataset_name="nst-2006")
    d.close()


def test_bad_dataset_name_is_refused_before_any_write():
    with pytest.raises(BackendError, match="bad dataset name"):
        load_dataset(None, read_dataset(SEED), dataset_name="")


def test_rows_as_wide_as_the_reader_allows_load_in_batches_of_bounded_bytes(empty_neo4j, neo4j_driver, tmp_path):
    """60 programs, each with the most text a row may hold (two extra cells of 131,072 and 131,012
    characters, one of them Thai: about 524 kB a row, 31 MB in all): over 16 MiB, so batched, and 15
    rows to a batch of at most 8 MiB (16 would be over): the agency's batch and 4 of programs. A batch
    of 60 such rows was one 31 MB statement; of 5,000, several GB, more than the server's heap."""
    folder = tmp_path / "wide"
    folder.mkdir()
    (folder / "agencies.csv").write_text("id,name,kind\ncodi,พอช.,special_agency\n", "utf-8")
    rows = [f"p{i:02},โครงการ {i:02},t,2006,2006,{'ก' * 131_072},{'x' * 131_012}" for i in range(60)]
    (folder / "programs.csv").write_text("id,name,themes,start_year,end_year,note,more\n" + "\n".join(rows) + "\n",
                                         "utf-8")
    result = cli("load", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(" s (batched, 5 batches)")
    record = neo4j_driver.execute_query("MATCH (p:Program) RETURN count(p) AS n, min(size(p.note)) AS note, "
                                        "max(size(p.more)) AS more").records[0]
    assert (record["n"], record["note"], record["more"]) == (60, 131_072, 131_012)


# --- unload ----------------------------------------------------------------------------------

def test_unload_takes_a_dataset_out_and_keeps_what_another_holds(empty_neo4j, neo4j_driver, tmp_path):
    # Two datasets sharing every node of the seed's Kalo tambon: the seed, and a copy
    # of it named "copy" that has only the agencies file and one more agency.
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "agencies.csv").write_text((SEED / "agencies.csv").read_text("utf-8")
                                       + "extra_agency,อื่น,,provincial,,copy\n", "utf-8")
    (copy / "programs.csv").write_text("id,name,themes,start_year,end_year\n", "utf-8")
    assert cli("load", str(SEED)).exit_code == 0
    assert cli("load", str(copy)).exit_code == 0
    agencies = total(neo4j_driver, "MATCH (a:Agency) RETURN count(a)")
    result = cli("unload", "--dataset", "copy")
    assert result.exit_code == 0, result.output
    # Deleted: only extra_agency; kept: the 13 agencies the seed holds too, and the one
    # PART_OF link between two of them (agencies.csv names one parent).
    assert result.stdout.endswith("1 nodes and 0 relationships deleted, 13 nodes and 1 relationships "
                                  "kept for other datasets\n")
    assert total(neo4j_driver, "MATCH (a:Agency) RETURN count(a)") == agencies - 1
    assert Neo4jBackend(neo4j_driver).counts() == embedded_counts(SEED)
    assert total(neo4j_driver, "MATCH (n) WHERE 'copy' IN n._datasets RETURN count(n)") == 0
    result = cli("unload", "--dataset", "nst-2006")
    assert result.exit_code == 0 and total(neo4j_driver, MODEL_NODES) == 0
    again = cli("unload", "--dataset", "nst-2006")  # changes nothing, and says it is not there
    assert (again.exit_code, again.stderr) == (2, "Error: no dataset 'nst-2006' is loaded in this database "
                                                  "(none is); nothing was changed\n")


def test_unload_of_a_dataset_not_loaded_exits_2_naming_the_loaded_ones(empty_neo4j, neo4j_driver, tmp_path):
    """It exited 0 having changed nothing, so a typo in the name looked like a done unload."""
    assert cli("load", str(SEED)).exit_code == 0
    assert cli("load", str(SEED), "--dataset", "nst-2006-copy").exit_code == 0
    before = Neo4jBackend(neo4j_driver).counts()
    version = total(neo4j_driver, "MATCH (s:_GraphmodelState) RETURN s.version")
    result = cli("unload", "--dataset", "no-such-dataset")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: no dataset 'no-such-dataset' is loaded in this database (loaded: "
                             "'nst-2006', 'nst-2006-copy'); nothing was changed\n")
    assert Neo4jBackend(neo4j_driver).counts() == before
    assert total(neo4j_driver, "MATCH (s:_GraphmodelState) RETURN s.version") == version  # no gate opened


def test_unload_ends_an_abandoned_load(empty_neo4j, neo4j_driver):
    def stop_after_three(step: str, number: int) -> None:
        if (step, number) == ("batch", 3):
            raise KeyboardInterrupt  # the analyst gives up half-way through the load

    with pytest.raises(KeyboardInterrupt):
        load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006", batch_size=50,
                     single_transaction_max=0, checkpoint=stop_after_three)
    # Three batches of 50, labels in the model's order: Agency (13), Fund (9), Program (11).
    assert total(neo4j_driver, MODEL_NODES) == 13 + 9 + 11 + 1  # and the marker
    with pytest.raises(LoadUnderWay, match="^dataset 'nst-2006' is being loaded \\(3 of 25 batches written\\)"):
        Neo4jBackend(neo4j_driver).counts()
    result = cli("unload", "--dataset", "nst-2006")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("33 nodes and 0 relationships deleted, 0 nodes and 0 relationships "
                                  "kept for other datasets\n")
    assert total(neo4j_driver, MODEL_NODES) == 0
    assert Neo4jBackend(neo4j_driver).counts() == {}
