"""Node-link JSON: networkx's ``node_link_data`` shape, for networkx, D3 and scripts.

``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...],
"edges": [...]}``: each node an object with its ``id`` and the attributes of
:mod:`.graph` (lists stay lists, numbers numbers), each edge an object with
``source``, ``target``, ``key`` (the relationship's
:func:`~graphmodel.model.rel_key`, unique between two nodes) and its
attributes. One node or edge per line, written as read, so the file is
streamed and never held whole. ``networkx.node_link_graph(data)``
(networkx 3.4 or later) reads it back as a ``MultiDiGraph``; with D3, pass
the ``edges`` array as the links.

Examples
--------
>>> import io, json, tempfile, pathlib, networkx as nx
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="dopa", name="กรมการปกครอง", kind="line_agency"),
...                                       Agency(id="nst", name="จังหวัด", kind="provincial", parent="dopa")]))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> write_node_link(b, path, {})
(2, 1)
>>> data = json.loads(path.read_text(encoding="utf-8"))
>>> data["edges"]
[{'source': 'Agency:nst', 'target': 'Agency:dopa', 'key': 'PART_OF', 'label': 'PART_OF'}]
>>> list(nx.node_link_graph(data).edges(keys=True))
[('Agency:nst', 'Agency:dopa', 'PART_OF')]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from .. import __version__
from ..backends.base import Backend
from ..safecsv import atomic_text
from .graph import graph_edges, graph_nodes

__all__ = ["write_node_link"]


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_node_link(backend: Backend, path: str | Path,
                    counts: Mapping[tuple[str, str], tuple[int, int]]) -> tuple[int, int]:
    """Write the whole graph of ``backend`` as node-link JSON to ``path`` (atomically).

    Parameters and result as :func:`~.graphml.write_graphml`.
    """
    nodes = edges = 0
    with atomic_text(path) as fh:
        fh.write('{"directed": true, "multigraph": true, '
                 f'"graph": {_dump({"generator": f"graphmodel {__version__}"})},\n"nodes": [')
        for node, attrs in graph_nodes(backend, counts):
            fh.write(("\n" if nodes == 0 else ",\n") + _dump({"id": node, **attrs}))
            nodes += 1
        fh.write('\n],\n"edges": [')
        for source, target, key, attrs in graph_edges(backend):
            fh.write(("\n" if edges == 0 else ",\n")
                     + _dump({"source": source, "target": target, "key": key, **attrs}))
            edges += 1
        fh.write("\n]}\n")
    return nodes, edges
