"""Parallel programs in one tambon that lack a coordinating link.

The rule (docs/analysis.md has a worked example):

- ``Agencies(P)``: agencies managing a fund that funds P, and agencies implementing P.
- ``Stake(P)``: P itself, ``Agencies(P)`` and the groups implementing P.
- P and Q are **parallel in tambon T** when both are located in T, their
  year ranges overlap (inclusive), they share a theme, and ``Agencies(P)``
  and ``Agencies(Q)`` are disjoint.
- A coordination link **counts in T** when it has no tambon or its tambon is T.
- A parallel pair is **coordinated in T** when (a) a group implements both
  (``shared_group``), (b) a counting link joins a member of ``Stake(P)`` to a
  member of ``Stake(Q)`` (``direct_link``), or (c) some node has counting
  links to members of both stakes (``shared_coordinator``).

Two layers. :func:`parallel_pairs` is the rule itself: it yields one small
:class:`PairRow` per parallel pair (ids and numbers, nothing else), tambon by
tambon, and is registered as the Python twin of the ``overlaps`` query in
``cypher/overlaps.cypher``. :func:`findings` turns those rows into
:class:`TambonFinding` records with names, sides, explanations and fixes,
one tambon at a time, only when they are printed.

Examples
--------
Two agencies run a program on the same theme in the same tambon, unlinked:

>>> from graphmodel.model import Dataset, Agency, Program, Implementation, Location, Coordination
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> ds = with_areas(Dataset(
...     agencies=[Agency(id="codi", name="พอช.", kind="special_agency"),
...               Agency(id="dopa", name="กรมการปกครอง", kind="line_agency")],
...     programs=[Program(id="plan", name="แผนชีวิต", themes=("poverty",), start_year=2005, end_year=2006),
...               Program(id="survey", name="สำรวจคนจน", themes=("poverty",), start_year=2006, end_year=2006)],
...     implementation=[Implementation(implementer="codi", program="plan"),
...                     Implementation(implementer="dopa", program="survey")],
...     locations=[Location(program="plan", tambon="802103"), Location(program="survey", tambon="802103")],
... ))
>>> [(p.tambon, p.a, p.b, p.coordinated) for p in parallel_pairs(EmbeddedBackend(ds))]
[('802103', 'plan', 'survey', False)]

A link between the two agencies, limited to that tambon, coordinates them:

>>> ds2 = with_areas(ds.model_copy(update={"coordination": [Coordination(a="codi", b="dopa", tambon="802103")]}))
>>> [(p.coordinated, p.coordinated_by) for p in parallel_pairs(EmbeddedBackend(ds2))]
[(True, ('direct_link',))]

Complexity: per tambon, the candidate pairs are the pairs of programs that
share a theme (not every pair of programs); each is checked in time linear
in the sizes of the two stakes and their counting neighbourhoods, which are
computed once per program and tambon. Memory: one tambon's candidates.
"""

from __future__ import annotations

import csv
import io
import json
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any, Iterable, Iterator, Mapping, NamedTuple


from ..backends.base import Backend
from ..geo import Area, tambon_area
from ..model import bilingual
from .facts import Facts
from .registry import register, rows, twin_for

__all__ = [
    "CLAUSES",
    "PairRow",
    "NamedRef",
    "ProgramSide",
    "ParallelPair",
    "TambonFinding",
    "parallel_pairs",
    "pairs",
    "describe",
    "findings",
    "program_sides",
]

#: Names of the three ways a parallel pair can be coordinated, in rule order.
CLAUSES = ("shared_group", "direct_link", "shared_coordinator")


class PairRow(NamedTuple):
    """One parallel pair in one tambon, as the rule finds it: ids and numbers only.

    ``a`` is the smaller program id.
    """

    tambon: str
    a: str
    b: str
    shared_themes: tuple[str, ...]
    start: int
    end: int
    coordinated_by: tuple[str, ...]

    @property
    def coordinated(self) -> bool:
        return bool(self.coordinated_by)

    @property
    def ids(self) -> tuple[str, str]:
        return (self.a, self.b)

    def to_row(self) -> dict[str, Any]:
        """The row of the ``overlaps`` query (the shape both twins return)."""
        return {"tambon": self.tambon, "program_a": self.a, "program_b": self.b,
                "shared_themes": list(self.shared_themes), "overlap_years": [self.start, self.end],
                "coordinated": self.coordinated, "coordinated_by": list(self.coordinated_by)}

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "PairRow":
        start, end = row["overlap_years"]
        return cls(row["tambon"], row["program_a"], row["program_b"], tuple(row["shared_themes"]),
                   start, end, tuple(row["coordinated_by"]))


