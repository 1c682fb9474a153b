"""An interactive network view as one self-contained, offline HTML page.

pyvis's :class:`~pyvis.network.Network` assembles the nodes, edges and
options; the page is our own template (``template.html`` beside this
module) with vis-network's JS and CSS inlined from ``vendor/`` (the published
npm package, pinned by sha256: see ``vendor/README.md``), so it makes no
request at all. Data reaches the page only as JSON inside a
``<script type="application/json">`` block (``<``, ``>`` and ``&`` escaped),
and the page's script builds every label, tooltip and panel with
``textContent``; a Content-Security-Policy that allows only the page's own
scripts (by hash) and no network is a second fence.

Examples
--------
>>> from graphmodel.model import Dataset, Agency
>>> page = render_view(Dataset(agencies=[Agency(id="a", name="<b>x</b>", kind="provincial")]).to_graph(), [])
>>> page.startswith("<!DOCTYPE html>"), "<b>x</b>" in page, "\\\\u003cb\\\\u003ex" in page
(True, False, True)
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import unicodedata
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from pyvis.network import Network

from ..analysis.described import ParallelPair
from ..analysis.diff import Change, Diff
from ..errors import GraphmodelError
from ..model import GraphPayload, Node, bilingual
from ..render import FONT_STACK, csp_hash
from ..reports import words
from .scope import Scope, check_budget, last_payload, scope_graph, scope_pairs

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable  # Python 3.11+; importlib.abc before

__all__ = ["FONT_STACK", "csp_hash", "NODE_STYLES", "EDGE_STYLES", "ViewAssetError", "build_network",
           "page_html", "render_view", "safe_json", "vis_network"]

_AREA = {"Tambon": ("#95a5a6", 14), "District": ("#5d6d7e", 20), "Province": ("#2c3e50", 26)}
_AGENCY_COLOURS = {
    "local_government": "#8c564b", "line_agency": "#1f77b4", "provincial": "#9467bd",
    "special_agency": "#e377c2", "community_network": "#2ca02c", "academic": "#17becf",
    "civil_society": "#bcbd22",
}
_FUND_COLOURS = {"normal": "#6baed6", "ceo": "#ff7f0e", "special": "#c51b8a", None: "#bdbdbd"}

#: Legend and style of each node kind: (key, legend label, shape, colour, default size).
NODE_STYLES: list[tuple[str, str, str, str, int]] = [
    *[(f"Agency:{k}", f"agency: {k.replace('_', ' ')}", "square", c, 16)
      for k, c in _AGENCY_COLOURS.items()],
    *[(f"Fund:{k or 'unknown'}", f"fund: {k or 'channel unknown'}", "diamond", c, 14)
      for k, c in _FUND_COLOURS.items()],
    ("Program", "program", "dot", "#00a087", 16),
    ("Group", "community group", "triangle", "#f2b701", 14),
    *[(t, t.lower(), "hexagon", c, s) for t, (c, s) in _AREA.items()],
]

#: Style of each relationship type: (label, colour, width, dashes, arrows).
EDGE_STYLES: dict[str, tuple[str, str, float, Any, str]] = {
    "MANAGES": ("manages", "#7f7f7f", 1.5, False, "to"),
    "FUNDS": ("funds", "#b8860b", 2, False, "to"),
    "IMPLEMENTS": ("implements", "#1f77b4", 1.5, False, "to"),
    "LOCATED_IN": ("located in", "#95a5a6", 1, [2, 4], "to"),
    "IN_DISTRICT": ("in district", "#c0c6cc", 1, [1, 4], "to"),
    "IN_PROVINCE": ("in province", "#c0c6cc", 1, [1, 4], "to"),
    "BASED_IN": ("based in", "#f2b701", 1, [4, 4], "to"),
    "PART_OF": ("part of", "#9467bd", 1.5, [8, 4], "to"),
    "COORDINATES_WITH": ("coordinates with", "#2ca02c", 3, False, ""),
    "MISSING_LINK": ("missing link: parallel programs, no coordination", "#d62728", 3, [10, 6], ""),
    "RESOLVED_LINK": ("resolved since the earlier snapshot (--since)", "#2ca02c", 3, [2, 5], ""),
}
#: The badge on a missing link that is new since the earlier snapshot (``--since``).
NEW_BADGE = {"color": "#ffffff", "background": "#d62728", "size": 12, "strokeWidth": 0}

_LABEL_CHARS = 38


def _style_key(node: Node) -> str:
    label = node.label.value
    if label == "Agency":
        return f"Agency:{node.properties.get('kind')}"
    if label == "Fund":
        return f"Fund:{node.properties.get('channel') or 'unknown'}"
    return label


def _clip(text: str, limit: int = _LABEL_CHARS) -> str:
    """Shorten a label line without splitting a Thai vowel or tone mark from its consonant.

    >>> _clip("ที่นี่ที่นั่น", 2)
    'ที่…'
    >>> _clip("กะหรอ", 10)
    'กะหรอ'
    """
    if len(text) <= limit:
        return text
    cut = limit
    while cut < len(text) and unicodedata.category(text[cut]) in ("Mn", "Mc"):
        cut += 1  # keep the marks of the last consonant with it
    return text[:cut].rstrip() + "…"


def _label(node: Node) -> str:
    name = node.properties.get("name") or node.id
    name_en = node.properties.get("name_en")
    lines = [_clip(str(name))]
    if name_en and name_en != name:
        lines.append(_clip(str(name_en)))
    return "\n".join(lines)


@last_payload
def _budgets(payload: GraphPayload) -> dict[str, float]:
    """Known budget per program: the sum of the amounts on its FUNDS relationships."""
    out: dict[str, float] = {}
    for r in payload.relationships:
        amount = r.properties.get("amount_thb")
        if r.type.value == "FUNDS" and amount is not None:
            out[r.end] = out.get(r.end, 0.0) + float(amount)
    return out


def _size(default: int, budget: float | None) -> float:
    """Node size: the type's default, or grown with the log of a known budget in baht."""
    if budget is None:
        return default
    return round(min(44.0, 12 + 5 * math.log10(1 + budget / 10_000)), 1)


