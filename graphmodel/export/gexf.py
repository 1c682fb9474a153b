"""GEXF 1.2 for Gephi (and networkx).

Gephi's own format: the node's ``label`` attribute is GEXF's native node
label (Thai and English), the edge's ``label`` (its relationship type) the
native edge label; every other attribute of :mod:`.graph` is declared in
``<attributes>`` with a type (``integer``, ``long``, ``double``,
``boolean``, ``string``; lists as text joined by ``;``) and given per node
or edge in ``<attvalues>``. Edges are directed and numbered from 0.

Examples
--------
>>> import tempfile, pathlib, networkx as nx
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Program
>>> b = EmbeddedBackend(Dataset(programs=[Program(id="p", name="แผนชีวิตชุมชน", themes=("a", "b"),
...                                               start_year=2006, end_year=2007)]))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
>>> write_gexf(b, path, {})
(1, 0)
>>> node = nx.read_gexf(path).nodes["Program:p"]
>>> node["label"], node["themes"], node["end_year"], node["uncoordinated_pairs"]
('แผนชีวิตชุมชน', 'a;b', 2007, 0)
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Mapping

from .. import __version__
from ..backends.base import Backend
from ..safecsv import atomic_text
from .graph import EDGE_ORDER, NODE_ORDER, spooled_graph, xml_attr
from .schema import Schema, ordered, text

__all__ = ["write_gexf", "GEXF_TYPES"]

#: The GEXF attribute ``type`` of each property type.
GEXF_TYPES = {"int": "integer", "long": "long", "double": "double", "boolean": "boolean",
              "string": "string", "string[]": "string"}

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
         f'  <meta><creator>graphmodel {__version__}</creator></meta>\n'
         '  <graph defaultedgetype="directed" mode="static">\n')


def _attributes(fh: IO[str], schema: Schema, order: list[str], domain: str) -> dict[str, str]:
    """Declare the attributes of ``domain`` other than ``label``; return their ids."""
    ids = {}
    fh.write(f'    <attributes class="{domain}" mode="static">\n')
    for name in ordered((n for n in schema.types if n != "label"), order):
        ids[name] = str(len(ids))
        fh.write(f'      <attribute id="{ids[name]}" title={xml_attr(name)} '
                 f'type="{GEXF_TYPES[schema.types[name]]}"/>\n')
    fh.write("    </attributes>\n")
    return ids


def _values(attrs: Mapping[str, Any], ids: Mapping[str, str]) -> str:
    values = "".join(f'<attvalue for="{ids[k]}" value={xml_attr(text(v))}/>'
                     for k, v in attrs.items() if k != "label")
    return f"<attvalues>{values}</attvalues>" if values else ""


def write_gexf(backend: Backend, path: str | Path,
               counts: Mapping[tuple[str, str], tuple[int, int]]) -> tuple[int, int]:
    """Write the whole graph of ``backend`` as GEXF 1.2 to ``path`` (atomically).

    Parameters and result as :func:`~.graphml.write_graphml`.
    """
    path = Path(path)
    with spooled_graph(backend, path.parent, counts) as (nodes, edges), atomic_text(path) as fh:
        fh.write(_HEAD)
        node_ids = _attributes(fh, nodes.schema, NODE_ORDER, "node")
        edge_ids = _attributes(fh, edges.schema, EDGE_ORDER, "edge")
        fh.write("    <nodes>\n")
        for node, attrs in nodes:
            fh.write(f"      <node id={xml_attr(node)} label={xml_attr(attrs['label'])}>"
                     f"{_values(attrs, node_ids)}</node>\n")
        fh.write("    </nodes>\n    <edges>\n")
        for i, (source, target, attrs) in enumerate(edges):
            fh.write(f'      <edge id="{i}" source={xml_attr(source)} target={xml_attr(target)} '
                     f"label={xml_attr(attrs['label'])}>{_values(attrs, edge_ids)}</edge>\n")
        fh.write("    </edges>\n  </graph>\n</gexf>\n")
        return nodes.rows, edges.rows
