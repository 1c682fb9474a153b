"""The embedded backend: the graph as a networkx ``MultiDiGraph`` in memory.

Nodes are keyed by ``(label, id)`` so a tambon code can never collide with
an agency id; every node keeps its label and properties as attributes and
every edge its ``type`` and properties (edge key: :func:`~graphmodel.model.rel_key`).

Examples
--------
>>> from graphmodel.model import Dataset, Agency
>>> b = EmbeddedBackend.from_dataset(Dataset(agencies=[Agency(id="a", name="A", kind="provincial")]))
>>> b.counts()
{'Agency': 1}
"""

from __future__ import annotations

import networkx as nx

from ..analysis.overlaps import ParallelPair, parallel_pairs
from ..model import Dataset, GraphPayload, Node, Relationship, rel_key

__all__ = ["build_graph", "EmbeddedBackend"]


def build_graph(payload: GraphPayload) -> nx.MultiDiGraph:
    """Build the networkx graph for a payload: one node per (label, id), edge key = type."""
    g = nx.MultiDiGraph()
    for n in payload.nodes:
        g.add_node((n.label.value, n.id), label=n.label.value, id=n.id, **n.properties)
    for r in payload.relationships:
        g.add_edge((r.start_label.value, r.start), (r.end_label.value, r.end),
                   key=rel_key(r), type=r.type.value, **r.properties)
    return g


class EmbeddedBackend:
    """A :class:`~graphmodel.backends.base.Backend` over an in-memory networkx graph."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> "EmbeddedBackend":
        return cls(build_graph(dataset.to_graph()))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, data in self.graph.nodes(data=True):
            out[data["label"]] = out.get(data["label"], 0) + 1
        for _, _, rtype in self.graph.edges(data="type"):
            out[rtype] = out.get(rtype, 0) + 1
        return dict(sorted(out.items()))

    def parallel_pairs(self, *, tambon: str | None = None, province: str | None = None) -> list[ParallelPair]:
        return parallel_pairs(self.graph, tambon=tambon, province=province)

    def payload(self) -> GraphPayload:
        skip = {"label", "id"}
        nodes = [Node(label=d["label"], id=d["id"], properties={k: v for k, v in d.items() if k not in skip})
                 for _, d in self.graph.nodes(data=True)]
        rels = [Relationship(type=d["type"], start_label=u[0], start=u[1], end_label=v[0], end=v[1],
                             properties={k: v2 for k, v2 in d.items() if k != "type"})
                for u, v, d in self.graph.edges(data=True)]
        return GraphPayload(nodes=nodes, relationships=rels)
