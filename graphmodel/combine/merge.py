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
stop the run before anything is checked further; every other problem is
found by the dataset reader on the combined folder and reported at the
source's own file and line (:meth:`Merger.source_problem`).

Memory is one file's rows at a time, plus a small record per id, per key
being merged and per written row (its source and line).
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..dataset.cells import strip
from ..dataset.reader import FILES, FileSpec, UNREADABLE_HEADER, read_header
from ..errors import Problem
from ..importers.folder import ENCODING
from ..importers.themes import vocabulary_theme
from ..safecsv import write_rows
from .aliases import NO_ALIASES, Aliases
from .sources import Source

__all__ = ["Merger", "Conflict", "Candidate", "REPORT_HEADER", "ID_FILES", "ID_COLUMNS"]

#: The files whose ``id`` shares the one id space, and what one row is.
ID_FILES = {"agencies": "agency", "funds": "fund", "programs": "program", "groups": "group"}
_FILE_OF = {kind: file for file, kind in ID_FILES.items()}
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
#: Locations first among the link files: each program's provinces are known when its agencies are met.
_ORDER = ("agencies", "funds", "programs", "groups", "locations", "funding", "implementation", "coordination")
_YEARS = frozenset({"start_year", "end_year", "fiscal_year"})
_TRUE, _FALSE = frozenset({"true", "t", "yes", "y", "1"}), frozenset({"false", "f", "no", "n", "0"})
_NAMES = frozenset({"name", "name_en"})
_LINE_BREAK = re.compile("\r\n|\r|\n")

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
    """Where each written row of one combined file came from (for mapping the reader's problems back)."""

    spec: FileSpec
    source: array = field(default_factory=lambda: array("H"))
    line: array = field(default_factory=lambda: array("I"))  # 0: a row an importer made
    out_line: array = field(default_factory=lambda: array("I"))  # the line the row starts on in the output