def _meta(node: Node, budget: float | None) -> dict[str, Any]:
    """What tooltips, panels and search read (every value shown as text)."""
    props = dict(node.properties)
    return {"type": node.label.value, "id": node.id, "name": props.pop("name", None),
            "name_en": props.pop("name_en", None), "budget": budget, "props": props}


def _is_big(n_nodes: int, n_edges: int) -> bool:
    """Whether a view is large enough to draw plainly: canvas dashes, arrows and
    curves cost most of a redraw once there are thousands of edges."""
    return n_nodes > 300 or n_edges > 1000


def _edge_style(rtype: str, big: bool) -> dict[str, Any]:
    """vis-network options of one relationship type; in a big view only missing and resolved links are dashed."""
    _, colour, width, dashes, arrows = EDGE_STYLES[rtype]
    if big:
        dashes = dashes if rtype in ("MISSING_LINK", "RESOLVED_LINK") else False
        arrows = ""
    return {"color": colour, "width": width, "dashes": dashes, "arrows": arrows}


def build_network(payload: GraphPayload, pairs: list[ParallelPair], *,
                  budgets: dict[str, float] | None = None, new: frozenset[tuple[str, str, str]] = frozenset(),
                  resolved: list[Change] = ()) -> Network:
    """Assemble a pyvis network: one node per payload node, one edge per
    relationship, and a red dashed "missing link" per uncoordinated pair.

    With an earlier snapshot (``--since``): a missing link whose ``(tambon,
    a, b)`` is in ``new`` carries a red "new" badge, and each of ``resolved``
    (pairs resolved since, both programs drawn) is a green dotted edge.

    Node ids are ``Label:id`` (a tambon code can never meet an agency id);
    edge ids are ``r<n>`` for relationships, ``missing<n>`` for missing
    links and ``resolved<n>`` for resolved ones, ``n`` counting from 0 in order.
    """
    budgets = _budgets(payload) if budgets is None else budgets
    missing = [p for p in pairs if not p.coordinated]
    big = _is_big(len(payload.nodes), len(payload.relationships) + len(missing) + len(resolved))
    styles = {key: (shape, colour, size) for key, _, shape, colour, size in NODE_STYLES}
    net = Network(directed=True)  # directed: pyvis then keeps every edge between two nodes
    for node in payload.nodes:
        shape, colour, size = styles.get(_style_key(node), ("dot", "#bdbdbd", 14))
        if node.label.value == "Fund":
            budget = node.properties.get("amount_thb")
        else:
            budget = budgets.get(node.id) if node.label.value == "Program" else None
        net.add_node(f"{node.label.value}:{node.id}", label=_label(node), shape=shape,
                     color={"background": colour, "border": "#333333",
                            "highlight": {"background": colour, "border": "#000000"}},
                     size=_size(size, budget), gm=_meta(node, budget))
    for i, r in enumerate(payload.relationships):
        net.add_edge(f"{r.start_label.value}:{r.start}", f"{r.end_label.value}:{r.end}",
                     id=f"r{i}", **_edge_style(r.type.value, big),
                     gm={"type": r.type.value, "name": EDGE_STYLES[r.type.value][0],
                         "props": dict(r.properties)})
    seen: dict[tuple[str, str], int] = {}
    for i, p in enumerate(missing):
        # A longer spring keeps a pair apart so its link shows; a pair parallel in
        # several tambons gets one curve per tambon. Big views skip both (cost).
        nth = seen[p.ids] = seen.get(p.ids, -1) + 1
        extra = {"physics": False} if big else {
            "length": 320, "label": "missing link",
            "font": {"color": EDGE_STYLES["MISSING_LINK"][1], "size": 11, "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 + 0.12 * nth}}
        fresh = (p.tambon.id, *p.ids) in new
        if fresh:  # the badge shows in big views too: there are few new pairs, and they are the news
            extra = {**extra, "label": "new", "font": {**NEW_BADGE, "align": "middle"}}
        net.add_edge(f"Program:{p.ids[0]}", f"Program:{p.ids[1]}", id=f"missing{i}",
                     **_edge_style("MISSING_LINK", big), **extra,
                     gm={"type": "MISSING_LINK", "name": EDGE_STYLES["MISSING_LINK"][0], "new": fresh,
                         "props": {"tambon": f"{p.tambon.id} {p.tambon.label()}",
                                   "shared_themes": p.shared_themes}})
    for i, c in enumerate(resolved):
        extra = {"physics": False} if big else {
            "length": 320, "label": "resolved",
            "font": {"color": EDGE_STYLES["RESOLVED_LINK"][1], "size": 11, "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "curvedCCW", "roundness": 0.15}}
        net.add_edge(f"Program:{c.a}", f"Program:{c.b}", id=f"resolved{i}", **_edge_style("RESOLVED_LINK", big),
                     **extra, gm={"type": "RESOLVED_LINK", "name": EDGE_STYLES["RESOLVED_LINK"][0],
                                  "props": {"tambon": words.place(c.tambon), "how": words.REASONS[c.reason],
                                            "what changed": words.change_detail(c)}})
    _set_options(net, len(payload.nodes), big)
    return net


def _set_options(net: Network, n_nodes: int, big: bool) -> None:
    """Physics that settles in a bounded number of steps and then stops (the page turns it off)."""
    net.force_atlas_2based(gravity=-110, central_gravity=0.01, spring_length=150,
                           spring_strength=0.06, damping=0.5, overlap=0 if big else 0.6)
    options = json.loads(net.options.to_json())
    if big:  # a coarser Barnes-Hut tree: about half the time per step on thousands of nodes
        options["physics"]["forceAtlas2Based"]["theta"] = 1.0
    options["physics"]["stabilization"] = {
        "enabled": True, "fit": True, "updateInterval": 25,
        "iterations": 1000 if n_nodes <= 150 else max(150, 150_000 // n_nodes),
    }
    options["physics"]["minVelocity"] = 1.0
    options["edges"] = {"smooth": {"enabled": not big, "type": "continuous"},
                        "font": {"face": FONT_STACK, "size": 11, "align": "middle"},
                        "selectionWidth": 2}
    options["nodes"] = {"font": {"face": FONT_STACK, "size": 13, "color": "#222222",
                                 "strokeWidth": 3, "strokeColor": "#ffffff"},
                        "borderWidth": 1}
    options["layout"] = {"improvedLayout": n_nodes <= 100, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                              "keyboard": False, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                              "multiselect": True}
    net.options = options


def safe_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and
    the two JS line separators as ``\\u`` escapes, so ``</script>`` in the data
    cannot end the element.

    >>> safe_json({"name": "</script><b>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


class ViewAssetError(GraphmodelError):
    """A file the view pages are made of is missing from the installation or was altered."""


#: The vendored files the pages inline, under ``vendor/`` beside this module.
_VIS_FILES = ("vis-network.min.js", "vis-network.min.css")


@cache
def vis_network(vendor: Traversable | None = None) -> tuple[str, str, str]:
    """The vendored vis-network: its version, JS and CSS, checked against ``vis-network.json``.

    Parameters
    ----------
    vendor : Traversable, optional
        The folder holding the files and ``vis-network.json``; default the
        ``vendor/`` folder installed with this module.

    Returns
    -------
    tuple of str
        ``(version, js, css)``, the files' text exactly as published.

    Raises
    ------
    ViewAssetError
        A file is missing, or its sha256 is not the one recorded.

    Examples
    --------
    >>> version, js, css = vis_network()
    >>> version, "vis-network" in js[:200], ".vis-network" in css
    ('9.1.13', True, True)
    """
    vendor = vendor or files("graphmodel.views").joinpath("vendor")
    fix = "reinstall graphmodel, or restore the files with scripts/update-vis-network --version"
    try:
        record = json.loads(vendor.joinpath("vis-network.json").read_text(encoding="utf-8"))
        data = {name: vendor.joinpath(name).read_bytes() for name in _VIS_FILES}
    except (OSError, ValueError) as exc:
        raise ViewAssetError(f"vis-network is missing from {vendor} ({exc}); {fix} VERSION") from exc
    for name, content in data.items():
        digest, recorded = hashlib.sha256(content).hexdigest(), record["files"][name]["sha256"]
        if digest != recorded:
            raise ViewAssetError(f"{vendor.joinpath(name)} is not vis-network {record['version']} as "
                                 f"published: sha256 {digest}, recorded {recorded}; "
                                 f"{fix} {record['version']}")
    js, css = (data[name].decode("utf-8") for name in _VIS_FILES)
    return record["version"], js, css


@cache
def _page_files() -> tuple[str, str]:
    """The page template and the page's own script."""
    here = files("graphmodel.views")
    return (here.joinpath("template.html").read_text(encoding="utf-8"),
            here.joinpath("view.js").read_text(encoding="utf-8"))


def _pair_json(p: ParallelPair, new: Change | None = None) -> dict[str, Any]:
    side = lambda s: {"program": f"Program:{s.program.id}", "label": s.program.label(),  # noqa: E731
                      "agencies": [a.label() for a in s.agencies],
                      "groups": [g.label() for g in s.groups]}
    return {"tambon": f"{p.tambon.id} {p.tambon.label()}",
            "a": side(p.a), "b": side(p.b), "shared_themes": p.shared_themes,
            "years": list(p.overlap_years), "coordinated": p.coordinated,
            "coordinated_by": p.coordinated_by, "explanation": words.pair_why(p),
            "fix": None if p.coordinated else words.pair_fix(p),
            "new": None if new is None else {"why": words.REASONS[new.reason], "detail": words.change_detail(new)}}


def render_view(payload: GraphPayload, pairs: list[ParallelPair], *, scope: Scope = Scope(),
                title: str | None = None, node_budget: int | None = None, since: Diff | None = None,
                since_source: str = "") -> str:
    """The view of ``scope`` as one self-contained HTML page.

    Parameters
    ----------
    payload : GraphPayload
        The whole graph (:func:`graphmodel.backends.payload`); the scope picks from it.
    pairs : list of ParallelPair
        Parallel program pairs, described (:func:`graphmodel.views.view_page` gets them); those in the
        view are listed in the side panel and the uncoordinated ones drawn as
        red dashed missing links.
    scope : Scope
        What to draw (default: everything).
    title : str, optional
        Page title; default ``graphmodel: <scope title>``.
    node_budget : int, optional
        Refuse a view of more nodes (:func:`~graphmodel.views.scope.check_budget`).
    since : Diff, optional
        An earlier snapshot compared with this graph
        (:func:`~graphmodel.analysis.diff.compare`; ``since_source`` says
        where it came from): the pairs resolved since are drawn as green
        dotted edges and listed, the missing links that are new carry a
        "new" badge, and the legend says so.

    Returns
    -------
    str
        The page. It exposes ``window.graphmodelView`` (``nodes``, ``edges``:
        vis DataSets; ``network``; ``state``, ``"layout"`` then ``"stable"``;
        ``stabilized``; ``focus(pairIndex)``) and says ``<body
        data-state="stable">`` once its layout has settled, physics is off
        and the settled layout is drawn: the event scripts and tests wait for.

    Raises
    ------
    ScopeError
        The scope's tambon, district, province or agency is not in the graph.
    ViewTooLarge
        More nodes than ``node_budget``.
    """
    view = scope_graph(payload, scope)
    if node_budget is not None:
        check_budget(len(view.payload.nodes), scope, node_budget)
    shown = sorted(scope_pairs(pairs, view), key=lambda p: (p.coordinated, p.tambon.id, p.ids))
    new = {(c.tambon, c.a, c.b): c for c in since.appeared} if since is not None else {}
    listed = [c for c in since.resolved if c.tambon in view.tambons] if since is not None else []
    keys = view.keys
    drawn = [c for c in listed if ("Program", c.a) in keys and ("Program", c.b) in keys]
    net = build_network(view.payload, shown, budgets=_budgets(payload), new=frozenset(new), resolved=drawn)
    nodes, edges, _, _, _, options = net.get_network_data()
    data = {
        "scope": {"kind": scope.kind, "code": scope.code, "title": view.title},
        "nodes": nodes, "edges": edges, "options": json.loads(options),
        "pairs": [_pair_json(p, new.get((p.tambon.id, *p.ids))) for p in shown],
        "legend": _legend(view.payload, shown, len(edges), since=since is not None, resolved=bool(drawn)),
    }
    if since is not None:
        data["since"] = {"source": since_source, "resolved": [_resolved_json(since, c, c in drawn) for c in listed],
                         "new": sum(1 for p in shown if (p.tambon.id, *p.ids) in new)}
    return page_html(title or f"graphmodel: {view.title}", data)


def _resolved_json(d: Diff, c: Change, drawn: bool) -> dict[str, Any]:
    """A pair resolved since the earlier snapshot, as the side panel lists it."""
    side = lambda pid: {"program": f"Program:{pid}", "label": bilingual(*d.names.get(pid, (pid, None)), pid)}  # noqa: E731
    return {"tambon": words.place(c.tambon), "a": side(c.a), "b": side(c.b), "how": words.REASONS[c.reason],
            "detail": words.change_detail(c), "drawn": drawn}


def page_html(title: str, data: dict[str, Any]) -> str:
    """The page: ``template.html`` with ``data`` as escaped JSON, vis-network and ``view.js`` inlined.

    ``data`` holds what ``view.js`` reads: ``scope``, ``nodes``, ``edges``,
    ``options``, ``pairs``, ``legend`` (and, in an aggregated view,
    ``overview``: see :mod:`graphmodel.views.overview`).
    """
    template, app_js = _page_files()
    _, vis_js, css = vis_network()
    csp = (f"default-src 'none'; script-src {csp_hash(vis_js)} {csp_hash(app_js)}; "
           f"style-src 'unsafe-inline'; img-src data:; font-src data:")
    values = {"TITLE": html.escape(title), "CSP": html.escape(csp), "FONT": FONT_STACK,
              "VIS_CSS": css, "DATA": safe_json(data), "VIS_JS": vis_js, "APP_JS": app_js}
    # One pass: text put in is never searched again, so data cannot name a placeholder.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], template)


def _legend(payload: GraphPayload, pairs: list[ParallelPair], n_edges: int, *, since: bool = False,
            resolved: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Legend entries for the node kinds and relationship types in the view, drawn as in the view
    (with ``since``: the "new" badge, and the resolved links when some are drawn)."""
    big = _is_big(len(payload.nodes), n_edges)
    kinds = {_style_key(n) for n in payload.nodes}
    types = {r.type.value for r in payload.relationships}
    if any(not p.coordinated for p in pairs):
        types.add("MISSING_LINK")
    if resolved:
        types.add("RESOLVED_LINK")
    edges = [{"label": s[0], **_edge_style(t, big)} for t, s in EDGE_STYLES.items() if t in types]
    if since:
        edges.append({"label": "new since the earlier snapshot (--since)", **_edge_style("MISSING_LINK", big),
                      "badge": "new"})
    return {
        "nodes": [{"label": lbl, "shape": shape, "color": colour}
                  for key, lbl, shape, colour, _ in NODE_STYLES if key in kinds],
        "edges": edges,
    }
