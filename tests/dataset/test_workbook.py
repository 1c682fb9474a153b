"""Excel workbooks as datasets (issue 11 §1) and the template workbook.

Workbooks are written here with openpyxl, independently of the reader; the
expected problems are worked out from the cells written (rows are the
spreadsheet's own row numbers: the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import zipfile
from pathlib import Path

import openpyxl
import pytest
from paths import SEED, SEED_COORDINATED
from strategies import all_tambons

from graphmodel.dataset import FILES, read_dataset
from graphmodel.dataset.template import EXAMPLES, write_template
from graphmodel.errors import DatasetError

_YEARS = {"start_year", "end_year", "fiscal_year"}


def typed(column: str, text: str):
    """A CSV cell as a person would type it into Excel: numbers as numbers, TRUE/FALSE as booleans."""
    if text == "":
        return None
    if column in _YEARS or column == "tambon":
        return int(text)
    if column == "amount_thb":
        return float(text.replace(",", ""))
    if column == "pilot":
        return text.lower() == "true"
    return text


def book_from_folder(folder: Path, path: Path) -> Path:
    """Each CSV file of ``folder`` as a sheet of the same name, cells typed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in FILES:
        file = folder / spec.filename
        if not file.exists():
            continue
        with open(file, encoding="utf-8-sig", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        sheet = book.create_sheet(spec.name)
        sheet.append(header)
        for row in rows:
            sheet.append([typed(c, v) for c, v in zip(header, row)])
    book.save(path)
    return path


def book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with the given sheets (rows as lists of typed cells)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


AGENCIES = [["id", "name", "kind"], ["codi", "พอช.", "special_agency"], ["dopa", "กรมการปกครอง", "line_agency"]]
PROGRAMS = [["id", "name", "themes", "start_year", "end_year"], ["plan", "แผนชีวิตชุมชน", "poverty", 2549, 2549]]


def lines(path: Path, **kwargs) -> list[str]:
    with pytest.raises(DatasetError) as info:
        read_dataset(path, **kwargs)
    return info.value.lines()


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=["seed", "seed-coordinated"])
def test_the_seed_as_a_workbook_is_the_same_dataset(tmp_path, folder):
    path = book_from_folder(folder, tmp_path / "seed.xlsx")
    assert openpyxl.load_workbook(path)["locations"]["B2"].data_type == "n"  # tambons typed as numbers
    assert read_dataset(path) == read_dataset(folder)


def test_typed_cells(tmp_path):
    path = book(tmp_path / "book.xlsx", {
        "agencies": AGENCIES + [[12, "หน่วยงาน 12", "academic"]],  # an id typed as a number
        "funds": [["id", "name", "agency", "amount_thb", "fiscal_year"],
                  ["f1", "งบ", "codi", 100000.5, dt.datetime(2006, 10, 1)],  # a date in a year column
                  ["f2", "งบ", 12, 250000, 2549.0]],  # a whole number stored as a float
        "programs": [PROGRAMS[0] + ["pilot"], ["plan", "แผน", "poverty", 2549, dt.date(2007, 1, 1), True],
                     ["p2", 2549, "poverty", 2006, 2006, False]],  # a name typed as a number
        "locations": [["program", "tambon"], ["plan", 801208]],  # a code typed as a number
    })
    ds = read_dataset(path)
    assert [a.id for a in ds.agencies] == ["codi", "dopa", "12"]
    assert [(f.agency, f.amount_thb, f.fiscal_year) for f in ds.funds] == [("codi", 100000.5, 2006),
                                                                           ("12", 250000.0, 2006)]
    assert [(p.name, p.start_year, p.end_year, p.pilot) for p in ds.programs] == [
        ("แผน", 2006, 2007, True), ("2549", 2006, 2006, False)]
    assert ds.locations[0].tambon == "801208" and ds.tambons[0].name_en == "Hu Long"


