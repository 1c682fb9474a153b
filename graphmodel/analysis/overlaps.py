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

This module is the rule: :func:`parallel_pairs` yields one small
:class:`PairRow` per parallel pair (ids and numbers, nothing else), tambon by
tambon, and is registered as the Python twin of the ``overlaps`` query in
``cypher/overlaps.cypher``; :func:`pairs` takes either twin. Describing the
pairs for people is elsewhere: :mod:`.described` adds names and sides
(:func:`~.described.findings`), :mod:`graphmodel.reports.words` the
sentences (why, fix, the coordination row to add).

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

import weakref
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from ..backends.base import Backend
from ..geo import Area
from .facts import Facts
from .registry import pages_of, register, rows, twin_for

__all__ = ["CLAUSES", "PairRow", "parallel_pairs", "pairs", "program_sides"]

#: Names that moved to :mod:`.described` (issue 16), still importable from here.
_DESCRIBED = frozenset({"NamedRef", "ProgramSide", "ParallelPair", "TambonFinding", "describe", "findings"})


def __getattr__(name: str) -> Any:
    if name in _DESCRIBED:
        from . import described

        return getattr(described, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
    """What the rule reads of one program, built once per graph (sets, not tuples, where it
    tests them; one object for every program with the same agencies, groups, themes or near set)."""

    start: int
    end: int
    themes: tuple[str, ...]
    agencies: frozenset[str]
    groups: frozenset[str]
    #: Stake(P): the program, its agencies, its groups.
    stake: tuple[str, ...]
    #: The nodes joined to the stake by links that count everywhere (no tambon).
    near: frozenset[str]


class _RuleIndex:
    """The rule's indexes over one :class:`~.facts.Facts`, built once (:meth:`of`)."""

    _cache: "weakref.WeakKeyDictionary[Facts, _RuleIndex]" = weakref.WeakKeyDictionary()

    def __init__(self, facts: Facts):
        self.links = facts.links
        everywhere = facts.links.everywhere  # the part of every tambon's counting links: once per program
        # One object per distinct tuple: a country has few combinations of agencies, groups, themes.
        themes_of: dict[tuple, tuple] = {}
        set_of: dict[tuple, frozenset] = {}
        near_of: dict[tuple, frozenset] = {(): frozenset()}
        self.sides: dict[str, _Side] = {}
        #: The themes two programs share, by the ids of their (shared) theme tuples.
        self.shared: dict[tuple[int, int], tuple[str, ...]] = {}
        for pid, p in facts.programs.items():
            stake = (pid, *p.agencies, *p.groups)
            linked = tuple(filter(everywhere.__contains__, stake))
            themes = themes_of.get(p.themes)
            if themes is None:
                themes = themes_of[p.themes] = tuple(sorted(set(p.themes)))
            agencies = set_of.get(p.agencies)
            if agencies is None:
                agencies = set_of[p.agencies] = frozenset(p.agencies)
            groups = set_of.get(p.groups)
            if groups is None:
                groups = set_of[p.groups] = frozenset(p.groups)
            near = near_of.get(linked)
            if near is None:
                near = near_of[linked] = frozenset().union(*(everywhere[x] for x in linked))
            self.sides[pid] = _Side(p.start, p.end, themes, agencies, groups, stake, near)

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
    sides, shared_of = index.sides, index.shared
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
            key = (id(p.themes), id(q.themes))  # themes are shared tuples: a few combinations
            shared = shared_of.get(key)
            if shared is None:
                shared = shared_of[key] = tuple(t for t in p.themes if t in q.themes)
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


#: The most a page of the Cypher twin may weigh, each tambon weighing its programs squared
#: (its candidate pairs, twice over): a page's sides and pairs then fit the dev server's
#: transaction memory (docs/cypher.md, "overlaps").
PAGE_WEIGHT = 500_000


def _tambon_pages(backend: Backend, params: Mapping[str, Any]) -> list[list[str]]:
    """The tambons the Cypher twin pages over (those with two programs or more, in scope),
    cut into pages by their programs."""
    found = list(rows(backend, "tambons_with_programs",
                      {**{k: params.get(k) for k in ("tambon", "district", "province")}, "minimum": 2}))
    return pages_of([row["tambon"] for row in found], weights=[row["programs"] ** 2 for row in found],
                    budget=PAGE_WEIGHT)


@register("overlaps", ("tambon", "program_a", "program_b", "shared_themes", "overlap_years",
                      "coordinated", "coordinated_by"),
          page_param="tambons", pages=_tambon_pages)
def _overlaps_rows(backend: Backend, *, tambon=None, district=None, province=None, tambons=None):
    area = Area.within(tambon=tambon, district=district, province=province)
    return (pair.to_row() for pair in parallel_pairs(backend, area, tambons=tambons))


@register("tambons_with_programs", ("tambon", "programs"))
def _tambons_rows(backend: Backend, *, tambon=None, district=None, province=None, minimum=None):
    facts = Facts.of(backend)
    area = Area.within(tambon=tambon, district=district, province=province)
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

    # An agency is named by thousands of programs, a set of agencies by hundreds: one dict, one list each.
    made: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def refs(ids_: tuple[str, ...]) -> list[dict[str, Any]]:
        found = made.get(ids_)
        if found is None:
            found = made[ids_] = [{"id": i, "name": e.name, "name_en": e.name_en, "kind": e.kind}
                                  for i in ids_ for e in (facts.entities[i],)]
        return found

    for pid in ids:
        p = facts.programs[pid]
        e = facts.entities[pid]
        yield {"program": {"id": pid, "name": e.name, "name_en": e.name_en},
               "start_year": p.start, "end_year": p.end, "themes": list(p.themes),
               "agencies": refs(p.agencies), "groups": refs(p.groups),
               "budget_thb": p.budget, "unknown_amounts": p.unknown_amounts,
               "channels": list(p.channels), "pilot": p.pilot}

