"""Reviewed aliases: which id of one source is which id of another (``--aliases FILE``).

A CSV file with the columns ``type,id,same_as`` and, optionally,
``decision`` (``same``, the default, or ``different``) and ``note``; other
columns (the ``score`` and ``reason`` of ``aliases-suggested.csv``) are
ignored, so the suggestions file, reviewed, is an aliases file.

- ``type`` is ``agency``, ``fund``, ``program``, ``group`` or ``theme``.
- A ``same`` row rewrites ``id`` to ``same_as`` wherever an id (or, for
  ``theme``, a theme) is written; chains resolve (``a -> b``, ``b -> c``:
  ``a`` is ``c``).
- A ``different`` row rewrites nothing; the pair is never suggested again.

Problems are reported like a dataset's, with the file's line, and stop the
run: a missing column, an unknown type or decision, an empty cell, an alias
to itself, an id given two different ``same_as``, a pair marked both same
and different, an id named with two types, and a cycle (every line in it).
An id that no source holds is not an error here: ``graphmodel combine``
reports it as stale.

A cell a spreadsheet was kept from running (``'=x``, the form
:mod:`graphmodel.safecsv` writes) reads as the text after the quote.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "aliases.csv"
>>> _ = p.write_text("type,id,same_as,decision\\n"
...                  "agency,a,b,\\nagency,b,c,same\\nagency,x,c,different\\ntheme,Livelihoods,occupation,\\n")
>>> aliases = read_aliases(p)
>>> aliases.resolve("a"), aliases.resolve("x"), aliases.theme("Livelihoods")
('c', 'x', 'occupation')
>>> aliases.is_different("agency", "c", "x")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.cells import clean
from ..dataset.csvfile import open_csv
from ..dataset.reader import UNREADABLE_HEADER, read_header
from ..errors import DatasetError, Problem
from ..safecsv import DANGEROUS_STARTS

__all__ = ["TYPES", "Alias", "Aliases", "read_aliases", "NO_ALIASES"]

#: The types an alias may name: the four kinds of id, and themes.
TYPES = ("agency", "fund", "program", "group", "theme")
_DECISIONS = ("same", "different")
_REQUIRED = ("type", "id", "same_as")


@dataclass(frozen=True)
class Alias:
    """One row of an aliases file."""

    line: int
    type: str
    id: str
    same_as: str
    decision: str = "same"
    note: str = ""


@dataclass
class Aliases:
    """The aliases of one file, resolved: ``id -> final id`` for ids and for themes."""

    file: str = ""
    rows: list[Alias] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # id -> final id (agencies, funds, programs, groups)
    themes: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # every id a row names -> its type
    different: set[tuple[str, frozenset[str]]] = field(default_factory=set)

    def resolve(self, id_: str) -> str:
        return self.ids.get(id_, id_)

    def theme(self, code: str) -> str:
        return self.themes.get(code, code)

    def is_different(self, type_: str, a: str, b: str) -> bool:
        return (type_, frozenset((a, b))) in self.different

    def same_rows(self) -> list[Alias]:
        return [row for row in self.rows if row.decision == "same"]


NO_ALIASES = Aliases()


def _cell(value: str) -> str:
    """A cell as typed: cleaned, and a spreadsheet's guard quote before =, +, -, @ removed."""
    value = clean(value)
    if value.startswith("'") and value[1:].startswith(DANGEROUS_STARTS):
        value = value[1:]
    return value