class Merger:
    """Combine ``sources`` into the folder ``tmp`` (see the module's docstring).

    After :meth:`run`: ``problems`` (the sources' own, which stop the run),
    ``conflicts``, ``candidates`` and ``provinces`` (for the suggestions),
    ``themes`` (per source), ``rows`` (per source and file), ``written``
    (per file).
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
        self.ids: dict[str, tuple[str, int, int | None]] = {}  # id -> (type, source, line)
        self.hits: set[str] = set()  # ids and themes an alias rewrote
        self.theme_hits: set[str] = set()
        self.provinces: dict[str, set[str]] = {}  # agency or fund id -> provinces of its programs
        self._program_provinces: dict[str, object] = {}
        self._fund_agency: dict[str, str] = {}
        self._themes_cache: dict[tuple[int, str], str] = {}
        self._mapped: set[tuple[int, str]] = set()

    # ------------------------------------------------------------ the run
    def run(self) -> None:
        for name in _ORDER:
            spec = next(s for s in FILES if s.name == name)
            if self.progress:
                self.progress(f"combining {spec.filename}")
            self._file(spec)

    def _file(self, spec: FileSpec) -> None:
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
        out_header = [c for c in spec.columns if c == "source" or c in spec.required
                      or any(c in h for _, _, h in tables)]
        for _, _, header in tables:
            out_header += [c for c in header if c not in spec.columns and c not in out_header]
        state = _FileState(spec, out_header)
        for s, table, header in tables:
            self._read(state, s, table, header)
            self.problems += table.problems
        self._write(state)

    def _read(self, st: "_FileState", s: int, table, header: list[str]) -> None:
        source = self.sources[s]
        at = [header.index(c) if c in header else -1 for c in st.header]
        width, source_at, ids = len(header), st.header.index("source"), st.id_positions
        aliases = self.aliases.ids
        count = 0
        for line, cells in table.rows:
            if len(cells) != width:
                self.problems.append(Problem(table.display, line, None, None, "ragged-row",
                                             f"{width} cells as in the header, found {len(cells)}"))
                continue
            if table.row_reported():
                continue  # the sheet reported the cell itself
            count += 1
            values = [strip(cells[i]) if i >= 0 else "" for i in at]
            if not values[source_at]:
                values[source_at] = source.name
            raw_id = values[st.id_at] if st.id_at >= 0 else ""
            rewritten = False
            if aliases:
                for p in ids:
                    target = aliases.get(values[p])
                    if target is not None:
                        self.hits.add(values[p])
                        values[p], rewritten = target, True
            if st.themes_at >= 0:
                values[st.themes_at] = self._themes(s, line, values[st.id_at], values[st.themes_at])
            if st.id_at >= 0:
                self._id(st, s, table.display, line, raw_id, values[st.id_at], rewritten)
            self._row(st, s, line, values, rewritten, table.display)
        self.rows[s][st.spec.filename] = count

    # ------------------------------------------------------------ one row
    def _id(self, st: "_FileState", s: int, display: str, line: int | None, raw: str, id_: str,
            rewritten: bool) -> None:
        """The id space: an id of two types is a problem; the alias file's types must fit."""
        kind = ID_FILES[st.spec.name]
        for value in (raw, id_):
            declared = self.aliases.types.get(value)
            if declared is not None and declared != kind:
                row = next(r for r in self.aliases.rows if value in (r.id, r.same_as))
                self.problems.append(Problem(
                    self.aliases.file, row.line, "type", row.type, "alias-across-types",
                    f"an alias between ids of one type; the sources hold '{value}' as {_a(kind)} "
                    f"({display}{'' if line is None else f' line {line}'})"))
        first = self.ids.setdefault(id_, (kind, s, line))
        if first[0] != kind:
            where = self._place(first[1], first[0], first[2])
            self.problems.append(Problem(display, line, "id", id_, "duplicate-id",
                                         f"an id not already used ({where}, {_a(first[0])}); ids are unique "
                                         "across agencies, funds, programs and groups"))

    def _place(self, s: int, kind: str, line: int | None) -> str:
        spec = next(f for f in FILES if f.name == _FILE_OF[kind])
        source = self.sources[s]
        if line is None:
            return source.display(spec)
        if source.kind == "workbook":
            return f"{source.path} sheet {spec.name} row {line}"
        return f"{source.display(spec)} line {line}"

    def _row(self, st: "_FileState", s: int, line: int | None, values: list[str], rewritten: bool,
             display: str) -> None:
        key = st.key(values)
        if st.spec.name == "coordination" and values[st.a_at] == values[st.b_at] and rewritten:
            self._report(s, line, st, values, "b", values[st.b_at], "", "(link left out)", "link-to-itself")
            return
        if st.parent_at >= 0 and rewritten and values[st.parent_at] == values[st.id_at]:
            self._report(s, line, st, values, "parent", values[st.parent_at], "", "(parent left out)",
                         "parent-is-itself")
            values[st.parent_at] = ""
        k = st.index.get(key)
        if k is None:
            st.index[key] = len(st.rows)
            st.rows.append(values)
            st.where.append((s, line, rewritten))
            self._collect(st, s, values)
            return
        ks, kline, krewritten = st.where[k]
        if ks == s and not rewritten and not krewritten:
            self._duplicate(st, s, line, values, kline, display)
            return
        self._collect(st, s, values)
        self._merge(st, k, s, line, values, aliased=rewritten or krewritten)

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
        ks, kline, _ = st.where[k]
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
            kept_from = self.sources[ks].name + ("" if kline is None else f":{kline}")
            self.conflicts.append(Conflict(self.sources[s].name, line, st.spec.name, st.label(values), column,
                                           value, old, kept_from, "different-value"))

    def _report(self, s: int, line: int | None, st: "_FileState", values: list[str], column: str, value: str,
                kept: str, kept_from: str, slug: str) -> None:
        self.conflicts.append(Conflict(self.sources[s].name, line, st.spec.name, st.label(values), column, value,
                                       kept, kept_from, slug))

    # ------------------------------------------------------------ themes, and what the suggestions need
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

    def _collect(self, st: "_FileState", s: int, values: list[str]) -> None:
        name = st.spec.name
        h = st.at

        def cell(column: str) -> str:
            j = h.get(column)
            return "" if j is None else values[j]

        if name in ("agencies", "funds", "groups"):
            self.candidates.append(Candidate(ID_FILES[name], cell("id"), s, cell("name"), cell("name_en"),
                                             cell("org_ref"), cell("tambon"), cell("agency")))
            if name == "funds":
                self._fund_agency.setdefault(values[h["id"]], values[h["agency"]])
        elif name == "locations":
            program, province = values[h["program"]], values[h["tambon"]][:2]
            known = self._program_provinces.get(program)
            if known is None:
                self._program_provinces[program] = province
            elif isinstance(known, set):
                known.add(province)
            elif known != province:
                self._program_provinces[program] = {known, province}
        elif name in ("funding", "implementation"):
            program = values[h["program"]]
            known = self._program_provinces.get(program)
            if known is None:
                return
            holders = ([values[h["fund"]], self._fund_agency.get(values[h["fund"]], "")] if name == "funding"
                       else [values[h["implementer"]]])
            for holder in holders:
                target = self.provinces.setdefault(holder, set())
                if isinstance(known, set):
                    target |= known
                else:
                    target.add(known)

    # ------------------------------------------------------------ writing, and mapping problems back
    def _write(self, st: "_FileState") -> None:
        spec = st.spec
        where = _File(spec)
        out_line = 2
        for (s, line, _), row in zip(st.where, st.rows):
            where.source.append(s)
            where.line.append(line or 0)
            where.out_line.append(out_line)
            out_line += 1
            if any("\n" in v or "\r" in v for v in row):
                out_line += sum(len(_LINE_BREAK.findall(v)) for v in row)
        self.written[spec.filename] = write_rows(self.tmp / spec.filename, st.header, st.rows,
                                                 neutralise_cells=False, encoding=ENCODING)
        self.files[spec.filename] = where
        if spec.name == "programs":
            self._themes_cache.clear()
        if spec.name == "implementation":
            self._program_provinces.clear()  # coordination does not need them

    def source_problem(self, p: Problem) -> Problem:
        """A problem the reader found in the combined folder, at the source file and line it came from."""
        path = Path(p.file)
        where = self.files.get(path.name) if path.parent == self.tmp else None
        if where is None or p.line is None or p.line < 2:
            return p
        k = bisect.bisect_right(where.out_line, p.line) - 1
        if k < 0:
            return p
        source = self.sources[where.source[k]]
        line = where.line[k] or None
        return Problem(source.display(where.spec), line, p.column, p.value, p.slug, p.expected)


