"""The dataset reader against the contract (docs/dataset.md, issue 3 section 1).

Every bad input is written as CSV text here and the exact problem fields
(file, line, column, value, slug) are worked out by hand from that text.
Line numbers are spreadsheet lines: the header is line 1.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from pathlib import Path

import geothai
import pytest
from geothai.abolished import abolished_areas
from hypothesis import HealthCheck, given, settings
from strategies import dataset_folders, write_dataset

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError, Problem
from graphmodel.model import NodeLabel, RelType

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"

# A small valid dataset. The comment after each file is the line the first
# row appended to it lands on.
BASE: dict[str, str] = {
    "agencies": (  # next line 5
        "id,name,kind,parent\n"
        "codi,พอช.,special_agency,\n"
        "dopa,กรมการปกครอง,line_agency,\n"
        "nst_planning,ฝ่ายนโยบายและแผนจังหวัด,provincial,\n"
    ),
    "funds": (  # next line 3
        "id,name,agency,channel,amount_thb,fiscal_year\n"
        'codi_nst,งบ พอช.,codi,special,"100,000",2549\n'
    ),
    "programs": (  # next line 4
        "id,name,themes,start_year,end_year,pilot\n"
        "life_plan,แผนชีวิตชุมชน,community_planning;poverty_data,2549,2549,true\n"
        "survey,สำรวจคนจน,poverty_data,2006,2006,\n"
    ),
    "groups": (  # next line 3
        "id,name,kind,tambon\n"
        "kalo_fund,เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ,village fund network,802103\n"
    ),
    "funding": (  # next line 3
        "fund,program,amount_thb,fiscal_year\n"
        "codi_nst,life_plan,100000,2549\n"
    ),
    "implementation": (  # next line 4
        "implementer,program,role\n"
        "kalo_fund,life_plan,lead\n"
        "dopa,survey,lead\n"
    ),
    "locations": (  # next line 4
        "program,tambon\n"
        "life_plan,802103\n"
        "survey,802103\n"
    ),
    "coordination": (  # next line 3
        "a,b,mechanism,tambon\n"
        "nst_planning,codi,integration,\n"
    ),
}


def write(folder: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` (name -> text, bytes, or None to leave the file out) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / f"{name}.csv"
        if content is None:
            path.unlink(missing_ok=True)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def dataset(tmp_path: Path, **changes: str | bytes | None) -> Path:
    """The BASE dataset with some files replaced (or left out with None)."""
    return write(tmp_path / "ds", {**BASE, **changes})


def problems(folder: Path, **kwargs) -> list[tuple]:
    """(file name, line, column, value, slug) of every problem; fails if the folder is valid."""
    with pytest.raises(DatasetError) as info:
        read_dataset(folder, **kwargs)
    error = info.value
    assert len(error.problems) == len(error.lines())  # one line per problem, none truncated
    for p in error.problems:
        assert p.expected and str(p).endswith(f"[{p.slug}]")
        assert str(p).startswith(p.file if p.line is None else f"{p.file}:{p.line}: ")
        assert "\n" not in str(p)
    return [(Path(p.file).name, p.line, p.column, p.value, p.slug) for p in error.problems]


def test_base_is_valid(tmp_path):
    ds = read_dataset(dataset(tmp_path))
    assert [a.id for a in ds.agencies] == ["codi", "dopa", "nst_planning"]
    assert [t.code for t in ds.tambons] == ["802103"]


# ---------------------------------------------------------------- bad rows
# (file, rows appended to BASE, expected problems as (line, column, value, slug)
# in that file, or full 5-tuples when another file is named)
BAD_ROWS = [
    # broken references, each file and column
    ("agencies", "x,เอ,academic,nobody\n", [(5, "parent", "nobody", "unknown-id")]),
    ("agencies", "x,เอ,academic,codi_nst\n", [(5, "parent", "codi_nst", "wrong-type")]),
    ("funds", "f2,งบ,nobody,,,\n", [(3, "agency", "nobody", "unknown-id")]),
    ("funds", "f2,งบ,kalo_fund,,,\n", [(3, "agency", "kalo_fund", "wrong-type")]),
    ("funding", "nofund,survey,,\n", [(3, "fund", "nofund", "unknown-id")]),
    ("funding", "codi,survey,,\n", [(3, "fund", "codi", "wrong-type")]),
    ("funding", "codi_nst,noprog,,\n", [(3, "program", "noprog", "unknown-id")]),
    ("implementation", "nobody,survey,\n", [(4, "implementer", "nobody", "unknown-id")]),
    ("implementation", "codi_nst,survey,\n", [(4, "implementer", "codi_nst", "wrong-type")]),
    ("implementation", "dopa,kalo_fund,\n", [(4, "program", "kalo_fund", "wrong-type")]),
    ("locations", "noprog,802103\n", [(4, "program", "noprog", "unknown-id")]),
    ("locations", "codi,802103\n", [(4, "program", "codi", "wrong-type")]),
    ("coordination", "nobody,codi,,\n", [(3, "a", "nobody", "unknown-id")]),
    ("coordination", "codi,nobody,,\n", [(3, "b", "nobody", "unknown-id")]),
    ("coordination", "codi_nst,dopa,,\n", [(3, "a", "codi_nst", "wrong-type")]),
    ("coordination", "dopa,codi_nst,,\n", [(3, "b", "codi_nst", "wrong-type")]),
    ("coordination", "dopa,dopa,,\n", [(3, "b", "dopa", "self-link")]),
    # duplicate links: the same pair either way round, the same year in either era
    ("coordination", "codi,nst_planning,again,\n", [(3, "b", "nst_planning", "duplicate-row")]),
    ("implementation", "dopa,survey,partner\n", [(4, "program", "survey", "duplicate-row")]),
    ("locations", "survey,802103\n", [(4, "tambon", "802103", "duplicate-row")]),
    ("funding", "codi_nst,life_plan,5,2006\n", [(3, "program", "life_plan", "duplicate-row")]),
    # one id space
    ("agencies", "codi,ซ้ำ,academic,\n", [(5, "id", "codi", "duplicate-id")]),
    ("groups", "dopa,กลุ่ม,farmer group,802103\n", [(3, "id", "dopa", "duplicate-id")]),
    ("programs", "codi_nst,ชื่อ,t,2006,2006,\n", [(4, "id", "codi_nst", "duplicate-id")]),
    # enumerations
    ("agencies", "x,เอ,ngo,\n", [(5, "kind", "ngo", "unknown-kind")]),
    ("agencies", "x,เอ,Academic,\n", [(5, "kind", "Academic", "unknown-kind")]),
    ("funds", "f2,งบ,codi,budget,,\n", [(3, "channel", "budget", "unknown-channel")]),
    ("programs", "p,ชื่อ,t,2006,2006,maybe\n", [(4, "pilot", "maybe", "bad-boolean")]),
    # tambon codes
    ("groups", "g2,กลุ่ม,farmer group,999999\n", [(3, "tambon", "999999", "unknown-tambon")]),
    ("locations", "survey,8021\n", [(4, "tambon", "8021", "unknown-tambon")]),
    ("locations", "survey,8021030\n", [(4, "tambon", "8021030", "unknown-tambon")]),
    ("locations", "survey,80210x\n", [(4, "tambon", "80210x", "unknown-tambon")]),
    ("coordination", "dopa,codi,,999999\n", [(3, "tambon", "999999", "unknown-tambon")]),
    # years: text, 3 digits, out of range (CE 2300; BE 2400 is 1857 CE), Thai digits, decimals
    ("programs", "p,ชื่อ,t,20x6,2006,\n", [(4, "start_year", "20x6", "bad-year")]),
    ("programs", "p,ชื่อ,t,206,2006,\n", [(4, "start_year", "206", "bad-year")]),
    ("programs", "p,ชื่อ,t,2006,2300,\n", [(4, "end_year", "2300", "bad-year")]),
    ("programs", "p,ชื่อ,t,2400,2549,\n", [(4, "start_year", "2400", "bad-year")]),
    ("funds", "f2,งบ,codi,,,๒๕๔๙\n", [(3, "fiscal_year", "๒๕๔๙", "bad-year")]),
    ("funding", "codi_nst,survey,,2549.0\n", [(3, "fiscal_year", "2549.0", "bad-year")]),
    ("programs", "p,ชื่อ,t,2550,2549,\n", [(4, "end_year", "2549", "reversed-years")]),
    ("programs", "p,ชื่อ,t,2549,2005,\n", [(4, "end_year", "2005", "reversed-years")]),
    # amounts
    ("funds", "f2,งบ,codi,,-5,\n", [(3, "amount_thb", "-5", "negative-amount")]),
    ("funding", "codi_nst,survey,-1,\n", [(3, "amount_thb", "-1", "negative-amount")]),
    ("funds", "f2,งบ,codi,,abc,\n", [(3, "amount_thb", "abc", "bad-amount")]),
    ("funds", 'f2,งบ,codi,,"1,50",\n', [(3, "amount_thb", "1,50", "bad-amount")]),
    ("funding", "codi_nst,survey,1e5,\n", [(3, "amount_thb", "1e5", "bad-amount")]),
    ("funding", "codi_nst,survey,100 000,\n", [(3, "amount_thb", "100 000", "bad-amount")]),
    # empty id and empty required cells (a blank-looking cell is empty too)
    ("agencies", ",เอ,academic,\n", [(5, "id", "", "empty-value")]),
    ("programs", "p,,t,2006,2006,\n", [(4, "name", "", "empty-value")]),
    ("programs", "p,ชื่อ,,2006,2006,\n", [(4, "themes", "", "empty-value")]),
    ("programs", "p,ชื่อ,;,2006,2006,\n", [(4, "themes", ";", "empty-value")]),
    ("programs", "p,ชื่อ,t,,2006,\n", [(4, "start_year", "", "empty-value")]),
    ("groups", "g2,กลุ่ม,,802103\n", [(3, "kind", "", "empty-value")]),
    ("funding", ",survey,,\n", [(3, "fund", "", "empty-value")]),
    ("coordination", "dopa,,,\n", [(3, "b", "", "empty-value")]),
    ("locations", "survey, \n", [(4, "tambon", "", "empty-value")]),
    # ragged rows: too many and too few cells
    ("agencies", "x,เอ,academic,,extra\n", [(5, None, None, "ragged-row")]),
    ("agencies", "x,เอ\n", [(5, None, None, "ragged-row")]),
    # parent cycles: two agencies, and one that is its own parent
    ("agencies", "a1,เอ,academic,a2\na2,บี,academic,a1\n",
     [(5, "parent", "a2", "parent-cycle"), (6, "parent", "a1", "parent-cycle")]),
    ("agencies", "a1,เอ,academic,a1\n", [(5, "parent", "a1", "parent-cycle")]),
    # a row with two problems: both reported, left to right
    ("funding", "nofund,survey,-1,\n",
     [(3, "fund", "nofund", "unknown-id"), (3, "amount_thb", "-1", "negative-amount")]),
    # a row that fails keeps its id: references to it are not unknown-id ...
    ("agencies", "x,เอ,ngo,\n", [(5, "kind", "ngo", "unknown-kind")]),
    # ... and a later row with the same id is still a duplicate
    ("programs", "p,ชื่อ,t,20x6,2006,\np,ชื่อ,t,2006,2006,\n",
     [(4, "start_year", "20x6", "bad-year"), (5, "id", "p", "duplicate-id")]),
]


@pytest.mark.parametrize(
    "file, rows, expected", BAD_ROWS,
    ids=[f"{f}-{e[0][-1]}-{i}" for i, (f, r, e) in enumerate(BAD_ROWS)],
)
def test_bad_row(tmp_path, file, rows, expected):
    assert problems(dataset(tmp_path, **{file: BASE[file] + rows})) == [
        e if len(e) == 5 else (f"{file}.csv", *e) for e in expected
    ]


def test_a_bad_agency_row_does_not_make_references_to_it_unknown(tmp_path):
    folder = dataset(tmp_path, agencies=BASE["agencies"] + "x,เอ,ngo,\n",
                     funds=BASE["funds"] + "f2,งบ,x,,,\n")
    assert problems(folder) == [("agencies.csv", 5, "kind", "ngo", "unknown-kind")]


# ---------------------------------------------------------------- bad files
BAD_FILES = {
    "missing-column": ({"agencies": "id,name\ncodi,พอช.\n"},
                       [("agencies.csv", 1, "kind", None, "missing-column")]),
    "missing-column-in-link-file": ({"locations": "program\nsurvey\n"},
                                    [("locations.csv", 1, "tambon", None, "missing-column")]),
    "missing-agencies": ({"agencies": None}, [("agencies.csv", None, None, None, "missing-file")]),
    "missing-programs": ({"programs": None}, [("programs.csv", None, None, None, "missing-file")]),
    "empty-file": ({"funds": ""}, [("funds.csv", 1, None, None, "missing-header")]),
    "blank-lines-only": ({"groups": "\n \n"}, [("groups.csv", 1, None, None, "missing-header")]),
    "duplicate-column": ({"locations": "program,tambon,program\nsurvey,802103,survey\n"},
                         [("locations.csv", 1, "program", "program", "duplicate-column")]),
    "empty-column-name": ({"locations": "program,,tambon\nsurvey,,802103\n"},
                          [("locations.csv", 1, None, "", "empty-column-name")]),
    "unclosed-quote": ({"coordination": 'a,b,mechanism,tambon\nnst_planning,codi,"integration,\n'},
                       [("coordination.csv", 2, None, None, "bad-csv")]),
    # พ is byte 0xbe in cp874; it is byte 25 of the file, on line 2
    "cp874-read-as-utf-8": ({"agencies": BASE["agencies"].encode("cp874")},
                            [("agencies.csv", 2, None, "0xbe", "wrong-encoding")]),
}


@pytest.mark.parametrize("changes, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file(tmp_path, changes, expected):
    # An unreadable file is one problem: references into it are not reported too.
    assert problems(dataset(tmp_path, **changes)) == expected


def test_utf8_read_as_cp874(tmp_path):
    # พ is E0 B8 9E in UTF-8; 0x9e has no cp874 character. It is byte 20 ("id,name,kind\n" + "codi,").
    folder = write(tmp_path / "ds", {
        "agencies": "id,name,kind\ncodi,พอช.,special_agency\n",
        "programs": "id,name,themes,start_year,end_year\np1,plan,t,2006,2006\n",
    })
    assert problems(folder, encoding="cp874") == [("agencies.csv", 2, None, "0x9e", "wrong-encoding")]
    # and the other way round, the message says what to do
    (folder / "agencies.csv").write_bytes("id,name,kind\ncodi,พอช.,special_agency\n".encode("cp874"))
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    assert info.value.problems[0].expected == (
        "text in utf-8: byte 18 cannot be decoded (Thai Windows files need --encoding cp874)")


def test_utf8_with_bom_read_as_cp874(tmp_path):
    # Without the check cp874 turns the BOM into "๏ปฟ" glued to "id".
    folder = dataset(tmp_path, funding=b"\xef\xbb\xbf" + BASE["funding"].encode())
    assert problems(folder, encoding="cp874")[-1] == ("funding.csv", 1, None, "0xef", "wrong-encoding")


def test_unknown_encoding_is_one_problem(tmp_path):
    folder = dataset(tmp_path)
    assert problems(folder, encoding="klingon") == [("ds", None, None, "klingon", "unknown-encoding")]


def test_missing_folder(tmp_path):
    assert problems(tmp_path / "nope") == [("nope", None, None, None, "missing-folder")]


def test_all_problems_in_file_order_then_line_order(tmp_path):
    folder = dataset(
        tmp_path,
        coordination=BASE["coordination"] + "dopa,dopa,,\n",  # line 3
        agencies=BASE["agencies"] + "x,เอ,ngo,\n",  # line 5
        locations="program,tambon\nlife_plan,802103\nsurvey,999999\nnobody,802103\n",  # lines 3, 4
    )
    assert problems(folder) == [
        ("agencies.csv", 5, "kind", "ngo", "unknown-kind"),
        ("locations.csv", 3, "tambon", "999999", "unknown-tambon"),
        ("locations.csv", 4, "program", "nobody", "unknown-id"),
        ("coordination.csv", 3, "b", "dopa", "self-link"),
    ]


def test_problem_lines_name_file_line_column_value_and_expectation(tmp_path):
    folder = dataset(tmp_path, funds=BASE["funds"] + "f2,งบ,codi,budget,-5,\n",
                     implementation=BASE["implementation"] + "codi_nst,survey,\n",
                     coordination=BASE["coordination"] + "codi_nst,dopa,,\n")
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    f = folder
    assert info.value.lines() == [
        f"{f}/funds.csv:3: column 'channel': value 'budget': one of normal, ceo, special [unknown-channel]",
        f"{f}/funds.csv:3: column 'amount_thb': value '-5': an amount in baht of 0 or more [negative-amount]",
        f"{f}/implementation.csv:4: column 'implementer': value 'codi_nst': "
        "the id of an agency or a group, not a fund [wrong-type]",
        f"{f}/coordination.csv:3: column 'a': value 'codi_nst': "
        "the id of an agency, a group or a program, not a fund [wrong-type]",
    ]
    assert str(info.value) == "4 problems in dataset"


def test_dataset_error_survives_pickling():
    error = DatasetError([Problem("a.csv", 2, "id", "", "empty-value", "a non-empty id")], truncated=4)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.problems, copy.truncated, str(copy)) == (error.problems, 4, "5 problems in dataset")


# ---------------------------------------------------------------- the cap on listed problems
def _bad_locations(n: int) -> str:
    """``n`` rows naming an unknown tambon: one unknown-tambon problem each, on lines 2 .. n+1."""
    return "program,tambon\n" + "survey,999999\n" * n


def test_at_most_50_problems_per_file_by_default(tmp_path):
    folder = dataset(tmp_path, locations=_bad_locations(13_000))
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    error = info.value
    assert [(Path(p.file).name, p.line, p.slug) for p in error.problems] == [
        ("locations.csv", line, "unknown-tambon") for line in range(2, 52)]
    assert error.truncated == 12_950
    assert str(error) == "13000 problems in dataset"
    assert error.lines()[-1] == "... and 12950 more problems not shown (--max-errors 0 lists them all)"
    assert len(error.lines()) == 51


def test_the_cap_is_per_file_and_keeps_the_first_lines(tmp_path):
    # 4 bad agencies (lines 5-8) sort before 3 bad locations (lines 4-6); a cap of 2 keeps 2 of each.
    folder = dataset(tmp_path, agencies=BASE["agencies"] + "".join(f"x{i},เอ,ngo,\n" for i in range(4)),
                     locations=BASE["locations"] + "survey,999999\n" * 3)
    with pytest.raises(DatasetError) as info:
        read_dataset(folder, max_errors_per_file=2)
    assert [(Path(p.file).name, p.line) for p in info.value.problems] == [
        ("agencies.csv", 5), ("agencies.csv", 6), ("locations.csv", 4), ("locations.csv", 5)]
    assert info.value.truncated == 3


def test_max_errors_0_lists_every_problem(tmp_path):
    with pytest.raises(DatasetError) as info:
        read_dataset(dataset(tmp_path, locations=_bad_locations(120)), max_errors_per_file=0)
    assert [p.line for p in info.value.problems] == list(range(2, 122))
    assert info.value.truncated == 0 and len(info.value.lines()) == 120


# ---------------------------------------------------------------- accepted inputs
def test_buddhist_era_years_are_converted(tmp_path):
    folder = dataset(tmp_path, programs=BASE["programs"] + "range,ช่วง,t,2549,2551,\n")
    ds = read_dataset(folder)
    years = {p.id: (p.start_year, p.end_year) for p in ds.programs}
    assert years == {"life_plan": (2006, 2006), "survey": (2006, 2006), "range": (2006, 2008)}
    assert ds.funds[0].fiscal_year == 2006 and ds.funding[0].fiscal_year == 2006


@pytest.mark.parametrize("cell, amount", [
    ('"100,000"', 100000.0), ('"1,234,567.50"', 1234567.5), ("0", 0.0), (".5", 0.5), ("100000", 100000.0),
])
def test_amounts(tmp_path, cell, amount):
    folder = dataset(tmp_path, funds=f"id,name,agency,amount_thb\ncodi_nst,งบ,codi,{cell}\n")
    assert read_dataset(folder).funds[0].amount_thb == amount


def test_optional_files_absent_are_empty(tmp_path):
    names = ["funds", "groups", "funding", "implementation", "locations", "coordination"]
    ds = read_dataset(dataset(tmp_path, **dict.fromkeys(names)))
    assert [len(getattr(ds, n)) for n in names] == [0] * 6
    assert ds.tambons == [] and len(ds.programs) == 2


def test_header_only_files_are_empty(tmp_path):
    ds = read_dataset(dataset(tmp_path, groups="id,name,kind,tambon\n",
                              implementation="implementer,program\n"))
    assert ds.groups == [] and ds.implementation == []


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path):
    agencies = "\n" + BASE["agencies"].replace("\n", "\n\n", 1) + "\n,,,\nx,เอ,ngo,\n"
    # line 1 blank, header line 2, line 3 blank, rows 4-6, line 7 blank, line 8 ",,,", bad row line 9
    assert problems(dataset(tmp_path, agencies=agencies)) == [("agencies.csv", 9, "kind", "ngo", "unknown-kind")]
    ds = read_dataset(dataset(tmp_path, agencies=agencies.replace("ngo", "academic")))
    assert [a.id for a in ds.agencies] == ["codi", "dopa", "nst_planning", "x"]


def test_bom_accepted(tmp_path):
    folder = dataset(tmp_path, agencies=b"\xef\xbb\xbf" + BASE["agencies"].encode())
    assert [a.id for a in read_dataset(folder).agencies] == ["codi", "dopa", "nst_planning"]


def test_crlf_line_endings(tmp_path):
    folder = dataset(tmp_path, agencies=(BASE["agencies"] + "x,เอ,ngo,\n").replace("\n", "\r\n"))
    assert problems(folder) == [("agencies.csv", 5, "kind", "ngo", "unknown-kind")]


def test_cp874_dataset(tmp_path):
    folder = write(tmp_path / "ds", {name: text.encode("cp874") for name, text in BASE.items()})
    ds = read_dataset(folder, encoding="cp874")
    assert [a.name for a in ds.agencies] == ["พอช.", "กรมการปกครอง", "ฝ่ายนโยบายและแผนจังหวัด"]
    assert ds.groups[0].name == "เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ"


def test_quoted_cells_with_commas_and_newlines(tmp_path):
    programs = BASE["programs"] + (
        'multi,"แผน, ปี 2549\nบรรทัดสอง\nบรรทัดสาม",t,2006,2006,\n'  # lines 4-6
        "bad,ชื่อ,t,20x6,2006,\n"  # line 7
        'p2,"a ""quoted"" name",t,2006,2006,\n'  # line 8
        "bad2,ชื่อ,t,2006,2006,maybe\n"  # line 9
    )
    assert problems(dataset(tmp_path, programs=programs)) == [
        ("programs.csv", 7, "start_year", "20x6", "bad-year"),
        ("programs.csv", 9, "pilot", "maybe", "bad-boolean"),
    ]
    programs = programs.replace("20x6", "2006").replace("maybe", "")
    names = {p.id: p.name for p in read_dataset(dataset(tmp_path, programs=programs)).programs}
    assert names["multi"] == "แผน, ปี 2549\nบรรทัดสอง\nบรรทัดสาม"
    assert names["p2"] == 'a "quoted" name'


@pytest.mark.parametrize("typed, stored", [
    ("\u0e19\u0e49\u0e4d\u0e32", "\u0e19\u0e49\u0e33"),  # น้ำ: NIKHAHIT + SARA AA -> SARA AM
    ("\u0e19\u0e4d\u0e49\u0e32", "\u0e19\u0e49\u0e33"),  # น้ำ: NIKHAHIT, tone, SARA AA
    ("\u0e17\u0e4d\u0e32", "\u0e17\u0e33"),  # ทำ
    ("\u0e1b\u0e48\u0e39", "\u0e1b\u0e39\u0e48"),  # ปู่: tone before a below vowel (NFC reorders)
    ("\u0e17\u0e48\u0e35", "\u0e17\u0e35\u0e48"),  # ที่: tone before an above vowel
])
def test_thai_text_is_normalised(tmp_path, typed, stored):
    assert typed != stored
    folder = dataset(
        tmp_path,
        agencies=BASE["agencies"] + f"x,{typed},academic,\n",
        groups=BASE["groups"] + f"g2,กลุ่ม{typed},{typed},802103\n",
    )
    ds = read_dataset(folder)
    assert ds.agencies[-1].name == stored and unicodedata.is_normalized("NFC", stored)
    assert (ds.groups[-1].name, ds.groups[-1].kind) == (f"กลุ่ม{stored}", stored)


def test_abolished_tambon_accepted(tmp_path):
    code = "800104"  # นา, Mueang Nakhon Si Thammarat: abolished, no longer a current subdistrict
    assert geothai.subdistrict(code) is None
    assert any(a.code == code and a.level == "subdistrict" for a in abolished_areas())
    ds = read_dataset(dataset(tmp_path, locations=BASE["locations"] + f"survey,{code}\n"))
    tambon = next(t for t in ds.tambons if t.code == code)
    assert (tambon.name, tambon.name_en, tambon.abolished, tambon.district) == ("นา", "Na", True, "8001")


def test_self_link_needs_same_ends_and_same_pair_in_another_tambon_is_not_a_duplicate(tmp_path):
    folder = dataset(tmp_path, coordination=BASE["coordination"] + "codi,nst_planning,in Kalo,802103\n")
    assert len(read_dataset(folder).coordination) == 2


def test_extra_columns_become_properties(tmp_path):
    folder = dataset(
        tmp_path,
        agencies="id,name,kind,website,note\ncodi,พอช.,special_agency,https://codi.or.th,\n"
                 "dopa,กรมการปกครอง,line_agency,,x\nnst_planning,แผน,provincial,,\n",
        programs=BASE["programs"].replace("pilot\n", "pilot,budget_code\n", 1)
                                 .replace("true\n", "true,B-1\n").replace(",\n", ",,\n"),
        funding="fund,program,note,source\ncodi_nst,life_plan,matching,seed\n",
        coordination="a,b,meeting\nnst_planning,codi,monthly\n",
        implementation="implementer,program,role,hours\nkalo_fund,life_plan,lead,\ndopa,survey,,40\n",
    )
    graph = read_dataset(folder).to_graph()
    nodes = {(n.label, n.id): n.properties for n in graph.nodes}
    assert nodes[NodeLabel.Agency, "codi"] == {"name": "พอช.", "kind": "special_agency",
                                               "website": "https://codi.or.th"}
    assert nodes[NodeLabel.Agency, "dopa"]["note"] == "x" and "website" not in nodes[NodeLabel.Agency, "dopa"]
    assert nodes[NodeLabel.Program, "life_plan"]["budget_code"] == "B-1"
    assert "budget_code" not in nodes[NodeLabel.Program, "survey"]
    rels = {(r.type, r.start, r.end): r.properties for r in graph.relationships}
    assert rels[RelType.FUNDS, "codi_nst", "life_plan"] == {"note": "matching", "source": "seed"}
    assert rels[RelType.COORDINATES_WITH, "nst_planning", "codi"] == {"meeting": "monthly"}
    assert rels[RelType.IMPLEMENTS, "kalo_fund", "life_plan"] == {"role": "lead"}  # empty extra left out
    assert rels[RelType.IMPLEMENTS, "dopa", "survey"] == {"hours": "40"}


def test_columns_in_any_order(tmp_path):
    folder = dataset(tmp_path, agencies="kind,parent,name,id\nspecial_agency,,พอช.,codi\n"
                                        "line_agency,,กรมการปกครอง,dopa\nprovincial,dopa,แผน,nst_planning\n")
    ds = read_dataset(folder)
    assert [(a.id, a.kind.value, a.parent) for a in ds.agencies][2] == ("nst_planning", "provincial", "dopa")


# ---------------------------------------------------------------- docs/dataset.md
def test_docs_examples_make_a_valid_dataset(tmp_path):
    snippets = re.findall(r"^## `(\w+)\.csv`.*?^```csv\n(.*?)^```", DOCS.read_text(), re.S | re.M)
    assert [name for name, _ in snippets] == list(BASE)
    ds = read_dataset(write(tmp_path / "docs", dict(snippets)))
    assert ds.funding[0].amount_thb == 100000 and ds.funding[0].fiscal_year == 2006


def test_docs_list_every_slug_the_tests_meet():
    documented = re.findall(r"^\| `([a-z]+(?:-[a-z]+)+)` \| ", DOCS.read_text(), re.M)
    met = {e[-1] for _, _, expected in BAD_ROWS for e in expected}
    met |= {e[-1] for _, expected in BAD_FILES.values() for e in expected}
    met |= {e[-1] for _, _, e in HOSTILE_CELLS}
    met |= {"missing-folder", "unknown-encoding", "cell-too-long", "too-many-columns", "row-too-long"}  # own tests
    met |= {"bad-workbook", "workbook-too-large", "too-many-rows"}  # tests/dataset/test_workbook.py
    assert sorted(documented) == sorted(met)


# ---------------------------------------------------------------- hostile and odd input (issue 12)
# Invisible characters: at the ends of a cell they are stripped like spaces (so "AG1\u200b" is the
# id "AG1"); inside an id or code they are rejected, so two ids never look the same.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u2060", "\u00ad", "\u200e", "\u3000", "\u2009"]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_character_at_the_end_of_an_id_is_stripped(tmp_path, ch):
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"AG1{ch},เอ,academic,\n",
                     funds=BASE["funds"] + "f2,งบ,AG1,,,\n")
    ds = read_dataset(folder)
    assert [a.id for a in ds.agencies][-1] == "AG1" and ds.funds[-1].agency == "AG1"
    # and so "AG1" and "AG1<ch>" are one id: the second is a duplicate
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"AG1,เอ,academic,\n{ch}AG1{ch},บี,academic,\n")
    assert problems(folder) == [("agencies.csv", 6, "id", "AG1", "duplicate-id")]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_character_inside_an_id_is_rejected(tmp_path, ch):
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"AG{ch}1,เอ,academic,\n")
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    (p,) = info.value.problems
    assert (Path(p.file).name, p.line, p.column, p.value, p.slug) == (
        "agencies.csv", 5, "id", f"AG{ch}1", "invisible-character")
    assert p.expected == ("an id or code without invisible characters or spaces other than ' '; "
                          f"found U+{ord(ch):04X} {unicodedata.name(ch)} at character 3")
    assert f"value 'AG\\u{ord(ch):04x}1'" in str(p) or f"value 'AG\\x{ord(ch):02x}1'" in str(p)


HOSTILE_CELLS = [
    # a reference: the invisible character is the problem, not an unknown id
    ("funds", "f2,งบ,co\u200bdi,,,\n", (3, "agency", "co\u200bdi", "invisible-character")),
    ("locations", "survey,8021\u200b03\n", (4, "tambon", "8021\u200b03", "invisible-character")),
    ("programs", "p,ชื่อ,poverty\u00a0data,2006,2006,\n", (4, "themes", "poverty\u00a0data", "invisible-character")),
    ("programs", "p,ชื่อ,t,25\u200b49,2549,\n", (4, "start_year", "25\u200b49", "invisible-character")),
    ("funds", "f2,งบ,codi,spe\u200bcial,,\n", (3, "channel", "spe\u200bcial", "invisible-character")),
    ("agencies", "x,เอ,acad\u2060emic,\n", (5, "kind", "acad\u2060emic", "invisible-character")),
    # a line break inside an id is not allowed either
    ("agencies", '"a\nb",เอ,academic,\n', (5, "id", "a\nb", "invisible-character")),
    # control characters are refused in every cell, text too
    ("agencies", "x,เอ\x00,academic,\n", (5, "name", "เอ\x00", "control-character")),
    ("agencies", "x,\x1b[31mเอ,academic,\n", (5, "name", "\x1b[31mเอ", "control-character")),
    ("programs", "p,ชื่อ\x7f,t,2006,2006,\n", (4, "name", "ชื่อ\x7f", "control-character")),
    ("programs", "p,ชื่อ\x85x,t,2006,2006,\n", (4, "name", "ชื่อ\x85x", "control-character")),
    ("groups", "g2,กลุ่ม\u202eabc,farmer group,802103\n", (3, "name", "กลุ่ม\u202eabc", "control-character")),
    ("implementation", "dopa,life_plan,le\x08ad\n", (4, "role", "le\x08ad", "control-character")),
    ("agencies", "x\x01,เอ,academic,\n", (5, "id", "x\x01", "control-character")),
]


@pytest.mark.parametrize("file, row, expected", HOSTILE_CELLS)
def test_hostile_characters_are_reported_once(tmp_path, file, row, expected):
    assert problems(dataset(tmp_path, **{file: BASE[file] + row})) == [(f"{file}.csv", *expected)]


def test_invisible_characters_inside_text_are_kept(tmp_path):
    # A zero-width space is a word-break hint in Thai text; tabs and line breaks may be in names.
    folder = dataset(tmp_path, agencies=BASE["agencies"] + 'x,"แผน\u200bชุมชน\tสอง\nบรรทัด",academic,\n')
    assert read_dataset(folder).agencies[-1].name == "แผน\u200bชุมชน\tสอง\nบรรทัด"


def test_a_column_name_with_an_invisible_character(tmp_path):
    # Reported at the header; the column then counts as 'name', so the rows are still checked.
    folder = dataset(tmp_path, agencies="id,na\u200bme,kind\ncodi,พอช.,special_agency\ndopa,กรม,ngo\n"
                                        "nst_planning,แผน,provincial\n")
    assert problems(folder) == [("agencies.csv", 1, None, "na\u200bme", "invisible-character"),
                                ("agencies.csv", 3, "kind", "ngo", "unknown-kind")]


def test_nfd_and_nfc_spellings_are_one_id(tmp_path):
    nfd, nfc = "cafe\u0301", "caf\u00e9"
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"{nfd},เอ,academic,\n",
                     funds=BASE["funds"] + f"f2,งบ,{nfc},,,\n")
    ds = read_dataset(folder)
    assert ds.agencies[-1].id == nfc and ds.funds[-1].agency == nfc
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"{nfd},เอ,academic,\n{nfc},บี,academic,\n")
    assert problems(folder) == [("agencies.csv", 6, "id", nfc, "duplicate-id")]


def test_sara_am_and_nikhahit_sara_aa_are_one_id(tmp_path):
    """กำ (SARA AM, U+0E33) and ก + ํ + า (NIKHAHIT U+0E4D, SARA AA U+0E32) look the same: one id,
    kept as SARA AM (docs/dataset.md, "Text"; NFC alone would keep them apart)."""
    am, typed = "\u0e01\u0e33", "\u0e01\u0e4d\u0e32"
    assert unicodedata.normalize("NFC", typed) != am
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"{typed},เอ,academic,\n",
                     funds=BASE["funds"] + f"f2,งบ,{am},,,\n")
    ds = read_dataset(folder)
    assert ds.agencies[-1].id == am and ds.funds[-1].agency == am
    folder = dataset(tmp_path, agencies=BASE["agencies"] + f"{am},เอ,academic,\n{typed},บี,academic,\n")
    assert problems(folder) == [("agencies.csv", 6, "id", am, "duplicate-id")]


def test_cf_ranges_are_format_characters():
    from graphmodel.dataset.cells import CF_RANGES

    chars = re.sub(r"(.)-(.)", lambda m: "".join(map(chr, range(ord(m[1]), ord(m[2]) + 1))), CF_RANGES)
    assert all(unicodedata.category(c) == "Cf" for c in chars)
    assert set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e") <= set(chars)


# One over-long cell: one problem for that cell, the rest of the file read, no unknown-id cascade.
def test_a_cell_longer_than_the_csv_limit(tmp_path):
    import csv

    limit_before = csv.field_size_limit()
    huge = "ก" * 300_000
    folder = dataset(
        tmp_path,
        programs=BASE["programs"] + f"p3,{huge},t,2006,2006,\np4,ชื่อ,t,2006,2006,\n",  # lines 4, 5
        locations=BASE["locations"] + "p3,802103\np4,802103\n",
    )
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    (p,) = info.value.problems
    assert (Path(p.file).name, p.line, p.column, p.slug) == ("programs.csv", 4, "name", "cell-too-long")
    assert p.value == "ก" * 60 + "... (300,000 characters)"
    assert p.expected == "a cell of at most 131,072 characters"
    assert csv.field_size_limit() == limit_before  # the process-wide limit is put back


def test_a_long_cell_in_an_extra_column(tmp_path):
    folder = dataset(tmp_path, agencies="id,name,kind,note\ncodi,พอช.,special_agency,ok\n"
                                        f"dopa,กรม,line_agency,{'x' * 131_073}\nnst_planning,แผน,provincial,\n")
    assert problems(folder) == [("agencies.csv", 3, "note", "x" * 60 + "... (131,073 characters)", "cell-too-long")]
    folder = dataset(tmp_path, agencies=f"id,name,kind,note\ncodi,พอช.,special_agency,{'x' * 131_072}\n"
                                        "dopa,กรม,line_agency,\nnst_planning,แผน,provincial,\n")
    assert len(read_dataset(folder).agencies[0].extra["note"]) == 131_072  # the limit itself is allowed


def _wide_programs(extras: int, cell: str = "x") -> str:
    """programs.csv of BASE with ``extras`` extra columns, each filled with ``cell`` on every row."""
    head, *rows = BASE["programs"].splitlines()
    return "\n".join([head + "".join(f",c{i}" for i in range(extras)),
                      *(row + f",{cell}" * extras for row in rows)]) + "\n"


def test_too_many_extra_columns_are_refused_with_the_file_and_the_count(tmp_path):
    """Each extra column is a property of every record: 1,000,000 of them passed validate and then
    ran the server out of heap. At most 64 per file; the rows of a file with more are not read."""
    assert len(read_dataset(dataset(tmp_path, programs=_wide_programs(64))).programs[0].extra) == 64
    message = "at most 64 extra columns besides the file's own (each becomes a property); found {}"
    for extras in (65, 1_000_000):
        with pytest.raises(DatasetError) as info:
            read_dataset(dataset(tmp_path, programs=_wide_programs(extras)))
        assert [str(p) for p in info.value.problems] == [
            f"{tmp_path / 'ds' / 'programs.csv'}:1: {message.format(f'{extras:,}')} [too-many-columns]"]


def test_a_row_longer_than_the_row_limit_is_refused(tmp_path):
    """Three cells of 100,000 characters are each under the cell limit, 300,000 together over the
    row's (262,144); the row is not kept but its id still counts (no unknown-id elsewhere)."""
    head, *rows = BASE["programs"].splitlines()
    wide = "\n".join([head + ",a,b,c", rows[0] + ",x,y,z", rows[1] + (",".join([""] + ["y" * 100_000] * 3))])
    folder = dataset(tmp_path, programs=wide + "\n")
    assert problems(folder) == [("programs.csv", 3, None, None, "row-too-long")]
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    # survey's own six cells hold 6 + 9 + 12 + 4 + 4 + 0 = 35 characters (สำรวจคนจน is 9).
    assert info.value.problems[0].expected == ("a row of at most 262,144 characters in all its cells; this one "
                                               "has 300,035")
    folder = dataset(tmp_path, programs="\n".join([head + ",a,b,c", rows[0] + ",,,", rows[1] + ","
                                                    + "y" * 131_072 + "," + "y" * (131_072 - 35) + ","]) + "\n")
    assert len(read_dataset(folder).programs) == 2  # the limit itself is allowed


