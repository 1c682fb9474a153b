"""graphmodel.combine: rows of two sources into one folder, every kind of conflict, worked out by hand.

The two sources below hold the same agencies, fund, program, group and links, disagreeing
in one cell each (the comments say which); the expected report lines follow from
docs/combine.md's rules: the first source's value is kept, an empty cell takes the later
value, years, amounts, themes and true/false compare by meaning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.combine import CombineError, combine
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError

from folders import AGENCIES, PROGRAMS, folder, read
from paths import REPO, SEED

OFFICE = {
    "agencies": "id,name,name_en,kind,parent,source\n"
                "a1,กรมตัวอย่าง,Example Department,line_agency,,\n"
                "a2,สำนักงานตัวอย่างจังหวัดน่าน,,provincial,a1,\n",
    "funds": 'id,name,agency,channel,amount_thb,fiscal_year\nf1,งบตัวอย่าง,a1,,"100,000",2567\n',
    "programs": "id,name,themes,start_year,end_year,pilot\np1,โครงการตัวอย่าง,health,2567,2567,true\n",
    "groups": "id,name,kind,tambon\ng1,กลุ่มออมทรัพย์ตำบลบ่อ,financial group,550102\n",
    "funding": 'fund,program,amount_thb,fiscal_year\nf1,p1,"100,000",2567\n',
    "implementation": "implementer,program,role\na2,p1,lead\n",
    "locations": "program,tambon\np1,550102\n",
    "coordination": "a,b,mechanism,tambon\na1,a2,committee,\n",
}
PARTNER = {
    "agencies": "id,name,name_en,kind,source\n"
                "a1,กรมตัวอย่างใหม่,Example Department,line_agency,survey 2567\n"  # name differs
                "a2,สำนักงานตัวอย่างจังหวัดน่าน,Nan example office,civil_society,\n"  # kind differs; name_en fills
                "a3,หน่วยงานสาม,,academic,survey 2567\n",  # new, with its own source
    "funds": "id,name,agency,channel,amount_thb\nf1,งบตัวอย่าง,a1,normal,200000\n",  # amount differs; channel fills
    # themes and start year differ; 2024 is 2567 BE and yes is true: no conflict there
    "programs": "id,name,name_en,themes,start_year,end_year,pilot\n"
                "p1,โครงการตัวอย่าง,Example program,health;water,2566,2024,yes\n",
    "groups": "id,name,kind,tambon\ng1,กลุ่มออมทรัพย์ตำบลบ่อ,savings group,550103\n",  # kind and tambon differ
    "funding": "fund,program,amount_thb,fiscal_year\nf1,p1,150000,2024\n",  # the same year 2567: amount differs
    "implementation": "implementer,program,role\na2,p1,partner\n",  # role differs
    "locations": "program,tambon\np1,550102\np1,550103\n",  # the first is the same row; the second is new
    "coordination": "a,b,mechanism,tambon\na2,a1,joint plan,\n",  # the same link, ends reversed
}
EXPECTED_REPORT = [
    ["partner", "2", "agencies", "a1", "name", "กรมตัวอย่างใหม่", "กรมตัวอย่าง", "office:2", "different-value"],
    ["partner", "3", "agencies", "a2", "kind", "civil_society", "provincial", "office:3", "different-value"],
    ["partner", "2", "funds", "f1", "amount_thb", "200000", "100,000", "office:2", "different-value"],
    ["partner", "2", "programs", "p1", "themes", "health;water", "health", "office:2", "different-value"],
    ["partner", "2", "programs", "p1", "start_year", "2566", "2567", "office:2", "different-value"],
    ["partner", "2", "groups", "g1", "kind", "savings group", "financial group", "office:2", "different-value"],
    ["partner", "2", "groups", "g1", "tambon", "550103", "550102", "office:2", "different-value"],
    ["partner", "2", "funding", "f1 -> p1 (2024)", "amount_thb", "150000", "100,000", "office:2",
     "different-value"],
    ["partner", "2", "implementation", "a2 -> p1", "role", "partner", "lead", "office:2", "different-value"],
    ["partner", "2", "coordination", "a2 - a1", "mechanism", "joint plan", "committee", "office:2",
     "different-value"],
]


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    return [folder(tmp_path / "office", **OFFICE), folder(tmp_path / "partner", **PARTNER)]


def test_every_kind_of_conflict_is_one_line_of_the_report(sources, tmp_path):
    summary = combine(sources, tmp_path / "out")
    report = read(tmp_path / "out" / "combine-report.csv")
    assert [list(r.values()) for r in report] == EXPECTED_REPORT
    assert (tmp_path / "out" / "combine-report.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel shows Thai
    assert summary.conflicts == len(EXPECTED_REPORT) == 10
    assert summary.counts == {"agencies.csv": 3, "funds.csv": 1, "programs.csv": 1, "groups.csv": 1,
                              "funding.csv": 1, "implementation.csv": 1, "locations.csv": 2,
                              "coordination.csv": 1, "combine-report.csv": 10, "aliases-suggested.csv": 0}


def test_the_first_value_is_kept_and_empty_cells_are_filled(sources, tmp_path):
    combine(sources, tmp_path / "out")
    out = tmp_path / "out"
    agencies = {r["id"]: r for r in read(out / "agencies.csv")}
    assert (agencies["a1"]["name"], agencies["a2"]["kind"], agencies["a2"]["name_en"]) == (
        "กรมตัวอย่าง", "provincial", "Nan example office")
    [fund] = read(out / "funds.csv")
    assert (fund["amount_thb"], fund["channel"]) == ("100,000", "normal")
    [program] = read(out / "programs.csv")
    assert (program["themes"], program["start_year"], program["name_en"]) == ("health", "2567", "Example program")
    ds = read_dataset(out)  # every command takes it
    assert [(x.program, x.tambon) for x in ds.locations] == [("p1", "550102"), ("p1", "550103")]


def test_every_row_says_where_it_came_from(sources, tmp_path):
    combine(sources, tmp_path / "out")
    out = tmp_path / "out"
    assert [(r["id"], r["source"]) for r in read(out / "agencies.csv")] == [
        ("a1", "office"), ("a2", "office"), ("a3", "survey 2567")]
    assert [r["source"] for r in read(out / "locations.csv")] == ["office", "partner"]
    for name in ("funds", "programs", "groups", "funding", "implementation", "coordination"):
        assert [r["source"] for r in read(out / f"{name}.csv")] == ["office"], name


def test_the_same_input_gives_the_same_bytes(sources, tmp_path):
    combine(sources, tmp_path / "one")
    combine(sources, tmp_path / "two")
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_source_may_hold_only_links_into_another(tmp_path):
    office = folder(tmp_path / "office", agencies=AGENCIES + "a1,กรม,line_agency\n",
                    funds="id,name,agency\nf1,งบ,a1\n", programs=PROGRAMS + "p1,โครงการ,health,2567,2567\n")
    money = folder(tmp_path / "money", funding="fund,program,amount_thb,fiscal_year\nf1,p1,5000,2567\n")
    combine([office, money], tmp_path / "out")
    [row] = read(tmp_path / "out" / "funding.csv")
    assert (row["fund"], row["program"], row["amount_thb"], row["source"]) == ("f1", "p1", "5000", "money")


def test_a_cell_problem_is_reported_at_the_sources_file_and_line(sources, tmp_path):
    (sources[1] / "programs.csv").write_text("id,name,themes,start_year,end_year\n"
                                             "p2,โครงการสอง,health,49,2567\n", encoding="utf-8")
    (sources[1] / "locations.csv").write_text("program,tambon\np1,550102\np2,99\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        combine(sources, tmp_path / "out")
    assert caught.value.lines() == [
        f"{sources[1] / 'programs.csv'}:2: column 'start_year': value '49': a year between 1900 and 2200 CE "
        "(Buddhist Era years from 2400 are converted) [bad-year]",
        f"{sources[1] / 'locations.csv'}:3: column 'tambon': value '99': a 6-digit DOPA tambon code known to "
        "geothai (e.g. 801208 for Hu Long) [unknown-tambon]",
    ]
    assert not (tmp_path / "out").exists()


def test_a_duplicate_inside_one_source_is_that_sources_error(sources, tmp_path):
    (sources[1] / "agencies.csv").write_text(AGENCIES + "a9,หนึ่ง,academic\na9,สอง,academic\n", encoding="utf-8")
    (sources[1] / "locations.csv").write_text("program,tambon\np1,550103\np1,550103\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        combine(sources, tmp_path / "out")
    assert caught.value.lines() == [
        f"{sources[1] / 'agencies.csv'}:3: column 'id': value 'a9': an id not already used (agencies.csv line 2); "
        "ids are unique across agencies, funds, programs and groups [duplicate-id]",
        f"{sources[1] / 'locations.csv'}:3: column 'tambon': value '550103': each link once; the same link is "
        "on line 2 [duplicate-row]",
    ]


def test_one_id_of_two_types_in_two_sources_is_an_error(sources, tmp_path):
    (sources[1] / "programs.csv").write_text(PROGRAMS + "a1,โครงการ,health,2567,2567\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        combine(sources, tmp_path / "out")
    assert caught.value.lines() == [
        f"{sources[1] / 'programs.csv'}:2: column 'id': value 'a1': an id not already used "
        f"({sources[0] / 'agencies.csv'} line 2); ids are unique across agencies, funds, programs "
        "and groups [duplicate-id]"]


def test_structure_problems_name_the_source(sources, tmp_path):
    (sources[1] / "groups.csv").write_text("id,name,kind,tambon\ng2,x,y\n", encoding="utf-8")
    (sources[1] / "implementation.csv").write_text("implementer,role\na2,lead\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        combine(sources, tmp_path / "out")
    assert caught.value.lines() == [
        f"{sources[1] / 'groups.csv'}:2: 4 cells as in the header, found 3 [ragged-row]",
        f"{sources[1] / 'implementation.csv'}:1: column 'program': a column named 'program' in the header "
        "[missing-column]",
    ]


def test_a_workbook_source(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "agencies"
    sheet.append(["id", "name", "kind"])
    sheet.append(["a1", "กรมตัวอย่าง", "line_agency"])
    programs = book.create_sheet("programs")
    programs.append(["id", "name", "themes", "start_year", "end_year"])
    programs.append(["p9", "โครงการ", "Livelihoods", 2567, 2567])
    book.save(tmp_path / "book.xlsx")
    office = folder(tmp_path / "office", agencies=AGENCIES + "a1,กรมตัวอย่าง,provincial\n", programs=PROGRAMS)
    summary = combine([office, tmp_path / "book.xlsx"], tmp_path / "out")
    assert summary.sources == [("office", "folder", 1), ("book.xlsx", "workbook", 2)]
    assert [list(r.values()) for r in read(tmp_path / "out" / "combine-report.csv")] == [
        ["book.xlsx", "2", "agencies", "a1", "kind", "line_agency", "provincial", "office:2", "different-value"],
        ["book.xlsx", "2", "programs", "p9", "themes", "Livelihoods", "occupation", "the theme vocabulary",
         "theme-mapped"],
    ]
    [program] = read(tmp_path / "out" / "programs.csv")
    assert (program["themes"], program["source"]) == ("occupation", "book.xlsx")


def test_an_iati_source_keeps_its_own_provenance(tmp_path):
    combine([SEED, REPO / "tests" / "data" / "iati-nst.xml"], tmp_path / "out")
    sources = {r["source"] for r in read(tmp_path / "out" / "programs.csv")}
    assert sources == {"seed", "illustrative", "iati:iati-nst.xml"}
    assert (tmp_path / "out" / "import-report.csv").is_file()


def test_two_sources_of_one_name_are_told_apart(tmp_path):
    one = folder(tmp_path / "x" / "data", agencies=AGENCIES + "a1,กรม,line_agency\n", programs=PROGRAMS)
    two = folder(tmp_path / "y" / "data", agencies=AGENCIES + "a2,กรมสอง,line_agency\n", programs=PROGRAMS)
    summary = combine([one, two], tmp_path / "out")
    assert [name for name, _, _ in summary.sources] == ["data", str(two)]
    assert [r["source"] for r in read(tmp_path / "out" / "agencies.csv")] == ["data", str(two)]


@pytest.mark.parametrize("setup, message", [
    (lambda t: (t / "out").mkdir() or (t / "out" / "x").write_text("x"),
     "{out}: the folder is not empty; give a new or empty folder, or --force to replace the dataset files "
     "and combine's reports in it"),
    (lambda t: (t / "out").write_text("x"), "{out}: not a folder; give a new or empty folder for the combined dataset"),
])
def test_an_unusable_output_folder(sources, tmp_path, setup, message):
    setup(tmp_path)
    with pytest.raises(CombineError) as caught:
        combine(sources, tmp_path / "out")
    assert str(caught.value) == message.format(out=tmp_path / "out")


def test_force_replaces_combines_files_and_leaves_others(sources, tmp_path):
    out = tmp_path / "out"
    combine([sources[0], REPO / "tests" / "data" / "hxl-3w-nst.csv"], out)
    (out / "notes.txt").write_text("mine")
    combine(sources, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["agencies.csv", "funds.csv", "programs.csv", "groups.csv", "funding.csv", "implementation.csv",
         "locations.csv", "coordination.csv", "combine-report.csv", "aliases-suggested.csv", "notes.txt"])


def test_a_source_cannot_be_the_output(sources):
    with pytest.raises(CombineError, match="is one of the sources"):
        combine(sources, sources[0], force=True)


def test_hostile_cells_are_inert_in_the_reports_and_verbatim_in_the_data(tmp_path):
    link = '"=HYPERLINK(""http://x"",""y"")"'
    one = folder(tmp_path / "one", agencies=AGENCIES + f"a1,{link},line_agency\n", programs=PROGRAMS)
    two = folder(tmp_path / "two", agencies=AGENCIES + f"a1,@SUM(1+1),line_agency\n=b1,{link},academic\n",
                 programs=PROGRAMS)
    combine([one, two], tmp_path / "out")
    out = tmp_path / "out"
    [conflict] = read(out / "combine-report.csv")
    assert (conflict["value"], conflict["kept"]) == ("'@SUM(1+1)", '\'=HYPERLINK("http://x","y")')
    [suggested] = read(out / "aliases-suggested.csv")
    assert (suggested["id"], suggested["same_as"], suggested["reason"]) == ("'=b1", "a1", "same English name")
    assert [r["name"] for r in read(out / "agencies.csv")] == ['=HYPERLINK("http://x","y")'] * 2
    # the guard quote is read away again: the suggestions, accepted, rewrite =b1
    combine([one, two], tmp_path / "again", aliases=out / "aliases-suggested.csv")
    assert [r["id"] for r in read(tmp_path / "again" / "agencies.csv")] == ["a1"]
