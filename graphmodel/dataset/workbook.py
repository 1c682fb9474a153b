"""Excel workbooks as datasets: one sheet per file of the contract.

A workbook ``book.xlsx`` with sheets named like the CSV files (``agencies``,
``programs``, ``funds``, ...; the first row of each is the header) is read
with openpyxl in read-only mode and checked exactly as a CSV folder is.
Problems name the sheet: ``book.xlsx[agencies]:ROW: ...``, ROW being the
spreadsheet's own row number.

Cells are read as a person typed them:

- text as text (Thai included, normalised as in CSV files);
- a number as its digits: ``801208`` typed as a number is the code
  ``'801208'``, ``2568`` is the year 2568 (Buddhist Era), ``100000.5`` an
  amount; a whole number stored as ``2568.0`` is ``'2568'``;
- a number in the ``tambon`` column that is not 6 digits is reported, not
  guessed: Excel drops leading zeros from numbers, so codes belong in text cells;
- a date in a year column is its year; elsewhere a date reads as
  ``YYYY-MM-DD``;
- TRUE and FALSE as ``true`` and ``false``;
- a formula as the value Excel last computed for it (a workbook saved by a
  program that does not compute formulas has none: the cell is empty).

Every row a sheet holds is read, whatever range its ``<dimension>`` claims.
Two bounds keep a hostile file (a zip bomb) from running for ever: a
workbook unpacks to at most :data:`MAX_WORKBOOK_BYTES` (the sizes the zip
declares, checked before anything is unpacked; Python's zipfile never
unpacks more than they say), and a sheet has at most :data:`MAX_SHEET_ROWS`
rows, Excel's own limit. A sheet of more than :data:`PROGRESS_ROWS` rows
shows a progress bar on stderr when it is a terminal.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import zipfile
from pathlib import Path
from typing import Any, Iterator

from tqdm import tqdm

from ..errors import Problem
from .cells import normalise, shorten

__all__ = ["WORKBOOK_SUFFIXES", "MAX_WORKBOOK_BYTES", "MAX_SHEET_ROWS", "PROGRESS_ROWS", "is_workbook",
           "open_workbook", "sheet_table", "SheetTable"]

#: The most a workbook may unpack to, all its parts together. A province's dataset is a few tens of
#: megabytes of sheet XML; a national one belongs in a folder of CSV files.
MAX_WORKBOOK_BYTES = 256 * 2**20
#: The most rows a sheet may have: Excel's own limit (openpyxl yields every empty row before a row
#: numbered far beyond it).
MAX_SHEET_ROWS = 1_048_576
#: A sheet longer than this shows a progress bar on stderr (when stderr is a terminal).
PROGRESS_ROWS = 50_000

#: File name endings read as Excel workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_YEAR_COLUMNS = frozenset({"start_year", "end_year", "fiscal_year"})
_TAMBON_DIGITS = 6


def is_workbook(path: Path) -> bool:
    """Whether ``path`` names an Excel workbook (by its ending).

    >>> is_workbook(Path("book.XLSX")), is_workbook(Path("folder"))
    (True, False)
    """
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def _text(value: Any, column: str) -> str | tuple[str, str]:
    """A typed cell as the text a CSV file would hold; ``(value, expected)`` when it must be reported."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        text = str(value) if isinstance(value, int) else repr(value)
        if column == "tambon" and len(text.lstrip("-")) != _TAMBON_DIGITS:
            return text, (f"a {_TAMBON_DIGITS}-digit DOPA tambon code; this cell is the number {text}, "
                          f"with {len(text.lstrip('-'))} digits (Excel drops leading zeros from numbers: "
                          "type codes as text)")
        return text
    if isinstance(value, (dt.datetime, dt.date)):
        return str(value.year) if column in _YEAR_COLUMNS else value.strftime("%Y-%m-%d")
    return str(value)  # times, durations


