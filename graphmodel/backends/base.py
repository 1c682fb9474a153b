"""The interface every graph backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..analysis.overlaps import ParallelPair
from ..model import GraphPayload

__all__ = ["Backend"]


@runtime_checkable
class Backend(Protocol):
    """What the CLI and the views need from a graph store.

    Both backends answer with the same pydantic records, so output never
    depends on where the graph lives (the tests hold them equal).
    """

    def counts(self) -> dict[str, int]:
        """Node counts by label and relationship counts by type, sorted by name."""
        ...

    def parallel_pairs(self, *, tambon: str | None = None, province: str | None = None) -> list[ParallelPair]:
        """Every parallel program pair (coordinated or not), sorted by tambon then ids."""
        ...

    def payload(self) -> GraphPayload:
        """The whole graph as nodes and relationships (what the views draw)."""
        ...
