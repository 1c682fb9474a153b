"""The interface every graph backend implements: small questions about the graph.

A backend stores the graph and answers three questions, each as plain rows
streamed one at a time:

- :meth:`Backend.counts` — nodes by label and relationships by type;
- :meth:`Backend.nodes` — the nodes of one label, ``(id, properties)``;
- :meth:`Backend.relationships` — the relationships of one type,
  ``(start label, start id, end label, end id, properties)``.

Everything else — the rules, rankings and views — is built on these rows by
:mod:`graphmodel.analysis` and :mod:`graphmodel.views`; a backend never
imports them. A backend that can run Cypher (Neo4j) also has
:meth:`CypherBackend.query_rows`, which the analysis layer uses to run an
analysis's Cypher twin on the server.

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency, Fund
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="codi", name="พอช.", kind="special_agency")],
...                             funds=[Fund(id="f", name="กองทุน", agency="codi")]))
>>> list(b.relationships("MANAGES"))
[RelRow(start_label='Agency', start='codi', end_label='Fund', end='f', props={})]
>>> [n.label.value for n in payload(b).nodes]
['Agency', 'Fund']
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, NamedTuple, Protocol, runtime_checkable

from ..model import GraphPayload, Node, NodeLabel, Relationship, RelType

__all__ = ["Backend", "CypherBackend", "NodeRow", "RelRow", "payload"]


class NodeRow(NamedTuple):
    """One node: its id and its properties (bookkeeping left out)."""

    id: str
    props: dict[str, Any]


class RelRow(NamedTuple):
    """One relationship: its two ends and its properties (bookkeeping left out)."""

    start_label: str
    start: str
    end_label: str
    end: str
    props: dict[str, Any]


@runtime_checkable
class Backend(Protocol):
    """What every graph store answers. Both backends answer the same rows for
    the same data (tests/backends/test_parity.py holds them equal)."""

    def counts(self) -> dict[str, int]:
        """Node counts by label and relationship counts by type, sorted by name, none zero."""
        ...

    def nodes(self, label: str) -> Iterator[NodeRow]:
        """Every node of ``label`` (a :class:`~graphmodel.model.NodeLabel` value)."""
        ...

    def relationships(self, rtype: str) -> Iterator[RelRow]:
        """Every relationship of ``rtype`` (a :class:`~graphmodel.model.RelType` value)."""
        ...


@runtime_checkable
class CypherBackend(Backend, Protocol):
    """A backend that also runs named Cypher queries (the Cypher twins)."""

    def query_rows(self, name: str, params: Mapping[str, Any], *,
                   page_param: str | None = None,
                   pages: list[list[Any]] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of the library's query ``name``; with ``page_param`` the
        query runs once per page of keys of ``pages`` (bounded memory)."""
        ...


def payload(backend: Backend) -> GraphPayload:
    """The whole graph as one :class:`~graphmodel.model.GraphPayload` (for views and exports).

    Nodes in label order (as :class:`~graphmodel.model.NodeLabel` lists them),
    then relationships in type order; within a label or type, the backend's order.
    """
    nodes = [Node(label=label, id=row.id, properties=row.props)
             for label in NodeLabel for row in backend.nodes(label.value)]
    rels = [Relationship(type=rtype, start_label=r.start_label, start=r.start,
                         end_label=r.end_label, end=r.end, properties=r.props)
            for rtype in RelType for r in backend.relationships(rtype.value)]
    return GraphPayload(nodes=nodes, relationships=rels)