def read_aliases(path: str | Path, *, encoding: str = "utf-8") -> Aliases:
    """Read and check an aliases file.

    Raises
    ------
    DatasetError
        Every problem of the file (file, line, column, value, what was expected), as for a dataset.
    """
    file = str(path)
    if not Path(path).is_file():
        raise DatasetError([Problem(file, None, None, None, "missing-file",
                                    "an aliases file (CSV) with columns type, id, same_as")])
    table, problems = open_csv(Path(path), file, encoding=encoding, required=_REQUIRED)
    if table is None:
        raise DatasetError(problems)
    header, header_problems = read_header(table.header, file, table.header_line, _REQUIRED)
    if any(p.slug in UNREADABLE_HEADER for p in header_problems):
        raise DatasetError(header_problems)
    at = {name: i for i, name in enumerate(header)}
    rows: list[Alias] = []
    for line, cells in table.rows():
        if len(cells) != len(header):
            problems.append(Problem(file, line, None, None, "ragged-row",
                                    f"{len(header)} cells as in the header, found {len(cells)}"))
            continue
        values = {name: _cell(cells[i]) for name, i in at.items()}
        row = _row(file, line, values, problems)
        if row is not None:
            rows.append(row)
    problems += table.problems
    aliases = _resolve(file, rows, problems)
    if problems:
        raise DatasetError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return aliases


def _row(file: str, line: int, values: dict[str, str], problems: list[Problem]) -> Alias | None:
    before = len(problems)
    for column in _REQUIRED:
        if not values[column]:
            problems.append(Problem(file, line, column, "", "empty-value", f"a non-empty {column}"))
    type_ = values["type"]
    if type_ and type_ not in TYPES:
        problems.append(Problem(file, line, "type", type_, "unknown-type", f"one of {', '.join(TYPES)}"))
    decision = values.get("decision") or "same"
    if decision not in _DECISIONS:
        problems.append(Problem(file, line, "decision", decision, "unknown-decision",
                                "same or different (empty: same)"))
    if values["id"] and values["id"] == values["same_as"]:
        problems.append(Problem(file, line, "same_as", values["same_as"], "self-alias",
                                "an id other than the row's own id"))
    if len(problems) > before:
        return None
    return Alias(line, type_, values["id"], values["same_as"], decision, values.get("note", ""))


def _resolve(file: str, rows: list[Alias], problems: list[Problem]) -> Aliases:
    """Check the rows against each other and resolve the chains."""
    out = Aliases(file, rows)
    first_type: dict[tuple[str, str], tuple[str, int]] = {}  # (namespace, id) -> (type, line)
    target: dict[tuple[str, str], tuple[str, int]] = {}  # (namespace, id) -> (same_as, line)
    decided: dict[tuple[str, frozenset[str]], tuple[str, int]] = {}
    for row in rows:
        space = "theme" if row.type == "theme" else "id"
        for column, value in (("id", row.id), ("same_as", row.same_as)):
            known = first_type.setdefault((space, value), (row.type, row.line))
            if known[0] != row.type:
                problems.append(Problem(file, row.line, column, value, "alias-across-types",
                                        f"an alias between ids of one type; line {known[1]} names "
                                        f"'{value}' as {_a(known[0])}, this line as {_a(row.type)}"))
        pair = (row.type, frozenset((row.id, row.same_as)))
        earlier = decided.setdefault(pair, (row.decision, row.line))
        if earlier[0] != row.decision:
            problems.append(Problem(file, row.line, "decision", row.decision, "contradictory-alias",
                                    f"one decision per pair; line {earlier[1]} says {earlier[0]}"))
        if row.decision == "different":
            out.different.add(pair)
            continue
        first = target.setdefault((space, row.id), (row.same_as, row.line))
        if first[0] != row.same_as:
            problems.append(Problem(file, row.line, "same_as", row.same_as, "duplicate-alias",
                                    f"one same_as per id; line {first[1]} already says '{first[0]}'"))
    for (space, start), (_, line) in sorted(target.items(), key=lambda kv: kv[1][1]):
        chain, node = [], start
        while (space, node) in target and node not in chain:
            chain.append(node)
            node = target[(space, node)][0]
        if node == start:
            lines = ", ".join(str(target[(space, n)][1]) for n in chain)
            problems.append(Problem(file, line, "same_as", target[(space, start)][0], "alias-cycle",
                                    f"an alias chain that ends; this one leads back to '{start}' "
                                    f"(lines {lines})"))
            continue
        (out.themes if space == "theme" else out.ids)[start] = node
    out.types = {value: type_ for (space, value), (type_, _) in first_type.items() if space == "id"}
    return out


def _a(type_: str) -> str:
    return f"an {type_}" if type_[0] in "aeiou" else f"a {type_}"
