"""Rows of several sources into one dataset folder: ids rewritten, same rows merged, conflicts kept.

Each file of the contract is read from every source in turn (sources in
the order given, rows in file order) and written whole before the next:

1. **Ids and themes are rewritten** through the reviewed aliases (every id
   column: ``id``, ``parent``, ``agency``, ``fund``, ``program``,
   ``implementer``, ``a``, ``b``); themes through the theme vocabulary
   (:mod:`graphmodel.importers.themes`), then the theme aliases.
2. **Rows with the same key are one row**: the same id in an id file; the
   same fund, program and fiscal year in ``funding.csv`` (2549 and 2006 are
   one year); the same implementer and program; the same program and
   tambon; the same two ends and tambon in ``coordination.csv``. The first
   row met is kept; an empty cell of it takes a later row's value.
3. **Two values for one cell are a conflict**: kept from the first row, the
   other listed in ``combine-report.csv`` (years, amounts, themes and
   true/false compare by meaning: 2549 is 2006, ``100,000`` is ``100000``).
   Names of rows brought together by a reviewed alias differ by design and
   are not listed. Columns beyond the contract keep the first value.
4. **Provenance**: every row's ``source`` is its own, else the source's name.

A key met twice *in one source* without an alias is that source's own
mistake: ``duplicate-id`` or ``duplicate-row`` at its line, as the reader
says it. Problems of a source's structure (encoding, header, cell count)
stop the run before anything is checked further; every other problem
(a cell, a reference, an id used for two kinds of row) is found by the
dataset reader on the combined folder and reported at the source's own
file and line (:meth:`Merger.source_problem`).

Memory is one file's rows at a time and, per written row, its source and
line in two arrays: nothing else lives past its file, so the memory a file
took is free again for the reader that checks the whole.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Callable

from ..dataset.cells import strip
from ..dataset.reader import MAX_ERRORS_PER_FILE, UNREADABLE_HEADER, FileSpec, read_header, read_tables
from ..errors import DatasetError, Problem
from ..importers.folder import ENCODING
from ..importers.themes import vocabulary_theme
from ..model import Dataset
from ..safecsv import write_rows
from .aliases import NO_ALIASES, Aliases
from .sources import Source

__all__ = ["Merger", "Conflict", "Candidate", "REPORT_HEADER", "ID_FILES", "ID_COLUMNS"]

#: The files whose ``id`` shares the one id space, and what one row is.
ID_FILES = {"agencies": "agency", "funds": "fund", "programs": "program", "groups": "group"}
#: The columns of each file that hold ids (rewritten through the aliases).
ID_COLUMNS = {
    "agencies": ("id", "parent"), "funds": ("id", "agency"), "programs": ("id",), "groups": ("id",),
    "funding": ("fund", "program"), "implementation": ("implementer", "program"),
    "locations": ("program",), "coordination": ("a", "b"),
}
#: The columns that make two rows of a link file the same link.
_LINK_KEYS = {"funding": ("fund", "program", "fiscal_year"), "implementation": ("implementer", "program"),
              "locations": ("program", "tambon"), "coordination": ("a", "b", "tambon")}
#: The column a duplicate link is reported at (as the reader does).
_DUPLICATE_AT = {"funding": "program", "implementation": "program", "locations": "tambon", "coordination": "b"}
_YEARS = frozenset({"start_year", "end_year", "fiscal_year"})
_TRUE, _FALSE = frozenset({"true", "t", "yes", "y", "1"}), frozenset({"false", "f", "no", "n", "0"})
_NAMES = frozenset({"name", "name_en"})

#: The columns of ``combine-report.csv``.
REPORT_HEADER = ("source", "line", "file", "id", "field", "value", "kept", "kept_from", "slug")


@dataclass(frozen=True)
class Conflict:
    """One line of ``combine-report.csv``: a value not kept (or an alias no source holds)."""

    source: str
    line: int | None
    file: str
    id: str
    field: str
    value: str
    kept: str
    kept_from: str
    slug: str

    def row(self) -> list[object]:
        return [self.source, self.line, self.file, self.id, self.field, self.value, self.kept,
                self.kept_from, self.slug]


@dataclass(frozen=True)
class Candidate:
    """An agency, fund or group as one source names it, for the suggestions."""

    type: str
    id: str
    source: int
    name: str
    name_en: str
    org_ref: str = ""
    tambon: str = ""
    agency: str = ""


def _year(text: str) -> object:
    if text.isascii() and text.isdigit():
        year = int(text)
        return year - 543 if year >= 2400 else year
    return text


def _amount(text: str) -> object:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text


def _bool(text: str) -> object:
    low = text.lower()
    return True if low in _TRUE else False if low in _FALSE else text


def _theme_set(text: str) -> object:
    return frozenset(t.strip() for t in text.split(";") if t.strip())


_MEANING: dict[str, Callable[[str], object]] = {
    **dict.fromkeys(_YEARS, _year), "amount_thb": _amount, "pilot": _bool, "themes": _theme_set}


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


@dataclass
class _File:
    """Where each written row of one combined file came from (for mapping the reader's problems back).

    One packed number per row: ``line << 9 | source << 1 | rewritten`` (line 0: a row an importer made).
    """

    spec: FileSpec
    where: array = field(default_factory=lambda: array("Q"))

    def source(self, k: int) -> int:
        return (self.where[k] >> 1) & 0xFF

    def line(self, k: int) -> int:
        return self.where[k] >> 9

    def rewritten(self, k: int) -> bool:
        return bool(self.where[k] & 1)


#: How many sources one combine takes (the source's number is packed in 8 bits).
MAX_SOURCES = 255
_PLACE = re.compile(r"\((\w+)\.csv line (\d+)\)|(?<=on )line (\d+)")
_FIRST_LINE = 2  # the reader numbers a merged file's rows from 2, as a file's with its header on line 1


class _MergedTable:
    """One merged file as the reader reads a table: the rows in memory, numbered from line 2."""

    header_line = 1
    complete = True
    reported: tuple = ()

    def __init__(self, file: str, header: list[str], rows: list[list[str]], long_cells: bool):
        self.file = file
        self.header = header
        self.problems: list[Problem] = []
        self.long_cells = long_cells
        self._rows = rows

    def rows(self):
        return enumerate(self._rows, _FIRST_LINE)


class Merger:
    """Combine ``sources`` into the folder ``tmp`` (see the module's docstring).

    :meth:`check` merges the files one by one, writes each, and hands it to
    the dataset reader, which checks the whole and returns the
    :class:`~graphmodel.model.Dataset`. Then: ``problems`` (the sources'
    own, which stop the run), ``conflicts``, ``candidates`` and ``tambons``
    (for the suggestions), ``themes`` (per source), ``rows`` (per source and
    file), ``written`` (per file).
    """

    def __init__(self, sources: list[Source], tmp: Path, *, aliases: Aliases = NO_ALIASES,
                 progress: Callable[[str], None] | None = None):
        self.sources = sources
        self.tmp = tmp
        self.aliases = aliases
        self.progress = progress
        self.problems: list[Problem] = []
        self.conflicts: list[Conflict] = []
        self.candidates: list[Candidate] = []
        self.themes: list[set[str]] = [set() for _ in sources]
        self.rows: list[dict[str, int]] = [{} for _ in sources]
        self.written: dict[str, int] = {}
        self.files: dict[str, _File] = {}
        self.hits: set[str] = set()  # ids an alias rewrote
        self.theme_hits: set[str] = set()
        self._themes_cache: dict[tuple[int, str], str] = {}
        self._mapped: set[tuple[int, str]] = set()
        self.tambons: dict[str, set[str]] = {}  # agency or fund id -> the tambons of its programs
        self._fund_agency: dict[str, str] = {}
        self._holds: list[tuple[str, str]] = []

    # ------------------------------------------------------------ the run
    def check(self, max_errors_per_file: int = MAX_ERRORS_PER_FILE) -> Dataset:
        """Merge and write every file, and check the whole with the dataset reader.

        Raises
        ------
        DatasetError
            The sources' own problems if any (a file's structure, a
            duplicate inside one source, an alias of the wrong type), else
            the reader's, at the sources' files and lines.
        """
        try:
            dataset = read_tables(self.table, lambda spec: str(self.tmp / spec.filename),
                                  max_errors_per_file=max_errors_per_file)
        except DatasetError as exc:
            if not self.problems:
                raise DatasetError([self.source_problem(p) for p in exc.problems], truncated=exc.truncated) \
                    from None
        if self.problems:
            raise _capped(self.problems, max_errors_per_file)
        return dataset

    def table(self, spec: FileSpec) -> tuple[_MergedTable, list[Problem]]:
        """Merge one file of every source, write it, and give it to the reader."""
        if self.progress:
            self.progress(f"combining {spec.filename}")
        tables = []
        for s, source in enumerate(self.sources):
            table, problems = source.table(spec)
            self.problems += problems
            if table is None:
                continue
            header, header_problems = read_header(table.header, table.display, table.header_line or 1,
                                                  spec.required)
            self.problems += header_problems
            if any(p.slug in UNREADABLE_HEADER for p in header_problems):
                continue
            tables.append((s, table, header))
        keys = _LINK_KEYS.get(spec.name, ())
        out_header = [c for c in spec.columns if c == "source" or c in spec.required or c in keys
                      or any(c in h for _, _, h in tables)]
        for _, _, header in tables:
            out_header += [c for c in header if c not in spec.columns and c not in out_header]
        state = _FileState(spec, out_header)
        for s, table, header in tables:
            self._read(state, s, table, header)
            self.problems += table.problems
        self.written[spec.filename] = write_rows(self.tmp / spec.filename, state.header, state.rows,
                                                 neutralise_cells=False, encoding=ENCODING)
        self.files[spec.filename] = state.where
        if spec.name == "programs":
            self._themes_cache.clear()
        self._areas(state)
        long_cells = any(table.long_cells for _, table, _ in tables)
        return _MergedTable(str(self.tmp / spec.filename), state.header, state.rows, long_cells), []

    def _areas(self, st: "_FileState") -> None:
        """Who works where, for the suggestions: each agency's and fund's programs' tambons (:attr:`tambons`).

        The links are kept from ``funding.csv`` and ``implementation.csv`` (read before
        ``locations.csv``) as (holder, program) pairs, resolved when the locations are known.
        """
        name, at = st.spec.name, st.at
        if name == "funds":
            self._fund_agency = dict(map(itemgetter(at["id"], at["agency"]), st.rows))
        elif name == "funding":
            pairs = list(map(itemgetter(at["fund"], at["program"]), st.rows))
            agency = self._fund_agency
            self._holds = pairs + [(agency.get(fund, fund), program) for fund, program in pairs]
        elif name == "implementation":
            self._holds += map(itemgetter(at["implementer"], at["program"]), st.rows)
        elif name == "locations":
            where: dict[str, set[str]] = {}
            for program, tambon in map(itemgetter(at["program"], at["tambon"]), st.rows):
                known = where.get(program)
                if known is None:
                    where[program] = {tambon}
                else:
                    known.add(tambon)
            out = self.tambons
            for holder, program in self._holds:
                tambons = where.get(program)
                if tambons is not None:
                    target = out.get(holder)
                    if target is None:
                        out[holder] = set(tambons)
                    else:
                        target |= tambons
            self._holds, self._fund_agency = [], {}

    def _read(self, st: "_FileState", s: int, table, header: list[str]) -> None:
        """Every row of one source's file: cleaned, rewritten, merged (the hot loop: one pass, few calls)."""
        source = self.sources[s]
        pick = itemgetter(*[header.index(c) if c in header else len(header) for c in st.header])
        width, source_at, ids = len(header), st.header.index("source"), st.id_positions
        aliases, themes_at, id_at = self.aliases.ids, st.themes_at, st.id_at
        types = self.aliases.types
        collect = st.spec.name in _CANDIDATES
        index, rows, where = st.index, st.rows, st.where.where
        key_of, sheet = st.key, table.sheet
        count = 0
        for line, cells in table.rows:
            if len(cells) != width:
                self.problems.append(Problem(table.display, line, None, None, "ragged-row",
                                             f"{width} cells as in the header, found {len(cells)}"))
                continue
            if sheet is not None and sheet.reported:
                continue  # the sheet reported the cell itself
            count += 1
            cells.append("")  # the cell of a column this source lacks
            values = list(map(str.strip, pick(cells)))
            if not all(map(str.isprintable, values)):
                values = [strip(v) for v in values]  # invisible characters at the ends, as the reader strips
            if not values[source_at]:
                values[source_at] = source.name
            raw_id = values[id_at] if id_at >= 0 else ""
            rewritten = 0
            if aliases:
                for p in ids:
                    target = aliases.get(values[p])
                    if target is not None:
                        self.hits.add(values[p])
                        values[p], rewritten = target, 1
            if types and id_at >= 0:
                self._types(st, table.display, line, raw_id, values[id_at])
            if themes_at >= 0:
                values[themes_at] = self._themes(s, line, values[id_at], values[themes_at])
            if rewritten and st.self_reference(values):
                self._itself(st, s, line, values)
                if st.spec.name == "coordination":
                    continue
            key = key_of(values)
            k = index.get(key)
            if k is None:
                index[key] = len(rows)
                rows.append(values)
                where.append((line or 0) << 9 | s << 1 | rewritten)
            elif st.where.source(k) == s and not rewritten and not st.where.rewritten(k):
                self._duplicate(st, s, line, values, st.where.line(k) or None, table.display)
                continue
            else:
                self._merge(st, k, s, line, values, aliased=bool(rewritten) or st.where.rewritten(k))
            if collect:
                self.candidates.append(st.candidate(s, values))
        self.rows[s][st.spec.filename] = count

    # ------------------------------------------------------------ one row
    def _types(self, st: "_FileState", display: str, line: int | None, raw: str, id_: str) -> None:
        """The aliases file must name each id with the type the sources give it."""
        kind = ID_FILES[st.spec.name]
        for value in dict.fromkeys((raw, id_)):
            declared = self.aliases.types.get(value)
            if declared is not None and declared != kind:
                row = next(r for r in self.aliases.rows if value in (r.id, r.same_as))
                self.problems.append(Problem(
                    self.aliases.file, row.line, "type", row.type, "alias-across-types",
                    f"an alias between ids of one type; the sources hold '{value}' as {_a(kind)} "
                    f"({display}{'' if line is None else f' line {line}'})"))

    def _itself(self, st: "_FileState", s: int, line: int | None, values: list[str]) -> None:
        """A link or a parent that an alias turned into the row's own id: left out, and reported."""
        if st.spec.name == "coordination":
            self._report(s, line, st, values, "b", values[st.b_at], "", "(link left out)", "link-to-itself")
        else:
            self._report(s, line, st, values, "parent", values[st.parent_at], "", "(parent left out)",
                         "parent-is-itself")
            values[st.parent_at] = ""

    def _duplicate(self, st: "_FileState", s: int, line: int | None, values: list[str], first: int | None,
                   display: str) -> None:
        source = self.sources[s]
        spec = st.spec
        where = (f"sheet {spec.name} row {first}" if source.kind == "workbook" else f"{spec.filename} line {first}")
        if st.id_at >= 0:
            self.problems.append(Problem(display, line, "id", values[st.id_at], "duplicate-id",
                                         f"an id not already used ({where}); ids are unique across "
                                         "agencies, funds, programs and groups"))
        else:
            column = _DUPLICATE_AT[spec.name]
            unit = "row" if source.kind == "workbook" else "line"
            self.problems.append(Problem(display, line, column, values[st.header.index(column)], "duplicate-row",
                                         f"each link once; the same link is on {unit} {first}"))

    def _merge(self, st: "_FileState", k: int, s: int, line: int | None, values: list[str], *,
               aliased: bool) -> None:
        kept = st.rows[k]
        for j in st.compared:
            value, old = values[j], kept[j]
            if not value or value == old:
                continue
            if not old:
                kept[j] = value
                continue
            column = st.header[j]
            meaning = _MEANING.get(column)
            if meaning is not None and meaning(value) == meaning(old):
                continue
            if j >= st.contract_width or (aliased and column in _NAMES):
                continue
            kline = st.where.line(k)
            kept_from = self.sources[st.where.source(k)].name + (f":{kline}" if kline else "")
            self.conflicts.append(Conflict(self.sources[s].name, line, st.spec.name, st.label(values), column,
                                           value, old, kept_from, "different-value"))

    def _report(self, s: int, line: int | None, st: "_FileState", values: list[str], column: str, value: str,
                kept: str, kept_from: str, slug: str) -> None:
        self.conflicts.append(Conflict(self.sources[s].name, line, st.spec.name, st.label(values), column, value,
                                       kept, kept_from, slug))

    # ------------------------------------------------------------ themes
    def _themes(self, s: int, line: int | None, program: str, cell: str) -> str:
        cached = self._themes_cache.get((s, cell))
        if cached is not None:
            return cached
        out = []
        for theme in (t.strip() for t in cell.split(";")):
            if not theme:
                continue
            code = vocabulary_theme(theme) or theme
            aliased = self.aliases.themes.get(theme) or self.aliases.themes.get(code)
            if aliased is not None:
                self.theme_hits.add(theme if theme in self.aliases.themes else code)
                code = aliased
            elif code != theme and (s, theme) not in self._mapped:
                self._mapped.add((s, theme))
                self.conflicts.append(Conflict(self.sources[s].name, line, "programs", program, "themes", theme,
                                               code, "the theme vocabulary", "theme-mapped"))
            if code not in out:
                out.append(code)
            self.themes[s].add(code)
        mapped = ";".join(out)
        if len(self._themes_cache) < 100_000:
            self._themes_cache[(s, cell)] = mapped
        return mapped

    # ------------------------------------------------------------ mapping the reader's problems back
    def _position(self, filename: str, line: int) -> tuple[str, int | None] | None:
        """(the source's file, its line) of the row on ``line`` of a merged file."""
        where = self.files.get(filename)
        k = line - _FIRST_LINE
        if where is None or not 0 <= k < len(where.where):
            return None
        source = self.sources[where.source(k)]
        return source.display(where.spec), where.line(k) or None

    def source_problem(self, p: Problem) -> Problem:
        """A problem the reader found in a merged file, at the source file and line it came from
        (and the place its message names, for a duplicate)."""
        path = Path(p.file)
        if path.parent != self.tmp or p.line is None:
            return p
        position = self._position(path.name, p.line)
        if position is None:
            return p
        display, line = position

        def place(m: re.Match) -> str:
            filename, number = (f"{m.group(1)}.csv", m.group(2)) if m.group(1) else (path.name, m.group(3))
            found = self._position(filename, int(number))
            if found is None:
                return m.group(0)
            text = found[0] + ("" if found[1] is None else f" line {found[1]}")
            return f"({text})" if m.group(1) else text

        return Problem(display, line, p.column, p.value, p.slug, _PLACE.sub(place, p.expected))


def _capped(problems: list[Problem], cap: int) -> DatasetError:
    """The sources' own problems, in order and without repeats, at most ``cap`` per file."""
    unique = list(dict.fromkeys(problems))
    shown: list[Problem] = []
    per_file: dict[str, int] = {}
    for p in unique:
        per_file[p.file] = per_file.get(p.file, 0) + 1
        if cap <= 0 or per_file[p.file] <= cap:
            shown.append(p)
    return DatasetError(shown, truncated=len(unique) - len(shown))


_CANDIDATES = frozenset({"agencies", "funds", "groups"})


class _FileState:
    """One combined file while its sources are read: its header, rows, keys and where each row came from."""

    def __init__(self, spec: FileSpec, header: list[str]):
        self.spec = spec
        self.header = header
        self.at = {c: i for i, c in enumerate(header)}
        self.rows: list[list[str]] = []
        self.where = _File(spec)  # per row: its source, its line there, whether an alias rewrote an id
        self.index: dict[object, int] = {}
        self.id_at = self.at.get("id", -1) if spec.name in ID_FILES else -1
        self.id_positions = [self.at[c] for c in ID_COLUMNS[spec.name] if c in self.at]
        self.themes_at = self.at.get("themes", -1)
        self.parent_at = self.at.get("parent", -1)
        self.a_at, self.b_at = self.at.get("a", -1), self.at.get("b", -1)
        self.contract_width = sum(1 for c in header if c in spec.columns)
        keys = ("id",) if spec.name in ID_FILES else _LINK_KEYS[spec.name]
        self.key_at = [self.at.get(c, -1) for c in keys]
        self.compared = [j for j, c in enumerate(header) if c not in keys and c != "source"]
        self.key = self._key_function()

    def _key_function(self) -> Callable[[list[str]], object]:
        """What makes two rows of this file one row, as a function of the row (built once: it runs per row)."""
        name = self.spec.name
        if self.id_at >= 0:
            return itemgetter(self.id_at)
        at = self.key_at  # every key column is in the combined header
        if name == "funding":
            pair, year_at, years = itemgetter(at[0], at[1]), at[2], {}

            def funding(values: list[str]) -> object:
                cell = values[year_at]
                year = years.get(cell)
                if year is None:
                    year = years[cell] = _year(cell)
                return (*pair(values), year)
            return funding
        if name == "coordination":
            a_at, b_at, tambon_at = at

            def link(values: list[str]) -> object:
                a, b = values[a_at], values[b_at]
                return (a, b, values[tambon_at]) if a <= b else (b, a, values[tambon_at])
            return link
        return itemgetter(*at)

    def self_reference(self, values: list[str]) -> bool:
        """Whether a coordination link joins an id to itself, or an agency is its own parent."""
        if self.a_at >= 0:
            return values[self.a_at] == values[self.b_at]
        return self.parent_at >= 0 and values[self.parent_at] == values[self.id_at]

    def candidate(self, s: int, values: list[str]) -> Candidate:
        def cell(column: str) -> str:
            j = self.at.get(column)
            return "" if j is None else values[j]

        return Candidate(ID_FILES[self.spec.name], cell("id"), s, cell("name"), cell("name_en"), cell("org_ref"),
                         cell("tambon"), cell("agency"))

    def label(self, values: list[str]) -> str:
        """The row's id, or its link's ends, for the report's ``id`` column."""
        if self.id_at >= 0:
            return values[self.id_at]
        parts = [values[j] for j in self.key_at]
        name = self.spec.name
        if name == "funding":
            return f"{parts[0]} -> {parts[1]}" + (f" ({parts[2]})" if parts[2] else "")
        if name == "coordination":
            return f"{parts[0]} - {parts[1]}" + (f" ({parts[2]})" if parts[2] else "")
        return " -> ".join(parts) if name == "implementation" else " @ ".join(parts)