# --- the rule: the Python twin ------------------------------------------------

class _Side(NamedTuple):
    """What the rule reads of one program, built once per graph (sets, not tuples)."""

    start: int
    end: int
    themes: tuple[str, ...]
    agencies: frozenset[str]
    groups: frozenset[str]
    #: Stake(P): the program, its agencies, its groups.
    stake: frozenset[str]
    #: The nodes joined to the stake by links that count everywhere (no tambon).
    near: frozenset[str]


class _RuleIndex:
    """The rule's indexes over one :class:`~.facts.Facts`, built once (:meth:`of`)."""

    _cache: "weakref.WeakKeyDictionary[Facts, _RuleIndex]" = weakref.WeakKeyDictionary()

    def __init__(self, facts: Facts):
        self.links = facts.links
        everywhere = facts.links.everywhere  # the part of every tambon's counting links: once per program
        none: frozenset[str] = frozenset()
        self.sides: dict[str, _Side] = {}
        for pid, p in facts.programs.items():
            stake = frozenset((pid, *p.agencies, *p.groups))
            near = [everywhere[x] for x in stake if x in everywhere]
            self.sides[pid] = _Side(p.start, p.end, tuple(sorted(set(p.themes))), frozenset(p.agencies),
                                    frozenset(p.groups) if p.groups else none, stake,
                                    frozenset().union(*near) if near else none)

    @classmethod
    def of(cls, facts: Facts) -> "_RuleIndex":
        index = cls._cache.get(facts)
        if index is None:
            index = cls._cache[facts] = cls(facts)
        return index

    def near(self, code: str, ids: list[str]) -> dict[str, frozenset[str]]:
        """Each program's counting neighbourhood in tambon ``code`` (:meth:`~.facts.Links.counting`:
        the links counting everywhere, already in each side's ``near``, then those limited to ``code``)."""
        sides = self.sides
        _, *limited = self.links.counting(code)
        if not limited:
            return {pid: sides[pid].near for pid in ids}
        (local,) = limited
        out = {}
        for pid in ids:
            side = sides[pid]
            here = [local[x] for x in side.stake if x in local]
            out[pid] = side.near.union(*here) if here else side.near
        return out


def _tambon_pairs(index: _RuleIndex, code: str, ids: list[str]) -> Iterator[PairRow]:
    sides = index.sides
    members: dict[str, list[int]] = {}
    for i, pid in enumerate(ids):  # ids are sorted, so each theme's positions are too
        for theme in sides[pid].themes:
            members.setdefault(theme, []).append(i)
    later: list[set[int]] = [set() for _ in ids]  # the later programs sharing a theme with each
    for positions in members.values():
        for k, i in enumerate(positions[:-1]):
            later[i].update(positions[k + 1:])
    near = index.near(code, ids)
    for i, a in enumerate(ids):
        if not later[i]:
            continue
        p = sides[a]
        near_a = near[a]
        for j in sorted(later[i]):
            b = ids[j]
            q = sides[b]
            start = p.start if p.start > q.start else q.start
            end = p.end if p.end < q.end else q.end
            if start > end or not p.agencies.isdisjoint(q.agencies):
                continue
            clauses = ()
            if not p.groups.isdisjoint(q.groups):
                clauses += ("shared_group",)
            if near_a:
                if not near_a.isdisjoint(q.stake):
                    clauses += ("direct_link",)
                if not near_a.isdisjoint(near[b]):
                    clauses += ("shared_coordinator",)
            shared = tuple(t for t in p.themes if t in q.themes)
            yield PairRow(code, a, b, shared, start, end, clauses)


