"""Uncoordinated pairs explained and ranked: ``graphmodel overlaps --explain``, ``--sort severity``.

For each uncoordinated pair the rule found, :func:`explain` gathers, as one
small :class:`PairExplanation` (ids and numbers):

- the overlap: years in common and the number of shared themes;
- each side (:class:`SideFacts`): its agencies and groups with their kinds,
  the budget channels of the funds funding it (``normal``, ``ceo``,
  ``special``), its known budget and how many of its funding links have no
  amount (from the ``program_sides`` analysis);
- the money: the known budgets of both programs added up, and the funding
  links with no amount (stated, never guessed);
- the :func:`severity`;
- how the two stakes are joined *outside* the links that count (the
  ``pair_linkage`` analysis, whose Cypher twin is in ``cypher/severity.cypher``):
  ``linked_in``, the other tambons whose links would coordinate the pair
  ("linked in tambon Y only"), and ``via``, two intermediaries X, Z when the
  stakes are linked only through a chain of three links (stake - X - Z - stake).

The severity
------------
``severity = overlap years × shared themes × (1 + log10(1 + known baht))``

where *known baht* is the sum of the known budgets of the two programs
(:func:`~.facts.program_budget`; 0 when neither is known). Longer overlaps,
more shared themes and more money make a pair matter more; the logarithm
keeps a hundred-million-baht program from drowning every other finding (ten
times the money adds 1 to the last factor), and the ``1 +`` keeps a pair
whose money is all unknown ranked by its years and themes rather than at
zero. Unknown amounts are not guessed: they are counted and shown.

Examples
--------
>>> round(severity(1, 2, 0.0), 2), round(severity(1, 1, 100_000.0), 2), round(severity(3, 2, 999.0), 2)
(2.0, 6.0, 24.0)

The seed's Kalo pair: one year (2006), two shared themes, no known amount
(CODI's life-plan grant and the CEO budget's survey are both unknown):

>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.analysis.areas import Area, area_pairs
>>> import pathlib
>>> seed = pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"
>>> b = EmbeddedBackend(read_dataset(seed))
>>> found = [p for p in area_pairs(b, Area.of(tambon="802103")) if not p.coordinated]
>>> e = explain(b, found)[("802103", "codi_life_plan", "dopa_poverty_survey")]
>>> e.years, e.themes, e.known_thb, e.unknown_amounts, e.severity
(1, 2, None, 2, 2.0)
>>> [a for a, kind in e.side_b.agencies], e.side_b.channels
(['dopa', 'nst_governor', 'yamna'], ('ceo',))
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from ..backends.base import Backend
from .areas import pair_param_rows
from .facts import Facts
from .linkindex import cached, scoped_tambons, tambon_ids
from .overlaps import PairRow
from .registry import register, rows

__all__ = ["severity", "SideFacts", "PairExplanation", "explain", "pair_linkage", "by_severity",
           "severity_order", "SORTS"]

#: The orders ``graphmodel overlaps --sort`` knows: the rule's (tambon, then ids) and severity.
SORTS = ("tambon", "severity")

Key = tuple[str, str, str]


def severity(years: int, themes: int, known_thb: float) -> float:
    """``years × themes × (1 + log10(1 + known_thb))`` (see the module docstring).

    >>> severity(2, 1, 0.0), severity(1, 1, 9.0)
    (2.0, 2.0)
    """
    return years * themes * (1.0 + math.log10(1.0 + known_thb))


class SideFacts(NamedTuple):
    """One program as the explanation shows it (ids and kinds)."""

    program: str
    #: ``(id, kind)`` of its agencies, by id.
    agencies: tuple[tuple[str, str | None], ...]
    #: ``(id, kind)`` of the groups implementing it, by id.
    groups: tuple[tuple[str, str | None], ...]
    channels: tuple[str, ...]
    budget: float | None
    unknown_amounts: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "SideFacts":
        """From a ``program_sides`` row."""
        pairs = lambda xs: tuple((x["id"], x.get("kind")) for x in xs)  # noqa: E731
        return cls(row["program"]["id"], pairs(row["agencies"]), pairs(row["groups"]),
                   tuple(row["channels"]), row["budget_thb"], row["unknown_amounts"])

    def to_json(self) -> dict[str, Any]:
        return {"program": self.program,
                "agencies": [{"id": i, "kind": k} for i, k in self.agencies],
                "groups": [{"id": i, "kind": k} for i, k in self.groups],
                "channels": list(self.channels), "budget_thb": self.budget,
                "unknown_amounts": self.unknown_amounts}


class PairExplanation(NamedTuple):
    """Why one uncoordinated pair matters, and how near to coordinated it is."""

    tambon: str
    a: str
    b: str
    years: int
    themes: int
    side_a: SideFacts
    side_b: SideFacts
    #: Other tambons whose links would coordinate the pair (sorted codes).
    linked_in: tuple[str, ...]
    #: ``(X, Z)``: the stakes are linked only through a chain of three links; ``()`` otherwise.
    via: tuple[str, ...]
    severity: float

    @property
    def key(self) -> Key:
        return (self.tambon, self.a, self.b)

    @property
    def known_thb(self) -> float | None:
        """The known budgets of both programs added up; None when neither is known."""
        known = [s.budget for s in (self.side_a, self.side_b) if s.budget is not None]
        return float(sum(known)) if known else None

    @property
    def unknown_amounts(self) -> int:
        """Funding links of either program without an amount."""
        return self.side_a.unknown_amounts + self.side_b.unknown_amounts

    def to_json(self) -> dict[str, Any]:
        """The ``explain`` object of a pair in ``graphmodel overlaps --explain --format json``."""
        return {"severity": round(self.severity, 6), "overlap_years": self.years,
                "shared_themes": self.themes, "known_thb": self.known_thb,
                "unknown_amounts": self.unknown_amounts,
                "sides": [self.side_a.to_json(), self.side_b.to_json()],
                "linked_in": list(self.linked_in), "via": list(self.via)}


def explain(backend: Backend, pairs: Iterable[PairRow], *, twin: str = "auto") -> dict[Key, PairExplanation]:
    """A :class:`PairExplanation` for each uncoordinated pair of ``pairs`` (coordinated ones are skipped).

    Two analyses answer, each from the twin ``twin`` picks: ``program_sides``
    for the programs of the pairs and ``pair_linkage`` for the pairs.
    Memory: one small record per pair and one per program.
    """
    found = [p for p in pairs if not p.coordinated]
    ids = sorted({i for p in found for i in p.ids})
    sides = {}
    for start in range(0, len(ids), 5_000):
        for row in rows(backend, "program_sides", {"programs": ids[start:start + 5_000]}, twin=twin):
            side = SideFacts.from_row(row)
            sides[side.program] = side
    linkage = {(r["tambon"], r["program_a"], r["program_b"]): r
               for r in pair_param_rows(backend, "pair_linkage", found, twin=twin)}
    out = {}
    for p in found:
        sa, sb = sides[p.a], sides[p.b]
        link = linkage.get((p.tambon, p.a, p.b), {"linked_in": [], "via": []})
        years, themes = p.end - p.start + 1, len(p.shared_themes)
        known = (sa.budget or 0.0) + (sb.budget or 0.0)
        out[(p.tambon, p.a, p.b)] = PairExplanation(
            p.tambon, p.a, p.b, years, themes, sa, sb, tuple(link["linked_in"]), tuple(link["via"]),
            severity(years, themes, known))
    return out


def by_severity(explained: Mapping[Key, PairExplanation]) -> list[Key]:
    """The pairs, most severe first; ties by tambon, then program ids."""
    return sorted(explained, key=lambda k: (-explained[k].severity, k))


def severity_order(pair_rows: Iterable[PairRow], ranked: list[Key]) -> list[PairRow]:
    """The pairs grouped by tambon, tambons by their most severe pair, within a tambon the
    uncoordinated pairs by severity and then the coordinated ones by ids (``ranked``: the
    uncoordinated pairs' keys, most severe first, as :func:`by_severity` gives them).

    >>> rows = [PairRow("801208", "a", "b", (), 1, 1, ()), PairRow("802103", "c", "d", (), 1, 1, ()),
    ...         PairRow("802103", "c", "e", (), 1, 1, ("direct_link",))]
    >>> [(p.tambon, p.b) for p in severity_order(rows, [("802103", "c", "d"), ("801208", "a", "b")])]
    [('802103', 'd'), ('802103', 'e'), ('801208', 'b')]
    """
    rank = {key: i for i, key in enumerate(ranked)}
    last = len(rank)
    pair_rows = list(pair_rows)

    def key(p: PairRow) -> Key:
        return (p.tambon, p.a, p.b)

    first: dict[str, int] = {}
    for p in pair_rows:
        r = rank.get(key(p), last)
        if r < first.get(p.tambon, last + 1):
            first[p.tambon] = r
    return sorted(pair_rows, key=lambda p: (first[p.tambon], p.tambon, bool(p.coordinated_by),
                                            rank.get(key(p), last), p.a, p.b))


def _scoped_neighbours(facts: Facts) -> dict[str, dict[str, set[str]]]:
    """node -> neighbour -> the tambons of the links between them limited to one tambon."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for tambon, adjacency in facts.links.local.items():
        for a, ends in adjacency.items():
            for b in ends:
                out[a][b].add(tambon)
    return out


class _LinkedIn:
    """The tambons other than the pair's whose counting links coordinate two stakes (clause b or c).

    With E the neighbours by links counting everywhere and L_Y those by links
    limited to Y, tambon Y coordinates stakes A and B when (E ∪ L_Y)(A) meets
    B or (E ∪ L_Y)(B). When E alone does, every tambon with a limited link
    touching a stake does. Otherwise Y must bring a limited link of its own:
    L_Y(A) meets B, E(B) or L_Y(B), or E(A) meets L_Y(B); each of these is
    decided by one member x of A and one y of B, so the tambons are the union,
    over such x and y, of what :meth:`between` finds (remembered: the same
    agencies meet in many pairs). Nothing tries every tambon.
    """

    def __init__(self, facts: Facts):
        self.facts = facts
        self.everywhere = facts.links.everywhere
        self.scoped = cached(facts, "scoped_neighbours", _scoped_neighbours)
        self.memo: dict[tuple[str, str], set[str]] = {}

    def between(self, x: str, y: str) -> set[str]:
        key = (x, y) if x < y else (y, x)
        found = self.memo.get(key)
        if found is None:
            sx, sy = self.scoped.get(x, {}), self.scoped.get(y, {})
            found = set(sx.get(y, ()))
            for z in self.everywhere.get(y, ()):
                found |= sx.get(z, set())
            for z in self.everywhere.get(x, ()):
                found |= sy.get(z, set())
            small, large = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
            for z in small.keys() & large.keys():
                found |= small[z] & large[z]
            self.memo[key] = found
        return found

    def __call__(self, t: str, stake_a: set[str], stake_b: set[str]) -> list[str]:
        near_a = set().union(*(self.everywhere.get(x, ()) for x in stake_a))
        near_b = set().union(*(self.everywhere.get(x, ()) for x in stake_b))
        if not near_a.isdisjoint(stake_b) or not near_a.isdisjoint(near_b):
            found = set().union(*(scoped_tambons(self.facts).get(x, ()) for x in stake_a | stake_b))
        else:
            found = set().union(*(self.between(x, y) for x in stake_a for y in stake_b))
        found.discard(t)
        return sorted(found)


@register("pair_linkage", ("tambon", "program_a", "program_b", "linked_in", "via"))
def pair_linkage(backend: Backend, *, pairs) -> Iterator[dict[str, Any]]:
    """Rows of the ``pair_linkage`` query (the Python twin; see ``cypher/severity.cypher``).

    For each ``[tambon, program_a, program_b]`` of ``pairs`` whose tambon and
    programs are in the graph, by tambon then ids: ``linked_in``, the other
    tambons Y where the links counting in Y would coordinate the pair (clause
    b or c), and ``via``, the smallest ``[X, Z]`` by id such that X is joined
    to Stake(a), Z to Stake(b) and X to Z by links counting in the pair's
    tambon, X and Z in neither stake (``[]`` when there is none).

    Complexity: per pair, linear in the links touching the two stakes and
    their neighbours; the neighbourhoods are computed once per program and
    tambon.
    """
    facts = Facts.of(backend)
    links, tambons, linked_in = facts.links, tambon_ids(facts), _LinkedIn(facts)
    near: dict[tuple[str, str], set[str]] = {}

    def near_of(t: str, program: str) -> set[str]:
        if (t, program) not in near:
            near[(t, program)] = links.near_all(facts.stake(program), t)
        return near[(t, program)]

    for t, a, b in sorted(tuple(p) for p in pairs):
        if t not in tambons or a not in facts.programs or b not in facts.programs:
            continue
        stake_a, stake_b = set(facts.stake(a)), set(facts.stake(b))
        both = stake_a | stake_b
        near_b = near_of(t, b) - both
        via = min(((x, z) for x in near_of(t, a) - both for z in links.near(x, t) & near_b), default=())
        yield {"tambon": t, "program_a": a, "program_b": b, "linked_in": linked_in(t, stake_a, stake_b),
               "via": list(via)}
