"""Graph backends behind one small interface (:class:`~graphmodel.backends.base.Backend`).

- :mod:`~graphmodel.backends.embedded`: in this process, nothing to install (the default);
- :class:`graphmodel.neo4j.Neo4jBackend`: a Neo4j server (teams, national scale,
  clusters and Aura); all Neo4j code lives in :mod:`graphmodel.neo4j`.

Backends answer small questions (counts, nodes by label, relationships by
type); the analyses above them (:mod:`graphmodel.analysis`) never need a
backend to change.
"""

from .base import Backend, CypherBackend, NodeRow, RelRow, payload
from .embedded import EmbeddedBackend

__all__ = ["Backend", "CypherBackend", "EmbeddedBackend", "NodeRow", "RelRow", "payload"]
