"""Which part of a graph a view draws: one tambon, district, province or agency.

A scope picks nodes out of a :class:`~graphmodel.model.GraphPayload`; the
view draws every relationship between the picked nodes, except coordination
links limited to a tambon outside the view (they do not count there).

- ``tambon CODE``: the tambon, its district and province, the programs
  located in it, their funds and the agencies managing them, the agencies and
  groups implementing them, the groups based in the tambon, and the direct
  coordination partners of all of these through links that count in the
  tambon (so a shared coordinator shows why a pair is coordinated).
- ``district CODE`` / ``province CODE``: the same for every tambon of the
  district or province that is in the graph.
- ``agency ID``: the agency, the funds it manages, the programs those funds
  fund or it implements, their tambons (with district and province), and its
  partners: the other implementers of those programs and the agency's own
  coordination partners.

Examples
--------
>>> from graphmodel.model import Dataset, Agency, Program, Implementation, Location
>>> from graphmodel.geo import with_areas
>>> ds = with_areas(Dataset(
...     agencies=[Agency(id="dopa", name="กรมการปกครอง", kind="line_agency")],
...     programs=[Program(id="survey", name="สำรวจคนจน", start_year=2006, end_year=2006)],
...     implementation=[Implementation(implementer="dopa", program="survey")],
...     locations=[Location(program="survey", tambon="802103")],
... ))
>>> view = scope_graph(ds.to_graph(), Scope("tambon", "802103"))
>>> view.title, sorted(view.keys)
('tambon 802103 กะหรอ (Karo)', [('Agency', 'dopa'), ('District', '8021'), ('Program', 'survey'), ('Province', '80'), ('Tambon', '802103')])
>>> len(view.payload.relationships)
4
>>> scope_graph(ds.to_graph(), Scope("agency", "dop"))
Traceback (most recent call last):
...
graphmodel.views.scope.ScopeError: agency 'dop' is not in this graph; did you mean 'dopa'?

Complexity: linear in the number of relationships (one index pass, then
breadth-limited walks from the scope's node).
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from ..analysis.described import ParallelPair
from ..analysis.facts import link_counts_in
from ..errors import GraphmodelError
from ..geo import Area, AreaCodeError, check_area_code
from ..model import GraphPayload, Node, Relationship, bilingual

__all__ = ["NODE_BUDGET", "SCOPE_KINDS", "Scope", "ScopeError", "ScopedGraph", "ViewTooLarge", "check_budget",
           "last_payload", "scope_graph", "scope_pairs"]

#: Scope kinds, and the node label and code length each one names.
SCOPE_KINDS: dict[str, tuple[str, int | None]] = {
    "all": ("", None),
    "tambon": ("Tambon", 6),
    "district": ("District", 4),
    "province": ("Province", 2),
    "agency": ("Agency", None),
    "nation": ("", None),  # aggregated views only (graphmodel.views.overview)
}
#: The most nodes a detailed view draws; above it the view is refused in favour of an aggregated one.
NODE_BUDGET = 2_000

Key = tuple[str, str]
T = TypeVar("T")


class ScopeError(GraphmodelError):
    """The tambon, district, province or agency a view asks for is not in the graph, or a scope is malformed."""

    exit_code = 2


class ViewTooLarge(GraphmodelError):
    """A detailed view would draw more nodes than its budget (:data:`NODE_BUDGET`); ``instead``
    is the aggregated view to draw (:func:`check_budget`)."""

    exit_code = 2

    def __init__(self, what: str, nodes: int, budget: int, instead: Scope, command: str | None = None):
        self.what, self.nodes, self.budget, self.instead = what, nodes, budget, instead
        super().__init__(f"the detailed view of {what} would draw {nodes:,} nodes, over the budget of "
                         f"{budget:,}; draw the aggregated view instead: {command or self.option}")

    @property
    def option(self) -> str:
        """The ``graphmodel view`` option of the aggregated view: ``--province 80``, ``--nation``."""
        return "--nation" if self.instead.kind == "nation" else f"--{self.instead.kind} {self.instead.code}"


@dataclass(frozen=True)
class Scope:
    """What to draw: ``Scope("tambon", "802103")``, ``Scope("agency", "codi")``, ``Scope()`` for all."""

    kind: str = "all"
    code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ScopeError(f"unknown scope kind {self.kind!r}; one of {', '.join(SCOPE_KINDS)}")
        if (self.kind in ("all", "nation")) != (self.code is None):
            raise ScopeError("a scope names a code unless it is 'all' or 'nation'")

    @property
    def slug(self) -> str:
        """A file-name-safe name: ``all``, ``tambon-802103``, ``agency-codi``.

        >>> Scope("agency", "a/b <c>").slug
        'agency-a_b_c_'
        """
        if self.code is None:
            return self.kind
        return f"{self.kind}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', self.code)}"


@dataclass(frozen=True)
class ScopedGraph:
    """The part of a graph a view draws."""

    scope: Scope
    payload: GraphPayload
    #: Tambon codes in the view: parallel pairs in these tambons are shown.
    tambons: frozenset[str]
    title: str

    @property
    def keys(self) -> set[Key]:
        return {(n.label.value, n.id) for n in self.payload.nodes}


class _Index:
    """Adjacency of a payload by relationship type, both directions."""

    def __init__(self, payload: GraphPayload):
        self.nodes: dict[Key, Node] = {(n.label.value, n.id): n for n in payload.nodes}
        self.out: dict[Key, list[tuple[str, Key, Relationship]]] = defaultdict(list)
        self.inc: dict[Key, list[tuple[str, Key, Relationship]]] = defaultdict(list)
        for r in payload.relationships:
            start, end = (r.start_label.value, r.start), (r.end_label.value, r.end)
            self.out[start].append((r.type.value, end, r))
            self.inc[end].append((r.type.value, start, r))

    def succ(self, keys: Iterable[Key], rtype: str) -> set[Key]:
        return {e for k in keys for t, e, _ in self.out[k] if t == rtype}

    def pred(self, keys: Iterable[Key], rtype: str) -> set[Key]:
        return {s for k in keys for t, s, _ in self.inc[k] if t == rtype}

    def partners(self, keys: Iterable[Key], area: Area) -> set[Key]:
        """Nodes one coordination link away, through links that count in ``area``."""
        out: set[Key] = set()
        for k in keys:
            for t, other, r in (*self.out[k], *self.inc[k]):
                if t == "COORDINATES_WITH" and _counts(r, area):
                    out.add(other)
        return out


def last_payload(build: Callable[[GraphPayload], T]) -> Callable[[GraphPayload], T]:
    """``build``, remembering its answer for the last payload it was given (by identity, without
    keeping that payload alive): an aggregated view draws each of its tambons from one payload,
    and indexing it again for each was most of the work."""
    last: list = [None, None]

    def of(payload: GraphPayload) -> T:
        if last[0] is None or last[0]() is not payload:
            last[:] = [weakref.ref(payload), build(payload)]
        return last[1]

    return of


_index_of = last_payload(lambda payload: _Index(payload))


def _counts(rel: Relationship, area: Area) -> bool:
    """Whether a coordination link counts in the view's area (every link counts in ``Area()``)."""
    return link_counts_in(rel.properties.get("tambon"), area)


