"""The pages of one view, from the area asked for to the files on disk (``graphmodel view``).

:func:`view_scope` turns the options of ``graphmodel view`` (at most one of
tambon, district, province, agency, nation; ``detail``) into the
:class:`~.scope.Scope` to draw and whether it is aggregated;
:func:`view_pages` makes the pages (a detailed view, or an aggregated one
with its detailed pages, :func:`~.overview.overview_pages`); and
:func:`write_view` writes them, each whole or not at all, and removes the
detailed pages an earlier run left beside the page for places it no longer
links to. The command and :meth:`graphmodel.api.Graph.view` both go this way.

Examples
--------
>>> view_scope(tambon="802103")
(Scope(kind='tambon', code='802103'), False)
>>> view_scope(province="80"), view_scope(province="80", detail=True)[1]
((Scope(kind='province', code='80'), True), False)
>>> view_scope(nation=True, detail=True)
(Scope(kind='all', code=None), False)
>>> view_scope(tambon="802103", agency="codi")
Traceback (most recent call last):
...
graphmodel.errors.ArgumentError: give at most one of tambon, district, province, agency, nation; got tambon, agency
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Mapping

from ..backends.base import Backend
from ..errors import ArgumentError
from ..outputs import remove_stale, write_text
from .overview import AGGREGATED_KINDS, DETAIL_PAGES, overview_pages
from .page import view_page
from .scope import Scope

__all__ = ["VIEW_KINDS", "view_scope", "view_pages", "write_view", "detail_folder"]

#: What a view can be of, as ``graphmodel view`` names its options.
VIEW_KINDS = ("tambon", "district", "province", "agency", "nation")

#: The name of a detailed page beside an aggregated view (:func:`~.overview.overview_pages` writes them).
_DETAIL_PAGE = re.compile(r"(tambon|district|province)-\d+\.html")


def view_scope(*, tambon: str | None = None, district: str | None = None, province: str | None = None,
               agency: str | None = None, nation: bool = False,
               detail: bool = False) -> tuple[Scope, bool]:
    """The scope to draw and whether its view is aggregated.

    None given: the whole graph, in detail. ``district``, ``province`` and
    ``nation`` are aggregated unless ``detail``; ``detail`` with anything
    else is an :class:`~graphmodel.errors.ArgumentError`.
    """
    given = {k: v for k, v in zip(VIEW_KINDS, (tambon, district, province, agency, nation or None))
             if v is not None}
    if len(given) > 1:
        raise ArgumentError(f"give at most one of {', '.join(VIEW_KINDS)}; got {', '.join(given)}")
    kind, code = next(iter(given.items())) if given else ("all", None)
    if detail and kind not in AGGREGATED_KINDS:
        raise ArgumentError("detail goes with district, province or nation")
    if kind == "nation":
        return (Scope(), False) if detail else (Scope("nation", None), True)
    return Scope(kind, code), kind in AGGREGATED_KINDS and not detail


def detail_folder(path: str | Path) -> Path:
    """The folder beside ``path`` that holds an aggregated view's detailed pages: ``NAME.files``."""
    return Path(path).with_suffix(".files")


def view_pages(backend: Backend, scope: Scope, *, aggregated: bool, path: str | Path,
               twin: str = "auto", detail_pages: int = DETAIL_PAGES, since=None,
               since_source: str = "") -> dict[str, Callable[[], str]]:
    """The view's pages by path relative to ``path``'s folder: ``""`` for the page itself, and
    for an aggregated view its detailed pages in :func:`detail_folder` (``NAME.files/...``);
    for each, the function that makes it (the backend is asked everything here; an aggregated
    view's fifty detailed pages, a megabyte each, are made one at a time as they are written).
    ``since`` (the :class:`~graphmodel.analysis.diff.Changes` from an earlier snapshot, named
    ``since_source``) marks resolved and new missing links (``graphmodel view --since``).

    Raises :class:`~.scope.ScopeError` (the place is not in the graph) and
    :class:`~.scope.ViewTooLarge` (a detailed view above the node budget).
    """
    if aggregated:
        return overview_pages(backend, scope, folder=detail_folder(path).name, twin=twin,
                              detail_pages=detail_pages, since=since, since_source=since_source)
    page = view_page(backend, scope, twin=twin, since=since, since_source=since_source)
    return {"": lambda: page}


def write_view(path: str | Path, pages: Mapping[str, Callable[[], str]]) -> list[Path]:
    """Write :func:`view_pages` at ``path``; the files written, the page itself last.

    Each file is written whole or not at all (:func:`~graphmodel.outputs.write_text`);
    the detailed pages go first, so the page never links to a page not yet
    there. Detailed pages in the folder that this page does not link to
    (left by an earlier run, for places that have changed) are removed;
    other files there are left alone.
    """
    path = Path(path)
    folder = detail_folder(path)
    if len(pages) > 1:
        folder.mkdir(exist_ok=True)
    written = []
    for name, make in sorted(pages.items(), key=lambda kv: kv[0] == ""):  # the page itself last
        target = path.parent / name if name else path
        write_text(target, make())
        written.append(target)
    if folder.is_dir():
        remove_stale(folder, [Path(name).name for name in pages if name], _DETAIL_PAGE.fullmatch)
    return written
