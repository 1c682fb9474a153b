"""GraphML for Gephi, yEd, Cytoscape and networkx.

One ``<key>`` per attribute (nodes and edges apart), typed ``int``,
``long``, ``double``, ``boolean`` or ``string`` (lists are written as text,
items joined by ``;``), then one ``<node>`` per node and one ``<edge>`` per
relationship; the attributes are those of :mod:`.graph`. Edges are
directed and numbered ``e0``, ``e1``, ... in file order.

Examples
--------
>>> import tempfile, pathlib, networkx as nx
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency, Fund
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="codi", name="พอช.", name_en="CODI", kind="special_agency")],
...                             funds=[Fund(id="f", name="กองทุน", agency="codi", fiscal_year=2006)]))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> write_graphml(b, path, {})
(2, 1)
>>> g = nx.read_graphml(path)
>>> g.nodes["Agency:codi"]["label"], g.nodes["Fund:f"]["fiscal_year"], list(g.edges(data="label"))
('พอช. (CODI)', 2006, [('Agency:codi', 'Fund:f', 'MANAGES')])
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Mapping

from ..backends.base import Backend
from ..safecsv import atomic_text
from .graph import EDGE_ORDER, NODE_ORDER, spooled_graph, xml_attr, xml_text
from .schema import Schema, ordered, text

__all__ = ["write_graphml", "GRAPHML_TYPES"]

#: The GraphML ``attr.type`` of each property type.
GRAPHML_TYPES = {"int": "int", "long": "long", "double": "double", "boolean": "boolean",
                 "string": "string", "string[]": "string"}

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
         'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
         'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')


def _keys(fh: IO[str], schema: Schema, order: list[str], domain: str, prefix: str) -> dict[str, str]:
    ids = {}
    for i, name in enumerate(ordered(schema.types, order)):
        ids[name] = f"{prefix}{i}"
        fh.write(f'  <key id="{prefix}{i}" for="{domain}" attr.name={xml_attr(name)} '
                 f'attr.type="{GRAPHML_TYPES[schema.types[name]]}"/>\n')
    return ids


def _data(attrs: Mapping[str, Any], ids: Mapping[str, str]) -> str:
    return "".join(f'<data key="{ids[k]}">{xml_text(text(v))}</data>' for k, v in attrs.items())


def write_graphml(backend: Backend, path: str | Path,
                  counts: Mapping[tuple[str, str], tuple[int, int]]) -> tuple[int, int]:
    """Write the whole graph of ``backend`` as GraphML to ``path`` (atomically).

    Parameters
    ----------
    backend : Backend
        The graph, read once.
    path : path
        The file to write; its folder also holds the temporary files.
    counts : mapping
        :func:`~.graph.pair_counts` of the overlaps rule.

    Returns
    -------
    tuple of int
        Nodes and edges written.

    Raises
    ------
    WriteFailed
        The file cannot be written; nothing is left at ``path``.
    """
    path = Path(path)
    with spooled_graph(backend, path.parent, counts) as (nodes, edges), atomic_text(path) as fh:
        fh.write(_HEAD)
        node_ids = _keys(fh, nodes.schema, NODE_ORDER, "node", "d")
        edge_ids = _keys(fh, edges.schema, EDGE_ORDER, "edge", "k")
        fh.write('  <graph id="graphmodel" edgedefault="directed">\n')
        for node, attrs in nodes:
            fh.write(f"    <node id={xml_attr(node)}>{_data(attrs, node_ids)}</node>\n")
        for i, (source, target, attrs) in enumerate(edges):
            fh.write(f'    <edge id="e{i}" source={xml_attr(source)} target={xml_attr(target)}>'
                     f"{_data(attrs, edge_ids)}</edge>\n")
        fh.write("  </graph>\n</graphml>\n")
        return nodes.rows, edges.rows
