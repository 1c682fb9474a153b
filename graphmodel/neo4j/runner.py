"""Run named queries read-only, with the driver's managed transactions.

Every read goes through a managed transaction with read routing
(``execute_read``), so the driver retries transient
errors, reconnects after a server restart and, on a cluster or Aura, sends
the read to a reader and follows a leader change. The read access mode
also makes the server refuse any write (``CREATE``, ``MERGE``, ``SET``,
``DELETE``, ...). Every read transaction also passes the load gate
(:mod:`graphmodel.neo4j.gate`): it is refused while a batched load is under
way, and no answer mixes the graph before and after a load. A read may have
a time limit on the server (:func:`run`'s ``timeout``), and Ctrl-C ends it
there (:mod:`graphmodel.neo4j.interrupt`).

**Read-only, twice over.** A query that is not the library's own (an
analyst's ``.cypher`` file) is first *planned* — ``EXPLAIN``, which runs
nothing — and :func:`check_read_only` refuses, before anything runs, what a
read transaction would still let through or what writes:

- a plan the server types as a write (``CREATE``, ``MERGE``, ``SET``,
  ``DELETE``, ``REMOVE``, schema commands such as ``CREATE``/``DROP INDEX``
  or ``DROP CONSTRAINT``, write procedures such as ``db.createLabel``);
- administration commands (``CREATE``/``ALTER USER``, ``GRANT``,
  ``CREATE DATABASE``, ``SHOW USERS``, ``TERMINATE TRANSACTIONS``, ...):
  they act on the ``system`` database or on other sessions;
- ``SHOW TRANSACTIONS`` and ``SHOW SETTINGS``: they show other sessions'
  query texts, parameters and client addresses, and the server's
  configuration (``SHOW INDEXES``, ``CONSTRAINTS``, ``PROCEDURES`` and
  ``FUNCTIONS`` describe the schema and the server's code, and pass);
- ``LOAD CSV``: it reads files or URLs from the server's side;
- ``CALL { ... } IN TRANSACTIONS``: it commits transactions of its own;
- a procedure the server does not mark ``READ`` or keeps for
  administrators (``db.clearQueryCaches``, ``dbms.killConnections``,
  ``db.stats.clear``, ...), looked up with ``SHOW PROCEDURES``;
- a procedure or function of a plugin (``gds.*``, ``apoc.*``, any other),
  whatever mode it declares: a plugin marks its procedures as it pleases
  (GDS marks ``READ`` those that change its shared in-memory graph catalog,
  export databases, or run Cypher strings the plan never shows, such as
  ``gds.graph.project.cypher``), so only Neo4j's own are trusted. Neo4j's
  own procedures are those in its reserved namespaces (``db``, ``dbms``,
  ``tx``, ...: a plugin cannot load there), its own functions those
  ``SHOW FUNCTIONS`` calls built in. graphmodel's own use of GDS is a query
  of the library (``broker_betweenness_gds``, for ``graphmodel index``).

Then the query runs in a read transaction, where the server itself refuses
any write (``Neo.ClientError.Statement.AccessMode``). The library's queries
are checked once by the tests instead of on every run.

Three shapes of result:

- :func:`run` — every row, for results that fit in memory;
- :func:`fold` — rows handed to a function inside the transaction, as they
  arrive; on a retry the function starts again from scratch, so it must
  build its answer from the rows alone (e.g. an index);
- :func:`run_pages` — a long result cut into pages by one list parameter
  (e.g. tambon codes, cut by :func:`graphmodel.analysis.registry.pages_of`), each page its own
  managed read, so a caller can print rows as they come while holding one
  page at a time.

Examples
--------
>>> plain([1, "กะหรอ", {"b": None}])
[1, 'กะหรอ', {'b': None}]
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

import neo4j
from neo4j.graph import Node, Path as GraphPath, Relationship
from neo4j.spatial import Point

from ..errors import QueryError
from ..queries import Query, internal_query, load_library
from .errors import driver_errors
from .gate import Reading, read_once
from .interrupt import end_transactions

__all__ = ["QueryResult", "plain", "run", "fold", "run_pages", "check_read_only"]

T = TypeVar("T")

@dataclass(frozen=True)
class QueryResult:
    """The columns and rows a query returned, as plain Python values."""

    columns: list[str]
    rows: list[dict[str, Any]]
    #: The graph's version the rows were read at (:mod:`graphmodel.neo4j.gate`).
    version: int | None = None


#: The types most values are: returned as they are, without the checks below.
_SCALARS = frozenset({str, int, float, bool})


def plain(value: Any) -> Any:
    """A driver value as plain JSON-able Python: nodes, relationships and paths as dicts.

    A node becomes ``{"labels": [...], "properties": {...}}``, a relationship
    ``{"type", "start", "end", "properties"}`` (ends by their ``id``
    property), a path ``{"nodes": [...], "relationships": [...]}``;
    temporal and spatial values become strings. Bookkeeping properties (names
    starting with ``_``) and labels are left out.
    """
    if type(value) in _SCALARS or value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Point):
        return str(value)
    if isinstance(value, Node):
        return {"labels": sorted(x for x in value.labels if not x.startswith("_")),
                "properties": _props(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": _end_id(value.start_node),
                "end": _end_id(value.end_node), "properties": _props(value)}
    if isinstance(value, GraphPath):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def _props(entity) -> dict[str, Any]:
    return {k: plain(v) for k, v in sorted(entity.items()) if not k.startswith("_")}


def _end_id(node) -> Any:
    if node is None:
        return None
    return node.get("id", node.element_id)


def _records(result: Iterable[neo4j.Record], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    for record in result:  # a record is a tuple in column order
        yield dict(zip(columns, map(plain, record)))


# --- the read-only check ---------------------------------------------------------

_WRITE = "the query tried to write; graphmodel query is read-only"
#: Plan operators (``EXPLAIN``) a read transaction would run, and why graphmodel refuses them.
_ADMIN = ("the query is an administration command (users, roles, privileges, databases, "
          "transactions); graphmodel query only reads the graph")
_SHOWS = ("the query lists the server's transactions or settings (other sessions' queries and "
          "parameters, the server's configuration); graphmodel query only reads the graph")
_REFUSED_OPERATORS = {
    "AdministrationCommand": _ADMIN,
    "TerminateTransactions": _ADMIN,
    "ShowTransactions": _SHOWS,
    "ShowSettings": _SHOWS,
    "LoadCSV": ("the query uses LOAD CSV, which reads files or URLs from the server; graphmodel "
                "query only reads the graph (graphmodel load brings data in)"),
    "TransactionApply": ("the query uses CALL { ... } IN TRANSACTIONS, which commits transactions "
                         "of its own; graphmodel query runs one read transaction"),
}
_REFUSED_OPERATORS["TransactionForeach"] = _REFUSED_OPERATORS["TransactionApply"]
#: Neo4j's reserved namespaces (``internal.dbms.reserved_procedure_namespaces``): no plugin's
#: procedure or function loads there, so a procedure in them is Neo4j's own.
_NEO4J_NAMESPACES = frozenset({"cdc", "date", "datetime", "db", "dbms", "duration", "graph", "internal",
                               "localdatetime", "localtime", "time", "tx", "unsupported"})
#: A call of a namespaced function as a plan shows it (names unquoted, string literals as parameters).
_FUNCTION_CALL = re.compile(r"(?<![\w.`$])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\(")


def _operators(plan: Mapping[str, Any] | None) -> Iterator[tuple[str, str]]:
    """``(operator, details)`` of every step of an ``EXPLAIN`` plan, e.g. ``("LoadCSV", "row")``."""
    todo = [plan] if plan else []
    while todo:
        step = todo.pop()
        yield step.get("operatorType", "").split("@", 1)[0], str(step.get("args", {}).get("Details") or "")
        todo += step.get("children", [])


def _plugin(kind: str, name: str) -> str:
    return (f"the query calls {kind} {name!r} of a plugin, not of Neo4j; graphmodel query calls only "
            "Neo4j's own procedures and functions")


def _explained(query: Query) -> Query:
    """``EXPLAIN`` on a line of its own above ``query``; server errors still cite the query's own lines."""
    lines = query.text.count("\n") + 1
    positions = query.positions or tuple((query.file, query.line + i) for i in range(1, lines + 1))
    return dataclasses.replace(query, text="EXPLAIN\n" + query.text,
                               positions=((query.file, query.line), *positions))


