"""Aggregated views of a district, a province or the nation (``graphmodel view --province``).

A detailed view draws every program; a province of a generated Thailand has
thousands and its view is a red disc. An aggregated view draws instead:

- **places** — the tambons of the area where a program is located, or its
  districts, or (for the nation) its provinces, whichever is the finest
  level with at most :data:`PLACE_LIMIT` places; each a hexagon sized by its
  programs and coloured by its uncoordinated pairs (grey: none; then from
  orange to dark red, up to the area's most);
- **agencies** — the :data:`AGENCY_LIMIT` agencies with the most programs in
  the places (a program counted once per place it is located in), each
  joined to the places it works in by an edge as wide as its programs there;
  the panel says how many agencies are left out;
- **the agency matrix** (the ``agency_matrix`` analysis), a table in the side panel.

Every figure comes from a registered analysis with both twins, so a folder
and a Neo4j server give the same page: ``area_profile`` (places and their
programs), ``overlaps`` (pairs per place, through
:func:`~graphmodel.analysis.summary.summarise`), ``place_agencies`` (the
edges), ``agency_matrix`` and ``entity_names``.

With an earlier snapshot (``since``, ``graphmodel view --since OLD``), each
place also counts the pairs resolved since and the new ones; a place with
new uncoordinated pairs gets a red border and a "new +N" line, and its
detailed page draws the resolved pairs and badges the new ones
(:func:`~graphmodel.views.html.render_view`).

A place links to its **detailed view**, a page written beside the overview
(:func:`overview_pages`): the tambon view of each tambon with uncoordinated
pairs, or the aggregated view of each district or province, most
uncoordinated pairs first, at most ``detail_pages`` of them.

A detailed view above :data:`NODE_BUDGET` nodes is refused
(:class:`~.scope.ViewTooLarge`, raised by :func:`~.scope.check_budget`): it would be a hairball.

Examples
--------
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> ov = overview(EmbeddedBackend(read_dataset("seed/nst-2006")), Scope("province", "80"))
>>> ov.level, len(ov.places), ov.pairs, ov.uncoordinated
('tambon', 170, 9, 8)
>>> [(p.code, p.programs, p.pairs, p.uncoordinated) for p in ov.places if p.pairs]
[('801208', 11, 8, 7), ('802103', 2, 1, 1)]
>>> place_level("nation", {"tambon": 7436, "district": 928, "province": 77})
'province'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

from pyvis.network import Network

from ..analysis.areas import AREA_KINDS, Area, area_pairs
from ..analysis.diff import Diff
from ..analysis.matrix import agency_matrix
from ..analysis.described import findings
from ..analysis.overlaps import PairRow
from ..analysis.registry import rows
from ..analysis.summary import summarise
from ..backends.base import Backend, payload
from ..geo import area_names
from ..model import bilingual
from .html import NODE_STYLES, _clip, _set_options, page_html, render_view
from .scope import NODE_BUDGET, Scope, ScopeError, ViewTooLarge, scope_graph

__all__ = ["AGENCY_LIMIT", "DETAIL_PAGES", "MATRIX_ROWS", "NODE_BUDGET", "PLACE_LIMIT", "AGGREGATED_KINDS", "Overview",
           "Place", "ViewTooLarge", "overview", "overview_pages", "place_level", "render_overview"]

#: The most places an aggregated view draws at one level (Thailand's largest province has 289 tambons).
PLACE_LIMIT = 300
#: The most agencies an aggregated view draws (those with the most programs in its places).
AGENCY_LIMIT = 40
#: Rows of the agency matrix a page carries (most uncoordinated pairs first; the rest are counted).
MATRIX_ROWS = 200
#: Detailed pages written beside an aggregated view by default.
DETAIL_PAGES = 50
#: The scopes an aggregated view covers, with the length of their code.
AGGREGATED_KINDS = {"nation": 0, "province": 2, "district": 4}
#: Place levels, finest first.
_LEVELS = ("tambon", "district", "province")
#: Places without uncoordinated pairs, and the scale from few to the area's most.
_CALM, _SCALE = "#c8ced3", ("#fdd49e", "#fc8d59", "#d7301f", "#7f0000")
#: The border of a place with uncoordinated pairs new since an earlier snapshot (the views' "new" red).
_NEW_BORDER = "#d62728"


@dataclass(frozen=True)
class Place:
    """One place of an aggregated view: ids and numbers."""

    code: str
    level: str
    tambons: int
    programs: int
    pairs: int
    uncoordinated: int

    #: With an earlier snapshot: pairs resolved since, and new uncoordinated pairs.
    resolved: int = 0
    new: int = 0

    @property
    def names(self) -> tuple[str, str | None]:
        return area_names(self.code) or (self.code, None)


@dataclass
class Overview:
    """What an aggregated view draws (see the module docstring)."""

    scope: Scope
    level: str
    places: list[Place]
    #: Drawn agencies: ``{id, name, name_en, kind, programs, places}``, most programs first.
    agencies: list[dict[str, Any]]
    #: ``(place, agency, programs)`` for the drawn agencies.
    links: list[tuple[str, str, int]]
    #: Agencies working in the places but not drawn (over :data:`AGENCY_LIMIT`).
    hidden_agencies: int
    #: The ``agency_matrix`` rows, with ``name_a`` and ``name_b``.
    matrix: list[dict[str, Any]]
    title: str
    #: The area's pairs in the places with uncoordinated ones (for their detail pages).
    pair_rows: list[PairRow] = field(default_factory=list, repr=False)
    #: The earlier snapshot compared with this one (``since``), and where it came from.
    since: Diff | None = None
    since_source: str = ""

    @property
    def pairs(self) -> int:
        return sum(p.pairs for p in self.places)

    @property
    def uncoordinated(self) -> int:
        return sum(p.uncoordinated for p in self.places)


def place_level(kind: str, counts: dict[str, int], limit: int = PLACE_LIMIT) -> str:
    """The finest level below ``kind`` with at most ``limit`` places (else the coarsest below it).

    >>> place_level("province", {"tambon": 289, "district": 32, "province": 1})
    'tambon'
    >>> place_level("nation", {"tambon": 170, "district": 23, "province": 1})
    'tambon'
    """
    finer = [lv for lv in _LEVELS if AREA_KINDS[lv] > AGGREGATED_KINDS[kind]]
    return next((lv for lv in finer if counts[lv] <= limit), finer[-1])


def _area(scope: Scope) -> Area:
    if scope.kind not in AGGREGATED_KINDS:
        raise ScopeError(f"an aggregated view covers a district, a province or the nation, not {scope.kind!r}")
    return Area() if scope.kind == "nation" else Area.of(**{scope.kind: scope.code})


def overview(backend: Backend, scope: Scope, *, twin: str = "auto", since: Diff | None = None,
             since_source: str = "") -> Overview:
    """The aggregated view of a district, province (``Scope("province", "80")``) or ``Scope("nation")``.

    ``since``: an earlier snapshot compared with this one (counted per place).

    Raises
    ------
    ScopeError
        No program is located in the area.
    """
    area = _area(scope)
    tambons = [r["area"] for r in rows(backend, "area_profile", {"by": "tambon", **area.params()}, twin=twin)]
    if not tambons:
        where = "the graph" if area.code is None else area.label()
        raise ScopeError(f"no program is located in {where}: nothing to draw")
    level = place_level(scope.kind, {lv: len({t[:AREA_KINDS[lv]] for t in tambons}) for lv in _LEVELS})
    digits = AREA_KINDS[level]
    profile = rows(backend, "area_profile", {"by": level, **area.params()}, twin=twin)
    found = list(area_pairs(backend, area, twin=twin))
    counts = {r[level]: (r["parallel_pairs"], r["uncoordinated_pairs"]) for r in summarise(found, level)}
    changed: dict[str, list[int]] = {}
    for i, changes in enumerate((since.resolved, since.appeared) if since is not None else ()):
        for c in changes:
            changed.setdefault(c.tambon[:digits], [0, 0])[i] += 1
    places = [Place(r["area"], level, r["tambons"], r["programs"], *counts.get(r["area"], (0, 0)),
                    *changed.get(r["area"], (0, 0)))
              for r in profile]
    weight: dict[str, int] = {}
    where: dict[str, int] = {}
    links = [(r["place"], r["agency"], r["programs"])
             for r in rows(backend, "place_agencies", {"by": level, **area.params()}, twin=twin)]
    for _, agency, n in links:
        weight[agency] = weight.get(agency, 0) + n
        where[agency] = where.get(agency, 0) + 1
    drawn = sorted(weight, key=lambda a: (-weight[a], a))[:AGENCY_LIMIT]
    matrix = agency_matrix(backend, twin=twin, **area.params())
    names = {r["id"]: r for r in rows(backend, "entity_names",
                                      {"ids": sorted({*drawn, *(r[k] for r in matrix for k in ("agency_a", "agency_b"))})},
                                      twin=twin)}

    def name(a: str) -> str:
        n = names.get(a)
        return a if n is None else bilingual(n["name"], n["name_en"], a)

    agencies = [{"id": a, "name": names.get(a, {}).get("name") or a, "name_en": names.get(a, {}).get("name_en"),
                 "kind": names.get(a, {}).get("kind"), "programs": weight[a], "places": where[a]} for a in drawn]
    keep = set(drawn)
    with_pairs = {p.code for p in places if p.uncoordinated or p.resolved}
    return Overview(
        scope, level, places, agencies, [link for link in links if link[1] in keep], len(weight) - len(drawn),
        [{**r, "name_a": name(r["agency_a"]), "name_b": name(r["agency_b"])} for r in matrix],
        "the nation" if area.code is None else area.label(),
        [p for p in found if p.tambon[:digits] in with_pairs] if level == "tambon" else [], since, since_source)


def _place_colour(uncoordinated: int, most: int) -> str:
    if not uncoordinated:
        return _CALM
    step = 0 if most <= 1 else min(len(_SCALE) - 1, int(len(_SCALE) * math.log1p(uncoordinated - 1)
                                                         / math.log1p(most - 1 + 1e-9)))
    return _SCALE[step]


def _place_size(programs: int, most: int) -> float:
    return round(10 + 30 * math.sqrt(programs / max(most, 1)), 1)


def render_overview(ov: Overview, *, detail: dict[str, str] | None = None) -> str:
    """The aggregated view as one self-contained page (the same template and script as
    :func:`~graphmodel.views.html.render_view`); ``detail`` maps a place code to the
    relative address of its detailed page."""
    detail = detail or {}
    most_unc = max((p.uncoordinated for p in ov.places), default=0)
    most_prog = max((p.programs for p in ov.places), default=0)
    most_link = max((n for _, _, n in ov.links), default=1)
    styles = {key: (shape, colour) for key, _, shape, colour, _ in NODE_STYLES}
    net = Network(directed=False)
    label = ov.level.capitalize()
    since = ov.since is not None
    for p in ov.places:
        th, en = p.names
        props = {"tambons": p.tambons, "programs": p.programs, "parallel_pairs": p.pairs,
                 "uncoordinated_pairs": p.uncoordinated}
        if since:
            props.update({"resolved_since": p.resolved, "new_since": p.new})
        colour = _place_colour(p.uncoordinated, most_unc)
        lines = [_clip(th), en and _clip(en), f"new +{p.new}" if p.new else None]
        border = {"border": _NEW_BORDER, "highlight": {"background": colour, "border": _NEW_BORDER}} if p.new \
            else {"border": "#333333"}
        net.add_node(f"{label}:{p.code}", label="\n".join(filter(None, lines)),
                     shape="hexagon", color={"background": colour, **border}, borderWidth=4 if p.new else 1,
                     size=_place_size(p.programs, most_prog),
                     gm={"type": label, "id": p.code, "name": th, "name_en": en, "budget": None,
                         "props": props, "summary": True, "href": detail.get(p.code), "new": p.new})
    for a in ov.agencies:
        shape, colour = styles.get(f"Agency:{a['kind']}", ("square", "#bdbdbd"))
        net.add_node(f"Agency:{a['id']}", label="\n".join(filter(None, (_clip(a["name"]), a["name_en"] and _clip(a["name_en"])))),
                     shape=shape, color={"background": colour, "border": "#333333"},
                     size=round(12 + 4 * math.log1p(a["programs"]), 1),
                     gm={"type": "Agency", "id": a["id"], "name": a["name"], "name_en": a["name_en"], "budget": None,
                         "summary": True, "props": {"kind": a["kind"], "programs": a["programs"], "places": a["places"]}})
    for i, (place, agency, n) in enumerate(ov.links):
        net.add_edge(f"Agency:{agency}", f"{label}:{place}", id=f"w{i}", color="#7f9fbf",
                     width=round(1 + 9 * n / most_link, 1),
                     gm={"type": "WORKS_IN", "name": "works in", "props": {"programs": n}})
    big = len(ov.links) > 1000 or len(ov.places) + len(ov.agencies) > 300
    _set_options(net, len(ov.places) + len(ov.agencies), big)
    nodes, edges, _, _, _, options = net.get_network_data()
    kinds = {a["kind"] for a in ov.agencies}
    legend_nodes = [{"label": lbl, "shape": shape, "color": colour}
                    for key, lbl, shape, colour, _ in NODE_STYLES if key.startswith("Agency:") and key[7:] in kinds]
    legend_nodes += [{"label": f"{ov.level}: no uncoordinated pair", "shape": "hexagon", "color": _CALM},
                     {"label": f"{ov.level}: most uncoordinated pairs ({most_unc}); size: programs",
                      "shape": "hexagon", "color": _SCALE[-1]}]
    if since:
        legend_nodes.append({"label": f"{ov.level} with uncoordinated pairs new since the earlier snapshot "
                                      "(--since): red border, \"new +N\"", "shape": "hexagon", "color": _CALM,
                             "border": _NEW_BORDER, "badge": "new"})
    data = {
        "scope": {"kind": ov.scope.kind, "code": ov.scope.code, "title": ov.title},
        "nodes": nodes, "edges": edges, "options": json.loads(options), "pairs": [],
        "legend": {"nodes": legend_nodes,
                   "edges": [{"label": "works in (width: programs)", "color": "#7f9fbf", "width": 4,
                              "dashes": False}]},
        "overview": {"level": ov.level, "places": len(ov.places), "pairs": ov.pairs,
                     "uncoordinated": ov.uncoordinated, "agencies": len(ov.agencies),
                     "hidden_agencies": ov.hidden_agencies, "detail_pages": len(detail),
                     "matrix": ov.matrix[:MATRIX_ROWS], "matrix_rows": len(ov.matrix)},
    }
    if since:
        data["since"] = {"source": ov.since_source, "resolved": [], "resolved_count": len(ov.since.resolved),
                         "new": len(ov.since.appeared)}
    return page_html(f"graphmodel: {ov.title} (aggregated)", data)


def overview_pages(backend: Backend, scope: Scope, *, folder: str, twin: str = "auto",
                   detail_pages: int = DETAIL_PAGES, since: Diff | None = None,
                   since_source: str = "") -> dict[str, Callable[[], str]]:
    """The aggregated view of ``scope`` and its detailed pages, by relative path: for each, the
    function that makes the page.

    The overview is under the key ``""``; each detailed page under
    ``folder/tambon-CODE.html`` (``district-CODE``, ``province-CODE``): the
    ``detail_pages`` places with the most uncoordinated pairs (then, with
    ``since``, the most pairs resolved since; then by code). A tambon's page is its detailed view; a district's or a
    province's (in a view of the nation) is its aggregated view, without
    pages of its own. ``since`` (an earlier snapshot compared with this
    one) reaches the overview and every detailed page. The backend is asked
    everything here; a page is made only when its function is called (a
    tambon's is about a megabyte of text: made and written one at a time,
    fifty of them are not held at once).
    """
    ov = overview(backend, scope, twin=twin, since=since, since_source=since_source)
    chosen = sorted((p for p in ov.places if p.uncoordinated or p.resolved),
                    key=lambda p: (-p.uncoordinated, -p.resolved, p.code))
    chosen = sorted(p.code for p in chosen[:max(detail_pages, 0)])
    pages: dict[str, Callable[[], str]] = {}
    if chosen and ov.level == "tambon":
        graph = payload(backend)
        if ov.scope.kind != "nation":  # the area's part once: each tambon's view is picked from it
            graph = scope_graph(graph, ov.scope).payload
        wanted = set(chosen)
        described = [pair for f in findings(backend, (p for p in ov.pair_rows if p.tambon in wanted),
                                            twin=twin, every_tambon=True) for pair in f.pairs]
        for code in chosen:
            pages[f"{folder}/tambon-{code}.html"] = partial(
                render_view, graph, [p for p in described if p.tambon.id == code], scope=Scope("tambon", code),
                since=since, since_source=since_source)
    else:
        for code in chosen:
            pages[f"{folder}/{ov.level}-{code}.html"] = partial(
                render_overview, overview(backend, Scope(ov.level, code), twin=twin, since=since,
                                          since_source=since_source))
    detail = {code: f"{folder}/{ov.level}-{code}.html" for code in chosen}
    return {"": partial(render_overview, ov, detail=detail), **pages}
