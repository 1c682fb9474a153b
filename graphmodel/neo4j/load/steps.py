"""Load a validated dataset into Neo4j: batched, idempotent, never read half done.

The driver is passed in (the CLI or the caller builds it); nothing here reads
the environment. :func:`load_dataset` writes a :class:`~graphmodel.model.Dataset`
as the same nodes and relationships the embedded backend answers with
(:meth:`~graphmodel.model.Dataset.relationship_rows`):

1. the constraints and indexes of ``cypher/ddl/schema.cypher`` (``IF NOT EXISTS``);
2. ``UNWIND $rows AS row MERGE (n:Label {id: row[0]}) SET n += row[1]``,
   one statement per batch of rows and label, nodes before relationships
   (a batch holds at most ``batch_size`` rows and :data:`~.plan.MAX_BATCH_BYTES`);
   relationships find both ends through the unique ``id`` and are merged on
   their key (:func:`~graphmodel.model.rel_key`: ``FUNDS`` are distinct per
   fiscal year, ``COORDINATES_WITH`` per tambon), so loading twice changes nothing.

The rows are made from the dataset one batch at a time (:class:`~.plan.LoadPlan`):
the client holds one batch beyond the dataset, whatever the size.

Several datasets may share one database (the same id is the same entity).
Every node and relationship records which datasets wrote it (``_datasets``)
and which properties each of them set (``_keys``, entries ``dataset/key``).
With ``replace=True`` the load's own writes mark what they touch (``_load``,
a token per load) and afterwards whatever the dataset held and this load did
not write loses the dataset: deleted when no other dataset holds it, else
stripped of the dataset's name and of the properties only it set; a property
the dataset no longer sets on a node it still writes goes too. Properties
whose names start with ``_`` are this bookkeeping; the Neo4j backend leaves
them out of every answer.

No read of graphmodel ever sees a load half done. A load of at most
:data:`~.plan.SINGLE_TRANSACTION_MAX_ROWS` rows (and
:data:`~.plan.SINGLE_TRANSACTION_MAX_BYTES`) is one transaction, atomic
for every reader. A larger one is written in batches, one transaction each
(bounded server memory, whatever the size), behind the load gate
(:mod:`graphmodel.neo4j.gate`): one transaction opens it (a
``:_GraphmodelLoad`` marker for the dataset, and the graph's version moves
on), each batch records itself in the marker in its own transaction, the
``replace`` removals commit every 10 000 rows, and one transaction closes
the gate (marker deleted, version moves on). graphmodel's reads refuse a
graph with a marker and discard an answer during which the version moved.
After a failure at any point, the same load run again finds the marker,
skips the batches it records and finishes; a load of different data or
options takes the marker over and writes everything (MERGE makes that safe).
docs/neo4j.md has the whole design and what a reader sees at each moment.

Every write is a managed transaction (``execute_write``): the driver retries
it after a transient error or a server restart, and because every statement
is a MERGE the retried work writes the same thing once. ``checkpoint`` is a
hook called at fixed points, so tests can stop or restart the server, or
read the graph, at a known moment (:data:`Checkpoint`).
"""

from __future__ import annotations

import dataclasses
import sys
import time
import uuid
from typing import Any, Callable

import neo4j
from tqdm import tqdm

from ...errors import BackendError
from ...model import Dataset
from ..errors import UnknownDataset, driver_errors
from ..interrupt import execute_read, execute_write, run_auto
from .plan import (
    DEFAULT_BATCH_SIZE, PROGRESS_MIN_ROWS, SINGLE_TRANSACTION_MAX_BYTES, SINGLE_TRANSACTION_MAX_ROWS, Batch,
    LoadPlan, LoadResult, Scan, check_dataset_name,
)
from .schema import ensure_schema
from .statements import (
    BATCH_DONE, CLOSE, ENTITIES_PRESENT, FIND, HELD, LOADED, OPEN, SETTLE, TAKE_OVER, conflict_statement,
    node_statement, node_update, rel_statement, rel_update, removals,
)

__all__ = ["load_dataset", "unload_dataset", "Checkpoint"]