class SheetTable:
    """One sheet, as the reader sees a file: a header, then rows of text cells."""

    def __init__(self, file: str, rows: Iterator[tuple], header_line: int, header: list[str]):
        self.file = file
        self.header_line = header_line
        self.header = header
        self.problems: list[Problem] = []
        self.complete = True
        self.long_cells = True  # cheap to check here: workbooks are small
        self.reported: set[str] = set()  # columns of the current row reported here already
        self._rows = _guarded(rows, self)
        self._names = [normalise(h).strip() for h in header]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        for line, values in self._rows:
            values = list(values)
            while len(values) > width and values[-1] in (None, ""):
                values.pop()  # formatting beyond the header's last column
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(values) < width:
                values += [None] * (width - len(values))
            if len(values) > width:
                yield line, [_plain(v) for v in values]  # ragged: the reader reports it
                continue
            cells = []
            self.reported = set()
            for name, value in zip(self._names, values):
                text = _text(value, name)
                if isinstance(text, tuple):
                    text, expected = text
                    self.problems.append(Problem(self.file, line, name, text, "unknown-tambon", expected))
                    self.reported.add(name)
                    text = ""
                cells.append(text)
            yield line, cells


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def open_workbook(path: Path) -> tuple[Any, Problem | None]:
    """The openpyxl workbook (read-only, values not formulas), or a ``bad-workbook`` or
    ``workbook-too-large`` problem."""
    import openpyxl  # imported here: reading CSV folders does not need it

    try:
        with zipfile.ZipFile(path) as parts:
            unpacked = sum(part.file_size for part in parts.infolist())
    except Exception:  # noqa: BLE001 - not a zip: openpyxl says what it is below
        unpacked = 0
    if unpacked > MAX_WORKBOOK_BYTES:
        return None, Problem(str(path), None, None, f"{unpacked / 2**20:,.0f} MiB", "workbook-too-large",
                             f"an Excel workbook that unpacks to at most {MAX_WORKBOOK_BYTES // 2**20} MiB "
                             "(save a dataset this large as a folder of CSV files)")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True), None
    except Exception as exc:  # noqa: BLE001 - a damaged file makes the parser raise anything (zip, XML, zlib)
        return None, Problem(str(path), None, None, None, "bad-workbook",
                             f"an Excel .xlsx workbook; it cannot be opened ({_reason(exc)})")


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {shorten(str(exc), 200)}"


def _guarded(rows: Iterator[tuple[int, tuple]], table: "SheetTable") -> Iterator[tuple[int, tuple]]:
    """The sheet's rows, until the parser fails on a damaged sheet (then a ``bad-workbook`` problem)
    or the sheet passes :data:`MAX_SHEET_ROWS` (``too-many-rows``); progress past :data:`PROGRESS_ROWS`."""
    line = table.header_line
    bar = None
    try:
        for line, values in rows:
            if line > MAX_SHEET_ROWS:
                table.complete = False
                table.problems.append(_too_many_rows(table.file))
                return
            if bar is not None:
                bar.update()
            elif line > PROGRESS_ROWS:
                bar = tqdm(initial=line, unit="row", desc=f"read {table.file}", file=sys.stderr, disable=None,
                           leave=False)
            yield line, values
    except Exception as exc:  # noqa: BLE001 - read-only sheets are parsed while iterating
        table.complete = False
        table.problems.append(Problem(table.file, line + 1, None, None, "bad-workbook",
                                      f"a readable sheet; it cannot be read from here on ({_reason(exc)})"))
    finally:
        if bar is not None:
            bar.close()


def _too_many_rows(file: str) -> Problem:
    return Problem(file, MAX_SHEET_ROWS + 1, None, None, "too-many-rows",
                   f"a sheet of at most {MAX_SHEET_ROWS:,} rows (Excel's own limit); the rest of the sheet "
                   "is not read")


def sheet_table(workbook: Any, sheet: str, display: str,
                required: tuple[str, ...]) -> tuple[SheetTable | None, list[Problem]]:
    """The sheet's header (its first non-blank row) and rows; ``None`` and a problem if it has no header."""
    try:
        worksheet = workbook[sheet]
        # The <dimension> a sheet declares may be wrong (too small, or just A1); read every cell.
        worksheet.reset_dimensions()
        rows = enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1)
        for line, values in rows:
            if line > MAX_SHEET_ROWS:  # nothing but blank rows so far
                return None, [_too_many_rows(display)]
            header = [_plain(v) for v in values]
            while header and not header[-1].strip():
                header.pop()
            if header:
                return SheetTable(display, rows, line, header), []
    except Exception as exc:  # noqa: BLE001 - see _guarded
        return None, [Problem(display, None, None, None, "bad-workbook",
                              f"a readable sheet; it cannot be read ({_reason(exc)})")]
    return None, [Problem(display, 1, None, None, "missing-header",
                          f"a header row naming the columns {', '.join(required)}")]
