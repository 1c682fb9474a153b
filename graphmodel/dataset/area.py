"""Reading only what an area needs: the rows a scoped command reads and checks.

A command about one tambon, district, province or agency of a dataset
(``graphmodel view DIR --province 55``) needs only the **area subgraph**;
``docs/dataset.md`` ("What a scoped command reads and checks") defines it
and says why each part is there. :func:`pick_rows` finds its rows in a first
pass over the files: streaming, a file at a time, it looks at the few cells
that decide (a location's tambon, a link's program, an id) and keeps only
the rows it picks. The reader (:func:`~.reader.read_dataset` with ``area=``
or ``agency=``) then checks and builds exactly those rows, as it checks a
whole dataset: every problem of a row it picked is reported, a row it did not
pick is not read (``graphmodel validate`` reads them all).

For a tambon, district or province whose code is C:

1. **locations** whose tambon starts with C: their programs are the area's
   programs P;
2. **coordination** rows that count in the area (no tambon, or a tambon
   starting with C), whatever their ends: the rule's links, a shared
   coordinator's, and the longer chains the pilots' networks and the broker
   network follow; E are their ends;
3. **funding** and **implementation** rows of the programs in P and E (a
   program at the end of a link stands for its agencies and groups);
4. **coordination** rows limited to a tambon outside the area that touch the
   stake of a program of P (``--explain`` says "linked in tambon Y only");
5. **groups** based in the area;
6. every **agency, fund, program and group** a picked row names, and the
   agencies above those (``parent``), so every reference is checked.

For an agency X: the programs it funds through a fund it manages, or
implements (P); all their locations; their funding and implementation rows;
the coordination rows touching X or the stake of a program of P, and those
between two nodes linked to X (what its view draws); the funding and
implementation rows of the programs at the ends of those links; every id
named, as above.

Examples
--------
>>> import pathlib
>>> from graphmodel.geo import Area
>>> seed = pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"
>>> from graphmodel.dataset.reader import read_dataset
>>> ds = read_dataset(seed, area=Area.of(tambon="802103"))
>>> sorted((x.program, x.tambon) for x in ds.locations)
[('codi_life_plan', '802103'), ('dopa_poverty_survey', '802103')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

from ..errors import Problem
from ..geo import Area
from .cells import clean, normalise

__all__ = ["PickedTable", "Picker", "pick_rows"]

#: What a reader's ``open_table`` returns: a table (or None) and the problems of opening it.
Opened = tuple[Any, list[Problem]]


@dataclass
class _Picked:
    """The rows of one file picked so far, by line: cells (normalised), reported columns, problems."""

    header_line: int = 0
    header: list[str] = field(default_factory=list)
    rows: dict[int, tuple[list[str], frozenset[str], list[Problem]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # of the file, not of one row
    complete: bool = True
    opened: Opened | None = None  # set when the file has no table (missing, unreadable)


class PickedTable:
    """The rows picked from one file, as the reader reads a table (``reader.Table``)."""

    long_cells = True  # the reader measures the picked rows' cells itself

    def __init__(self, file: str, picked: _Picked):
        self.file = file
        self.header_line, self.header = picked.header_line, picked.header
        self.problems = list(picked.problems)
        self.complete = picked.complete
        self.reported: Collection[str] = frozenset()
        self._picked = picked

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for line in sorted(self._picked.rows):
            cells, self.reported, problems = self._picked.rows[line]
            self.problems += problems
            yield line, cells


def _column_name(cell: str) -> str:
    """A header cell as the reader names its column (cleaned, hostile characters dropped)."""
    name = clean(cell)
    return name if name.isprintable() else "".join(ch for ch in name if ch.isprintable())


class Picker:
    """Scans the files of one source and keeps the rows a predicate picks (see :func:`pick_rows`).

    ``open_table(name)`` opens a file of the contract as a streaming table (or
    returns ``(None, problems)``); the same file may be scanned more than
    once, its picks add up.
    """

    def __init__(self, open_table: Callable[[str], Opened], display: Callable[[str], str]):
        self.open_table, self.display = open_table, display
        self.files: dict[str, _Picked] = defaultdict(_Picked)

    def scan(self, name: str, columns: tuple[str, ...], keep: Callable[..., bool], *,
             hold: bool = True) -> list[tuple[str, ...]]:
        """Each row of file ``name`` that ``keep(*values)`` picks, as its ``values`` (the cleaned
        cells of ``columns``; ``""`` for a column the file lacks). With ``hold`` the row itself is
        kept for the reader; without, the scan only looks."""
        picked = self.files[name]
        table, problems = self.open_table(name)
        if table is None:
            picked.opened = (None, problems)
            return []
        picked.header_line, picked.header = table.header_line, table.header
        names = [_column_name(c) for c in table.header]
        at = [names.index(c) if c in names else -1 for c in columns]
        kept: dict[int, tuple[list[str], frozenset[str], list[Problem]]] = {}
        found: list[tuple[str, ...]] = []
        if hasattr(table, "pick"):  # a CSV file: its own loop over the cells that decide
            for line, raw, values in table.pick(at, keep):
                if hold:
                    kept[line] = ([normalise(c) for c in raw], frozenset(), [])
                found.append(values)
            return self._done(picked, table, kept, found, 0)  # a CSV file's problems end it
        seen = len(table.problems)
        for line, raw in table.rows():
            values = tuple(clean(raw[i]) if 0 <= i < len(raw) else "" for i in at)
            if keep(*values):
                if hold:
                    kept[line] = ([normalise(c) for c in raw], frozenset(table.reported), table.problems[seen:])
                found.append(values)
            seen = len(table.problems)
        return self._done(picked, table, kept, found, seen)

    @staticmethod
    def _done(picked: _Picked, table: Any, kept: dict, found: list[tuple[str, ...]],
              seen: int) -> list[tuple[str, ...]]:
        """Add a scan's rows to the file's picks; the problems from ``seen`` on ended the file early."""
        if getattr(table, "undecodable", False):  # nothing of a file that does not decode is read
            picked.opened = (None, table.problems[seen:])
            picked.rows = {}
            return []
        picked.rows.update(kept)
        picked.problems = table.problems[seen:]
        picked.complete = table.complete
        return found

    def look(self, name: str, columns: tuple[str, ...], keep: Callable[..., bool]) -> list[tuple[str, ...]]:
        """:meth:`scan` without keeping rows: the values of the rows ``keep`` picks."""
        return self.scan(name, columns, keep, hold=False)

    def pick(self, name: str, columns: tuple[str, ...], keep: Callable[..., bool]) -> list[tuple[str, ...]]:
        """:meth:`scan`, keeping the rows ``keep`` picks for the reader; their values."""
        return self.scan(name, columns, keep)

    def table(self, name: str) -> Opened:
        """What the reader's ``open_table`` gives for file ``name``: its picked rows."""
        picked = self.files.get(name)
        if picked is None:
            return None, []
        if picked.opened is not None:
            return picked.opened
        return PickedTable(self.display(name), picked), []