def _areas(ix: _Index, tambons: set[Key]) -> set[Key]:
    districts = ix.succ(tambons, "IN_DISTRICT")
    return tambons | districts | ix.succ(districts, "IN_PROVINCE")


def _stakes(ix: _Index, programs: set[Key]) -> set[Key]:
    """Funds of the programs, the agencies managing them, and the programs' implementers."""
    funds = ix.pred(programs, "FUNDS")
    return funds | ix.pred(funds, "MANAGES") | ix.pred(programs, "IMPLEMENTS")


def _tambon_keep(ix: _Index, tambons: set[Key], area: Area) -> set[Key]:
    programs = ix.pred(tambons, "LOCATED_IN")
    keep = _areas(ix, tambons) | programs | _stakes(ix, programs) | ix.pred(tambons, "BASED_IN")
    entities = {k for k in keep if k[0] not in ("Tambon", "District", "Province")}
    return keep | ix.partners(entities, area)


def _agency_keep(ix: _Index, agency: Key) -> set[Key]:
    funds = ix.succ([agency], "MANAGES")
    programs = ix.succ(funds, "FUNDS") | ix.succ([agency], "IMPLEMENTS")
    tambons = ix.succ(programs, "LOCATED_IN")
    return ({agency} | funds | programs | _areas(ix, tambons)
            | ix.pred(programs, "IMPLEMENTS") | ix.partners([agency], Area()))


