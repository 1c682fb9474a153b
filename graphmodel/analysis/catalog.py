"""What is in the graph: the Python twin of ``counts`` (``cypher/catalog.cypher``).

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency
>>> list(counts(EmbeddedBackend(Dataset(agencies=[Agency(id="a", name="A", kind="provincial")]))))
[{'type': 'Agency', 'count': 1}]
"""

from __future__ import annotations

from typing import Any, Iterator

from ..backends.base import Backend
from .registry import register

__all__ = ["counts"]


@register("counts", ("type", "count"))
def counts(backend: Backend) -> Iterator[dict[str, Any]]:
    """One row per node label and relationship type of the model with at least one, by name."""
    for name, count in backend.counts().items():
        yield {"type": name, "count": count}