def test_thai_text_in_cells_is_normalised(tmp_path):
    # น้ำ typed as น ้ ํ า in a cell is stored as น้ำ, as from a CSV file
    path = book(tmp_path / "book.xlsx", {"agencies": AGENCIES + [["x", "\u0e19\u0e49\u0e4d\u0e32", "academic"]],
                                         "programs": PROGRAMS})
    assert read_dataset(path).agencies[-1].name == "\u0e19\u0e49\u0e33"


def test_problems_name_the_workbook_sheet_and_row(tmp_path):
    path = book(tmp_path / "book.xlsx", {
        "agencies": AGENCIES + [["x", "เอ", "ngo"], ["codi", "ซ้ำ", "academic"]],  # rows 4, 5
        "programs": PROGRAMS + [[], ["p2", "แผน", "poverty", 2549, 2548]],  # row 3 empty, row 4
        "locations": [["program", "tambon"], ["plan", 80210], ["plan", "999999"], ["nobody", 801208],
                      ["plan", 801208], ["plan", 801208]],
    })
    b = f"{path}"
    assert lines(path) == [
        f"{b}[agencies]:4: column 'kind': value 'ngo': one of local_government, line_agency, provincial, "
        "special_agency, community_network, academic, civil_society [unknown-kind]",
        f"{b}[agencies]:5: column 'id': value 'codi': an id not already used (sheet agencies row 2); "
        "ids are unique across agencies, funds, programs and groups [duplicate-id]",
        f"{b}[programs]:4: column 'end_year': value '2548': an end year not before the start year 2549 "
        "[reversed-years]",
        # a number with 5 digits: reported as such, not guessed as 080210
        f"{b}[locations]:2: column 'tambon': value '80210': a 6-digit DOPA tambon code; this cell is the "
        "number 80210, with 5 digits (Excel drops leading zeros from numbers: type codes as text) [unknown-tambon]",
        f"{b}[locations]:3: column 'tambon': value '999999': a 6-digit DOPA tambon code known to geothai "
        "(e.g. 801208 for Hu Long) [unknown-tambon]",
        f"{b}[locations]:4: column 'program': value 'nobody': the id of a program; no such id [unknown-id]",
        f"{b}[locations]:6: column 'tambon': value '801208': each link once; the same link is on row 5 "
        "[duplicate-row]",
    ]


def test_sheet_level_problems(tmp_path):
    path = book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "funds": [], "Sheet9": [["x"]],
                                         "groups": [["id", "name", "kind"], ["g", "กลุ่ม", "savings"]]})
    assert lines(path) == [
        f"{path}[funds]:1: a header row naming the columns id, name, agency [missing-header]",
        f"{path}[programs]: a sheet named programs with columns id, name, themes, start_year, end_year "
        "[missing-file]",
        f"{path}[groups]:1: column 'tambon': a column named 'tambon' in the header [missing-column]",
    ]


def test_a_value_beyond_the_header_is_a_ragged_row(tmp_path):
    path = book(tmp_path / "book.xlsx", {"agencies": AGENCIES + [["x", "เอ", "academic", None, "stray"]],
                                         "programs": PROGRAMS})
    assert lines(path) == [f"{path}[agencies]:4: 3 cells as in the header, found 5 [ragged-row]"]


def test_a_formula_without_a_computed_value_reads_as_empty(tmp_path):
    # openpyxl stores formulas without computing them; the reader takes the value Excel last computed.
    path = book(tmp_path / "book.xlsx", {"agencies": AGENCIES + [["x", "=A2", "academic"]], "programs": PROGRAMS})
    assert lines(path) == [f"{path}[agencies]:4: column 'name': value '': a non-empty name [empty-value]"]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_text("id,name,kind\n")
    (line,) = lines(path)
    assert line.startswith(f"{path}: an Excel .xlsx workbook; it cannot be opened (") and line.endswith("[bad-workbook]")


