"""The view page in real headless Chromium: offline, counted, escaped, settled.

Every wait is for an event (the page's own ``data-state="stable"``, a DOM
state, a drawn frame), never for a time; nothing here reads a clock.
"""

from __future__ import annotations

import base64
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.cli import main
from graphmodel.geo import with_areas
from graphmodel.model import (
    Agency, AgencyKind, Coordination, Dataset, Fund, Funding, Group, Implementation, Location, Program,
)
from graphmodel.views import Scope, render_view
from hostile import HOSTILE_ROWS, HTML, IDS, THEMES, UNCOORDINATED
from paths import SEED, SEED_COORDINATED
from views_expected import expected_view
from described import described_pairs
from graphmodel.backends.base import payload

pytestmark = pytest.mark.browser

KALO = "802103"
PAIR = ["Program:codi_life_plan", "Program:dopa_poverty_survey"]

COUNTS_JS = """() => {
  const v = window.graphmodelView;
  return {nodes: v.nodes.length, edges: v.edges.length,
          drawnNodes: v.network.body.nodeIndices.length, drawnEdges: v.network.body.edgeIndices.length,
          ids: v.nodes.getIds()};
}"""
MISSING_JS = """() => window.graphmodelView.edges.get({filter: e => e.gm.type === 'MISSING_LINK'})
                  .map(e => ({ends: [e.from, e.to].sort(), color: e.color, dashes: e.dashes}))"""
SELECTED_JS = "() => window.graphmodelView.network.getSelectedNodes().slice().sort()"


