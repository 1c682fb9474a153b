"""The coordination index and the brokers: ``graphmodel index``.

**The index**, per tambon, district or province (:func:`coordination_index`):

- ``tambons``: tambons of the area where a program is located;
- ``programs``: distinct programs located in the area;
- ``agencies_per_tambon``: the distinct agencies (:func:`~.facts.program_agencies`)
  of the programs located in each tambon, averaged over those tambons;
- ``pairs`` and ``uncoordinated``: parallel pairs and uncoordinated ones (a
  pair counts once per tambon it shares, as in the rule);
- ``share_coordinated``: coordinated pairs / pairs (None without pairs);
- ``money_thb``: the known budgets (:func:`~.facts.program_budget`) of the
  distinct programs in at least one uncoordinated pair of the area, added up
  (a program's budget is for the whole program, so a program working in two
  districts counts fully in both); ``money_unknown``: how many of those
  programs have a funding link without an amount, or no funding link at all.

The counts per area come from the ``area_profile`` analysis, the pairs from
``overlaps``, the budgets from ``program_sides`` (each with its Cypher twin).

**Brokers** (:func:`brokers`): for every coordinated pair, the
``pair_brokers`` analysis names who coordinates it: for clause (b), both
ends of each counting link that joins the two stakes; for clause (c), each
coordinator linked to both. An actor's score is the number of pairs it
coordinates that way (each pair once); a shared group (clause a) is no
link and is not counted.

**Best placed** (:func:`betweenness`): betweenness centrality in the
**broker network** of the area (the ``broker_network`` analysis): its
nodes are the agencies and groups in the stake of a program located in the
area, and the programs located there with two or more of them (the
programs that join them); each such program is joined to its agencies and
groups, and each coordination link counting in the area (no tambon, or a
tambon of the area) joins its ends, a fund standing for the agency managing
it and a program for its agencies and groups. A node outside that set
joins the network only when its links reach two of its nodes (the
provincial planning office linked to the governor and a line agency does;
another province's network linked only to DOPA does not). Scores are
unnormalised (the number of shortest paths between pairs of nodes through
the node, split between equal paths), computed by igraph (the C library;
networkx gives the same numbers about a hundred times slower, and the
tests check one against the other), or by the Graph Data Science library on
a Neo4j server that has it; only agencies and groups are ranked.

Examples
--------
>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> import pathlib
>>> seed = pathlib.Path(__file__).parents[2] / "seed" / "nst-2006-coordinated"
>>> b = EmbeddedBackend(read_dataset(seed))
>>> row = coordination_index(b, Area.of(tambon="801208"), by="tambon")[0]
>>> row.programs, row.pairs, row.uncoordinated, row.share_coordinated
(11, 8, 0, 1.0)
>>> [(x.id, x.pairs, x.as_coordinator) for x in brokers(b, Area.of(tambon="801208"))]
[('nst_planning', 8, 8)]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, NamedTuple

from ..backends.base import Backend, CypherBackend
from ..errors import QueryError
from .areas import AREA_KINDS, Area, area_pairs, pair_param_rows
from .facts import Facts
from .overlaps import PairRow
from .registry import register, rows

__all__ = ["IndexRow", "Broker", "Centrality", "coordination_index", "brokers", "betweenness",
           "area_profile", "pair_brokers", "broker_network", "BETWEENNESS_LIMIT", "ACTOR_LABELS"]

#: The most nodes of a broker network whose betweenness is computed (exact Brandes, O(nodes × edges)).
BETWEENNESS_LIMIT = 10_000
#: The labels ranked as actors.
ACTOR_LABELS = ("Agency", "Group")


def _level(by: str) -> int:
    if by not in AREA_KINDS:
        raise QueryError(f"by {by!r}: one of tambon, district, province")
    return AREA_KINDS[by]


# --- the index --------------------------------------------------------------------------------

@register("area_profile", ("area", "tambons", "programs", "agencies", "tambon_agencies"))
def area_profile(backend: Backend, *, by, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``area_profile`` query: per area at level ``by``, what is located there.

    By area code: ``area`` (the code), ``tambons`` (with a program),
    ``programs`` and ``agencies`` (distinct, located in the area),
    ``tambon_agencies`` (the distinct agencies of each tambon's programs,
    added up over its tambons). Filters: one tambon, district or province.
    """
    digits = _level(by)
    facts = Facts.of(backend)
    area = Area.within(tambon=tambon, district=district, province=province)
    grouped: dict[str, list[str]] = defaultdict(list)
    for code in facts.tambon_programs:
        if area.contains(code):
            grouped[code[:digits]].append(code)
    for key in sorted(grouped):
        programs: set[str] = set()
        agencies: set[str] = set()
        tambon_agencies = 0
        for code in grouped[key]:
            here = {a for p in facts.tambon_programs[code] for a in facts.programs[p].agencies}
            programs.update(facts.tambon_programs[code])
            agencies |= here
            tambon_agencies += len(here)
        yield {"area": key, "tambons": len(grouped[key]), "programs": len(programs),
               "agencies": len(agencies), "tambon_agencies": tambon_agencies}


