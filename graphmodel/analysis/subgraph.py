"""The subgraph a question about one area or agency needs (``area_graph``, ``agency_graph``).

The Python twins of the named queries of ``cypher/subgraph.cypher``, which the
Neo4j backend opened for an area answers from
(:class:`~graphmodel.neo4j.backend.Neo4jBackend`). The subgraph is the one
``docs/dataset.md`` ("What a scoped command reads and checks") defines and
the folder's reader picks (:mod:`graphmodel.dataset.area`); here it is
worked out from any backend's nodes and relationships, so tests hold three
readings of one definition equal: the reader's, the Cypher twin's and this.

For a tambon, district or province: the programs located in its tambons,
with those locations; the coordination links counting there (no tambon, or
one of the area), whatever their ends; the funding and implementation of
the programs and of the programs at those links' ends; the links limited to
a tambon outside the area that touch the stake of a program of the area;
the groups based in the area. For an agency: its funds, the programs it
funds or implements with all their locations, funding and implementation,
the links touching it or those programs' stakes and those between two of
its partners, and the funding and implementation of the programs at their
ends. Then, for both, every node those name, each fund's managing agency,
the agencies above every agency, and the areas of every tambon named.

Examples
--------
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> found = list(area_graph(EmbeddedBackend(read_dataset("seed/nst-2006")), tambon="802103"))
>>> len(found), found[0]["start"], found[-1]["type"]  # 12 nodes (2 programs), then 13 relationships
(25, 'codi', 'MANAGES')
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator

from ..backends.base import Backend, RelRow
from ..geo import Area
from ..model import NodeLabel, RelType
from .registry import order_key, register

__all__ = ["area_graph", "agency_graph"]

COLUMNS = ("type", "start_label", "start", "end_label", "end", "props")
Key = tuple[str, str]


class _Graph:
    """A backend's nodes and relationships, indexed by type and by end."""

    def __init__(self, backend: Backend):
        self.nodes: dict[Key, dict[str, Any]] = {(label.value, row.id): row.props for label in NodeLabel
                                                 for row in backend.nodes(label.value)}
        self.rels: dict[str, list[RelRow]] = {t.value: list(backend.relationships(t.value)) for t in RelType}
        self.into: dict[tuple[str, Key], list[RelRow]] = defaultdict(list)
        self.out: dict[tuple[str, Key], list[RelRow]] = defaultdict(list)
        for rtype, rels in self.rels.items():
            for r in rels:
                self.out[rtype, (r.start_label, r.start)].append(r)
                self.into[rtype, (r.end_label, r.end)].append(r)

    def links_of(self, key: Key) -> list[RelRow]:
        return self.out["COORDINATES_WITH", key] + self.into["COORDINATES_WITH", key]


def _ends(rel: RelRow) -> tuple[Key, Key]:
    return (rel.start_label, rel.start), (rel.end_label, rel.end)


def _stake(g: _Graph, programs: Iterable[Key]) -> set[Key]:
    """The programs, the agencies managing a fund funding one, and their implementers."""
    out: set[Key] = set()
    for p in programs:
        out.add(p)
        for funds in g.into["FUNDS", p]:
            out.update(_ends(m)[0] for m in g.into["MANAGES", _ends(funds)[0]])
        out.update(_ends(i)[0] for i in g.into["IMPLEMENTS", p])
    return out


def _funding_and_implementation(g: _Graph, programs: set[Key], links: list[RelRow]) -> tuple[list, list]:
    wanted = programs | {k for r in links for k in _ends(r) if k[0] == "Program"}
    return ([r for p in wanted for r in g.into["FUNDS", p]], [r for p in wanted for r in g.into["IMPLEMENTS", p]])


