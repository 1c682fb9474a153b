"""``graphmodel diff`` in-process: every format, --recommended, areas, usage errors.

Expected values are the hand-worked ones of tests/analysis/test_diff.py (the
seed's before and after, the small case of tests/analysis/diff_cases.py,
written as tests/data/diff/old and tests/data/diff/new).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.reports.diff import CSV_COLUMNS
from graphmodel.render import to_json

from analysis.diff_cases import expected, snapshot
from paths import REPO, SEED, SEED_COORDINATED

OLD, NEW = REPO / "tests" / "data" / "diff" / "old", REPO / "tests" / "data" / "diff" / "new"


def run(*args: str, env: dict | None = None) -> Result:
    result = CliRunner(env={"NEO4J_URI": None, **(env or {})}).invoke(main, ["diff", *map(str, args)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_small_case_folders_are_the_hand_worked_table():
    """tests/data/diff/{old,new} hold exactly what tests/analysis/diff_cases.py describes."""
    for folder, new in ((OLD, False), (NEW, True)):
        got, want = read_dataset(folder), snapshot(new=new)
        for part in ("agencies", "programs", "groups", "implementation", "locations", "coordination"):
            assert sorted(map(repr, getattr(got, part))) == sorted(map(repr, getattr(want, part))), part


def test_seed_table():
    lines = ok(SEED, SEED_COORDINATED).splitlines()
    assert lines[0] == (f"From {SEED} to {SEED_COORDINATED}, all tambons: 8 uncoordinated pairs resolved, "
                        "0 appeared, 0 remaining.")
    assert lines[2] == "Resolved: 8 pairs (coordinated 8)"
    kalo = [line.split() for line in lines if line.startswith("802103")]
    assert kalo == [["802103", "กะหรอ", "(Karo)", "codi_life_plan", "dopa_poverty_survey", "coordinated",
                     "shared", "coordinator", "nst_planning,", "linked", "to", "codi,", "dopa,", "nst_governor",
                     "(province-wide,", "new)"]]
    assert "Appeared: none." in lines and "Remaining: none." in lines
    # 9 parallel pairs, one coordinated by a shared group before: 1/9 = 11.1 % coordinated, then all.
    assert lines[-1] == "2 districts: 9 → 9 parallel pairs, 8 → 0 uncoordinated, 11.1 % → 100.0 % coordinated."


def test_small_case_json_is_one_object_with_each_how_and_why():
    text = ok(OLD, NEW, "--format", "json")
    data = json.loads(text)
    assert text == to_json(data) + "\n"  # streamed, byte for byte the one object
    assert list(data) == ["resolved", "appeared", "remaining", "summary"]
    listed = [(status, x["tambon"], x["program_a"], x["program_b"], x.get("how", x.get("why")))
              for status in ("resolved", "appeared", "remaining") for x in data[status]]
    assert listed == expected()
    items = {x["program_a"]: x for status in ("resolved", "appeared", "remaining") for x in data[status]}
    assert items["linked_a"]["by"] == [{"clause": "direct_link", "node": None, "links": [
        {"a": "ag_linked_a", "b": "ag_linked_b", "tambon": "801208", "new": True}]}]
    assert items["unlinked_a"]["was_by"] == [{"clause": "direct_link", "node": None, "links": [
        {"a": "ag_unlinked_a", "b": "ag_unlinked_b", "tambon": "801208", "removed": True}]}]
    assert items["late_a"]["changed"] == [{"condition": "years", "a": [2006, 2006], "b": [2008, 2009]}]
    assert items["ended_a"]["programs"] == ["ended_b"]
    assert items["stay_a"]["renamed"] == ["stay_a"]
    assert items["stay_a"]["program_a_name"] == "stay_a renamed (Stay A)"
    summary = data["summary"]
    assert summary["old"] == {"source": str(OLD), "parallel_pairs": 10, "uncoordinated_pairs": 8,
                              "share_coordinated": 0.2}
    assert summary["new"] == {"source": str(NEW), "parallel_pairs": 8, "uncoordinated_pairs": 5,
                              "share_coordinated": 0.375}
    assert summary["resolved"] == {"total": 7, "coordinated": 2, "program_removed": 1, "no_longer_parallel": 4}
    assert summary["appeared"] == {"total": 4, "program_added": 1, "became_parallel": 2, "link_removed": 1}
    assert summary["remaining"] == 1
    assert summary["renamed"] == [{"program": "stay_a", "old": {"name": "stay_a", "name_en": None},
                                   "new": {"name": "stay_a renamed", "name_en": "Stay A"}}]
    assert [(x["district"], x["name_en"], x["resolved"], x["appeared"], x["remaining"])
            for x in summary["districts"]] == [("8012", "Pak Phanang", 7, 4, 1)]


def test_small_case_jsonl_and_csv_list_the_same_pairs():
    data = json.loads(ok(OLD, NEW, "--format", "json"))
    lines = [json.loads(line) for line in ok(OLD, NEW, "--format", "jsonl").splitlines()]
    assert lines == [{"status": status, **x} for status in ("resolved", "appeared", "remaining") for x in data[status]]
    rows = list(csv.DictReader(io.StringIO(ok(OLD, NEW, "--format", "csv"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["status"], r["tambon"], r["program_a"], r["program_b"], r["reason"] or None) for r in rows] == expected()
    details = {r["program_a"]: r["details"] for r in rows}
    assert details["late_a"] == "years 2006 and 2008–2009 no longer overlap"
    assert details["arrived_a"] == "arrived_b now located here too"
    assert details["fresh_a"] == "fresh_a is new"
    assert details["unlinked_a"] == "was: link ag_unlinked_a – ag_unlinked_b (in tambon 801208, removed)"
    assert {r["program_a"]: r["renamed"] for r in rows if r["renamed"]} == {"stay_a": "stay_a"}


def test_small_case_table_says_a_renamed_program_only_where_it_was():
    out = ok(OLD, NEW)
    assert out.count("(renamed)") == 1 and "stay_a (renamed)" in out
    assert "  stay_a: stay_a → stay_a renamed (Stay A)" in out.splitlines()
    assert "Resolved: 7 pairs (coordinated 2, program removed 1, no longer parallel 4)" in out
    assert "Appeared: 4 pairs (program added 1, became parallel 2, link removed 1)" in out


def test_areas():
    kalo = json.loads(ok(SEED, SEED_COORDINATED, "--tambon", "802103", "--format", "json"))
    assert [(x["tambon"], x["program_a"], x["program_b"]) for x in kalo["resolved"]] == [
        ("802103", "codi_life_plan", "dopa_poverty_survey")]
    district = json.loads(ok(SEED, SEED_COORDINATED, "--district", "8012", "--format", "json"))
    assert len(district["resolved"]) == 7 and [x["district"] for x in district["summary"]["districts"]] == ["8012"]
    assert ok(SEED, SEED_COORDINATED, "--province", "81").splitlines()[-1] == "No parallel programs in OLD or NEW here."
    both = run(SEED, SEED_COORDINATED, "--tambon", "802103", "--province", "80")
    assert both.exit_code == 2 and "give at most one of --tambon, --district, --province" in both.stderr


def test_recommended_json():
    data = json.loads(ok(SEED, SEED_COORDINATED, "--recommended", "--format", "json"))
    assert [(x["a"], x["b"], x["tambon"], x["status"]) for x in data["recommended"]][:2] == [
        ("codi", "dopa", None, "not_adopted"), ("codi", "tao_hulong", "801208", "not_adopted")]
    assert data["summary"] == {"proposed": 5, "adopted": 0, "adopted_elsewhere": 0, "not_adopted": 5}
    one = json.loads(ok(SEED, SEED_COORDINATED, "--recommended", "-k", "1", "--format", "jsonl"))
    assert (one["step"], one["a"], one["b"], one["proposed_resolves"]) == (1, "codi", "dopa", 2)


@pytest.mark.parametrize("args, message", [
    ((SEED,), "give OLD and NEW: two dataset folders or workbooks"),
    ((SEED, SEED, SEED), "got one too many"),
    ((SEED, SEED, "--old-dataset", "a"), "got one too many"),
    (("--old-dataset", "a", "--new-dataset", "b"), "give --neo4j URI (or set NEO4J_URI)"),
])
def test_usage_errors(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_bad_folder_is_one_error_and_exit_2(tmp_path):
    (tmp_path / "agencies.csv").write_text("id,name,kind\na,A,nonsense\n", "utf-8")
    (tmp_path / "programs.csv").write_text("id,name,themes,start_year,end_year\n", "utf-8")
    result = run(SEED, tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "kind" in result.stderr


def test_progress_on_stderr():
    result = run(SEED, SEED_COORDINATED, "--progress", "--format", "json")
    assert result.stderr.splitlines() == [f"diff: reading OLD: {SEED}", f"diff: reading NEW: {SEED_COORDINATED}"]
    json.loads(result.stdout)


def test_help_has_examples():
    out = CliRunner().invoke(main, ["diff", "--help"]).output
    assert "graphmodel diff seed/nst-2006 seed/nst-2006-coordinated" in out
    assert "--old-dataset" in out and "--recommended" in out
