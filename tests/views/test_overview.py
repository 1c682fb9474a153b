"""Aggregated views (``graphmodel view --district/--province/--nation``) in real headless Chromium.

Expected places, agencies and edges are counted straight from the seed's
CSV files (:func:`from_csv`), not from the program; the seed's Hu Long and
Kalo figures are worked by hand in docs/analysis.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.cli import main
from graphmodel.views import Scope
from graphmodel.views.overview import AGENCY_LIMIT, overview
from hostile import HOSTILE_ROWS
from paths import SEED
from strategies import write_dataset
from test_html import assert_inert
from test_view_neo4j import view_data

pytestmark = pytest.mark.browser

COUNTS_JS = """() => {
  const v = window.graphmodelView;
  return {nodes: v.nodes.length, edges: v.edges.length,
          drawnNodes: v.network.body.nodeIndices.length, drawnEdges: v.network.body.edgeIndices.length};
}"""
MATRIX_JS = """() => [...document.querySelectorAll('#matrix tbody tr')].map(
  tr => [...tr.querySelectorAll('td')].map(td => td.textContent))"""


def from_csv(folder: Path, prefix: str) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """Tambons with a program, their programs' agencies, and (tambon, agency) pairs, read from the CSVs."""
    def read(name):
        with open(folder / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    agencies = {r["id"] for r in read("agencies.csv")}
    manager = {r["id"]: r["agency"] for r in read("funds.csv")}
    of: dict[str, set[str]] = defaultdict(set)
    for r in read("funding.csv"):
        of[r["program"]].add(manager[r["fund"]])
    for r in read("implementation.csv"):
        if r["implementer"] in agencies:
            of[r["program"]].add(r["implementer"])
    here = [(r["tambon"], r["program"]) for r in read("locations.csv") if r["tambon"].startswith(prefix)]
    edges = {(t, a) for t, p in here for a in of[p]}
    return {t for t, _ in here}, {a for _, a in edges}, edges


def make(folder: Path, dataset: Path, *args: str, name: str = "view.html") -> tuple[Path, object]:
    out = folder / name
    result = CliRunner().invoke(main, ["view", str(dataset), *args, "-o", str(out)])
    return out, result


def test_province_80_places_by_hand():
    ov = overview(EmbeddedBackend(read_dataset(SEED)), Scope("province", "80"))
    tambons, agencies, _ = from_csv(SEED, "80")
    assert ov.level == "tambon" and {p.code for p in ov.places} == tambons and len(tambons) == 170
    by_code = {p.code: (p.programs, p.pairs, p.uncoordinated) for p in ov.places}
    assert by_code["801208"] == (11, 8, 7)  # Hu Long: 11 programs, 8 pairs, 7 uncoordinated
    assert by_code["802103"] == (2, 1, 1)  # Kalo: the life plan and the poverty survey
    assert all(v == (1, 0, 0) for k, v in by_code.items() if k not in ("801208", "802103"))
    assert {a["id"] for a in ov.agencies} == agencies and ov.hidden_agencies == 0
    assert ov.agencies[0]["id"] == "codi" and ov.agencies[0]["programs"] == 170 + 2  # life plan everywhere, +2 in Hu Long


def test_province_page_in_chromium(open_view, tmp_path, artifacts):
    out, result = make(tmp_path, SEED, "--province", "80", name="p80.html")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{out}\n", "")
    # detailed pages for the two places with uncoordinated pairs, side by side
    assert sorted(p.name for p in (tmp_path / "p80.files").iterdir()) == ["tambon-801208.html", "tambon-802103.html"]
    view = open_view(out)
    tambons, agencies, edges = from_csv(SEED, "80")
    got = view.js(COUNTS_JS)
    assert got["nodes"] == got["drawnNodes"] == len(tambons) + len(agencies) == 181
    assert got["edges"] == got["drawnEdges"] == len(edges)
    assert view.requests == [view.url] and view.errors == [] and view.dialogs == []
    # the agency matrix, by hand (docs/analysis.md): 11 cells, three with 2 pairs in 2 tambons
    matrix = view.js(MATRIX_JS)
    assert len(matrix) == 11
    assert [row[2:] for row in matrix] == [["2", "2"]] * 3 + [["1", "1"]] * 8
    assert matrix[0][:2] == ["สถาบันพัฒนาองค์กรชุมชน (พอช.) (Community Organizations Development Institute (CODI))",
                             "กรมการปกครอง (Department of Provincial Administration (DOPA))"]
    assert "170 tambons" in view.page.text_content("#summary")
    view.page.screenshot(path=str(artifacts / "view-overview-province-80.png"))


def click_node(view, node_id: str) -> None:
    """A real mouse click where the network draws the node."""
    x, y = view.js("""id => { const n = graphmodelView.network, p = n.canvasToDOM(n.getPosition(id)),
                               r = document.getElementById('graph').getBoundingClientRect();
                               return [r.left + p.x, r.top + p.y]; }""", node_id)
    view.page.mouse.click(x, y)


def test_clicking_a_place_opens_its_detailed_view(open_view, tmp_path):
    out, result = make(tmp_path, SEED, "--district", "8012", name="d.html")
    assert result.exit_code == 0, result.output
    view = open_view(out)
    view.js("() => graphmodelView.network.focus('Tambon:801208', {scale: 1.5, animation: false})")
    click_node(view, "Tambon:801208")
    link = view.page.locator("#detail a.detail-link")
    assert link.get_attribute("href") == "d.files/tambon-801208.html"
    link.click()
    view.page.wait_for_selector("body[data-state=stable]", state="attached")
    assert view.page.url.endswith("/d.files/tambon-801208.html")
    assert view.page.title() == "graphmodel: tambon 801208 หูล่อง (Hu Long)"
    # a place without uncoordinated pairs has no page, and says so
    view.page.go_back()
    view.page.wait_for_selector("body[data-state=stable]", state="attached")
    view.js("() => graphmodelView.network.focus('Tambon:801201', {scale: 1.5, animation: false})")
    click_node(view, "Tambon:801201")
    assert view.page.locator("#detail a").count() == 0
    assert "No detailed page" in view.page.text_content("#detail")


def test_detail_pages_are_capped(tmp_path):
    out, result = make(tmp_path, SEED, "--province", "80", "--detail-pages", "1")
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "view.files").iterdir()] == ["tambon-801208.html"]  # most pairs first
    assert view_data(out)["overview"]["detail_pages"] == 1
    out, result = make(tmp_path, SEED, "--province", "80", "--detail-pages", "0", name="none.html")
    assert not (tmp_path / "none.files").exists()


