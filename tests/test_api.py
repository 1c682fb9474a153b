"""graphmodel/api.py: ``graphmodel.open`` and the methods that mirror the commands.

Each method must give what its command prints (the same library call, one
path): the tests compare the rows with the command's CSV or JSON output,
run in-process, and check the seed's hand-worked figures (docs/analysis.md:
Kalo's one uncoordinated pair, Hu Long's seven, nine parallel pairs in
province 80 of which the revival and OTOP pair is coordinated by a shared group).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pandas
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.cli import main
from graphmodel.errors import ArgumentError, ConnectionFailed, DatasetError
from graphmodel.geo import AreaCodeError
from graphmodel.reports.overlaps import CSV_COLUMNS

from imports import modules_after, within
from paths import REPO, SEED, SEED_COORDINATED

KALO = ("802103", "codi_life_plan", "dopa_poverty_survey")


def cli(*args: str) -> str:
    result = CliRunner(env={"NEO4J_URI": None}).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def g():
    return graphmodel.open(SEED)


# --- the door -------------------------------------------------------------------------------------

def test_import_graphmodel_does_not_import_the_neo4j_driver():
    found = modules_after("import graphmodel; g = graphmodel.open('seed/nst-2006'); g.overlaps(); g.pilots()")
    assert within(found, "neo4j", "graphmodel.neo4j") == set()


def test_opening_a_server_imports_the_driver_then():
    code = ("import sys, graphmodel\n"
            "try:\n    graphmodel.open(neo4j='bolt://127.0.0.1:1')\n"
            "except graphmodel.GraphmodelError as exc:\n    print(type(exc).__name__, 'neo4j' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout == "ConnectionFailed True\n"


def test_sources_a_folder_a_workbook_a_dataset(tmp_path):
    ds = graphmodel.read_dataset(SEED)
    for source in (SEED, str(SEED), ds, graphmodel.EmbeddedBackend(ds)):
        found = graphmodel.open(source).overlaps(tambon="802103")
        assert [(r["tambon"], r["program_a"], r["program_b"]) for r in found] == [KALO]
    cli("template", "-o", str(tmp_path / "book.xlsx"))
    book = graphmodel.open(tmp_path / "book.xlsx")
    assert (book.counts()["Program"], book.overlaps()) == (1, [])


def test_what_open_refuses(tmp_path):
    with pytest.raises(ArgumentError, match="exactly one of them"):
        graphmodel.open()
    with pytest.raises(ArgumentError, match="exactly one of them"):
        graphmodel.open(SEED, neo4j="bolt://127.0.0.1:7687")
    with pytest.raises(ArgumentError, match="cannot open a int"):
        graphmodel.open(3)
    (tmp_path / "agencies.csv").write_text("id,name,kind\na,A,ministry\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        graphmodel.open(tmp_path)
    assert any("column 'kind': value 'ministry'" in line for line in caught.value.lines())
    with pytest.raises(ConnectionFailed, match="cannot reach Neo4j at bolt://127.0.0.1:1"):
        graphmodel.open(neo4j="bolt://127.0.0.1:1", auth=("neo4j", "x"))


def test_areas_are_checked_as_the_commands_check_them(g):
    with pytest.raises(AreaCodeError, match="tambon '80' is not a 6-digit"):
        g.overlaps(tambon="80")
    with pytest.raises(ArgumentError, match="at most one of tambon, district, province"):
        g.pilots(tambon="802103", province="80")
    with pytest.raises(ArgumentError, match="at most one of tambon, district, province, agency, nation"):
        g.view(tambon="802103", agency="codi")


# --- rows like the commands' ----------------------------------------------------------------------

def test_overlaps_are_the_csv_rows(g):
    rows = g.overlaps(province="80")
    printed = list(csv.DictReader(io.StringIO(cli("overlaps", str(SEED), "--province", "80", "--format", "csv"))))
    assert len(rows) == 8 and [list(r) for r in rows] == [list(CSV_COLUMNS)] * 8
    assert [{k: str(v) for k, v in r.items()} for r in rows] == printed
    kalo = next(r for r in rows if r["tambon"] == "802103")
    assert (kalo["program_a"], kalo["program_b"], kalo["agencies_a"]) == (KALO[1], KALO[2], "codi")
    assert kalo["fix"].startswith("Link the two sides in this tambon: add the row 'codi,dopa,joint tambon plan,802103'")


def test_overlaps_make_a_data_frame(g):
    frame = pandas.DataFrame(g.overlaps())
    assert list(frame.columns) == list(CSV_COLUMNS)
    assert frame.groupby("tambon").size().to_dict() == {"801208": 7, "802103": 1}


def test_overlaps_with_the_coordinated_pairs(g):
    rows = g.overlaps(province="80", include_coordinated=True)
    assert len(rows) == 9 and list(rows[0])[-1] == "coordinated_by"
    [coordinated] = [r for r in rows if r["coordinated_by"]]
    assert (coordinated["tambon"], coordinated["coordinated_by"], coordinated["fix"]) == (
        "801208", "shared_group", None)
    assert [r for r in rows if not r["coordinated_by"]] == [{**r, "coordinated_by": ""} for r in g.overlaps()]


def test_overlaps_explained_and_by_severity_like_the_command(g):
    rows = g.overlaps(explain=True, sort="severity", limit=3)
    printed = list(csv.DictReader(io.StringIO(cli("overlaps", str(SEED), "--format", "csv", "--explain",
                                                  "--sort", "severity", "--limit", "3"))))
    assert [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows] == printed
    assert list(rows[0])[-5:] == ["severity", "known_thb", "unknown_amounts", "linked_in", "via"]
    assert [r["severity"] for r in rows] == sorted((r["severity"] for r in rows), reverse=True)


def test_summary_is_overlaps_summary(g):
    printed = json.loads(cli("overlaps", str(SEED), "--summary", "district", "--format", "json"))
    assert g.summary("district") == printed
    assert [(r["district"], r["uncoordinated_pairs"]) for r in printed] == [("8012", 7), ("8021", 1)]


def test_recommend_pilots_index_are_the_commands_json(g):
    steps = json.loads(cli("recommend", str(SEED), "--tambon", "801208", "--format", "json"))
    found = g.recommend(tambon="801208")
    assert [{k: r[k] for k in ("a", "b", "tambon", "resolves", "remaining")} for r in found] == steps
    assert [r["step"] for r in found] == list(range(1, len(steps) + 1))
    assert found[0]["a_name"] != found[0]["a"]  # Thai and English names
    pilots = json.loads(cli("pilots", str(SEED), "--district", "8021", "--format", "json"))
    assert (g.pilots(district="8021"), g.pilot_gaps(district="8021")) == (pilots["pilots"], pilots["gaps"])
    index = json.loads(cli("index", str(SEED), "--province", "80", "--format", "json", "--top", "3"))
    assert g.index(province="80") == index["areas"] and index["by"] == "district"
    assert [{k: v for k, v in b.items() if k != "name"} for b in g.brokers(province="80", top=3)] == index["brokers"]
    assert [{"id": r["id"], "score": r["betweenness"]} for r in g.betweenness(province="80", top=3)] == \
        index["betweenness"]["actors"]


def test_query_is_graphmodel_query(g):
    printed = json.loads(cli("query", "tambon_stakeholders", str(SEED), "-p", "tambon=802103", "--format", "json"))
    assert g.query("tambon_stakeholders", tambon="802103") == printed
    with pytest.raises(graphmodel.GraphmodelError, match="no parameter 'tambn'"):
        g.query("tambon_stakeholders", tambn="802103")


def test_every_row_is_flat(g):
    def flat(value):
        return value is None or isinstance(value, (str, int, float, bool)) or (
            isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value))

    coordinated = graphmodel.open(SEED_COORDINATED)  # the seed has no broker: its one link coordinates nothing
    for rows in (g.overlaps(explain=True, include_coordinated=True), g.summary(), g.recommend(), g.pilots(),
                 g.pilot_gaps(), g.index(), coordinated.brokers(), coordinated.betweenness(), g.matrix()):
        assert rows and all(isinstance(r, dict) and all(map(flat, r.values())) for r in rows)


# --- pages ----------------------------------------------------------------------------------------

def test_view_is_the_command_s_page_and_shows_inline(g, tmp_path):
    cli("view", str(SEED), "--tambon", "802103", "-o", str(tmp_path / "cli.html"))
    page = g.view(tambon="802103")
    assert page.html == (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert page._repr_html_().startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert page.save(tmp_path / "kalo.html") == [tmp_path / "kalo.html"]
    assert (tmp_path / "kalo.html").read_text(encoding="utf-8") == page.html


def test_an_aggregated_view_saves_its_detail_pages(g, tmp_path):
    cli("view", str(SEED), "--province", "80", "-o", str(tmp_path / "cli.html"))
    page = g.view(province="80", path=tmp_path / "p80.html")
    assert sorted(p.name for p in page.files) == ["p80.html", "tambon-801208.html", "tambon-802103.html"]
    assert page.html == (tmp_path / "cli.html").read_text(encoding="utf-8").replace("cli.files/", "p80.files/")
    page.save(tmp_path / "again.html")  # another name: its links follow it
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert "again.files/tambon-801208.html" in again and "p80.files" not in again
    assert (tmp_path / "again.files" / "tambon-801208.html").is_file()


def test_report_is_the_command_s_report(tmp_path):
    g = graphmodel.open(str(SEED))  # the source as the command shows it
    cli("report", str(SEED), "--province", "80", "-o", str(tmp_path / "cli.html"))
    page = g.report(province="80", path=tmp_path / "api.html")
    assert page.files == [tmp_path / "api.html"]
    assert page.html == (tmp_path / "cli.html").read_text(encoding="utf-8") == \
        (tmp_path / "api.html").read_text(encoding="utf-8")
    md = g.report(tambon="801208", path=tmp_path / "hulong.md").files
    assert sorted(p.name for p in md) == ["hulong.md", "hulong.money.svg", "hulong.share.svg"]
    with pytest.raises(ArgumentError, match="ending in .html"):
        page.save(tmp_path / "r.txt")


# --- credentials ----------------------------------------------------------------------------------

def test_neo4j_env_reads_the_variables_only_when_asked(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("from-file\nignored\n", encoding="utf-8")
    settings = graphmodel.neo4j_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_USER": "analyst",
                                     "NEO4J_PASSWORD_FILE": str(secret), "NEO4J_DATABASE": "nst"})
    assert (settings.uri, settings.auth, settings.database) == ("bolt://db:7687", ("analyst", "from-file"), "nst")
    assert "from-file" not in repr(settings) and "***" in repr(settings)
    assert graphmodel.neo4j_env({}).auth is None and graphmodel.neo4j_env({}).user == "neo4j"
    with pytest.raises(ArgumentError, match="NEO4J_URI is not set"):
        graphmodel.open(neo4j=graphmodel.neo4j_env({}))


def drawn(page: str) -> tuple[list[str], list[str], list]:
    """A view's nodes and edges in an order that does not depend on the backend, and its pairs."""
    data = json.loads(re.search(r'<script type="application/json" id="graphmodel-data">(.*?)</script>',
                                page, re.S).group(1))
    return (sorted(json.dumps(n, sort_keys=True) for n in data["nodes"]),
            sorted(json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True) for e in data["edges"]),
            data["pairs"])