def test_unclosed_quote_stops_the_file_without_a_cascade(tmp_path):
    # programs.csv stops at line 4; "late" (line 5) is never read, so locations naming it are not
    # reported: fix the quote, run again.
    folder = dataset(tmp_path, programs=BASE["programs"] + 'p3,"ชื่อ,t,2006,2006,\nlate,ชื่อ,t,2006,2006,\n',
                     locations=BASE["locations"] + "late,802103\n")
    assert problems(folder) == [("programs.csv", 4, None, None, "bad-csv")]


def test_a_ragged_row_keeps_its_id(tmp_path):
    # An unquoted comma in a name makes a row ragged; references to its id are not unknown-id too.
    folder = dataset(tmp_path, agencies=BASE["agencies"] + "x,เอ, บี,academic,\n",
                     funds=BASE["funds"] + "f2,งบ,x,,,\n")
    assert problems(folder) == [("agencies.csv", 5, None, None, "ragged-row")]


def test_a_stray_byte_in_a_utf8_file(tmp_path):
    data = BASE["locations"].encode() + b"survey,80\xff2103\n"  # line 4
    assert problems(dataset(tmp_path, locations=data)) == [("locations.csv", 4, None, "0xff", "wrong-encoding")]


def test_a_byte_cp874_does_not_have(tmp_path):
    # 0xdb is not a character in cp874 (Thai Windows); "program,tambon\n" is 15 bytes.
    folder = write(tmp_path / "ds", {name: text.encode("cp874") for name, text in BASE.items()})
    (folder / "locations.csv").write_bytes(b"program,tambon\n\xdb,802103\n")
    assert problems(folder, encoding="cp874") == [("locations.csv", 2, None, "0xdb", "wrong-encoding")]


