"""Validate a dataset folder (or workbook) and return a :class:`~graphmodel.model.Dataset`.

Everything is checked before anything is built: the reader collects every
problem (file, line, column, value, what was expected) and raises one
:class:`~graphmodel.errors.DatasetError` listing them, in file order (as in
:data:`FILES`), then line, then column, so a backend never sees half a
dataset.

The files (or a workbook's sheets, see :mod:`.workbook`) are read in
contract order, one row at a time, and each row is checked as it is read:
references point into files read before (agencies, funds, programs, groups
come before the link files); an agency's ``parent`` and a reference from an
id file that is not known yet are decided when the id files are done. Only
the ids, the keys of the link files (for duplicates) and the records are
kept, never the rows.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "agencies.csv").write_text("id,name,kind\\ncodi,พอช.,special_agency\\n", encoding="utf-8")
>>> _ = (d / "programs.csv").write_text("id,name,themes,start_year,end_year\\np1,แผนชีวิตชุมชน,community_planning,2549,2549\\n", encoding="utf-8")
>>> ds = read_dataset(d)
>>> ds.programs[0].start_year
2006
>>> _ = (d / "funds.csv").write_text("id,name,agency\\nf1,กองทุน,nobody\\n", encoding="utf-8")
>>> read_dataset(d)
Traceback (most recent call last):
...
graphmodel.errors.DatasetError: 1 problem in dataset
"""

from __future__ import annotations

import codecs
import heapq
import math
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Collection, Iterator, Protocol

from .._memory import no_cyclic_gc
from ..errors import DatasetError, Problem
from ..geo import Area, tambon_area, with_areas
from ..model import (
    Agency, AgencyKind, Channel, Coordination, Dataset, Fund, Funding, Group,
    Implementation, Location, Program,
)
from .cells import CELL_LIMIT, ROW_LIMIT, clean, describe, hostile, shorten, strip
from .area import Picker, pick_rows
from .csvfile import open_csv, stream_csv
from .workbook import is_workbook, open_workbook, sheet_table

__all__ = ["FileSpec", "FILES", "Table", "read_dataset", "read_tables", "read_header", "hostile_problem",
           "UNREADABLE_HEADER", "BUDDHIST_ERA_OFFSET", "MAX_ERRORS_PER_FILE", "MAX_EXTRA_COLUMNS"]

#: A year at or above 2400 is taken as Buddhist Era and converted: CE = BE - 543.
BUDDHIST_ERA_OFFSET = 543
_BE_THRESHOLD = 2400
_YEAR_RANGE = (1900, 2200)

#: How many problems of one file a :class:`DatasetError` lists by default.
MAX_ERRORS_PER_FILE = 50
#: The most columns a file may have besides those of the contract. Each becomes a property of
#: every record (and a property key in Neo4j for good); a million of them ran the server out of heap.
MAX_EXTRA_COLUMNS = 64


@dataclass(frozen=True)
class FileSpec:
    """One file of the contract: its columns, and which of them hold free text.

    Every other column holds an id or a code (no invisible characters).
    """

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    must_exist: bool = False
    text: tuple[str, ...] = ("name", "name_en", "source")

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


#: The dataset contract v1, in reading order (see docs/dataset.md).
FILES: tuple[FileSpec, ...] = (
    FileSpec("agencies", ("id", "name", "kind"), ("name_en", "parent", "source"), must_exist=True),
    FileSpec("funds", ("id", "name", "agency"), ("channel", "amount_thb", "fiscal_year", "name_en", "source")),
    FileSpec("programs", ("id", "name", "themes", "start_year", "end_year"), ("pilot", "name_en", "source"),
             must_exist=True),
    FileSpec("groups", ("id", "name", "kind", "tambon"), ("name_en", "source"),
             text=("name", "kind", "name_en", "source")),
    FileSpec("funding", ("fund", "program"), ("amount_thb", "fiscal_year", "source")),
    FileSpec("implementation", ("implementer", "program"), ("role", "source"), text=("role", "source")),
    FileSpec("locations", ("program", "tambon"), ("source",)),
    FileSpec("coordination", ("a", "b"), ("mechanism", "tambon", "source"), text=("mechanism", "source")),
)

