"""Validate a dataset folder and return a :class:`~graphmodel.model.Dataset`.

Everything is checked before anything is built: the reader collects every
problem (file, line, column, value, what was expected) and raises one
:class:`~graphmodel.errors.DatasetError` listing them all, in file order
(as in :data:`FILES`), then line, then column, so a backend never sees half
a dataset.

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
import math
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from ..errors import DatasetError, Problem
from ..geo import tambon_area, with_areas
from ..model import (
    Agency, AgencyKind, Channel, Coordination, Dataset, Fund, Funding, Group,
    Implementation, Location, Program,
)
from .csvfile import CsvTable, Row, read_csv

__all__ = ["FileSpec", "FILES", "read_dataset", "BUDDHIST_ERA_OFFSET", "MAX_ERRORS_PER_FILE"]

#: A year at or above 2400 is taken as Buddhist Era and converted: CE = BE - 543.
BUDDHIST_ERA_OFFSET = 543
_BE_THRESHOLD = 2400
_YEAR_RANGE = (1900, 2200)


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    must_exist: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


#: The dataset contract v1, in reading order (see docs/dataset.md).
FILES: tuple[FileSpec, ...] = (
    FileSpec("agencies", ("id", "name", "kind"), ("name_en", "parent", "source"), must_exist=True),
    FileSpec("funds", ("id", "name", "agency"), ("channel", "amount_thb", "fiscal_year", "name_en", "source")),
    FileSpec("programs", ("id", "name", "themes", "start_year", "end_year"), ("pilot", "name_en", "source"), must_exist=True),
    FileSpec("groups", ("id", "name", "kind", "tambon"), ("name_en", "source")),
    FileSpec("funding", ("fund", "program"), ("amount_thb", "fiscal_year", "source")),
    FileSpec("implementation", ("implementer", "program"), ("role", "source")),
    FileSpec("locations", ("program", "tambon"), ("source",)),
    FileSpec("coordination", ("a", "b"), ("mechanism", "tambon", "source")),
)

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
# Digits with an optional decimal part; thousands separators only in groups of
# three ("100,000.50"), so a decimal comma such as "1,50" is not read as 150.
_NUMBER = re.compile(r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$|^\.[0-9]+$")


class _Cells:
    """Typed access to one table's cells; every failure becomes a Problem."""

    def __init__(self, table: CsvTable, spec: FileSpec, problems: list[Problem]):
        self.file = table.file
        self.known = set(spec.required) | set(spec.optional)
        self.required = set(spec.required)
        self.problems = problems
        self.mark = 0  # problem count before the current row: more means the row failed

    def problem(self, row: Row, column: str | None, value: str | None, slug: str, expected: str) -> None:
        self.problems.append(Problem(self.file, row.line, column, value, slug, expected))

    def extra(self, row: Row) -> dict[str, str]:
        """Cells of columns beyond the contract; empty ones mean "unknown" and are left out."""
        return {k: v for k, v in row.cells.items() if k not in self.known and v != ""}

    def text(self, row: Row, column: str) -> str | None:
        value = row.cells.get(column, "")
        if value == "":
            if column in self.required:
                self.problem(row, column, "", "empty-value", f"a non-empty {column}")
            return None
        return value

    def enum(self, row: Row, column: str, enum: type[Enum]) -> Any:
        value = self.text(row, column)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(e.value for e in enum)
            self.problem(row, column, value, f"unknown-{column}", f"one of {choices}")
            return None

    def year(self, row: Row, column: str) -> int | None:
        value = self.text(row, column)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()):
            self.problem(row, column, value, "bad-year",
                         "a whole year such as 2006 (CE) or 2549 (Buddhist Era)")
            return None
        year = int(value)
        if year >= _BE_THRESHOLD:
            year -= BUDDHIST_ERA_OFFSET
        if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
            self.problem(row, column, value, "bad-year",
                         f"a year between {_YEAR_RANGE[0]} and {_YEAR_RANGE[1]} CE "
                         f"(Buddhist Era years from {_BE_THRESHOLD} are converted)")
            return None
        return year

    def amount(self, row: Row, column: str) -> float | None:
        value = self.text(row, column)
        if value is None:
            return None
        if value.startswith("-"):
            self.problem(row, column, value, "negative-amount", "an amount in baht of 0 or more")
            return None
        if not _NUMBER.match(value):
            self.problem(row, column, value, "bad-amount",
                         "a number of baht such as 100000 or 100,000.50")
            return None
        amount = float(value.replace(",", ""))
        if not math.isfinite(amount):
            self.problem(row, column, value, "bad-amount", "a finite number of baht")
            return None
        return amount

    def boolean(self, row: Row, column: str) -> bool | None:
        value = self.text(row, column)
        if value is None:
            return None
        low = value.lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        self.problem(row, column, value, "bad-boolean", "true or false")
        return None

    def tambon(self, row: Row, column: str) -> str | None:
        value = self.text(row, column)
        if value is None:
            return None
        if tambon_area(value) is None:
            self.problem(row, column, value, "unknown-tambon",
                         "a 6-digit DOPA tambon code known to geothai (e.g. 801208 for Hu Long)")
            return None
        return value


