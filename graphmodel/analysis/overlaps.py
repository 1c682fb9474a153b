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

The Cypher twin is the ``overlaps`` query in ``cypher/overlaps.cypher``.

Examples
--------
Two agencies run a program on the same theme in the same tambon, unlinked:

>>> from graphmodel.model import Dataset, Agency, Program, Implementation, Location, Coordination
>>> from graphmodel.backends.embedded import build_graph
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
>>> [(p.tambon.id, *p.ids, p.coordinated) for p in parallel_pairs(build_graph(ds.to_graph()))]
[('802103', 'plan', 'survey', False)]

A link between the two agencies, limited to that tambon, coordinates them:

>>> ds2 = with_areas(ds.model_copy(update={"coordination": [Coordination(a="codi", b="dopa", tambon="802103")]}))
>>> [(p.coordinated, p.coordinated_by) for p in parallel_pairs(build_graph(ds2.to_graph()))]
[(True, ['direct_link'])]

Complexity: for each tambon with k programs, O(k^2) pair checks, each
linear in the size of the two stakes and their coordination neighbourhoods.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx
from pydantic import BaseModel, ConfigDict

from ..model import bilingual

__all__ = [
    "CLAUSES",
    "NamedRef",
    "ProgramSide",
    "ParallelPair",
    "TambonFinding",
    "parallel_pairs",
    "findings",
]

#: Names of the three ways a parallel pair can be coordinated, in rule order.
CLAUSES = ("shared_group", "direct_link", "shared_coordinator")


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
    """Two parallel programs in one tambon; ``a`` has the smaller id."""

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
            f"'{first(self.a)},{first(self.b)},joint tambon plan,{self.tambon.id}' to "
            f"coordination.csv (a,b,mechanism,tambon), or link one coordinator such as the "
            f"provincial planning office to both, or have a local group implement both."
        )


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


def findings(pairs: list[ParallelPair]) -> list[TambonFinding]:
    """Group pairs by tambon, keep tambons with an uncoordinated pair, sorted by tambon code."""
    by_tambon: dict[str, list[ParallelPair]] = defaultdict(list)
    for p in pairs:
        by_tambon[p.tambon.id].append(p)
    out = []
    for code in sorted(by_tambon):
        group = sorted(by_tambon[code], key=lambda p: p.ids)
        if any(not p.coordinated for p in group):
            first = group[0]
            out.append(TambonFinding(tambon=first.tambon, district=first.district,
                                     province=first.province, pairs=group))
    return out


# --- the Python twin -------------------------------------------------------

def _ref(g: nx.MultiDiGraph, node) -> NamedRef:
    d = g.nodes[node]
    return NamedRef(id=d["id"], name=d.get("name") or d["id"], name_en=d.get("name_en"))


def _preds(g: nx.MultiDiGraph, node, rtype: str, label: str | None = None) -> set:
    return {u for u, _, t in g.in_edges(node, data="type")
            if t == rtype and (label is None or g.nodes[u]["label"] == label)}


def _succ(g: nx.MultiDiGraph, node, rtype: str) -> list:
    return [v for _, v, t in g.out_edges(node, data="type") if t == rtype]


def _side(g: nx.MultiDiGraph, prog) -> tuple[ProgramSide, set, set]:
    """The program's side of a pair, its agency set and its group set."""
    funds = _preds(g, prog, "FUNDS")
    agencies = _preds(g, prog, "IMPLEMENTS", "Agency")
    for f in funds:
        agencies |= _preds(g, f, "MANAGES")
    groups = _preds(g, prog, "IMPLEMENTS", "Group")
    amounts = [a for _, _, t, a in _edges_in(g, prog) if t == "FUNDS" and a is not None]
    d = g.nodes[prog]
    side = ProgramSide(
        program=_ref(g, prog),
        start_year=d["start_year"], end_year=d["end_year"], themes=sorted(d.get("themes", [])),
        agencies=sorted((_ref(g, a) for a in agencies), key=lambda r: r.id),
        groups=sorted((_ref(g, x) for x in groups), key=lambda r: r.id),
        budget_thb=sum(amounts) if amounts else None,
    )
    return side, agencies, groups


def _edges_in(g: nx.MultiDiGraph, node):
    for u, v, data in g.in_edges(node, data=True):
        yield u, v, data["type"], data.get("amount_thb")


def _links(g: nx.MultiDiGraph, tambon: str) -> dict:
    """Undirected adjacency of the coordination links that count in ``tambon``."""
    adj: dict = defaultdict(set)
    for u, v, data in g.edges(data=True):
        if data["type"] == "COORDINATES_WITH" and data.get("tambon") in (None, tambon):
            adj[u].add(v)
            adj[v].add(u)
    return adj


def _clauses(stake_p: set, stake_q: set, groups_p: set, groups_q: set, adj: dict) -> list[str]:
    found = []
    if groups_p & groups_q:
        found.append("shared_group")
    near_p = set().union(*(adj.get(x, set()) for x in stake_p))
    near_q = set().union(*(adj.get(x, set()) for x in stake_q))
    if near_p & stake_q:
        found.append("direct_link")
    if near_p & near_q:
        found.append("shared_coordinator")
    return found


def parallel_pairs(g: nx.MultiDiGraph, *, tambon: str | None = None,
                   province: str | None = None) -> list[ParallelPair]:
    """Find every parallel program pair per tambon, coordinated or not.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A graph built by :func:`graphmodel.backends.embedded.build_graph`.
    tambon : str, optional
        Only this 6-digit tambon code.
    province : str, optional
        Only tambons of this 2-digit province code.

    Returns
    -------
    list of ParallelPair
        Sorted by tambon code, then by the two program ids.
    """
    out: list[ParallelPair] = []
    tambons = sorted(n for n, d in g.nodes(data=True) if d["label"] == "Tambon")
    for t in tambons:
        code = t[1]
        if (tambon and code != tambon) or (province and not code.startswith(province)):
            continue
        programs = sorted(_preds(g, t, "LOCATED_IN"), key=lambda n: n[1])
        if len(programs) < 2:
            continue
        district = _succ(g, t, "IN_DISTRICT")[0]
        prov = _succ(g, district, "IN_PROVINCE")[0]
        sides = {p: _side(g, p) for p in programs}
        adj = _links(g, code)
        for p, q in combinations(programs, 2):
            (sp, ap, gp), (sq, aq, gq) = sides[p], sides[q]
            shared = sorted(set(sp.themes) & set(sq.themes))
            start, end = max(sp.start_year, sq.start_year), min(sp.end_year, sq.end_year)
            if not shared or start > end or ap & aq:
                continue
            clauses = _clauses({p} | ap | gp, {q} | aq | gq, gp, gq, adj)
            out.append(ParallelPair(
                tambon=_ref(g, t), district=_ref(g, district), province=_ref(g, prov),
                a=sp, b=sq, shared_themes=shared, overlap_years=(start, end),
                coordinated=bool(clauses), coordinated_by=clauses,
            ))
    return out