class _FileState:
    """One combined file while its sources are read: its header, rows, keys and where each row came from."""

    def __init__(self, spec: FileSpec, header: list[str]):
        self.spec = spec
        self.header = header
        self.at = {c: i for i, c in enumerate(header)}
        self.rows: list[list[str]] = []
        self.where: list[tuple[int, int | None, bool]] = []  # (source, line, ids rewritten)
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
        self.year_at = self.at.get("fiscal_year", -1) if spec.name == "funding" else -1

    def key(self, values: list[str]) -> object:
        if self.id_at >= 0:
            return values[self.id_at]
        parts = [values[j] if j >= 0 else "" for j in self.key_at]
        if self.spec.name == "funding":
            parts[2] = _year(parts[2])
        elif self.spec.name == "coordination":
            parts[:2] = sorted(parts[:2])
        return tuple(parts)

    def label(self, values: list[str]) -> str:
        """The row's id, or its link's ends, for the report's ``id`` column."""
        if self.id_at >= 0:
            return values[self.id_at]
        parts = [values[j] if j >= 0 else "" for j in self.key_at]
        name = self.spec.name
        if name == "funding":
            return f"{parts[0]} -> {parts[1]}" + (f" ({parts[2]})" if parts[2] else "")
        if name == "coordination":
            return f"{parts[0]} - {parts[1]}" + (f" ({parts[2]})" if parts[2] else "")
        return " -> ".join(parts) if name == "implementation" else " @ ".join(parts)
