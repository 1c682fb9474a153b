"""New coordination links that resolve the most uncoordinated pairs: ``graphmodel recommend``.

A **link** joins two existing nodes (agency, group, program, fund, or a node
that already coordinates, such as a tambon's local government or the
provincial planning office) and is limited to one tambon or, with no tambon,
counts everywhere ("province-wide", as ``coordination.csv`` has it). A link
**resolves** an uncoordinated pair when adding it to the graph makes the pair
coordinated by the rule (docs/analysis.md): it joins the two stakes
(clause b), or one of its ends becomes a coordinator linked to both stakes
(clause c), with the links already there or with links recommended before it.

Which pairs a link resolves
---------------------------
Only links that touch the uncoordinated pairs can resolve one. In tambon T,
call a node's *stake* the programs of T's pairs whose stake it is in, and
its *reach* those whose stake it is in or joined to by a link counting in
T. A new link x - y counting in T resolves the pair of P and Q when P is in
x's stake and Q in y's reach, or P in x's reach and Q in y's stake (either
way round): it joins the two stakes, or x (or y) becomes a coordinator
linked to both. Once a link is added, each of its ends reaches the
programs of the other end's stake, so later links can resolve pairs
through it.

The split between the twins: the ``link_ends`` analysis lists, for the
uncoordinated pairs, every node that can end such a link with its stake
and reach in each tambon (its Cypher twin in ``cypher/recommend.cypher``
computes the table on the server); which pairs each link resolves, and the
greedy choice, are worked out here from that table, the same for both
twins. (A table of links rather than of nodes would be about 2,000 rows per
tambon, 350,000 for a province; this one is a few dozen per tambon.)

Candidates
----------
A node *dominated* by another (:class:`Resolver` notes: the other does all
it does, everywhere) ends no candidate; so a program's own node gives way
to its agency, and a network linked only to DOPA to DOPA. The **candidate
links** are, between the other nodes: each link limited to a tambon where
it resolves a pair on its own, and the same ends province-wide when they
resolve pairs in two tambons or more.

Greedy, and its tie-break
-------------------------
:func:`recommend` adds, up to ``k`` times, the candidate that resolves the
most remaining pairs given the links already added, until none resolves
any. Ties, in order: a link limited to a tambon before a province-wide one
(it is easier to agree); then by the kinds of its ends, agency before group
before fund before program, comparing first the less preferred end, then
the other (two agencies, then agency and group, two groups, agency and fund,
..., two programs); then the smaller first end id, the smaller second end
id, the smaller tambon code (ids are strings, compared character by character).

Greedy is not always optimal (a link that resolves little alone can make the
next one resolve much). When there are at most :data:`EXHAUSTIVE_LIMIT`
candidates, :func:`recommend` also tries every set of ``min(k, candidates)``
of them and reports the best count, so the output can say when greedy falls short.

Examples
--------
Three agencies run programs on one theme in one tambon, unlinked: three
pairs. Linking ``a`` to ``b`` resolves one; then ``a`` to ``c`` resolves two
(``a - c`` directly, and ``b - c`` through ``a``, now linked to both):

>>> from graphmodel.model import Dataset, Agency, Program, Implementation, Location
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> ds = with_areas(Dataset(
...     agencies=[Agency(id=i, name=i, kind="line_agency") for i in "abc"],
...     programs=[Program(id="p" + i, name="p" + i, themes=("x",), start_year=2006, end_year=2006) for i in "abc"],
...     implementation=[Implementation(implementer=i, program="p" + i) for i in "abc"],
...     locations=[Location(program="p" + i, tambon="801208") for i in "abc"]))
>>> r = recommend(EmbeddedBackend(ds), Area.of(tambon="801208"), k=5)
>>> [(s.link.a, s.link.b, s.link.tambon, s.resolves, s.remaining) for s in r.steps]
[('a', 'b', '801208', 1, 2), ('a', 'c', '801208', 2, 0)]
>>> r.candidates, r.optimum, r.greedy_optimal
(3, 3, True)
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Iterable, Iterator, NamedTuple

from ..backends.base import Backend
from ..errors import ArgumentError
from .areas import Area, area_pairs, pair_param_rows
from .facts import Facts
from .overlaps import PairRow
from .registry import register

__all__ = ["EXHAUSTIVE_LIMIT", "Link", "Step", "Recommendation", "recommend", "link_ends", "Resolver"]

#: The most candidate links for which :func:`recommend` also searches every combination.
EXHAUSTIVE_LIMIT = 12

#: Ends of these labels are preferred in this order in a tie (an agency before a program).
_KIND_ORDER = {"Agency": 0, "Group": 1, "Fund": 2, "Program": 3}

Pair = tuple[str, str]  # (program_a, program_b), a < b
Ends = tuple[str, str]  # (x, y), x < y


class Link(NamedTuple):
    """A coordination link to add: ends ``a < b``; ``tambon`` None when province-wide."""

    a: str
    b: str
    tambon: str | None


class Step(NamedTuple):
    """One step of the greedy: the link, the pairs it resolves, the uncoordinated pairs left."""

    link: Link
    resolves: int
    remaining: int

    def to_json(self) -> dict[str, Any]:
        """``{"a", "b", "tambon", "resolves", "remaining"}`` (``graphmodel recommend --format json``)."""
        return {"a": self.link.a, "b": self.link.b, "tambon": self.link.tambon,
                "resolves": self.resolves, "remaining": self.remaining}


@dataclass(frozen=True)
class Recommendation:
    """What :func:`recommend` found for one area."""

    area: Area
    k: int
    #: Uncoordinated pairs in the area before any link is added.
    uncoordinated: int
    steps: tuple[Step, ...]
    #: Candidate links (see the module docstring).
    candidates: int
    #: The most pairs any ``min(k, candidates)`` candidates resolve together; None when
    #: there are more than :data:`EXHAUSTIVE_LIMIT` candidates (not searched).
    optimum: int | None

    @property
    def resolved(self) -> int:
        return sum(s.resolves for s in self.steps)

    @property
    def greedy_optimal(self) -> bool | None:
        """Whether the greedy steps resolve as many pairs as the best choice; None when not searched."""
        return None if self.optimum is None else self.resolved >= self.optimum


# --- the table: the Python twin of link_ends ---------------------------------------------------

@register("link_ends", ("tambon", "node", "label", "stake", "linked"))
def link_ends(backend: Backend, *, pairs) -> Iterator[dict[str, Any]]:
    """Rows of the ``link_ends`` query: the nodes a new link could join to resolve ``pairs``.

    ``pairs`` are ``[tambon, program_a, program_b]`` (uncoordinated pairs of
    the ``overlaps`` analysis). For each tambon T and each node x in the
    stake of a program of T's pairs, or joined to such a stake by a link
    counting in T, by tambon then node: ``label``, ``stake`` (the programs of
    T's pairs whose stake x is in) and ``linked`` (those whose stake x is
    joined to by a link counting in T), program ids sorted.

    Complexity: linear in the programs of the pairs times their stakes and
    the links touching them.
    """
    facts = Facts.of(backend)
    from .linkindex import tambon_ids

    tambons, links = tambon_ids(facts), facts.links
    programs: dict[str, set[str]] = defaultdict(set)
    for t, a, b in (tuple(p) for p in pairs):
        if t in tambons:
            programs[t].update(x for x in (a, b) if x in facts.programs)
    for t in sorted(programs):
        stake: dict[str, set[str]] = defaultdict(set)
        linked: dict[str, set[str]] = defaultdict(set)
        for p in programs[t]:
            members = facts.stake(p)
            for x in members:
                stake[x].add(p)
            for x in links.near_all(members, t):
                linked[x].add(p)
        for x in sorted(stake.keys() | linked.keys()):
            yield {"tambon": t, "node": x, "label": facts.entities[x].label,
                   "stake": sorted(stake.get(x, ())), "linked": sorted(linked.get(x, ()))}


# --- which pairs a link resolves ------------------------------------------------------------------

def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Tambon:
    """One tambon's remaining pairs and node profiles, as bit sets over its programs.

    ``stake[x]``: the programs whose stake x is in; ``reach[x]``: those whose
    stake x is in or joined to (by the links already there and those added).
    A link x - y resolves the pair of P and Q when P is in x's stake and Q in
    y's reach, or P in x's reach and Q in y's stake (either way round).
    """

    __slots__ = ("programs", "adj", "stake", "reach", "gains", "_holders")

    def __init__(self, programs: list[str], pairs: Iterable[Pair]):
        self.programs = programs
        index = {p: i for i, p in enumerate(programs)}
        self.adj = [0] * len(programs)
        for a, b in pairs:
            i, j = index[a], index[b]
            self.adj[i] |= 1 << j
            self.adj[j] |= 1 << i
        self.stake: dict[str, int] = {}
        self.reach: dict[str, int] = {}
        #: Gains computed since the last link was added here, by ends.
        self.gains: dict[Ends, int] = {}
        self._holders: dict[tuple[str, int], list[str]] | None = None

    def _partners(self, x: str, y: str) -> Iterator[tuple[int, int]]:
        """``(i, partners of i it resolves)`` for each program i the link x - y touches."""
        sx, sy = self.stake.get(x, 0), self.stake.get(y, 0)
        rx, ry = self.reach.get(x, 0), self.reach.get(y, 0)
        for i in _bits(rx | ry):
            bit = 1 << i
            mask = ((ry if sx & bit else 0) | (sy if rx & bit else 0)
                    | (sx if ry & bit else 0) | (rx if sy & bit else 0))
            yield i, self.adj[i] & mask

    def gain(self, x: str, y: str) -> int:
        """How many remaining pairs the link x - y resolves here (x < y); as :meth:`resolved`
        counts them, in one tight loop (this is the greedy's inner loop)."""
        g = self.gains.get((x, y))
        if g is None:
            sx, sy = self.stake.get(x, 0), self.stake.get(y, 0)
            rx, ry = self.reach.get(x, 0), self.reach.get(y, 0)
            adj, total, todo = self.adj, 0, rx | ry
            while todo:
                bit = todo & -todo
                todo ^= bit
                mask = ((ry if sx & bit else 0) | (sy if rx & bit else 0)
                        | (sx if ry & bit else 0) | (rx if sy & bit else 0))
                if mask:
                    total += (adj[bit.bit_length() - 1] & mask).bit_count()
            g = self.gains[(x, y)] = total // 2
        return g

    def holders(self, kind: str, bit: int) -> list[str]:
        """The nodes whose ``stake`` (or ``reach``) holds the program of index ``bit``."""
        if self._holders is None:
            self._holders = defaultdict(list)
            for name, masks in (("stake", self.stake), ("reach", self.reach)):
                for x, m in masks.items():
                    for i in _bits(m):
                        self._holders[(name, i)].append(x)
        return self._holders.get((kind, bit), [])

    def resolved(self, x: str, y: str) -> list[tuple[int, int]]:
        """The remaining pairs (program indexes, i < j) the link x - y resolves here."""
        return [(i, j) for i, m in self._partners(x, y) for j in _bits(m) if i < j]

    def add(self, x: str, y: str) -> int:
        """Add the link x - y: its pairs are resolved, and each end now reaches the other's programs."""
        done = self.resolved(x, y)
        for i, j in done:
            self.adj[i] &= ~(1 << j)
            self.adj[j] &= ~(1 << i)
        sx, sy = self.stake.get(x, 0), self.stake.get(y, 0)
        self.reach[x] = self.reach.get(x, 0) | sy
        self.reach[y] = self.reach.get(y, 0) | sx
        self.gains = {}
        self._holders = None
        return len(done)

    def remaining(self) -> int:
        return sum(m.bit_count() for m in self.adj) // 2

    def copy(self) -> "_Tambon":
        other = _Tambon.__new__(_Tambon)
        other.programs, other.adj = self.programs, list(self.adj)
        other.stake, other.reach = self.stake, dict(self.reach)
        other.gains, other._holders = dict(self.gains), None
        return other


class Resolver:
    """The uncoordinated pairs of an area and the ``link_ends`` profiles; the candidate links;
    which pairs a set of new links resolves, by the rule.

    Parameters
    ----------
    pairs : iterable of PairRow
        The uncoordinated pairs.
    ends : iterable of dict
        ``link_ends`` rows for them (rows of one tambon and node are merged).

    Notes
    -----
    In a tambon T, node q **dominates** node w when q is in the stake of
    every program w is in the stake of, and reaches every program w reaches:
    then a link from q resolves at least the pairs the same link from w
    resolves there. A link limited to T is a candidate only between nodes no
    other node dominates in T (of nodes that dominate each other, the first
    in the tie-break order stays): a program's own node gives way to its
    agency, a group of another tambon that only shares a pilot to the
    tambon's own group. A province-wide candidate joins two nodes that are
    not groups (a group works in the tambon it is based in) and that no such
    node dominates in every tambon where they can end a link (a community
    network linked only to DOPA gives way to DOPA).
    """

    def __init__(self, pairs: Iterable[PairRow], ends: Iterable[dict[str, Any]]):
        by_tambon: dict[str, set[Pair]] = defaultdict(set)
        for p in pairs:
            by_tambon[p.tambon].add((p.a, p.b))
        self.tambons: dict[str, _Tambon] = {}
        for t in sorted(by_tambon):
            programs = sorted({x for pair in by_tambon[t] for x in pair})
            self.tambons[t] = _Tambon(programs, by_tambon[t])
        self.labels: dict[str, str] = {}
        index = {t: {p: i for i, p in enumerate(tb.programs)} for t, tb in self.tambons.items()}
        for row in ends:
            tb = self.tambons.get(row["tambon"])
            if tb is None:
                continue
            where = index[row["tambon"]]
            stake = sum(1 << where[p] for p in row["stake"] if p in where)
            linked = sum(1 << where[p] for p in row["linked"] if p in where)
            x = row["node"]
            tb.stake[x] = tb.stake.get(x, 0) | stake
            tb.reach[x] = tb.reach.get(x, 0) | stake | linked
            self.labels[x] = row["label"]
        #: Where each node can end a link.
        self.where: dict[str, list[str]] = defaultdict(list)
        for t, tb in self.tambons.items():
            for x in tb.reach:
                self.where[x].append(t)
        self.options = self._options()
        self.option_set = frozenset(self.options)

    @property
    def total(self) -> int:
        return sum(tb.remaining() for tb in self.tambons.values())

    def order(self, link: Link) -> tuple:
        """The tie-break (see the module docstring): tambon-limited first, then the kinds of
        the ends, then the end ids, then the tambon."""
        kinds = sorted((_KIND_ORDER.get(self.labels.get(x), 4) for x in (link.a, link.b)), reverse=True)
        return (link.tambon is None, *kinds, link.a, link.b, link.tambon or "")

    def _node_order(self, x: str) -> tuple:
        return (_KIND_ORDER.get(self.labels.get(x), 4), x)

    def dominates(self, q: str, w: str, within: Iterable[str]) -> bool:
        """Whether node q dominates node w in each tambon of ``within`` (see the class notes)."""
        for t in within:
            tb = self.tambons[t]
            if q not in tb.reach or tb.stake.get(w, 0) & ~tb.stake.get(q, 0) or tb.reach[w] & ~tb.reach[q]:
                return False
        return True

    def _kept(self, nodes: Iterable[str], within, rivals) -> list[str]:
        """``nodes`` without those dominated (in each tambon ``within(w)``) by one of ``rivals(w)``
        that w does not dominate back or that comes first in the tie-break order."""
        kept = []
        for w in sorted(nodes, key=self._node_order):
            ts = within(w)
            if not any(self.dominates(q, w, ts) and (self._node_order(q) < self._node_order(w)
                                                     or not self.dominates(w, q, ts))
                       for q in rivals(w)):
                kept.append(w)
        return kept

    def _rivals(self, t: str, w: str) -> list[str]:
        """The nodes that might dominate w in tambon t: those in the stake of (else reaching)
        w's first program there."""
        tb = self.tambons[t]
        sw = tb.stake.get(w, 0)
        kind, mask = ("stake", sw) if sw else ("reach", tb.reach[w])
        return [q for q in tb.holders(kind, (mask & -mask).bit_length() - 1) if q != w]

    def _options(self) -> list[Link]:
        out = []
        for t, tb in self.tambons.items():
            ends = sorted(self._kept(tb.reach, lambda w: (t,), lambda w: self._rivals(t, w)))
            out += [Link(x, y, t) for i, x in enumerate(ends) for y in ends[i + 1:] if tb.gain(x, y)]
        wide = [x for x, ts in self.where.items() if len(ts) > 1 and self.labels.get(x) != "Group"]
        wide_set = frozenset(wide)
        ends = sorted(self._kept(wide, lambda w: self.where[w],
                                 lambda w: [q for q in self._rivals(self.where[w][0], w) if q in wide_set]))
        for i, x in enumerate(ends):
            here = set(self.where[x])
            for y in ends[i + 1:]:
                if sum(1 for t in here.intersection(self.where[y]) if self.tambons[t].gain(x, y)) > 1:
                    out.append(Link(x, y, None))
        return sorted(out, key=self.order)

    def resolved(self, links: Iterable[Link]) -> int:
        """How many of the pairs ``links`` resolve together: added one by one to a fresh state.

        Adding links in any order gives the same pairs (the rule asks only
        whether links exist), so this is the rule with the new links added.
        """
        state = _State(self)
        return sum(state.add(link) for link in links)

    def optimum(self, k: int) -> int | None:
        """The most pairs any ``min(k, candidates)`` candidates resolve; None above :data:`EXHAUSTIVE_LIMIT`."""
        if len(self.options) > EXHAUSTIVE_LIMIT:
            return None
        size = min(k, len(self.options))
        return max((self.resolved(chosen) for chosen in combinations(self.options, size)), default=0)


class _State:
    """The tambons of a :class:`Resolver` with some links added (copied when first touched)."""

    def __init__(self, r: Resolver):
        self.r = r
        self.tambons: dict[str, _Tambon] = {}
        self.where = {x: set(ts) for x, ts in r.where.items()}

    def tambon(self, t: str) -> _Tambon:
        tb = self.tambons.get(t)
        if tb is None:
            tb = self.tambons[t] = self.r.tambons[t].copy()
        return tb

    def counting(self, link: Link) -> Iterable[str]:
        """The tambons where ``link`` counts and both ends can end a link (elsewhere it resolves nothing)."""
        if link.tambon is not None:
            return [link.tambon] if link.tambon in self.r.tambons else []
        return self.where.get(link.a, set()) & self.where.get(link.b, set())

    def gain(self, link: Link) -> int:
        """How many remaining pairs ``link`` resolves now."""
        return sum((self.tambons.get(t) or self.r.tambons[t]).gain(link.a, link.b)
                   for t in self.counting(link))

    def add(self, link: Link) -> int:
        """Add ``link``; return how many pairs it resolved. Where it counts and one end can end
        a link, the other end now reaches that end's programs (it may coordinate them later)."""
        if link.tambon is not None:
            touched = self.counting(link)
        else:
            touched = self.where.get(link.a, set()) | self.where.get(link.b, set())
        resolved = 0
        for t in sorted(touched):
            resolved += self.tambon(t).add(link.a, link.b)
            for x in (link.a, link.b):
                self.where.setdefault(x, set()).add(t)
        return resolved


class _Greedy(_State):
    """The greedy over a :class:`Resolver`'s candidates (lazy: a heap of gains, checked when popped).

    A gain only grows for a link that shares an end with a link just added
    (only the ends of an added link reach more programs); every other gain
    only shrinks as pairs are resolved. So after each step the candidates
    sharing an end with it are pushed again with their new gains, and a
    popped entry whose gain is still the one it was pushed with is the best
    there is (ties as :meth:`Resolver.order`).
    """

    def __init__(self, r: Resolver):
        super().__init__(r)
        self.chosen: set[Link] = set()
        self.heap: list[tuple] = []
        self.by_end: dict[str, list[Link]] = defaultdict(list)
        for link in r.options:
            self.by_end[link.a].append(link)
            self.by_end[link.b].append(link)
            self._push(link)

    def _push(self, link: Link) -> None:
        if link not in self.chosen:
            g = self.gain(link)
            if g > 0:
                heapq.heappush(self.heap, (-g, *self.r.order(link), link))

    def pop(self) -> Link | None:
        """The best candidate now, or None when none resolves a pair."""
        while self.heap:
            neg, *_, link = heapq.heappop(self.heap)
            if link in self.chosen:
                continue
            g = self.gain(link)
            if g == -neg:
                return link
            if g > 0:
                heapq.heappush(self.heap, (-g, *self.r.order(link), link))
        return None

    def add(self, link: Link) -> int:
        self.chosen.add(link)
        resolved = super().add(link)
        for end in (link.a, link.b):
            for other in self.by_end.get(end, ()):
                self._push(other)
        return resolved


def recommend(backend: Backend, area: Area, *, k: int = 10, twin: str = "auto",
              pairs: Iterable[PairRow] | None = None) -> Recommendation:
    """Up to ``k`` new links that together resolve the most uncoordinated pairs of ``area`` (greedy).

    Parameters
    ----------
    backend : Backend
        Any backend; the analyses run on the twin ``twin`` picks.
    area : Area
        The tambon, district or province (or everything) whose pairs count.
    k : int
        The most links to recommend (at least 1).
    pairs : iterable of PairRow, optional
        The area's pairs, when the caller already has them (from
        :func:`~.areas.area_pairs`); otherwise they are read here.

    Returns
    -------
    Recommendation
        The steps, the candidates and, for at most :data:`EXHAUSTIVE_LIMIT`
        candidates, the best any ``min(k, candidates)`` of them achieve.

    Notes
    -----
    Time: the ``link_ends`` table is linear in the programs of the pairs
    times their stakes; the candidates are the links between undominated
    nodes of each tambon (a few dozen), each scored with bit sets over the
    tambon's programs; each step pops the best candidate from a heap and
    scores again only the candidates sharing an end with it.
    """
    if k < 1:
        raise ArgumentError("k must be at least 1")
    found = [p for p in (area_pairs(backend, area, twin=twin) if pairs is None else pairs) if not p.coordinated]
    resolver = Resolver(found, pair_param_rows(backend, "link_ends", found, twin=twin))
    greedy = _Greedy(resolver)
    steps, remaining = [], resolver.total
    while len(steps) < k:
        link = greedy.pop()
        if link is None:
            break
        resolves = greedy.add(link)
        remaining -= resolves
        steps.append(Step(link, resolves, remaining))
    return Recommendation(area, k, resolver.total, tuple(steps), len(resolver.options),
                          resolver.optimum(k))