def _name(node: Node) -> str:
    return bilingual(node.properties.get("name"), node.properties.get("name_en"), node.id)


def _unknown(ix: _Index, scope: Scope, label: str, length: int | None) -> ScopeError:
    what, code = scope.kind, scope.code or ""
    if length is not None:
        try:
            names = check_area_code(what, code)
        except AreaCodeError as exc:
            return ScopeError(str(exc))
        name = names[0] + (f", {names[1]}" if names[1] else "")
        return ScopeError(f"{what} {code} ({name}) is not in this graph: no program, group or "
                          f"coordination link of the dataset is in it")
    others = [k for k in ix.nodes if k[1] == code]
    if others:
        return ScopeError(f"{code!r} is a {others[0][0]}, not an agency; --agency takes an agency id")
    close = difflib.get_close_matches(code, sorted(k[1] for k in ix.nodes if k[0] == label), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ScopeError(f"{what} {code!r} is not in this graph{hint}")


def scope_graph(payload: GraphPayload, scope: Scope) -> ScopedGraph:
    """The nodes and relationships a view of ``scope`` draws.

    Parameters
    ----------
    payload : GraphPayload
        The whole graph, e.g. from :func:`graphmodel.backends.payload`.
    scope : Scope
        What to draw.

    Returns
    -------
    ScopedGraph
        The picked nodes (in payload order), the relationships between them,
        the tambon codes in view and a title.

    Raises
    ------
    ScopeError
        The scope's tambon, district, province or agency is not in the graph.
    """
    if scope.kind == "all":
        tambons = frozenset(n.id for n in payload.nodes if n.label.value == "Tambon")
        return ScopedGraph(scope, payload, tambons, "whole graph")
    label, length = SCOPE_KINDS[scope.kind]
    ix = _index_of(payload)
    root = (label, scope.code or "")
    if root not in ix.nodes:
        raise _unknown(ix, scope, label, length)
    if scope.kind == "agency":
        keep = _agency_keep(ix, root)
        area = Area()  # an agency's view draws its links whatever tambon they are limited to
    else:
        tambon_keys = {root}
        if scope.kind in ("district", "province"):
            districts = {root} if scope.kind == "district" else ix.pred([root], "IN_PROVINCE")
            tambon_keys = ix.pred(districts, "IN_DISTRICT")
        area = Area.of(**{scope.kind: scope.code})
        keep = _tambon_keep(ix, tambon_keys, area) | {root}
    rels = [r for r in payload.relationships
            if (r.start_label.value, r.start) in keep and (r.end_label.value, r.end) in keep
            and (r.type.value != "COORDINATES_WITH" or _counts(r, area))]
    nodes = [n for n in payload.nodes if (n.label.value, n.id) in keep]
    in_view = frozenset(k[1] for k in keep if k[0] == "Tambon")
    title = f"{scope.kind} {scope.code} {_name(ix.nodes[root])}"
    return ScopedGraph(scope, GraphPayload(nodes=nodes, relationships=rels), in_view, title)


def scope_pairs(pairs: Iterable[ParallelPair], view: ScopedGraph) -> list[ParallelPair]:
    """The parallel pairs in a view: in one of its tambons, with both programs drawn."""
    keys = view.keys
    return [p for p in pairs if p.tambon.id in view.tambons
            and all(("Program", i) in keys for i in p.ids)]


def check_budget(n_nodes: int, scope: Scope, budget: int = NODE_BUDGET) -> None:
    """Refuse a detailed view of ``n_nodes`` above ``budget``, naming the aggregated view to draw.

    >>> check_budget(3_000, Scope("province", "80"))
    Traceback (most recent call last):
    ...
    graphmodel.views.scope.ViewTooLarge: the detailed view of province 80 would draw 3,000 nodes, over the budget of 2,000; draw the aggregated view instead: --province 80
    """
    if n_nodes <= budget:
        return
    what = "the whole graph" if scope.kind == "all" else f"{scope.kind} {scope.code}"
    raise ViewTooLarge(what, n_nodes, budget, _aggregate_of(scope))


def _aggregate_of(scope: Scope) -> Scope:
    """The aggregated view to draw instead of a detailed one: the same district or province,
    a tambon's district, the nation for the whole graph or an agency."""
    if scope.kind in ("district", "province"):
        return scope
    if scope.kind == "tambon" and scope.code:
        return Scope("district", scope.code[:4])
    return Scope("nation")
