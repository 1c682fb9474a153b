"""``graphmodel report``: content, formats, errors, and the same report from a folder and from Neo4j.

Expected values are worked out by hand from the seed's CSV files (docs/analysis.md,
the worked examples): province 80 has 170 tambons with a program (the life plan is
located in all of them), 11 programs, 9 parallel pairs of which 8 are uncoordinated
(7 in Hu Long, 1 in Kalo; Hu Long's 8th, cdd_otop_finance / codi_revival, shares the
savings group); no amount is known for any of the 8 programs in those pairs. The first
recommended link for the province is codi – dopa province-wide (it resolves the life
plan / survey pair in Kalo and in Hu Long); for Hu Long alone, cdd – doae, and five
links resolve its seven pairs. The browser tests are in tests/views/test_report_page.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main

from paths import REPO, SEED, SEED_COORDINATED

HU_LONG = "801208 หูล่อง (Hu Long)"
KALO = "802103 กะหรอ (Karo)"


def run(*args: str, env: dict | None = None) -> Result:
    result = CliRunner(env={"NEO4J_URI": None, **(env or {})}).invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def report(tmp_path: Path, *args: str, name: str = "report.md", source: Path | None = SEED,
           env: dict | None = None) -> str:
    out = tmp_path / name
    result = run("report", *([str(source)] if source else []), *args, "-o", str(out), env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""  # no progress unless asked (stderr is no terminal)
    return out.read_text(encoding="utf-8")


def section(md: str, title: str) -> str:
    """The text of one ``## title`` section of the Markdown report."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", md, flags=re.S | re.M)
    assert match, title
    return match.group(1)


