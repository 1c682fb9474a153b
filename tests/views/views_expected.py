"""What a view should draw, worked out from a Dataset's records (not from the view code).

The scope rule (docs in :mod:`graphmodel.views.scope`) written again over
the CSV records, so the tests hold the view code to an independent twin.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.analysis.described import ParallelPair
from graphmodel.model import Dataset


@dataclass(frozen=True)
class Expected:
    nodes: set[tuple[str, str]]
    relationships: int
    tambons: set[str]

    def missing_links(self, pairs: list[ParallelPair]) -> list[tuple[str, str]]:
        """Uncoordinated pairs in one of the view's tambons with both programs drawn."""
        return [p.ids for p in pairs if not p.coordinated and p.tambon.id in self.tambons
                and {("Program", p.a.program.id), ("Program", p.b.program.id)} <= self.nodes]


def _label_of(ds: Dataset) -> dict[str, str]:
    out = {a.id: "Agency" for a in ds.agencies}
    out |= {f.id: "Fund" for f in ds.funds}
    out |= {p.id: "Program" for p in ds.programs}
    return out | {g.id: "Group" for g in ds.groups}


def expected_view(ds: Dataset, kind: str, code: str) -> Expected:
    district_of = {t.code: t.district for t in ds.tambons}
    province_of = {d.code: d.province for d in ds.districts}
    if kind == "agency":
        funds = {f.id for f in ds.funds if f.agency == code}
        programs = ({x.program for x in ds.funding if x.fund in funds}
                    | {x.program for x in ds.implementation if x.implementer == code})
        tambons = {x.tambon for x in ds.locations if x.program in programs}
        partners = {x.implementer for x in ds.implementation if x.program in programs}
        partners |= {c.b for c in ds.coordination if c.a == code}
        partners |= {c.a for c in ds.coordination if c.b == code}
        entities = {code} | funds | programs | partners
        counts_in = None
    else:
        tambons = {t for t in district_of
                   if (kind == "tambon" and t == code) or (kind == "district" and district_of[t] == code)
                   or (kind == "province" and province_of[district_of[t]] == code)}
        programs = {x.program for x in ds.locations if x.tambon in tambons}
        funds = {x.fund for x in ds.funding if x.program in programs}
        agencies = {f.agency for f in ds.funds if f.id in funds}
        implementers = {x.implementer for x in ds.implementation if x.program in programs}
        based = {g.id for g in ds.groups if g.tambon in tambons}
        entities = programs | funds | agencies | implementers | based
        counts_in = tambons
        links = [c for c in ds.coordination if c.tambon is None or c.tambon in tambons]
        entities |= {c.b for c in links if c.a in entities} | {c.a for c in links if c.b in entities}

    label = _label_of(ds)
    districts = {district_of[t] for t in tambons}
    if kind == "district":
        districts.add(code)
    provinces = {province_of[d] for d in districts}
    nodes = ({(label[e], e) for e in entities} | {("Tambon", t) for t in tambons}
             | {("District", d) for d in districts} | {("Province", p) for p in provinces})
    ids = {i for _, i in nodes if _ in ("Agency", "Fund", "Program", "Group")}

    def both(a: str, b: str) -> bool:
        return a in ids and b in ids

    rels = len(tambons) + len(districts)  # IN_DISTRICT, IN_PROVINCE
    rels += sum(1 for a in ds.agencies if a.parent and both(a.id, a.parent))
    rels += sum(1 for f in ds.funds if both(f.agency, f.id))
    rels += sum(1 for g in ds.groups if g.id in ids and g.tambon in tambons)
    rels += sum(1 for x in ds.funding if both(x.fund, x.program))
    rels += sum(1 for x in ds.implementation if both(x.implementer, x.program))
    rels += sum(1 for x in ds.locations if x.program in ids and x.tambon in tambons)
    rels += sum(1 for c in ds.coordination if both(c.a, c.b)
                and (counts_in is None or c.tambon is None or c.tambon in counts_in))
    return Expected(nodes, rels, tambons)