# Each builder turns one valid row into a record, or returns None after reporting problems.
def _agency(c: _Cells, row: Row) -> Agency | None:
    id_, name, kind = c.text(row, "id"), c.text(row, "name"), c.enum(row, "kind", AgencyKind)
    if id_ is None or name is None or kind is None:
        return None
    return Agency(id=id_, name=name, kind=kind, name_en=c.text(row, "name_en"),
                  parent=c.text(row, "parent"), source=c.text(row, "source"), extra=c.extra(row))


def _fund(c: _Cells, row: Row) -> Fund | None:
    id_, name, agency = c.text(row, "id"), c.text(row, "name"), c.text(row, "agency")
    channel = c.enum(row, "channel", Channel)
    amount, year = c.amount(row, "amount_thb"), c.year(row, "fiscal_year")
    if id_ is None or name is None or agency is None or len(c.problems) > c.mark:
        return None
    return Fund(id=id_, name=name, agency=agency, channel=channel, amount_thb=amount,
                fiscal_year=year, name_en=c.text(row, "name_en"), source=c.text(row, "source"),
                extra=c.extra(row))


def _program(c: _Cells, row: Row) -> Program | None:
    id_, name = c.text(row, "id"), c.text(row, "name")
    start, end = c.year(row, "start_year"), c.year(row, "end_year")
    pilot = c.boolean(row, "pilot")
    raw_themes = c.text(row, "themes") or ""
    themes = tuple(sorted({t.strip() for t in raw_themes.split(";") if t.strip()}))
    if raw_themes and not themes:
        c.problem(row, "themes", raw_themes, "empty-value",
                  "one or more theme codes separated by ';'")
    if start is not None and end is not None and start > end:
        c.problem(row, "end_year", row.cells["end_year"], "reversed-years",
                  f"an end year not before the start year {row.cells['start_year']}")
    if id_ is None or name is None or len(c.problems) > c.mark:
        return None
    return Program(id=id_, name=name, themes=themes, start_year=start, end_year=end, pilot=pilot,
                   name_en=c.text(row, "name_en"), source=c.text(row, "source"), extra=c.extra(row))


def _group(c: _Cells, row: Row) -> Group | None:
    id_, name, kind, tambon = (c.text(row, "id"), c.text(row, "name"), c.text(row, "kind"),
                               c.tambon(row, "tambon"))
    if id_ is None or name is None or kind is None or tambon is None:
        return None
    return Group(id=id_, name=name, kind=kind, tambon=tambon, name_en=c.text(row, "name_en"),
                 source=c.text(row, "source"), extra=c.extra(row))


def _funding(c: _Cells, row: Row) -> Funding | None:
    fund, program = c.text(row, "fund"), c.text(row, "program")
    amount, year = c.amount(row, "amount_thb"), c.year(row, "fiscal_year")
    if fund is None or program is None or len(c.problems) > c.mark:
        return None
    return Funding(fund=fund, program=program, amount_thb=amount, fiscal_year=year,
                   extra=c.extra(row) | _source(c, row))


def _implementation(c: _Cells, row: Row) -> Implementation | None:
    implementer, program = c.text(row, "implementer"), c.text(row, "program")
    if implementer is None or program is None:
        return None
    return Implementation(implementer=implementer, program=program, role=c.text(row, "role"),
                          extra=c.extra(row) | _source(c, row))


def _location(c: _Cells, row: Row) -> Location | None:
    program, tambon = c.text(row, "program"), c.tambon(row, "tambon")
    if program is None or tambon is None:
        return None
    return Location(program=program, tambon=tambon, extra=c.extra(row) | _source(c, row))


def _coordination(c: _Cells, row: Row) -> Coordination | None:
    a, b, tambon = c.text(row, "a"), c.text(row, "b"), c.tambon(row, "tambon")
    if a is not None and a == b:
        c.problem(row, "b", b, "self-link", "two different ends for a coordination link")
    if a is None or b is None or len(c.problems) > c.mark:
        return None
    return Coordination(a=a, b=b, mechanism=c.text(row, "mechanism"), tambon=tambon,
                        extra=c.extra(row) | _source(c, row))


def _source(c: _Cells, row: Row) -> dict[str, str]:
    source = c.text(row, "source")
    return {} if source is None else {"source": source}


