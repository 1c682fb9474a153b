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
from itertools import groupby
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from pydantic import BaseModel, ConfigDict

from ..backends.base import Backend
from ..geo import tambon_area
from ..model import bilingual
from .facts import Facts
from .registry import register, rows

__all__ = [
    "CLAUSES",
    "PairRow",
    "NamedRef",
    "ProgramSide",
    "ParallelPair",
    "TambonFinding",
    "parallel_pairs",
    "pairs",
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

def _in_scope(code: str, tambon: str | None, province: str | None,
              tambons: frozenset[str] | None) -> bool:
    return ((not tambon or code == tambon) and (not province or code.startswith(province))
            and (tambons is None or code in tambons))


def _tambon_pairs(facts: Facts, code: str, ids: list[str]) -> Iterator[PairRow]:
    programs = facts.programs
    by_theme: dict[str, list[str]] = {}
    for pid in ids:  # ids are sorted, so each theme's list is too
        for theme in programs[pid].themes:
            by_theme.setdefault(theme, []).append(pid)
    candidates: set[tuple[str, str]] = set()
    for members in by_theme.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                candidates.add((a, b))
    near: dict[str, set[str]] = {}  # the counting neighbourhood of each program's stake

    def near_of(pid: str) -> set[str]:
        if pid not in near:
            near[pid] = facts.links.near_all(facts.stake(pid), code)
        return near[pid]

    for a, b in sorted(candidates):
        p, q = programs[a], programs[b]
        start, end = max(p.start, q.start), min(p.end, q.end)
        if start > end or not set(p.agencies).isdisjoint(q.agencies):
            continue
        clauses = []
        if not set(p.groups).isdisjoint(q.groups):
            clauses.append("shared_group")
        near_a = near_of(a)
        if not near_a.isdisjoint(facts.stake(b)):
            clauses.append("direct_link")
        if not near_a.isdisjoint(near_of(b)):
            clauses.append("shared_coordinator")
        shared = tuple(sorted(set(p.themes).intersection(q.themes)))
        yield PairRow(code, a, b, shared, start, end, tuple(clauses))


def parallel_pairs(backend: Backend, *, tambon: str | None = None, province: str | None = None,
                   tambons: Iterable[str] | None = None) -> Iterator[PairRow]:
    """Every parallel program pair per tambon, coordinated or not (the Python twin).

    Parameters
    ----------
    backend : Backend
        Any backend; its :class:`~.facts.Facts` are built once.
    tambon : str, optional
        Only this 6-digit tambon code.
    province : str, optional
        Only tambons of this 2-digit province code.
    tambons : iterable of str, optional
        Only these tambon codes.

    Yields
    ------
    PairRow
        In tambon code order, then by the two program ids.
    """
    facts = Facts.of(backend)
    wanted = frozenset(tambons) if tambons is not None else None
    for code in sorted(facts.tambon_programs):
        ids = facts.tambon_programs[code]
        if len(ids) >= 2 and _in_scope(code, tambon, province, wanted):
            yield from _tambon_pairs(facts, code, ids)


def _tambons_with_programs(backend: Backend, params: Mapping[str, Any]) -> list[str]:
    """The tambons the Cypher twin pages over: those with two programs or more, in scope."""
    found = rows(backend, "tambons_with_programs",
                 {"tambon": params.get("tambon"), "province": params.get("province"), "minimum": 2})
    return [row["tambon"] for row in found]


@register("overlaps", ("tambon", "program_a", "program_b", "shared_themes", "overlap_years",
                      "coordinated", "coordinated_by"),
          page_param="tambons", page_keys=_tambons_with_programs)
def _overlaps_rows(backend: Backend, *, tambon=None, province=None, tambons=None):
    return (pair.to_row() for pair in parallel_pairs(backend, tambon=tambon, province=province,
                                                     tambons=tambons))


@register("tambons_with_programs", ("tambon", "programs"))
def _tambons_rows(backend: Backend, *, tambon=None, province=None, minimum=None):
    facts = Facts.of(backend)
    least = 1 if minimum is None else minimum
    for code in sorted(facts.tambon_programs):
        ids = facts.tambon_programs[code]
        if len(ids) >= least and _in_scope(code, tambon, province, None):
            yield {"tambon": code, "programs": len(ids)}


def pairs(backend: Backend, *, tambon: str | None = None, province: str | None = None,
          twin: str = "auto") -> Iterator[PairRow]:
    """The parallel pairs from the twin that suits ``backend`` (Cypher on Neo4j), as :class:`PairRow`."""
    for row in rows(backend, "overlaps", {"tambon": tambon, "province": province}, twin=twin):
        yield PairRow.from_row(row)


# --- describing pairs for people ------------------------------------------------

class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NamedRef(_Frozen):
    """An id with its Thai name and, where known, its English name."""

    id: str
    name: str
    name_en: str | None = None

    def label(self) -> str:
        """``Thai (English)`` where both exist, else the one there is."""
        return bilingual(self.name, self.name_en, self.id)


class ProgramSide(_Frozen):
    """One program of a parallel pair, with who funds or runs it."""

    program: NamedRef
    start_year: int
    end_year: int
    themes: list[str]
    agencies: list[NamedRef]
    groups: list[NamedRef]
    budget_thb: float | None = None


class ParallelPair(_Frozen):
    """Two parallel programs in one tambon, described for people; ``a`` has the smaller id."""

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
        y0, y1 = self.overlap_years
        years = str(y0) if y0 == y1 else f"{y0}-{y1}"
        side = lambda s: ", ".join(a.label() for a in s.agencies) or "no known agency"  # noqa: E731
        if self.coordinated:
            how = {"shared_group": "a group implements both",
                   "direct_link": "a coordination link joins their stakeholders",
                   "shared_coordinator": "one coordinator is linked to both sides"}
            return (f"{self.a.program.label()} and {self.b.program.label()} overlap in "
                    f"{self.tambon.label()} but are coordinated: "
                    + "; ".join(how[c] for c in self.coordinated_by) + ".")
        return (
            f"{self.a.program.label()} [{side(self.a)}] and {self.b.program.label()} "
            f"[{side(self.b)}] both work on {', '.join(self.shared_themes)} in "
            f"{self.tambon.label()} in {years}, with no agency in common; no group implements "
            f"both and no coordination link counting in this tambon joins their stakeholders, "
            f"directly or through a shared coordinator."
        )

    def fix(self) -> str:
        first = lambda s: s.agencies[0].id if s.agencies else s.program.id  # noqa: E731
        return (
            f"Link the two sides in this tambon: add the row "
            f"'{_csv_row([first(self.a), first(self.b), 'joint tambon plan', self.tambon.id])}' to "
            f"coordination.csv (a,b,mechanism,tambon), or link one coordinator such as the "
            f"provincial planning office to both, or have a local group implement both."
        )


def _csv_row(cells: list[str]) -> str:
    '''One CSV row as a person pastes it into a file: cells with a comma, quote or line break quoted.

    >>> print(_csv_row(['codi', 'a,"b"', '802103']))
    codi,"a,""b""",802103
    '''
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


class TambonFinding(_Frozen):
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
            "pairs": [
                {
                    "programs": list(p.ids),
                    "coordinated": p.coordinated,
                    "coordinated_by": p.coordinated_by,
                    "shared_themes": p.shared_themes,
                    "overlap_years": list(p.overlap_years),
                    "sides": [s.model_dump(mode="json") for s in (p.a, p.b)],
                    "explanation": p.explanation(),
                    "fix": None if p.coordinated else p.fix(),
                }
                for p in self.pairs
            ],
        }