def test_a_second_run_removes_the_detail_pages_it_no_longer_links(tmp_path):
    """Hu Long (7 uncoordinated pairs) and Kalo (1) have pages; with one page, only Hu Long's
    stays; a file of the user's in the folder is left alone."""
    make(tmp_path, SEED, "--province", "80", "--detail-pages", "2")
    folder = tmp_path / "view.files"
    assert sorted(p.name for p in folder.iterdir()) == ["tambon-801208.html", "tambon-802103.html"]
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    out, result = make(tmp_path, SEED, "--province", "80", "--detail-pages", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "tambon-801208.html"]


def test_nation_of_the_seed_draws_its_tambons(tmp_path):
    out, result = make(tmp_path, SEED, "--nation")
    assert result.exit_code == 0, result.output
    data = view_data(out)
    assert (data["overview"]["level"], data["overview"]["places"], data["overview"]["uncoordinated"]) == ("tambon", 170, 8)


def budget_folder(folder: Path, n: int) -> Path:
    """``n`` programs of one agency in Kalo, each on its own theme (no pair)."""
    ids = [f"p{i:04}" for i in range(n)]
    return write_dataset(folder, {
        "agencies": [{"id": "a", "name": "A", "kind": "provincial"}],
        "programs": [{"id": p, "name": p, "themes": f"t{p}", "start_year": "2549", "end_year": "2549"} for p in ids],
        "implementation": [{"implementer": "a", "program": p} for p in ids],
        "locations": [{"program": p, "tambon": "802103"} for p in ids]})


@pytest.mark.parametrize("args, nodes, instead", [
    (("--tambon", "802103"), 2_001 + 1 + 3, "--district 8021"),  # programs, the agency, three areas
    (("--province", "80", "--detail"), 2_001 + 1 + 3, "--province 80"),
    ((), 2_001 + 1 + 3, "--nation"),
])
def test_a_detailed_view_over_the_budget_is_refused(tmp_path, args, nodes, instead):
    folder = budget_folder(tmp_path / "big", 2_001)
    out, result = make(tmp_path, folder, *args)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: the detailed view of {'the whole graph' if not args else ' '.join(args[:2]).lstrip('-')}"
                             f" would draw {nodes:,} nodes, over the budget of 2,000; draw the aggregated view "
                             f"instead: graphmodel view {folder} {instead}\n")
    assert not out.exists()
    # the aggregated view it names works
    out, result = make(tmp_path, folder, *instead.split(), name="agg.html")
    assert result.exit_code == 0 and view_data(out)["overview"]["places"] == 1


@pytest.mark.parametrize("args", [("--province", "80"), ("--nation",), ("--district", "8021")])
def test_hostile_aggregated_pages_are_inert(open_view, tmp_path, hostile_dataset, args):
    out, result = make(tmp_path, hostile_dataset, *args)
    assert result.exit_code == 0, result.output
    view = open_view(out)
    # every node's details in the panel (the network's own click event: real clicks this fast
    # on one spot would be taken for double clicks, which open a detailed page)
    for node in view.js("() => graphmodelView.nodes.getIds()"):
        view.js("id => graphmodelView.network.body.emitter.emit('click', {nodes: [id], edges: []})", node)
        assert view.js("id => document.getElementById('detail').textContent.includes(id.split(':')[1])", node)
    assert_inert(view)
    links = view.js("() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert all(h.startswith("view.files/") for h in links)
    panel = view.page.text_content("#panel")
    for agency in HOSTILE_ROWS["agencies"][:2]:  # the two agencies of the uncoordinated pair, in the matrix
        assert agency["name"] in panel


def test_generated_province_renders_aggregated(open_view, tmp_path, synth_dir):
    out, result = make(tmp_path, synth_dir, "--province", "83")
    assert result.exit_code == 0, result.output
    ov = overview(EmbeddedBackend(read_dataset(synth_dir)), Scope("province", "83"))
    tambons, agencies, _ = from_csv(synth_dir, "83")
    assert ov.level == "tambon" and len(ov.places) == len(tambons) == 17
    view = open_view(out)
    got = view.js(COUNTS_JS)
    assert got["nodes"] == got["drawnNodes"] == 17 + min(AGENCY_LIMIT, len(agencies))
    assert view.requests == [view.url] and view.errors == []
    assert len(view.js(MATRIX_JS)) == min(200, len(ov.matrix)) + (len(ov.matrix) > 200)