def write_view(folder: Path, dataset: Path | Dataset, scope: Scope, name: str = "view.html") -> Path:
    ds = read_dataset(dataset) if isinstance(dataset, Path) else dataset
    backend = EmbeddedBackend(ds)
    path = folder / name
    path.write_text(render_view(payload(backend), described_pairs(backend), scope=scope), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kalo_file(tmp_path_factory) -> Path:
    return write_view(tmp_path_factory.mktemp("kalo"), SEED, Scope("tambon", KALO))


@pytest.fixture
def kalo(open_view, kalo_file):
    return open_view(kalo_file)


class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [(tag, k, v or "") for k, v in attrs if k in ("src", "href", "srcset", "action")]


def test_page_loads_from_file_with_no_other_request(kalo, kalo_file):
    assert kalo.requests == [kalo.url]  # one request, the file itself: no data: URL, nothing outside
    assert kalo.errors == [] and kalo.dialogs == []
    parser = _Attrs()
    parser.feed(kalo_file.read_text(encoding="utf-8"))
    assert parser.urls == []  # nothing to fetch: no script src, no stylesheet link
    assert kalo.js("() => typeof vis.Network") == "function"


@pytest.mark.parametrize("dataset,kind,code", [
    (SEED, "tambon", KALO), (SEED_COORDINATED, "tambon", KALO), (SEED, "tambon", "801208"),
    (SEED, "district", "8021"), (SEED, "province", "80"), (SEED, "agency", "codi"),
    (SEED_COORDINATED, "agency", "nst_planning"),
])
def test_drawn_counts_equal_the_scoped_graph(open_view, tmp_path, dataset, kind, code):
    ds = read_dataset(dataset)
    want = expected_view(ds, kind, code)
    missing = want.missing_links(described_pairs(EmbeddedBackend(ds)))
    got = open_view(write_view(tmp_path, ds, Scope(kind, code))).js(COUNTS_JS)
    assert sorted(got["ids"]) == sorted(f"{label}:{i}" for label, i in want.nodes)
    assert got["nodes"] == got["drawnNodes"] == len(want.nodes)
    assert got["edges"] == got["drawnEdges"] == want.relationships + len(missing)


def test_kalo_counts_by_hand(kalo):
    # 3 areas, 2 programs, 2 funds, 4 agencies, 1 group; 13 relationships + 1 missing link
    got = kalo.js(COUNTS_JS)
    assert (got["drawnNodes"], got["drawnEdges"]) == (12, 14)


def test_missing_link_for_the_uncoordinated_kalo_pair(kalo):
    assert kalo.js(MISSING_JS) == [{"ends": PAIR, "color": "#d62728", "dashes": [10, 6]}]
    assert kalo.page.locator("#findings li.finding:not(.coordinated)").count() == 1


def test_no_missing_link_in_the_coordinated_seed(open_view, tmp_path):
    view = open_view(write_view(tmp_path, SEED_COORDINATED, Scope("tambon", KALO)))
    assert view.js(MISSING_JS) == []
    # the pair is still listed, as coordinated
    assert view.page.locator("#findings li.finding.coordinated").count() == 1
    assert view.page.locator("#findings li.finding:not(.coordinated)").count() == 0


def test_clicking_a_finding_selects_its_two_programs(kalo):
    assert kalo.js(SELECTED_JS) == []
    kalo.page.click("#findings li.finding")
    assert kalo.js(SELECTED_JS) == PAIR
    assert kalo.page.locator("#findings li.finding.active").count() == 1
    assert "codi_life_plan" in kalo.page.text_content("#detail")


@pytest.mark.parametrize("query,node", [
    ("กะหรอ", f"Tambon:{KALO}"), ("karo", f"Tambon:{KALO}"), ("yamna", "Agency:yamna"),
    ("สำรวจคนจน", "Program:dopa_poverty_survey"),
])
def test_search_finds_thai_english_and_ids(kalo, query, node):
    kalo.page.fill("#search", query)
    found = kalo.page.locator("#search-results button").evaluate_all("bs => bs.map(b => b.dataset.node)")
    assert node in found
    kalo.page.press("#search", "Enter")
    assert node in kalo.js(SELECTED_JS)


def test_type_filter_hides_nodes(kalo):
    kalo.page.uncheck("#filter-list input[data-type=Fund]")
    hidden = kalo.js("() => graphmodelView.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
    assert hidden == ["Fund:ceo_budget", "Fund:codi_nst"]


#: Redraw the canvas ``n`` times, each time waiting for vis-network's own
#: "afterDrawing" event; a running simulation would move nodes on every redraw.
REDRAW_JS = """n => new Promise(done => {
  const net = window.graphmodelView.network;
  const step = left => { if (!left) return done(); net.once('afterDrawing', () => step(left - 1)); net.redraw(); };
  step(n);
})"""


def test_physics_is_off_once_settled(kalo):
    assert kalo.js("() => [graphmodelView.state, document.body.dataset.state, graphmodelView.stabilized, "
                   "graphmodelView.physicsEnabled, graphmodelView.network.physics.physicsEnabled]"
                   ) == ["stable", "stable", True, False, False]
    before = kalo.js("() => graphmodelView.network.getPositions()")
    kalo.js(REDRAW_JS, 20)
    assert kalo.js("() => graphmodelView.network.getPositions()") == before
    # dragging the view (from a point with no node) does not wake the simulation either
    assert kalo.js("() => graphmodelView.network.getNodeAt({x: 5, y: 5})") is None
    box = kalo.page.locator("#graph").bounding_box()
    kalo.page.mouse.move(box["x"] + 5, box["y"] + 5)
    kalo.page.mouse.down()
    kalo.page.mouse.move(box["x"] + 60, box["y"] + 40, steps=3)
    kalo.page.mouse.up()
    kalo.js(REDRAW_JS, 5)
    assert kalo.js("() => graphmodelView.network.getPositions()") == before


def test_labels_show_thai_and_english(kalo):
    label = kalo.js(f"() => graphmodelView.nodes.get('Tambon:{KALO}').label")
    assert label == "กะหรอ\nKaro"
    assert "Noto Sans Thai" in kalo.js("() => graphmodelView.data.options.nodes.font.face")


def hover(view, node_id: str) -> str:
    """Move the mouse onto a node and return the tooltip's text."""
    x, y = view.js("""id => {
      const net = window.graphmodelView.network, box = document.getElementById('graph').getBoundingClientRect();
      const p = net.canvasToDOM(net.getPosition(id));
      return [box.left + p.x, box.top + p.y];
    }""", node_id)
    view.page.mouse.move(x - 30, y - 30)
    view.page.mouse.move(x, y, steps=4)
    view.page.wait_for_function("""() => { const t = document.querySelector('div.vis-tooltip');
        return t && t.style.visibility === 'visible' && t.textContent.length > 0; }""")
    return view.page.text_content("div.vis-tooltip")


def test_tooltip_shows_id_type_years_themes_source(kalo):
    text = hover(kalo, "Program:dopa_poverty_survey")
    for part in ("id:dopa_poverty_survey", "type:Program", "budget:unknown", "years:2006 (B.E. 2549)",
                 "themes:community_planning, poverty_data", "source:seed"):
        assert part in text


#: Decode a PNG in a blank page and count, inside a box, the pixels of each of some exact colours.
PIXELS_JS = """async ([src, box, colours]) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(box.x, box.y, box.width, box.height).data, hex = new Map();
  for (let i = 0; i < d.length; i += 4) {
    const key = '#' + [d[i], d[i + 1], d[i + 2]].map(v => v.toString(16).padStart(2, '0')).join('');
    hex.set(key, (hex.get(key) || 0) + 1);
  }
  return {width: img.width, height: img.height, counts: colours.map(c => hex.get(c) || 0)};
}"""


def png_pixels(browser, png: bytes, box: dict, colours: list[str]) -> dict:
    """Size of a PNG and, per colour, how many of its pixels inside ``box`` have exactly that colour."""
    page = browser.new_page()  # about:blank: decoded by Chromium, not by the view under test
    try:
        box = {k: round(v) for k, v in box.items()}
        return page.evaluate(PIXELS_JS, ["data:image/png;base64," + base64.b64encode(png).decode(), box, colours])
    finally:
        page.close()


#: The kinds drawn in Kalo, read off the seed's CSV by hand, and their colours (the legend's).
KALO_KINDS = {
    "agency: special agency (codi)": "#e377c2", "agency: provincial (nst_governor)": "#9467bd",
    "agency: line agency (dopa)": "#1f77b4", "agency: community network (yamna)": "#2ca02c",
    "fund: special (codi_nst)": "#c51b8a", "fund: ceo (ceo_budget)": "#ff7f0e", "program": "#00a087",
    "community group": "#f2b701", "tambon": "#95a5a6", "district": "#5d6d7e", "province": "#2c3e50",
}


def test_screenshot_artifact_shows_every_kind_and_the_missing_link(kalo, artifacts, browser):
    out = artifacts / "view-kalo.png"
    kalo.page.screenshot(path=str(out))
    assert sorted(kalo.js("() => graphmodelView.data.legend.nodes.map(n => n.color)")) == sorted(KALO_KINDS.values())
    colours = {"missing link": "#d62728", **KALO_KINDS}
    got = png_pixels(browser, out.read_bytes(), kalo.page.locator("#graph").bounding_box(), list(colours.values()))
    assert (got["width"], got["height"]) == (1400, 860)
    # inside the drawing area (the legend is below it): the red missing link and
    # the fill of every kind of node, each many pixels of exactly its colour
    counts = dict(zip(colours, got["counts"]))
    assert all(n >= 100 for n in counts.values()), counts


# --- every value from the data is text (the hostile dataset of tests/hostile.py) ---------------

#: Elements the page's own script puts in its panel and tooltips; anything else was injected.
ALLOWED_TAGS = {"H1", "H2", "P", "INPUT", "UL", "OL", "LI", "DIV", "SPAN", "B", "BUTTON", "LABEL",
                "SECTION", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD",  # the agency matrix
                "A"}  # a place's link to its detailed page (a relative address the page made)
#: Every kind of view: (kind, code) as given to graphmodel view.
HOSTILE_SCOPES = [("tambon", KALO), ("district", "8021"), ("province", "80"), ("agency", IDS["A1"]),
                  ("all", None)]
INERT_JS = """() => ({
  xss: [typeof window.__xss, typeof parent.__xss],
  elements: [...document.querySelectorAll('img, iframe, object, embed, svg, [onerror], [onload], '
                                         + '[onmouseover], [srcdoc], a[href^="javascript:" i]')]
            .filter(e => !(e.tagName === 'svg' && e.closest('.legend-row'))).length,  // the legend's own
  scripts: document.scripts.length,
  styles: [document.styleSheets.length, getComputedStyle(document.body).backgroundImage],
})"""


def cli_view(folder: Path, dataset: Path, kind: str, code: str | None) -> Path:
    """``graphmodel view DATASET [--KIND CODE] -o FILE``, the way a person makes the page (the
    detailed one: a district or province with --detail; tests/views/test_overview.py has the
    aggregated ones)."""
    out = folder / f"{kind}.html"
    detail = ["--detail"] if kind in ("district", "province") else []
    result = CliRunner().invoke(main, ["view", str(dataset), "-o", str(out), *detail,
                                       *([] if code is None else [f"--{kind}", code])])
    assert (result.exit_code, result.stdout) == (0, f"{out}\n"), result.output
    return out


def _injected(view) -> list[str]:
    return view.js("""allowed => {
      const seen = [...document.querySelectorAll('#panel *, div.vis-tooltip *')].map(e => e.tagName);
      return seen.filter(t => !allowed.includes(t));
    }""", sorted(ALLOWED_TAGS))


def assert_inert(view) -> None:
    """No dialog, no script of the data ran, no element it brought, no request but the file itself."""
    assert view.dialogs == []  # the page's load event came after any image error or inline script
    assert view.js(INERT_JS) == {"xss": ["undefined", "undefined"], "elements": 0,
                                 "scripts": 3,  # data, vis-network, the view
                                 "styles": [2, "none"]}  # vis-network's and the page's own; the CSS is text
    assert _injected(view) == []
    assert view.errors == [] and view.requests == [view.url]


def use_the_page(view) -> None:
    """What a person does: click every finding, search for a payload, hover every program drawn."""
    page = view.page
    for finding in page.locator("#findings li.finding").all():
        finding.click()
    page.fill("#search", "window.__xss")
    page.press("#search", "Enter")
    for node in view.js("() => graphmodelView.nodes.getIds().filter(id => id.startsWith('Program:'))"):
        hover(view, node)


@pytest.mark.parametrize("kind, code", HOSTILE_SCOPES, ids=[kind for kind, _ in HOSTILE_SCOPES])
def test_hostile_pages_are_inert(open_view, tmp_path, hostile_dataset, kind, code, artifacts):
    view = open_view(cli_view(tmp_path, hostile_dataset, kind, code))
    use_the_page(view)
    assert_inert(view)
    drawn = {n["id"]: n for n in view.js("() => graphmodelView.nodes.get().map(n => ({id: n.id, label: n.label}))")}
    programs = {row["id"]: row for row in HOSTILE_ROWS["programs"]}
    for node, n in drawn.items():
        if node.startswith("Program:"):  # the label: the name, then name_en, as written (long ones cut with …)
            row = programs[node.removeprefix("Program:")]
            lines = n["label"].split("\n")
            assert len(lines) == 2 and all(
                text == line or (line.endswith("…") and text.startswith(line[:-1]))
                for text, line in zip((row["name"], row["name_en"]), lines)), lines
    view.page.screenshot(path=str(artifacts / f"view-hostile-{kind}.png"))


def test_hostile_text_is_shown_as_text(open_view, tmp_path, hostile_dataset):
    view = open_view(cli_view(tmp_path, hostile_dataset, "tambon", KALO))
    assert view.js(MISSING_JS) == [{"ends": sorted(f"Program:{p}" for p in UNCOORDINATED), "color": "#d62728",
                                    "dashes": [10, 6]}]
    view.page.click("#findings li.finding")
    tooltip = hover(view, f"Program:{IDS['P1']}")
    assert "note:" + HTML["img"] in tooltip and "name:" + HTML["close"] in tooltip
    assert "link:" + HTML["javascript_url"] in tooltip and "style:" + HTML["css"] in tooltip
    panel = view.page.text_content("#panel")
    p1 = HOSTILE_ROWS["programs"][0]
    for text in (p1["name"], p1["name_en"], HTML["script"], HTML["img"], THEMES["T1"]):  # P1, its agency, P2's
        assert text in panel
    assert_inert(view)


def test_hostile_scope_title(open_view, tmp_path, hostile_dataset):
    view = open_view(cli_view(tmp_path, hostile_dataset, "agency", IDS["A1"]))
    a1 = HOSTILE_ROWS["agencies"][0]
    title = f"agency {a1['id']} {a1['name']} ({a1['name_en']})"
    assert view.page.title() == f"graphmodel: {title}"
    assert view.page.text_content("#title") == title
    assert_inert(view)


# --- a province-size view -------------------------------------------------------------

def _province_dataset(n_programs: int = 1500, seed: int = 5) -> Dataset:
    """A made-up dataset over the seed's 170 tambons: a few thousand nodes."""
    rng = random.Random(seed)
    tambons = sorted({x.tambon for x in read_dataset(SEED).locations})
    kinds, channels = list(AgencyKind), ["normal", "ceo", "special"]
    agencies = [Agency(id=f"a{i}", name=f"หน่วยงาน {i}", name_en=f"Agency {i}", kind=kinds[i % len(kinds)])
                for i in range(120)]
    funds = [Fund(id=f"f{i}", name=f"กองทุน {i}", agency=f"a{i}", channel=channels[i % 3],
                  amount_thb=rng.choice([None, 50_000, 2_000_000])) for i in range(120)]
    themes = [f"theme{i}" for i in range(40)]
    programs = [Program(id=f"p{i}", name=f"โครงการ {i}", themes=(rng.choice(themes),),
                        start_year=2005 + i % 3, end_year=2008) for i in range(n_programs)]
    groups = [Group(id=f"g{i}", name=f"กลุ่ม {i}", kind="group", tambon=rng.choice(tambons))
              for i in range(400)]
    return with_areas(Dataset(
        agencies=agencies, funds=funds, programs=programs, groups=groups,
        funding=[Funding(fund=f"f{i % 120}", program=p.id) for i, p in enumerate(programs)],
        implementation=[Implementation(implementer=rng.choice(groups).id, program=p.id)
                        for p in programs if rng.random() < 0.3],
        locations=[Location(program=p.id, tambon=t) for p in programs for t in rng.sample(tambons, 2)],
        coordination=[Coordination(a=f"a{i}", b=f"a{i + 1}") for i in range(0, 100, 2)],
    ))


def test_province_size_view_settles_and_stays_responsive(open_view, tmp_path, artifacts):
    ds = _province_dataset()
    path = write_view(tmp_path, ds, Scope("province", "80"))
    view = open_view(path)  # returns once the page says it is stable
    counts = view.js(COUNTS_JS)
    want = expected_view(ds, "province", "80")
    missing = want.missing_links(described_pairs(EmbeddedBackend(ds)))
    assert counts["drawnNodes"] == len(want.nodes) > 2000
    assert counts["drawnEdges"] == want.relationships + len(missing)
    assert view.js("() => graphmodelView.network.physics.physicsEnabled") is False
    # responsive: a click on the third finding is handled, selects its pair and brings it into view
    view.page.click("#findings li.finding >> nth=2")
    view.page.wait_for_selector("#findings li.finding.active[data-pair='2']")
    pair = view.js("() => [graphmodelView.data.pairs[2].a.program, graphmodelView.data.pairs[2].b.program]")
    assert view.js(SELECTED_JS) == sorted(pair)
    assert tuple(sorted(i.removeprefix("Program:") for i in pair)) in missing  # uncoordinated pairs come first
    inside = view.js("""ids => { const net = graphmodelView.network, c = document.querySelector('#graph canvas');
        return ids.map(id => net.canvasToDOM(net.getPosition(id)))
                  .every(p => p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight); }""", pair)
    assert inside
    print(f"\nprovince-size view: {counts['drawnNodes']} nodes, {counts['drawnEdges']} edges "
          f"(the page's own timings, not asserted: {view.js('() => graphmodelView.timings')})")
    view.page.screenshot(path=str(artifacts / "view-province-size.png"))
