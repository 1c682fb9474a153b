"""Pilots and the normal system: ``graphmodel pilots`` and the ``pilots_without_normal_partner`` query.

The seed's complaint: special agencies' and the governor's (CEO) pilots
that local government and the line agencies never take up, so they end with
their special budget. One set of definitions (docs/analysis.md works them
through on the seed), and three analyses, each with its Cypher twin in
``cypher/pilots.cypher``:

- A **pilot** is a program with ``pilot = true``, or one funded only
  through ``special`` or ``ceo`` channels (it has funding links, and every
  fund funding it has one of those two channels).
- The **normal system**: agencies of kind ``local_government`` or
  ``line_agency`` (normal actors); in tambon T, the **normal programs** are
  the programs located in T that are not pilots and have a normal actor
  among their agencies (:func:`~.facts.program_agencies`) or a fund of
  channel ``normal`` funding them (:func:`tambon_pilots`); the **normal
  agencies of T** are the normal actors among the agencies of the programs
  located in T, and the agencies of its normal programs (:func:`normal_agencies`).

The analyses:

- ``pilots`` — each pilot and tambon where it has no coordination *path*
  to the normal system. The **coordination network of T** joins a program
  located in T to the funds funding it and the agencies and groups
  implementing it, a fund to the agency managing it, and the two ends of
  every coordination link that counts in T (no tambon, or tambon T).
  Programs located elsewhere are not in it (``PART_OF`` is not
  coordination, as in the rule). A pilot located in T **reaches the normal
  system in T** when that network has a path, of any length, from it to a
  normal actor or to a normal program of T.
- ``pilots_without_normal_partner`` — each pilot and tambon where it has no
  normal *partner*, one step away: a normal agency N of T that (1) is one
  of the pilot's agencies, (2) runs a normal program of T that a group
  implementing the pilot also implements, or (3) is joined to the pilot's
  stake (the pilot, its agencies, its groups) by a coordination link
  counting in T, directly or through one node linked to both
  (:func:`has_normal_partner`). A partner is a path, so every pilot
  ``pilots`` lists is listed here too; this one also lists the pilots that
  reach the normal system only through a longer chain (tested on random
  graphs).
- ``pilot_gaps`` — per theme, the tambons where a pilot on that theme runs
  and no normal program on that theme is located.

Examples
--------
>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> import pathlib
>>> b = EmbeddedBackend(read_dataset(pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"))
>>> [(r["tambon"], r["program"]) for r in pilots(b) if r["tambon"] in ("801208", "802103")]
[('801208', 'thaihealth_healthy_tambon'), ('801208', 'trf_local_research'), ('802103', 'codi_life_plan')]
>>> [(r["program"], r["normal_agencies"]) for r in pilots_without_normal_partner(b, tambon="802103")]
[('codi_life_plan', ['dopa'])]
>>> [(r["theme"], r["tambon"], r["pilots"]) for r in pilot_gaps(b, tambon="802103")]
[('community_planning', '802103', ['codi_life_plan', 'dopa_poverty_survey']), ('poverty_data', '802103', ['codi_life_plan', 'dopa_poverty_survey'])]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator

from ..backends.base import Backend
from ..geo import Area
from .facts import Facts
from .linkindex import cached
from .registry import register

__all__ = ["NORMAL_KINDS", "PILOT_CHANNELS", "pilots", "pilot_gaps", "pilots_without_normal_partner",
           "TambonPilots", "tambon_pilots", "normal_agencies", "has_normal_partner"]

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
    located = facts.tambon_programs[tambon]
    for pid in located:
        p = facts.programs[pid]
        for x in (*p.agencies, *p.groups):  # funds join their managers, who are agencies of p
            net.union(pid, x)
        net.find(pid)
    programs, here = facts.programs, set(located)
    for adjacency in facts.links.counting(tambon):
        for a, ends in adjacency.items():
            if a in programs and a not in here:  # a program located elsewhere is not in the network
                continue
            for b in ends:
                if b not in programs or b in here:
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
    area = Area.within(tambon=tambon, district=district, province=province)
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
    area = Area.within(tambon=tambon, district=district, province=province)
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


def normal_agencies(facts: Facts, tambon: str, normal: Iterable[str]) -> list[str]:
    """The normal agencies of ``tambon``, whose normal programs are ``normal``: the normal actors
    among the agencies of its programs, and the agencies of its normal programs; sorted ids."""
    entities, programs = facts.entities, facts.programs
    actors = {a for q in facts.tambon_programs[tambon] for a in programs[q].agencies
              if entities[a].kind in NORMAL_KINDS}
    return sorted(actors.union(*(programs[q].agencies for q in normal)))


def has_normal_partner(facts: Facts, program: str, tambon: str, normal: Iterable[str],
                       agencies: Iterable[str]) -> bool:
    """Whether pilot ``program`` has a normal partner in ``tambon`` (module docstring), given the
    tambon's normal programs ``normal`` and normal agencies ``agencies``."""
    p = facts.programs[program]
    partners = set(agencies)
    if not partners.isdisjoint(p.agencies):  # (1)
        return True
    normal = set(normal)
    if any(q in normal for g in p.groups for q in facts.group_programs.get(g, ())):  # (2)
        return True
    linked = facts.links.near_all(facts.stake(program), tambon)  # (3)
    return any(n in linked or not facts.links.near(n, tambon).isdisjoint(linked) for n in partners)


@register("pilots_without_normal_partner", ("tambon", "tambon_name", "program", "program_name",
                                            "agencies", "normal_agencies"))
def pilots_without_normal_partner(backend: Backend, *, tambon=None, district=None,
                                  province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``pilots_without_normal_partner`` query: each pilot and tambon where it has no
    normal partner (module docstring).

    By tambon, then program: ``tambon``, ``tambon_name``, ``program``,
    ``program_name`` (names: the id when there is none), ``agencies`` (the
    pilot's, sorted ids), ``normal_agencies`` (of the tambon, sorted ids:
    empty when no normal program is located there, so nobody there could
    take the pilot up). Filters: one tambon, district or province code.

    Complexity: per tambon with a pilot, linear in its normal programs'
    agencies, the pilot's groups' programs and the coordination
    neighbourhoods of its normal agencies.
    """
    facts = Facts.of(backend)
    area = Area.within(tambon=tambon, district=district, province=province)
    for tp in tambon_pilots(backend, area):
        if not tp.pilots:
            continue
        agencies = normal_agencies(facts, tp.tambon, tp.normal)
        place = facts.tambons.get(tp.tambon)
        for pid in tp.pilots:
            if has_normal_partner(facts, pid, tp.tambon, tp.normal, agencies):
                continue
            yield {"tambon": tp.tambon, "tambon_name": place.name if place else tp.tambon, "program": pid,
                   "program_name": facts.entities[pid].name, "agencies": list(facts.programs[pid].agencies),
                   "normal_agencies": agencies}