@pytest.mark.neo4j
def test_a_neo4j_graph_answers_as_the_folder(empty_neo4j, g, tmp_path):
    settings = graphmodel.neo4j_env()  # empty_neo4j set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
    with graphmodel.open(neo4j=settings.uri, auth=settings.auth) as server:
        loaded = server.load(SEED, dataset_name="nst-2006")
        assert (loaded.counts["Program"], loaded.counts["COORDINATES_WITH"]) == (11, 1)
        assert server.overlaps(province="80", explain=True) == g.overlaps(province="80", explain=True)
        assert server.pilots() == g.pilots() and server.recommend(province="80") == g.recommend(province="80")
        assert server.query("tambon_stakeholders", tambon="802103") == g.query("tambon_stakeholders",
                                                                                tambon="802103")
        # the same drawing (the order of nodes and edges is the backend's, as in tests/views/test_view_neo4j.py)
        assert drawn(server.view(tambon="802103").html) == drawn(g.view(tambon="802103").html)
        assert "bolt" in repr(server) and settings.password not in repr(server)
    with graphmodel.open(neo4j=graphmodel.neo4j_env()) as again:  # the settings as they are
        assert again.counts() == g.counts()
    with pytest.raises(ArgumentError, match="load writes into Neo4j"):
        g.load(SEED)
