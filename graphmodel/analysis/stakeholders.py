"""Who is involved where: the Python twins of ``tambon_stakeholders``, ``agency_footprint``
and ``shared_groups`` (``cypher/stakeholders.cypher``).

Each reads :class:`~.facts.Facts` (built once per backend) and yields the
rows of its Cypher twin: the same columns in the same order, the same
values, in the Cypher's ``ORDER BY`` order (nulls last, :func:`~.registry.order_key`).
The agencies of a program are :func:`~.facts.program_agencies`, as
everywhere.

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> from graphmodel.model import (Dataset, Agency, Fund, Funding, Group, Implementation, Location,
...                               Program)
>>> b = EmbeddedBackend(with_areas(Dataset(
...     agencies=[Agency(id="codi", name="พอช.", kind="special_agency"),
...               Agency(id="tao", name="อบต.", kind="local_government")],
...     funds=[Fund(id="f", name="กองทุน", agency="codi", channel="special")],
...     programs=[Program(id="p", name="แผน", start_year=2006, end_year=2006)],
...     groups=[Group(id="g", name="กลุ่ม", kind="savings", tambon="801208")],
...     funding=[Funding(fund="f", program="p", amount_thb=100.0, fiscal_year=2006)],
...     implementation=[Implementation(implementer="g", program="p"),
...                     Implementation(implementer="tao", program="p", role="lead")],
...     locations=[Location(program="p", tambon="801208")])))
>>> [(r["program"], r["kind"], r["id"], r["role"], r["amount_thb"])
...  for r in tambon_stakeholders(b, tambon="801208")]  # doctest: +NORMALIZE_WHITESPACE
[('p', 'Agency', 'codi', 'manages fund f', None), ('p', 'Agency', 'tao', 'implements: lead', None),
 ('p', 'Fund', 'f', 'funds', 100.0), ('p', 'Group', 'g', 'implements', None),
 (None, 'Group', 'g', 'based here', None)]
>>> [(r["via"], r["fund"], r["program"], r["tambons"]) for r in agency_footprint(b, agency="codi")]
[('fund', 'f', 'p', ['801208'])]
>>> [(r["group_id"], r["tambon"], r["agencies"], r["programs"]) for r in shared_groups(b)]
[('g', '801208', ['codi', 'tao'], ['p'])]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..backends.base import Backend
from .facts import Facts
from ..geo import Area
from .registry import order_key, register

__all__ = ["tambon_stakeholders", "agency_footprint", "shared_groups"]


def _stakeholder(facts: Facts, program: str | None, id_: str, role: str,
                 amount_thb: float | None = None, fiscal_year: int | None = None) -> dict[str, Any]:
    e = facts.entities[id_]
    return {"program": program, "program_name": facts.entities[program].name if program else None,
            "kind": e.label, "id": id_, "name": e.name, "name_en": e.name_en, "role": role,
            "amount_thb": amount_thb, "fiscal_year": fiscal_year}


@register("tambon_stakeholders", ("program", "program_name", "kind", "id", "name", "name_en", "role",
                                  "amount_thb", "fiscal_year"))
def tambon_stakeholders(backend: Backend, *, tambon: str) -> Iterator[dict[str, Any]]:
    """Every program located in ``tambon`` with who implements, funds and manages its funds,
    then the groups based there.

    One row per implementing link (role ``implements`` or ``implements: ROLE``),
    per funding link (``funds``, with its amount and fiscal year), per
    (program, agency managing one of its funds) (``manages fund FUND``), and
    per group based in the tambon (``based here``, program null); ordered by
    program, kind, id, role and fiscal year, nulls last.
    """
    facts = Facts.of(backend)
    found = []
    for pid in facts.tambon_programs.get(tambon, ()):
        p = facts.programs[pid]
        for imp in p.implementers:
            role = "implements" if imp.role is None else f"implements: {imp.role}"
            found.append(_stakeholder(facts, pid, imp.id, role))
        for link in p.funding:
            found.append(_stakeholder(facts, pid, link.fund, "funds", link.amount_thb, link.fiscal_year))
        for fund in sorted({link.fund for link in p.funding}):
            agency = facts.fund_agency.get(fund)
            if agency is not None:
                found.append(_stakeholder(facts, pid, agency, f"manages fund {fund}"))
    for group in facts.tambon_groups.get(tambon, ()):
        found.append(_stakeholder(facts, None, group, "based here"))
    found.sort(key=lambda r: order_key(r["program"], r["kind"], r["id"], r["role"], r["fiscal_year"]))
    return iter(found)


@register("agency_footprint", ("agency", "via", "fund", "channel", "program", "program_name", "role",
                               "amount_thb", "fiscal_year", "tambons"))
def agency_footprint(backend: Backend, *, agency: str) -> Iterator[dict[str, Any]]:
    """The funds ``agency`` manages with what each funds, then the programs it implements.

    One row per funding link of each of its funds (``via`` = ``fund``; a fund
    that funds nothing gives one row with program null), and one per program
    it implements (``via`` = ``implements``, with the role); each with the
    program's tambons (sorted codes). Ordered by via, fund, program and
    fiscal year, nulls last. Agencies ``PART_OF`` it are not included.

    Notes
    -----
    Looks at every program's funding and implementing links once (O(links)).
    """
    facts = Facts.of(backend)
    e = facts.entities.get(agency)
    if e is None or e.label != "Agency":
        return iter(())
    funds = {fund for fund, manager in facts.fund_agency.items() if manager == agency}
    used: set[str] = set()
    found = []

    def row(via, fund, pid, role, amount, year) -> dict[str, Any]:
        return {"agency": agency, "via": via, "fund": fund,
                "channel": facts.entities[fund].kind if fund else None, "program": pid,
                "program_name": facts.entities[pid].name if pid else None, "role": role,
                "amount_thb": amount, "fiscal_year": year,
                "tambons": sorted(set(facts.programs[pid].tambons)) if pid else []}

    for pid, p in facts.programs.items():
        for link in p.funding:
            if link.fund in funds:
                used.add(link.fund)
                found.append(row("fund", link.fund, pid, None, link.amount_thb, link.fiscal_year))
        for imp in p.implementers:
            if imp.id == agency:
                found.append(row("implements", None, pid, imp.role, None, None))
    found += [row("fund", fund, None, None, None, None) for fund in funds - used]
    found.sort(key=lambda r: order_key(r["via"], r["fund"], r["program"], r["fiscal_year"]))
    return iter(found)


@register("shared_groups", ("group_id", "name", "name_en", "tambon", "agencies", "programs"))
def shared_groups(backend: Backend, *, province: str | None = None) -> Iterator[dict[str, Any]]:
    """Groups implementing programs of more than one agency (the local bridges between agencies).

    One row per group (and tambon it is based in) whose programs' agencies
    (:func:`~.facts.program_agencies`) number two or more: ``agencies`` and
    ``programs`` as sorted ids. ``province`` keeps groups based in that
    province (a group based nowhere is then left out). Ordered by tambon
    (null last), then group id.
    """
    facts = Facts.of(backend)
    area = Area.within(province=province)
    based: dict[str, list[str]] = defaultdict(list)
    for code, groups in facts.tambon_groups.items():
        for group in groups:
            based[group].append(code)
    found = []
    for gid, e in facts.entities.items():
        if e.label != "Group":
            continue
        programs = facts.group_programs.get(gid, ())
        agencies = sorted({a for pid in programs for a in facts.programs[pid].agencies})
        if len(agencies) < 2:
            continue
        for code in based.get(gid) or [None]:
            if province and (code is None or not area.contains(code)):
                continue
            found.append({"group_id": gid, "name": e.name, "name_en": e.name_en, "tambon": code,
                          "agencies": agencies, "programs": list(programs)})
    found.sort(key=lambda r: order_key(r["tambon"], r["group_id"]))
    return iter(found)