_BUILDERS: dict[str, Callable[[_Cells, Row], Any]] = {
    "agencies": _agency, "funds": _fund, "programs": _program, "groups": _group,
    "funding": _funding, "implementation": _implementation, "locations": _location,
    "coordination": _coordination,
}


def _parse_files(folder: Path, encoding: str, problems: list[Problem], headers: dict[str, list[str]],
                 unreadable: set[str]) -> dict[str, list[tuple[Row, Any]]]:
    """Read every file of the contract into (row, record) pairs, collecting problems.

    A row with a problem is kept with record ``None``: its id still takes its
    place in the id space and its references are still checked, so one bad
    cell neither hides other problems nor causes false ``unknown-id`` ones.
    ``headers`` receives each file's columns (to order problems left to right),
    ``unreadable`` the names of required or present files that could not be read.
    """
    parsed: dict[str, list[tuple[Row, Any]]] = {}
    for spec in FILES:
        path = folder / spec.filename
        display = str(path)
        parsed[spec.name] = []
        if not path.is_file():
            if spec.must_exist:
                unreadable.add(spec.name)
                problems.append(Problem(display, None, None, None, "missing-file",
                                        f"a file {spec.filename} with columns {', '.join(spec.required)}"))
            continue
        table, file_problems = read_csv(path, display, encoding=encoding, required=spec.required)
        problems.extend(file_problems)
        if table is None:
            unreadable.add(spec.name)
            continue
        headers[display] = table.header
        cells = _Cells(table, spec, problems)
        for row in table.rows:
            cells.mark = len(problems)
            record = _BUILDERS[spec.name](cells, row)
            parsed[spec.name].append((row, None if len(problems) > cells.mark else record))
    return parsed


#: The files whose ``id`` column shares the one id space, and what one row is.
_ID_FILES = (("agencies", "agency"), ("funds", "fund"), ("programs", "program"), ("groups", "group"))


class _Refs:
    """Cross-file checks: one id space, references, duplicates, cycles.

    Ids in a file that could not be read are unknown, so a reference that may
    point into such a file is dropped silently: the file's own problem is
    the one to fix, not every reference to it.
    """

    def __init__(self, folder: Path, parsed: dict[str, list[tuple[Row, Any]]], problems: list[Problem],
                 unreadable: set[str]):
        self.folder = folder
        self.parsed = parsed
        self.problems = problems
        self.kind_of: dict[str, str] = {}
        self.unreadable_kinds = {kind for file, kind in _ID_FILES if file in unreadable}

    def problem(self, file: str, row: Row, column: str, value: str, slug: str, expected: str) -> None:
        self.problems.append(Problem(str(self.folder / f"{file}.csv"), row.line, column, value, slug, expected))

    def unique_ids(self) -> None:
        first: dict[str, tuple[str, int]] = {}
        for file, singular in _ID_FILES:
            kept = []
            for row, record in self.parsed[file]:
                id_ = row.cells["id"]
                if id_ in first:
                    other_file, other_line = first[id_]
                    self.problem(file, row, "id", id_, "duplicate-id",
                                 f"an id not already used ({other_file}.csv line {other_line}); "
                                 "ids are unique across agencies, funds, programs and groups")
                    record = None
                elif id_:
                    first[id_] = (file, row.line)
                    self.kind_of[id_] = singular
                kept.append((row, record))
            self.parsed[file] = kept

    def ref(self, file: str, row: Row, column: str, value: str, allowed: tuple[str, ...]) -> bool:
        kind = self.kind_of.get(value)
        if kind in allowed:
            return True
        if kind is None and self.unreadable_kinds.intersection(allowed):
            return False
        names = [f"an {k}" if k[0] in "aeiou" else f"a {k}" for k in allowed]
        wanted = " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
        if kind is None:
            self.problem(file, row, column, value, "unknown-id", f"the id of {wanted}; no such id")
        else:
            self.problem(file, row, column, value, "wrong-type", f"the id of {wanted}, not a {kind}")
        return False

    def check_references(self) -> None:
        checks = {
            "agencies": (("parent", ("agency",)),),
            "funds": (("agency", ("agency",)),),
            "funding": (("fund", ("fund",)), ("program", ("program",))),
            "implementation": (("implementer", ("agency", "group")), ("program", ("program",))),
            "locations": (("program", ("program",)),),
            "coordination": (("a", ("agency", "group", "program")), ("b", ("agency", "group", "program"))),
        }
        for file, columns in checks.items():
            kept = []
            for row, record in self.parsed[file]:
                ok = True
                for column, allowed in columns:
                    value = row.cells.get(column, "")
                    if value:
                        ok = self.ref(file, row, column, value, allowed) and ok
                kept.append((row, record if ok else None))
            self.parsed[file] = kept

    def check_parent_cycles(self) -> None:
        valid = [(row, r) for row, r in self.parsed["agencies"] if r is not None]
        parent = {r.id: r.parent for _, r in valid if r.parent}
        rows = {r.id: row for row, r in valid}
        for start in sorted(parent):
            seen, node = set(), start
            while node in parent and node not in seen:
                seen.add(node)
                node = parent[node]
            if node == start:
                self.problem("agencies", rows[start], "parent", parent[start], "parent-cycle",
                             "a parent chain that ends; this one leads back to the agency itself")

    def check_duplicates(self) -> None:
        # file -> (column to cite, key that must be unique)
        keys: dict[str, tuple[str, Callable[[Any], tuple]]] = {
            "funding": ("program", lambda r: (r.fund, r.program, r.fiscal_year)),
            "implementation": ("program", lambda r: (r.implementer, r.program)),
            "locations": ("tambon", lambda r: (r.program, r.tambon)),
            "coordination": ("b", lambda r: (*sorted((r.a, r.b)), r.tambon)),
        }
        for file, (column, key) in keys.items():
            seen: dict[tuple, int] = {}
            kept = []
            for row, record in self.parsed[file]:
                if record is None:
                    continue
                k = key(record)
                if k in seen:
                    self.problem(file, row, column, row.cells[column], "duplicate-row", f"each link once; the same link is on line {seen[k]}")
                    continue
                seen[k] = row.line
                kept.append((row, record))
            self.parsed[file] = kept