def _ends(rows: Iterable[tuple[str, ...]]) -> set[str]:
    return {x for row in rows for x in row[:2] if x}


def pick_rows(picker: Picker, *, area: Area | None = None, agency: str | None = None) -> None:
    """Scan the files of ``picker`` and pick the rows of the area subgraph of ``area`` (a tambon,
    district or province) or of ``agency`` (module docstring). Exactly one of the two is given."""
    if (area is None) == (agency is None):
        raise ValueError("give an area or an agency")
    pick = picker.pick
    links = picker.look("coordination", ("a", "b", "tambon"), lambda a, b, t: True)
    ids: set[str] = set()
    if agency is not None:
        own_funds = {f for f, _ in pick("funds", ("id", "agency"), lambda f, a: a == agency)}
        ids |= own_funds | {agency}
        programs = {p for _, p in picker.look("funding", ("fund", "program"), lambda f, p: f in own_funds)}
        programs |= {p for _, p in picker.look("implementation", ("implementer", "program"),
                                               lambda i, p: i == agency)}
        located = pick("locations", ("program", "tambon"), lambda p, t: p in programs)
        stake_of = programs
    else:
        located = pick("locations", ("program", "tambon"), lambda p, t: area.contains(t))
        programs = {p for p, _ in located}
        counting = [x for x in links if not x[2] or area.contains(x[2])]
        stake_of = programs | _ends(counting)  # a program at a link's end stands for its agencies
    funding = pick("funding", ("fund", "program"), lambda f, p: p in stake_of)
    implementation = pick("implementation", ("implementer", "program"), lambda i, p: p in stake_of)
    funds = {f for f, p in funding if p in programs}
    managers = dict(picker.look("funds", ("id", "agency"), lambda f, a: f in funds))
    stake = (programs | {managers[f] for f in funds if f in managers}
             | {i for i, p in implementation if p in programs})
    if agency is not None:
        partners = _ends(x for x in links if agency in x[:2]) - {agency}
        wanted = [x for x in links if x[0] in stake or x[1] in stake or agency in x[:2]
                  or (x[0] in partners and x[1] in partners)]
        others = _ends(wanted) - programs  # programs at the ends: what implements them is drawn
        funding += pick("funding", ("fund", "program"), lambda f, p: p in others)
        implementation += pick("implementation", ("implementer", "program"), lambda i, p: p in others)
    else:
        wanted = counting + [x for x in links if x[2] and not area.contains(x[2])
                             and (x[0] in stake or x[1] in stake)]
    chosen = set(wanted)
    pick("coordination", ("a", "b", "tambon"), lambda a, b, t: (a, b, t) in chosen)
    ids |= (_ends(wanted) | {p for p, _ in located} | {f for f, _ in funding} | {p for _, p in funding}
            | {i for i, _ in implementation} | {p for _, p in implementation})
    ids |= {g for g, _ in pick("groups", ("id", "tambon"),
                               lambda g, t: g in ids or (area is not None and area.contains(t)))}
    ids |= {p for p, in pick("programs", ("id",), lambda p: p in ids)}
    ids |= {a for _, a in pick("funds", ("id", "agency"), lambda f, a: f in ids)}
    parent = dict(picker.look("agencies", ("id", "parent"), lambda a, p: bool(p)))
    for start in list(ids):
        node = start
        while node in parent and parent[node] not in ids:  # the agencies above, for their checks
            node = parent[node]
            ids.add(node)
    pick("agencies", ("id",), lambda a: a in ids)
