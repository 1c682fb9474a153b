"""What is in the graph: the Python twins of ``schema`` and ``counts`` (``cypher/catalog.cypher``).

Both read the backend's rows directly (nothing here needs the indexes of
:class:`~.facts.Facts`).

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency, Fund
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="a", name="A", kind="provincial")],
...                             funds=[Fund(id="f", name="F", agency="a", channel="ceo")]))
>>> list(counts(b))
[{'type': 'Agency', 'count': 1}, {'type': 'Fund', 'count': 1}, {'type': 'MANAGES', 'count': 1}]
>>> [(r["kind"], r["pattern"], r["count"], r["properties"]) for r in schema(b)]
[('node', '(:Agency)', 1, ['id', 'kind', 'name']), ('node', '(:Fund)', 1, ['channel', 'id', 'name']), ('relationship', '(:Agency)-[:MANAGES]->(:Fund)', 1, [])]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..backends.base import Backend
from ..model import NodeLabel, RelType
from .registry import register

__all__ = ["counts", "schema"]


@register("counts", ("type", "count"))
def counts(backend: Backend) -> Iterator[dict[str, Any]]:
    """One row per node label and relationship type of the model with at least one, by name."""
    for name, count in backend.counts().items():
        yield {"type": name, "count": count}


def _public(keys) -> set[str]:
    """Property names without the loader's bookkeeping (names starting with ``_``)."""
    return {k for k in keys if not k.startswith("_")}


@register("schema", ("kind", "name", "pattern", "count", "properties"))
def schema(backend: Backend) -> Iterator[dict[str, Any]]:
    """One row per node label, then one per relationship pattern ``(:Start)-[:TYPE]->(:End)``.

    Rows: ``kind`` (``node`` or ``relationship``), ``name`` (the label or
    type), ``pattern``, ``count`` and ``properties`` (every property name
    found on them, sorted; a node's ``id`` included), ordered by kind, name
    and pattern. Labels and types with nothing are left out. The backend
    answers for the model's labels and types (:class:`~graphmodel.model.NodeLabel`,
    :class:`~graphmodel.model.RelType`); the Cypher twin lists any other label
    a server holds too.

    Notes
    -----
    Reads every node and relationship once; holds one set of property
    names per label and pattern.
    """
    for label in sorted(NodeLabel, key=lambda x: x.value):
        count, keys = 0, {"id"}
        for row in backend.nodes(label.value):
            count += 1
            keys |= row.props.keys()
        if count:
            yield {"kind": "node", "name": label.value, "pattern": f"(:{label.value})",
                   "count": count, "properties": sorted(_public(keys))}
    for rtype in sorted(RelType, key=lambda x: x.value):
        found: dict[str, list] = defaultdict(lambda: [0, set()])
        for r in backend.relationships(rtype.value):
            entry = found[f"(:{r.start_label})-[:{rtype.value}]->(:{r.end_label})"]
            entry[0] += 1
            entry[1] |= r.props.keys()
        for pattern in sorted(found):
            count, keys = found[pattern]
            yield {"kind": "relationship", "name": rtype.value, "pattern": pattern, "count": count,
                   "properties": sorted(_public(keys))}
