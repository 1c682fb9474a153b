"""Load a validated dataset into Neo4j: batched, idempotent, never half visible.

The driver is passed in (the CLI or the caller builds it); nothing here reads
the environment. :func:`load_dataset` writes a :class:`~graphmodel.model.Dataset`
as the same nodes and relationships the embedded backend holds
(:meth:`~graphmodel.model.Dataset.to_graph`):

1. the constraints and indexes of ``cypher/schema.cypher`` (``IF NOT EXISTS``);
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
too. Properties whose names start with ``_`` are this bookkeeping;
:meth:`~graphmodel.backends.neo4j.Neo4jBackend.payload` leaves them out.

Nothing half loaded is ever visible. A load of at most
:data:`SINGLE_TRANSACTION_MAX_ROWS` rows is one transaction. A larger one is
*staged*: its rows are uploaded in batches, each its own transaction, as
``:_GraphmodelStaged`` nodes that no query of the library matches, under a
``:_GraphmodelLoad`` marker for the dataset; one final transaction (the
switch) applies them server-side and deletes the marker; the staged rows are
deleted after it. If the connection or the server fails, a rerun of the same
load skips the batches already staged and finishes the job; a rerun with
different data or options discards them and starts over. docs/neo4j.md has
the whole design.

Examples
--------
>>> [s.text.split(" IF ")[0] for s in schema_statements()][:2]
['CREATE CONSTRAINT agency_id', 'CREATE CONSTRAINT fund_id']
>>> plan = LoadPlan.from_dataset(Dataset(), "nst-2006")
>>> plan.rows
0
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from neo4j.exceptions import (
    AuthError, ConstraintError, DriverError, IncompleteCommit, Neo4jError, ServiceUnavailable,
    SessionExpired,
)
from tqdm import tqdm

from ..errors import BackendError, ConnectionFailed, GraphmodelError
from ..model import ENTITY_LABELS, Dataset, NodeLabel, RelType, rel_key
from ..queries import LIBRARY_DIR

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "SINGLE_TRANSACTION_MAX_ROWS",
    "PROGRESS_MIN_ROWS",
    "DATASETS_PROPERTY",
    "KEYS_PROPERTY",
    "REL_KEY",
    "LOAD_PROPERTY",
    "LOAD_LABEL",
    "STAGED_LABEL",
    "SCHEMA_FILE",
    "SchemaStatement",
    "LoadPlan",
    "LoadResult",
    "schema_statements",
    "ensure_schema",
    "load_dataset",
    "neo4j_errors",
]

#: Rows per ``UNWIND`` statement. benchmarks/load_rate.py (120 000 rows, one
#: transaction): batches of 1 000 take 1.0-1.4x as long as 10 000; on a 2 000-row
#: slice one row per transaction takes 20-47x as long as batches. 5 000 keeps
#: statements small and gives a staged load a resume point every 5 000 rows.
DEFAULT_BATCH_SIZE = 5_000
#: Loads of at most this many rows (nodes + relationships) run as one
#: transaction; larger ones are staged. A transaction holds about 2.3 KiB of
#: server memory per row (measured: 276 MiB for 120 000 rows), so 50 000 rows
#: is about 115 MiB, well inside the 717 MiB a server with a 1 GiB heap allows
#: all transactions together, and about 3 s here. Staging costs up to 1.9x the time
#: (every row is written twice) and buys a resumable upload: above this size
#: a failure no longer throws away the whole upload. The final switch is one
#: transaction either way (docs/neo4j.md, "How the loader works").
SINGLE_TRANSACTION_MAX_ROWS = 50_000
#: Loads with more rows than this show a progress bar on stderr (``progress=None``).
PROGRESS_MIN_ROWS = 5_000

#: Bookkeeping: names of the datasets that wrote a node or relationship.
DATASETS_PROPERTY = "_datasets"
#: Bookkeeping: ``dataset/key`` for every property key a dataset set.
KEYS_PROPERTY = "_keys"
#: Bookkeeping: a relationship's :func:`~graphmodel.model.rel_key`, what MERGE matches on.
REL_KEY = "_key"
#: Bookkeeping, with ``replace``: the token of the load that last wrote a node or relationship.
LOAD_PROPERTY = "_load"
#: The marker of a staged load under way (one node per dataset).
LOAD_LABEL = "_GraphmodelLoad"
#: Staged rows of a large load, invisible to the library's queries.
STAGED_LABEL = "_GraphmodelStaged"
_STAGE = "_stage_"

SCHEMA_FILE = LIBRARY_DIR / "schema.cypher"

# Relationship types whose meaning is undirected: a link a→b from one dataset
# and b→a from another is the same link.
_UNDIRECTED = frozenset({RelType.COORDINATES_WITH.value})
_NODE_LABELS = frozenset(label.value for label in NodeLabel)


# --- schema ----------------------------------------------------------------

@dataclass(frozen=True)
class SchemaStatement:
    """One DDL statement of ``cypher/schema.cypher`` and the line it starts on."""

    text: str
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def schema_statements(path: Path = SCHEMA_FILE) -> list[SchemaStatement]:
    """The statements of the schema file: ``//`` lines skipped, split at ``;``.

    >>> [s.line for s in schema_statements()][:3]
    [10, 11, 12]
    """
    display = f"cypher/{path.name}" if path.parent.name == "cypher" else str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BackendError(f"cannot read the Neo4j schema {display}: {exc.strerror}") from exc
    out: list[SchemaStatement] = []
    buf: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        if not buf:
            start = number
        buf.append(stripped)
        if stripped.endswith(";"):
            out.append(SchemaStatement(" ".join(buf)[:-1].strip(), display, start))
            buf = []
    if buf:
        raise BackendError(f"{display}:{start}: statement not ended with ';'")
    return out


def ensure_schema(session) -> None:
    """Run every statement of ``cypher/schema.cypher`` (each is ``IF NOT EXISTS``).

    Raises
    ------
    BackendError
        When the server refuses one, e.g. because two existing nodes already
        share a label and an id; the message cites ``cypher/schema.cypher:LINE``.
    """
    for stmt in schema_statements():
        with neo4j_errors(f"creating the schema ({stmt.where})", during_load=False):
            session.run(stmt.text).consume()


# --- errors ----------------------------------------------------------------

@contextlib.contextmanager
def neo4j_errors(action: str, *, during_load: bool = True) -> Iterator[None]:
    """Turn the driver's exceptions into graphmodel's, with one clear line each.

    ``action`` completes "while ...". With ``during_load`` the message says
    what a failure means for a load (nothing visible; rerun to finish).
    """
    nothing = " Nothing of this load is visible." if during_load else ""
    rerun = f"{nothing[:-1]}; run the same load again to finish it." if during_load else ""
    try:
        yield
    except GraphmodelError:
        raise
    except AuthError as exc:
        raise ConnectionFailed(f"Neo4j refused the user name or password while {action}: "
                               f"{_message(exc)}") from None
    except IncompleteCommit:
        raise BackendError(f"the connection to Neo4j broke during a commit while {action}, so "
                           "whether it committed is unknown (all of it or none of it did). "
                           "Run the same load again: it is idempotent.") from None
    except (ServiceUnavailable, SessionExpired) as exc:
        raise BackendError(f"lost the connection to Neo4j while {action}: "
                           f"{_first_line(str(exc))}.{rerun}") from None
    except ConstraintError as exc:
        raise BackendError(f"a Neo4j constraint refused the write while {action}: "
                           f"{_message(exc)}.{nothing}") from None
    except Neo4jError as exc:
        if exc.code == "Neo.DatabaseError.Schema.ConstraintCreationFailed":
            raise BackendError(f"cannot create a unique constraint while {action}: "
                               f"{_message(exc)}; merge or delete the duplicate nodes, "
                               "then load again") from None
        if exc.code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
            raise BackendError(f"Neo4j ran out of transaction memory while {action} "
                               f"({_message(exc)}); a load is one transaction of about 2.3 KiB "
                               "per row: give the server more (a larger heap, or "
                               f"db.memory.transaction.total.max), or split the dataset.{nothing}"
                               ) from None
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise ConnectionFailed(f"Neo4j has no such database: {_message(exc)}") from None
        raise BackendError(f"Neo4j refused the request while {action}: {_message(exc)} "
                           f"[{exc.code}].{nothing}") from None
    except DriverError as exc:
        raise BackendError(f"the Neo4j driver failed while {action}: "
                           f"{_first_line(str(exc))}.{rerun}") from None


def _message(exc: Neo4jError) -> str:
    """The server's message on one line."""
    return " ".join((exc.message or str(exc)).split()).rstrip(".")


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n")[0].split()).rstrip(".")