#: Called as ``checkpoint(step, number)`` at fixed points of a load or unload:
#:
#: - ``("write", n)``: in a one-transaction load, after its n-th batch statement (uncommitted);
#: - ``("begin", 0)``: a batched load has checked everything and not yet opened the gate;
#: - ``("open", 0)``: the gate is shut (marker committed), nothing written yet by this run;
#: - ``("batch", n)``: batch n (1-based, counted over the whole load) is committed;
#: - ``("remove", i)``: the i-th of the four removal statements is committed (replace, unload).
#:
#: The load returns after closing the gate.
Checkpoint = Callable[[str, int], None]


def _params(name: str, **extra: Any) -> dict[str, Any]:
    return {"dataset": name, "prefix": name + "/", **extra}


def _write_batch(tx: neo4j.ManagedTransaction, batch: Batch, replace: bool, params: dict[str, Any]) -> None:
    """The statements of one batch: one, or one per pair of end labels; without ``replace``, each
    followed, when it names rows that need it, by its second statement for those rows
    (:func:`~.statements.node_update`)."""
    g = batch.group
    if g.kind == "node":
        parts = [(node_statement(g.name, replace=replace), None if replace else node_update(g.name), batch.rows)]
    else:
        parts = [(rel_statement(g.name, start, end, replace=replace),
                  None if replace else rel_update(g.name, start, end), rows) for start, end, rows in batch.parts()]
    for statement, update, rows in parts:
        result = tx.run(statement, params, rows=rows)
        pending = [] if update is None else [rows[record["i"]] for record in result]
        result.consume()
        if pending:
            tx.run(update, params, rows=pending).consume()


def _check_id_space(tx, plan: LoadPlan, batch_size: int, replace: bool) -> None:
    """Refuse an id that the database holds under another entity label."""
    if not tx.run(ENTITIES_PRESENT).single()["present"]:
        return  # nothing to clash with (a first load): no need to look every id up
    conflicts: list[dict] = []
    statement = conflict_statement()
    for chunk in plan.entity_ids(batch_size):
        conflicts += [r.data() for r in tx.run(statement, _params(plan.name), rows=chunk, replace=replace)]
    if conflicts:
        first = conflicts[0]
        owners = ", ".join(repr(d) for d in first["datasets"] or [])
        by = f"written by dataset {owners}" if owners else "not written by graphmodel load"
        more = f" (and {len(conflicts) - 1} more such ids)" if len(conflicts) > 1 else ""
        raise BackendError(
            f"id {first['id']!r} is {_a(first['wanted'])} in dataset {plan.name!r} but the "
            f"database already has it as {_a(first['found'])} ({by}){more}; agencies, funds, "
            "programs and groups share one id space, so one id must name the same entity in "
            "every dataset loaded into a database")


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"


