"""What the graph formats (GraphML, GEXF, node-link JSON) carry for each node and edge.

The three formats carry the same attributes, so a graph looks the same in
Gephi, yEd and networkx whichever file it came from:

- a node's id is ``Label:id`` (``Agency:codi``, ``Tambon:802103``), so an
  entity id never meets a DOPA code (the views name nodes the same way);
- ``type`` is the node's label (``Agency``, ``Fund``, ``Program``, ``Group``,
  ``Tambon``, ``District``, ``Province``);
- ``label`` is the name to show, Thai and English where both exist
  (:func:`~graphmodel.model.bilingual`): Gephi and yEd use it as the node's label;
- every property of the node as the model holds it (``name``, ``name_en``,
  ``kind``, ``channel``, ``themes``, years, amounts, ``code``, ``source``,
  columns beyond the contract);
- on programs and tambons, ``parallel_pairs`` and ``uncoordinated_pairs``:
  how many parallel pairs (and how many of them uncoordinated) the overlaps
  rule finds with this program in them, or in this tambon;
- an edge's ``label`` is its relationship type (``FUNDS``), followed by its
  properties.

A property whose name a format or Gephi uses for something else (``id``,
``label``, ``type``, on edges ``source``, ``target``, ``key``, ``weight``,
and the names Gephi reads as position, size or colour) is written as
``data_<name>``: a coordination row's ``source`` column becomes ``data_source``.

Examples
--------
>>> attrs = node_attributes("Tambon", "802103", {"name": "กะหรอ", "name_en": "Karo"},
...                         {("Tambon", "802103"): (2, 1)})
>>> attrs["type"], attrs["label"], attrs["name"], attrs["parallel_pairs"], attrs["uncoordinated_pairs"]
('Tambon', 'กะหรอ (Karo)', 'กะหรอ', 2, 1)
>>> edge_attributes("COORDINATES_WITH", {"mechanism": "joint plan", "source": "seed"})
{'label': 'COORDINATES_WITH', 'mechanism': 'joint plan', 'data_source': 'seed'}
>>> xml_attr('a "b" <c>\\n'), xml_text("x\\x01y & z")
('"a &quot;b&quot; &lt;c&gt;&#10;"', 'x\\ufffdy &amp; z')
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..analysis.overlaps import PairRow
from ..backends.base import Backend
from ..model import NodeLabel, RelType, bilingual
from .schema import Spool, model_order, plain, relationship_key

__all__ = ["PARALLEL", "UNCOORDINATED", "COUNTED_LABELS", "NODE_ORDER", "EDGE_ORDER", "node_key",
           "pair_counts", "node_attributes", "edge_attributes", "graph_nodes", "graph_edges",
           "spooled_graph", "xml_text", "xml_attr"]

PARALLEL = "parallel_pairs"
UNCOORDINATED = "uncoordinated_pairs"
#: The labels whose nodes carry the two pair counts (0 when the rule finds none).
COUNTED_LABELS = ("Program", "Tambon")
_PREFIX = "data_"
# Gephi reads these as a node's or an edge's position, size, colour or weight.
_GEPHI = frozenset({"x", "y", "z", "size", "color", "r", "g", "b", "weight"})
_NODE_RESERVED = frozenset({"id", "label", "type", PARALLEL, UNCOORDINATED}) | _GEPHI
_EDGE_RESERVED = frozenset({"id", "label", "type", "source", "target", "key"}) | _GEPHI

#: The order of node attributes in a file's declarations (others follow by name).
NODE_ORDER = ["type", "label", *(f for label in NodeLabel for f in model_order(label.value)),
              PARALLEL, UNCOORDINATED]
#: The order of edge attributes in a file's declarations (others follow by name).
EDGE_ORDER = ["label", *(f for rtype in RelType for f in model_order(rtype.value))]


def node_key(label: str, id_: str) -> str:
    """The id of a node in the graph formats.

    >>> node_key("Program", "codi_life_plan")
    'Program:codi_life_plan'
    """
    return f"{label}:{id_}"


def pair_counts(pair_rows: Iterable[PairRow]) -> dict[tuple[str, str], tuple[int, int]]:
    """``(label, id) -> (parallel, uncoordinated)`` for every program and tambon in a pair.

    >>> rows = [PairRow("802103", "p", "q", ("x",), 2006, 2006, ()),
    ...         PairRow("802103", "p", "r", ("x",), 2006, 2006, ("direct_link",))]
    >>> pair_counts(rows)[("Program", "p")], pair_counts(rows)[("Tambon", "802103")]
    ((2, 1), (2, 1))
    """
    parallel: Counter = Counter()
    uncoordinated: Counter = Counter()
    for pair in pair_rows:
        keys = (("Program", pair.a), ("Program", pair.b), ("Tambon", pair.tambon))
        parallel.update(keys)
        if not pair.coordinated:
            uncoordinated.update(keys)
    return {key: (n, uncoordinated[key]) for key, n in parallel.items()}


def _put(attrs: dict[str, Any], props: Mapping[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    for key, value in props.items():
        if value is None:
            continue
        while key in reserved or key in attrs:
            key = _PREFIX + key
        attrs[key] = plain(value)
    return attrs


def node_attributes(label: str, id_: str, props: Mapping[str, Any],
                    counts: Mapping[tuple[str, str], tuple[int, int]]) -> dict[str, Any]:
    """The attributes of one node (see the module's description)."""
    attrs = _put({"type": label, "label": bilingual(props.get("name"), props.get("name_en"), id_)},
                 props, _NODE_RESERVED)
    if label in COUNTED_LABELS:
        attrs[PARALLEL], attrs[UNCOORDINATED] = counts.get((label, id_), (0, 0))
    return attrs


def edge_attributes(rtype: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes of one edge: ``label`` (the relationship type), then its properties."""
    return _put({"label": rtype}, props, _EDGE_RESERVED)


def graph_nodes(backend: Backend, counts: Mapping[tuple[str, str], tuple[int, int]]
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(node id, attributes)`` of every node, label by label, streamed from the backend."""
    for label in NodeLabel:
        for row in backend.nodes(label.value):
            yield node_key(label.value, row.id), node_attributes(label.value, row.id, row.props, counts)


def graph_edges(backend: Backend) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``(source id, target id, key, attributes)`` of every relationship, type by type.

    ``key`` is the relationship's :func:`~graphmodel.model.rel_key` (unique
    between the same two nodes), the edge key of a networkx ``MultiDiGraph``.
    """
    for rtype in RelType:
        for r in backend.relationships(rtype.value):
            yield (node_key(r.start_label, r.start), node_key(r.end_label, r.end),
                   relationship_key(rtype, r.props), edge_attributes(rtype.value, r.props))


@contextlib.contextmanager
def spooled_graph(backend: Backend, folder: Path, counts: Mapping[tuple[str, str], tuple[int, int]]
                  ) -> Iterator[tuple[Spool, Spool]]:
    """Every node and every edge read once into two :class:`~.schema.Spool`\\ s in ``folder``.

    The node spool holds ``(id, attributes)``, the edge spool ``(source,
    target, attributes)``; both know their attributes' types when this yields.
    """
    with Spool(folder) as nodes, Spool(folder) as edges:
        for row in graph_nodes(backend, counts):
            nodes.add(row)
        for source, target, _, attrs in graph_edges(backend):
            edges.add((source, target, attrs))
        yield nodes, edges


# --- XML text ------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all (not even as &#...;): C0 controls other than
# tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
def xml_text(value: str) -> str:
    """``value`` escaped for element content; characters XML cannot carry become U+FFFD."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("\ufffd", value)
    # A chain of replace() is several times faster than str.translate on Thai text.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted attribute value (line breaks and tabs kept as references)."""
    value = xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{value}"'
