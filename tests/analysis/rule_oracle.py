"""An independent brute-force reading of the overlaps rule (docs/analysis.md).

Written straight from the rule's wording over the Dataset's rows, without the
graph or any code of graphmodel.analysis, so tests can hold the real
implementations (Python twin, Cypher twin) against it.
"""

from __future__ import annotations

from graphmodel.model import Dataset


def brute_force(ds: Dataset) -> dict[tuple[str, str, str], bool]:
    """Map (tambon, program a, program b) with a < b to "coordinated?" for every parallel pair."""
    agency_ids = {a.id for a in ds.agencies}
    group_ids = {g.id for g in ds.groups}
    fund_agency = {f.id: f.agency for f in ds.funds}

    def agencies(p: str) -> set[str]:
        out = {fund_agency[x.fund] for x in ds.funding if x.program == p}
        out |= {x.implementer for x in ds.implementation if x.program == p and x.implementer in agency_ids}
        return out

    def groups(p: str) -> set[str]:
        return {x.implementer for x in ds.implementation if x.program == p and x.implementer in group_ids}

    def counts(link, t: str) -> bool:
        return link.tambon is None or link.tambon == t

    def linked(x: str, y: str, t: str) -> bool:
        return any(counts(c, t) and {c.a, c.b} == {x, y} for c in ds.coordination)

    nodes = {c.a for c in ds.coordination} | {c.b for c in ds.coordination}
    programs = {p.id: p for p in ds.programs}
    out = {}
    for t in sorted({x.tambon for x in ds.locations}):
        here = sorted({x.program for x in ds.locations if x.tambon == t})
        for i, a in enumerate(here):
            for b in here[i + 1:]:
                pa, pb = programs[a], programs[b]
                years_overlap = pa.start_year <= pb.end_year and pb.start_year <= pa.end_year
                if not (years_overlap and set(pa.themes) & set(pb.themes)):
                    continue
                if agencies(a) & agencies(b):
                    continue
                stake_a = {a} | agencies(a) | groups(a)
                stake_b = {b} | agencies(b) | groups(b)
                clause_a = bool(groups(a) & groups(b))
                clause_b = any(linked(x, y, t) for x in stake_a for y in stake_b)
                clause_c = any(
                    any(linked(z, x, t) for x in stake_a) and any(linked(z, y, t) for y in stake_b)
                    for z in nodes
                )
                out[(t, a, b)] = clause_a or clause_b or clause_c
    return out
