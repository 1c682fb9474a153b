"""Reading only an area's rows (graphmodel/dataset/area.py): the answers are those of the whole dataset.

Two kinds of check. The reader: a scoped read of a folder equals a full read
of the same area's rows written out by an independent reading
(``benchmarks/area_folder.py``: the csv module and sets), on the seed, a
generated pair of provinces and a hand-made dataset. The commands: every
command that takes an area prints the same bytes (and writes the same files)
from a scoped read as from a full read of the folder, for tambons,
districts, provinces and agencies; the hand-made dataset has the cases the
area's rows must not miss (worked out by hand below).

The hand-made dataset (Hu Long 801208 and Kalo 802103 of province 80; Talat
Yai 830101 in Phuket, outside):

- p1 (a1, fund f1) and p2 (a2, fund f2) in Hu Long: parallel, coordinated
  through ``c_out``, a coordinator whose two links have no tambon
  (province-wide links; a shared coordinator outside the area);
- p5 in Hu Long and Talat Yai, run by the group g2 based in Talat Yai:
  parallel to p1 and to p2, uncoordinated; the link a1–g2 limited to Talat
  Yai would coordinate p1 and p5 there (``--explain``: "linked in tambon
  830101 only");
- the pilot p3 (s1's special fund) reaches the normal system only through a
  chain of two province-wide links, s1–k1–k2 (k2 a line agency), neither
  touching another program's stake;
- c3 and c_out, both partners of a1, are linked to each other (a view draws it);
- x is linked to a2 and to p4, a program of Talat Yai run by a1 (the broker
  network counts p4 as standing for a1, so x joins it);
- in Kalo, p7 (b) and p8 (a2) are coordinated by the link b–a2 limited to Kalo;
- g1 is based in Hu Long and runs nothing; its link to c3 is drawn;
- a1's parent is a0, whose parent is a00 (agencies above those read are read);
- ``lonely`` is linked to c_out only in Talat Yai: nothing of Hu Long needs it.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphmodel.cli.options as options
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError
from graphmodel.geo import Area

from paths import REPO, SEED, SEED_COORDINATED
from synth_fixtures import make_synth_dir

sys.path.insert(0, str(REPO / "benchmarks"))
from area_folder import write_area  # noqa: E402 - the independent reading

HU_LONG, KALO, TALAT_YAI = "801208", "802103", "830101"

HAND = {
    "agencies": ["id,name,kind,parent",
                 "a00,กรม,line_agency,", "a0,สำนักงาน,provincial,a00", "a1,หน่วยหนึ่ง,line_agency,a0",
                 "a2,หน่วยสอง,special_agency,", "s1,พิเศษ,special_agency,", "c_out,ผู้ประสาน,provincial,",
                 "c3,เครือข่าย,civil_society,", "k1,ชุมชน,community_network,", "k2,กรมสอง,line_agency,",
                 "x,มหาวิทยาลัย,academic,", "b,อบต.,local_government,", "lonely,เดี่ยว,civil_society,"],
    "funds": ["id,name,agency,channel",
              "f1,งบหนึ่ง,a1,normal", "f2,งบสอง,a2,special", "fs,งบพิเศษ,s1,special", "f_out,งบนอก,a1,normal"],
    "programs": ["id,name,themes,start_year,end_year,pilot",
                 "p1,แผนหนึ่ง,poverty,2006,2006,", "p2,แผนสอง,poverty,2006,2007,", "p3,นำร่อง,health,2006,2006,true",
                 "p4,แผนนอก,poverty,2006,2006,", "p5,แผนกลุ่ม,poverty,2006,2006,", "p7,แผนเจ็ด,poverty,2006,2006,",
                 "p8,แผนแปด,poverty,2006,2006,"],
    "groups": ["id,name,kind,tambon", f"g1,กลุ่มหนึ่ง,savings group,{HU_LONG}",
               f"g2,กลุ่มสอง,occupational group,{TALAT_YAI}"],
    "funding": ["fund,program,amount_thb", "f1,p1,100000", "f2,p2,", "fs,p3,50000", "f_out,p4,"],
    "implementation": ["implementer,program", "a1,p1", "s1,p3", "a1,p4", "g2,p5", "b,p7", "a2,p8"],
    "locations": ["program,tambon", f"p1,{HU_LONG}", f"p2,{HU_LONG}", f"p3,{HU_LONG}", f"p4,{TALAT_YAI}",
                  f"p5,{HU_LONG}", f"p5,{TALAT_YAI}", f"p7,{KALO}", f"p8,{KALO}"],
    "coordination": ["a,b,mechanism,tambon",
                     "a1,c_out,provincial committee,", "c_out,a2,provincial committee,",
                     "a1,c3,network,", "c3,c_out,network,", f"a1,g2,occupational fair,{TALAT_YAI}",
                     "s1,k1,pilot network,", "k1,k2,pilot network,", "x,p4,research,", "x,a2,research,",
                     f"b,a2,tambon plan,{KALO}", "g1,c3,savings network,", f"lonely,c_out,visit,{TALAT_YAI}"],
}


def write_folder(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> Path:
    return write_folder(tmp_path_factory.mktemp("hand") / "dataset", HAND)


@pytest.fixture(scope="module")
def two_provinces(tmp_path_factory) -> Path:
    """Phuket (83) and Phang Nga (82), generated at half scale: an area is one of several provinces."""
    return make_synth_dir(tmp_path_factory, "two", provinces=("83", "82"), scale=0.5)


def _folder(name: str, request) -> Path:
    return {"seed": SEED, "coordinated": SEED_COORDINATED}.get(name) or request.getfixturevalue(name)


AREAS = [("seed", "tambon", HU_LONG), ("seed", "tambon", KALO), ("seed", "district", "8021"),
         ("seed", "province", "80"), ("coordinated", "tambon", HU_LONG),
         ("two_provinces", "province", "83"), ("two_provinces", "district", "8202"),
         ("two_provinces", "tambon", "820101"), ("hand", "tambon", HU_LONG), ("hand", "district", "8012"),
         ("hand", "province", "80")]


# --- the reader -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind, code", AREAS)
def test_an_area_read_equals_a_full_read_of_the_areas_rows(name, kind, code, request, tmp_path):
    folder = _folder(name, request)
    expected = read_dataset(write_area(folder, code, tmp_path / "area") and tmp_path / "area")
    assert read_dataset(folder, area=Area.of(**{kind: code})) == expected


def test_the_hand_made_area_holds_what_was_worked_out(hand):
    ds = read_dataset(hand, area=Area.of(tambon=HU_LONG))
    assert sorted(p.id for p in ds.programs) == ["p1", "p2", "p3", "p4", "p5"]  # p4: a link's end
    assert sorted((x.program, x.tambon) for x in ds.locations) == [  # only Hu Long's locations
        ("p1", HU_LONG), ("p2", HU_LONG), ("p3", HU_LONG), ("p5", HU_LONG)]
    assert sorted(a.id for a in ds.agencies) == ["a0", "a00", "a1", "a2", "b", "c3", "c_out", "k1", "k2",
                                                 "s1", "x"]  # b: Kalo's link touches a2; not lonely
    assert sorted((c.a, c.b, c.tambon) for c in ds.coordination if c.tambon) == [
        ("a1", "g2", TALAT_YAI), ("b", "a2", KALO)]
    assert sorted(g.id for g in ds.groups) == ["g1", "g2"]
    full = read_dataset(hand)
    assert len(ds.coordination) == len(full.coordination) - 1 and len(full.programs) == 7


def test_an_agencys_read_holds_its_programs_everywhere(hand):
    ds = read_dataset(hand, agency="a1")
    assert sorted((x.program, x.tambon) for x in ds.locations) == [("p1", HU_LONG), ("p4", TALAT_YAI)]
    assert {f.id for f in ds.funds} >= {"f1", "f_out"}


def test_a_workbooks_area_read_equals_its_folders(hand, tmp_path):
    from test_workbook import book_from_folder

    path = book_from_folder(hand, tmp_path / "hand.xlsx")
    for area in (Area.of(tambon=HU_LONG), Area.of(province="83")):
        assert read_dataset(path, area=area) == read_dataset(hand, area=area)
    assert read_dataset(path, agency="a1") == read_dataset(hand, agency="a1")


# --- what a scoped read checks ------------------------------------------------------------------------

def _with(files: dict[str, list[str]], name: str, *lines: str) -> dict[str, list[str]]:
    return {**files, name: [*files[name], *lines]}


def test_a_bad_row_outside_the_area_is_not_read(hand, tmp_path):
    """A location in Talat Yai naming no program: validate and a Talat Yai read report it, a Hu Long read does not."""
    folder = write_folder(tmp_path / "ds", _with(HAND, "locations", f"nobody,{TALAT_YAI}"))
    problem = (f"{folder / 'locations.csv'}:10: column 'program': value 'nobody': the id of a program; "
               f"no such id [unknown-id]")
    with pytest.raises(DatasetError) as full:
        read_dataset(folder)
    with pytest.raises(DatasetError) as there:
        read_dataset(folder, area=Area.of(tambon=TALAT_YAI))
    assert full.value.lines()[-1] == there.value.lines()[-1] == problem
    assert read_dataset(folder, area=Area.of(tambon=HU_LONG)) == read_dataset(hand, area=Area.of(tambon=HU_LONG))


def test_every_problem_of_a_row_read_is_reported_as_a_full_read_reports_it(tmp_path):
    """Problems in rows the area needs (its program's year, a duplicate id among them, a parent
    that is no agency) come out as validate says them; the one outside the area does not."""
    files = {**HAND,
             "programs": [*HAND["programs"][:1], "p1,แผนหนึ่ง,poverty,20x6,2006,", *HAND["programs"][2:],
                          "p2,ซ้ำ,poverty,2006,2006,"],
             "agencies": [*HAND["agencies"], "k9,นอก,line_agency,"],
             "funds": [*HAND["funds"], "f9,งบนอก,k9,weekly"]}  # outside the area: no such channel
    files["agencies"] = [line.replace("a0,สำนักงาน,provincial,a00", "a0,สำนักงาน,provincial,p4")
                         for line in files["agencies"]]
    folder = write_folder(tmp_path / "ds", files)
    with pytest.raises(DatasetError) as full:
        read_dataset(folder, max_errors_per_file=0)
    with pytest.raises(DatasetError) as scoped:
        read_dataset(folder, area=Area.of(tambon=HU_LONG), max_errors_per_file=0)
    outside = [line for line in full.value.lines() if "'weekly'" in line]
    assert len(outside) == 1
    assert scoped.value.lines() == [line for line in full.value.lines() if line not in outside]
    assert len(scoped.value.lines()) == 3  # the year, the duplicate, the parent


def test_a_scoped_command_runs_where_validate_fails(hand, tmp_path):
    folder = write_folder(tmp_path / "ds", _with(HAND, "locations", f"nobody,{TALAT_YAI}"))
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(folder)]).exit_code == 2
    result = runner.invoke(main, ["overlaps", str(folder), "--tambon", HU_LONG, "--format", "csv"])
    assert result.exit_code == 0
    rows = csv.DictReader(io.StringIO(result.stdout))
    assert [(r["tambon"], r["program_a"], r["program_b"]) for r in rows] == [(HU_LONG, "p1", "p5"),
                                                                           (HU_LONG, "p2", "p5")]


# --- the commands -------------------------------------------------------------------------------------

def _commands(kind: str, code: str) -> list[list[str]]:
    area = [f"--{kind}", code]
    out = [["overlaps", *area, "--format", fmt] for fmt in ("table", "json", "csv", "jsonl")]
    out += [["overlaps", *area, "--explain", "--sort", "severity"],
            ["overlaps", *area, "--explain", "--format", "json"],
            ["overlaps", *area, "--summary", "tambon"],
            ["recommend", *area], ["recommend", *area, "--format", "json"],
            ["pilots", *area], ["pilots", *area, "--format", "json"],
            ["index", *area], ["index", *area, "--by", "tambon", "--format", "json"],
            ["report", *area, "-o", "report.html"], ["report", *area, "-o", "report.md"],
            ["view", *area, "-o", "view.html"]]
    if kind != "tambon":
        out.append(["view", *area, "--detail", "-o", "detail.html"])
    return out


def _run(folder: Path, args: list[str], where: Path, monkeypatch) -> dict[str, bytes]:
    """Run ``graphmodel ARGS`` on ``folder`` in the empty folder ``where``: its exit code, stdout,
    stderr and every file it wrote."""
    where.mkdir(parents=True)
    monkeypatch.chdir(where)
    result = CliRunner().invoke(main, [args[0], str(folder), *args[1:]], catch_exceptions=False)
    files = {str(p.relative_to(where)): p.read_bytes() for p in sorted(where.rglob("*")) if p.is_file()}
    return {"exit": str(result.exit_code).encode(), "stdout": result.stdout_bytes,
            "stderr": result.stderr_bytes, **files}


def assert_same_output(folder: Path, args: list[str], tmp_path: Path, monkeypatch) -> None:
    """The command prints and writes the same from its scoped read as from a full read of ``folder``."""
    scoped = _run(folder, args, tmp_path / "scoped", monkeypatch)
    reads: list = []
    real = options.read_dataset

    def everything(path, *, area=None, agency=None, **kwargs):
        reads.append(area or agency)
        return real(path, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(options, "read_dataset", everything)
        full = _run(folder, args, tmp_path / "full", m)
    assert reads and all(reads), "the reference run was asked for the area, and read everything"
    assert scoped["exit"] == b"0", scoped["stderr"].decode()
    assert scoped == full


@pytest.mark.parametrize("name, kind, code", AREAS)
def test_every_scoped_command_answers_as_from_the_whole_folder(name, kind, code, request, tmp_path, monkeypatch):
    folder = _folder(name, request)
    for i, args in enumerate(_commands(kind, code)):
        assert_same_output(folder, args, tmp_path / str(i), monkeypatch)


@pytest.mark.parametrize("name, agency", [("seed", "codi"), ("seed", "dopa"), ("two_provinces", "dopa"),
                                          ("hand", "a1"), ("hand", "c3"), ("hand", "x")])
def test_an_agencys_view_is_drawn_as_from_the_whole_folder(name, agency, request, tmp_path, monkeypatch):
    assert_same_output(_folder(name, request), ["view", "--agency", agency, "-o", "view.html"], tmp_path, monkeypatch)


@pytest.mark.parametrize("agency", ["a", "p1", "nobody"])
def test_an_agency_not_in_the_folder_is_refused_as_from_the_whole_folder(agency, hand, tmp_path, monkeypatch):
    """A close id is suggested, a program named as such, from every row (the scoped read finds no agency)."""
    scoped = _run(hand, ["view", "--agency", agency], tmp_path / "scoped", monkeypatch)
    assert scoped["exit"] == b"2" and scoped["stderr"].startswith(b"Error: ")
    with monkeypatch.context() as m:
        real = options.read_dataset
        m.setattr(options, "read_dataset", lambda path, *, area=None, agency=None, **kw: real(path, **kw))
        assert _run(hand, ["view", "--agency", agency], tmp_path / "full", m) == scoped
