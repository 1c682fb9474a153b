"""Interactive HTML network views (``graphmodel view``): offline, escaped, readable in Thai.

- :mod:`~graphmodel.views.scope`: which part of the graph a view draws;
- :mod:`~graphmodel.views.html`: the self-contained page, built with pyvis;
- :mod:`~graphmodel.views.page`: :func:`view_page`, a view straight from a backend.
"""

from .html import render_view
from .page import view_page
from .scope import Scope, ScopedGraph, ScopeError, scope_graph, scope_pairs

__all__ = ["Scope", "ScopeError", "ScopedGraph", "render_view", "scope_graph", "scope_pairs",
           "view_page"]
