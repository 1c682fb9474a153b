"""What a load writes: the dataset as rows grouped by label and type (no server needed).

:class:`LoadPlan` turns a validated :class:`~graphmodel.model.Dataset` into
the rows :mod:`.steps` sends in ``UNWIND`` batches, and fingerprints them so
an interrupted staged load can resume. The bookkeeping names the loader
writes are defined here (docs/neo4j.md, "Bookkeeping").

Examples
--------
>>> plan = LoadPlan.from_dataset(Dataset(), "nst-2006")
>>> plan.rows
0
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from ...errors import BackendError
from ...model import ENTITY_LABELS, Dataset, NodeLabel, RelType, rel_key

__all__ = [
    "DEFAULT_BATCH_SIZE", "SINGLE_TRANSACTION_MAX_ROWS", "PROGRESS_MIN_ROWS", "DATASETS_PROPERTY",
    "KEYS_PROPERTY", "REL_KEY", "LOAD_PROPERTY", "LOAD_LABEL", "STAGED_LABEL", "LoadPlan", "LoadResult",
    "NodeGroup", "RelGroup", "staged_group", "STAGE_PREFIX", "UNDIRECTED",
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
#: Prefix of the bookkeeping keys of a staged row.
STAGE_PREFIX = "_stage_"


# Relationship types whose meaning is undirected: a link a→b from one dataset
# and b→a from another is the same link.
UNDIRECTED = frozenset({RelType.COORDINATES_WITH.value})
_NODE_LABELS = frozenset(label.value for label in NodeLabel)


@dataclass(frozen=True)
class NodeGroup:
    label: str
    rows: list[dict[str, Any]]  # {"id", "props"}


@dataclass(frozen=True)
class RelGroup:
    type: str
    start_label: str
    end_label: str
    rows: list[dict[str, Any]]  # {"start", "end", "key", "props"}


@dataclass(frozen=True)
class LoadPlan:
    """A dataset as the rows the loader writes, grouped by label and relationship type."""

    dataset: str
    nodes: list[NodeGroup]
    relationships: list[RelGroup]
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
        check_dataset_name(name)
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
            nodes=[NodeGroup(label, nodes[label]) for label in sorted(nodes, key=label_order.get)],
            relationships=[RelGroup(*key, rels[key])
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
                       "stage": {"_stage_group": staged_group(job, g), "_stage_id": row["id"]}}
        for g in self.relationships:
            for row in g.rows:
                yield {"props": row["props"],
                       "stage": {"_stage_group": staged_group(job, g), "_stage_start": row["start"],
                                 "_stage_end": row["end"], "_stage_key": row["key"]}}


def _by_type(rels: dict[tuple[str, str, str], list]) -> dict[str, list]:
    out: dict[str, list] = {}
    for (rtype, _, _), rows in rels.items():
        out.setdefault(rtype, []).extend(rows)
    return out


def staged_group(job: str, g: "NodeGroup | RelGroup") -> str:
    if isinstance(g, NodeGroup):
        return f"{job}/node/{g.label}"
    return f"{job}/rel/{g.type}/{g.start_label}/{g.end_label}"


def check_dataset_name(name: str) -> None:
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