class IndexRow(NamedTuple):
    """The coordination index of one area (see the module docstring)."""

    area: str
    tambons: int
    programs: int
    agencies: int
    agencies_per_tambon: float
    pairs: int
    uncoordinated: int
    money_thb: float
    money_programs: int
    money_unknown: int

    @property
    def share_coordinated(self) -> float | None:
        return None if not self.pairs else (self.pairs - self.uncoordinated) / self.pairs

    def to_json(self) -> dict[str, Any]:
        return {**self._asdict(), "share_coordinated": self.share_coordinated}


def coordination_index(backend: Backend, area: Area, *, by: str = "district", twin: str = "auto",
                       pairs: Iterable[PairRow] | None = None) -> list[IndexRow]:
    """One :class:`IndexRow` per area at level ``by`` inside ``area``, by code.

    ``pairs`` may be given when the caller already has the area's pairs (from
    :func:`~.areas.area_pairs`); otherwise they are read here.
    """
    digits = _level(by)
    found = list(area_pairs(backend, area, twin=twin) if pairs is None else pairs)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    in_pairs: dict[str, set[str]] = defaultdict(set)
    for p in found:
        c = counts[p.tambon[:digits]]
        c[0] += 1
        if not p.coordinated:
            c[1] += 1
            in_pairs[p.tambon[:digits]].update(p.ids)
    ids = sorted({i for s in in_pairs.values() for i in s})
    money: dict[str, tuple[float | None, int]] = {}
    for start in range(0, len(ids), 5_000):
        for row in rows(backend, "program_sides", {"programs": ids[start:start + 5_000]}, twin=twin):
            money[row["program"]["id"]] = (row["budget_thb"], row["unknown_amounts"])
    out = []
    for r in rows(backend, "area_profile", {"by": by, **area.params()}, twin=twin):
        key = r["area"]
        programs = in_pairs.get(key, set())
        known = sum(money[p][0] or 0.0 for p in programs)
        unknown = sum(1 for p in programs if money[p][0] is None or money[p][1])
        pairs_here, unc = counts.get(key, (0, 0))
        out.append(IndexRow(key, r["tambons"], r["programs"], r["agencies"],
                            r["tambon_agencies"] / r["tambons"], pairs_here, unc, float(known),
                            len(programs), unknown))
    return out


# --- brokers: who coordinates the coordinated pairs ----------------------------------------------