class _Loader:
    """One load or unload: the driver, the options, the progress bar and the hook."""

    def __init__(self, driver: neo4j.Driver, database: str | None, name: str, *, replace: bool,
                 checkpoint: Checkpoint | None, bar=None):
        self.driver, self.database, self.name, self.replace = driver, database, name, replace
        self.checkpoint = checkpoint or (lambda step, number: None)
        self.bar = bar

    def session(self) -> neo4j.Session:
        return self.driver.session(database=self.database, notifications_min_severity="OFF")

    def write(self, work: Callable[[neo4j.ManagedTransaction], Any]) -> Any:
        """``work`` in one managed write transaction (retried by the driver; Ctrl-C ends it
        on the server: :mod:`graphmodel.neo4j.interrupt`)."""
        return execute_write(self.session, work)

    def read(self, work: Callable[[neo4j.ManagedTransaction], Any]) -> Any:
        return execute_read(self.session, work)

    def find_job(self) -> dict | None:
        record = self.read(lambda tx: tx.run(FIND, dataset=self.name).single())
        return None if record is None else record["job"]

    def discarded(self) -> BackendError:
        return BackendError(f"the load of dataset {self.name!r} was taken over by another load of "
                            "it; run the load again")

    def mark(self, statement: str, **params: Any) -> None:
        """Run a bookkeeping statement that must find this load's marker."""
        n = self.write(lambda tx: tx.run(statement, _params(self.name, **params)).single()["n"])
        if n != 1:
            raise self.discarded()

    def remove(self, token: str) -> dict[str, int]:
        """The four removal statements, each committing every few thousand rows."""
        removed = {}
        for i, (what, statement) in enumerate(removals(batched=True), 1):
            # CALL { } IN TRANSACTIONS: auto-commit only
            removed[what] = run_auto(self.session, statement, _params(self.name, token=token))["n"]
            self.checkpoint("remove", i)
        return removed

    def open(self, job: dict | None, *, kind: str, key: str, token: str, **marker: Any) -> None:
        """Shut the gate: a marker for the dataset (a new one, or the abandoned one taken over)."""
        values = _params(self.name, kind=kind, job=key, token=token, replace=self.replace, **marker)
        if job is None:
            self.write(lambda tx: tx.run(OPEN, values).consume())
        else:
            self.mark(TAKE_OVER, **{k: v for k, v in values.items() if k not in ("dataset", "prefix")})
        self.checkpoint("open", 0)

    # --- one transaction ------------------------------------------------------------

    def single(self, plan: LoadPlan, scan: Scan, batch_size: int) -> LoadResult:
        replace, counter = self.replace, [0]

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            counter[0] = 0  # a retried transaction starts again
            self.bar.reset(total=scan.rows)
            token = uuid.uuid4().hex
            p = _params(plan.name, token=token)
            _check_id_space(tx, plan, batch_size, replace)
            for batch in plan.batches(batch_size):
                _write_batch(tx, batch, replace, p)
                counter[0] += 1
                self.bar.update(len(batch.rows))
                self.checkpoint("write", counter[0])
            removed = {}
            if replace:
                for what, statement in removals(batched=False):
                    removed[what] = tx.run(statement, p).single()["n"]
            tx.run(SETTLE, p).consume()
            return removed

        with driver_errors(f"loading dataset {plan.name!r}", during_load=True):
            removed = self.write(work)
        return LoadResult(plan.name, scan.counts, scan.rows, "single transaction", counter[0], removed=removed)

    # --- batches behind the gate --------------------------------------------------------

    def batched(self, plan: LoadPlan, scan: Scan, batch_size: int) -> LoadResult:
        with driver_errors(f"loading dataset {plan.name!r}", during_load="batched"):
            job = self.find_job()
            if job is not None and job.get("kind") == "load" and job.get("job") == scan.job:
                batch_size, token, done = job["batch_size"], job["token"], job["done"]
            else:
                # fail before writing anything, not after
                self.read(lambda tx: _check_id_space(tx, plan, batch_size, self.replace))
                token, done = uuid.uuid4().hex, 0
                self.checkpoint("begin", 0)
                self.open(job, kind="load", key=scan.job, token=token, batch_size=batch_size,
                          rows=scan.rows, batches=scan.batches(batch_size))
            for batch in plan.batches(batch_size):
                if batch.number >= done:
                    self.write(lambda tx: self._write_batch(tx, batch, scan.job, token))
                    self.checkpoint("batch", batch.number + 1)
                self.bar.update(len(batch.rows))
            self.bar.set_description(f"finish {plan.name}")
            removed = self.remove(token) if self.replace else {}
            self.mark(CLOSE, job=scan.job)
        return LoadResult(plan.name, scan.counts, scan.rows, "batched", scan.batches(batch_size),
                          resumed_batches=done, removed=removed)

    def _write_batch(self, tx: neo4j.ManagedTransaction, batch: Batch, job: str, token: str) -> None:
        p = _params(self.name, token=token)
        _write_batch(tx, batch, self.replace, p)
        if tx.run(BATCH_DONE, p, job=job, done=batch.number + 1).single()["n"] != 1:
            raise self.discarded()


