"""Small dataset builders for rule tests: one line per fact."""

from __future__ import annotations

from graphmodel.geo import with_areas
from graphmodel.model import (
    Agency, Coordination, Dataset, Fund, Funding, Group, Implementation, Location, Program,
)

HU_LONG, KALO, OTHER = "801208", "802103", "800101"


def dataset(*, agencies=(), funds=(), programs=(), groups=(), funding=(), implementation=(),
            locations=(), coordination=()) -> Dataset:
    """Build a Dataset from tuples.

    agencies: id | (id, kind); funds: (id, agency); programs: (id, themes, start, end);
    groups: (id, tambon); funding: (fund, program); implementation: (implementer, program);
    locations: (program, tambon); coordination: (a, b) | (a, b, tambon).
    """
    return with_areas(Dataset(
        agencies=[Agency(id=a, name=a, kind="line_agency") if isinstance(a, str)
                  else Agency(id=a[0], name=a[0], kind=a[1]) for a in agencies],
        funds=[Fund(id=f, name=f, agency=a) for f, a in funds],
        programs=[Program(id=p, name=p, themes=tuple(sorted(set(t.split(";")))), start_year=s, end_year=e)
                  for p, t, s, e in programs],
        groups=[Group(id=g, name=g, kind="group", tambon=t) for g, t in groups],
        funding=[Funding(fund=f, program=p) for f, p in funding],
        implementation=[Implementation(implementer=i, program=p) for i, p in implementation],
        locations=[Location(program=p, tambon=t) for p, t in locations],
        coordination=[Coordination(a=c[0], b=c[1], tambon=c[2] if len(c) > 2 else None)
                      for c in coordination],
    ))