#: The files whose ``id`` column shares the one id space, and what one row is.
_ID_FILES = {"agencies": "agency", "funds": "fund", "programs": "program", "groups": "group"}

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
# Digits with an optional decimal part; thousands separators only in groups of
# three ("100,000.50"), so a decimal comma such as "1,50" is not read as 150.
_NUMBER = re.compile(r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$|^\.[0-9]+$")
_NO_BAD: frozenset[str] = frozenset()
#: The ``extra`` of every record without extra cells: one shared empty dict (records are frozen;
#: nothing may mutate it).
_NO_EXTRA: dict[str, str] = {}
_FIELDS_SET: dict[type, set[str]] = {}


def _make(cls: type, **values: Any) -> Any:
    """A record from values the builders have already checked, without a second validation.

    What ``model_construct`` makes, with one shared fields-set per class (a
    pydantic instance otherwise carries its own set of field names: 216 to 728
    bytes, more than its values at a million records) and without its loop
    over the fields when the builder gives every field, as each does (half
    the time per record; tests/dataset/test_reader.py holds the records equal).
    """
    fields = _FIELDS_SET.get(cls)
    if fields is None:
        fields = _FIELDS_SET[cls] = set(cls.model_fields)
    if len(values) != len(fields):  # a field left to its default
        return cls.model_construct(_fields_set=fields, **values)
    record = cls.__new__(cls)
    _set(record, "__dict__", values)
    _set(record, "__pydantic_fields_set__", fields)
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


_set = object.__setattr__  # the records are frozen: set their slots as pydantic does


class Table(Protocol):
    """What the reader needs from one file of a source (a CSV file, a workbook sheet)."""

    file: str
    header_line: int
    header: list[str]
    problems: list[Problem]
    complete: bool
    long_cells: bool
    reported: Collection[str]  # columns of the row just yielded that the table reported itself

    def rows(self) -> Iterator[tuple[int, list[str]]]: ...


# ---------------------------------------------------------------- problems, capped per file
class _Problems:
    """Every problem counted; per file only the first ``cap`` (by line, then column) kept.

    A bounded max-heap per file, so a file with a million bad rows costs
    ``cap`` problems of memory; ``cap=0`` keeps them all.
    """

    def __init__(self, cap: int, file_rank: dict[str, int]):
        self.cap = cap
        self.total = 0
        self.file_rank = file_rank
        self.column_rank: dict[str, dict[str, int]] = {}
        self._kept: dict[str, list[tuple[int, int, int, Problem]]] = {}

    def add(self, p: Problem) -> None:
        self.total += 1
        column = self.column_rank.get(p.file, {}).get(p.column, -1) if p.column else -1
        item = (-(p.line or 0), -column, -self.total, p)  # negated: heap[0] is the last kept
        kept = self._kept.setdefault(p.file, [])
        if self.cap <= 0 or len(kept) < self.cap:
            heapq.heappush(kept, item)
        elif item > kept[0]:
            heapq.heapreplace(kept, item)

    def error(self) -> DatasetError:
        files = sorted(self._kept, key=lambda f: self.file_rank.get(f, -1))
        shown = [p for f in files for *_, p in sorted(self._kept[f], reverse=True)]
        return DatasetError(shown, truncated=self.total - len(shown))


# ---------------------------------------------------------------- one file, row by row
class _Rows:
    """The state of the file being read, and typed access to the current row's cells.

    Every failure becomes a Problem at the current line; ``failed`` tells
    whether the current row had one.
    """

    def __init__(self, reader: "_Reader", table: Table, spec: FileSpec):
        self.reader = reader
        self.ids = reader.ids  # read for every reference of a million rows: one attribute away
        self.file = table.file
        self.spec = spec
        self.required = set(spec.required)
        self.line = 0
        self.failed = False
        self.bad: frozenset[str] | set[str] = _NO_BAD  # columns whose cell was reported already

    def problem(self, column: str | None, value: str | None, slug: str, expected: str) -> None:
        self.failed = True
        self.reader.problems.add(Problem(self.file, self.line, column, value, slug, expected))

    def text(self, column: str, value: str) -> str | None:
        if value == "":
            if column in self.required and column not in self.bad:
                self.problem(column, "", "empty-value", f"a non-empty {column}")
            return None
        return value

    def enum(self, column: str, value: str, enum: type[Enum]) -> Any:
        if self.text(column, value) is None:
            return None
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(e.value for e in enum)
            self.problem(column, value, f"unknown-{column}", f"one of {choices}")
            return None

    def year(self, column: str, value: str) -> int | None:
        year = _YEARS.get(value)
        if year is not None:
            return year
        if self.text(column, value) is None:
            return None
        if not (value.isascii() and value.isdigit()):
            self.problem(column, value, "bad-year", "a whole year such as 2006 (CE) or 2549 (Buddhist Era)")
            return None
        year = int(value)
        if year >= _BE_THRESHOLD:
            year -= BUDDHIST_ERA_OFFSET
        if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
            self.problem(column, value, "bad-year",
                         f"a year between {_YEAR_RANGE[0]} and {_YEAR_RANGE[1]} CE "
                         f"(Buddhist Era years from {_BE_THRESHOLD} are converted)")
            return None
        if len(_YEARS) < 10_000:
            _YEARS[value] = year
        return year

    def amount(self, column: str, value: str) -> float | None:
        if value.isdigit() and value.isascii() and len(value) < 16:
            return float(value)
        if self.text(column, value) is None:
            return None
        if value.startswith("-"):
            self.problem(column, value, "negative-amount", "an amount in baht of 0 or more")
            return None
        if not _NUMBER.match(value):
            self.problem(column, value, "bad-amount", "a number of baht such as 100000 or 100,000.50")
            return None
        amount = float(value.replace(",", ""))
        if not math.isfinite(amount):
            self.problem(column, value, "bad-amount", "a finite number of baht")
            return None
        return amount

    def boolean(self, column: str, value: str) -> bool | None:
        if self.text(column, value) is None:
            return None
        low = value.lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        self.problem(column, value, "bad-boolean", "true or false")
        return None

    def tambon(self, column: str, value: str) -> str | None:
        if not value:
            return self.text(column, value)  # None, and a problem where one is required
        area = tambon_area(value)
        if area is None:
            self.problem(column, value, "unknown-tambon",
                         "a 6-digit DOPA tambon code known to geothai (e.g. 801208 for Hu Long)")
            return None
        return area.tambon.code  # one string object per tambon, however many rows name it

    def new_id(self, value: str) -> str | None:
        """Take ``value`` into the one id space; a second use is a ``duplicate-id``."""
        if not value:
            return self.text("id", value)
        id_ = value
        first = self.ids.get(id_)
        if first is not None:
            _, kind, line = first
            self.problem("id", id_, "duplicate-id",
                         f"an id not already used ({self.reader.place(_FILE_OF[kind], line)}); "
                         "ids are unique across agencies, funds, programs and groups")
            return None
        self.ids[id_] = (id_, _ID_FILES[self.spec.name], self.line)
        return id_

    def ref(self, column: str, value: str, allowed: tuple[str, ...]) -> str | None:
        """The id ``value`` names, if it is of an ``allowed`` kind; else a problem (or silence,
        when the id may be in a file that could not be read)."""
        if not value:
            return self.text(column, value)  # None, and a problem where one is required
        hit = self.ids.get(value)
        if hit is not None and hit[1] in allowed:
            return hit[0]
        self.reader.report_ref(self, column, value, allowed, None if hit is None else hit[1])
        return None


_FILE_OF = {kind: file for file, kind in _ID_FILES.items()}
_YEARS: dict[str, int] = {}  # cell text -> CE year, for the years seen (few distinct ones)


def _wanted(allowed: tuple[str, ...]) -> str:
    names = [f"an {k}" if k[0] in "aeiou" else f"a {k}" for k in allowed]
    return " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


# ---------------------------------------------------------------- one builder per file
# Each checks one row (cells in the spec's column order, "" for a column the
# file lacks) and returns its record, or None when the row has a problem. Each
# gives _make every field of its record, in the model's order.
def _agency(r: _Rows, v: list[str], extra: dict[str, str]) -> Agency | None:
    id_, name, kind, name_en, parent, source = v
    id_, name, kind = r.new_id(id_), r.text("name", name), r.enum("kind", kind, AgencyKind)
    if parent:
        r.reader.parents.append((r.line, id_, parent))  # checked when every id is known
    if r.failed:
        return None
    return _make(Agency, id=id_, name=name, name_en=name_en or None, source=source or None, extra=extra,
                 kind=kind, parent=parent or None)


def _fund(r: _Rows, v: list[str], extra: dict[str, str]) -> Fund | None:
    id_, name, agency, channel, amount, year, name_en, source = v
    id_, name, agency = r.new_id(id_), r.text("name", name), r.ref("agency", agency, ("agency",))
    channel, amount, year = (r.enum("channel", channel, Channel), r.amount("amount_thb", amount),
                             r.year("fiscal_year", year))
    if r.failed:
        return None
    return _make(Fund, id=id_, name=name, name_en=name_en or None, source=source or None, extra=extra,
                 agency=agency, channel=channel, amount_thb=amount, fiscal_year=year)


_THEMES: dict[str, tuple[str, ...]] = {}  # cell text -> theme codes, for the spellings seen


def _themes(r: _Rows, value: str) -> tuple[str, ...]:
    themes = _THEMES.get(value)
    if themes is None:
        themes = tuple(sorted({t.strip() for t in value.split(";") if t.strip()}))
        if themes and len(_THEMES) < 100_000:
            _THEMES[value] = themes
    if value and not themes:
        r.problem("themes", value, "empty-value", "one or more theme codes separated by ';'")
    return themes


def _program(r: _Rows, v: list[str], extra: dict[str, str]) -> Program | None:
    id_, name, themes, start_cell, end_cell, pilot, name_en, source = v
    id_, name, themes = r.new_id(id_), r.text("name", name), r.text("themes", themes)
    start, end = r.year("start_year", start_cell), r.year("end_year", end_cell)
    pilot = r.boolean("pilot", pilot)
    themes = _themes(r, themes or "")
    if start is not None and end is not None and start > end:
        r.problem("end_year", end_cell, "reversed-years", f"an end year not before the start year {start_cell}")
    if r.failed:
        return None
    return _make(Program, id=id_, name=name, name_en=name_en or None, source=source or None, extra=extra,
                 themes=themes, start_year=start, end_year=end, pilot=pilot)


def _group(r: _Rows, v: list[str], extra: dict[str, str]) -> Group | None:
    id_, name, kind, tambon, name_en, source = v
    id_, name, kind = r.new_id(id_), r.text("name", name), r.text("kind", kind)
    tambon = r.tambon("tambon", tambon)
    if r.failed:
        return None
    return _make(Group, id=id_, name=name, name_en=name_en or None, source=source or None, extra=extra,
                 kind=kind, tambon=tambon)


_SOURCE_ONLY: dict[str, dict[str, str]] = {}  # source -> the shared ``extra`` of link rows with only it


def _with_source(extra: dict[str, str], source: str) -> dict[str, str]:
    """A link row's ``extra`` with its ``source``: one shared dict per source value when it holds
    nothing else (records are frozen; nothing may mutate it), not one per row (a combined national
    folder has a source on every one of a million link rows)."""
    if not source:
        return extra
    if extra:
        return {**extra, "source": source}
    shared = _SOURCE_ONLY.get(source)
    if shared is None:
        shared = {"source": source}
        if len(_SOURCE_ONLY) < 10_000:
            _SOURCE_ONLY[source] = shared
    return shared


def _funding(r: _Rows, v: list[str], extra: dict[str, str]) -> Funding | None:
    fund, program, amount, year, source = v
    fund, program = r.ref("fund", fund, ("fund",)), r.ref("program", program, ("program",))
    amount, year = r.amount("amount_thb", amount), r.year("fiscal_year", year)
    if r.failed or r.reader.duplicate(r, "program", program, (fund, program, year)):
        return None
    return _make(Funding, extra=_with_source(extra, source), fund=fund, program=program, amount_thb=amount,
                 fiscal_year=year)


def _implementation(r: _Rows, v: list[str], extra: dict[str, str]) -> Implementation | None:
    implementer, program, role, source = v
    implementer = r.ref("implementer", implementer, ("agency", "group"))
    program = r.ref("program", program, ("program",))
    if r.failed or r.reader.duplicate(r, "program", program, (implementer, program)):
        return None
    return _make(Implementation, extra=_with_source(extra, source), implementer=implementer, program=program,
                 role=role or None)


def _location(r: _Rows, v: list[str], extra: dict[str, str]) -> Location | None:
    program, tambon, source = v
    program, tambon = r.ref("program", program, ("program",)), r.tambon("tambon", tambon)
    if r.failed or r.reader.duplicate(r, "tambon", tambon, (program, tambon)):
        return None
    return _make(Location, extra=_with_source(extra, source), program=program, tambon=tambon)


_ENDS = ("agency", "group", "program")


def _coordination(r: _Rows, v: list[str], extra: dict[str, str]) -> Coordination | None:
    a_cell, b_cell, mechanism, tambon, source = v
    a, b = r.ref("a", a_cell, _ENDS), r.ref("b", b_cell, _ENDS)
    tambon = r.tambon("tambon", tambon) if tambon else None
    if a_cell and a_cell == b_cell:
        r.problem("b", b_cell, "self-link", "two different ends for a coordination link")
    if r.failed or r.reader.duplicate(r, "b", b, (*sorted((a, b)), tambon)):
        return None
    return _make(Coordination, extra=_with_source(extra, source), a=a, b=b, mechanism=mechanism or None,
                 tambon=tambon)


_BUILDERS: dict[str, Callable[[_Rows, list[str], dict[str, str]], Any]] = {
    "agencies": _agency, "funds": _fund, "programs": _program, "groups": _group,
    "funding": _funding, "implementation": _implementation, "locations": _location,
    "coordination": _coordination,
}


# ---------------------------------------------------------------- headers and hostile cells
#: Header problems after which a file's rows cannot be read.
UNREADABLE_HEADER = frozenset({"empty-column-name", "duplicate-column", "missing-column"})


def hostile_problem(file: str, line: int | None, column: str | None, value: str,
                    found: tuple[str, int, str], what: str) -> Problem:
    """The problem for a hostile character ``found`` by :func:`~.cells.hostile` in ``value``."""
    slug, position, ch = found
    if slug == "control-character":
        expected = f"{what} without control characters; found {describe(ch)} at character {position}"
    else:
        expected = (f"{what} without invisible characters or spaces other than ' '; "
                    f"found {describe(ch)} at character {position}")
    return Problem(file, line, column, shorten(value), slug, expected)


def read_header(cells: list[str], file: str, line: int,
                required: tuple[str, ...]) -> tuple[list[str], list[Problem]]:
    """A file's column names, cleaned, and the problems of its header row.

    The rows cannot be read when a problem's slug is in :data:`UNREADABLE_HEADER`;
    a hostile character in a name is reported and dropped. (Also used by
    ``graphmodel combine``, which reads each source's files before the whole
    is checked.)
    """
    names, problems = [], []
    for cell in cells:
        name = clean(cell)
        found = hostile(name, code=True)
        if found is not None:
            problems.append(hostile_problem(file, line, None, name, found, "a column name"))
            name = "".join(ch for ch in name if ch.isprintable())
        names.append(name)
    seen: set[str] = set()
    for name in names:
        if name == "":
            problems.append(Problem(file, line, None, "", "empty-column-name",
                                    "every header cell to name a column"))
        elif name in seen:
            problems.append(Problem(file, line, name, name, "duplicate-column", "each column named once"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(file, line, name, None, "missing-column",
                                    f"a column named {name!r} in the header"))
    return names, problems


# ---------------------------------------------------------------- the whole dataset
class _Reader:
    """Reads the files of a source in contract order, checking as it goes."""

    def __init__(self, open_table: Callable[[FileSpec], tuple[Table | None, list[Problem]]],
                 display: Callable[[FileSpec], str], max_errors_per_file: int, *, sheets: bool = False):
        self.open_table = open_table
        self.display = display
        self.sheets = sheets
        self.problems = _Problems(max_errors_per_file, {display(s): i for i, s in enumerate(FILES)})
        self.ids: dict[str, tuple[str, str, int]] = {}  # id -> (the id, kind, line)
        self.unreadable_kinds: set[str] = set()
        self.parents: list[tuple[int, str | None, str]] = []  # (line, agency id, parent cell)
        self.records: dict[str, list[Any]] = {spec.name: [] for spec in FILES}
        self._seen: dict[tuple, int] = {}  # link key -> line, for the file being read
        self.ids_done = False  # every id file read
        self.pending: list[tuple[str, int, str, str, tuple[str, ...]]] = []  # unknown refs so far

    def read(self) -> Dataset:
        for spec in FILES:
            if spec.name == "funding":
                self._ids_done()
            self._read_file(spec)
        if self.problems.total:
            raise self.problems.error()
        return with_areas(Dataset(**self.records))

    def place(self, file: str | None, line: int) -> str:
        """Where a row is, in a message: ``agencies.csv line 3``, ``sheet agencies row 3``, ``line 3``."""
        unit = "row" if self.sheets else "line"
        if file is None:
            return f"{unit} {line}"
        return f"sheet {file} row {line}" if self.sheets else f"{file}.csv line {line}"

    def report_ref(self, r: _Rows, column: str, value: str, allowed: tuple[str, ...], kind: str | None) -> None:
        if kind is None and not self.ids_done:
            # Perhaps an id of a file not read yet (a fund's agency naming a group): decided later.
            r.failed = True
            self.pending.append((r.file, r.line, column, value, allowed))
        elif kind is None and self.unreadable_kinds.intersection(allowed):
            r.failed = True  # the unreadable file's own problem is the one to fix
        elif kind is None:
            r.problem(column, value, "unknown-id", f"the id of {_wanted(allowed)}; no such id")
        else:
            r.problem(column, value, "wrong-type", f"the id of {_wanted(allowed)}, not a {kind}")

    def duplicate(self, r: _Rows, column: str, value: str | None, key: tuple) -> bool:
        """Whether a link row repeats an earlier one (reported as ``duplicate-row``)."""
        first = self._seen.setdefault(key, r.line)
        if first == r.line:
            return False
        r.problem(column, value, "duplicate-row",
                  f"each link once; the same link is on {self.place(None, first)}")
        return True

    def _unreadable(self, spec: FileSpec) -> None:
        if spec.name in _ID_FILES:
            self.unreadable_kinds.add(_ID_FILES[spec.name])

    def _read_file(self, spec: FileSpec) -> None:
        self._seen = {}
        table, problems = self.open_table(spec)
        for p in problems:
            self.problems.add(p)
        if table is None:
            if problems:
                self._unreadable(spec)
            return
        header = self._header(table, spec)
        if header is None:
            self._unreadable(spec)
            return
        self._rows(table, spec, header)
        for p in table.problems:
            self.problems.add(p)
        if not table.complete:
            self._unreadable(spec)

    def _header(self, table: Table, spec: FileSpec) -> list[str] | None:
        """The cleaned column names, or None (with problems) when the file cannot be read."""
        extras = sum(1 for cell in table.header if cell.strip() not in spec.columns)
        if extras > MAX_EXTRA_COLUMNS:  # before cleaning a million names
            self.problems.add(Problem(table.file, table.header_line, None, None, "too-many-columns",
                                      f"at most {MAX_EXTRA_COLUMNS} extra columns besides the file's own "
                                      f"(each becomes a property); found {extras:,}"))
            return None
        names, problems = read_header(table.header, table.file, table.header_line, spec.required)
        self.problems.column_rank[table.file] = {name: i for i, name in reversed(list(enumerate(names)))}
        for p in problems:
            self.problems.add(p)
        return None if any(p.slug in UNREADABLE_HEADER for p in problems) else names

    def _rows(self, table: Table, spec: FileSpec, header: list[str]) -> None:
        r = _Rows(self, table, spec)
        build = _BUILDERS[spec.name]
        out = self.records[spec.name]
        width = len(header)
        at = [header.index(c) if c in header else -1 for c in spec.columns]
        take = [i for i in at if i >= 0]
        code = [c not in spec.text for c in spec.columns]
        extras = [(i, name) for i, name in enumerate(header) if name not in spec.columns]
        id_at = header.index("id") if spec.name in _ID_FILES else -1
        every_column = len(take) == len(at)
        for line, raw in table.rows():
            r.line, r.failed, r.bad = line, False, _NO_BAD
            if len(raw) != width:
                r.problem(None, None, "ragged-row", f"{width} cells as in the header, found {len(raw)}")
                self._keep_id(raw, id_at, spec, line)
                continue
            # A row too long as a whole, of cells each short enough (a cell too long is reported as such).
            if table.long_cells and sum(map(len, raw)) > ROW_LIMIT and max(map(len, raw)) <= CELL_LIMIT:
                r.problem(None, None, "row-too-long", f"a row of at most {ROW_LIMIT:,} characters in all its "
                                                      f"cells; this one has {sum(map(len, raw)):,}")
                self._keep_id(raw, id_at, spec, line)
                continue
            if every_column:
                values = [raw[i].strip() for i in at]
            else:
                values = [raw[i].strip() if i >= 0 else "" for i in at]
            if table.reported:
                r.failed, r.bad = True, set(table.reported)
            if (table.long_cells and max(map(len, raw)) > CELL_LIMIT) or not all(map(str.isprintable, values)):
                self._bad_cells(r, spec, values, code)
            extra = _NO_EXTRA
            for i, name in extras:
                value = strip(raw[i])
                if value:
                    if extra is _NO_EXTRA:
                        extra = {}
                    extra[name] = self._checked_text(r, name, value)
            record = build(r, values, extra)
            if record is not None:
                out.append(record)

    def _keep_id(self, raw: list[str], id_at: int, spec: FileSpec, line: int) -> None:
        """A row refused whole still holds its id's place: no unknown-id where it is named."""
        id_ = strip(raw[id_at]) if 0 <= id_at < len(raw) else ""
        if id_:
            self.ids.setdefault(id_, (id_, _ID_FILES[spec.name], line))

    def _bad_cells(self, r: _Rows, spec: FileSpec, values: list[str], code: list[bool]) -> None:
        """Report too long and hostile cells; replace each by what the other checks should see."""
        bad = set()
        for j, (column, value) in enumerate(zip(spec.columns, values)):
            value = values[j] = strip(value)  # invisible characters at the ends go like spaces
            if len(value) > CELL_LIMIT:
                r.problem(column, shorten(value), "cell-too-long",
                          f"a cell of at most {CELL_LIMIT:,} characters")
                values[j] = ""
                bad.add(column)
                continue
            found = hostile(value, code=code[j])
            if found is not None:
                r.failed = True
                self.problems.add(hostile_problem(r.file, r.line, column, value, found,
                                                  "an id or code" if code[j] else "text"))
                values[j] = "".join(ch for ch in value if ch.isprintable() or (ch in "\t\n\r" and not code[j]))
                bad.add(column)
        r.bad = bad | r.bad

    def _checked_text(self, r: _Rows, column: str, value: str) -> str:
        """An extra column's cell, reported if too long or hostile."""
        if len(value) > CELL_LIMIT:
            r.problem(column, shorten(value), "cell-too-long", f"a cell of at most {CELL_LIMIT:,} characters")
        elif not value.isprintable():
            found = hostile(value, code=False)
            if found is not None:
                r.failed = True
                self.problems.add(hostile_problem(r.file, r.line, column, value, found, "text"))
        return value

    def _ids_done(self) -> None:
        """Every id is known: the references left undecided, agencies' parents, parent cycles."""
        self.ids_done = True
        for file, line, column, value, allowed in self.pending:
            r = _Rows(self, _Position(file), FILES[0])
            r.line = line
            hit = self.ids.get(value)
            self.report_ref(r, column, value, allowed, None if hit is None else hit[1])
        self.pending = []
        r = _Rows(self, _Position(self.display(FILES[0])), FILES[0])
        parent: dict[str, str] = {}
        lines: dict[str, int] = {}
        for line, id_, value in self.parents:
            r.line, r.failed = line, False
            target = r.ref("parent", value, ("agency",))
            if target is not None and id_ is not None and not r.failed:
                parent[id_], lines[id_] = target, line
        for start in sorted(parent):
            seen, node = set(), start
            while node in parent and node not in seen:
                seen.add(node)
                node = parent[node]
            if node == start:
                r.line = lines[start]
                r.problem("parent", parent[start], "parent-cycle",
                          "a parent chain that ends; this one leads back to the agency itself")
        self.parents = []


@dataclass
class _Position:
    """A file, as far as :class:`_Rows` needs it for the checks made after the file was read."""

    file: str


def read_dataset(source: str | Path, *, encoding: str = "utf-8",
                 max_errors_per_file: int = MAX_ERRORS_PER_FILE, area: Area | None = None,
                 agency: str | None = None) -> Dataset:
    """Read and validate a dataset folder or workbook (contract v1, see ``docs/dataset.md``).

    Parameters
    ----------
    source : path
        A folder with ``agencies.csv`` and ``programs.csv`` and, optionally,
        ``funds.csv``, ``groups.csv``, ``funding.csv``, ``implementation.csv``,
        ``locations.csv`` and ``coordination.csv``; or an Excel workbook
        (``.xlsx``) with sheets of the same names and columns (see
        :mod:`graphmodel.dataset.workbook`).
    encoding : str
        Text encoding of every CSV file; ``utf-8`` (a BOM is accepted) or
        ``cp874`` for files saved by Thai Windows. Not used for workbooks.
    max_errors_per_file : int
        At most this many problems of each file are listed in the error (the
        first ones, in line order); the others are only counted, in
        ``DatasetError.truncated``. ``0`` lists every problem.
    area : Area, optional
        Read only what a question about this tambon, district or province
        needs (its area subgraph, :mod:`.area`); ``None`` or ``Area()``: everything.
    agency : str, optional
        Read only what a question about this agency needs (not with ``area``).

    Returns
    -------
    Dataset
        The validated dataset (or the area's part of it), with the tambons,
        districts and provinces it touches looked up in ``geothai``.

    Raises
    ------
    DatasetError
        With every problem found, when anything is wrong; nothing is returned then.
        With ``area`` or ``agency``, the problems of the rows read: a row the
        area does not need is not read, so not checked (``graphmodel validate``
        checks every row).

    Notes
    -----
    One pass over each file, a constant amount of work per cell on the
    happy path; memory is the records plus one small entry per id and per
    link (for duplicates), never the rows. Python's cyclic garbage collector
    is paused while reading (:func:`graphmodel._memory.no_cyclic_gc`). An
    area's read first streams over the files, looking only at the cells that
    decide which rows it needs (:mod:`.area`), then checks and builds those
    rows: its memory is the area's.
    """
    if area is not None and area.code is None:
        area = None  # every tambon: the whole dataset
    scoped = area is not None or agency is not None
    path = Path(source)
    if path.is_file() and is_workbook(path):
        return _read_workbook(path, max_errors_per_file, area, agency)
    if not path.is_dir():
        raise DatasetError([Problem(str(path), None, None, None, "missing-folder",
                                    "a dataset folder with agencies.csv and programs.csv, "
                                    "or an Excel workbook (.xlsx) with sheets agencies and programs")])
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DatasetError([Problem(str(path), None, None, encoding, "unknown-encoding",
                                    "a text encoding Python knows, e.g. utf-8 or cp874")]) from None

    def display(spec: FileSpec) -> str:
        return str(path / spec.filename)

    def opener(open_file: Callable[..., tuple[Table | None, list[Problem]]]):
        def open_table(spec: FileSpec) -> tuple[Table | None, list[Problem]]:
            file = path / spec.filename
            if not file.is_file():
                if not spec.must_exist:
                    return None, []
                return None, [Problem(display(spec), None, None, None, "missing-file",
                                      f"a file {spec.filename} with columns {', '.join(spec.required)}")]
            return open_file(file, display(spec), encoding=encoding, required=spec.required)
        return open_table

    if scoped:
        with no_cyclic_gc(lasting=True):
            return _read_area(opener(stream_csv), display, max_errors_per_file, area, agency)
    return read_tables(opener(open_csv), display, max_errors_per_file=max_errors_per_file)


def read_tables(open_table: Callable[[FileSpec], tuple[Table | None, list[Problem]]],
                display: Callable[[FileSpec], str], *,
                max_errors_per_file: int = MAX_ERRORS_PER_FILE) -> Dataset:
    """Check a dataset whose files come from ``open_table(spec)``, as :func:`read_dataset` checks a folder.

    ``open_table`` is called once per file of :data:`FILES`, in that order,
    and returns a :class:`Table` (``None`` for a file that is not there) and
    the problems that stop it; ``display(spec)`` names each file in problems.
    (``graphmodel combine`` hands the reader its merged rows this way,
    without writing and parsing them again.)
    """
    with no_cyclic_gc(lasting=True):
        return _Reader(open_table, display, max_errors_per_file).read()


def _read_area(open_table: Callable[[FileSpec], tuple[Table | None, list[Problem]]],
               display: Callable[[FileSpec], str], max_errors_per_file: int, area: Area | None,
               agency: str | None, *, sheets: bool = False) -> Dataset:
    """Pick the rows of the area subgraph (:func:`.area.pick_rows`), then check and build them."""
    picker = Picker(lambda name: open_table(_SPECS[name]), lambda name: display(_SPECS[name]))
    pick_rows(picker, area=area, agency=agency)
    return _Reader(lambda spec: picker.table(spec.name), display, max_errors_per_file, sheets=sheets).read()


_SPECS = {spec.name: spec for spec in FILES}


def _read_workbook(path: Path, max_errors_per_file: int, area: Area | None = None,
                   agency: str | None = None) -> Dataset:
    """:func:`read_dataset` for an Excel workbook: one sheet per file of the contract."""
    workbook, problem = open_workbook(path)
    if problem is not None:
        raise DatasetError([problem])
    sheets = {name.strip(): name for name in workbook.sheetnames}

    def display(spec: FileSpec) -> str:
        return f"{path}[{spec.name}]"

    def open_table(spec: FileSpec) -> tuple[Table | None, list[Problem]]:
        sheet = sheets.get(spec.name)
        if sheet is None:
            if not spec.must_exist:
                return None, []
            return None, [Problem(display(spec), None, None, None, "missing-file",
                                  f"a sheet named {spec.name} with columns {', '.join(spec.required)}")]
        return sheet_table(workbook, sheet, display(spec), spec.required)

    try:
        with no_cyclic_gc(lasting=True):
            if area is not None or agency is not None:
                return _read_area(open_table, display, max_errors_per_file, area, agency, sheets=True)
            return _Reader(open_table, display, max_errors_per_file, sheets=True).read()
    finally:
        workbook.close()
