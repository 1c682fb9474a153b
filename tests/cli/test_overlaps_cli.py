"""``graphmodel overlaps`` output options: ``--format jsonl``, ``--summary``, ``--limit``.

Expected values come from the docs' worked example (Kalo), from a tiny
dataset counted by hand, and from the brute-force oracle of the rule
(tests/analysis/rule_oracle.py) on the seed and on a generated province
(``synth_dir``, ``synth_rule``), aggregated here per area without any
graphmodel code. The same commands from Neo4j are held equal in
tests/backends/test_parity.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main
from graphmodel.dataset import read_dataset

from paths import SEED

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from rule_oracle import brute_force  # noqa: E402

JSONL_KEYS = ["tambon", "tambon_name_th", "tambon_name_en", "district", "district_name_th",
              "district_name_en", "province", "province_name_th", "province_name_en", "programs",
              "shared_themes", "overlap_years", "sides", "explanation", "fix"]
SUMMARY_COLUMNS = ["name_th", "name_en", "parallel_pairs", "uncoordinated_pairs", "programs",
                   "programs_uncoordinated"]

# One parallel pair, counted by hand (the TINY dataset of test_dataset_cli.py, shortened):
# life_plan (codi's fund) and survey (dopa) share poverty_data in Kalo (802103) in 2006.
TINY = {
    "agencies": "id,name,kind\ncodi,พอช.,special_agency\ndopa,กรมการปกครอง,line_agency\n",
    "funds": "id,name,agency,channel\ncodi_nst,งบ พอช.,codi,special\n",
    "programs": "id,name,themes,start_year,end_year\nlife_plan,แผนชีวิตชุมชน,poverty_data,2549,2549\n"
                "survey,สำรวจคนจน,poverty_data;community_planning,2006,2006\n",
    "funding": "fund,program\ncodi_nst,life_plan\n",
    "implementation": "implementer,program\ndopa,survey\n",
    "locations": "program,tambon\nlife_plan,802103\nsurvey,802103\nsurvey,801208\n",
}


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEO4J_URI", raising=False)

    def invoke(*args: str) -> Result:
        result = CliRunner().invoke(main, ["overlaps", *args])
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


def ok(result: Result) -> str:
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def jsonl(text: str) -> list[dict]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def expected_summary(answer: dict[tuple[str, str, str], bool], digits: int) -> dict[str, list[int]]:
    """Per area code: parallel pairs, uncoordinated pairs, programs in either, programs in uncoordinated."""
    pairs = defaultdict(lambda: [0, 0])
    programs, involved = defaultdict(set), defaultdict(set)
    for (tambon, a, b), coordinated in answer.items():
        area = tambon[:digits]
        pairs[area][0] += 1
        programs[area] |= {a, b}
        if not coordinated:
            pairs[area][1] += 1
            involved[area] |= {a, b}
    return {area: [n, u, len(programs[area]), len(involved[area])] for area, (n, u) in pairs.items()}


def summary_csv(text: str, level: str) -> dict[str, list]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [level, *SUMMARY_COLUMNS] if rows else True
    return {r[level]: [r["name_th"], r["name_en"], *(int(r[c]) for c in SUMMARY_COLUMNS[2:])] for r in rows}


def write(folder: Path, files: dict[str, str]) -> str:
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return str(folder)


# ---------------------------------------------------------------- --format jsonl
def test_jsonl_kalo_is_the_worked_example(run):
    # docs/analysis.md works this pair through by hand.
    (kalo,) = jsonl(ok(run(str(SEED), "--tambon", "802103", "--format", "jsonl")))
    assert list(kalo) == JSONL_KEYS
    assert (kalo["tambon"], kalo["tambon_name_th"], kalo["tambon_name_en"]) == ("802103", "กะหรอ", "Karo")
    assert (kalo["district"], kalo["district_name_en"]) == ("8021", "Nopphitam")
    assert (kalo["province"], kalo["province_name_th"], kalo["province_name_en"]) == (
        "80", "นครศรีธรรมราช", "Nakhon Si Thammarat")
    assert kalo["programs"] == ["codi_life_plan", "dopa_poverty_survey"]
    assert kalo["shared_themes"] == ["community_planning", "poverty_data"]
    assert kalo["overlap_years"] == [2006, 2006]
    a, b = kalo["sides"]
    assert [x["id"] for x in a["agencies"]] == ["codi"]
    assert [x["id"] for x in b["agencies"]] == ["dopa", "nst_governor", "yamna"]
    assert [g["id"] for g in a["groups"]] == ["kalo_village_fund_network"]
    assert kalo["fix"].startswith("Link the two sides in this tambon: add the row 'codi,dopa,joint tambon plan,802103'")
    assert "แผนชีวิตชุมชน" in kalo["explanation"] and "Karo" in kalo["explanation"]


def test_jsonl_lines_are_the_json_formats_uncoordinated_pairs(run):
    """Same pairs, same sides, explanations and fixes as --format json, one per line."""
    lines = jsonl(ok(run(str(SEED), "--format", "jsonl")))
    found = json.loads(ok(run(str(SEED), "--format", "json")))
    from_json = [{"tambon": f["tambon"], **{k: p[k] for k in JSONL_KEYS[9:]}}
                 for f in found for p in f["pairs"] if not p["coordinated"]]
    assert [{"tambon": x["tambon"], **{k: x[k] for k in JSONL_KEYS[9:]}} for x in lines] == from_json
    assert len(lines) == sum(not c for c in brute_force(read_dataset(SEED)).values())


def test_jsonl_and_csv_of_a_generated_province_are_the_oracles_uncoordinated_pairs(run, synth_dir, synth_rule):
    expected = sorted(k for k, coordinated in synth_rule.items() if not coordinated)
    lines = jsonl(ok(run(str(synth_dir), "--format", "jsonl")))
    assert [(x["tambon"], *x["programs"]) for x in lines] == expected  # in tambon, then id order
    rows = list(csv.DictReader(io.StringIO(ok(run(str(synth_dir), "--format", "csv")), newline="")))
    assert [(r["tambon"], r["program_a"], r["program_b"]) for r in rows] == expected
    assert all(x["province"] == "83" and x["province_name_en"] == "Phuket" for x in lines)


@pytest.mark.parametrize("option, code", [("--district", "8302"), ("--province", "83"), ("--tambon", "830101"),
                                          ("--district", "8012")])
def test_an_area_option_lists_the_oracles_pairs_there(run, synth_dir, synth_rule, option, code):
    expected = sorted(k for k, coordinated in synth_rule.items() if not coordinated and k[0].startswith(code))
    rows = list(csv.DictReader(io.StringIO(ok(run(str(synth_dir), option, code, "--format", "csv")), newline="")))
    assert [(r["tambon"], r["program_a"], r["program_b"]) for r in rows] == expected
    assert expected or code == "8012"  # 8012 is in another province: nothing there


def test_two_area_options_exit_2(run):
    result = run(str(SEED), "--district", "8012", "--province", "80")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == "Error: give at most one of --tambon, --district, --province; got --district, --province"


def test_jsonl_with_nothing_to_report_is_empty(run):
    assert ok(run(str(SEED.parent / "nst-2006-coordinated"), "--format", "jsonl")) == ""


# ---------------------------------------------------------------- --summary
def test_summary_tiny_by_hand(run, tmp_path):
    ds = write(tmp_path / "ds", TINY)
    assert summary_csv(ok(run(ds, "--summary", "--format", "csv")), "province") == {
        "80": ["นครศรีธรรมราช", "Nakhon Si Thammarat", 1, 1, 2, 2]}
    assert summary_csv(ok(run(ds, "--summary", "tambon", "--format", "csv")), "tambon") == {
        "802103": ["กะหรอ", "Karo", 1, 1, 2, 2]}  # Hu Long (801208) has one program: no pair, no row
    assert ok(run(ds, "--summary")) == (
        "province  name_th       name_en              parallel_pairs  uncoordinated_pairs  programs  programs_uncoordinated\n"
        "--------  ------------  -------------------  --------------  -------------------  --------  ----------------------\n"
        "80        นครศรีธรรมราช  Nakhon Si Thammarat  1               1                    2         2\n"
        "\n"
        "1 province: 1 parallel pair, 1 uncoordinated.\n")


@pytest.mark.parametrize("level, digits", [("tambon", 6), ("district", 4), ("province", 2)])
def test_summary_of_a_generated_province_is_the_oracles_count(run, synth_dir, synth_rule, level, digits):
    expected = expected_summary(synth_rule, digits)
    got = summary_csv(ok(run(str(synth_dir), "--summary", level, "--format", "csv")), level)
    assert {k: v[2:] for k, v in got.items()} == expected
    assert list(got) == sorted(expected)
    names = {"83": ["ภูเก็ต", "Phuket"], "8301": ["เมืองภูเก็ต", "Mueang Phuket"], "8302": ["กะทู้", "Kathu"],
             "8303": ["ถลาง", "Thalang"], "830101": ["ตลาดใหญ่", "Talat Yai"]}
    assert all(got[k][:2] == names[k] for k in got if k in names) and any(k in names for k in got)
    # json and jsonl say the same as csv
    as_json = json.loads(ok(run(str(synth_dir), "--summary", level, "--format", "json")))
    as_jsonl = jsonl(ok(run(str(synth_dir), "--summary", level, "--format", "jsonl")))
    assert as_json == as_jsonl
    assert {r[level]: [r["name_th"], r["name_en"], *(r[c] for c in SUMMARY_COLUMNS[2:])] for r in as_json} == got


def test_summary_of_the_seed_and_its_total_line(run):
    answer = brute_force(read_dataset(SEED))
    (row,) = expected_summary(answer, 2).values()
    table = ok(run(str(SEED), "--summary", "province"))
    assert table.splitlines()[2].split() == ["80", "นครศรีธรรมราช", "Nakhon", "Si", "Thammarat", *map(str, row)]
    assert table.endswith(f"\n\n1 province: {row[0]} parallel pairs, {row[1]} uncoordinated.\n")


def test_summary_then_dir_is_read_as_the_level(run):
    result = run("--summary", str(SEED))
    assert result.exit_code == 2 and "is not one of 'tambon', 'district', 'province'" in result.stderr


# ---------------------------------------------------------------- --limit
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table", "json"])
def test_limit_stops_after_n_uncoordinated_pairs_and_says_so(run, synth_dir, synth_rule, fmt):
    first = sorted(k for k, coordinated in synth_rule.items() if not coordinated)[:5]
    result = run(str(synth_dir), "--format", fmt, "--limit", "5")
    assert result.exit_code == 0
    assert result.stderr == "Stopped after 5 uncoordinated pairs (--limit 5); there may be more.\n"
    out = result.stdout
    if fmt == "jsonl":
        listed = [(x["tambon"], *x["programs"]) for x in jsonl(out)]
    elif fmt == "csv":
        listed = [(r["tambon"], r["program_a"], r["program_b"]) for r in csv.DictReader(io.StringIO(out))]
    elif fmt == "json":
        listed = [(f["tambon"], *p) for f in json.loads(out) for p in f["uncoordinated_pairs"]]
    else:
        table, _why, count = out.split("\n\n")
        rows = [re.split(r"\s{2,}", line) for line in table.splitlines()[2:]]  # cells: 2+ spaces apart
        listed = [(r[0].split()[0], r[1], r[2]) for r in rows]  # "830101 ตลาดใหญ่ (Talat Yai)", A, B
        tambons = len({t for t, _, _ in first})
        assert count == f"5 uncoordinated pairs in {tambons} tambon{'s' if tambons > 1 else ''}.\n"
    assert listed == first


def test_limit_above_the_count_prints_everything_and_no_note(run, tmp_path):
    ds = write(tmp_path / "ds", TINY)
    result = run(ds, "--format", "jsonl", "--limit", "2")
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(jsonl(result.stdout)) == 1
    result = run(ds, "--format", "jsonl", "--limit", "1")  # exactly the count: it stopped there
    assert result.stderr == "Stopped after 1 uncoordinated pair (--limit 1); there may be more.\n"


@pytest.mark.parametrize("args, message", [
    (["--limit", "0"], "Invalid value for '--limit': 0 is not in the range x>=1."),
    (["--limit", "3", "--summary"], "--limit counts listed pairs; --summary counts them all: give one"),
    (["--format", "xml"], "Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv', 'jsonl'."),
])
def test_bad_options_exit_2_with_one_message(run, args, message):
    result = run(str(SEED), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_help_has_examples_of_each_option(run):
    text = ok(run("--help"))
    for example in ("--format jsonl --limit 100", "--summary district --format csv", "--neo4j"):
        assert example in text
