"""Pilots and the normal system: ``graphmodel pilots``.

The seed's complaint: special agencies' and the governor's (CEO) pilots
that local government and the line agencies never take up, so they end with
their special budget. Two analyses, each with its Cypher twin in
``cypher/pilot_reach.cypher``:

- ``pilots`` — the pilot programs with no coordination path, in a tambon
  where they are located, to the normal system;
- ``pilot_gaps`` — per theme, the tambons where a pilot on that theme runs
  and no normal-system program on that theme is located.

Definitions (docs/analysis.md works them through on the seed):

- A **pilot** is a program with ``pilot = true``, or one funded only
  through ``special`` or ``ceo`` channels (it has funding links, and every
  fund funding it has one of those two channels).
- The **normal system**: agencies of kind ``local_government`` or
  ``line_agency`` (normal actors); in tambon T, the **normal programs** are
  the programs located in T that are not pilots and have a normal actor
  among their agencies (:func:`~.facts.program_agencies`) or a fund of
  channel ``normal`` funding them.
- The **coordination network of T** joins a program located in T to the
  funds funding it and the agencies and groups implementing it, a fund to
  the agency managing it, and the two ends of every coordination link that
  counts in T (no tambon, or tambon T). Programs located elsewhere are not
  in it (``PART_OF`` is not coordination, as in the rule).
- A pilot located in T **reaches the normal system in T** when that
  network has a path, of any length, from it to a normal actor or to a
  normal program of T. ``pilots`` lists each pilot and tambon without one.

How it relates to ``pilots_without_normal_partner`` (``cypher/funding.cypher``,
older): that query looks only at ``pilot = true``, calls normal agencies
those managing a ``normal`` fund that funds a program of T, and asks for a
*partner* one step away (the agency funds or runs the pilot, shares a group
with it, or is linked to its stake directly or through one node). ``pilots``
also counts programs funded only through special or CEO money as pilots,
counts local government and line agencies as normal whatever their funds,
and asks for any *path*: a pilot is left out as soon as a chain of shared
agencies, funds, groups and counting links reaches the normal system. So a
pilot listed by ``pilots`` has no partner either, when it is ``pilot = true``
and a normal agency of the older kind is the end of the chain.

Examples
--------
>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> import pathlib
>>> b = EmbeddedBackend(read_dataset(pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"))
>>> [(r["tambon"], r["program"]) for r in pilots(b) if r["tambon"] in ("801208", "802103")]
[('801208', 'thaihealth_healthy_tambon'), ('801208', 'trf_local_research'), ('802103', 'codi_life_plan')]
>>> [(r["theme"], r["tambon"], r["pilots"]) for r in pilot_gaps(b, tambon="802103")]
[('community_planning', '802103', ['codi_life_plan', 'dopa_poverty_survey']), ('poverty_data', '802103', ['codi_life_plan', 'dopa_poverty_survey'])]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..backends.base import Backend
from .areas import Area
from .facts import Facts
from .linkindex import cached
from .registry import register

__all__ = ["NORMAL_KINDS", "PILOT_CHANNELS", "pilots", "pilot_gaps", "TambonPilots", "tambon_pilots"]

#: Agency kinds of the normal system.
NORMAL_KINDS = ("local_government", "line_agency")
#: A program funded only through these channels is a pilot.
PILOT_CHANNELS = ("ceo", "special")


def _funding_channels(facts: Facts) -> dict[str, list[str | None]]:
    """Each program's funding links, as the channel of the fund (None when it has none).

    Read from the funding links the facts already hold: no second pass over
    the ``FUNDS`` relationships (four seconds of a national graph's million).
    """
    entities = facts.entities
    return {pid: [entities[f.fund].kind if f.fund in entities else None for f in p.funding]
            for pid, p in facts.programs.items() if p.funding}


class TambonPilots:
    """The pilots and the normal programs of one tambon (ids, sorted)."""

    __slots__ = ("tambon", "pilots", "normal")

    def __init__(self, tambon: str, pilots: list[str], normal: list[str]):
        self.tambon, self.pilots, self.normal = tambon, pilots, normal


def tambon_pilots(backend: Backend, area: Area = Area()) -> Iterator[TambonPilots]:
    """Per tambon of ``area`` with a program, in code order: its pilots and its normal programs."""
    facts = Facts.of(backend)
    channels = cached(facts, "funding_channels", _funding_channels)

    def is_pilot(pid: str) -> bool:
        funded = channels.get(pid, ())
        return facts.programs[pid].pilot is True or (
            bool(funded) and all(c in PILOT_CHANNELS for c in funded))

    def is_normal(pid: str) -> bool:
        return (any(facts.entities[a].kind in NORMAL_KINDS for a in facts.programs[pid].agencies)
                or "normal" in channels.get(pid, ()))

    for code in sorted(facts.tambon_programs):
        if not area.contains(code):
            continue
        ids = facts.tambon_programs[code]
        found = [p for p in ids if is_pilot(p)]
        pilot_set = set(found)
        yield TambonPilots(code, found, [p for p in ids if p not in pilot_set and is_normal(p)])


class _Components:
    """Union-find over node ids (path halving)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _network(facts: Facts, tambon: str) -> _Components:
    """The coordination network of ``tambon`` as components (see the module docstring)."""
    net = _Components()
    for pid in facts.tambon_programs[tambon]:
        p = facts.programs[pid]
        for x in (*p.agencies, *p.groups):  # funds join their managers, who are agencies of p
            net.union(pid, x)
        net.find(pid)
    for adjacency in facts.links.counting(tambon):
        for a, ends in adjacency.items():
            for b in ends:
                net.union(a, b)
    for x in list(net.parent):
        manager = facts.fund_agency.get(x)
        if manager is not None:  # a fund named by a link: joined to the agency managing it
            net.union(x, manager)
    return net


@register("pilots", ("tambon", "program", "pilot", "channels", "agencies", "normal_programs"))
def pilots(backend: Backend, *, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``pilots`` query: each pilot and tambon where it does not reach the normal system.

    By tambon, then program: ``tambon``, ``program``, ``pilot`` (the
    program's ``pilot`` property), ``channels`` (of the funds funding it,
    sorted), ``agencies`` (its agencies, sorted), ``normal_programs`` (how
    many normal programs the tambon has). Filters: one tambon, district or
    province code.

    Complexity: per tambon with a pilot, linear in its programs' stakes
    plus the coordination links counting there (union-find).
    """
    facts = Facts.of(backend)
    area = Area.of(tambon=tambon, district=district, province=province)
    for tp in tambon_pilots(backend, area):
        if not tp.pilots:
            continue
        net = _network(facts, tp.tambon)
        reached = {net.find(x) for x in net.parent
                   if (x in facts.entities and facts.entities[x].label == "Agency"
                       and facts.entities[x].kind in NORMAL_KINDS)}
        reached.update(net.find(q) for q in tp.normal)
        for pid in tp.pilots:
            if net.find(pid) not in reached:
                p = facts.programs[pid]
                yield {"tambon": tp.tambon, "program": pid, "pilot": p.pilot, "channels": list(p.channels),
                       "agencies": list(p.agencies), "normal_programs": len(tp.normal)}


@register("pilot_gaps", ("theme", "tambon", "pilots", "normal_programs"))
def pilot_gaps(backend: Backend, *, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``pilot_gaps`` query: per theme, the tambons where a pilot on it runs and no
    normal program on it is located.

    By theme, then tambon: ``theme``, ``tambon``, ``pilots`` (the pilots on
    the theme located there, sorted), ``normal_programs`` (how many normal
    programs the tambon has, on any theme: 0 means none at all).
    """
    facts = Facts.of(backend)
    area = Area.of(tambon=tambon, district=district, province=province)
    found: list[tuple[str, str, list[str], int]] = []
    for tp in tambon_pilots(backend, area):
        covered = {theme for q in tp.normal for theme in facts.programs[q].themes}
        by_theme: dict[str, list[str]] = defaultdict(list)
        for pid in tp.pilots:
            for theme in facts.programs[pid].themes:
                if theme not in covered:
                    by_theme[theme].append(pid)
        found += [(theme, tp.tambon, ids, len(tp.normal)) for theme, ids in by_theme.items()]
    for theme, code, ids, normal in sorted(found):
        yield {"theme": theme, "tambon": code, "pilots": ids, "normal_programs": normal}