@register("pair_brokers", ("tambon", "program_a", "program_b", "link_ends", "coordinators"))
def pair_brokers(backend: Backend, *, pairs) -> Iterator[dict[str, Any]]:
    """Rows of the ``pair_brokers`` query: who coordinates each of ``pairs`` by a link.

    For each ``[tambon, program_a, program_b]`` whose tambon and programs
    exist, by tambon then ids: ``link_ends``, the members of either stake
    joined to the other stake by a link counting in the tambon (clause b),
    and ``coordinators``, the nodes with such links into both stakes (clause
    c), ids sorted.
    """
    facts = Facts.of(backend)
    from .linkindex import tambon_ids

    tambons, links = tambon_ids(facts), facts.links
    for t, a, b in sorted(tuple(p) for p in pairs):
        if t not in tambons or a not in facts.programs or b not in facts.programs:
            continue
        sa, sb = set(facts.stake(a)), set(facts.stake(b))
        ends = {x for x in sa if not links.near(x, t).isdisjoint(sb)}
        ends |= {y for y in sb if not links.near(y, t).isdisjoint(sa)}
        yield {"tambon": t, "program_a": a, "program_b": b, "link_ends": sorted(ends),
               "coordinators": sorted(links.near_all(sa, t) & links.near_all(sb, t))}


@dataclass(frozen=True)
class Broker:
    """An actor and the coordinated pairs its existing links account for."""

    id: str
    pairs: int
    #: Pairs where it ends a link that joins the two stakes (clause b).
    as_link_end: int
    #: Pairs where it is linked to both stakes (clause c).
    as_coordinator: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "pairs": self.pairs, "as_link_end": self.as_link_end,
                "as_coordinator": self.as_coordinator}


def brokers(backend: Backend, area: Area, *, twin: str = "auto",
            pairs: Iterable[PairRow] | None = None) -> list[Broker]:
    """The nodes whose links coordinate the area's coordinated pairs, most pairs first (ties by id)."""
    found = [p for p in (area_pairs(backend, area, twin=twin) if pairs is None else pairs)
             if set(p.coordinated_by) & {"direct_link", "shared_coordinator"}]
    ends: dict[str, set] = defaultdict(set)
    coordinators: dict[str, set] = defaultdict(set)
    for r in pair_param_rows(backend, "pair_brokers", found, twin=twin):
        key = (r["tambon"], r["program_a"], r["program_b"])
        for x in r["link_ends"]:
            ends[x].add(key)
        for x in r["coordinators"]:
            coordinators[x].add(key)
    out = [Broker(x, len(ends[x] | coordinators[x]), len(ends[x]), len(coordinators[x]))
           for x in ends.keys() | coordinators.keys()]
    return sorted(out, key=lambda b: (-b.pairs, b.id))


# --- best placed: betweenness in the broker network ------------------------------------------------

