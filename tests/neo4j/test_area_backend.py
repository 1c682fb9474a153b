"""The Neo4j backend opened for an area holds that area's subgraph, and answers as the whole database.

Two kinds of check, on the real test server. The fetch: the nodes and
relationships a backend opened for an area (``area_graph``) or an agency
(``agency_graph``) holds are exactly those the folder's scoped read holds
(graphmodel/dataset/area.py, itself held equal to an independent reading of
the files in tests/dataset/test_area.py), for every tambon, district,
province and agency of the seed, of two generated provinces and of the
hand-made dataset of tests/dataset/test_area.py (province-wide links, links
limited to another tambon, a shared coordinator outside the area); and the
rows of those named queries are their Python twins' (graphmodel/analysis/
subgraph.py), worked out from the whole dataset's rows. The commands: every
command with an area prints and writes the same bytes from
the area's backend as from the whole database, with the Python twin too
(which reads the backend's nodes and relationships, not the server's named
queries).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.analysis.registry import rows
from graphmodel.backends.base import payload
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.geo import Area
from graphmodel.neo4j.backend import Neo4jBackend
from graphmodel.neo4j.load import load_dataset

from paths import REPO, SEED, SEED_COORDINATED

sys.path.insert(0, str(REPO / "tests" / "dataset"))
# Its hand-made dataset and two generated provinces, as fixtures.
from test_area import HU_LONG, KALO, TALAT_YAI, hand, two_provinces  # noqa: E402,F401

pytestmark = pytest.mark.neo4j


def as_sets(backend) -> tuple[set, set]:
    """A backend's graph as sets: nodes (label, id, properties), relationships (type, ends, properties)."""
    graph = payload(backend)
    return ({(n.label.value, n.id, repr(sorted(n.properties.items()))) for n in graph.nodes},
            {(r.type.value, r.start_label.value, r.start, r.end_label.value, r.end,
              repr(sorted(r.properties.items()))) for r in graph.relationships})


def areas_of(folder: Path) -> list[Area]:
    """Every tambon where something is, every district and province of those."""
    codes = {t.code for t in read_dataset(folder).tambons}
    return ([Area.of(tambon=c) for c in sorted(codes)] + [Area.of(district=d) for d in sorted({c[:4] for c in codes})]
            + [Area.of(province=p) for p in sorted({c[:2] for c in codes})])


def assert_fetches_equal_the_folders(driver, folder: Path, areas: list[Area], agencies: list[str]) -> int:
    """Load ``folder``; each area's and agency's backend holds what the folder's scoped read holds.
    Returns how many nodes the areas held in all, so a caller can see the check was not empty."""
    load_dataset(driver, read_dataset(folder), dataset_name="area-test")
    whole = EmbeddedBackend(read_dataset(folder))
    held = 0
    for area in areas:
        fetched = as_sets(Neo4jBackend(driver, area=area))
        assert fetched == as_sets(EmbeddedBackend(read_dataset(folder, area=area))), area
        # The query's rows are its Python twin's, worked out from the whole dataset's rows.
        assert list(rows(Neo4jBackend(driver), "area_graph", area.params(), twin="cypher")) == list(
            rows(whole, "area_graph", area.params())), area
        assert Neo4jBackend(driver, area=area).counts() == EmbeddedBackend(read_dataset(folder, area=area)).counts()
        held += len(fetched[0])
    for agency in agencies:
        assert as_sets(Neo4jBackend(driver, agency=agency)) == as_sets(
            EmbeddedBackend(read_dataset(folder, agency=agency))), agency
        assert list(rows(Neo4jBackend(driver), "agency_graph", {"agency": agency}, twin="cypher")) == list(
            rows(whole, "agency_graph", {"agency": agency})), agency
    return held


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_the_seeds_areas(empty_neo4j, neo4j_driver, folder):
    agencies = sorted(a.id for a in read_dataset(folder).agencies)
    assert assert_fetches_equal_the_folders(neo4j_driver, folder, areas_of(folder), agencies) > 0


def test_the_hand_made_areas(empty_neo4j, neo4j_driver, hand):
    agencies = sorted(a.id for a in read_dataset(hand).agencies)
    assert assert_fetches_equal_the_folders(neo4j_driver, hand, areas_of(hand), agencies) > 0
    # What was worked out by hand for Hu Long (tests/dataset/test_area.py): the shared
    # coordinator c_out outside the area and its province-wide links, the link limited to
    # Talat Yai touching a1, Kalo's link touching a2; not lonely's link in Talat Yai.
    nodes, rels = as_sets(Neo4jBackend(neo4j_driver, area=Area.of(tambon=HU_LONG)))
    links = {(r[2], r[4]) for r in rels if r[0] == "COORDINATES_WITH"}
    assert {("a1", "c_out"), ("c_out", "a2"), ("a1", "g2"), ("b", "a2")} <= links
    assert "lonely" not in {n[1] for n in nodes}
    assert {(r[2], r[4]) for r in rels if r[0] == "LOCATED_IN"} == {
        ("p1", HU_LONG), ("p2", HU_LONG), ("p3", HU_LONG), ("p5", HU_LONG)}


