"""The Neo4j backend: the graph on a Neo4j server (a team's shared database, a cluster, Aura).

It answers with the named queries of the Cypher library (``counts`` in
``cypher/catalog.cypher``, ``overlaps`` in ``cypher/overlaps.cypher``), run
read-only, and returns the same pydantic records as the embedded backend,
so ``graphmodel overlaps --neo4j URI`` prints exactly what ``graphmodel
overlaps DIR`` prints for the folder that was loaded (tests/backends/test_parity.py).
Data gets there with :func:`graphmodel.backends.neo4j_loader.load_dataset`.

The driver is passed in; :meth:`Neo4jBackend.connect` builds one with
:func:`graphmodel.neo4j_connection.connect` (credentials from the arguments
or ``$NEO4J_USER``/``$NEO4J_PASSWORD``) and closes it afterwards.

Examples
--------
>>> import os
>>> with Neo4jBackend.connect(os.environ["NEO4J_URI"]) as backend:  # doctest: +SKIP
...     backend.counts()["Program"]
11
"""

from __future__ import annotations

import contextlib
from functools import cache
from typing import Any, Iterator

from ..analysis.overlaps import ParallelPair
from ..model import GraphPayload, Node, NodeLabel, Relationship, RelType
from ..neo4j_connection import connect as _connect
from ..queries import Query, iter_rows, load_library, run
from .neo4j_loader import neo4j_errors

__all__ = ["Neo4jBackend"]

_LABELS = "|".join(label.value for label in NodeLabel)
_TYPES = "|".join(t.value for t in RelType)
_PAYLOAD_NODES = (f"MATCH (n:{_LABELS}) "
                  "RETURN [l IN labels(n) WHERE l IN $labels][0] AS label, n.id AS id, "
                  "properties(n) AS props ORDER BY label, id")
_PAYLOAD_RELS = (f"MATCH (a:{_LABELS})-[r:{_TYPES}]->(b:{_LABELS}) "
                 "RETURN type(r) AS type, [l IN labels(a) WHERE l IN $labels][0] AS start_label, "
                 "a.id AS start, [l IN labels(b) WHERE l IN $labels][0] AS end_label, b.id AS end, "
                 "properties(r) AS props ORDER BY type, start_label, start, end_label, end, r._key")


@cache
def _query(name: str) -> Query:
    return load_library()[name]


def _public(props: dict[str, Any], *skip: str) -> dict[str, Any]:
    """Properties without the loader's bookkeeping (names starting with ``_``) and ``skip``."""
    return {k: v for k, v in sorted(props.items()) if not k.startswith("_") and k not in skip}


class Neo4jBackend:
    """A :class:`~graphmodel.backends.base.Backend` over a Neo4j database.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver; this class never closes one it was given.
    database : str, optional
        The database; the server's default when None.
    """

    def __init__(self, driver, database: str | None = None):
        self.driver = driver
        self.database = database

    @classmethod
    @contextlib.contextmanager
    def connect(cls, uri: str, *, user: str | None = None, password: str | None = None,
                database: str | None = None) -> Iterator["Neo4jBackend"]:
        """A backend on ``uri`` (``bolt://`` or ``neo4j://``, ``+s`` for TLS), closed on exit.

        Raises
        ------
        ConnectionFailed
            For an unreachable server, refused credentials or a missing
            database: one line, never the password.
        """
        driver, db = _connect(uri, user=user, password=password, database=database)
        try:
            yield cls(driver, db)
        finally:
            driver.close()

    def _rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return run(self.driver, _query(name), params, database=self.database).rows

    def counts(self) -> dict[str, int]:
        """Counts by label and type from the ``counts`` query (the model's labels and types only)."""
        return dict(sorted((row["type"], row["count"]) for row in self._rows("counts")))

    def parallel_pairs(self, *, tambon: str | None = None,
                       province: str | None = None) -> list[ParallelPair]:
        """The ``overlaps`` query's rows as :class:`ParallelPair`, sorted by tambon then ids."""
        # Streamed: at national scale the rows would otherwise sit in memory
        # twice (driver records and plain dicts) next to the pairs.
        pairs = [ParallelPair.model_validate(row)
                 for row in iter_rows(self.driver, _query("overlaps"),
                                      {"tambon": tambon, "province": province}, database=self.database)]
        return sorted(pairs, key=lambda p: (p.tambon.id, p.ids))

    def payload(self) -> GraphPayload:
        """Every node and relationship of the model's labels and types, without bookkeeping.

        Sorted by label and id (relationships by type and ends); the embedded
        backend keeps the dataset's order, so compare them as sets.
        """
        import neo4j

        params = {"labels": [label.value for label in NodeLabel]}
        with neo4j_errors("reading the graph", during_load=False):
            nodes = self.driver.execute_query(_PAYLOAD_NODES, params, database_=self.database,
                                              routing_=neo4j.RoutingControl.READ).records
            rels = self.driver.execute_query(_PAYLOAD_RELS, params, database_=self.database,
                                             routing_=neo4j.RoutingControl.READ).records
        return GraphPayload(
            nodes=[Node(label=r["label"], id=r["id"], properties=_public(r["props"], "id"))
                   for r in nodes],
            relationships=[Relationship(type=r["type"], start_label=r["start_label"], start=r["start"],
                                        end_label=r["end_label"], end=r["end"],
                                        properties=_public(r["props"]))
                           for r in rels],
        )
