"""Interactive HTML network views (``graphmodel view``): offline, escaped, readable in Thai.

- :mod:`~graphmodel.views.scope`: which part of the graph a view draws;
- :mod:`~graphmodel.views.html`: the self-contained page, built with pyvis;
- :mod:`~graphmodel.views.page`: :func:`view_page`, a view straight from a backend;
- :mod:`~graphmodel.views.overview`: aggregated views of a district, a province or the nation.
"""

from .html import render_view
from .overview import overview, overview_pages, render_overview
from .page import view_page
from .scope import NODE_BUDGET, Scope, ScopedGraph, ScopeError, ViewTooLarge, scope_graph, scope_pairs

__all__ = ["NODE_BUDGET", "Scope", "ScopeError", "ScopedGraph", "ViewTooLarge", "overview", "overview_pages",
           "render_overview", "render_view", "scope_graph", "scope_pairs", "view_page"]