def test_a_generated_province_among_two(empty_neo4j, neo4j_driver, two_provinces):
    areas = [Area.of(province="83"), Area.of(district="8202"), Area.of(tambon="820101")]
    agencies = ["dopa", "gov83", sorted(a.id for a in read_dataset(two_provinces).agencies)[0]]
    assert assert_fetches_equal_the_folders(neo4j_driver, two_provinces, areas, agencies) > 500


def test_an_agency_not_in_the_graph_holds_every_node_and_no_relationship(empty_neo4j, neo4j_driver):
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    nodes, rels = as_sets(Neo4jBackend(neo4j_driver, agency="cod"))
    assert (nodes, rels) == (as_sets(Neo4jBackend(neo4j_driver))[0], set())


def test_the_area_is_read_once_by_index_seeks(empty_neo4j, neo4j_driver):
    """The area's rows come from one read of area_graph, whose tambons are found by a seek on
    the unique index of Tambon.id (no scan of every tambon or program)."""
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    from graphmodel.queries import load_library

    query = load_library()["area_graph"]
    plan = neo4j_driver.execute_query("EXPLAIN " + query.text, query.bind({"tambon": KALO})).summary.plan

    def operators(p) -> list[str]:
        return [p["operatorType"].split("@")[0], *(o for c in p.get("children", []) for o in operators(c))]

    found = operators(plan)
    assert "NodeUniqueIndexSeekByRange" in found
    assert not any(op in ("NodeByLabelScan", "AllNodesScan") for op in found), found


# --- the commands ----------------------------------------------------------------------------------

def _commands(kind: str, code: str) -> list[list[str]]:
    """The commands about an area; those that read the backend's graph (views, the Python twin)
    and ``report`` with the Cypher twins, which reads none of it (only the server's answers)."""
    area = [f"--{kind}", code]
    if kind == "agency":
        return [["view", *area, "-o", "view.html"]]
    out = [["view", *area, "-o", "view.html"], ["report", *area, "-o", "report.html"],
           ["overlaps", *area, "--explain", "--format", "json", "--twin", "python"],
           ["recommend", *area, "--twin", "python"], ["pilots", *area, "--twin", "python"],
           ["index", *area, "--twin", "python", "--format", "json"],
           ["report", *area, "-o", "report.md", "--twin", "python"]]
    if kind != "tambon":
        out.append(["view", *area, "--detail", "-o", "detail.html"])
    return out


def _reads_the_graph(args: list[str]) -> bool | None:
    """Whether a command reads the backend's graph: the Python twin does, a detailed view too,
    the Cypher twins never; an aggregated view only for its detailed pages (None: maybe)."""
    if "python" in args or args[0] == "view" and (args[1] in ("--tambon", "--agency") or "--detail" in args):
        return True
    return None if args[0] == "view" else False


def _run(args: list[str], where: Path, monkeypatch) -> dict[str, bytes]:
    where.mkdir(parents=True)
    monkeypatch.chdir(where)
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    files = {str(p.relative_to(where)): p.read_bytes() for p in sorted(where.rglob("*")) if p.is_file()}
    return {"exit": str(result.exit_code).encode(), "stdout": result.stdout_bytes,
            "stderr": result.stderr_bytes, **files}


@pytest.mark.parametrize("kind, code", [("tambon", HU_LONG), ("tambon", KALO), ("district", "8012"),
                                        ("province", "80"), ("province", "83"), ("agency", "a1"),
                                        ("agency", "c_out")])
def test_every_scoped_command_answers_as_from_the_whole_database(empty_neo4j, neo4j_driver, hand, kind, code,
                                                                 tmp_path, monkeypatch):
    load_dataset(neo4j_driver, read_dataset(hand), dataset_name="hand")
    for i, args in enumerate(_commands(kind, code)):
        scoped = _run(args, tmp_path / f"{i}-scoped", monkeypatch)
        asked: list = []
        real = Neo4jBackend._area_part

        def everything(self):
            asked.append(self.area or self.agency)
            return None

        with monkeypatch.context() as m:
            m.setattr(Neo4jBackend, "_area_part", everything)
            full = _run(args, tmp_path / f"{i}-full", m)
        assert Neo4jBackend._area_part is real
        reads = _reads_the_graph(args)
        assert all(asked), "the reference run was asked for the area, and read everything"
        assert bool(asked) is reads or reads is None, (args, "the Cypher twins alone answer: nothing "
                                                             "of the graph is fetched")
        assert scoped["exit"] == b"0", scoped["stderr"].decode()
        assert scoped == full, args


def test_the_talat_yai_link_stays_out_of_hu_longs_pairs_and_in_its_explanation(empty_neo4j, neo4j_driver, hand):
    """p1 and p5 in Hu Long are uncoordinated; the link a1-g2 limited to Talat Yai would
    coordinate them there (worked out in tests/dataset/test_area.py): the Python twin on Hu
    Long's subgraph says so in the column linked_in."""
    load_dataset(neo4j_driver, read_dataset(hand), dataset_name="hand")
    result = CliRunner().invoke(main, ["overlaps", "--tambon", HU_LONG, "--explain", "--format", "csv",
                                       "--twin", "python"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["program_a"], r["program_b"], r["linked_in"]) for r in rows] == [("p1", "p5", TALAT_YAI),
                                                                              ("p2", "p5", "")]