# --- the plan: what to write ---------------------------------------------

@dataclass(frozen=True)
class _NodeGroup:
    label: str
    rows: list[dict[str, Any]]  # {"id", "props"}


@dataclass(frozen=True)
class _RelGroup:
    type: str
    start_label: str
    end_label: str
    rows: list[dict[str, Any]]  # {"start", "end", "key", "props"}


@dataclass(frozen=True)
class LoadPlan:
    """A dataset as the rows the loader writes, grouped by label and relationship type."""

    dataset: str
    nodes: list[_NodeGroup]
    relationships: list[_RelGroup]
    counts: dict[str, int]

    @classmethod
    def from_dataset(cls, dataset: Dataset, name: str) -> "LoadPlan":
        """Group the dataset's graph into rows; checks the name and property keys.

        Raises
        ------
        BackendError
            For an empty name or one with ``/``, or a property (an extra CSV
            column) whose name starts with ``_`` (reserved for bookkeeping).
        """
        _check_dataset_name(name)
        graph = dataset.to_graph()
        nodes: dict[str, list] = {}
        rels: dict[tuple[str, str, str], list] = {}
        for n in graph.nodes:
            _check_keys(n.properties, f"{n.label.value} {n.id!r}")
            nodes.setdefault(n.label.value, []).append({"id": n.id, "props": n.properties})
        for r in graph.relationships:
            _check_keys(r.properties, f"{r.type.value} {r.start!r}->{r.end!r}")
            rels.setdefault((r.type.value, r.start_label.value, r.end_label.value), []).append(
                {"start": r.start, "end": r.end, "key": rel_key(r), "props": r.properties})
        label_order = {label.value: i for i, label in enumerate(NodeLabel)}
        type_order = {t.value: i for i, t in enumerate(RelType)}
        return cls(
            dataset=name,
            nodes=[_NodeGroup(label, nodes[label]) for label in sorted(nodes, key=label_order.get)],
            relationships=[_RelGroup(*key, rels[key])
                           for key in sorted(rels, key=lambda k: (type_order[k[0]], k[1], k[2]))],
            counts=dict(sorted({**{g: len(v) for g, v in nodes.items()},
                                **{t: len(r) for t, r in _by_type(rels).items()}}.items())),
        )

    @property
    def node_rows(self) -> int:
        return sum(len(g.rows) for g in self.nodes)

    @property
    def relationship_rows(self) -> int:
        return sum(len(g.rows) for g in self.relationships)

    @property
    def rows(self) -> int:
        return self.node_rows + self.relationship_rows

    def entity_ids(self) -> list[dict[str, str]]:
        """``{"id", "label"}`` for every agency, fund, program and group."""
        return [{"id": row["id"], "label": g.label}
                for g in self.nodes if g.label in ENTITY_LABELS for row in g.rows]

    def fingerprint(self, *, replace: bool) -> str:
        """A digest of everything a staged load depends on: the rows, the name, ``replace``."""
        digest = hashlib.sha256()
        digest.update(json.dumps([self.dataset, replace], ensure_ascii=False).encode())
        for g in self.nodes:
            digest.update(json.dumps([g.label, g.rows], sort_keys=True, ensure_ascii=False).encode())
        for g in self.relationships:
            digest.update(json.dumps([g.type, g.start_label, g.end_label, g.rows],
                                     sort_keys=True, ensure_ascii=False).encode())
        return digest.hexdigest()[:32]

    def staged_rows(self, job: str) -> Iterator[dict[str, Any]]:
        """Every row as a staged node: its properties plus ``_stage_*`` keys saying what it is.

        ``_stage_group`` (``JOB/node/Label`` or ``JOB/rel/TYPE/Start/End``) is
        what the switch statement of each group looks rows up by.
        """
        for g in self.nodes:
            for row in g.rows:
                yield {"props": row["props"],
                       "stage": {"_stage_group": _group(job, g), "_stage_id": row["id"]}}
        for g in self.relationships:
            for row in g.rows:
                yield {"props": row["props"],
                       "stage": {"_stage_group": _group(job, g), "_stage_start": row["start"],
                                 "_stage_end": row["end"], "_stage_key": row["key"]}}


