"""Load a validated dataset into Neo4j: batched, idempotent, never half visible.

The driver is passed in (the CLI or the caller builds it); nothing here reads
the environment. :func:`load_dataset` writes a :class:`~graphmodel.model.Dataset`
as the same nodes and relationships the embedded backend answers with
(:meth:`~graphmodel.model.Dataset.relationship_rows`):

1. the constraints and indexes of ``cypher/ddl/schema.cypher`` (``IF NOT EXISTS``);
2. ``UNWIND $rows AS row MERGE (n:Label {id: row.id}) SET n += row.props``,
   one statement per batch of rows and label, nodes before relationships;
   relationships find both ends through the unique ``id`` and are merged on
   their key (:func:`~graphmodel.model.rel_key`: ``FUNDS`` are distinct per
   fiscal year, ``COORDINATES_WITH`` per tambon), so loading twice changes nothing.

Several datasets may share one database (the same id is the same entity).
Every node and relationship records which datasets wrote it (``_datasets``)
and which properties each of them set (``_keys``, entries ``dataset/key``).
With ``replace=True`` the load's own writes mark what they touch (``_load``,
a token per load) and, in the same transaction, whatever the dataset held
and this load did not write loses the dataset: deleted when no other dataset
holds it, else stripped of the dataset's name and of the properties only it
set; a property the dataset no longer sets on a node it still writes goes
too. Properties whose names start with ``_`` are this bookkeeping; the Neo4j
backend leaves them out of every answer.

Nothing half loaded is ever visible. A load of at most
:data:`~.plan.SINGLE_TRANSACTION_MAX_ROWS` rows is one transaction. A larger
one is *staged*: its rows are uploaded in batches, each its own transaction,
as ``:_GraphmodelStaged`` nodes that no query of the library matches, under a
``:_GraphmodelLoad`` marker for the dataset; one final transaction (the
switch) applies them server-side and deletes the marker; the staged rows are
deleted after it. If the connection or the server fails, a rerun of the same
load skips the batches already staged and finishes the job; a rerun with
different data or options discards them and starts over. docs/neo4j.md has
the whole design.

Every write is a managed transaction (``execute_write``): the driver retries
it after a transient error or a server restart, and because every statement
is a MERGE the retried work writes the same thing once. ``checkpoint`` is a
hook called at fixed points — after each batch, and after each statement of
the switch — so tests can stop or restart the server at a known moment.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
import uuid
from typing import Any, Callable, Iterator, Sequence

import neo4j
from tqdm import tqdm

from ...errors import BackendError, GraphmodelError
from ...model import ENTITY_LABELS, Dataset
from ..errors import driver_errors
from .plan import (
    DEFAULT_BATCH_SIZE, LOAD_LABEL, PROGRESS_MIN_ROWS, SINGLE_TRANSACTION_MAX_ROWS, STAGED_LABEL,
    DATASETS_PROPERTY, LoadPlan, LoadResult, check_dataset_name, staged_group,
)
from .schema import ensure_schema
from .statements import (
    STAGE_CLAIM, STAGE_DONE, STAGE_UPLOAD, conflict_statement, node_statement, rel_statement, unclaim,
    unwritten,
)

__all__ = ["load_dataset", "unload_dataset"]

#: Called with the step (``"write"``: a batch of a one-transaction load; ``"upload"``:
#: a staged batch, committed; ``"switch"``: a statement of the switch) and its number.
Checkpoint = Callable[[str, int], None]


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _params(plan: LoadPlan | str, **extra: Any) -> dict[str, Any]:
    name = plan if isinstance(plan, str) else plan.dataset
    return {"dataset": name, "prefix": name + "/", **extra}


def _remove_unwritten(tx, plan: LoadPlan | str, token: str) -> dict[str, int]:
    """The ``replace`` step, after the writes of this load (``token``), in its transaction.

    What the dataset held and this load did not write: deleted when no other
    dataset holds it, else it loses the dataset's name and the properties
    only that dataset set. Relationships first, then nodes; one scan of all
    relationships and one of all nodes (per label or type they would read
    the same rows and cost a query plan each).
    """
    p = _params(plan, token=token)
    ds = DATASETS_PROPERTY

    def count(query: str) -> int:
        return tx.run(query, p).single()["n"]

    rels = count(f"MATCH ()-[r]->() WHERE {unwritten('r')} AND r.{ds} = [$dataset] "
                 "DELETE r RETURN count(*) AS n")
    kept_rels = count(unclaim("MATCH ()-[r]->()", "r"))
    nodes = count(f"MATCH (n) WHERE {unwritten('n')} AND n.{ds} = [$dataset] "
                  "DETACH DELETE n RETURN count(*) AS n")
    kept_nodes = count(unclaim("MATCH (n)", "n"))
    return {"nodes deleted": nodes, "relationships deleted": rels,
            "nodes kept for other datasets": kept_nodes,
            "relationships kept for other datasets": kept_rels}


def _check_id_space(tx, plan: LoadPlan, batch_size: int, replace: bool) -> None:
    """Refuse an id that the database holds under another entity label."""
    ids = plan.entity_ids()
    conflicts: list[dict] = []
    for label in ENTITY_LABELS:
        for chunk in _chunks(ids, batch_size):
            conflicts += [r.data() for r in tx.run(conflict_statement(label), _params(plan),
                                                   rows=list(chunk), replace=replace)]
    if conflicts:
        first = conflicts[0]
        owners = ", ".join(repr(d) for d in first["datasets"] or [])
        by = f"written by dataset {owners}" if owners else "not written by graphmodel load"
        more = f" (and {len(conflicts) - 1} more such ids)" if len(conflicts) > 1 else ""
        raise BackendError(
            f"id {first['id']!r} is {_a(first['wanted'])} in dataset {plan.dataset!r} but the "
            f"database already has it as {_a(first['found'])} ({by}){more}; agencies, funds, "
            "programs and groups share one id space, so one id must name the same entity in "
            "every dataset loaded into a database")


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"


def _bar(plan: LoadPlan, progress: bool | None):
    show = plan.rows > PROGRESS_MIN_ROWS if progress is None else progress
    return tqdm(total=plan.rows, unit="row", desc=f"load {plan.dataset}",
                file=sys.stderr, disable=not show, leave=False)


class _Loader:
    """One load: the driver, the plan, the options, the progress bar and the hook."""

    def __init__(self, driver: neo4j.Driver, database: str | None, plan: LoadPlan, *,
                 replace: bool, batch_size: int, bar, checkpoint: Checkpoint | None):
        self.driver, self.database, self.plan = driver, database, plan
        self.replace, self.batch_size, self.bar = replace, batch_size, bar
        self.checkpoint = checkpoint or (lambda step, number: None)
        self.batches = 0

    def write(self, work: Callable[[neo4j.ManagedTransaction], Any]) -> Any:
        """``work`` in one managed write transaction (retried by the driver)."""
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return session.execute_write(work)

    def auto(self, text: str, **params: Any) -> None:
        """One auto-commit statement (``CALL { } IN TRANSACTIONS`` needs one)."""
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            session.run(text, params).consume()

    def batch_done(self, step: str, rows: int) -> None:
        self.batches += 1
        self.bar.update(rows)
        self.checkpoint(step, self.batches)

    # --- one transaction -------------------------------------------------------

    def single(self) -> LoadResult:
        plan, size, replace = self.plan, self.batch_size, self.replace

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            self.batches = 0  # a retried transaction starts again
            self.bar.reset(total=plan.rows)
            token = uuid.uuid4().hex
            p = _params(plan, token=token)
            _check_id_space(tx, plan, size, replace)
            for g in plan.nodes:
                stmt = node_statement(g.label, staged=False, replace=replace)
                for chunk in _chunks(g.rows, size):
                    tx.run(stmt, p, rows=list(chunk)).consume()
                    self.batch_done("write", len(chunk))
            for g in plan.relationships:
                stmt = rel_statement(g, staged=False, replace=replace)
                for chunk in _chunks(g.rows, size):
                    tx.run(stmt, p, rows=list(chunk)).consume()
                    self.batch_done("write", len(chunk))
            return _remove_unwritten(tx, plan, token) if replace else {}

        with driver_errors(f"loading dataset {plan.dataset!r}", during_load=True):
            removed = self.write(work)
        return LoadResult(plan.dataset, plan.counts, plan.rows, "single transaction", self.batches,
                          removed=removed)

    # --- staged ----------------------------------------------------------------

    def find_job(self) -> dict | None:
        def work(tx: neo4j.ManagedTransaction) -> dict | None:
            record = tx.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) RETURN j {{.*}} AS job",
                            dataset=self.plan.dataset).single()
            return None if record is None else record["job"]

        return self.write(work)

    def delete_staged(self, job: str | None = None) -> None:
        """Delete the staged rows of ``job``, or (None) of every job without a marker."""
        if job is not None:
            match = f"MATCH (s:{STAGED_LABEL} {{_stage_job: $job}})"
        else:
            match = (f"MATCH (s:{STAGED_LABEL}) "
                     f"WHERE NOT EXISTS {{ MATCH (j:{LOAD_LABEL}) WHERE j.job = s._stage_job }}")
        self.auto(f"{match} CALL (s) {{ DELETE s }} IN TRANSACTIONS OF 10000 ROWS", job=job)

    def drop_job(self, job: dict) -> None:
        """Abandon a staged load: its marker first (so no rerun trusts a half-deleted
        job), then its staged rows, in batches."""
        self.write(lambda tx: tx.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) DELETE j",
                                     dataset=job["dataset"], job=job["job"]).consume())
        self.delete_staged(job["job"])

    def _discarded(self) -> BackendError:
        return BackendError(f"the staged load of dataset {self.plan.dataset!r} was discarded by "
                            "another load of it; run the load again")

    def staged(self, job: dict | None) -> LoadResult:
        plan, replace = self.plan, self.replace
        fingerprint = plan.fingerprint(replace=replace)
        with driver_errors(f"staging dataset {plan.dataset!r}", during_load=True):
            if job is not None and job["job"] != fingerprint:
                self.drop_job(job)
                job = None
            if job is None:
                # fail before the upload, not after
                self.write(lambda tx: _check_id_space(tx, plan, self.batch_size, replace))
                self.write(lambda tx: tx.run(
                    f"CREATE (j:{LOAD_LABEL} {{dataset: $dataset, job: $job, replace: $replace, "
                    "batch_size: $batch_size, rows: $rows, done: [], started: datetime()})",
                    dataset=plan.dataset, job=fingerprint, replace=replace,
                    batch_size=self.batch_size, rows=plan.rows).consume())
                done: set[int] = set()
            else:
                self.batch_size = job["batch_size"]  # a resumed load keeps its batch numbering
                done = set(job["done"])
            for number, chunk in enumerate(_chunks(list(plan.staged_rows(fingerprint)), self.batch_size)):
                if number not in done:
                    self.write(lambda tx: self._upload(tx, fingerprint, number, list(chunk)))
                self.batch_done("upload", len(chunk))
        self.bar.set_description(f"switch {plan.dataset}")
        with driver_errors(f"switching in the staged dataset {plan.dataset!r}", during_load=True):
            removed = self.write(lambda tx: self._switch(tx, fingerprint))
        # The load is in; the staged rows are invisible leftovers. Should this
        # fail, the next load deletes them (rows of jobs without a marker).
        with contextlib.suppress(GraphmodelError), driver_errors("deleting staged rows"):
            self.delete_staged(fingerprint)
        return LoadResult(plan.dataset, plan.counts, plan.rows, "staged", self.batches,
                          resumed_batches=len(done), removed=removed)

    def _upload(self, tx: neo4j.ManagedTransaction, job: str, number: int, rows: list) -> None:
        tx.run(STAGE_UPLOAD, job=job, batch=number, rows=rows).consume()
        if tx.run(STAGE_DONE, dataset=self.plan.dataset, job=job, batch=number).single()["n"] != 1:
            raise self._discarded()

    def _switch(self, tx: neo4j.ManagedTransaction, job: str) -> dict[str, int]:
        plan, replace = self.plan, self.replace
        p = _params(plan, job=job, token=uuid.uuid4().hex)
        if tx.run(STAGE_CLAIM, p).single()["n"] != 1:
            raise self._discarded()
        _check_id_space(tx, plan, self.batch_size, replace)
        statements = [(node_statement(g.label, staged=True, replace=replace), g) for g in plan.nodes]
        statements += [(rel_statement(g, staged=True, replace=replace), g) for g in plan.relationships]
        for number, (statement, g) in enumerate(statements, 1):
            tx.run(statement, p, group=staged_group(job, g)).consume()
            self.checkpoint("switch", number)
        removed = _remove_unwritten(tx, plan, p["token"]) if replace else {}
        tx.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) DELETE j", p).consume()
        return removed


def load_dataset(driver: neo4j.Driver, dataset: Dataset, *, dataset_name: str,
                 database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 replace: bool = False, progress: bool | None = None,
                 single_transaction_max: int = SINGLE_TRANSACTION_MAX_ROWS,
                 checkpoint: Checkpoint | None = None) -> LoadResult:
    """Write a validated dataset into Neo4j, idempotently and all or nothing.

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
        Rows per ``UNWIND`` statement.
    replace : bool
        Also take back what earlier loads of ``dataset_name`` wrote and this
        one does not: delete the nodes and relationships no other dataset
        holds, remove the name and the properties only it set from the rest;
        in the same transaction as the new writes.
    progress : bool, optional
        Show a tqdm bar on stderr; by default only for more than
        :data:`~.plan.PROGRESS_MIN_ROWS` rows.
    single_transaction_max : int
        Largest load written as one transaction; larger loads are staged.
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
        than the driver retries; nothing of this load is visible then, and
        running it again finishes it.
    ConnectionFailed
        For refused credentials or a missing database.

    Notes
    -----
    Round trips: one per batch and about ten more (schema, checks); a
    staged load one per uploaded batch plus one per label and relationship
    group in the switch. Loading the same rows again creates no node or
    relationship. ``replace`` adds one scan of all nodes and relationships.
    """
    if batch_size < 1:
        raise BackendError(f"batch size must be at least 1, not {batch_size}")
    started = time.perf_counter()
    plan = LoadPlan.from_dataset(dataset, dataset_name)
    ensure_schema(driver, database)
    with _bar(plan, progress) as bar:
        loader = _Loader(driver, database, plan, replace=replace, batch_size=batch_size, bar=bar,
                         checkpoint=checkpoint)
        with driver_errors(f"looking for an unfinished load of {plan.dataset!r}"):
            loader.delete_staged()  # leftovers of loads that finished or were abandoned
            job = loader.find_job()
            if job is not None and plan.rows <= single_transaction_max:
                loader.drop_job(job)
        result = loader.single() if plan.rows <= single_transaction_max else loader.staged(job)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def unload_dataset(driver: neo4j.Driver, dataset_name: str, *, database: str | None = None) -> dict[str, int]:
    """Take a dataset out of the database: what only it holds is deleted, the rest loses its name.

    Nodes and relationships no other dataset holds are deleted; those another
    dataset holds too lose ``dataset_name`` and the properties only it set
    (as ``--replace`` does with what a dataset no longer has). The leftovers
    of an unfinished staged load of the dataset go too. One managed
    transaction, so it is all or nothing; running it again is a no-op.

    Returns
    -------
    dict
        How many nodes and relationships were deleted, and how many kept for other datasets.
    """
    check_dataset_name(dataset_name)
    token = uuid.uuid4().hex  # no node carries it: everything of the dataset counts as unwritten

    def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
        removed = _remove_unwritten(tx, dataset_name, token)
        tx.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) DELETE j", dataset=dataset_name).consume()
        return removed

    with driver_errors(f"unloading dataset {dataset_name!r}"):
        with driver.session(database=database, notifications_min_severity="OFF") as session:
            removed = session.execute_write(work)
            # rows staged by a load that no longer has a marker (including the one just deleted)
            session.run(f"MATCH (s:{STAGED_LABEL}) WHERE NOT EXISTS {{ MATCH (j:{LOAD_LABEL}) "
                        "WHERE j.job = s._stage_job } CALL (s) { DELETE s } IN TRANSACTIONS OF 10000 ROWS"
                        ).consume()
    return removed
