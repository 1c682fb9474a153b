"""The Neo4j backend: the graph on a Neo4j server (a team's database, a cluster, Aura).

It answers the backend questions (:class:`~graphmodel.backends.base.Backend`)
with read queries paged on the unique ``id`` of each label (graphmodel's own
named queries, ``cypher/internal/backend.cypher``), and runs the
named queries of the Cypher library for the analyses' Cypher twins
(:meth:`Neo4jBackend.query_rows`). Every read is a managed transaction with
read routing (:mod:`graphmodel.neo4j.runner`), so the driver retries
transient errors and a restarted server costs a retry, not the command; and
every read passes the load gate (:mod:`graphmodel.neo4j.gate`): the pages of
one answer all read one whole graph, never a load half done.
Data gets there with :func:`graphmodel.neo4j.load.load_dataset`.

:class:`Neo4jDataset` reads one dataset of a database that holds several
(``graphmodel load --dataset NAME``): only the nodes and relationships that
dataset wrote (the loader records them in ``_datasets``), filtered on the
server. It answers the backend questions only, so every analysis runs its
Python twin over that dataset's rows (the Cypher twins read the database
as one graph); ``graphmodel diff --old-dataset A --new-dataset B`` reads two.

**Opened for an area** (``area=`` a tambon, district or province, or
``agency=``), the backend holds only that area's subgraph: ``nodes``,
``relationships`` and ``counts`` answer the rows of the named query
``area_graph`` (``agency_graph``), read once, on the first question, by
index seeks from the area's tambons (docs/dataset.md, "What a scoped command
reads and checks", defines the subgraph; the folder's reader picks the same).
So a view, which reads the whole graph of its backend (``payload``), costs
the area and not the country, and needs no change; the named queries
(``query_rows``) run on the server as always, each with its area
parameters. An agency that is no agency of the graph gets every node and no
relationship: enough for a view to say what there is.

The driver is passed in; :meth:`Neo4jBackend.connect` builds one with
:func:`graphmodel.neo4j.connection.connect` from a URI and credentials the
caller gives, and closes it afterwards.

Example (needs a server; tests/neo4j runs the same against the real one)::

    with Neo4jBackend.connect("bolt://127.0.0.1:7687", password=secret) as backend:
        backend.counts()["Program"]    # 11 for the seed
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Mapping

import neo4j

from ..backends.base import NodeRow, RelRow
from ..errors import ArgumentError, BackendError
from ..geo import Area
from ..model import REL_ENDS, NodeLabel, RelType
from ..queries import Query, internal_query, load_library
from .connection import DEFAULT_USER, connect
from .errors import UnknownDataset, driver_errors
from .gate import Reading, read_once
from .runner import run, run_pages

__all__ = ["Neo4jBackend", "Neo4jDataset", "UnknownDataset", "PAGE_SIZE", "dataset_names"]

#: Nodes per read when streaming a label (relationships: start nodes per read).
PAGE_SIZE = 10_000
_LABELS = [label.value for label in NodeLabel]


def _public(props: Mapping[str, Any], *skip: str) -> dict[str, Any]:
    """Properties without the loader's bookkeeping (names starting with ``_``) and ``skip``."""
    return {k: v for k, v in sorted(props.items()) if not k.startswith("_") and k not in skip}


class _Reader:
    """The backend questions over a Neo4j database, or over one of its datasets (``dataset``)."""

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *, one_read: bool = False,
                 dataset: str | None = None, reading: Reading | None = None):
        self.driver = driver
        self.database = database
        self._one = reading if reading is not None else (Reading() if one_read else None)
        self._dataset = dataset

    def _reading(self, version: int | None = None) -> Reading:
        """The read a question belongs to: the backend's one read, or a new one."""
        return self._one if self._one is not None else Reading(version)

    def _read(self, reading: Reading, query: Query, **params: Any) -> list[neo4j.Record]:
        """The records of ``query``, one managed read transaction of the logical read ``reading``;
        a query taking ``$dataset`` gets this reader's (None: the whole database)."""
        if "dataset" in query.params:
            params.setdefault("dataset", self._dataset)
        bound = query.bind(params)
        with driver_errors("reading the graph"):
            return read_once(self._session, lambda tx: list(tx.run(query.text, bound)), reading)[0]

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS)

    def _ids(self, label: str, reading: Reading) -> Iterator[list[tuple[str, dict]]]:
        """Pages of ``(id, properties)`` of ``label``, in id order (keyset paging on the index)."""
        first = internal_query("nodes_first_page", label=label)
        after = internal_query("nodes_next_page", label=label)
        page = self._read(reading, first, limit=PAGE_SIZE)
        while page:
            yield [(r["id"], r["props"]) for r in page]
            if len(page) < PAGE_SIZE:
                return
            page = self._read(reading, after, after=page[-1]["id"], limit=PAGE_SIZE)

    def nodes(self, label: str) -> Iterator[NodeRow]:
        label = NodeLabel(label).value
        for page in self._ids(label, self._reading()):
            for id_, props in page:
                yield NodeRow(id_, _public(props, "id"))

    def relationships(self, rtype: str) -> Iterator[RelRow]:
        rtype = RelType(rtype)
        starts, _ = REL_ENDS[rtype]
        reading = self._reading()  # every page of every start label: one graph
        for start_label in starts:
            query = internal_query("relationships_from", start=start_label, type=rtype.value)
            for page in self._ids(start_label, reading):
                for r in self._read(reading, query, ids=[id_ for id_, _ in page], labels=_LABELS):
                    yield RelRow(start_label, r["start"], r["end_label"], r["end"], _public(r["props"]))