def test_the_cap_applies_to_sheets(tmp_path):
    path = book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "programs": PROGRAMS,
                                         "locations": [["program", "tambon"]] + [["plan", 99999]] * 60})
    out = lines(path, max_errors_per_file=5)
    assert [line.split(":")[1] for line in out[:5]] == ["2", "3", "4", "5", "6"]
    assert out[5:] == ["... and 55 more problems not shown (--max-errors 0 lists them all)"]


# ---------------------------------------------------------------- the template
def with_dimension(path: Path, sheet: str, ref: str) -> Path:
    """The workbook with ``sheet`` declaring ``<dimension ref=REF>`` (what some programs write wrong)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    member = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    out = path.with_name(f"{path.stem}-{ref.replace(':', '-')}.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == member:
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert n == 1
            dst.writestr(item, data)
    return out


@pytest.mark.parametrize("ref", ["A1:B100", "A1", "A1:Z5000"])
def test_a_wrong_declared_dimension_reads_every_row_and_column(tmp_path, ref):
    """A sheet declaring A1:B100 over 183 rows was read as 99 locations; one declaring A1 had only
    its first column (a false missing-column). Every row and column is read, whatever it says."""
    programs = PROGRAMS[:1] + [[f"p{i}", f"โครงการ {i}", "poverty", 2549, 2549] for i in range(61)]
    tambons = ["801208", "802103", "800101"]
    locations = [["program", "tambon"]] + [[f"p{i}", t] for i in range(61) for t in tambons]  # 183 rows
    path = with_dimension(book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "programs": programs,
                                                        "locations": locations}), "locations", ref)
    dataset = read_dataset(path)
    assert len(dataset.locations) == 183 and len(dataset.programs) == 61
    assert {(x.program, x.tambon) for x in dataset.locations} == {(f"p{i}", t) for i in range(61) for t in tambons}


def with_sheet_xml(path: Path, sheet: str, rows) -> Path:
    """The workbook with ``sheet``'s rows replaced by the XML ``rows`` yields (bytes, streamed into
    the zip: a few megabytes on disk may unpack to hundreds, as in a zip bomb)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    member = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    out = path.with_name(f"{path.stem}-bomb.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != member:
                dst.writestr(item, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with dst.open(item.filename, "w", force_zip64=True) as fh:
                fh.write(re.sub(rb"<sheetData>.*", b"<sheetData>", head, flags=re.S))
                for chunk in rows:
                    fh.write(chunk)
                fh.write(b"</sheetData>" + tail)
    return out


def location_rows(first: int, last: int, cells=lambda i: ("plan", "802103")):
    """``<row>`` elements for rows first..last of a locations sheet, a thousand at a time; row i
    holds ``cells(i)`` (program, tambon)."""
    def row(i: int, program: str, tambon: str) -> bytes:
        return (f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{program}</t></is></c>'
                f'<c r="B{i}" t="inlineStr"><is><t>{tambon}</t></is></c></row>').encode()

    yield row(1, "program", "tambon") if first == 1 else b""
    for start in range(max(first, 2), last + 1, 1000):
        yield b"".join(row(i, *cells(i)) for i in range(start, min(start + 1000, last + 1)))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    """A few megabytes that unpack to 8 million rows were read for minutes with no output. The
    sizes the zip declares are read first (Python's zipfile never unpacks more than they say)."""
    base = book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "programs": PROGRAMS, "locations": [["x"]]})
    bomb = with_sheet_xml(base, "locations", location_rows(1, 4_000_000))  # ~0.5 GB of XML
    assert bomb.stat().st_size < 40 * 2**20
    unpacked = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
    assert unpacked > 256 * 2**20
    assert lines(bomb) == [f"{bomb}: value '{unpacked / 2**20:,.0f} MiB': an Excel workbook that unpacks to at "
                           "most 256 MiB (save a dataset this large as a folder of CSV files) [workbook-too-large]"]


