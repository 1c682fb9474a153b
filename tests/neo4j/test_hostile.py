"""Cypher-like and label-like text goes in and comes out verbatim (issue 12, section 3).

The hostile dataset (tests/hostile.py) holds payloads such as
``x}) DETACH DELETE n //``, `` `Agency` ``, ``$tambon``, ``' OR 1=1 //`` and
Thai text with every kind of quote as ids, names, themes, extra columns'
names and values; the dataset name is one too. ``graphmodel load`` writes
it next to the seed; then it is read back through ``info``, ``overlaps``,
``query`` and the Neo4j backend's rows. Every value is stored and returned
exactly as written, and nothing else changed: the seed's part of the graph,
the labels and the relationship types are as before, and unloading the
hostile dataset leaves exactly the seed. Expected values come from the rows
of tests/hostile.py (by hand) or from the embedded backend (an independent
path), never from the Neo4j side itself.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from graphmodel.backends.base import payload
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.model import NodeLabel, RelType
from graphmodel.neo4j.backend import Neo4jBackend
from graphmodel.neo4j.load import LOAD_LABEL, STATE_LABEL

from hostile import COORDINATED, CYPHER, EXTRA_COLUMN, HOSTILE_ROWS, HTML, IDS, KALO, THEMES, UNCOORDINATED
from paths import SEED

pytestmark = pytest.mark.neo4j

#: A dataset name made of payloads (no '/': the loader refuses it in a name).
NAME = f"{CYPHER['detach']} RETURN n; {CYPHER['backtick']} {CYPHER['param']} {CYPHER['or']} {CYPHER['thai_quotes']}"
NAME = NAME.replace("//", "--")

#: The hostile dataset's graph, counted by hand from tests/hostile.py.
HAND_COUNTS = {
    "Agency": 3, "Fund": 2, "Program": 3, "Group": 1, "Tambon": 2, "District": 2, "Province": 1,
    "MANAGES": 2, "FUNDS": 2, "IMPLEMENTS": 2, "LOCATED_IN": 4, "BASED_IN": 1, "COORDINATES_WITH": 2,
    "PART_OF": 1, "IN_DISTRICT": 2, "IN_PROVINCE": 2,
}
_ENTITY_FILES = {"agencies": "Agency", "funds": "Fund", "programs": "Program", "groups": "Group"}
#: Columns that hold references or typed values, not text kept as written.
_NOT_TEXT = {"id", "parent", "agency", "tambon", "channel", "amount_thb", "themes", "start_year", "end_year"}


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def graph_set(backend) -> set[str]:
    """Every node and relationship of a backend with its properties, as comparable text."""
    p = payload(backend)
    return {json.dumps(x.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            for x in [*p.nodes, *p.relationships]}


def tokens(driver) -> tuple[set[str], set[str]]:
    """The labels and relationship types in use."""
    labels = {r["label"] for r in driver.execute_query("CALL db.labels()").records}
    types = {r["relationshipType"] for r in driver.execute_query("CALL db.relationshipTypes()").records}
    return labels, types


@pytest.fixture
def hostile_loaded(empty_neo4j, hostile_dataset):
    """The hostile dataset alone in the empty test server, loaded with graphmodel load."""
    result = cli("load", str(hostile_dataset), "--dataset", NAME)
    assert result.stdout.startswith(f"loaded {hostile_dataset} as dataset {NAME!r} into ")
    return hostile_dataset


def test_stored_verbatim_next_to_the_seed_and_nothing_else_changes(empty_neo4j, neo4j_driver, hostile_dataset):
    cli("load", str(SEED))
    backend = Neo4jBackend(neo4j_driver)
    seed = graph_set(EmbeddedBackend(read_dataset(SEED)))
    assert graph_set(backend) == seed
    cli("load", str(hostile_dataset), "--dataset", NAME)
    hostile = graph_set(EmbeddedBackend(read_dataset(hostile_dataset)))
    assert graph_set(backend) == seed | hostile  # the areas both name are one node, one relationship
    # the model's labels and types and the loader's bookkeeping labels, nothing more
    model = ({label.value for label in NodeLabel} | {LOAD_LABEL, STATE_LABEL}, {t.value for t in RelType})
    assert tokens(neo4j_driver) == model
    cli("load", str(hostile_dataset), "--dataset", NAME, "--replace")  # idempotent, names and keys and all
    assert graph_set(backend) == seed | hostile
    result = cli("unload", "--dataset", NAME)
    assert result.stdout.startswith(f"unloaded dataset {NAME!r} from ")
    assert graph_set(backend) == seed
    assert tokens(neo4j_driver) == model


def test_backend_rows_hold_every_value_as_written(hostile_loaded, neo4j_driver):
    backend = Neo4jBackend(neo4j_driver)
    for file, label in _ENTITY_FILES.items():
        got = {row.id: row.props for row in backend.nodes(label)}
        assert set(got) == {row["id"] for row in HOSTILE_ROWS[file]}, label
        for row in HOSTILE_ROWS[file]:
            props = got[row["id"]]
            for column, value in row.items():
                if column not in _NOT_TEXT:
                    assert props.get(column) == (value or None), (label, row["id"], column)
    programs = {row.id: row.props for row in backend.nodes("Program")}
    assert sorted(programs[IDS["P1"]]["themes"]) == sorted(THEMES.values())
    assert programs[IDS["P3"]][EXTRA_COLUMN] == CYPHER["thai_quotes"]
    implements = {(r.start, r.end, r.props.get("role"), r.props.get("source"))
                  for r in backend.relationships("IMPLEMENTS")}
    assert implements == {(row["implementer"], row["program"], row["role"], row["source"])
                          for row in HOSTILE_ROWS["implementation"]}
    coordination = {(r.start, r.end, r.props.get("mechanism"), r.props.get("source"))
                    for r in backend.relationships("COORDINATES_WITH")}
    assert coordination == {(row["a"], row["b"], row["mechanism"], row["source"])
                            for row in HOSTILE_ROWS["coordination"]}
    part_of = {(r.start, r.end) for r in backend.relationships("PART_OF")}
    assert part_of == {(IDS["A3"], IDS["A1"])}
    assert backend.counts() == HAND_COUNTS


def test_info(hostile_loaded):
    lines = cli("info").stdout.splitlines()
    counts = dict(line.split() for line in lines[2:2 + len(HAND_COUNTS)])
    assert {k: int(v) for k, v in counts.items()} == HAND_COUNTS
    assert lines[-1] == "parallel program pairs: 2 (1 uncoordinated, in 1 tambon)"


@pytest.mark.parametrize("twin", ["auto", "python"])
def test_overlaps(hostile_loaded, twin):
    (found,) = json.loads(cli("overlaps", "--format", "json", "--twin", twin).stdout)
    assert found["tambon"] == KALO
    assert found["programs"] == sorted([IDS["P1"], IDS["P2"], IDS["P3"]])
    assert found["uncoordinated_pairs"] == [list(UNCOORDINATED)]
    assert [(tuple(p["programs"]), p["coordinated"], p["shared_themes"]) for p in found["pairs"]] == [
        (UNCOORDINATED, False, [THEMES["T1"]]), (COORDINATED, True, [THEMES["T2"]])]
    a, b = found["pairs"][0]["sides"]
    assert (a["program"]["name"], a["program"]["name_en"]) == (HTML["close"], HTML["iframe"])
    assert [(x["id"], x["name"], x["name_en"]) for x in a["agencies"]] == [
        (IDS["A1"], HTML["script"], CYPHER["escapes"])]
    assert [(x["id"], x["name"]) for x in b["agencies"]] == [(IDS["A2"], HTML["img"])]
    table = cli("overlaps", "--tambon", KALO, "--twin", twin).stdout
    assert all(program in table for program in UNCOORDINATED)


def test_named_queries_with_hostile_parameters(hostile_loaded):
    rows = json.loads(cli("query", "tambon_stakeholders", "-p", f"tambon={KALO}", "--format", "json").stdout)
    # by hand: P1 is run by A1 and funded by F1, which A1 manages; P2 funded by F2 (A2's);
    # P3 run by group G1 (based in the other tambon, so not "based here")
    assert {(r["program"], r["kind"], r["id"], r["role"]) for r in rows} == {
        (IDS["P1"], "Agency", IDS["A1"], "implements: " + HTML["script"]),
        (IDS["P1"], "Fund", IDS["F1"], "funds"),
        (IDS["P1"], "Agency", IDS["A1"], "manages fund " + IDS["F1"]),
        (IDS["P2"], "Fund", IDS["F2"], "funds"),
        (IDS["P2"], "Agency", IDS["A2"], "manages fund " + IDS["F2"]),
        (IDS["P3"], "Group", IDS["G1"], "implements: " + HTML["img"]),
    }
    rows = json.loads(cli("query", "agency_footprint", "-p", f"agency={IDS['A1']}", "--format", "json").stdout)
    assert [(r["agency"], r["via"], r["fund"], r["program"], r["program_name"], r["role"], r["tambons"])
            for r in rows] == [
        (IDS["A1"], "fund", IDS["F1"], IDS["P1"], HTML["close"], None, [KALO]),
        (IDS["A1"], "implements", None, IDS["P1"], HTML["close"], HTML["script"], [KALO]),
    ]
    assert json.loads(cli("query", "agency_footprint", "-p", "agency=codi", "--format", "json").stdout) == []


def test_own_query_with_each_hostile_id_as_a_parameter(hostile_loaded, tmp_path):
    path = tmp_path / "one.cypher"
    path.write_text("MATCH (n {id: $id}) RETURN n.id AS id, n.name AS name, labels(n) AS labels\n", "utf-8")
    names = {row["id"]: row["name"] for rows in HOSTILE_ROWS.values() for row in rows if "id" in row}
    for key, id_ in IDS.items():
        rows = json.loads(cli("query", str(path), "--param", f"id={id_}", "--format", "json").stdout)
        assert rows == [{"id": id_, "name": names[id_], "labels": [_label(key)]}], key


def _label(key: str) -> str:
    return {"A": "Agency", "F": "Fund", "P": "Program", "G": "Group"}[key[0]]
