"""``graphmodel query`` in-process with CliRunner: from a folder (the Python twins) and against
the real Neo4j test server (the Cypher twins), which print the same bytes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.queries import load_library

from graphmodel.analysis.registry import REGISTRY
from graphmodel.render import FORMATS

from paths import SEED
from graph_writer import write_payload
from long_reads import long_query, running, started
from query_params import cli_args, param_sets


def query(*args: str) -> Result:
    return CliRunner().invoke(main, ["query", *args])


@pytest.fixture
def seed_graph(empty_neo4j, neo4j_driver):
    """The seed written into the empty test server; NEO4J_* point at it."""
    dataset = read_dataset(SEED)
    write_payload(neo4j_driver, dataset.to_graph())
    return dataset


@pytest.fixture
def no_server(monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


# --- without a server ---------------------------------------------------------------------------

def test_list_needs_no_server(no_server):
    result = query("--list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "params", "from", "a", "folder", "description"]
    for q in load_library().values():
        assert any(line.startswith(q.name + " ") and line.rstrip().endswith(q.summary) for line in lines), q.name
    assert any(line.split()[:6] == ["overlaps", "tambon?,", "district?,", "province?,", "tambons?", "yes"]
               for line in lines)
    # Every named query but the two that ask the server about its GDS library has a Python
    # twin, so runs from a folder too.
    column = lines[0].index("from a folder")
    folder = {line.split()[0]: line[column:column + 3].strip() for line in lines[2:]}
    assert folder == {name: "no" if name in ("gds_procedures", "broker_betweenness_gds") else "yes"
                      for name in load_library()}


def test_help_shows_examples(no_server):
    result = query("--help")
    assert result.exit_code == 0
    assert "graphmodel query overlaps --param tambon=802103 --format json" in result.stdout
    assert "K:=JSON" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["agency_footprint"], "Error: query 'agency_footprint' needs parameter 'agency'"),
    (["overlaps", "--param", "tambon=802103", "--param", "year:=2006"],
     "Error: query 'overlaps' has no parameter 'year' (its parameters: tambon?, district?, province?, tambons?)"),
    (["overlaps", "--param", "tambon"],
     "Error: bad --param 'tambon': write NAME=TEXT, or NAME:=JSON for a number, true/false, null or a list"),
    (["overlap"], "Error: no query named 'overlap' (graphmodel query --list shows them; a file of your own "
                     "must end in .cypher)"),
    (["missing.cypher"], "Error: missing.cypher: no such file"),
    (["counts"], "Error: give --neo4j URI (or set NEO4J_URI)"),
    ([], "Error: give a query NAME or a .cypher FILE (graphmodel query --list shows the names)"),
])
def test_bad_input_is_refused_before_any_server(no_server, args, message):
    result = query(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def _odd_file(tmp_path: Path, kind: str) -> str:
    """A query file nobody meant: fragments only, endless devices, too large, not text, a folder."""
    if kind in ("/dev/zero", "/dev/urandom"):
        return kind
    path = tmp_path / "odd.cypher"
    if kind == "fragment-only":
        path.write_text("// fragment: seed_agencies\nMATCH (a:Agency)\n", "utf-8")
    elif kind == "too-large":
        path.write_text("// a comment line\n" * 70_000 + "RETURN 1 AS n\n", "utf-8")  # 1.2 MB
    elif kind == "not-text":
        path.write_bytes(b"MATCH (n) RETURN \xff\xfe n")
    else:
        path.mkdir()
    return str(path)


@pytest.mark.parametrize("kind, message", [
    ("fragment-only", "{path}: the file holds fragments only ('// fragment:' blocks), no query to run: add "
                      "the query below them, or a '// name:' block that includes them"),
    ("/dev/zero", "{path}: larger than 1 MiB: not a query file"),
    ("/dev/urandom", "{path}: larger than 1 MiB: not a query file"),
    ("too-large", "{path}: larger than 1 MiB: not a query file"),
    ("not-text", "{path}: cannot read: not UTF-8 text (byte 17 is 0xff)"),
    ("a-folder", "{path}: cannot read: Is a directory"),
])
def test_odd_query_files_are_one_error_line(no_server, tmp_path, kind, message):
    """Each was a traceback (StopIteration, MemoryError, a 4 GB read of /dev/urandom); the file is
    read with a size cap, before any server is asked."""
    path = _odd_file(tmp_path, kind)
    result = query(path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(path=path)}\n"


# --- from a folder ----------------------------------------------------------------------------------

def folder_query(folder, *args: str) -> Result:
    """``graphmodel query NAME DIR ...`` with no server in the environment."""
    return CliRunner(env={"NEO4J_URI": None}).invoke(main, ["query", args[0], str(folder), *args[1:]])


def test_a_named_query_runs_from_a_folder(no_server):
    result = folder_query(SEED, "shared_groups", "--param", "province=80", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "group_id,name,name_en,tambon,agencies,programs\n"
        "hulong_occupation_group,กลุ่มอาชีพตำบลหูล่อง,Hu Long occupational group,801208,codi; nfe,"
        "codi_revival; nfe_occupation_learning\n"
        "hulong_savings_group,กลุ่มออมทรัพย์เพื่อการผลิตตำบลหูล่อง,Hu Long savings-for-production group,"
        "801208,cdd; codi,cdd_otop_finance; codi_revival\n")
    empty = folder_query(SEED, "shared_groups", "--param", "province=10")
    assert empty.stdout == "group_id  name  name_en  tambon  agencies  programs\n" + \
        "--------  ----  -------  ------  --------  --------\n(0 rows)\n"


@pytest.mark.parametrize("header", ["", "// name: counts\n// params:\n// Not the library's counts.\n"],
                         ids=["no-header", "a-library-name"])
def test_own_file_with_a_folder_is_refused(no_server, tmp_path, header):
    path = tmp_path / "counts.cypher"
    path.write_text(header + "MATCH (n) RETURN count(n) AS n\n", "utf-8")
    result = CliRunner().invoke(main, ["query", str(path), str(SEED)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {str(path)!r} runs only on Neo4j (--neo4j URI); with a folder DIR, give a named "
        f"query that has a Python twin (see --list)")


def test_a_folder_query_checks_its_parameters(no_server):
    result = folder_query(SEED, "tambon_stakeholders")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: query 'tambon_stakeholders' needs parameter 'tambon'"


@pytest.mark.neo4j
@pytest.mark.parametrize("source, most", [("seed", None), ("generated", 1)])
def test_every_named_query_prints_the_same_from_a_folder_and_from_the_server(empty_neo4j, request, source, most):
    """Each named query, in each format: the same bytes from ``graphmodel query NAME DIR`` and,
    after ``graphmodel load DIR``, from the server. The seed with every parameter set of
    tests/query_params.py, the generated province (3,217 rows) with the first of each."""
    folder = SEED if source == "seed" else request.getfixturevalue("synth_dir")
    loaded = CliRunner().invoke(main, ["load", str(folder)])
    assert loaded.exit_code == 0, loaded.output
    sets = param_sets(read_dataset(folder))
    assert set(sets) == set(REGISTRY)
    different, printed = [], 0
    for name in REGISTRY:
        for params in sets[name][:most]:
            for fmt in FORMATS:
                args = [name, *cli_args(params), "--format", fmt]
                here, there = folder_query(folder, *args), query(*args)
                assert (here.exit_code, there.exit_code) == (0, 0), (args, here.output, there.output)
                printed += len(here.stdout)
                if here.stdout != there.stdout:
                    different.append(f"{args}:\n{here.stdout[:500]}\n!=\n{there.stdout[:500]}")
    assert not different, "\n".join(different)
    assert printed > 10_000


# --- against the server ---------------------------------------------------------------------------

@pytest.mark.neo4j
def test_counts_equal_the_embedded_backend(seed_graph):
    result = query("counts", "--format", "json")
    assert result.exit_code == 0, result.output
    counts = EmbeddedBackend(seed_graph).counts()
    assert json.loads(result.stdout) == [{"type": k, "count": v} for k, v in counts.items()]


@pytest.mark.neo4j
def test_named_query_with_a_parameter(seed_graph):
    result = query("shared_groups", "--param", "province=80", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["group_id"], r["tambon"], r["agencies"], r["programs"]) for r in json.loads(result.stdout)] == [
        ("hulong_occupation_group", "801208", ["codi", "nfe"], ["codi_revival", "nfe_occupation_learning"]),
        ("hulong_savings_group", "801208", ["cdd", "codi"], ["cdd_otop_finance", "codi_revival"]),
    ]
    assert json.loads(query("shared_groups", "--param", "province=10", "--format", "json").stdout) == []


@pytest.mark.neo4j
def test_every_named_query_runs_on_the_seed(seed_graph):
    pairs = ["-p", 'pairs:=[["801208", "codi_life_plan", "dopa_poverty_survey"]]']
    params = {"tambon_stakeholders": ["-p", "tambon=801208"], "agency_footprint": ["-p", "agency=codi"],
              "pair_linkage": pairs, "link_ends": pairs, "pair_brokers": pairs,
              "entity_names": ["-p", 'ids:=["codi"]'], "area_profile": ["-p", "by=district"],
              "place_agencies": ["-p", "by=district"], "agency_graph": ["-p", "agency=codi"]}
    for q in load_library().values():
        if q.name in ("schema_constraints", "broker_betweenness_gds"):  # DDL; needs GDS (not on this server)
            continue
        result = query(q.name, *params.get(q.name, []), "--format", "csv")
        assert result.exit_code == 0, (q.name, result.output)
        assert len(result.stdout.splitlines()) > 1, q.name  # a header and at least one row


@pytest.mark.neo4j
def test_table_output_and_typed_parameters(empty_neo4j, tmp_path):
    path = tmp_path / "sum.cypher"
    path.write_text("RETURN $n + 1 AS m, $code AS code, $flag AS flag\n", "utf-8")
    result = query(str(path), "-p", "n:=41", "-p", "code=0801", "-p", "flag:=null")
    assert result.exit_code == 0, result.output
    assert result.stdout == "m   code  flag\n--  ----  ----\n42  0801\n(1 row)\n"


@pytest.mark.neo4j
def test_user_file_returning_nodes_and_paths(seed_graph, tmp_path):
    path = tmp_path / "codi.cypher"
    path.write_text("// what codi manages\nMATCH route = (a:Agency {id: $agency})-[:MANAGES]->(f:Fund)\n"
                    "RETURN a.id AS agency, f, route\n", "utf-8")
    result = query(str(path), "--param", "agency=codi", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["agency"] == "codi"
    assert row["f"]["labels"] == ["Fund"]
    assert row["f"]["properties"]["id"] == "codi_nst"
    assert row["f"]["properties"]["channel"] == "special"
    assert [n["properties"]["id"] for n in row["route"]["nodes"]] == ["codi", "codi_nst"]
    assert row["route"]["relationships"] == [
        {"type": "MANAGES", "start": "codi", "end": "codi_nst", "properties": {}}]


@pytest.mark.neo4j
@pytest.mark.parametrize("cypher", [
    "CREATE (n:Agency {id: 'intruder', name: 'x', kind: 'provincial'}) RETURN n",
    "MERGE (n:Agency {id: 'intruder'}) RETURN n",
    "MATCH (a:Agency {id: 'codi'}) SET a.name = 'changed' RETURN a",
    "MATCH (n) DETACH DELETE n",
    "CREATE INDEX intruder IF NOT EXISTS FOR (n:Agency) ON (n.kind)",
])
def test_writes_are_refused(seed_graph, neo4j_driver, tmp_path, cypher):
    path = tmp_path / "write.cypher"
    path.write_text(cypher + "\n", "utf-8")
    result = query(str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}:1: the query tried to write; graphmodel query is read-only\n"
    records = neo4j_driver.execute_query(
        "MATCH (a:Agency) RETURN count(a) AS n, COUNT { MATCH (a:Agency {name: 'changed'}) } AS changed").records
    assert (records[0]["n"], records[0]["changed"]) == (len(seed_graph.agencies), 0)
    index = neo4j_driver.execute_query("SHOW INDEXES YIELD name WHERE name = 'intruder' RETURN name").records
    assert index == []


@pytest.mark.neo4j
def test_cypher_error_cites_the_file_line(empty_neo4j, tmp_path):
    path = tmp_path / "typo.cypher"
    path.write_text("// a typo on line 3\n\nMATCH (n) RETUR n\n", "utf-8")
    result = query(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:3:11: query 'typo' failed: Invalid input 'RETUR'")


@pytest.mark.neo4j
def test_bad_password(empty_neo4j, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = query("counts")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: Neo4j at {empty_neo4j.uri} refused the credentials of user "
                             f"'neo4j' (check NEO4J_USER and NEO4J_PASSWORD)\n")
    assert "not-the-password" not in result.output


@pytest.mark.neo4j
def test_missing_database_and_unreachable_server(empty_neo4j):
    result = query("counts", "--database", "nope")
    assert result.exit_code == 2
    assert result.stderr == f"Error: Neo4j at {empty_neo4j.uri} has no database 'nope'\n"
    result = query("counts", "--neo4j", "bolt://127.0.0.1:1")
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot reach Neo4j at bolt://127.0.0.1:1 (is the server running?)\n"
    assert empty_neo4j.password not in result.output


# --- long reads: a time limit, and Ctrl-C ends the transaction on the server (issue 15, item 10) ---

def test_a_query_past_its_time_limit_is_stopped_by_the_server(empty_neo4j, neo4j_driver, tmp_path):
    path, marker = long_query(tmp_path)
    result = query(str(path), "--timeout", "1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: {path}:1: the query ran past its time limit of 1 s and the server stopped "
                             "it; give it longer with --timeout SECONDS (0: no limit)\n")
    assert running(neo4j_driver, marker) == []


def test_ctrl_c_ends_the_transaction_on_the_server(empty_neo4j, neo4j_driver, tmp_path):
    """SIGINT while the server runs the query: the client stops at once (it used to wait for the
    server as long as the query ran) and the server runs nothing of it any more."""
    path, marker = long_query(tmp_path)
    command = [str(Path(sys.executable).parent / "graphmodel"), "query", str(path)]
    # SIGINT as a terminal sends it, even when the tests run with SIGINT ignored (a background job).
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        seen = started(neo4j_driver, marker, gave_up=lambda: proc.poll() is not None)
        assert seen, f"the query is not running (exit code {proc.poll()})"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)  # without the fix: as long as the query runs, hours
    finally:
        proc.kill()
    assert (proc.returncode, out, err) == (1, "", "\nAborted!\n")
    assert running(neo4j_driver, marker) == []  # ended before the client exited, not whenever the server notices
    # How it was found: graphmodel's read transactions carry a token of their own as their metadata.
    assert [sorted(tx["metaData"]) for tx in seen] == [["graphmodel"]]
