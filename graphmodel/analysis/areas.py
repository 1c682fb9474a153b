"""Where an analysis looks: one tambon, district or province, or the whole graph.

The analyses of issue 10 (ranking, recommending, pilots, the coordination
index) all start from the parallel pairs of an area. :class:`Area` names the
area, :func:`area_pairs` gives its pairs from the ``overlaps`` analysis (either
twin), and :func:`pair_param_rows` runs an analysis that takes pairs as its
``pairs`` parameter, a page of pairs at a time, so the rule itself is written
once per language (``graphmodel/analysis/overlaps.py`` and
``cypher/overlaps.cypher``) and never again.

Examples
--------
>>> Area.of(district="8012").contains("801208"), Area.of(district="8012").contains("802103")
(True, False)
>>> Area.of().label(), Area.of(tambon="801208").label()
('all tambons', 'tambon 801208 หูล่อง (Hu Long)')
>>> Area.of(province="80").params()
{'tambon': None, 'district': None, 'province': '80'}
>>> Area.of(tambon="801208", province="80")
Traceback (most recent call last):
...
graphmodel.errors.ArgumentError: give at most one of tambon, district, province
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ..backends.base import Backend
from ..errors import ArgumentError
from ..geo import area_names
from ..model import bilingual
from .overlaps import PairRow
from .registry import rows

__all__ = ["AREA_KINDS", "Area", "area_pairs", "pair_param_rows", "PAIR_PAGE"]

#: Area kinds, widest first, with the length of their DOPA code.
AREA_KINDS = {"province": 2, "district": 4, "tambon": 6}
#: Pairs per call of an analysis that takes a ``pairs`` parameter.
PAIR_PAGE = 2_000


class Area(NamedTuple):
    """An area: ``kind`` (``tambon``, ``district``, ``province``) and its DOPA code, or everything."""

    kind: str | None = None
    code: str | None = None

    @classmethod
    def of(cls, *, tambon: str | None = None, district: str | None = None,
           province: str | None = None) -> "Area":
        """The area of at most one of the three options (none: every tambon)."""
        given = [(k, v) for k, v in (("tambon", tambon), ("district", district), ("province", province))
                 if v]
        if len(given) > 1:
            raise ArgumentError("give at most one of tambon, district, province")
        return cls(*given[0]) if given else cls()

    def contains(self, tambon: str) -> bool:
        """Whether the tambon code lies in this area."""
        return self.code is None or tambon.startswith(self.code)

    def params(self) -> dict[str, str | None]:
        """The ``tambon``/``district``/``province`` parameters of the named queries."""
        return {k: self.code if self.kind == k else None for k in ("tambon", "district", "province")}

    def label(self) -> str:
        """``tambon 801208 หูล่อง (Hu Long)``; ``all tambons`` for the whole graph."""
        if self.code is None:
            return "all tambons"
        names = area_names(self.code)
        name = bilingual(*names) if names else ""
        return f"{self.kind} {self.code} {name}".rstrip()


def area_pairs(backend: Backend, area: Area, *, twin: str = "auto") -> Iterator[PairRow]:
    """The parallel pairs (coordinated or not) of ``area`` from the ``overlaps`` analysis.

    A district is asked for as the list of its tambons with two programs or
    more (``tambons_with_programs``), so neither twin computes more than the district.
    """
    if area.kind == "district":
        found = rows(backend, "tambons_with_programs", {"province": area.code[:2], "minimum": 2},
                     twin=twin)
        codes = [r["tambon"] for r in found if r["tambon"].startswith(area.code)]
        if not codes:
            return iter(())
        params: dict[str, Any] = {"tambons": codes}
    else:
        params = {"tambon": area.code if area.kind == "tambon" else None,
                  "province": area.code if area.kind == "province" else None}
    return (PairRow.from_row(r) for r in rows(backend, "overlaps", params, twin=twin))


def pair_param_rows(backend: Backend, name: str, pairs: Iterable[PairRow], *, twin: str = "auto",
                    page: int = PAIR_PAGE, **params: Any) -> Iterator[dict[str, Any]]:
    """The rows of analysis ``name`` for ``pairs``, passed as ``[[tambon, a, b], ...]`` a page at a time."""
    batch: list[Sequence[str]] = []
    for p in pairs:
        batch.append([p.tambon, p.a, p.b])
        if len(batch) >= page:
            yield from rows(backend, name, {**params, "pairs": batch}, twin=twin)
            batch = []
    if batch:
        yield from rows(backend, name, {**params, "pairs": batch}, twin=twin)