def _ref(entity: Mapping[str, Any]) -> NamedRef:
    return NamedRef(id=entity["id"], name=entity.get("name") or entity["id"], name_en=entity.get("name_en"))


def _areas(code: str) -> tuple[NamedRef, NamedRef, NamedRef]:
    area = tambon_area(code)
    if area is None:  # a code geothai does not know (e.g. written into Neo4j by hand)
        unknown = NamedRef(id=code, name=code)
        return unknown, NamedRef(id=code[:4], name=code[:4]), NamedRef(id=code[:2], name=code[:2])
    t, d, p = area.tambon, area.district, area.province
    return (NamedRef(id=t.code, name=t.name, name_en=t.name_en),
            NamedRef(id=d.code, name=d.name, name_en=d.name_en),
            NamedRef(id=p.code, name=p.name, name_en=p.name_en))


def _side(row: Mapping[str, Any]) -> ProgramSide:
    return ProgramSide(program=_ref(row["program"]), start_year=row["start_year"],
                       end_year=row["end_year"], themes=list(row["themes"]),
                       agencies=[_ref(a) for a in row["agencies"]],
                       groups=[_ref(g) for g in row["groups"]], budget_thb=row["budget_thb"])


def _finding(code: str, group: list[PairRow], sides: Mapping[str, ProgramSide]) -> TambonFinding:
    tambon, district, province = _areas(code)
    described = [ParallelPair(tambon=tambon, district=district, province=province,
                              a=sides[p.a], b=sides[p.b], shared_themes=list(p.shared_themes),
                              overlap_years=(p.start, p.end), coordinated=p.coordinated,
                              coordinated_by=list(p.coordinated_by))
                 for p in group]
    return TambonFinding(tambon=tambon, district=district, province=province, pairs=described)


#: Pairs described per round trip to the backend (programs are looked up a batch at a time).
_DESCRIBE_BATCH = 5_000


def findings(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto",
             every_tambon: bool = False) -> Iterator[TambonFinding]:
    """The tambons with at least one uncoordinated pair, described, in the order of ``pair_rows``.

    ``pair_rows`` must come grouped by tambon (as both twins give them).
    Programs are described a batch of tambons at a time from the
    ``program_sides`` analysis, so memory stays bounded by one batch. With
    ``every_tambon`` the tambons whose pairs are all coordinated come too
    (the views list those pairs as well).
    """
    batch: list[tuple[str, list[PairRow]]] = []
    size = 0
    for code, group in groupby(pair_rows, key=lambda p: p.tambon):
        group = list(group)
        if not every_tambon and all(p.coordinated for p in group):
            continue
        batch.append((code, group))
        size += len(group)
        if size >= _DESCRIBE_BATCH:
            yield from _describe(backend, batch, twin)
            batch, size = [], 0
    yield from _describe(backend, batch, twin)


def _describe(backend: Backend, batch: list[tuple[str, list[PairRow]]], twin: str) -> Iterator[TambonFinding]:
    if not batch:
        return
    ids = sorted({i for _, group in batch for p in group for i in p.ids})
    sides = {row["program"]["id"]: _side(row)
             for row in rows(backend, "program_sides", {"programs": ids}, twin=twin)}
    for code, group in batch:
        yield _finding(code, group, sides)


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

