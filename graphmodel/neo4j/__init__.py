"""Everything that talks to Neo4j, in one place.

- :mod:`.connection` — :func:`connect`: a checked driver from a URI and credentials;
- :mod:`.errors` — the one translator of driver exceptions into graphmodel's;
- :mod:`.library` — the named Cypher queries of ``cypher/`` (shipped in the wheel);
- :mod:`.runner` — running them read-only with managed transactions;
- :mod:`.gate` — the load gate: no read sees a load half done;
- :mod:`.backend` — :class:`Neo4jBackend`, the graph on a server; :class:`Neo4jDataset`, one
  dataset of it read apart;
- :mod:`.load` — :func:`load_dataset`, the batched, idempotent, resumable loader.

Nothing here reads the environment: the CLI passes URIs and credentials in.
"""

from .backend import Neo4jBackend, Neo4jDataset
from .connection import DEFAULT_USER, connect
from .load import load_dataset

__all__ = ["DEFAULT_USER", "Neo4jBackend", "Neo4jDataset", "connect", "load_dataset"]