def _look_up(driver: neo4j.Driver, query: str, names: list[str], database: str | None) -> list[neo4j.Record]:
    """The rows of graphmodel's own query ``query`` (``cypher/internal/runner.cypher``) for ``names``."""
    q = internal_query(query)
    return driver.execute_query(q.text, q.bind({"names": names}), database_=database,
                                routing_=neo4j.RoutingControl.READ).records


def _refusal(driver: neo4j.Driver, summary: neo4j.ResultSummary, database: str | None) -> str | None:
    """Why the planned query may not run (None: it may)."""
    steps = list(_operators(summary.plan))
    used = {op for op, _ in steps}
    for op, why in _REFUSED_OPERATORS.items():  # in this order: the most telling reason first
        if op in used:
            return why
    names = sorted({details.split("(", 1)[0].strip() for op, details in steps if op == "ProcedureCall"})
    for name in names:
        if name.split(".", 1)[0] not in _NEO4J_NAMESPACES:
            return _plugin("procedure", name)
    called = sorted({name for _, details in steps for name in _FUNCTION_CALL.findall(details)})
    if called:
        found = _look_up(driver, "plugin_functions", called, database)
        if found:
            return _plugin("function", found[0]["name"])
    if names:
        records = _look_up(driver, "procedure_modes", names, database)
        known = {r["name"]: (r["mode"], r["admin"]) for r in records}
        for name in names:
            mode, admin = known.get(name, ("unknown", False))
            if mode != "READ" or admin:
                kind = f"mode {mode}" + (", for administrators" if admin else "")
                return (f"the query calls procedure {name!r} ({kind}); graphmodel query calls only "
                        "read procedures open to every user")
    if summary.query_type != "r":
        return _WRITE
    return None