def table(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``text`` (header and separator dropped), cells unescaped."""
    lines = re.search(r"^\|.*?(?=^[^|]|\Z)", text, flags=re.S | re.M).group(0).splitlines()
    cells = [re.split(r"(?<!\\)\|", line.strip()[1:-1]) for line in lines]
    return [[c.strip().replace("\\", "") for c in row] for row in cells[2:]]


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> str:
    return report(tmp_path_factory.mktemp("p80"), "--province", "80")


def test_summary_of_province_80(province):
    rows = dict(table(section(province, "Summary")))
    assert rows == {"Tambons with programs": "170", "Programs": "11", "Agencies per tambon": "1.1",
                    "Parallel pairs": "9", "Uncoordinated pairs": "8", "Share coordinated": "11.1 %",
                    "Money in uncoordinated pairs, known": "0 baht", "Programs in uncoordinated pairs": "8",
                    "Of them, money unknown": "8"}


def test_agencies_per_tambon_by_hand(province):
    # 168 tambons with the life plan only (codi), Hu Long's 11 agencies, Kalo's: codi, dopa, nst_governor, yamna
    assert f"{(168 + 11 + 4) / 170:.1f}" == dict(table(section(province, "Summary")))["Agencies per tambon"]


def test_table_per_district(province):
    rows = {r[0]: r[1:] for r in table(section(province, "By district"))}
    assert len(rows) == 23  # every district of Nakhon Si Thammarat: the life plan is in all
    # tambons, programs, agencies/tambon, pairs, uncoordinated, coordinated, baht, of programs, money unknown
    assert rows["8012 ปากพนัง (Pak Phanang)"] == ["18", "11", "1.6", "8", "7", "12.5 %", "0", "8", "8"]
    assert rows["8021 นบพิตำ (Nopphitam)"] == ["4", "2", "1.8", "1", "1", "0.0 %", "0", "2", "2"]
    assert rows["8001 เมืองนครศรีธรรมราช (Mueang Nakhon Si Thammarat)"] == ["16", "1", "1.0", "0", "0", "-", "0",
                                                                           "0", "0"]


def test_top_findings_most_severe_first(province):
    found = table(section(province, "Top findings by severity"))
    assert len(found) == 8  # all 8 (the default --top is 20)
    # two shared themes, one year, no money: 2.00; ties by tambon code
    assert [(r[1], r[2]) for r in found[:2]] == [("2.00", HU_LONG), ("2.00", KALO)]
    assert all(r[1] == "1.00" for r in found[2:])
    assert found[0][3].endswith("(codi_life_plan)") and found[0][4].endswith("(dopa_poverty_survey)")
    assert found[0][3].startswith("แผนชีวิตชุมชน (ทุกตำบล) (Community life plans (every tambon))")
    assert found[0][5:] == ["community_planning, poverty_data", "2006", "none known, 2 funding links without an amount"]
    text = section(province, "Top findings by severity")
    assert ("Severity 2.00 = 1 overlap year × 2 shared themes × (1 + log10(1 + 0)); money: none known, "
            "2 funding links without an amount (not guessed).") in text.replace("\\", "")


def test_top_limits_the_findings(tmp_path):
    found = table(section(report(tmp_path, "--province", "80", "--top", "3"), "Top findings by severity"))
    assert [r[0] for r in found] == ["1", "2", "3"]


def test_recommended_links_of_the_province(province):
    steps = table(section(province, "Recommended links"))
    assert [(s[1].rsplit(" (", 1)[1], s[2].rsplit(" (", 1)[1], s[3], s[4], s[5]) for s in steps][0] == \
        ("codi)", "dopa)", "province-wide (no tambon)", "2", "6")
    assert [s[5] for s in steps][-1] == "0" and len(steps) == 5
    assert "5 links resolve 8 of the 8 uncoordinated pairs." in section(province, "Recommended links")


def test_hu_long_links_and_pilots(tmp_path):
    md = report(tmp_path, "--tambon", "801208", "-k", "1")
    steps = table(section(md, "Recommended links"))
    assert len(steps) == 1
    assert steps[0][1].endswith("(cdd)") and steps[0][2].endswith("(doae)")
    assert steps[0][3:] == [f"tambon {HU_LONG}", "1", "6", "cdd,doae,recommended link,801208"]
    assert "no 1 of the 7 candidate links resolve more than 1 pair" in section(md, "Recommended links")
    pilots = table(section(md, "Pilots without a partner"))
    assert [p[0].rsplit(" (", 1)[1] for p in pilots] == ["thaihealth_healthy_tambon)", "trf_local_research)"]
    assert all(p[1:3] == ["pilot", "special"] and p[4:] == ["1", HU_LONG] for p in pilots)
    assert dict(table(section(md, "Summary")))["Uncoordinated pairs"] == "7"


def test_pilots_of_the_province_one_row_per_program(province):
    pilots = table(section(province, "Pilots without a partner"))
    # the life plan is listed in every tambon but Hu Long (where codi_revival's group joins cdd)
    assert [(p[0].rsplit(" (", 1)[1], p[4]) for p in pilots] == [
        ("codi_life_plan)", "169"), ("thaihealth_healthy_tambon)", "1"), ("trf_local_research)", "1")]
    assert pilots[0][5].endswith(" and 161 more")


def test_markdown_charts_are_files_next_to_it(tmp_path, province):
    md = report(tmp_path, "--district", "8012", name="pak.md")
    assert "![Money in uncoordinated pairs by tambon](pak.money.svg)" in md
    assert "![Share coordinated by tambon](pak.share.svg)" in md
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pak.md", "pak.money.svg", "pak.share.svg"]
    svg = (tmp_path / "pak.share.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and HU_LONG in svg and "12.5 % of 8 pairs" in svg
    assert "http://" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)  # namespaces only, nothing to fetch


def test_whole_graph_is_by_province(tmp_path):
    md = report(tmp_path, name="all.md")
    assert [r[0] for r in table(section(md, "By province"))] == ["80 นครศรีธรรมราช (Nakhon Si Thammarat)"]
    assert dict(table(section(md, "Summary")))["Parallel pairs"] == "9"


def test_generated_province(tmp_path, synth_dir):
    md = report(tmp_path, "--province", "83", source=synth_dir)
    districts = table(section(md, "By district"))
    assert [r[0] for r in districts] == ["8301 เมืองภูเก็ต (Mueang Phuket)", "8302 กะทู้ (Kathu)",
                                         "8303 ถลาง (Thalang)"]
    summary = dict(table(section(md, "Summary")))
    # the per-district pairs add up to the province's (a pair lies in one tambon)
    assert sum(int(r[4].replace(",", "")) for r in districts) == int(summary["Parallel pairs"].replace(",", ""))
    assert len(table(section(md, "Top findings by severity"))) == 20


def test_progress_on_stderr_when_asked(tmp_path):
    result = run("report", SEED, "--tambon", "802103", "--progress", "-o", tmp_path / "k.html")
    assert result.exit_code == 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"report: reading the parallel pairs of tambon {KALO}"
    assert lines[-1] == f"report: wrote {tmp_path / 'k.html'}"


@pytest.mark.parametrize("args, message", [
    (["-o", "r.txt"], "Invalid value for '-o' / '--output': r.txt: give a file name ending in .html (one page) "
                      "or .md (Markdown)"),
    (["--top", "0", "-o", "r.md"], "Invalid value for '--top': 0 is not in the range x>=1."),
    (["--tambon", "801208", "--province", "80", "-o", "r.md"],
     "give at most one of --tambon, --district, --province; got --tambon, --province"),
])
def test_usage_errors(tmp_path, args, message):
    result = run("report", SEED, *args)
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == f"Error: {message}"
    assert list(tmp_path.iterdir()) == []


def test_help_has_examples():
    text = run("report", "--help").stdout
    assert "graphmodel report seed/nst-2006 --province 80 -o report.html" in text
    assert "graphmodel report --neo4j bolt://127.0.0.1:7687 --province 80 -o nst.html" in text


# --- the same report from a folder and from Neo4j -------------------------------------------------

def _same(tmp_path: Path, server, folder: Path, args: list[str]) -> None:
    """Both formats, from the folder and from the server: the same files but for the source line."""
    env = {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}
    assert run("load", folder, "--replace", env=env).exit_code == 0
    for name, shown in (("r.html", '<span class="id">{}</span>'), ("r.md", "`{}`")):
        out = {"folder": tmp_path / name / "folder", "server": tmp_path / name / "server"}
        for path in out.values():
            path.mkdir(parents=True)
        from_folder = report(out["folder"], *args, name=name, source=folder)
        from_server = report(out["server"], *args, name=name, source=None, env=env)
        assert shown.format(folder) in from_folder and shown.format(server.uri) in from_server
        assert from_server.replace(shown.format(server.uri), shown.format(folder)) == from_folder, name
        assert sorted(p.name for p in out["server"].iterdir()) == sorted(p.name for p in out["folder"].iterdir())
        for svg in out["folder"].glob("*.svg"):
            assert (out["server"] / svg.name).read_bytes() == svg.read_bytes()


@pytest.mark.neo4j
def test_seed_from_a_folder_and_from_neo4j(tmp_path, empty_neo4j):
    _same(tmp_path, empty_neo4j, SEED, ["--province", "80", "--top", "5", "-k", "5"])


@pytest.mark.neo4j
def test_generated_province_from_a_folder_and_from_neo4j(tmp_path, empty_neo4j, synth_dir):
    _same(tmp_path, empty_neo4j, synth_dir, ["--province", "83", "-k", "3"])


def test_agency_matrix_of_province_80(province):
    text = section(province, "Agency × agency: uncoordinated pairs")
    grid = table(text)
    totals = {row[0].rsplit(" (", 1)[1][:-1]: int(row[1]) for row in grid}
    # by hand: codi is against dopa, nst_governor and yamna in the life plan / survey pair of Hu Long and of
    # Kalo (6), and against tao_hulong in Hu Long's life plan / TAO plan pair (1); each uncoordinated pair
    # adds one per agency of one side times agency of the other: 14 cells' worth, each counted at both ends
    assert totals == {"codi": 7, "tao_hulong": 4, "dopa": 3, "nst_governor": 3, "yamna": 3, "cdd": 2, "doae": 2,
                      "nfe": 2, "moph": 1, "thaihealth": 1}
    codi = grid[0]
    assert codi[2:7] == ["", "1", "2", "2", "2"]  # the diagonal is empty; tao_hulong 1, dopa/governor/yamna 2
    cells = table(text[text.index("### Pairs of agencies with the most uncoordinated pairs: the first 11 of 11"):])
    assert len(cells) == 11 and [c[2:] for c in cells[:3]] == [["2", "2"]] * 3


# --- graphmodel report NEW --since OLD ------------------------------------------------------------

def test_since_the_seed_before_the_remedy(tmp_path):
    """The coordinated seed since the seed (tests/analysis/test_diff.py works it by hand): 8 pairs
    resolved by the planning office, none new; Pak Phanang 7 → 0 uncoordinated of 8, Nopphitam 1 → 0 of 1."""
    md = report(tmp_path, "--province", "80", "--since", SEED, name="since.md", source=SEED_COORDINATED)
    since = section(md, "Since last time")
    assert "2 districts: 9 → 9 parallel pairs, 8 → 0 uncoordinated, 11.1 % → 100.0 % coordinated; " \
           "8 resolved, 0 new, 0 remaining." in since
    assert table(since) == [
        ["8012 ปากพนัง (Pak Phanang)", "8 → 8", "7 → 0", "12.5 % → 100.0 %", "7", "0", "0"],
        ["8021 นบพิตำ (Nopphitam)", "1 → 1", "1 → 0", "0.0 % → 100.0 %", "1", "0", "0"]]
    resolved = table(since.split("### Resolved: 8 pairs (coordinated 8)")[1])
    assert len(resolved) == 8 and {r[3] for r in resolved} == {"coordinated"}
    assert resolved[-1][0] == KALO and resolved[-1][4] == (
        "shared coordinator nst_planning, linked to codi, dopa, nst_governor (province-wide, new)")
    assert "### New: none" in since
    assert "![Share coordinated, then and now by district](since.since.svg)" in since
    svg = (tmp_path / "since.since.svg").read_text(encoding="utf-8")
    assert "12.5 % → 100.0 %" in svg and "0.0 % → 100.0 %" in svg and "earlier" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "since.md", "since.money.svg", "since.share.svg", "since.since.svg"]
    assert re.findall(r"^## (.+)$", md, flags=re.M)[:3] == ["Summary", "Since last time", "Charts"]


def test_since_lists_each_why_and_the_renamed(tmp_path):
    diff = REPO / "tests" / "data" / "diff"
    md = report(tmp_path, "--since", diff / "old", name="small.md", source=diff / "new")
    since = section(md, "Since last time")
    assert "### Resolved: 7 pairs (coordinated 2, program removed 1, no longer parallel 4)" in since
    assert "### New: 4 pairs (program added 1, became parallel 2, link removed 1)" in since
    new = table(since.split("### New:")[1])
    assert [(r[1].split(" (")[-1], r[3], r[4]) for r in new] == [
        ("arrived_a)", "became parallel", "arrived_b now located here too"),
        ("early_a)", "became parallel", "years now overlap (were 2006 and 2010)"),
        ("fresh_a)", "program added", "fresh_a is new"),
        ("unlinked_a)", "link removed", "was: link ag_unlinked_a – ag_unlinked_b (in tambon 801208, removed)")]
    assert "- stay\\_a: stay\\_a → stay\\_a renamed (Stay A)" in since  # Markdown-escaped


def test_without_since_no_such_section(province):
    assert "## Since last time" not in province
