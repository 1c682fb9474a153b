"""``graphmodel.synth``: deterministic, counts as documented, valid codes, a valid dataset with findings."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import geothai
import pytest

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import SynthError
from graphmodel.synth import BENCHMARK_PROVINCES, check_provinces, synthesize
from described import described_pairs

FILES = ("agencies", "funds", "programs", "groups", "funding", "implementation", "locations", "coordination")
REL_TYPES = ("FUNDS", "IMPLEMENTS", "LOCATED_IN", "COORDINATES_WITH", "MANAGES", "BASED_IN", "PART_OF",
             "IN_DISTRICT", "IN_PROVINCE")

# Krabi (81) at scale 1, worked out by hand from docs/synth.md and geothai's gazetteer:
# 8 districts with 10, 6, 5, 7, 9, 4, 4, 8 tambons (53); half of each, rounded up: 5, 3, 3, 4, 5, 2, 2, 4 (28).
# Shares of 53 tambons (half up): 0.5 -> 27, 0.4 -> 21, 0.35 -> 19, 0.3 -> 16, 0.2 -> 11, 0.1 -> 5.
#   agencies       11 national + 4 provincial + 53 local governments             = 68
#   funds          8 line + 1 CEO + 3 special + 53 local                           = 65
#   programs       3 CEO + 4 pilots + 8 agencies x 5 x 8 districts + 30 x 53       = 7 + 320 + 1590 = 1917
#   groups         2 x 53                                                          = 106
#   funding        one row per program                                             = 1917
#   implementation 1590 local leads + 320 line leads + 3 x 2 CEO + pilots' first groups
#                  (27 + 16 + 5 + 11 = 59) + 106 groups x 2 local + 53 second groups x 1 district
#                  = 1590 + 320 + 6 + 59 + 212 + 53                                = 2240
#   locations      1590 local + 8 x (3 x 53 + 2 x 28) district + CEO (21 + 16 + 11) + pilots 59
#                  = 1590 + 1720 + 48 + 59                                         = 3417
#   coordination   4 province-wide + 19 joint tambon plans + 5 joint activities    = 28
#   relationships  1917 + 2240 + 3417 + 28 + 65 MANAGES + 106 BASED_IN + 1 PART_OF
#                  + 53 IN_DISTRICT + 8 IN_PROVINCE                                = 7835
KRABI = {"agencies": 68, "funds": 65, "programs": 1917, "groups": 106, "funding": 1917,
         "implementation": 2240, "locations": 3417, "coordination": 28}
KRABI_RELATIONSHIPS = 7835


def documented_rows(provinces: tuple[str, ...], scale: float) -> dict[str, int]:
    """Rows per file from the formulas of docs/synth.md, with areas counted from geothai."""
    per_unit = lambda n: max(1, math.floor(n * scale + 0.5))  # noqa: E731
    share = lambda n, f: min(n, max(1, math.floor(n * f + 0.5)))  # noqa: E731
    local, groups, line = per_unit(30), per_unit(2), per_unit(5)
    sizes = {p: [len(geothai.subdistricts(d.code)) for d in geothai.districts(p)] for p in provinces}
    P, D = len(provinces), sum(len(s) for s in sizes.values())
    T = sum(sum(s) for s in sizes.values())
    pilots = sum(share(sum(s), f) for s in sizes.values() for f in (0.5, 0.3, 0.1, 0.2))
    ceo = sum(share(sum(s), f) for s in sizes.values() for f in (0.4, 0.3, 0.2))
    programs = 7 * P + 8 * line * D + local * T
    district_locations = sum(8 * ((line + 1) // 2 * n + line // 2 * ((n + 1) // 2))
                             for s in sizes.values() for n in s)
    return {
        "agencies": 11 + 4 * P + T,
        "funds": 12 * P + T,
        "programs": programs,
        "groups": groups * T,
        "funding": programs,
        "implementation": local * T + 8 * line * D + 6 * P + pilots + groups * T * min(2, local)
                          + (groups - 1) * T,
        "locations": local * T + district_locations + ceo + pilots,
        "coordination": sum(4 + share(sum(s), 0.35) + share(sum(s), 0.10) for s in sizes.values()),
    }


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def lines(folder: Path, name: str) -> list[bytes]:
    return (folder / f"{name}.csv").read_bytes().splitlines(keepends=True)


def test_krabi_counts_worked_by_hand(tmp_path):
    summary = synthesize(tmp_path / "krabi", provinces=["81"])
    assert summary.rows == KRABI
    assert summary.relationships == KRABI_RELATIONSHIPS
    assert (summary.provinces, summary.districts, summary.tambons) == (("81",), 8, 53)
    # The files hold what the summary says: data lines = rows (no value spans two lines).
    for name, n in KRABI.items():
        assert len(lines(tmp_path / "krabi", name)) == n + 1


@pytest.mark.parametrize("provinces, scale", [(("81",), 0.1), (("81", "83"), 0.75), (("83",), 2.5)])
def test_counts_follow_the_documented_formula(tmp_path, provinces, scale):
    summary = synthesize(tmp_path / "ds", provinces=provinces, scale=scale)
    assert summary.rows == documented_rows(provinces, scale)


def test_the_reader_accepts_it_and_counts_the_same_relationships(synth_dir):
    dataset = read_dataset(synth_dir)
    counts = dataset.counts()
    summary_rows = {name: len(read_rows(synth_dir, name)) for name in FILES}
    assert counts["Agency"] == summary_rows["agencies"] and counts["Program"] == summary_rows["programs"]
    assert counts["Tambon"] == 17 and counts["District"] == 3 and counts["Province"] == 1
    # The relationship total the summary reports is the reader's own total.
    again = synthesize(synth_dir.parent / "again", provinces=["83"])
    assert again.relationships == sum(counts[t] for t in REL_TYPES)


def test_same_arguments_give_the_same_bytes(tmp_path):
    one = synthesize(tmp_path / "one", provinces=["83"], scale=0.5, seed=7)
    two = synthesize(tmp_path / "two", provinces=["83"], scale=0.5, seed=7)
    other = synthesize(tmp_path / "other", provinces=["83"], scale=0.5, seed=8)
    for name in FILES:
        assert lines(one.folder, name) == lines(two.folder, name), name
    assert (one.folder / "README.md").read_bytes() == (two.folder / "README.md").read_bytes()
    assert lines(one.folder, "programs") != lines(other.folder, "programs")


def test_a_province_gives_the_same_rows_alone_and_with_others(tmp_path):
    krabi = synthesize(tmp_path / "81", provinces=["81"], seed=3)
    phuket = synthesize(tmp_path / "83", provinces=["83"], seed=3)
    both = synthesize(tmp_path / "both", provinces=["83", "81"], seed=3)  # order given does not matter
    assert both.provinces == ("81", "83")
    for name in FILES:
        alone = lines(krabi.folder, name)
        national = set(alone)  # the header and national rows are in every run; the rest is Krabi's
        expected = alone + [line for line in lines(phuket.folder, name) if line not in national]
        assert lines(both.folder, name) == expected, name


def test_every_tambon_is_a_current_code_of_the_chosen_provinces(tmp_path):
    folder = synthesize(tmp_path / "ds", provinces=["81", "83"], scale=0.2).folder
    used = {r["tambon"] for r in read_rows(folder, "locations")} | {r["tambon"] for r in read_rows(folder, "groups")}
    used |= {r["tambon"] for r in read_rows(folder, "coordination") if r["tambon"]}
    current = {s.code for p in ("81", "83") for d in geothai.districts(p) for s in geothai.subdistricts(d.code)}
    assert len(current) == 53 + 17
    assert used == current  # every current tambon is used, and nothing else


def test_programs_stay_in_their_area_and_look_like_the_seed(synth_dir):
    programs = {r["id"]: r for r in read_rows(synth_dir, "programs")}
    where = defaultdict(set)
    for r in read_rows(synth_dir, "locations"):
        where[r["program"]].add(r["tambon"])
    agency_kind = {r["id"]: r["kind"] for r in read_rows(synth_dir, "agencies")}
    fund_of = {r["program"]: r for r in read_rows(synth_dir, "funding")}
    fund_channel = {r["id"]: r["channel"] for r in read_rows(synth_dir, "funds")}
    for pid, row in programs.items():
        assert where[pid], f"{pid} has no location"
        if pid.startswith("lg"):  # a local government's program: its own tambon only
            assert where[pid] == {pid[2:8]}
            assert agency_kind[pid.split("_")[0]] == "local_government"
        elif row["pilot"] == "false":  # a line agency's district program: inside the district
            district = pid.split("_")[0][-4:]
            assert {t[:4] for t in where[pid]} == {district}
        else:  # CEO programs and special pilots: in the province, funded by ceo/special channels
            assert {t[:2] for t in where[pid]} == {"83"}
            assert fund_channel[fund_of[pid]["fund"]] in ("ceo", "special")
    years = [(int(r["start_year"]), int(r["end_year"])) for r in programs.values()]
    assert all(2566 <= s <= e for s, e in years)
    assert any(e > s for s, e in years), "multi-year programs"
    amounts = [r["amount_thb"] for r in fund_of.values()]
    assert "" in amounts and sum(a != "" for a in amounts) > 0.8 * len(amounts)
    themes_by_kind = defaultdict(set)
    for pid, row in programs.items():
        themes_by_kind[pid.startswith("lg")] |= set(row["themes"].split(";"))
    assert len(themes_by_kind[True] & themes_by_kind[False]) >= 10, "themes shared across agencies"


def test_the_overlaps_rule_finds_parallel_pairs(synth_dir):
    pairs = described_pairs(EmbeddedBackend(read_dataset(synth_dir)))
    uncoordinated = [p for p in pairs if not p.coordinated]
    assert len(pairs) > 17 * 10
    assert 0 < len(pairs) - len(uncoordinated) < len(uncoordinated)
    # The seed's story recurs: a CODI life plan beside the governor's poverty survey, unlinked.
    assert any({p.a.program.id, p.b.program.id} == {"codi83_1", "ceo83_1"} for p in uncoordinated)


def test_benchmark_sets_are_about_1_and_10_percent_of_tambons():
    def tambons(codes):
        return sum(len(geothai.subdistricts(d.code)) for c in codes for d in geothai.districts(c))

    assert tambons(BENCHMARK_PROVINCES["1%"]) == 48 + 30
    assert tambons(BENCHMARK_PROVINCES["10%"]) == 170 + 53 + 48 + 17 + 131 + 30 + 70 + 127 + 36 + 65
    assert set(BENCHMARK_PROVINCES["1%"]) <= set(BENCHMARK_PROVINCES["10%"])


def test_unknown_provinces_are_named():
    with pytest.raises(SynthError, match=r"^unknown province codes '99', '1': 2-digit"):
        check_provinces(["81", "99", "1", "99"])
    with pytest.raises(SynthError, match="no province codes"):
        check_provinces([])


def test_refuses_a_non_empty_folder_and_writes_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SynthError, match="not empty"):
        synthesize(tmp_path, provinces=["83"])
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(SynthError, match="not a file"):
        synthesize(tmp_path / "notes.txt", provinces=["83"])
    with pytest.raises(SynthError, match="a number above 0"):
        synthesize(tmp_path / "new", provinces=["83"], scale=0)
    assert not (tmp_path / "new").exists()


def test_force_replaces_the_dataset_and_keeps_other_files(tmp_path):
    synthesize(tmp_path, provinces=["81"], force=True)
    (tmp_path / "notes.txt").write_text("mine")
    summary = synthesize(tmp_path, provinces=["83"], scale=0.5, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{n}.csv" for n in FILES] + ["README.md", "notes.txt"])
    assert len(lines(tmp_path, "programs")) == summary.rows["programs"] + 1
    assert summary.rows == documented_rows(("83",), 0.5)


def test_progress_bar_on_request(tmp_path, capsys):
    synthesize(tmp_path / "bar", provinces=["83"], scale=0.1, progress=True)
    assert "17/17" in capsys.readouterr().err
    synthesize(tmp_path / "quiet", provinces=["83"], scale=0.1, progress=False)
    assert capsys.readouterr().err == ""