def check_read_only(driver: neo4j.Driver, query: Query, params: Mapping[str, Any] | None = None, *,
                    database: str | None = None) -> None:
    """Plan ``query`` (``EXPLAIN``: nothing runs) and refuse it unless it only reads the graph.

    See the module's documentation for what is refused. Costs one round
    trip, one more when the query calls procedures and one more when it
    calls namespaced functions.

    Raises
    ------
    QueryError
        ``FILE:LINE: why``: a write, an administration command, ``LOAD CSV``,
        ``CALL { ... } IN TRANSACTIONS``, a procedure that is not a plain
        read, a plugin's procedure or function, ``EXPLAIN``/``PROFILE`` in
        the query; or the server's own
        complaint about the Cypher, citing the query's file and line.
    """
    bound = query.bind(params)
    planned = _explained(query)
    with driver_errors(f"checking query {query.name!r}", query=planned):
        _, summary, _ = driver.execute_query(planned.text, bound, database_=database,
                                             routing_=neo4j.RoutingControl.READ)
        why = _refusal(driver, summary, database)
    if why is not None:
        raise QueryError(f"{query.location}: {why}")


def _guard(driver: neo4j.Driver, query: Query, bound: Mapping[str, Any], database: str | None) -> None:
    """:func:`check_read_only` for any query but the library's own (those are checked by the tests)."""
    if load_library().get(query.name) is not query:
        check_read_only(driver, query, bound, database=database)


