"""Pilots the normal system does not take up: the Python twin of
``pilots_without_normal_partner`` (in ``cypher/funding.cypher``).

The seed's complaint: special-agency and CEO-budget pilots end with their
special budget because no agency of the normal system (local government,
line agencies: the funds of channel ``normal``) works with them in their
tambon. This module holds that query's definitions, once in Python; the
Cypher twin states the same ones in its header and tests hold the two
equal (tests/analysis/test_named_queries.py).

Definitions, for a program P located in tambon T:

- the **normal agencies of T** (:func:`normal_agencies`): the agencies
  managing a fund of channel ``normal`` that funds a program located in T;
- a **normal partner of P in T** (:func:`has_normal_partner`): a normal
  agency N of T that

  1. funds P through a fund it manages, or implements P (N is one of
     :func:`~.facts.program_agencies` of P); or
  2. shares a group with P: a group implementing P also implements a
     program located in T that a normal fund of N funds; or
  3. is joined to P, to an agency of P or to a group implementing P (the
     stake of P) by a coordination link counting in T
     (:func:`~.facts.link_counts_in`), directly or through one node linked
     to both.

Listed: every P with ``pilot`` true located in T that has no normal partner
in T, with P's agencies and the normal agencies of T (empty when no normal
program is known in T: then nobody in T could take the pilot up).

Examples
--------
A CODI pilot and a normal TAO program in Hu Long, then a province-wide link
between CODI and the TAO:

>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> from graphmodel.model import (Dataset, Agency, Coordination, Fund, Funding, Implementation,
...                               Location, Program)
>>> ds = with_areas(Dataset(
...     agencies=[Agency(id="codi", name="พอช.", kind="special_agency"),
...               Agency(id="tao", name="อบต.", kind="local_government")],
...     funds=[Fund(id="f_tao", name="งบ อบต.", agency="tao", channel="normal")],
...     programs=[Program(id="pilot", name="นำร่อง", start_year=2006, end_year=2006, pilot=True),
...               Program(id="road", name="ถนน", start_year=2006, end_year=2006)],
...     funding=[Funding(fund="f_tao", program="road")],
...     implementation=[Implementation(implementer="codi", program="pilot")],
...     locations=[Location(program="pilot", tambon="801208"), Location(program="road", tambon="801208")]))
>>> [(r["tambon"], r["program"], r["agencies"], r["normal_agencies"])
...  for r in pilots_without_normal_partner(EmbeddedBackend(ds))]
[('801208', 'pilot', ['codi'], ['tao'])]
>>> linked = ds.model_copy(update={"coordination": [Coordination(a="codi", b="tao")]})
>>> list(pilots_without_normal_partner(EmbeddedBackend(linked)))
[]

Complexity: one pass over the funding links and one over the pilots'
tambons; per pilot, time linear in its stake, its groups' programs and the
coordination neighbourhoods of the normal agencies of its tambon.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ..backends.base import Backend
from .facts import Facts
from ..geo import Area
from .registry import register

__all__ = ["NORMAL_CHANNEL", "normal_funders", "normal_agencies", "has_normal_partner",
           "pilots_without_normal_partner"]

#: The budget channel of the normal system (line agencies and local government).
NORMAL_CHANNEL = "normal"


def normal_funders(facts: Facts) -> dict[str, frozenset[str]]:
    """For each program funded through the normal channel, the agencies managing those funds."""
    out: dict[str, frozenset[str]] = {}
    for pid, p in facts.programs.items():
        agencies = {facts.fund_agency[link.fund] for link in p.funding
                    if facts.entities[link.fund].kind == NORMAL_CHANNEL and link.fund in facts.fund_agency}
        if agencies:
            out[pid] = frozenset(agencies)
    return out


def normal_agencies(programs: Iterable[str], funders: Mapping[str, frozenset[str]]) -> list[str]:
    """The normal agencies of a tambon whose located programs are ``programs``, sorted.

    >>> normal_agencies(["a", "b", "c"], {"a": frozenset({"tao"}), "c": frozenset({"doae", "tao"})})
    ['doae', 'tao']
    """
    return sorted({n for pid in programs for n in funders.get(pid, ())})


def has_normal_partner(facts: Facts, program: str, tambon: str, normal: Iterable[str],
                       located: set[str], funders: Mapping[str, frozenset[str]]) -> bool:
    """Whether one of the ``normal`` agencies of ``tambon`` is a normal partner of ``program`` there.

    ``located`` is the set of programs located in ``tambon``; ``funders``
    is :func:`normal_funders`.
    """
    p = facts.programs[program]
    partners = set(p.agencies)  # (1)
    for group in p.groups:  # (2)
        for other in facts.group_programs.get(group, ()):
            if other in located:
                partners |= funders.get(other, frozenset())
    linked = facts.links.near_all(facts.stake(program), tambon)  # (3)
    return any(n in partners or n in linked or not facts.links.near(n, tambon).isdisjoint(linked)
               for n in normal)


@register("pilots_without_normal_partner", ("tambon", "tambon_name", "program", "program_name",
                                            "agencies", "normal_agencies"))
def pilots_without_normal_partner(backend: Backend, *, tambon: str | None = None,
                                  province: str | None = None) -> Iterator[dict[str, Any]]:
    """Every pilot with no normal partner in a tambon it is located in (see the module docstring).

    Rows: ``tambon``, ``tambon_name``, ``program``, ``program_name``,
    ``agencies`` (the pilot's, sorted ids), ``normal_agencies`` (of the
    tambon, sorted ids), ordered by tambon then program. ``tambon`` keeps
    one tambon code, ``province`` a 2-digit province code.
    """
    facts = Facts.of(backend)
    funders = normal_funders(facts)
    where = Area.of(tambon=tambon, province=province)
    for code in sorted(facts.tambon_programs):
        if not where.contains(code):
            continue
        ids = facts.tambon_programs[code]
        pilots = sorted({pid for pid in ids if facts.programs[pid].pilot is True})
        if not pilots:
            continue
        located = set(ids)
        normal = normal_agencies(ids, funders)
        area = facts.tambons.get(code)
        for pid in pilots:
            if has_normal_partner(facts, pid, code, normal, located, funders):
                continue
            yield {"tambon": code, "tambon_name": area.name if area else code, "program": pid,
                   "program_name": facts.entities[pid].name, "agencies": list(facts.programs[pid].agencies),
                   "normal_agencies": list(normal)}