#: How many problems of one file a :class:`DatasetError` lists by default.
MAX_ERRORS_PER_FILE = 50


def read_dataset(folder: str | Path, *, encoding: str = "utf-8",
                 max_errors_per_file: int = MAX_ERRORS_PER_FILE) -> Dataset:
    """Read and validate a dataset folder (contract v1, see ``docs/dataset.md``).

    Parameters
    ----------
    folder : path
        A folder with ``agencies.csv`` and ``programs.csv`` and, optionally,
        ``funds.csv``, ``groups.csv``, ``funding.csv``, ``implementation.csv``,
        ``locations.csv`` and ``coordination.csv``.
    encoding : str
        Text encoding of every file; ``utf-8`` (a BOM is accepted) or
        ``cp874`` for files saved by Thai Windows.
    max_errors_per_file : int
        At most this many problems of each file are listed in the error (the
        first ones, in line order); the others are only counted, in
        ``DatasetError.truncated``. ``0`` lists every problem.

    Returns
    -------
    Dataset
        The validated dataset, with the tambons, districts and provinces it
        touches looked up in ``geothai``.

    Raises
    ------
    DatasetError
        With every problem found, when anything is wrong; nothing is returned then.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError([Problem(str(folder), None, None, None, "missing-folder",
                                    "a dataset folder with agencies.csv and programs.csv")])
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DatasetError([Problem(str(folder), None, None, encoding, "unknown-encoding",
                                    "a text encoding Python knows, e.g. utf-8 or cp874")]) from None
    problems: list[Problem] = []
    headers: dict[str, list[str]] = {}
    unreadable: set[str] = set()
    parsed = _parse_files(folder, encoding, problems, headers, unreadable)
    refs = _Refs(folder, parsed, problems, unreadable)
    refs.unique_ids()
    refs.check_references()
    refs.check_parent_cycles()
    refs.check_duplicates()
    if problems:
        shown = _capped(_in_file_order(folder, problems, headers), max_errors_per_file)
        raise DatasetError(shown, truncated=len(problems) - len(shown))

    records = {name: [record for _, record in rows] for name, rows in parsed.items()}
    return with_areas(Dataset(**records))


def _in_file_order(folder: Path, problems: list[Problem], headers: dict[str, list[str]]) -> list[Problem]:
    """Problems sorted as a reader meets them: files in contract order, then lines, then columns."""
    file_rank = {str(folder / spec.filename): i for i, spec in enumerate(FILES)}

    def key(p: Problem) -> tuple[int, int, int]:
        header = headers.get(p.file, [])
        column = header.index(p.column) if p.column in header else -1
        return file_rank.get(p.file, -1), p.line or 0, column

    return sorted(problems, key=key)


def _capped(problems: list[Problem], per_file: int) -> list[Problem]:
    """The first ``per_file`` problems of each file (all of them for 0), order kept.

    >>> ps = [Problem(f, n, None, None, "x", "y") for f in "ab" for n in (1, 2, 3)]
    >>> [(p.file, p.line) for p in _capped(ps, 2)]
    [('a', 1), ('a', 2), ('b', 1), ('b', 2)]
    """
    if per_file <= 0:
        return problems
    seen: dict[str, int] = {}
    kept = []
    for p in problems:
        seen[p.file] = seen.get(p.file, 0) + 1
        if seen[p.file] <= per_file:
            kept.append(p)
    return kept