def parallel_pairs(backend: Backend, area: Area = Area(), *,
                   tambons: Iterable[str] | None = None) -> Iterator[PairRow]:
    """Every parallel program pair per tambon, coordinated or not (the Python twin).

    Parameters
    ----------
    backend : Backend
        Any backend; its :class:`~.facts.Facts` are built once.
    area : Area, optional
        Only the tambons of this area (default: every tambon).
    tambons : iterable of str, optional
        Only these tambon codes (of the area).

    Yields
    ------
    PairRow
        In tambon code order, then by the two program ids.
    """
    facts = Facts.of(backend)
    index = _RuleIndex.of(facts)
    wanted = frozenset(tambons) if tambons is not None else None
    for code in sorted(facts.tambon_programs):
        ids = facts.tambon_programs[code]
        if len(ids) >= 2 and area.contains(code) and (wanted is None or code in wanted):
            yield from _tambon_pairs(index, code, ids)


def _tambons_with_programs(backend: Backend, params: Mapping[str, Any]) -> list[str]:
    """The tambons the Cypher twin pages over: those with two programs or more, in scope."""
    found = rows(backend, "tambons_with_programs",
                 {"tambon": params.get("tambon"), "province": params.get("province"), "minimum": 2})
    return [row["tambon"] for row in found]


@register("overlaps", ("tambon", "program_a", "program_b", "shared_themes", "overlap_years",
                      "coordinated", "coordinated_by"),
          page_param="tambons", page_keys=_tambons_with_programs)
def _overlaps_rows(backend: Backend, *, tambon=None, district=None, province=None, tambons=None):
    area = Area.of(tambon=tambon, district=district, province=province)
    return (pair.to_row() for pair in parallel_pairs(backend, area, tambons=tambons))


@register("tambons_with_programs", ("tambon", "programs"))
def _tambons_rows(backend: Backend, *, tambon=None, district=None, province=None, minimum=None):
    facts = Facts.of(backend)
    area = Area.of(tambon=tambon, district=district, province=province)
    least = 1 if minimum is None else minimum
    for code in sorted(facts.tambon_programs):
        ids = facts.tambon_programs[code]
        if len(ids) >= least and area.contains(code):
            yield {"tambon": code, "programs": len(ids)}


def pairs(backend: Backend, area: Area = Area(), *, twin: str = "auto") -> Iterator[PairRow]:
    """The parallel pairs of ``area`` (coordinated or not) from the twin that suits ``backend``
    (Cypher on Neo4j), as :class:`PairRow`.

    They stream in tambon order, then by program ids. The Python twin's rows
    come straight from :func:`parallel_pairs`; the Cypher twin's are read one
    page of tambons at a time. A district is asked for as the list of its
    tambons with two programs or more (``tambons_with_programs``), so
    neither twin computes more than the district.

    Raises
    ------
    QueryError
        ``twin="cypher"`` on a backend without Cypher, or an unknown twin.
    """
    if twin_for(backend, twin) == "python":
        return parallel_pairs(backend, area)
    if area.empty:
        return iter(())
    if area.kind == "district":
        found = rows(backend, "tambons_with_programs", {"province": area.code[:2], "minimum": 2}, twin=twin)
        codes = [r["tambon"] for r in found if area.contains(r["tambon"])]
        if not codes:
            return iter(())
        params: dict[str, Any] = {"tambons": codes}
    else:
        params = {"tambon": area.code if area.kind == "tambon" else None,
                  "province": area.code if area.kind == "province" else None}
    return (PairRow.from_row(row) for row in rows(backend, "overlaps", params, twin=twin))


# --- describing pairs for people ------------------------------------------------
# Plain frozen dataclasses and named tuples, not pydantic: they are built from the rows
# of our own queries (already typed), a side once per program and a pair in about a
# microsecond; validating them again per pair cost more than the rule itself.

@dataclass(frozen=True, slots=True)
class NamedRef:
    """An id with its Thai name and, where known, its English name."""

    id: str
    name: str
    name_en: str | None = None
    #: :meth:`label`, made once (a tambon's is printed with each of its pairs).
    _label: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_label", bilingual(self.name, self.name_en, self.id))

    def label(self) -> str:
        """``Thai (English)`` where both exist, else the one there is."""
        return self._label

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_en": self.name_en}


