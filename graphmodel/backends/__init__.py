"""Graph backends behind one small interface (:class:`~graphmodel.backends.base.Backend`).

- :mod:`~graphmodel.backends.embedded`: networkx in memory, nothing to install (the default);
- :mod:`~graphmodel.backends.neo4j`: a Neo4j server (teams, national scale, clusters/Aura).
"""

from .base import Backend
from .embedded import EmbeddedBackend

__all__ = ["Backend", "EmbeddedBackend"]
