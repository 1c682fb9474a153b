"""A view straight from a backend: the graph, the pairs in scope, the page.

Examples
--------
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> page = view_page(EmbeddedBackend(read_dataset("seed/nst-2006")), Scope("tambon", "802103"))
>>> "กะหรอ" in page
True
"""

from __future__ import annotations

from ..analysis.described import findings
from ..analysis.diff import Diff
from ..analysis.overlaps import pairs
from ..backends.base import Backend, payload
from ..geo import Area
from .html import render_view
from .scope import NODE_BUDGET, Scope

__all__ = ["view_page"]


def _pairs_area(scope: Scope) -> Area:
    """Ask only for the pairs a view can show."""
    if scope.kind in ("tambon", "district", "province"):
        return Area.of(**{scope.kind: scope.code})
    return Area()


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
    found = findings(backend, pairs(backend, _pairs_area(scope), twin=twin), twin=twin,
                     every_tambon=True)
    return render_view(graph, [pair for finding in found for pair in finding.pairs], scope=scope,
                       node_budget=node_budget, since=since, since_source=since_source)