@register("broker_network", ("a", "a_label", "b", "b_label"))
def broker_network(backend: Backend, *, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``broker_network`` query: the edges of the area's broker network (module docstring).

    One row per edge, its ends ``a < b`` with their labels, by a then b.
    Filters: one tambon, district or province code (none: the whole graph).

    Complexity: linear in the area's programs and stakes, plus the
    coordination links.
    """
    facts = Facts.of(backend)
    area = Area.within(tambon=tambon, district=district, province=province)
    located = sorted({p for code, ids in facts.tambon_programs.items() if area.contains(code) for p in ids})

    def actors(pid: str) -> tuple[str, ...]:
        p = facts.programs[pid]
        return (*p.agencies, *p.groups)

    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for pid in located:
        members = actors(pid)
        nodes.update(members)
        if len(members) > 1:
            nodes.add(pid)
            edges.update((pid, x) for x in members)

    def stands_for(x: str) -> tuple[str, ...]:
        if x in facts.fund_agency:
            return (facts.fund_agency[x],)
        if x in facts.programs:
            return actors(x)
        return (x,)

    counting = [(a, b) for adjacency in facts.links.counting(area) for a, ends in adjacency.items() for b in ends]
    outside: dict[str, set[str]] = defaultdict(set)
    pending = []
    for a, b in counting:
        for x in stands_for(a):
            for y in stands_for(b):
                if x == y:
                    continue
                if x in nodes and y in nodes:
                    edges.add((x, y))
                elif x in nodes or y in nodes:
                    inside, other = (x, y) if x in nodes else (y, x)
                    outside[other].add(inside)
                    pending.append((other, inside))
    joined = {x for x, reached in outside.items() if len(reached) > 1}
    edges.update((x, y) for x, y in pending if x in joined)
    label = lambda x: facts.entities[x].label  # noqa: E731
    for x, y in sorted({(min(e), max(e)) for e in edges}):
        yield {"a": x, "a_label": label(x), "b": y, "b_label": label(y)}


class Centrality(NamedTuple):
    """Betweenness of the area's actors, and how it was computed."""

    #: ``igraph``, ``gds`` or ``skipped``.
    method: str
    #: What to tell the reader about how it was computed: why it was skipped, that GDS is
    #: not available on the server (or did the work); empty when computed here from a folder.
    note: str
    nodes: int
    #: ``(id, score)``, highest first (ties by id), agencies and groups only.
    scores: tuple[tuple[str, float], ...]


def _gds_available(backend: Backend) -> bool:
    """Whether the Neo4j server has ``gds.betweenness.stream`` (the ``gds_procedures`` query)."""
    return next(iter(backend.query_rows("gds_procedures", {})))["count"] > 0


def _betweenness(edges: list[dict[str, Any]]) -> dict[str, float]:
    """Unnormalised betweenness of each node of an undirected edge list, by igraph (Brandes, in C).

    Each unordered pair of nodes counts once, as networkx's
    ``betweenness_centrality(G, normalized=False)`` gives it (tests hold the
    two equal); networkx in pure Python takes about a hundred times longer
    on a province's network. Scores are rounded to 9 decimals, so ties do
    not depend on the last bits of a floating-point sum.
    """
    import igraph

    nodes = sorted({e[k] for e in edges for k in ("a", "b")})
    index = {x: i for i, x in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[e["a"]], index[e["b"]]) for e in edges])
    return {x: round(score, 9) for x, score in zip(nodes, graph.betweenness(directed=False))}


def betweenness(backend: Backend, area: Area, *, twin: str = "auto", top: int = 10,
                limit: int = BETWEENNESS_LIMIT) -> Centrality:
    """The ``top`` actors of the area's broker network by betweenness (module docstring).

    On a Neo4j server with the Graph Data Science library (``gds.*``
    procedures) the scores come from ``gds.betweenness.stream`` on the
    server; otherwise they are computed here (igraph) from the
    ``broker_network`` rows of the twin ``twin`` picks, and on a server the
    note says that GDS is not available. Networks of more than ``limit``
    nodes are skipped, with a note.
    """
    edges = list(rows(backend, "broker_network", area.params(), twin=twin))
    labels = {e[k]: e[k + "_label"] for e in edges for k in ("a", "b")}
    n = len(labels)
    on_server = isinstance(backend, CypherBackend) and twin != "python"
    if n > limit:
        return Centrality("skipped", f"the broker network of {area.label()} "
                                     f"has {n:,} nodes, more than {limit:,} (give --province or --district)",
                          n, ())
    if on_server and _gds_available(backend):  # a library query with no Python twin: asked directly
        found = {r["id"]: round(r["score"], 9) for r in backend.query_rows("broker_betweenness_gds",
                                                                           area.params())}
        method, note = "gds", "betweenness computed on the server by the Graph Data Science library"
    else:
        found = _betweenness(edges)
        method = "igraph"
        note = ("the Graph Data Science library is not available on this server: betweenness computed "
                "here with igraph from the network the server returned" if on_server else "")
    ranked = sorted(((x, s) for x, s in found.items() if labels.get(x) in ACTOR_LABELS),
                    key=lambda xs: (-xs[1], xs[0]))
    return Centrality(method, note, n, tuple(ranked[:top]))
