"""scripts/neo4j-dev import: a new database from bulk-importer CSV files, then the constraints.

The import folder is written by hand here in the layout docs/neo4j.md defines
("Bulk first load"); every expected value below is read off those files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import ConstraintError

from neo4j_server import REPO, run_neo4j_dev, stop_server

pytestmark = pytest.mark.neo4j

IMPORT_FOLDER = {
    "nodes-Agency.csv": """\
id:ID(Entity),name,name_en,kind,:LABEL
ag_a,กรมการพัฒนาชุมชน,Community Development Department,line_agency,Agency
ag_b,"สถาบันพัฒนาองค์กรชุมชน (พอช.), ภาคใต้",CODI,special_agency,Agency
""",
    "nodes-Fund.csv": """\
id:ID(Entity),name,channel,amount_thb:double,fiscal_year:int
f1,งบปกติ,normal,100000.5,2006
""",
    "nodes-Program.csv": """\
id:ID(Entity),name,themes:string[],start_year:int,end_year:int,pilot:boolean
p1,แผนชีวิตชุมชน,poverty_data;community_planning,2006,2007,false
p2,สำรวจคนจน,community_planning,2006,2006,true
""",
    # Area ids are DOPA codes, in an id space of their own: "80" may also be an entity id.
    "nodes-Tambon.csv": """\
id:ID(Area),code,name,name_en,abolished:boolean
802103,802103,กะหรอ,Karo,false
""",
    "nodes-District.csv": """\
id:ID(Area),code,name,name_en
8021,8021,นบพิตำ,Nopphitam
""",
    "nodes-Province.csv": """\
id:ID(Area),code,name,name_en
80,80,นครศรีธรรมราช,Nakhon Si Thammarat
""",
    # No _key column here on purpose: see test_a_later_load_merges_onto_the_import.
    "relationships-MANAGES.csv": """\
:START_ID(Entity),:END_ID(Entity)
ag_a,f1
""",
    "relationships-FUNDS.csv": """\
:START_ID(Entity),:END_ID(Entity),amount_thb:double,fiscal_year:int,_key
f1,p1,50000,2006,FUNDS|2006
""",
    "relationships-IMPLEMENTS.csv": """\
:START_ID(Entity),:END_ID(Entity),role,_key,:TYPE
ag_a,p1,lead,IMPLEMENTS,IMPLEMENTS
ag_b,p2,,IMPLEMENTS,IMPLEMENTS
""",
    "relationships-LOCATED_IN.csv": """\
:START_ID(Entity),:END_ID(Area),_key
p1,802103,LOCATED_IN
p2,802103,LOCATED_IN
""",
    "relationships-COORDINATES_WITH.csv": """\
:START_ID(Entity),:END_ID(Entity),mechanism,tambon,_key
ag_a,ag_b,joint tambon plan,802103,COORDINATES_WITH|802103
""",
    "relationships-IN_DISTRICT.csv": """\
:START_ID(Area),:END_ID(Area),_key
802103,8021,IN_DISTRICT
""",
    "relationships-IN_PROVINCE.csv": """\
:START_ID(Area),:END_ID(Area),_key
8021,80,IN_PROVINCE
""",
}

#: The same data as a dataset folder for `graphmodel load` (docs/dataset.md). Its years are
#: Buddhist-era, as offices write them; the reader turns them into the CE years the
#: model (and so the import folder above) holds: 2549 is 2006.
DATASET_FOLDER = {
    "agencies.csv": "id,name,name_en,kind\nag_a,กรมการพัฒนาชุมชน,Community Development Department,line_agency\n"
                    'ag_b,"สถาบันพัฒนาองค์กรชุมชน (พอช.), ภาคใต้",CODI,special_agency\n',
    "funds.csv": "id,name,agency,channel,amount_thb,fiscal_year\nf1,งบปกติ,ag_a,normal,100000.5,2549\n",
    "programs.csv": "id,name,themes,start_year,end_year,pilot\n"
                    "p1,แผนชีวิตชุมชน,poverty_data;community_planning,2549,2550,false\n"
                    "p2,สำรวจคนจน,community_planning,2549,2549,true\n",
    "funding.csv": "fund,program,amount_thb,fiscal_year\nf1,p1,50000,2549\n",
    "implementation.csv": "implementer,program,role\nag_a,p1,lead\nag_b,p2,\n",
    "locations.csv": "program,tambon\np1,802103\np2,802103\n",
    "coordination.csv": "a,b,mechanism,tambon\nag_a,ag_b,joint tambon plan,802103\n",
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The hand-written folder imported into a throwaway home (started afterwards)."""
    tmp = tmp_path_factory.mktemp("import")
    folder = _write(tmp / "bulk", IMPORT_FOLDER)
    home = tmp / "home"
    proc = run_neo4j_dev(["import", str(folder), "--home", str(home)], timeout=900)
    assert proc.returncode == 0, proc.stderr
    uri = proc.stdout.strip()
    password = (home / "password").read_text().strip()
    driver = neo4j.GraphDatabase.driver(uri, auth=("neo4j", password), notifications_min_severity="OFF")
    try:
        yield {"proc": proc, "uri": uri, "password": password, "driver": driver, "home": home, "tmp": tmp}
    finally:
        driver.close()
        stop_server(home)


