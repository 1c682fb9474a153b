"""The embedded backend: the graph in this process, nothing to install.

It keeps the validated :class:`~graphmodel.model.Dataset` and answers the
backend questions straight from its records (one pass, no copy), which is
what the analyses need, at national size too. Graph algorithms that want a
real graph object (betweenness, exports to GraphML/GEXF) get a networkx
``MultiDiGraph`` from :attr:`EmbeddedBackend.graph`, built on first use.

Examples
--------
>>> from graphmodel.model import Dataset, Agency
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="a", name="A", kind="provincial")]))
>>> b.counts()
{'Agency': 1}
>>> list(b.nodes("Agency"))
[NodeRow(id='a', props={'name': 'A', 'kind': 'provincial'})]
>>> b.graph.nodes[("Agency", "a")]["kind"]
'provincial'
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterator

import networkx as nx

from ..model import Dataset, GraphPayload, rel_key
from .base import NodeRow, RelRow, payload

__all__ = ["build_graph", "EmbeddedBackend"]


def build_graph(graph: GraphPayload) -> nx.MultiDiGraph:
    """A networkx graph for a payload: one node per (label, id), edge key = :func:`rel_key`.

    Nodes keep their label, id and properties as attributes; edges their
    ``type`` and properties.
    """
    g = nx.MultiDiGraph()
    for n in graph.nodes:
        g.add_node((n.label.value, n.id), label=n.label.value, id=n.id, **n.properties)
    for r in graph.relationships:
        g.add_edge((r.start_label.value, r.start), (r.end_label.value, r.end),
                   key=rel_key(r), type=r.type.value, **r.properties)
    return g


class EmbeddedBackend:
    """A :class:`~graphmodel.backends.base.Backend` over a dataset in memory."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> "EmbeddedBackend":
        return cls(dataset)

    def counts(self) -> dict[str, int]:
        return self.dataset.counts()

    def nodes(self, label: str) -> Iterator[NodeRow]:
        return map(NodeRow._make, self.dataset.node_rows(label))  # no generator frame per row

    def relationships(self, rtype: str) -> Iterator[RelRow]:
        return map(RelRow._make, self.dataset.relationship_rows(rtype))

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph as a networkx ``MultiDiGraph`` keyed by ``(label, id)``."""
        return build_graph(payload(self))