def test_a_100000_row_file(tmp_path):
    # 1 000 programs in 100 real tambons each: 100 000 location rows, one LOCATED_IN each.
    from strategies import all_tambons

    tambons = all_tambons()[:100]
    programs = "id,name,themes,start_year,end_year\n" + "".join(
        f"p{i},โครงการ {i},t,2549,2549\n" for i in range(1000))
    locations = "program,tambon\n" + "".join(f"p{i},{t}\n" for i in range(1000) for t in tambons)
    ds = read_dataset(write(tmp_path / "ds", {"agencies": BASE["agencies"], "programs": programs,
                                              "locations": locations}))
    assert len(ds.locations) == 100_000 and len(ds.tambons) == 100
    assert ds.counts()["LOCATED_IN"] == 100_000


def test_counts_are_the_graph_counts(tmp_path):
    # Dataset.counts() counts without building the graph; the graph counted by hand must agree.
    from collections import Counter

    from paths import SEED

    for folder in (dataset(tmp_path), SEED):
        ds = read_dataset(folder)
        graph = ds.to_graph()
        expected = Counter(n.label.value for n in graph.nodes) + Counter(r.type.value for r in graph.relationships)
        assert ds.counts() == dict(sorted(expected.items()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=dataset_folders())
def test_records_are_what_pydantic_validation_makes(tmp_path_factory, rows):
    # The reader builds records without a second validation (reader._make); validating each
    # record's own dump again must give an equal record with values of the same types, every
    # field in the model's order.
    ds = read_dataset(write_dataset(tmp_path_factory.mktemp("ds"), rows))
    for name in ("agencies", "funds", "programs", "groups", "funding", "implementation", "locations",
                 "coordination"):
        for record in getattr(ds, name):
            again = type(record).model_validate(record.model_dump())
            assert again == record
            assert [type(v) for v in again.__dict__.values()] == [type(v) for v in record.__dict__.values()]
            assert again.model_fields_set == record.model_fields_set
            assert list(record.__dict__) == list(type(record).model_fields)  # every field, in order