def test_a_sheet_past_excels_row_limit_stops_there(tmp_path):
    """A row numbered 2,000,000: openpyxl yields every empty row before it. The reader stops at
    Excel's own limit, 1,048,576 rows, with one problem, and keeps what came before."""
    base = book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "programs": PROGRAMS, "locations": [["x"]]})
    tambons = {2: "802103", 3: "801208", 2_000_000: "800101"}
    bomb = with_sheet_xml(base, "locations", [*location_rows(1, 3, lambda i: ("plan", tambons[i])),
                                              *location_rows(2_000_000, 2_000_000, lambda i: ("plan", tambons[i]))])
    assert lines(bomb) == [f"{bomb}[locations]:1048577: a sheet of at most 1,048,576 rows (Excel's own limit); "
                           "the rest of the sheet is not read [too-many-rows]"]


def test_a_large_sheet_shows_progress_on_a_terminal(tmp_path):
    """Reading a sheet of more than 50,000 rows shows a progress bar on stderr when it is a
    terminal (here a pseudo-terminal; none when stderr is a file)."""
    tambons = all_tambons()[:7_000]
    programs = PROGRAMS[:1] + [[f"p{i}", f"โครงการ {i}", "poverty", 2549, 2549] for i in range(9)]
    base = book(tmp_path / "book.xlsx", {"agencies": AGENCIES, "programs": programs, "locations": [["x"]]})
    large = with_sheet_xml(base, "locations",  # 60,000 distinct (program, tambon) pairs
                           location_rows(1, 60_001, lambda i: (f"p{(i - 2) // 7_000}", tambons[(i - 2) % 7_000])))
    command = [str(Path(sys.executable).parent / "graphmodel"), "validate", str(large)]
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))  # 24 x 200, as a window
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal,
                              timeout=600, cwd=tmp_path)
        os.close(terminal)
        shown = b""
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not data:
                break
            shown += data
    finally:
        os.close(controller)
    assert proc.returncode == 0, shown
    assert f"read {large}[locations]".encode() in shown and b"row" in shown
    quiet = subprocess.run(command, capture_output=True, timeout=600, cwd=tmp_path)
    assert (quiet.returncode, quiet.stderr) == (0, b"")


def test_template_sheets_headers_and_validations(tmp_path):
    path = tmp_path / "book.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [spec.name for spec in FILES]
    for spec in FILES:
        sheet = wb[spec.name]
        assert [c.value for c in sheet[1]] == list(spec.columns)
        assert sheet.max_row == 2
    rules = {(name, str(dv.sqref), dv.type, dv.formula1) for name in wb.sheetnames
             for dv in wb[name].data_validations.dataValidation}
    assert rules == {
        ("agencies", "C2:C1048576", "list",
         '"local_government,line_agency,provincial,special_agency,community_network,academic,civil_society"'),
        ("funds", "D2:D1048576", "list", '"normal,ceo,special"'),
    }


def test_template_examples_are_seed_rows(tmp_path):
    # Every example row but coordination's is, column for column, a row of the seed's CSV file; the
    # coordination row joins the template's own agency and group in their tambon (the seed has no
    # link between two rows of the other sheets), so the template validates as written.
    for spec in FILES:
        if spec.name == "coordination":
            continue
        with open(SEED / spec.filename, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        example = {k: ("true" if v is True else str(v)) for k, v in EXAMPLES[spec.name].items()}
        assert any(all(row.get(k, "") == example.get(k, "") for k in row) for row in rows), spec.name
    link = EXAMPLES["coordination"]
    assert (link["a"], link["b"], link["tambon"]) == (
        EXAMPLES["agencies"]["id"], EXAMPLES["groups"]["id"], EXAMPLES["groups"]["tambon"])


def test_template_reads_back(tmp_path):
    path = tmp_path / "book.xlsx"
    write_template(path)
    # As written, the template is a valid dataset, typed cells and all.
    ds = read_dataset(path)
    assert (ds.programs[0].start_year, ds.programs[0].pilot, ds.funds[0].fiscal_year) == (2006, True, 2006)
    assert [t.code for t in ds.tambons] == ["802103"]