def load_dataset(driver: neo4j.Driver, dataset: Dataset, *, dataset_name: str,
                 database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 replace: bool = False, progress: bool | None = None,
                 single_transaction_max: int = SINGLE_TRANSACTION_MAX_ROWS,
                 checkpoint: Checkpoint | None = None) -> LoadResult:
    """Write a validated dataset into Neo4j, idempotently, never read half done.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (see :func:`graphmodel.neo4j.connection.connect`).
    dataset : Dataset
        What :func:`graphmodel.dataset.read_dataset` returned.
    dataset_name : str
        The name the nodes and relationships are recorded under (the CLI
        uses the folder name); no ``/``.
    database : str, optional
        The Neo4j database; the server's default when not given.
    batch_size : int
        Rows per ``UNWIND`` statement (and per transaction, for a batched load).
    replace : bool
        Also take back what earlier loads of ``dataset_name`` wrote and this
        one does not: delete the nodes and relationships no other dataset
        holds, remove the name and the properties only it set from the rest.
    progress : bool, optional
        Show a tqdm bar on stderr; by default only for more than
        :data:`~.plan.PROGRESS_MIN_ROWS` rows.
    single_transaction_max : int
        Largest load written as one transaction; larger loads are batched.
    checkpoint : callable, optional
        ``checkpoint(step, number)`` at each fixed point of the load (a test
        hook; see :data:`Checkpoint`).

    Returns
    -------
    LoadResult
        Counts written, mode, batches and seconds taken.

    Raises
    ------
    BackendError
        When the server refuses a statement (a constraint, an id that is an
        agency here and a program there) or the connection breaks for longer
        than the driver retries; graphmodel reads nothing of this load until
        it is finished, and running it again finishes it.
    ConnectionFailed
        For refused credentials or a missing database.

    Notes
    -----
    Round trips: one per batch (one per pair of end labels for
    ``IMPLEMENTS`` and ``COORDINATES_WITH``) and a few more (schema, gate,
    checks). Client memory: one batch of rows beyond the dataset. Server
    memory: one batch per transaction for a batched load. Loading the same
    rows again creates no node or relationship. ``replace`` adds one scan
    of all nodes and relationships.
    """
    if batch_size < 1:
        raise BackendError(f"batch size must be at least 1, not {batch_size}")
    started = time.perf_counter()
    plan = LoadPlan(dataset, dataset_name)
    scan = plan.scan(replace=replace)
    ensure_schema(driver, database)
    show = scan.rows > PROGRESS_MIN_ROWS if progress is None else progress
    with tqdm(total=scan.rows, unit="row", desc=f"load {plan.name}", file=sys.stderr,
              disable=not show, leave=False) as bar:
        loader = _Loader(driver, database, plan.name, replace=replace, checkpoint=checkpoint, bar=bar)
        if scan.rows <= single_transaction_max and scan.bytes <= SINGLE_TRANSACTION_MAX_BYTES:
            result = loader.single(plan, scan, batch_size)
        else:
            result = loader.batched(plan, scan, batch_size)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def unload_dataset(driver: neo4j.Driver, dataset_name: str, *, database: str | None = None,
                   checkpoint: Checkpoint | None = None) -> dict[str, int]:
    """Take a dataset out of the database: what only it holds is deleted, the rest loses its name.

    Nodes and relationships no other dataset holds are deleted; those another
    dataset holds too lose ``dataset_name`` and the properties only it set
    (as ``--replace`` does with what a dataset no longer has). It works in
    batches of a few thousand rows, behind the load gate like a batched
    load: graphmodel reads nothing of the database until it has finished;
    if it stops, running it again finishes it. The marker of an unfinished
    load of the dataset goes with it.

    Returns
    -------
    dict
        How many nodes and relationships were deleted, and how many kept for other datasets.

    Raises
    ------
    UnknownDataset
        No node records the dataset and no load or unload of it is unfinished
        (a mistyped name, or unloaded already): nothing is changed, and the
        message names the datasets the database holds.
    """
    check_dataset_name(dataset_name)
    loader = _Loader(driver, database, dataset_name, replace=True, checkpoint=checkpoint)
    # No node carries this token: everything the dataset holds counts as unwritten.
    token = uuid.uuid4().hex
    with driver_errors(f"unloading dataset {dataset_name!r}"):
        job = loader.find_job()
        if job is None and not loader.read(lambda tx: tx.run(HELD, dataset=dataset_name).single()["held"]):
            loaded = loader.read(lambda tx: [r["d"] for r in tx.run(LOADED)])
            raise UnknownDataset(f"no dataset {dataset_name!r} is loaded in this database ("
                                   + (f"loaded: {', '.join(map(repr, loaded))}" if loaded else "none is")
                                   + "); nothing was changed")
        loader.open(job, kind="unload", key="unload", token=token, batch_size=0, rows=0, batches=0)
        removed = loader.remove(token)
        loader.mark(CLOSE, job="unload")
    return removed