def _rows(driver, query: str, **params) -> list[dict]:
    return [r.data() for r in driver.execute_query(query, params).records]


def test_prints_the_uri_of_the_started_server(imported):
    assert re.fullmatch(r"bolt://127\.0\.0\.1:\d+", imported["uri"])
    assert "IMPORT DONE" in imported["proc"].stderr  # the importer's own summary, on stderr


def test_counts_by_label_and_type(imported):
    d = imported["driver"]
    labels = _rows(d, "MATCH (n) RETURN labels(n) AS labels, count(*) AS n ORDER BY n, labels")
    assert {tuple(r["labels"]): r["n"] for r in labels} == {
        ("Agency",): 2, ("Fund",): 1, ("Program",): 2, ("Tambon",): 1, ("District",): 1, ("Province",): 1}
    types = _rows(d, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    assert {r["type"]: r["n"] for r in types} == {
        "MANAGES": 1, "FUNDS": 1, "IMPLEMENTS": 2, "LOCATED_IN": 2, "COORDINATES_WITH": 1,
        "IN_DISTRICT": 1, "IN_PROVINCE": 1}


def test_every_node_has_its_id_as_a_string_property(imported):
    d = imported["driver"]
    ids = _rows(d, "MATCH (n) RETURN n.id AS id, valueType(n.id) AS type ORDER BY id")
    assert [r["id"] for r in ids] == ["80", "8021", "802103", "ag_a", "ag_b", "f1", "p1", "p2"]
    assert {r["type"] for r in ids} == {"STRING NOT NULL"}


def test_typed_properties(imported):
    d = imported["driver"]
    p1 = _rows(d, "MATCH (p:Program {id: 'p1'}) RETURN properties(p) AS p, valueType(p.themes) AS themes, "
                  "valueType(p.start_year) AS year, valueType(p.pilot) AS pilot")[0]
    assert p1["p"] == {"id": "p1", "name": "แผนชีวิตชุมชน", "themes": ["poverty_data", "community_planning"],
                       "start_year": 2006, "end_year": 2007, "pilot": False}
    assert (p1["themes"], p1["year"], p1["pilot"]) == (
        "LIST<STRING NOT NULL> NOT NULL", "INTEGER NOT NULL", "BOOLEAN NOT NULL")
    fund = _rows(d, "MATCH (f:Fund) RETURN f.amount_thb AS amount, valueType(f.amount_thb) AS type")[0]
    assert fund == {"amount": 100000.5, "type": "FLOAT NOT NULL"}
    agency = _rows(d, "MATCH (a:Agency {id: 'ag_b'}) RETURN a.name AS name")[0]
    assert agency["name"] == "สถาบันพัฒนาองค์กรชุมชน (พอช.), ภาคใต้"  # quoted comma kept
    tambon = _rows(d, "MATCH (t:Tambon)-[:IN_DISTRICT]->(:District)-[:IN_PROVINCE]->(p:Province) "
                      "RETURN properties(t) AS t, p.id AS province")[0]
    assert tambon == {"t": {"id": "802103", "code": "802103", "name": "กะหรอ", "name_en": "Karo",
                            "abolished": False}, "province": "80"}


def test_relationship_ends_and_properties(imported):
    d = imported["driver"]
    rels = _rows(d, "MATCH (a)-[r]->(b) WHERE type(r) IN ['FUNDS', 'IMPLEMENTS', 'COORDINATES_WITH'] "
                    "RETURN a.id AS a, type(r) AS type, properties(r) AS props, b.id AS b ORDER BY type, a")
    assert rels == [
        {"a": "ag_a", "type": "COORDINATES_WITH", "b": "ag_b",
         "props": {"mechanism": "joint tambon plan", "tambon": "802103", "_key": "COORDINATES_WITH|802103"}},
        {"a": "f1", "type": "FUNDS", "b": "p1",
         "props": {"amount_thb": 50000.0, "fiscal_year": 2006, "_key": "FUNDS|2006"}},
        {"a": "ag_a", "type": "IMPLEMENTS", "b": "p1", "props": {"role": "lead", "_key": "IMPLEMENTS"}},
        {"a": "ag_b", "type": "IMPLEMENTS", "b": "p2", "props": {"_key": "IMPLEMENTS"}},  # empty: no property
    ]


def test_constraints_of_the_schema_file_exist_and_hold(imported):
    d = imported["driver"]
    schema = (REPO / "cypher" / "ddl" / "schema.cypher").read_text(encoding="utf-8")
    expected = set(re.findall(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS", schema))
    assert len(expected) >= 7
    shown = _rows(d, "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type")
    assert {r["name"] for r in shown} == expected
    assert {"labelsOrTypes": ["Program"], "properties": ["id"], "type": "UNIQUENESS"} in [
        {k: r[k] for k in ("labelsOrTypes", "properties", "type")} for r in shown]
    with pytest.raises(ConstraintError):
        d.execute_query("CREATE (:Program {id: 'p1'})")
    offline = _rows(d, "SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN name, state")
    assert offline == []


def test_a_later_load_merges_onto_the_import(imported):
    """`graphmodel load` of the same data afterwards adds no entity or relationship that
    the import wrote with `_key`; MANAGES, imported without `_key`, is written again
    (docs/neo4j.md says so)."""
    folder = _write(imported["tmp"] / "dataset", DATASET_FOLDER)
    env = {**os.environ, "NEO4J_URI": imported["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": imported["password"]}
    load = subprocess.run([sys.executable, "-c", "from graphmodel.cli import main; main()", "load", str(folder)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    d = imported["driver"]
    counts = {r["k"]: r["n"] for r in _rows(
        d, "MATCH (n:Agency|Fund|Program) RETURN labels(n)[0] AS k, count(*) AS n UNION ALL "
           "MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS n")}
    assert {k: counts[k] for k in ("Agency", "Fund", "Program", "FUNDS", "IMPLEMENTS", "LOCATED_IN",
                                   "COORDINATES_WITH")} == {
        "Agency": 2, "Fund": 1, "Program": 2, "FUNDS": 1, "IMPLEMENTS": 2, "LOCATED_IN": 2, "COORDINATES_WITH": 1}
    assert counts["MANAGES"] == 2
    tambons = _rows(d, "MATCH (t:Tambon {id: '802103'}) RETURN count(*) AS n")
    assert tambons == [{"n": 1}]


def test_bad_folders_are_refused_before_anything_changes(tmp_path):
    home = tmp_path / "home"
    stray = _write(tmp_path / "stray", {"nodes-Agency.csv": "id:ID(Entity),name\na,A\n", "notes.txt": "x"})
    proc = run_neo4j_dev(["import", str(stray), "--home", str(home)])
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (f"neo4j-dev: error: {stray}: unexpected files notes.txt (expected only "
                           "nodes-<Label>.csv and relationships-<TYPE>.csv; see docs/neo4j.md)\n")
    empty = _write(tmp_path / "empty", {})
    proc = run_neo4j_dev(["import", str(empty), "--home", str(home)])
    assert proc.returncode == 2
    assert proc.stderr == f"neo4j-dev: error: {empty}: no nodes-<Label>.csv file\n"
    proc = run_neo4j_dev(["import", str(tmp_path / "missing"), "--home", str(home)])
    assert proc.stderr == f"neo4j-dev: error: {tmp_path / 'missing'} is not a folder\n"
    assert not home.exists()


def test_a_failed_import_names_the_cell_and_changes_nothing(imported, tmp_path):
    """A relationship to an id that no node has, on line 3 of its file: one line naming
    file, line, column and value, exit 2; the running server and its data are untouched."""
    folder = _write(tmp_path / "dangling", {
        "nodes-Agency.csv": "id:ID(Entity),name\nx1,X\n",
        "relationships-PART_OF.csv": ":START_ID(Entity),:END_ID(Entity)\nx1,x1\nx1,nobody\n",
    })
    d = imported["driver"]
    before = _rows(d, "MATCH (n) RETURN count(n) AS n")
    proc = run_neo4j_dev(["import", str(folder), "--home", str(imported["home"])], timeout=600)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.splitlines()[-2:] == [
        f"neo4j-dev: error: {folder / 'relationships-PART_OF.csv'}:3: column ':END_ID(Entity)': value 'nobody': "
        "x1 (Entity)-[PART_OF]->nobody (Entity) referring to missing node nobody",
        f"neo4j-dev: nothing was changed in {imported['home']}",
    ]
    assert "\tat org.neo4j" not in proc.stderr  # the stack trace is read, not shown
    assert _rows(d, "MATCH (n) RETURN count(n) AS n") == before
    assert _rows(d, "MATCH (a:Agency {id: 'x1'}) RETURN a") == []


def test_duplicate_ids_in_one_id_space_are_refused(tmp_path):
    folder = _write(tmp_path / "dup", {
        "nodes-Agency.csv": "id:ID(Entity),name\nsame,A\n",
        "nodes-Program.csv": "id:ID(Entity),name\nsame,P\n",
    })
    home = tmp_path / "home"
    proc = run_neo4j_dev(["import", str(folder), "--home", str(home)], timeout=600)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.splitlines()[-2:] == [
        "neo4j-dev: error: Id 'same' is defined more than once in group 'Entity'",
        f"neo4j-dev: nothing was changed in {home}",
    ]
    assert not (home / "data").exists()
