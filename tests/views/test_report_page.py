"""The HTML report of ``graphmodel report`` in real headless Chromium: offline, complete, escaped, printable.

The report has no script, so a page is complete at its load event (Playwright's
``goto`` returns after it); nothing here waits for a time. The hostile dataset
(tests/hostile.py) must give an inert page that shows every payload as text.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from hostile import HOSTILE_ROWS, HTML, IDS, THEMES, KALO
from paths import SEED

pytestmark = pytest.mark.browser

SECTIONS = ["summary", "charts", "areas", "findings", "links", "pilots", "matrix"]
INERT_JS = """() => ({
  xss: [typeof window.__xss, typeof parent.__xss],
  elements: [...document.querySelectorAll('img, iframe, object, embed, script, link, svg, [onerror], [onload], '
                                         + '[onmouseover], [srcdoc], [href^="javascript:" i]')]
            .map(e => e.tagName + (e.tagName === 'svg' ? ':' + e.parentElement.id : '')),
  styles: [document.styleSheets.length, getComputedStyle(document.body).backgroundImage],
})"""


def cli_report(folder: Path, dataset: Path, *args: str, name: str = "report.html") -> Path:
    out = folder / name
    result = CliRunner().invoke(main, ["report", str(dataset), *args, "-o", str(out)])
    assert (result.exit_code, result.output) == (0, ""), result.output
    return out


class Page:
    """A report opened in a fresh context, with every request, dialog and console complaint."""

    def __init__(self, browser, path: Path, media: str = "screen"):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.emulate_media(media=media)
        self.page.goto(self.url)  # after the load event: there is no script to wait for

    def text(self, selector: str) -> str:
        return self.page.text_content(selector)

    def cells(self, selector: str) -> list[list[str]]:
        return self.page.eval_on_selector_all(
            selector, "rows => rows.map(r => [...r.children].map(c => c.textContent))")


@pytest.fixture
def open_report(browser):
    pages: list[Page] = []

    def _open(path: Path, media: str = "screen") -> Page:
        pages.append(Page(browser, path, media))
        return pages[-1]

    yield _open
    for p in pages:
        p.context.close()


@pytest.fixture(scope="module")
def province_file(tmp_path_factory) -> Path:
    return cli_report(tmp_path_factory.mktemp("p80"), SEED, "--province", "80")


def test_offline_no_errors_sections_present(open_report, province_file, artifacts):
    page = open_report(province_file)
    assert page.requests == [page.url]  # the file itself: no font, no image, no data: URL
    assert page.errors == [] and page.dialogs == []  # a CSP violation would be a console error
    assert page.page.title() == "Coordination report: province 80 นครศรีธรรมราช (Nakhon Si Thammarat)"
    assert page.page.eval_on_selector_all("section", "s => s.map(x => x.id)") == SECTIONS
    assert page.page.eval_on_selector_all("section > h2", "h => h.map(x => x.textContent)") == [
        "Summary", "Charts", "By district", "Top findings by severity", "Recommended links",
        "Pilots without a partner", "Agency × agency: uncoordinated pairs"]
    assert page.page.evaluate("() => document.scripts.length") == 0
    page.page.screenshot(path=str(artifacts / "report-p80.png"), full_page=True)


def test_figures_and_tables_are_text(open_report, province_file):
    page = open_report(province_file)
    figures = dict(page.cells("#summary dl.figures > div"))
    assert (figures["Parallel pairs"], figures["Uncoordinated pairs"], figures["Share coordinated"]) == \
        ("9", "8", "11.1 %")
    rows = {r[0]: r[1:] for r in page.cells("#areas tbody tr")}
    assert rows["8012 ปากพนัง (Pak Phanang)"] == ["18", "11", "1.6", "8", "7", "12.5 %", "0", "8", "8"]
    first = page.text("#links tbody tr:first-child")
    assert "(Community Organizations Development Institute (CODI)) codi" in first and "province-wide" in first
    assert page.text("#findings ol.findings > li:first-child .severity") == "2.00"


def test_charts_are_inline_svg_with_thai_text_and_styles_allowed(open_report, province_file):
    page = open_report(province_file)
    charts = page.page.evaluate("""() => [...document.querySelectorAll('figure svg')].map(svg => ({
      figure: svg.closest('figure').id, width: svg.getBoundingClientRect().width,
      texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
      font: getComputedStyle(svg.querySelector('text')).fontFamily,
      fills: [...new Set([...svg.querySelectorAll('#patch_3 path, g[id^=patch] path')]
                 .map(p => getComputedStyle(p).fill))]}))""")
    assert [c["figure"] for c in charts] == ["chart-share", "chart-money"]
    charts = charts[::-1]
    for chart in charts:
        assert chart["width"] > 300
        assert "8012 ปากพนัง (Pak Phanang)" in chart["texts"]
        assert chart["font"].startswith('"Noto Sans Thai"')
    # the bars' colours come from style attributes: allowed by the page's CSP (by hash), so applied
    assert "rgb(46, 125, 50)" in charts[1]["fills"]
    assert "12.5 % of 8 pairs" in charts[1]["texts"] and "no pairs" in charts[1]["texts"]
    assert "0 baht; 8 of 8 programs unknown" in charts[0]["texts"]


def test_csp_refuses_any_other_style_or_script(open_report, province_file):
    page = open_report(province_file)
    csp = page.page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
    assert csp.startswith("default-src 'none'; img-src 'none'; base-uri 'none'; form-action 'none'; style-src ")
    assert "script-src" not in csp and "'unsafe-inline'" not in csp
    # a style attribute the page did not bring is refused: the CSP is enforced, not decorative
    page.page.evaluate("() => { document.body.insertAdjacentHTML('beforeend', "
                       "'<p id=probe style=\"color: rgb(1, 2, 3)\">x</p>'); }")
    assert page.page.evaluate("() => getComputedStyle(document.getElementById('probe')).color") != "rgb(1, 2, 3)"


def test_print_stylesheet(open_report, province_file, tmp_path):
    page = open_report(province_file, media="print")
    assert page.page.evaluate("() => getComputedStyle(document.querySelector('nav')).display") == "none"
    pdf = page.page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and page.requests == [page.url]


# --- the hostile dataset --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--tambon", KALO], ["--province", "80"], []], ids=["tambon", "province", "all"])
def test_hostile_report_is_inert_and_shows_the_payloads(open_report, tmp_path, hostile_dataset, args, artifacts):
    page = open_report(cli_report(tmp_path, hostile_dataset, *args))
    assert page.dialogs == [] and page.errors == [] and page.requests == [page.url]
    assert page.page.evaluate(INERT_JS) == {"xss": ["undefined", "undefined"],
                                            "elements": ["svg:chart-share", "svg:chart-money"],
                                            "styles": [1, "none"]}
    programs = {row["id"]: row for row in HOSTILE_ROWS["programs"]}
    agencies = {row["id"]: row for row in HOSTILE_ROWS["agencies"]}
    finding = page.text("#findings ol.findings > li")
    p1, p2 = programs[IDS["P1"]], programs[IDS["P2"]]
    for text in (IDS["P1"], IDS["P2"], f"{p1['name']} ({p1['name_en']})", f"{p2['name']} ({p2['name_en']})",
                 THEMES["T1"]):
        assert text in finding, text
    # P1 has 250,000 baht known, P2 none; one year (2549 BE = 2006) and one theme in common
    assert page.text("#findings .severity") == f"{1 + math.log10(1 + 250_000):.2f}"
    matrix = page.cells("#matrix table:last-of-type tbody tr")
    ends = [agencies[i] for i in sorted((IDS["A1"], IDS["A2"]))]  # a cell's agencies by id
    assert matrix == [[*(f"{a['name']} ({a['name_en']})" for a in ends), "1", "1"]]
    assert HTML["script"] in page.text("#matrix") and HTML["attr"] in page.text("#matrix")
    page.page.screenshot(path=str(artifacts / f"report-hostile-{args[0][2:] if args else 'all'}.png"), full_page=True)


# --- graphmodel report NEW --since OLD ------------------------------------------------------------

@pytest.fixture(scope="module")
def since_file(tmp_path_factory) -> Path:
    from paths import SEED_COORDINATED

    return cli_report(tmp_path_factory.mktemp("since"), SEED_COORDINATED, "--province", "80", "--since", str(SEED))


def test_since_section_offline_and_its_chart_styled(open_report, since_file, artifacts):
    page = open_report(since_file)
    assert page.requests == [page.url] and page.errors == [] and page.dialogs == []
    assert page.page.eval_on_selector_all("section", "s => s.map(x => x.id)") == [
        "summary", "since", *SECTIONS[1:]]
    assert page.text("#since h2") == "Since last time"
    rows = {r[0]: r[1:] for r in page.cells("#since > table:first-of-type tbody tr")}
    assert rows == {"8012 ปากพนัง (Pak Phanang)": ["8 → 8", "7 → 0", "12.5 % → 100.0 %", "7", "0", "0"],
                    "8021 นบพิตำ (Nopphitam)": ["1 → 1", "1 → 0", "0.0 % → 100.0 %", "1", "0", "0"]}
    resolved = page.cells("table.since-resolved tbody tr")
    assert len(resolved) == 8 and {r[3] for r in resolved} == {"coordinated"}
    assert page.page.eval_on_selector_all("#since h3", "h => h.map(x => x.textContent)") == [
        "Resolved: 8 pairs (coordinated 8)", "New: none"]
    chart = page.page.evaluate("""() => { const svg = document.querySelector('#chart-since svg');
      return {texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
              fills: [...new Set([...svg.querySelectorAll('g[id^=patch] path')].map(p => getComputedStyle(p).fill))]}; }""")
    assert "12.5 % → 100.0 %" in chart["texts"] and {"earlier", "now"} <= set(chart["texts"])
    # both bars' colours come from style attributes the page's CSP allows by hash: applied
    assert {"rgb(46, 125, 50)", "rgb(165, 214, 167)"} <= set(chart["fills"])
    page.page.locator("#since").screenshot(path=str(artifacts / "report-since.png"))


def test_since_hostile_names_are_text(open_report, tmp_path, hostile_dataset):
    """The hostile programs appear in Kalo since the seed (program_added): their ids and names shown
    as text, nothing run."""
    page = open_report(cli_report(tmp_path, hostile_dataset, "--tambon", KALO, "--since", str(SEED)))
    assert page.dialogs == [] and page.errors == [] and page.requests == [page.url]
    inert = page.page.evaluate(INERT_JS)
    assert inert["xss"] == ["undefined", "undefined"] and inert["styles"] == [1, "none"]
    assert inert["elements"] == ["svg:chart-since", "svg:chart-share", "svg:chart-money"]
    new = page.cells("table.since-appeared tbody tr")
    programs = {row["id"]: row for row in HOSTILE_ROWS["programs"]}
    p1, p2 = programs[IDS["P1"]], programs[IDS["P2"]]
    assert [r[1:4] for r in new] == [[f"{p1['name']} ({p1['name_en']}) {IDS['P1']}",
                                      f"{p2['name']} ({p2['name_en']}) {IDS['P2']}", "program added"]]
    resolved = page.cells("table.since-resolved tbody tr")
    assert [r[3] for r in resolved] == ["program removed"]  # the seed's life plan and survey are not there