class Neo4jBackend(_Reader):
    """A :class:`~graphmodel.backends.base.CypherBackend` over a Neo4j database.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver; this class never closes one it was given.
    database : str, optional
        The database; the server's default when None.
    one_read : bool
        Every read of this backend is part of one logical read
        (:class:`~graphmodel.neo4j.gate.Reading`): all its answers come from
        one graph, and a load that begins or ends meanwhile makes the next
        read raise :class:`~graphmodel.neo4j.gate.GraphChanged`. For a
        command's backend (the CLI); by default each question is a read of
        its own.
    area : Area, optional
        Hold only this area's subgraph (module docstring); ``Area()``: everything.
    agency : str, optional
        Hold only this agency's subgraph (instead of ``area``).
    """

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *, one_read: bool = False,
                 area: Area | None = None, agency: str | None = None):
        super().__init__(driver, database, one_read=one_read)
        #: The graph's version at this backend's last one-transaction query (see :meth:`query_rows`).
        self._version: int | None = None
        self.area = area if area is not None and area.code is not None else None  # Area(): everything
        if self.area is not None and agency is not None:
            raise ArgumentError("give an area or an agency, not both")
        self.agency = agency
        self._part: _Part | None = None

    @classmethod
    @contextlib.contextmanager
    def connect(cls, uri: str, *, user: str = DEFAULT_USER, password: str | None = None,
                database: str | None = None) -> Iterator["Neo4jBackend"]:
        """A backend on ``uri`` (``bolt://`` or ``neo4j://``, ``+s``/``+ssc`` for TLS), closed on exit.

        Raises
        ------
        ConnectionFailed
            For an unreachable server, refused credentials or a missing
            database: one line, never the password.
        """
        driver, db = connect(uri, user=user, password=password, database=database)
        try:
            yield cls(driver, db)
        finally:
            driver.close()

    def _area_part(self) -> "_Part | None":
        """The area's subgraph, read on the first question (None: the backend holds everything)."""
        if self._part is None and (self.area is not None or self.agency is not None):
            if self.agency is not None:
                rows = run(self.driver, load_library()["agency_graph"], {"agency": self.agency},
                           database=self.database, reading=self._one).rows
                self._part = _Part(rows) if rows else _Part.nodes_only(self)
            elif self.area.empty:
                self._part = _Part([])
            else:
                rows = run(self.driver, load_library()["area_graph"], self.area.params(),
                           database=self.database, reading=self._one).rows
                self._part = _Part(rows)
        return self._part

    def counts(self) -> dict[str, int]:
        """Counts by label and type from the ``counts`` query (the model's labels and types only)."""
        part = self._area_part()
        if part is not None:
            return part.counts()
        rows = run(self.driver, load_library()["counts"], database=self.database, reading=self._one).rows
        return dict(sorted((row["type"], row["count"]) for row in rows))

    def nodes(self, label: str) -> Iterator[NodeRow]:
        part = self._area_part()
        if part is None:
            return super().nodes(label)
        return iter(part.nodes.get(NodeLabel(label).value, ()))

    def relationships(self, rtype: str) -> Iterator[RelRow]:
        part = self._area_part()
        if part is None:
            return super().relationships(rtype)
        return iter(part.relationships.get(RelType(rtype).value, ()))

    def query_rows(self, name: str, params: Mapping[str, Any], *, page_param: str | None = None,
                   pages: list[list[Any]] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of the library's query ``name`` (see :class:`~graphmodel.backends.base.CypherBackend`)."""
        query = load_library()[name]
        if page_param is None or pages is None:
            result = run(self.driver, query, params, database=self.database, reading=self._one)
            self._version = result.version
            return iter(result.rows)
        # The keys were read just before (the analysis' pages): the pages continue that read.
        return run_pages(self.driver, query, params, page_param=page_param, pages=pages,
                         database=self.database, reading=self._reading(self._version))


class Neo4jDataset(_Reader):
    """One dataset of a Neo4j database, as a plain :class:`~graphmodel.backends.base.Backend`.

    Only the nodes and relationships the dataset wrote (``$dataset IN
    x._datasets``, filtered on the server). It runs no Cypher twin: the
    library's queries read the database as one graph, so every analysis
    answers through its Python twin, over this dataset's rows.

    A node two datasets hold is one node with one set of properties, those
    of the load written last (docs/neo4j.md): reading a dataset gives the
    nodes and relationships it wrote exactly, and the shared nodes'
    properties as the database holds them.

    Parameters
    ----------
    driver, database
        As :class:`Neo4jBackend`.
    dataset : str
        The dataset's name (``graphmodel load --dataset NAME``).
    reading : Reading, optional
        The logical read this backend's reads belong to (share one between
        two datasets read for one answer: a load meanwhile is then noticed).
    """

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *, dataset: str,
                 reading: Reading | None = None):
        super().__init__(driver, database, dataset=dataset, reading=reading or Reading())
        self.dataset = dataset

    @classmethod
    def open(cls, driver: neo4j.Driver, database: str | None, dataset: str, *,
             reading: Reading | None = None) -> "Neo4jDataset":
        """The dataset ``dataset``, checked to be in the database.

        Raises
        ------
        UnknownDataset
            No node of the database was written by it (naming those that are there).
        """
        backend = cls(driver, database, dataset=dataset, reading=reading)
        if not backend._read(backend._reading(), internal_query("dataset_wrote_a_node")):
            names = dataset_names(driver, database)
            there = ", ".join(repr(n) for n in names) if names else "none: load one with graphmodel load DIR"
            raise UnknownDataset(f"dataset {dataset!r} is not in the database (datasets there: {there})")
        return backend

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type written by the dataset, none zero."""
        rows = self._read(self._reading(), internal_query("dataset_counts"))
        return dict(sorted((row["type"], row["count"]) for row in rows))


def dataset_names(driver: neo4j.Driver, database: str | None = None) -> list[str]:
    """The names of the datasets loaded into the database, sorted (a scan of every node)."""
    return [r["dataset"] for r in _Reader(driver, database)._read(Reading(), internal_query("dataset_names"))]


def _key_order(props: Mapping[str, Any]) -> tuple[bool, str]:
    """The order of relationships joining the same two nodes, as the reads' ``ORDER BY`` gives it:
    by fiscal year (FUNDS) or tambon (COORDINATES_WITH) as text, none last."""
    value = props.get("fiscal_year", props.get("tambon"))
    return (value is None, "" if value is None else str(value))


class _Part:
    """An area's subgraph from the rows of ``area_graph``/``agency_graph``: nodes by label and
    relationships by type, in the order the whole-graph questions give them (by id; by start
    label as the model lists them, start id, end label and id, then fiscal year or tambon)."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.nodes: dict[str, list[NodeRow]] = {}
        self.relationships: dict[str, list[RelRow]] = {}
        for row in rows:
            props = dict(map(tuple, row["props"]))
            if row["end"] is None:
                props.pop("id", None)
                self.nodes.setdefault(row["type"], []).append(NodeRow(row["start"], props))
            else:
                self.relationships.setdefault(row["type"], []).append(
                    RelRow(row["start_label"], row["start"], row["end_label"], row["end"], props))
        for rtype, rels in self.relationships.items():
            order = {label: i for i, label in enumerate(REL_ENDS[RelType(rtype)][0])}
            rels.sort(key=lambda r: (order.get(r.start_label, len(order)), r.start, r.end_label, r.end,
                                     _key_order(r.props)))

    @classmethod
    def nodes_only(cls, backend: "Neo4jBackend") -> "_Part":
        """Every node of the graph and no relationship."""
        part = cls([])
        part.nodes = {label: list(_Reader.nodes(backend, label)) for label in _LABELS}
        return part

    def counts(self) -> dict[str, int]:
        found = {**{k: len(v) for k, v in self.nodes.items()}, **{k: len(v) for k, v in self.relationships.items()}}
        return dict(sorted((k, n) for k, n in found.items() if n))
