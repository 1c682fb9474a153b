"""Parallel pairs described for people: names, sides, areas (the rule itself is :mod:`.overlaps`).

:func:`findings` and :func:`describe` turn the rule's :class:`~.overlaps.PairRow`
(ids and numbers) into :class:`TambonFinding` and :class:`ParallelPair`
records with the Thai and English names of the tambon, its district and
province, and each program's :class:`ProgramSide` (its years, themes,
agencies, groups and known budget, from the ``program_sides`` analysis,
either twin), a batch at a time, only for the pairs being printed. The
sentences a person reads about a pair (why it was flagged, how to fix it,
the coordination row to add) are made from these records in
:mod:`graphmodel.reports.words`.

Examples
--------
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> from graphmodel.analysis.overlaps import pairs
>>> from graphmodel.geo import Area
>>> b = EmbeddedBackend(read_dataset("seed/nst-2006"))
>>> [(f.tambon.label(), [p.ids for p in f.uncoordinated]) for f in findings(b, pairs(b, Area.of(tambon="802103")))]
[('กะหรอ (Karo)', [('codi_life_plan', 'dopa_poverty_survey')])]
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby, islice
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from ..backends.base import Backend
from ..geo import tambon_area
from ..model import bilingual
from .overlaps import PairRow
from .registry import rows

__all__ = ["NamedRef", "ProgramSide", "ParallelPair", "TambonFinding", "describe", "findings", "sided"]

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

    Built once per program and shared by every pair that names it; its labels
    are made with it (every output prints them; ``functools.cached_property``
    costs a lock per first use on Python 3.11, a second per national report),
    its JSON once, on first use.
    """

    program: NamedRef
    start_year: int
    end_year: int
    themes: list[str]
    agencies: list[NamedRef]
    groups: list[NamedRef]
    budget_thb: float | None = None
    #: The program's ``Thai (English)`` label.
    label: str = field(init=False, repr=False, compare=False)
    #: Its agencies' labels, comma-separated, or ``no known agency``.
    agencies_label: str = field(init=False, repr=False, compare=False)
    #: Its agencies' ids, ``; ``-separated (a table or CSV cell).
    agency_ids: str = field(init=False, repr=False, compare=False)
    #: The id a fix names for this side: its first agency, else the program.
    first_party: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        agencies = self.agencies
        set_ = object.__setattr__
        set_(self, "label", self.program.label())
        set_(self, "agencies_label", _agencies_label(agencies))
        set_(self, "agency_ids", _agency_ids(agencies))
        set_(self, "first_party", agencies[0].id if agencies else self.program.id)

    @classmethod
    def _of(cls, program: NamedRef, start_year: int, end_year: int, themes: list[str],
            agencies: "_Agencies", groups: list[NamedRef], budget_thb: float | None) -> "ProgramSide":
        """What ``ProgramSide(...)`` makes, with the agencies' labels made once per set of agencies
        and without the frozen dataclass's attribute-by-attribute ``__init__``: the describer makes
        one side per program, a quarter of a million for the country (tests hold the two equal)."""
        side = object.__new__(cls)
        side.__dict__.update(program=program, start_year=start_year, end_year=end_year, themes=themes,
                             agencies=agencies.refs, groups=groups, budget_thb=budget_thb,
                             label=program.label(), agencies_label=agencies.label, agency_ids=agencies.ids,
                             first_party=agencies.refs[0].id if agencies.refs else program.id)
        return side

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


def _agencies_label(agencies: list[NamedRef]) -> str:
    return ", ".join(a.label() for a in agencies) or "no known agency"


def _agency_ids(agencies: list[NamedRef]) -> str:
    return "; ".join(a.id for a in agencies)


class _Agencies(NamedTuple):
    """The agencies of a side, with their labels and ids joined (once per set of agencies)."""

    refs: list[NamedRef]
    label: str
    ids: str


#: JSON without spaces, Thai kept as text (JSON Lines).
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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
        #: The agencies of sides, one list per set of ids (programs of one agency share it).
        self.agency_sets: dict[tuple[str, ...], _Agencies] = {}
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
        agencies = row["agencies"]
        key = tuple(a["id"] for a in agencies)
        found = self.agency_sets.get(key)
        if found is None:
            refs = [self._shared(a) for a in agencies]
            found = self.agency_sets[key] = _Agencies(refs, _agencies_label(refs), _agency_ids(refs))
        groups = row["groups"]
        return ProgramSide._of(_ref(row["program"]), row["start_year"], row["end_year"], list(row["themes"]),
                               found, [self._shared(g) for g in groups] if groups else [],
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
        return _parallel(p, self.areas(p.tambon), sides[p.a], sides[p.b])

    def finding(self, code: str, group: list[PairRow], sides: Mapping[str, ProgramSide]) -> TambonFinding:
        tambon, district, province = self.areas(code)
        return TambonFinding(tambon, district, province, [self.pair(p, sides) for p in group])


def _program_ids(group: list[PairRow]) -> set[str]:
    return {p.a for p in group} | {p.b for p in group}


def describe(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto") -> Iterator[ParallelPair]:
    """Each of ``pair_rows`` described for people, in the same order, a batch at a time.

    Memory: one batch of pairs and the sides kept (a bounded number of programs).

    Examples
    --------
    >>> from graphmodel.backends.embedded import EmbeddedBackend
    >>> from graphmodel.model import Dataset, Program, Location
    >>> from graphmodel.analysis.overlaps import pairs
    >>> b = EmbeddedBackend(Dataset(
    ...     programs=[Program(id=i, name=i.upper(), themes=("x",), start_year=2006, end_year=2006)
    ...               for i in ("p", "q")],
    ...     locations=[Location(program=i, tambon="802103") for i in ("p", "q")]))
    >>> [(d.tambon.label(), d.a.label, d.b.agencies_label) for d in describe(b, pairs(b))]
    [('กะหรอ (Karo)', 'P', 'no known agency')]
    """
    for found in sided(backend, pair_rows, twin=twin):
        yield _parallel(*found)


def _parallel(p: PairRow, places: tuple[NamedRef, NamedRef, NamedRef], a: ProgramSide,
              b: ProgramSide) -> ParallelPair:
    return ParallelPair(*places, a, b, list(p.shared_themes), (p.start, p.end), bool(p.coordinated_by),
                        list(p.coordinated_by))


Sided = tuple[PairRow, tuple[NamedRef, NamedRef, NamedRef], ProgramSide, ProgramSide]


def sided(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto") -> Iterator[Sided]:
    """Each of ``pair_rows`` with its tambon, district and province and its two sides, in the same
    order, a batch at a time: what :func:`describe` makes each :class:`ParallelPair` of, for a
    writer that needs no more (``overlaps --format csv`` writes 700,000 rows for the country).
    """
    describer = _Describer(backend, twin)
    places, areas = describer.places, describer.areas
    rows_left = iter(pair_rows)
    while batch := list(islice(rows_left, _DESCRIBE_BATCH)):
        sides = describer.sides(_program_ids(batch))
        for p in batch:  # one loop, no call per pair but where a tambon is new
            yield p, places.get(p.tambon) or areas(p.tambon), sides[p.a], sides[p.b]


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