@dataclass(frozen=True)
class ProgramSide:
    """One program of a parallel pair, with who funds or runs it.

    Built once per program and shared by every pair that names it; the texts
    made from it (labels, its JSON) are computed once, on first use.
    """

    program: NamedRef
    start_year: int
    end_year: int
    themes: list[str]
    agencies: list[NamedRef]
    groups: list[NamedRef]
    budget_thb: float | None = None

    @cached_property
    def label(self) -> str:
        """The program's ``Thai (English)`` label."""
        return self.program.label()

    @cached_property
    def agencies_label(self) -> str:
        """Its agencies' labels, comma-separated, or ``no known agency``."""
        return ", ".join(a.label() for a in self.agencies) or "no known agency"

    @cached_property
    def agency_ids(self) -> str:
        """Its agencies' ids, ``; ``-separated (a table or CSV cell)."""
        return "; ".join(a.id for a in self.agencies)

    @cached_property
    def first_party(self) -> str:
        """The id a fix names for this side: its first agency, else the program."""
        return self.agencies[0].id if self.agencies else self.program.id

    def to_json(self) -> dict[str, Any]:
        """The side as ``--format json`` and ``jsonl`` print it (computed once; do not change it)."""
        return self._json

    @cached_property
    def json_text(self) -> str:
        """:meth:`to_json` as compact JSON text (one line of ``--format jsonl`` holds two)."""
        return _compact(self._json)

    @cached_property
    def _json(self) -> dict[str, Any]:
        return {"program": self.program.to_json(), "start_year": self.start_year,
                "end_year": self.end_year, "themes": list(self.themes),
                "agencies": [a.to_json() for a in self.agencies],
                "groups": [g.to_json() for g in self.groups], "budget_thb": self.budget_thb}


#: JSON without spaces, Thai kept as text (JSON Lines).
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_HOW = {"shared_group": "a group implements both",
        "direct_link": "a coordination link joins their stakeholders",
        "shared_coordinator": "one coordinator is linked to both sides"}


class ParallelPair(NamedTuple):
    """Two parallel programs in one tambon, described for people; ``a`` has the smaller id.

    A named tuple (immutable, and built in a quarter of the time of a frozen
    dataclass: a national report makes 700,000 of them).
    """

    tambon: NamedRef
    district: NamedRef
    province: NamedRef
    a: ProgramSide
    b: ProgramSide
    shared_themes: list[str]
    overlap_years: tuple[int, int]
    coordinated: bool
    coordinated_by: list[str]

    @property
    def ids(self) -> tuple[str, str]:
        return (self.a.program.id, self.b.program.id)

    def explanation(self) -> str:
        """Why the pair was flagged (or how it is coordinated), with Thai and English names."""
        a, b = self.a, self.b
        if self.coordinated:
            return (f"{a.label} and {b.label} overlap in {self.tambon.label()} but are coordinated: "
                    + "; ".join(_HOW[c] for c in self.coordinated_by) + ".")
        y0, y1 = self.overlap_years
        years = str(y0) if y0 == y1 else f"{y0}-{y1}"
        return (
            f"{a.label} [{a.agencies_label}] and {b.label} [{b.agencies_label}] both work on "
            f"{', '.join(self.shared_themes)} in {self.tambon.label()} in {years}, with no agency "
            f"in common; no group implements both and no coordination link counting in this "
            f"tambon joins their stakeholders, directly or through a shared coordinator."
        )

    def fix(self) -> str:
        """A coordination row that would settle the pair, and other ways to coordinate it."""
        return (
            f"Link the two sides in this tambon: add the row "
            f"'{_csv_row([self.a.first_party, self.b.first_party, 'joint tambon plan', self.tambon.id])}' to "
            f"coordination.csv (a,b,mechanism,tambon), or link one coordinator such as the "
            f"provincial planning office to both, or have a local group implement both."
        )

    def to_json(self) -> dict[str, Any]:
        """One pair of ``--format json`` (keep it stable)."""
        return {
            "programs": list(self.ids),
            "coordinated": self.coordinated,
            "coordinated_by": self.coordinated_by,
            "shared_themes": self.shared_themes,
            "overlap_years": list(self.overlap_years),
            "sides": [self.a.to_json(), self.b.to_json()],
            "explanation": self.explanation(),
            "fix": None if self.coordinated else self.fix(),
        }

