"""Everything that talks to Neo4j, in one place.

- :mod:`.credentials` — :func:`~.credentials.neo4j_env`: the server and credentials of the
  ``NEO4J_*`` variables, read when the caller asks (the CLI, a notebook);
- :mod:`.connection` — :func:`connect`: a checked driver from a URI and credentials;
- :mod:`.errors` — the one translator of driver exceptions into graphmodel's;
- :mod:`.runner` — running the named queries (:mod:`graphmodel.queries`) read-only with
  managed transactions;
- :mod:`.gate` — the load gate: no read sees a load half done;
- :mod:`.interrupt` — every transaction tagged, and ended on the server by Ctrl-C;
- :mod:`.backend` — :class:`Neo4jBackend`, the graph on a server; :class:`Neo4jDataset`, one
  dataset of it read apart;
- :mod:`.load` — :func:`load_dataset`, the batched, idempotent, resumable loader.

Nothing here reads the environment unless asked (:func:`~.credentials.neo4j_env`): the
CLI and :func:`graphmodel.open` pass URIs and credentials in.

The names below are imported when first used, so that importing a module of
this package (e.g. :mod:`.credentials`) does not import the Neo4j driver; a
folder never needs it.
"""

from .._lazy import lazy_names

__all__ = ["DEFAULT_USER", "Neo4jBackend", "Neo4jDataset", "connect", "load_dataset"]

_HOME = {"Neo4jBackend": ".backend", "Neo4jDataset": ".backend", "DEFAULT_USER": ".connection", "connect": ".connection",
         "load_dataset": ".load"}


__getattr__, __dir__ = lazy_names(__name__, _HOME, lambda: list(globals()))