def _rows(g: _Graph, located: list[RelRow], funding: list[RelRow], implementation: list[RelRow],
          links: list[RelRow], extra: set[Key]) -> Iterator[dict[str, Any]]:
    """The subgraph's rows (the fragment area_graph_rows): every node named, the agencies
    managing its funds and above its agencies, its groups' and links' tambons and their areas."""
    named = set(extra) | {k for r in located + funding + implementation + links for k in _ends(r)}
    manages = [m for f in named if f[0] == "Fund" for m in g.into["MANAGES", f]]
    agencies, todo = set(), [k for k in named if k[0] == "Agency"] + [_ends(m)[0] for m in manages]
    while todo:
        a = todo.pop()
        if a not in agencies:
            agencies.add(a)
            todo += [_ends(r)[1] for r in g.out["PART_OF", a]]
    parts = [r for a in agencies for r in g.out["PART_OF", a]]
    based = [r for k in named if k[0] == "Group" for r in g.out["BASED_IN", k]]
    tambons = ({k for k in named if k[0] == "Tambon"} | {_ends(r)[1] for r in based}
               | {("Tambon", r.props["tambon"]) for r in links
                  if r.props.get("tambon") is not None and ("Tambon", r.props["tambon"]) in g.nodes})
    in_districts = [r for t in tambons for r in g.out["IN_DISTRICT", t]]
    districts = {_ends(r)[1] for r in in_districts}
    in_provinces = [r for d in districts for r in g.out["IN_PROVINCE", d]]
    nodes = ({k for k in named if k[0] not in ("Agency", "Tambon")} | agencies | tambons | districts
             | {_ends(r)[1] for r in in_provinces})
    typed = {id(r): (rtype, r) for rtype, rels in (
        ("LOCATED_IN", located), ("FUNDS", funding), ("IMPLEMENTS", implementation), ("COORDINATES_WITH", links),
        ("MANAGES", manages), ("PART_OF", parts), ("BASED_IN", based), ("IN_DISTRICT", in_districts),
        ("IN_PROVINCE", in_provinces)) for r in rels}
    out = [{"type": label, "start_label": label, "start": id_, "end_label": None, "end": None,
            "props": sorted([[k, v] for k, v in g.nodes[label, id_].items()] + [["id", id_]])}
           for label, id_ in nodes]
    out += [{"type": rtype, "start_label": r.start_label, "start": r.start, "end_label": r.end_label,
             "end": r.end, "props": [[k, v] for k, v in sorted(r.props.items())]} for rtype, r in typed.values()]
    yield from sorted(out, key=lambda row: order_key(
        row["end"] is not None, row["type"], row["start"], row["end_label"], row["end"], _key(row)))


def _key(row: dict[str, Any]) -> str | None:
    """A relationship's fiscal year or tambon as text, as the query orders by it."""
    props = dict(row["props"])
    value = props.get("fiscal_year", props.get("tambon"))
    return None if value is None or row["end"] is None else str(value)


@register("area_graph", COLUMNS)
def area_graph(backend: Backend, *, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """The rows of the ``area_graph`` query: a tambon's, district's or province's subgraph."""
    area = Area.within(tambon=tambon, district=district, province=province)
    g = _Graph(backend)
    here = {k for k in g.nodes if k[0] == "Tambon" and not area.empty and area.contains(k[1])}
    located = [r for t in here for r in g.into["LOCATED_IN", t]]
    programs = {_ends(r)[0] for r in located}
    groups = {_ends(r)[0] for t in here for r in g.into["BASED_IN", t]}
    links = g.rels["COORDINATES_WITH"]
    counting = [r for r in links if r.props.get("tambon") is None or (not area.empty and area.contains(r.props["tambon"]))]
    stake = _stake(g, programs)
    elsewhere = [r for r in links if r.props.get("tambon") is not None
                 and (area.empty or not area.contains(r.props["tambon"])) and set(_ends(r)) & stake]
    funding, implementation = _funding_and_implementation(g, programs, counting)
    return _rows(g, located, funding, implementation, counting + elsewhere, groups)


@register("agency_graph", COLUMNS)
def agency_graph(backend: Backend, *, agency) -> Iterator[dict[str, Any]]:
    """The rows of the ``agency_graph`` query: one agency's subgraph (none for an unknown agency)."""
    g = _Graph(backend)
    me = ("Agency", agency)
    if me not in g.nodes:
        return iter(())
    own = {_ends(r)[1] for r in g.out["MANAGES", me]}
    programs = ({_ends(r)[1] for f in own for r in g.out["FUNDS", f]}
                | {_ends(r)[1] for r in g.out["IMPLEMENTS", me]})
    located = [r for p in programs for r in g.out["LOCATED_IN", p]]
    touched = _stake(g, programs) | {me}
    partners = {k for r in g.links_of(me) for k in _ends(r)} - {me}
    links = list({id(r): r for r in g.rels["COORDINATES_WITH"]
                  if set(_ends(r)) & touched or set(_ends(r)) <= partners}.values())
    funding, implementation = _funding_and_implementation(g, programs, links)
    return _rows(g, located, funding, implementation, links, own | {me})
