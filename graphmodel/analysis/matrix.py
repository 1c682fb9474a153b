"""The agency matrix, and the agencies working in each place: what overviews of an area read.

**The agency matrix** (:func:`agency_matrix`, the ``agency_matrix`` analysis):
which pairs of agencies most often run parallel programs in one tambon with
no coordinating link. Every *uncoordinated* parallel pair of the overlaps
rule (:func:`~.overlaps.parallel_pairs`) puts each agency ``x`` of one
program (:func:`~.facts.program_agencies`) against each agency ``y`` of the
other: one count in cell ``(min(x, y), max(x, y))``. The rule makes the two
programs' agencies disjoint, so ``x`` is never ``y`` and a pair counts once
in each of its cells: sides ``{x}`` and ``{y, z}`` count in cells ``(x, y)``
and ``(x, z)``. A side without an agency counts in no cell. A pair parallel
in two tambons counts in each (as in the rule); ``tambons`` is the number of
distinct tambons of a cell's pairs.

**Agencies per place** (:func:`place_agencies`, the ``place_agencies``
analysis): for each place (tambon, district or province) and each agency of
a program located there, how many of the place's programs it funds (through
a fund it manages) or implements. The aggregated views draw one edge per
row, as wide as that number.

Examples
--------
The seed's province 80: seven uncoordinated pairs in Hu Long and one in Kalo
(docs/analysis.md works them out):

>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> import pathlib
>>> b = EmbeddedBackend(read_dataset(pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"))
>>> cells = agency_matrix(b, province="80")
>>> [(c["agency_a"], c["agency_b"], c["uncoordinated"], c["tambons"]) for c in cells[:3]]
[('codi', 'dopa', 2, 2), ('codi', 'nst_governor', 2, 2), ('codi', 'yamna', 2, 2)]
>>> len(cells), sum(c["uncoordinated"] for c in cells)
(11, 14)
>>> [r for r in rows(b, "place_agencies", {"by": "tambon", "tambon": "802103"})]
[{'place': '802103', 'agency': 'codi', 'programs': 1}, {'place': '802103', 'agency': 'dopa', 'programs': 1}, {'place': '802103', 'agency': 'nst_governor', 'programs': 1}, {'place': '802103', 'agency': 'yamna', 'programs': 1}]

Notes
-----
One pass over the area's pairs, in tambon order; memory: the cells (two
agency ids and two numbers each), never the pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..backends.base import Backend
from ..geo import Area
from .facts import Facts
from .index import _level
from .overlaps import parallel_pairs
from .registry import order_key, register, rows

__all__ = ["MATRIX_COLUMNS", "agency_matrix", "place_agencies"]

#: The columns of the ``agency_matrix`` analysis.
MATRIX_COLUMNS = ("agency_a", "agency_b", "uncoordinated", "tambons")


@register("agency_matrix", MATRIX_COLUMNS)
def _matrix_rows(backend: Backend, *, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """The Python twin of the ``agency_matrix`` query (module docstring)."""
    facts = Facts.of(backend)
    programs = facts.programs
    area = Area.within(tambon=tambon, district=district, province=province)
    cells: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, None])  # pairs, tambons, last tambon
    for p in parallel_pairs(backend, area):
        if p.coordinated:
            continue
        for x in programs[p.a].agencies:
            for y in programs[p.b].agencies:
                cell = cells[(x, y) if x < y else (y, x)]
                cell[0] += 1
                if cell[2] != p.tambon:  # pairs come in tambon order
                    cell[1] += 1
                    cell[2] = p.tambon
    for (a, b), (n, tambons, _) in sorted(cells.items(), key=lambda c: order_key(-c[1][0], *c[0])):
        yield {"agency_a": a, "agency_b": b, "uncoordinated": n, "tambons": tambons}


def agency_matrix(backend: Backend, *, tambon: str | None = None, district: str | None = None,
                  province: str | None = None, twin: str = "auto") -> list[dict[str, Any]]:
    """The agency matrix of an area: one row per pair of agencies with an uncoordinated pair.

    Parameters
    ----------
    backend : Backend
        Any backend.
    tambon, district, province : str, optional
        Only tambons whose code starts with each one given (none: the whole graph).
    twin : {"auto", "python", "cypher"}
        Which twin answers (``auto``: Cypher on Neo4j).

    Returns
    -------
    list of dict
        ``agency_a`` < ``agency_b`` (ids), ``uncoordinated`` (pairs), ``tambons``;
        most uncoordinated first, then by the two ids.

    Raises
    ------
    QueryError
        An unknown twin, or ``twin="cypher"`` without a Neo4j server.
    """
    return list(rows(backend, "agency_matrix",
                     {"tambon": tambon, "district": district, "province": province}, twin=twin))


@register("place_agencies", ("place", "agency", "programs"))
def place_agencies(backend: Backend, *, by, tambon=None, district=None, province=None) -> Iterator[dict[str, Any]]:
    """Rows of the ``place_agencies`` query: per place at level ``by`` and agency, its programs there."""
    digits = _level(by)
    facts = Facts.of(backend)
    area = Area.within(tambon=tambon, district=district, province=province)
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, ids in facts.tambon_programs.items():
        if area.contains(code):
            for pid in ids:
                for agency in facts.programs[pid].agencies:
                    counts[(code[:digits], agency)].add(pid)
    for place, agency in sorted(counts):
        yield {"place": place, "agency": agency, "programs": len(counts[(place, agency)])}
