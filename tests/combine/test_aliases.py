"""Reviewed aliases (graphmodel.combine.aliases): chains, cycles, types, stale and different rows.

Each aliases file below is small enough to follow by eye; the expected problems name the
file's own lines (the header is line 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.combine import combine
from graphmodel.combine.aliases import read_aliases
from graphmodel.errors import DatasetError

from folders import AGENCIES, PROGRAMS, folder, read


def aliases(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aliases.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        read_aliases(path)
    return caught.value.lines()


def test_a_chain_resolves(tmp_path):
    read = read_aliases(aliases(tmp_path, "type,id,same_as\nagency,a,b\nagency,b,c\nagency,c,d\n"))
    assert {x: read.resolve(x) for x in "abcde"} == {"a": "d", "b": "d", "c": "d", "d": "d", "e": "e"}


def test_a_cycle_is_an_error_at_each_of_its_lines(tmp_path):
    path = aliases(tmp_path, "type,id,same_as\nagency,a,b\nagency,x,y\nagency,b,a\n")
    assert problems(path) == [
        f"{path}:2: column 'same_as': value 'b': an alias chain that ends; this one leads back to 'a' "
        "(lines 2, 4) [alias-cycle]",
        f"{path}:4: column 'same_as': value 'a': an alias chain that ends; this one leads back to 'b' "
        "(lines 4, 2) [alias-cycle]",
    ]


def test_an_alias_across_types_is_an_error(tmp_path):
    path = aliases(tmp_path, "type,id,same_as\nagency,a,b\nfund,b,c\n")
    assert problems(path) == [
        f"{path}:3: column 'id': value 'b': an alias between ids of one type; line 2 names 'b' as an agency, "
        "this line as a fund [alias-across-types]"]


@pytest.mark.parametrize("row, line", [
    ("planet,a,b,", "column 'type': value 'planet': one of agency, fund, program, group, theme [unknown-type]"),
    ("agency,a,b,maybe", "column 'decision': value 'maybe': same or different (empty: same) [unknown-decision]"),
    ("agency,,b,", "column 'id': value '': a non-empty id [empty-value]"),
    ("agency,a,a,", "column 'same_as': value 'a': an id other than the row's own id [self-alias]"),
])
def test_a_bad_row(tmp_path, row, line):
    path = aliases(tmp_path, f"type,id,same_as,decision\n{row}\n")
    assert problems(path) == [f"{path}:2: {line}"]


def test_two_targets_for_one_id_and_two_decisions_for_one_pair(tmp_path):
    path = aliases(tmp_path, "type,id,same_as,decision\nagency,a,b,\nagency,a,c,\nagency,b,a,different\n")
    assert problems(path) == [
        f"{path}:3: column 'same_as': value 'c': one same_as per id; line 2 already says 'b' [duplicate-alias]",
        f"{path}:4: column 'decision': value 'different': one decision per pair; line 2 says same "
        "[contradictory-alias]",
    ]


def test_a_missing_column(tmp_path):
    path = aliases(tmp_path, "type,id\nagency,a\n")
    assert problems(path) == [f"{path}:1: column 'same_as': a column named 'same_as' in the header [missing-column]"]


def test_a_spreadsheets_guard_quote_is_read_away(tmp_path):
    read = read_aliases(aliases(tmp_path, "type,id,same_as\nagency,'=x,'-y\n"))
    assert read.resolve("=x") == "-y"


def test_the_suggestions_columns_are_ignored_and_the_note_kept(tmp_path):
    read = read_aliases(aliases(tmp_path, "type,id,same_as,score,reason,decision,note\n"
                                          "agency,a,b,0.90,\"same name, acronym differs\",,checked by phone\n"))
    assert [(r.id, r.same_as, r.decision, r.note) for r in read.rows] == [("a", "b", "same", "checked by phone")]


# --- through combine ---------------------------------------------------------------------------------------

@pytest.fixture
def two(tmp_path: Path) -> list[Path]:
    one = folder(tmp_path / "one", agencies=AGENCIES + "dept,กรมตัวอย่าง,line_agency\n",
                 programs=PROGRAMS + "p1,โครงการ,Livelihoods,2567,2567\n",
                 implementation="implementer,program\ndept,p1\n")
    two = folder(tmp_path / "two", agencies=AGENCIES + "DEPT-1,กรมตัวอย่าง,line_agency\nx,หน่วย,academic\n",
                 programs=PROGRAMS + "p2,โครงการสอง,อาชีพ;income_making,2567,2567\n",
                 implementation="implementer,program\nDEPT-1,p2\nx,p2\n",
                 coordination="a,b,mechanism\nDEPT-1,x,team\n")
    return [one, two]


def test_every_id_column_and_theme_is_rewritten(two, tmp_path):
    path = aliases(tmp_path, "type,id,same_as\nagency,DEPT-1,dept\ntheme,income_making,occupation\n")
    summary = combine(two, tmp_path / "out", aliases=path)
    out = tmp_path / "out"
    assert [r["id"] for r in read(out / "agencies.csv")] == ["dept", "x"]
    assert [(r["implementer"], r["program"]) for r in read(out / "implementation.csv")] == [
        ("dept", "p1"), ("dept", "p2"), ("x", "p2")]
    assert [(r["a"], r["b"]) for r in read(out / "coordination.csv")] == [("dept", "x")]
    assert [r["themes"] for r in read(out / "programs.csv")] == ["occupation", "occupation"]
    assert (summary.conflicts, summary.stale, summary.aliases) == (0, 0, 2)
    assert summary.suggestions == 0


def test_a_stale_alias_is_reported_not_an_error(two, tmp_path):
    path = aliases(tmp_path, "type,id,same_as\nagency,DEPT-1,dept\nagency,gone,dept\ntheme,nothing,health\n")
    summary = combine(two, tmp_path / "out", aliases=path)
    assert summary.stale == 2
    assert [list(r.values()) for r in read(tmp_path / "out" / "combine-report.csv")][-2:] == [
        ["aliases.csv", "3", "aliases", "gone", "id", "gone", "", "", "stale-alias"],
        ["aliases.csv", "4", "aliases", "nothing", "id", "nothing", "", "", "stale-alias"],
    ]


def test_a_different_row_is_never_suggested_again(two, tmp_path):
    first = combine(two, tmp_path / "first")
    assert [s.row() for s in first.suggested] == [["agency", "DEPT-1", "dept", "1.00", "same Thai name"]]
    path = aliases(tmp_path, "type,id,same_as,decision\nagency,dept,DEPT-1,different\n")  # either way round
    second = combine(two, tmp_path / "second", aliases=path)
    assert second.suggested == [] and second.stale == 0
    assert [r["id"] for r in read(tmp_path / "second" / "agencies.csv")] == ["dept", "DEPT-1", "x"]


def test_an_alias_type_that_the_sources_contradict(two, tmp_path):
    path = aliases(tmp_path, "type,id,same_as\nfund,DEPT-1,dept\n")
    with pytest.raises(DatasetError) as caught:
        combine(two, tmp_path / "out", aliases=path)
    assert caught.value.lines()[0] == (
        f"{path}:2: column 'type': value 'fund': an alias between ids of one type; the sources hold 'dept' as an "
        f"agency ({two[0] / 'agencies.csv'} line 2) [alias-across-types]")


def test_the_suggestions_accepted_whole_are_the_one_step_path(tmp_path):
    from folders import EXAMPLE

    sources = [EXAMPLE / "nan-office", EXAMPLE / "partners-3w.csv"]
    first = combine(sources, tmp_path / "first")
    second = combine(sources, tmp_path / "second", aliases=tmp_path / "first" / "aliases-suggested.csv")
    assert second.aliases == first.suggestions == 5
    assert second.stale == 0
    taken = {s.id for s in first.suggested}
    agencies = {r["id"] for r in read(tmp_path / "second" / "agencies.csv")}
    assert not taken & agencies  # every suggested id became its same_as