def _by_type(rels: dict[tuple[str, str, str], list]) -> dict[str, list]:
    out: dict[str, list] = {}
    for (rtype, _, _), rows in rels.items():
        out.setdefault(rtype, []).extend(rows)
    return out


def _group(job: str, g: "_NodeGroup | _RelGroup") -> str:
    if isinstance(g, _NodeGroup):
        return f"{job}/node/{g.label}"
    return f"{job}/rel/{g.type}/{g.start_label}/{g.end_label}"


def _check_dataset_name(name: str) -> None:
    if not name or not name.strip() or "/" in name or not name.isprintable():
        raise BackendError(f"bad dataset name {name!r}: give a non-empty name without '/' "
                           "or control characters (default: the folder name)")


def _check_keys(props: dict[str, Any], what: str) -> None:
    for key in props:
        if key.startswith("_"):
            raise BackendError(f"{what} has a property {key!r}: names starting with '_' are "
                               "reserved for the loader's bookkeeping; rename that CSV column")


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_dataset` did."""

    dataset: str
    #: Nodes by label and relationships by type written (the dataset's counts).
    counts: dict[str, int]
    rows: int
    #: ``"single transaction"`` or ``"staged"``.
    mode: str
    batches: int
    #: Staged batches a previous, interrupted run had already uploaded.
    resumed_batches: int = 0
    #: With ``replace``: nodes and relationships deleted, and those only un-claimed.
    removed: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def nodes(self) -> int:
        """Nodes written (all labels)."""
        return sum(n for k, n in self.counts.items() if k in _NODE_LABELS)

    @property
    def relationships(self) -> int:
        """Relationships written (all types)."""
        return self.rows - self.nodes


# --- Cypher ----------------------------------------------------------------
# Labels and types come from the model's enums, never from input, so they can
# be put in the text; every value is a parameter.

def _key_of(entry: str) -> str:
    """The property key of a ``dataset/key`` entry (dataset names have no ``/``)."""
    return f"substring({entry}, size(split({entry}, '/')[0]) + 1)"


def _write(var: str, *, staged: bool, replace: bool) -> str:
    """What follows the MERGE of ``var``: set its properties and record who set them.

    Without ``replace`` the dataset's keys join those it set before. With it
    they replace them, a property the dataset set before and no dataset sets
    now is removed, and ``_load = $token`` marks ``var`` as written by this load.
    """
    src = "s" if staged else "row"
    keys = f"[k IN keys(s) WHERE NOT k STARTS WITH '{_STAGE}']" if staged else "keys(row.props)"
    assign = f"FOREACH (k IN props | SET {var}[k] = s[k])" if staged else f"SET {var} += row.props"
    ds = f"{var}.{DATASETS_PROPERTY}"
    datasets = (f"{ds} = CASE WHEN $dataset IN coalesce({ds}, []) THEN {ds} "
                f"ELSE coalesce({ds}, []) + $dataset END")
    text = f"WITH {var}, {src}, {keys} AS props, coalesce({var}.{KEYS_PROPERTY}, []) AS had "
    if not replace:
        return (text + f"{assign} SET {datasets}, {var}.{KEYS_PROPERTY} = had + "
                f"[k IN props WHERE NOT ($prefix + k) IN had | $prefix + k]")
    mine = "substring(x, size($prefix))"
    return (text + f"WITH {var}, {src}, props, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
            f"WITH {var}, {src}, props, had, kept, [k IN kept | {_key_of('k')}] AS others "
            f"FOREACH (k IN [x IN had WHERE x STARTS WITH $prefix AND NOT {mine} IN props "
            f"AND NOT {mine} IN others | {mine}] | SET {var}[k] = null) "
            f"{assign} SET {datasets}, {var}.{KEYS_PROPERTY} = kept + [k IN props | $prefix + k], "
            f"{var}.{LOAD_PROPERTY} = $token")


def _merge_rel(rtype: str, key: str) -> str:
    arrow = "-" if rtype in _UNDIRECTED else "->"
    return f"MERGE (a)-[r:`{rtype}` {{{REL_KEY}: {key}}}]{arrow}(b)"


def _node_statement(label: str, *, staged: bool, replace: bool) -> str:
    if staged:
        head = f"MATCH (s:{STAGED_LABEL} {{_stage_group: $group}}) MERGE (n:`{label}` {{id: s._stage_id}}) "
    else:
        head = f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) "
    return head + _write("n", staged=staged, replace=replace)


def _rel_statement(g: _RelGroup, *, staged: bool, replace: bool) -> str:
    if staged:
        head = (f"MATCH (s:{STAGED_LABEL} {{_stage_group: $group}}) "
                f"MATCH (a:`{g.start_label}` {{id: s._stage_start}}) "
                f"MATCH (b:`{g.end_label}` {{id: s._stage_end}}) {_merge_rel(g.type, 's._stage_key')} ")
    else:
        head = (f"UNWIND $rows AS row MATCH (a:`{g.start_label}` {{id: row.start}}) "
                f"MATCH (b:`{g.end_label}` {{id: row.end}}) {_merge_rel(g.type, 'row.key')} ")
    return head + _write("r", staged=staged, replace=replace)


def _unwritten(var: str) -> str:
    """Held by ``$dataset`` but not written by this load (``$token``)."""
    return (f"$dataset IN {var}.{DATASETS_PROPERTY} "
            f"AND coalesce({var}.{LOAD_PROPERTY}, '') <> $token")


def _unclaim(match: str, var: str) -> str:
    """Take ``$dataset`` off what ``match`` finds that this load did not write, and
    the properties only that dataset set; count them."""
    ds, ks = f"{var}.{DATASETS_PROPERTY}", f"{var}.{KEYS_PROPERTY}"
    mine = "substring(x, size($prefix))"
    return (
        f"{match} WHERE {_unwritten(var)} "
        f"WITH {var}, coalesce({ks}, []) AS had "
        f"WITH {var}, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
        f"WITH {var}, had, kept, [k IN kept | {_key_of('k')}] AS others "
        f"FOREACH (k IN [x IN had WHERE x STARTS WITH $prefix AND NOT {mine} IN others | {mine}] "
        f"| SET {var}[k] = null) "
        f"SET {ds} = [d IN {ds} WHERE d <> $dataset], {ks} = kept "
        f"RETURN count({var}) AS n"
    )


def _conflict_statement(label: str) -> str:
    # With replace, a node only this dataset holds that it no longer writes
    # is about to be removed: not a conflict.
    return (f"UNWIND $rows AS row MATCH (n:`{label}` {{id: row.id}}) WHERE row.label <> '{label}' "
            f"AND NOT ($replace AND n.{DATASETS_PROPERTY} = [$dataset]) "
            f"RETURN row.id AS id, row.label AS wanted, '{label}' AS found, "
            f"n.{DATASETS_PROPERTY} AS datasets LIMIT 5")


_STAGE_UPLOAD = (
    f"UNWIND $rows AS row CREATE (s:{STAGED_LABEL}) SET s = row.props, s += row.stage, "
    "s._stage_job = $job, s._stage_batch = $batch"
)
_STAGE_DONE = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) "
               "SET j.done = j.done + $batch RETURN count(j) AS n")
_STAGE_CLAIM = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) "
                "SET j.switching = datetime() RETURN count(j) AS n")


# --- steps -----------------------------------------------------------------

def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _params(plan: LoadPlan, **extra: Any) -> dict[str, Any]:
    return {"dataset": plan.dataset, "prefix": plan.dataset + "/", **extra}


def _remove_unwritten(tx, plan: LoadPlan, token: str) -> dict[str, int]:
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

    rels = count(f"MATCH ()-[r]->() WHERE {_unwritten('r')} AND r.{ds} = [$dataset] "
                 "DELETE r RETURN count(*) AS n")
    kept_rels = count(_unclaim("MATCH ()-[r]->()", "r"))
    nodes = count(f"MATCH (n) WHERE {_unwritten('n')} AND n.{ds} = [$dataset] "
                  "DETACH DELETE n RETURN count(*) AS n")
    kept_nodes = count(_unclaim("MATCH (n)", "n"))
    return {"nodes deleted": nodes, "relationships deleted": rels,
            "nodes kept for other datasets": kept_nodes,
            "relationships kept for other datasets": kept_rels}


def _check_id_space(tx, plan: LoadPlan, batch_size: int, replace: bool) -> None:
    """Refuse an id that the database holds under another entity label."""
    ids = plan.entity_ids()
    conflicts: list[dict] = []
    for label in ENTITY_LABELS:
        for chunk in _chunks(ids, batch_size):
            conflicts += [r.data() for r in tx.run(_conflict_statement(label), _params(plan),
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


def _load_single(session, plan: LoadPlan, replace: bool, batch_size: int, bar) -> LoadResult:
    token = uuid.uuid4().hex
    p = _params(plan, token=token)
    batches = 0
    with neo4j_errors(f"loading dataset {plan.dataset!r}"):
        with session.begin_transaction() as tx:
            _check_id_space(tx, plan, batch_size, replace)
            for g in plan.nodes:
                stmt = _node_statement(g.label, staged=False, replace=replace)
                for chunk in _chunks(g.rows, batch_size):
                    tx.run(stmt, p, rows=list(chunk)).consume()
                    batches += 1
                    bar.update(len(chunk))
            for g in plan.relationships:
                stmt = _rel_statement(g, staged=False, replace=replace)
                for chunk in _chunks(g.rows, batch_size):
                    tx.run(stmt, p, rows=list(chunk)).consume()
                    batches += 1
                    bar.update(len(chunk))
            removed = _remove_unwritten(tx, plan, token) if replace else {}
            tx.commit()
    return LoadResult(plan.dataset, plan.counts, plan.rows, "single transaction", batches,
                      removed=removed)


def _find_job(session, dataset: str) -> dict | None:
    record = session.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) RETURN j {{.*}} AS job",
                         dataset=dataset).single()
    return None if record is None else record["job"]


def _delete_staged(session, job: str | None = None) -> None:
    """Delete the staged rows of ``job``, or (None) of every job without a marker."""
    if job is not None:
        match = f"MATCH (s:{STAGED_LABEL} {{_stage_job: $job}})"
    else:
        match = (f"MATCH (s:{STAGED_LABEL}) "
                 f"WHERE NOT EXISTS {{ MATCH (j:{LOAD_LABEL}) WHERE j.job = s._stage_job }}")
    session.run(f"{match} CALL (s) {{ DELETE s }} IN TRANSACTIONS OF 10000 ROWS", job=job).consume()


def _drop_job(session, job: dict) -> None:
    """Abandon a staged load: its marker first (so no rerun trusts a half-deleted
    job), then its staged rows, in batches."""
    session.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) DELETE j",
                dataset=job["dataset"], job=job["job"]).consume()
    _delete_staged(session, job["job"])


def _load_staged(session, plan: LoadPlan, replace: bool, batch_size: int, bar,
                 job: dict | None) -> LoadResult:
    fingerprint = plan.fingerprint(replace=replace)
    with neo4j_errors(f"staging dataset {plan.dataset!r}"):
        if job is not None and job["job"] != fingerprint:
            _drop_job(session, job)
            job = None
        if job is None:
            with session.begin_transaction() as tx:  # fail before the upload, not after
                _check_id_space(tx, plan, batch_size, replace)
            session.run(f"CREATE (j:{LOAD_LABEL} {{dataset: $dataset, job: $job, replace: $replace, "
                        "batch_size: $batch_size, rows: $rows, done: [], started: datetime()})",
                        dataset=plan.dataset, job=fingerprint, replace=replace,
                        batch_size=batch_size, rows=plan.rows).consume()
            done: set[int] = set()
        else:
            batch_size = job["batch_size"]  # a resumed load keeps its batch numbering
            done = set(job["done"])
        batches = 0
        for number, chunk in enumerate(_chunks(list(plan.staged_rows(fingerprint)), batch_size)):
            batches += 1
            if number not in done:
                with session.begin_transaction() as tx:
                    tx.run(_STAGE_UPLOAD, job=fingerprint, batch=number, rows=list(chunk)).consume()
                    if tx.run(_STAGE_DONE, dataset=plan.dataset, job=fingerprint,
                              batch=number).single()["n"] != 1:
                        raise BackendError(f"the staged load of dataset {plan.dataset!r} was "
                                           "discarded by another load of it; run the load again")
                    tx.commit()
            bar.update(len(chunk))
    bar.set_description(f"switch {plan.dataset}")
    token = uuid.uuid4().hex
    p = _params(plan, job=fingerprint, token=token)
    with neo4j_errors(f"switching in the staged dataset {plan.dataset!r}"):
        with session.begin_transaction() as tx:
            if tx.run(_STAGE_CLAIM, p).single()["n"] != 1:
                raise BackendError(f"the staged load of dataset {plan.dataset!r} was discarded "
                                   "by another load of it; run the load again")
            _check_id_space(tx, plan, batch_size, replace)
            for g in plan.nodes:
                tx.run(_node_statement(g.label, staged=True, replace=replace), p,
                       group=_group(fingerprint, g)).consume()
            for g in plan.relationships:
                tx.run(_rel_statement(g, staged=True, replace=replace), p,
                       group=_group(fingerprint, g)).consume()
            removed = _remove_unwritten(tx, plan, token) if replace else {}
            tx.run(f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) DELETE j", p).consume()
            tx.commit()
    # The load is in; the staged rows are invisible leftovers. Should this
    # fail, the next load deletes them (rows of jobs without a marker).
    with contextlib.suppress(GraphmodelError), neo4j_errors("deleting staged rows", during_load=False):
        _delete_staged(session, fingerprint)
    return LoadResult(plan.dataset, plan.counts, plan.rows, "staged", batches,
                      resumed_batches=len(done), removed=removed)


def load_dataset(driver, dataset: Dataset, *, dataset_name: str, database: str | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, replace: bool = False,
                 progress: bool | None = None,
                 single_transaction_max: int = SINGLE_TRANSACTION_MAX_ROWS) -> LoadResult:
    """Write a validated dataset into Neo4j, idempotently and all or nothing.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (see :func:`graphmodel.neo4j_connection.connect`).
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
        :data:`PROGRESS_MIN_ROWS` rows.
    single_transaction_max : int
        Largest load written as one transaction; larger loads are staged.

    Returns
    -------
    LoadResult
        Counts written, mode, batches and seconds taken.

    Raises
    ------
    BackendError
        When the server refuses a statement (a constraint, an id that is an
        agency here and a program there) or the connection breaks; nothing of
        this load is visible then, and running it again finishes it.
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
    with neo4j_errors(f"opening a session on database {database or '(default)'}", during_load=False):
        # The server warns about bookkeeping properties absent from a fresh database; not news.
        session = driver.session(database=database, notifications_min_severity="OFF")
    with session, _bar(plan, progress) as bar:
        ensure_schema(session)
        with neo4j_errors(f"looking for an unfinished load of {plan.dataset!r}", during_load=False):
            _delete_staged(session)  # leftovers of loads that finished or were abandoned
            job = _find_job(session, plan.dataset)
            if job is not None and plan.rows <= single_transaction_max:
                _drop_job(session, job)
        if plan.rows <= single_transaction_max:
            result = _load_single(session, plan, replace, batch_size, bar)
        else:
            result = _load_staged(session, plan, replace, batch_size, bar, job)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)
