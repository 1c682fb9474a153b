"""Where an analysis looks: one tambon, district or province, or the whole graph.

The analyses of issue 10 (ranking, recommending, pilots, the coordination
index) all start from the parallel pairs of an area. :class:`~graphmodel.geo.Area`
names the area (it lives in :mod:`graphmodel.geo`, so that the reader can
read only an area's rows), :func:`area_pairs` (that is,
:func:`~.overlaps.pairs`) gives its pairs from the ``overlaps`` analysis
(either twin), and :func:`pair_param_rows` runs an analysis that takes pairs
as its ``pairs`` parameter, a page of pairs at a time, so the rule itself is
written once per language (``graphmodel/analysis/overlaps.py`` and
``cypher/overlaps.cypher``) and never again.

Examples
--------
>>> Area.of(district="8012").contains("801208"), area_pairs is pairs
(True, True)
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

from ..backends.base import Backend
from ..geo import AREA_DIGITS, Area
from .overlaps import PairRow, pairs
from .registry import rows

__all__ = ["AREA_KINDS", "Area", "area_pairs", "pair_param_rows", "PAIR_PAGE"]

#: Area kinds, widest first, with the length of their DOPA code.
AREA_KINDS = AREA_DIGITS
#: Pairs per call of an analysis that takes a ``pairs`` parameter.
PAIR_PAGE = 2_000


#: The one function for an area's pairs: :func:`~.overlaps.pairs` (kept under this name too).
area_pairs = pairs


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
