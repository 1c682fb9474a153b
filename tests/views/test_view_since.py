"""``graphmodel view NEW --since OLD`` in real headless Chromium: resolved pairs as green dotted
edges, new missing links with a "new" badge, both in the side panel and the legend; aggregated
views mark the places with new pairs. Expected values are the hand-worked ones of
tests/analysis/diff_cases.py and the seed's before and after (tests/analysis/test_diff.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from hostile import KALO
from paths import REPO, SEED, SEED_COORDINATED
from test_html import assert_inert, use_the_page

pytestmark = pytest.mark.browser

OLD, NEW = REPO / "tests" / "data" / "diff" / "old", REPO / "tests" / "data" / "diff" / "new"
HU_LONG = "801208"

EDGES_JS = """type => window.graphmodelView.edges.get({filter: e => e.gm.type === type})
  .map(e => ({ends: [e.from, e.to].sort(), color: e.color, dashes: e.dashes, label: e.label || null,
              badge: !!(e.font && e.font.background === '#d62728'), hidden: !!e.hidden}))
  .sort((x, y) => x.ends.join() < y.ends.join() ? -1 : 1)"""


def cli_view(folder: Path, dataset: Path, *args: str, name: str = "view.html") -> Path:
    out = folder / name
    result = CliRunner().invoke(main, ["view", str(dataset), "-o", str(out), *args])
    assert (result.exit_code, result.stdout) == (0, f"{out}\n"), result.output
    return out


def ends(*names: str) -> list[list[str]]:
    return [[f"Program:{n}_a", f"Program:{n}_b"] for n in names]


@pytest.fixture(scope="module")
def small_file(tmp_path_factory) -> Path:
    return cli_view(tmp_path_factory.mktemp("since"), NEW, "--since", str(OLD), "--tambon", HU_LONG)


def test_resolved_edges_and_new_badges_in_hu_long(open_view, small_file, artifacts):
    view = open_view(small_file)
    assert view.errors == [] and view.requests == [view.url] and view.dialogs == []
    # Resolved: 7 pairs; ended_b is gone and moved_b no longer located in Hu Long, so 5 are drawn.
    resolved = view.js(EDGES_JS, "RESOLVED_LINK")
    assert [e["ends"] for e in resolved] == ends("grouped", "joint", "late", "linked", "retheme")
    assert {(e["color"], tuple(e["dashes"]), e["label"]) for e in resolved} == {("#2ca02c", (2, 5), "resolved")}
    # New: the 4 appeared pairs carry the badge; the remaining stay_a / stay_b does not.
    missing = view.js(EDGES_JS, "MISSING_LINK")
    assert [e["ends"] for e in missing if e["badge"]] == ends("arrived", "early", "fresh", "unlinked")
    assert [e["ends"] for e in missing if not e["badge"]] == ends("stay")
    assert {e["label"] for e in missing if e["badge"]} == {"new"}
    # The side panel: the new findings badged, the resolved ones listed (those not drawn said so).
    badged = view.js("() => [...document.querySelectorAll('#findings li.new')].map(li => li.dataset.pair)")
    assert len(badged) == 4
    assert view.js("() => document.querySelector('#findings li.new .badge').textContent") == "new"
    assert view.page.text_content("#since-heading") == f"Since {OLD}: 7 resolved, 4 new"
    items = view.js("() => [...document.querySelectorAll('#resolved li')].map(li => li.textContent)")
    assert len(items) == 7 and sum("not drawn" in t for t in items) == 2
    assert any("program removed" in t and "ended_b is gone" in t for t in items)
    # The legend: a dotted green line for resolved links, the red dashed line with a "new" badge.
    legend = view.js("""() => [...document.querySelectorAll('#legend .legend-row')].map(r => ({
      text: r.textContent, dash: r.querySelector('line') && r.querySelector('line').getAttribute('stroke-dasharray'),
      stroke: r.querySelector('line') && r.querySelector('line').getAttribute('stroke')}))""")
    rows = {r["text"]: r for r in legend}
    assert rows["resolved since the earlier snapshot (--since)"]["dash"] == "2 5"
    assert rows["newnew since the earlier snapshot (--since)"]["stroke"] == "#d62728"
    view.page.screenshot(path=str(artifacts / "view-since-hulong.png"))


def test_the_resolved_filter_hides_them_and_a_click_selects_both(open_view, small_file):
    view = open_view(small_file)
    view.page.click("#resolved li:first-child")  # ended: not drawn, nothing selected
    assert view.js("() => graphmodelView.network.getSelectedNodes()") == []
    view.page.click("#resolved li:nth-child(2)")  # grouped_a / grouped_b
    assert sorted(view.js("() => graphmodelView.network.getSelectedNodes()")) == ends("grouped")[0]
    view.page.uncheck('#filter-list input[data-type="RESOLVED_LINK"]')
    assert {e["hidden"] for e in view.js(EDGES_JS, "RESOLVED_LINK")} == {True}


def test_seed_kalo_since_the_seed(open_view, tmp_path):
    view = open_view(cli_view(tmp_path, SEED_COORDINATED, "--since", str(SEED), "--tambon", KALO))
    assert [e["ends"] for e in view.js(EDGES_JS, "RESOLVED_LINK")] == [
        ["Program:codi_life_plan", "Program:dopa_poverty_survey"]]
    assert view.js(EDGES_JS, "MISSING_LINK") == []
    text = view.page.text_content("#resolved li")
    assert "coordinated" in text and "shared coordinator nst_planning" in text
    assert view.errors == []


def test_aggregated_view_marks_places_with_new_pairs(open_view, tmp_path, artifacts):
    out = cli_view(tmp_path, NEW, "--since", str(OLD), "--district", "8012")
    view = open_view(out)
    place = view.js("""() => { const n = graphmodelView.nodes.get('Tambon:801208');
      return {label: n.label, border: n.color.border, width: n.borderWidth, props: n.gm.props}; }""")
    assert place["label"].splitlines()[-1] == "new +4" and place["border"] == "#d62728" and place["width"] == 4
    assert (place["props"]["resolved_since"], place["props"]["new_since"]) == (7, 4)
    assert view.page.text_content("#since-heading") == f"Since {OLD}: 7 resolved, 4 new"
    assert any("red border" in t for t in view.js(
        "() => [...document.querySelectorAll('#legend .legend-row')].map(r => r.textContent)"))
    assert view.errors == [] and view.requests == [view.url]
    view.page.screenshot(path=str(artifacts / "view-since-district.png"))
    # The place's detailed page beside it draws the same as the tambon view.
    detail = open_view(out.with_suffix(".files") / f"tambon-{HU_LONG}.html")
    assert [e["ends"] for e in detail.js(EDGES_JS, "RESOLVED_LINK")] == ends(
        "grouped", "joint", "late", "linked", "retheme")


def test_seed_province_since_writes_pages_for_places_with_resolved_pairs_only(tmp_path):
    """In the coordinated seed no pair is uncoordinated; since the seed, Hu Long and Kalo have
    resolved pairs, so their detailed pages are written (to show them)."""
    out = cli_view(tmp_path, SEED_COORDINATED, "--since", str(SEED), "--province", "80")
    assert sorted(p.name for p in out.with_suffix(".files").iterdir()) == ["tambon-801208.html", "tambon-802103.html"]


def test_hostile_since_the_seed_is_inert(open_view, tmp_path, hostile_dataset):
    view = open_view(cli_view(tmp_path, hostile_dataset, "--since", str(SEED), "--tambon", KALO))
    use_the_page(view)
    for item in view.page.locator("#resolved li").all():
        item.click()
    assert_inert(view)
    assert len(view.js(EDGES_JS, "MISSING_LINK")) == 1 and view.js(EDGES_JS, "MISSING_LINK")[0]["badge"]