def _csv_row(cells: list[str]) -> str:
    '''One CSV row as a person pastes it into a file: cells with a comma, quote or line break quoted.

    >>> print(_csv_row(['codi', 'a,"b"', '802103']))
    codi,"a,""b""",802103
    '''
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class TambonFinding:
    """Every parallel pair in one tambon that has at least one uncoordinated pair."""

    tambon: NamedRef
    district: NamedRef
    province: NamedRef
    pairs: list[ParallelPair]

    @property
    def programs(self) -> list[str]:
        return sorted({i for p in self.pairs for i in p.ids})

    @property
    def uncoordinated(self) -> list[ParallelPair]:
        return [p for p in self.pairs if not p.coordinated]

    def to_json(self) -> dict:
        """The public JSON shape of ``graphmodel overlaps --format json`` (keep it stable)."""
        return {
            "tambon": self.tambon.id,
            "tambon_name_th": self.tambon.name,
            "tambon_name_en": self.tambon.name_en,
            "district": self.district.id,
            "province": self.province.id,
            "programs": self.programs,
            "uncoordinated_pairs": [list(p.ids) for p in self.uncoordinated],
            "pairs": [p.to_json() for p in self.pairs],
        }


def _ref(entity: Mapping[str, Any]) -> NamedRef:
    return NamedRef(entity["id"], entity.get("name") or entity["id"], entity.get("name_en"))


#: Pairs described per round trip to the backend (programs are looked up a batch at a time).
_DESCRIBE_BATCH = 5_000
#: Program sides kept from one batch to the next (least recently used dropped first), so a
#: district's or a province's program is looked up once for all its tambons, not once a batch.
_KEEP_SIDES = 20_000


class _Describer:
    """Names and sides for the pairs being printed: each program's side built once and shared."""

    def __init__(self, backend: Backend, twin: str):
        self.backend, self.twin = backend, twin
        self.kept: OrderedDict[str, ProgramSide] = OrderedDict()
        #: Agencies and groups, one object per id for every side naming it.
        self.refs: dict[str, NamedRef] = {}
        self.places: dict[str, tuple[NamedRef, NamedRef, NamedRef]] = {}

    def sides(self, ids: Iterable[str]) -> dict[str, ProgramSide]:
        """The sides of ``ids``: those kept, and one ``program_sides`` query for the others."""
        out: dict[str, ProgramSide] = {}
        missing = []
        for pid in ids:
            side = self.kept.get(pid)
            if side is None:
                missing.append(pid)
            else:
                self.kept.move_to_end(pid)
                out[pid] = side
        if missing:
            for row in rows(self.backend, "program_sides", {"programs": sorted(missing)}, twin=self.twin):
                side = self._side(row)
                out[side.program.id] = self.kept[side.program.id] = side
            while len(self.kept) > _KEEP_SIDES:
                self.kept.popitem(last=False)
        return out

    def _shared(self, entity: Mapping[str, Any]) -> NamedRef:
        ref = self.refs.get(entity["id"])
        if ref is None:
            ref = self.refs[entity["id"]] = _ref(entity)
        return ref

    def _side(self, row: Mapping[str, Any]) -> ProgramSide:
        budget = row["budget_thb"]
        return ProgramSide(_ref(row["program"]), row["start_year"], row["end_year"], list(row["themes"]),
                           [self._shared(a) for a in row["agencies"]],
                           [self._shared(g) for g in row["groups"]],
                           None if budget is None else float(budget))

    def areas(self, code: str) -> tuple[NamedRef, NamedRef, NamedRef]:
        """The tambon, its district and its province (names from geothai), once per tambon."""
        found = self.places.get(code)
        if found is None:
            area = tambon_area(code)
            if area is None:  # a code geothai does not know (e.g. written into Neo4j by hand)
                found = (NamedRef(code, code), NamedRef(code[:4], code[:4]), NamedRef(code[:2], code[:2]))
            else:
                t, d, p = area.tambon, area.district, area.province
                found = (NamedRef(t.code, t.name, t.name_en), self._area(d), self._area(p))
            self.places[code] = found
        return found

    def _area(self, area) -> NamedRef:
        key = "area:" + area.code
        ref = self.refs.get(key)
        if ref is None:
            ref = self.refs[key] = NamedRef(area.code, area.name, area.name_en)
        return ref

    def pair(self, p: PairRow, sides: Mapping[str, ProgramSide]) -> ParallelPair:
        tambon, district, province = self.areas(p.tambon)
        return ParallelPair(tambon, district, province, sides[p.a], sides[p.b], list(p.shared_themes),
                            (p.start, p.end), bool(p.coordinated_by), list(p.coordinated_by))

    def finding(self, code: str, group: list[PairRow], sides: Mapping[str, ProgramSide]) -> TambonFinding:
        tambon, district, province = self.areas(code)
        return TambonFinding(tambon, district, province, [self.pair(p, sides) for p in group])


