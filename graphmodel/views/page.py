"""A view straight from a backend: the graph, the pairs in scope, the page.

Examples
--------
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> page = view_page(EmbeddedBackend(read_dataset("seed/nst-2006")), Scope("tambon", "802103"))
>>> "กะหรอ" in page
True
"""

from __future__ import annotations

from typing import Iterator

from ..analysis.described import findings
from ..analysis.diff import Diff
from ..analysis.overlaps import PairRow, pairs
from ..analysis.registry import rows
from ..backends.base import Backend, payload
from ..geo import Area
from ..model import GraphPayload
from .html import render_view
from .scope import NODE_BUDGET, Scope, scope_graph

__all__ = ["view_page"]


def _view_pairs(backend: Backend, graph: GraphPayload, scope: Scope, twin: str) -> Iterator[PairRow]:
    """Ask only for the pairs a view can show: its area's, or an agency's tambons' (not the
    country's: on Neo4j that would be the rule over every tambon)."""
    if scope.kind in ("tambon", "district", "province"):
        return pairs(backend, Area.of(**{scope.kind: scope.code}), twin=twin)
    if scope.kind == "agency":
        codes = sorted(scope_graph(graph, scope).tambons)
        found = rows(backend, "overlaps", {"tambons": codes}, twin=twin) if codes else iter(())
        return (PairRow.from_row(row) for row in found)
    return pairs(backend, Area(), twin=twin)


def view_page(backend: Backend, scope: Scope = Scope(), *, twin: str = "auto",
              node_budget: int | None = NODE_BUDGET, since: Diff | None = None, since_source: str = "") -> str:
    """The interactive view of ``scope`` on ``backend`` as one self-contained HTML page.

    The parallel pairs (coordinated or not) come from the twin that suits
    the backend (Cypher on Neo4j); see :func:`~graphmodel.views.html.render_view`
    (``since``: an earlier snapshot compared with this one).

    Raises
    ------
    ScopeError
        The scope's tambon, district, province or agency is not in the graph.
    ViewTooLarge
        The view would draw more than ``node_budget`` nodes (None: no budget);
        :mod:`~graphmodel.views.overview` draws large areas.
    """
    graph = payload(backend)
    found = findings(backend, _view_pairs(backend, graph, scope, twin), twin=twin, every_tambon=True)
    return render_view(graph, [pair for finding in found for pair in finding.pairs], scope=scope,
                       node_budget=node_budget, since=since, since_source=since_source)
