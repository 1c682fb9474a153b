"""``graphmodel validate``, ``overlaps`` and ``info`` run in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main

SEED = Path(__file__).resolve().parents[2] / "seed"

# A tiny dataset, counted by hand:
#   nodes: Agency 3, Fund 1, Program 2, Group 1, Tambon 2 (802103 Kalo, 801208 Hu Long),
#          District 2 (8021, 8012), Province 1 (80)
#   relationships: PART_OF 1 (dopa_nst -> dopa), MANAGES 1, FUNDS 1, IMPLEMENTS 2, LOCATED_IN 3,
#          BASED_IN 1, IN_DISTRICT 2, IN_PROVINCE 2; no coordination.csv, so no COORDINATES_WITH
# life_plan (codi's fund) and survey (dopa) share poverty_data in 802103 in 2006: one
# uncoordinated parallel pair. In 801208 only survey is located.
TINY = {
    "agencies": "id,name,kind,parent\ncodi,พอช.,special_agency,\ndopa,กรมการปกครอง,line_agency,\n"
                "dopa_nst,ที่ทำการปกครองจังหวัด,provincial,dopa\n",
    "funds": "id,name,agency,channel\ncodi_nst,งบ พอช.,codi,special\n",
    "programs": "id,name,themes,start_year,end_year\nlife_plan,แผนชีวิตชุมชน,poverty_data,2549,2549\n"
                "survey,สำรวจคนจน,poverty_data;community_planning,2006,2006\n",
    "groups": "id,name,kind,tambon\nkalo_fund,กองทุนหมู่บ้าน,village fund network,802103\n",
    "funding": "fund,program\ncodi_nst,life_plan\n",
    "implementation": "implementer,program\nkalo_fund,life_plan\ndopa,survey\n",
    "locations": "program,tambon\nlife_plan,802103\nsurvey,802103\nsurvey,801208\n",
}
TINY_COUNTS = {
    "Agency": 3, "BASED_IN": 1, "District": 2, "FUNDS": 1, "Fund": 1, "Group": 1, "IMPLEMENTS": 2,
    "IN_DISTRICT": 2, "IN_PROVINCE": 2, "LOCATED_IN": 3, "MANAGES": 1, "PART_OF": 1, "Program": 2,
    "Province": 1, "Tambon": 2,
}
# Three problems, one per file, worked out from the text (header = line 1).
BAD = {
    "agencies": "id,name,kind\ncodi,พอช.,ngo\n",
    "programs": "id,name,themes,start_year,end_year\nplan,แผน,poverty,2549,2548\n",
    "locations": "program,tambon\nplan,99999\n",
}
BAD_LINES = [
    "Error: ds/agencies.csv:2: column 'kind': value 'ngo': one of local_government, line_agency, "
    "provincial, special_agency, community_network, academic, civil_society [unknown-kind]",
    "Error: ds/programs.csv:2: column 'end_year': value '2548': an end year not before the start "
    "year 2549 [reversed-years]",
    "Error: ds/locations.csv:2: column 'tambon': value '99999': a 6-digit DOPA tambon code known to "
    "geothai (e.g. 801208 for Hu Long) [unknown-tambon]",
]


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke ``graphmodel ARGS...`` in tmp_path; no traceback may ever reach the output."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        result = CliRunner().invoke(main, list(args))
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


def write(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> str:
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder.name


def counts(table: str) -> dict[str, int]:
    """The ``type count`` table: header, dashes, then one row per type."""
    lines = table.strip().splitlines()
    assert lines[0].split() == ["type", "count"]
    return {name: int(n) for name, n in (line.split() for line in lines[2:])}


def overlaps_json(run, *args: str) -> list[dict]:
    result = run("overlaps", *args, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)


# ---------------------------------------------------------------- validate
def test_validate_prints_counts(run, tmp_path):
    ds = write(tmp_path / "ds", TINY)
    result = run("validate", ds)
    assert (result.exit_code, result.stderr) == (0, "")
    first, rest = result.stdout.split("\n", 1)
    assert first == "ds: valid"
    assert counts(rest) == TINY_COUNTS
    assert list(counts(rest)) == sorted(TINY_COUNTS)


def test_validate_seed(run):
    result = run("validate", str(SEED / "nst-2006"))
    assert result.exit_code == 0
    assert counts(result.stdout.split("\n", 1)[1])["Program"] == 11


@pytest.mark.parametrize("command", ["validate", "overlaps", "info"])
def test_bad_folder_exits_2_with_one_error_line_per_problem(run, tmp_path, command):
    ds = write(tmp_path / "ds", BAD)
    result = run(command, ds)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == BAD_LINES


def test_missing_folder(run):
    result = run("validate", "nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: nope: a dataset folder with agencies.csv and programs.csv, or an Excel "
                             "workbook (.xlsx) with sheets agencies and programs [missing-folder]\n")


def test_every_error_line_names_file_line_column_and_value(run, tmp_path):
    files = {**TINY, "funding": "fund,program,amount_thb\ncodi_nst,life_plan,-5\nnofund,survey,\n",
             "implementation": "implementer,program\ncodi_nst,life_plan\n"}
    result = run("validate", write(tmp_path / "ds", files))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: ds/funding.csv:2: column 'amount_thb': value '-5': an amount in baht of 0 or more [negative-amount]",
        "Error: ds/funding.csv:3: column 'fund': value 'nofund': the id of a fund; no such id [unknown-id]",
        "Error: ds/implementation.csv:2: column 'implementer': value 'codi_nst': the id of an agency or "
        "a group, not a fund [wrong-type]",
    ]


def test_encoding_cp874(run, tmp_path):
    ds = write(tmp_path / "ds", TINY, encoding="cp874")
    result = run("validate", ds, "--encoding", "cp874")
    assert result.exit_code == 0 and counts(result.stdout.split("\n", 1)[1]) == TINY_COUNTS
    # Read as UTF-8, each file with Thai text fails at its first Thai byte; ascii-only files pass.
    # agencies.csv: "id,name,kind,parent\n" (20 bytes) + "codi," -> byte 25 is พ = 0xbe in cp874.
    result = run("validate", ds)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "Error: ds/agencies.csv:2: value '0xbe': text in utf-8: byte 25 cannot be decoded "
        "(Thai Windows files need --encoding cp874) [wrong-encoding]")
    assert [line.split(":")[1] for line in result.stderr.splitlines()] == [
        " ds/agencies.csv", " ds/funds.csv", " ds/programs.csv", " ds/groups.csv"]


# 13 000 rows naming an unknown tambon: one problem per row, on lines 2 .. 13 001.
MANY_BAD = {**TINY, "locations": "program,tambon\n" + "survey,999999\n" * 13_000}


def _unknown_tambon_line(line: int) -> str:
    return (f"Error: ds/locations.csv:{line}: column 'tambon': value '999999': a 6-digit DOPA tambon "
            "code known to geothai (e.g. 801208 for Hu Long) [unknown-tambon]")


# view and load read the folder before anything else (load before it connects: port 9 is never asked).
@pytest.mark.parametrize("command", [["validate"], ["overlaps"], ["info"], ["view"],
                                     ["load", "--neo4j", "bolt://127.0.0.1:9"]])
def test_a_13000_row_bad_file_lists_50_problems_and_counts_the_rest(run, tmp_path, command):
    ds = write(tmp_path / "ds", MANY_BAD)
    result = run(command[0], ds, *command[1:])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [_unknown_tambon_line(n) for n in range(2, 52)] + [
        "Error: ... and 12950 more problems not shown (--max-errors 0 lists them all)"]


@pytest.mark.parametrize("limit, shown", [("0", 13_000), ("3", 3), ("13000", 13_000)])
def test_max_errors(run, tmp_path, limit, shown):
    result = run("validate", write(tmp_path / "ds", MANY_BAD), "--max-errors", limit)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:shown] == [_unknown_tambon_line(n) for n in range(2, 2 + shown)]
    assert lines[shown:] == ([] if shown == 13_000 else
                             [f"Error: ... and {13_000 - shown} more problems not shown "
                              "(--max-errors 0 lists them all)"])


def test_max_errors_must_be_a_count(run, tmp_path):
    result = run("validate", write(tmp_path / "ds", TINY), "--max-errors", "-1")
    assert result.exit_code == 2 and "Invalid value for '--max-errors'" in result.stderr


# ---------------------------------------------------------------- overlaps
def test_overlaps_tiny_json(run, tmp_path):
    ds = write(tmp_path / "ds", TINY)
    found = overlaps_json(run, ds)
    assert [(f["tambon"], f["programs"], f["uncoordinated_pairs"]) for f in found] == [
        ("802103", ["life_plan", "survey"], [["life_plan", "survey"]])]


def test_overlaps_tiny_table_has_thai_and_english_names(run, tmp_path):
    result = run("overlaps", write(tmp_path / "ds", TINY))
    assert result.exit_code == 0
    assert "802103" in result.stdout and "กะหรอ" in result.stdout and "Karo" in result.stdout
    assert "1. Why: " in result.stdout and "   Fix: " in result.stdout
    assert result.stdout.rstrip().endswith("1 uncoordinated pair in 1 tambon.")


def test_overlaps_seed_json_shape(run):
    found = overlaps_json(run, str(SEED / "nst-2006"))
    assert [f["tambon"] for f in found] == sorted(f["tambon"] for f in found)
    for f in found:
        assert {"tambon", "programs", "uncoordinated_pairs"} <= f.keys()
        assert f["uncoordinated_pairs"], "only tambons with an uncoordinated pair are listed"
        assert f["programs"] == sorted(set(f["programs"]))
        assert f["uncoordinated_pairs"] == sorted(sorted(p) for p in f["uncoordinated_pairs"])
        assert {x for p in f["uncoordinated_pairs"] for x in p} <= set(f["programs"])
    kalo = next(f for f in found if f["tambon"] == "802103")
    assert kalo["programs"] == ["codi_life_plan", "dopa_poverty_survey"]
    assert kalo["uncoordinated_pairs"] == [["codi_life_plan", "dopa_poverty_survey"]]


def test_overlaps_coordinated_seed_has_none(run):
    result = run("overlaps", str(SEED / "nst-2006-coordinated"), "--format", "json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")
    result = run("overlaps", str(SEED / "nst-2006-coordinated"))
    assert result.stdout == "No uncoordinated parallel programs found.\n"


@pytest.mark.parametrize("option, value, tambons", [
    ("--tambon", "802103", ["802103"]),
    ("--tambon", "801208", ["801208"]),
    ("--tambon", "800101", []),
    ("--province", "80", ["801208", "802103"]),
    ("--province", "10", []),
])
def test_overlaps_filters(run, option, value, tambons):
    found = overlaps_json(run, str(SEED / "nst-2006"), option, value)
    assert [f["tambon"] for f in found] == tambons


def test_overlaps_csv(run):
    result = run("overlaps", str(SEED / "nst-2006"), "--tambon", "802103", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["tambon", "tambon_name_th", "tambon_name_en", "program_a", "program_a_name",
                       "program_b", "program_b_name", "shared_themes", "overlap_start", "overlap_end",
                       "agencies_a", "agencies_b", "explanation", "fix"]
    assert [r[:4] + r[5:6] for r in rows[1:]] == [
        ["802103", "กะหรอ", "Karo", "codi_life_plan", "dopa_poverty_survey"]]


# ---------------------------------------------------------------- info, help
def test_info(run, tmp_path):
    result = run("info", write(tmp_path / "ds", TINY))
    assert (result.exit_code, result.stderr) == (0, "")
    table, summary = result.stdout.split("\n\n")
    assert counts(table) == TINY_COUNTS
    assert summary.startswith("parallel program pairs: 1 (1 uncoordinated, in 1 tambon")


@pytest.mark.parametrize("command", ["validate", "overlaps", "info"])
def test_help_shows_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"graphmodel {command} seed/nst-2006" in result.stdout