def run(driver: neo4j.Driver, query: Query, params: Mapping[str, Any] | None = None, *,
        database: str | None = None, reading: Reading | None = None,
        timeout: float | None = None) -> QueryResult:
    """Run ``query`` read-only with checked ``params``; every row as plain values.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (see :func:`graphmodel.neo4j.connection.connect`).
    query : Query
        From the library or an analyst's file (:mod:`graphmodel.queries`).
    params : mapping, optional
        Parameter values; checked by :meth:`Query.bind` before anything is sent.
    database : str, optional
        The database; the server's default when None.
    reading : Reading, optional
        The logical read this run belongs to (pages of one answer); by
        default the run is a read of its own (:mod:`graphmodel.neo4j.gate`).
    timeout : float, optional
        The time limit of the read transaction, in seconds: past it the server
        stops the query. None: the server's default (no limit unless its
        administrator set ``db.transaction.timeout``).

    Ctrl-C (``KeyboardInterrupt``) ends the transaction on the server before
    it is raised (:mod:`graphmodel.neo4j.interrupt`).

    Raises
    ------
    QueryError
        Missing or unknown parameters, a Cypher error (citing the file and
        line), or a write attempt: refused by :func:`check_read_only` before
        it runs, and by the server inside the read transaction; the query
        ran past ``timeout``.
    LoadUnderWay
        A batched load or unload of some dataset has begun and not ended.
    GraphChanged
        With ``reading``: a load began or ended since the read's first transaction.
    BackendError
        The server went away and did not come back within the driver's retry time.
    """
    bound = query.bind(params)
    _guard(driver, query, bound, database)

    def work(tx: neo4j.ManagedTransaction) -> QueryResult:
        result = tx.run(query.text, bound)
        keys = list(result.keys())
        return QueryResult(columns=keys, rows=list(_records(result, keys)))

    with driver_errors(f"running query {query.name!r}", query=query, timeout=timeout):
        result, version = read_once(_reader(driver, database), work, reading, timeout=timeout)
    return dataclasses.replace(result, version=version)


def _reader(driver: neo4j.Driver, database: str | None) -> Callable[[], neo4j.Session]:
    return lambda: driver.session(database=database, default_access_mode=neo4j.READ_ACCESS)


def fold(driver: neo4j.Driver, query: Query, params: Mapping[str, Any] | None,
         into: Callable[[Iterator[dict[str, Any]]], T], *, database: str | None = None) -> T:
    """Hand the rows of ``query`` to ``into`` as they arrive, in one managed read.

    ``into`` receives an iterator of plain rows and returns the answer; the
    rows are never all held at once. If the driver retries the
    transaction (a transient error, a restarted server), ``into`` is called
    again with a fresh iterator, so it must not keep state between calls.
    """
    bound = query.bind(params)
    _guard(driver, query, bound, database)

    def work(tx: neo4j.ManagedTransaction) -> T:
        result = tx.run(query.text, bound)
        return into(_records(result, result.keys()))

    with driver_errors(f"running query {query.name!r}", query=query):
        return read_once(_reader(driver, database), work)[0]


def run_pages(driver: neo4j.Driver, query: Query, params: Mapping[str, Any] | None, *,
              page_param: str, pages: Iterable[Sequence[Any]], database: str | None = None,
              reading: Reading | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``query`` for ``pages`` of keys, one page per managed read.

    ``query`` takes the list parameter ``page_param`` (e.g. ``tambons``);
    each read passes the next page, so only one page of rows is held at a
    time and each read is retried on its own. Rows come in page order, then
    in the query's order. Every page checks that the graph is the one the
    first page read (:class:`~graphmodel.neo4j.gate.GraphChanged` otherwise:
    rows already yielded cannot be taken back). ``reading`` makes the pages
    part of a read begun before (e.g. the one that found the keys:
    ``Reading(result.version)``).

    The next page is read while the caller works on this one's rows (one
    page ahead, in a thread of its own): the server and the client work at
    the same time instead of in turn.
    """
    reading = reading if reading is not None else Reading()
    todo = [list(keys) for keys in pages]

    def read(keys: list[Any]) -> list[dict[str, Any]]:
        return run(driver, query, {**(params or {}), page_param: keys}, database=database, reading=reading).rows

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphmodel-page") as ahead:
        following = ahead.submit(read, todo[0]) if todo else None
        try:
            for i in range(len(todo)):
                rows = following.result()
                following = ahead.submit(read, todo[i + 1]) if i + 1 < len(todo) else None
                yield from rows
        except BaseException:  # Ctrl-C, or the caller stopped reading: end the page read ahead
            end_transactions(reading)
            raise