def _program_ids(group: Iterable[PairRow]) -> set[str]:
    return {i for p in group for i in p.ids}


def describe(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto") -> Iterator[ParallelPair]:
    """Each of ``pair_rows`` described for people, in the same order, a batch at a time.

    Memory: one batch of pairs and the sides kept (a bounded number of programs).

    Examples
    --------
    >>> from graphmodel.backends.embedded import EmbeddedBackend
    >>> from graphmodel.model import Dataset, Program, Location
    >>> b = EmbeddedBackend(Dataset(
    ...     programs=[Program(id=i, name=i.upper(), themes=("x",), start_year=2006, end_year=2006)
    ...               for i in ("p", "q")],
    ...     locations=[Location(program=i, tambon="802103") for i in ("p", "q")]))
    >>> [(d.tambon.label(), d.a.label, d.b.agencies_label) for d in describe(b, pairs(b))]
    [('กะหรอ (Karo)', 'P', 'no known agency')]
    """
    describer = _Describer(backend, twin)
    batch: list[PairRow] = []
    for pair in pair_rows:
        batch.append(pair)
        if len(batch) >= _DESCRIBE_BATCH:
            sides = describer.sides(_program_ids(batch))
            yield from (describer.pair(p, sides) for p in batch)
            batch = []
    if batch:
        sides = describer.sides(_program_ids(batch))
        yield from (describer.pair(p, sides) for p in batch)


def findings(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto",
             every_tambon: bool = False) -> Iterator[TambonFinding]:
    """The tambons with at least one uncoordinated pair, described, in the order of ``pair_rows``.

    ``pair_rows`` must come grouped by tambon (as both twins give them).
    Programs are described a batch of tambons at a time from the
    ``program_sides`` analysis, so memory stays bounded by one batch. With
    ``every_tambon`` the tambons whose pairs are all coordinated come too
    (the views list those pairs as well).
    """
    describer = _Describer(backend, twin)
    batch: list[tuple[str, list[PairRow]]] = []
    size = 0
    for code, group in groupby(pair_rows, key=lambda p: p.tambon):
        group = list(group)
        if not every_tambon and all(p.coordinated_by for p in group):
            continue
        batch.append((code, group))
        size += len(group)
        if size >= _DESCRIBE_BATCH:
            yield from _described(describer, batch)
            batch, size = [], 0
    yield from _described(describer, batch)


def _described(describer: _Describer, batch: list[tuple[str, list[PairRow]]]) -> Iterator[TambonFinding]:
    sides = describer.sides({i for _, group in batch for i in _program_ids(group)})
    for code, group in batch:
        yield describer.finding(code, group, sides)


@register("program_sides", ("program", "start_year", "end_year", "themes", "agencies", "groups",
                           "budget_thb", "unknown_amounts", "channels", "pilot"))
def program_sides(backend: Backend, *, programs=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``program_sides`` query: each program with its agencies, groups and budget.

    One row per program id in ``programs`` that exists (every program when None),
    sorted by id: ``program {id, name, name_en}``, ``start_year``, ``end_year``,
    ``themes``, ``agencies`` and ``groups`` (``{id, name, name_en, kind}``,
    sorted by id), ``budget_thb`` (:func:`~.facts.program_budget`),
    ``unknown_amounts``, ``channels``, ``pilot``.
    """
    facts = Facts.of(backend)
    ids = sorted(facts.programs) if programs is None else sorted(set(programs) & facts.programs.keys())

    def ref(id_: str) -> dict[str, Any]:
        e = facts.entities[id_]
        return {"id": id_, "name": e.name, "name_en": e.name_en, "kind": e.kind}

    for pid in ids:
        p = facts.programs[pid]
        e = facts.entities[pid]
        yield {"program": {"id": pid, "name": e.name, "name_en": e.name_en},
               "start_year": p.start, "end_year": p.end, "themes": list(p.themes),
               "agencies": [ref(a) for a in p.agencies], "groups": [ref(g) for g in p.groups],
               "budget_thb": p.budget, "unknown_amounts": p.unknown_amounts,
               "channels": list(p.channels), "pilot": p.pilot}

