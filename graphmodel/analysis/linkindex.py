"""Small indexes over the coordination links and the graph's entities, built once per :class:`~.facts.Facts`.

The analyses of issue 10 share them: which tambons a node has links limited
to (:func:`scoped_tambons`), which tambons exist as nodes
(:func:`tambon_ids`), and the names of any ids (the ``entity_names``
analysis, with its Cypher twin in ``cypher/linkindex.cypher``).

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency, Coordination
>>> from graphmodel.geo import with_areas
>>> b = EmbeddedBackend(with_areas(Dataset(
...     agencies=[Agency(id="a", name="ก", name_en="A", kind="line_agency"),
...               Agency(id="b", name="ข", kind="local_government")],
...     coordination=[Coordination(a="a", b="b", tambon="801208")])))
>>> scoped_tambons(Facts.of(b))["a"], sorted(tambon_ids(Facts.of(b)))
({'801208'}, ['801208'])
>>> [r["name"] for r in entity_names(b, ids=["b", "a", "nope"])]
['ก', 'ข']
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import Any, Callable, Iterator, Mapping, TypeVar

from ..backends.base import Backend
from .facts import Facts
from .registry import register, rows

__all__ = ["cached", "scoped_tambons", "tambon_ids", "entity_names", "names_of", "NAME_LABELS"]

T = TypeVar("T")
_CACHES: "weakref.WeakKeyDictionary[Facts, dict[str, Any]]" = weakref.WeakKeyDictionary()

#: The labels :func:`entity_names` looks in (the ids coordination links may name).
NAME_LABELS = ("Agency", "Fund", "Program", "Group")


def cached(facts: Facts, key: str, build: Callable[[Facts], T]) -> T:
    """``build(facts)``, computed once per :class:`Facts` object and kept while it lives."""
    store = _CACHES.setdefault(facts, {})
    if key not in store:
        store[key] = build(facts)
    return store[key]


def _scoped(facts: Facts) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for tambon, adjacency in facts.links.local.items():
        for node in adjacency:
            out[node].add(tambon)
    return dict(out)


def scoped_tambons(facts: Facts) -> dict[str, set[str]]:
    """Each node's tambons of the coordination links limited to one tambon that touch it."""
    return cached(facts, "scoped_tambons", _scoped)


def _tambons(facts: Facts) -> frozenset[str]:
    return frozenset(facts.tambon_programs) | frozenset(facts.tambon_groups) | frozenset(facts.links.local)


def tambon_ids(facts: Facts) -> frozenset[str]:
    """The tambons that are nodes of the graph: where programs are located, groups are
    based or coordination links are limited to (what :func:`~graphmodel.geo.with_areas` adds)."""
    return cached(facts, "tambon_ids", _tambons)


@register("entity_names", ("id", "label", "name", "name_en", "kind"))
def entity_names(backend: Backend, *, ids) -> Iterator[dict[str, Any]]:
    """Rows of the ``entity_names`` query: each id of ``ids`` that is an agency, fund,
    program or group, by id, with its label, Thai and English names and kind
    (an agency's or group's ``kind``, a fund's ``channel``, none for a program)."""
    facts = Facts.of(backend)
    for id_ in sorted(set(ids)):
        e = facts.entities.get(id_)
        if e is not None:
            yield {"id": id_, "label": e.label, "name": e.name, "name_en": e.name_en, "kind": e.kind}


def names_of(backend: Backend, ids, *, twin: str = "auto") -> Mapping[str, dict[str, Any]]:
    """``entity_names`` rows by id (ids not in the graph are absent)."""
    wanted = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 5_000):
        for row in rows(backend, "entity_names", {"ids": wanted[start:start + 5_000]}, twin=twin):
            out[row["id"]] = row
    return out
