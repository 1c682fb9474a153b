"""What a load writes: the dataset's rows, streamed in batches (no server needed).

:class:`LoadPlan` reads a validated :class:`~graphmodel.model.Dataset`
lazily: one *group* per node label and per relationship type, each cut into
batches of at most ``batch_size`` rows and :data:`MAX_BATCH_BYTES`, built from
:meth:`~graphmodel.model.Dataset.node_rows` and
:meth:`~graphmodel.model.Dataset.relationship_rows` only when the batch is
sent. The client never holds more than one batch of rows beyond the dataset
itself. A first pass (:meth:`LoadPlan.scan`) counts the rows, checks the
property names, measures every row (four bytes a row kept) and digests it
(the *job* of a load, what a resumed load must match). The bookkeeping names the loader writes are defined here
(docs/neo4j.md, "Bookkeeping").

Rows are compact lists, which the driver encodes faster than maps:
``[id, props]`` for a node, ``[start, end, props]`` for a relationship, and
``[start, end, props, key]`` for the types whose key depends on a property
(:data:`~graphmodel.model.REL_KEY_PROPERTY`: ``FUNDS``, ``COORDINATES_WITH``).

Examples
--------
>>> from graphmodel.model import Agency, Program, Implementation
>>> ds = Dataset(agencies=[Agency(id="codi", name="พอช.", kind="special_agency")],
...              programs=[Program(id="plan", name="แผน", start_year=2006, end_year=2006)],
...              implementation=[Implementation(implementer="codi", program="plan")])
>>> plan = LoadPlan(ds, "nst")
>>> plan.scan(replace=False).counts
{'Agency': 1, 'IMPLEMENTS': 1, 'Program': 1}
>>> [(b.number, b.group.name, b.rows) for b in plan.batches(batch_size=5)]
[(0, 'Agency', [['codi', {'name': 'พอช.', 'kind': 'special_agency'}]]), (1, 'Program', [['plan', {'name': 'แผน', 'themes': [], 'start_year': 2006, 'end_year': 2006}]]), (2, 'IMPLEMENTS', [['codi', 'plan', {}]])]
>>> [b.parts() for b in plan.batches(batch_size=5)][2]
[('Agency', 'Program', [['codi', 'plan', {}]])]
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterator

from ...errors import BackendError
from ..bookkeeping import LOAD_LABEL, STATE_LABEL
from ...model import ENTITY_LABELS, REL_KEY_PROPERTY, Dataset, NodeLabel, RelType

__all__ = [
    "DEFAULT_BATCH_SIZE", "MAX_BATCH_BYTES", "SINGLE_TRANSACTION_MAX_ROWS", "SINGLE_TRANSACTION_MAX_BYTES",
    "PROGRESS_MIN_ROWS", "DATASETS_PROPERTY",
    "KEYS_PROPERTY", "REL_KEY", "LOAD_PROPERTY", "VALUE_PREFIX", "LOAD_LABEL", "STATE_LABEL", "LoadPlan", "Scan",
    "Group", "Batch", "LoadResult", "UNDIRECTED", "check_dataset_name",
]

#: Rows per batch: one ``UNWIND`` statement (a relationship type with several
#: pairs of end labels sends one statement per pair) and, for a load larger
#: than :data:`SINGLE_TRANSACTION_MAX_ROWS`, one transaction. Between 1 000
#: and 10 000 rows the rate barely moves (benchmarks/README.md); a batch of
#: 5 000 rows needs about 12 MiB of server transaction memory.
DEFAULT_BATCH_SIZE = 5_000
#: Loads of at most this many rows (nodes + relationships) run as one
#: transaction, atomic for every reader. A transaction holds about 2.3 KiB of
#: server memory per row, so 50 000 rows need about 115 MiB, well inside the
#: 717 MiB a server with a 1 GiB heap allows all transactions together.
#: Larger loads are written in batches, one transaction each, behind the
#: load gate (docs/neo4j.md, "Loads larger than one transaction").
SINGLE_TRANSACTION_MAX_ROWS = 50_000
#: The most bytes of rows in one batch, whatever ``batch_size`` says: a batch is cut here too (a
#: row larger than this goes alone). Bytes are those of the row as Python writes it (``repr``,
#: UTF-8), within a few percent of what the driver sends. Typical rows (about 300 bytes) never
#: reach it at 5 000 a batch; rows as wide as the reader allows (262 144 characters) would make a
#: batch of 5 000 several gigabytes of parameters, more than a server's heap.
MAX_BATCH_BYTES = 8 * 2**20
#: A load is one transaction only when its rows also hold at most this many bytes.
SINGLE_TRANSACTION_MAX_BYTES = 16 * 2**20
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
#: Bookkeeping: ``_value/<dataset>/<key>`` holds the value a dataset set for ``key`` while another
#: dataset's value is the one the node or relationship shows (restored when that one goes).
VALUE_PREFIX = "_value/"

# Relationship types whose meaning is undirected: a link a→b from one dataset
# and b→a from another is the same link.
UNDIRECTED = frozenset({RelType.COORDINATES_WITH.value})
_NODE_LABELS = frozenset(label.value for label in NodeLabel)


@dataclass(frozen=True)
class Group:
    """The rows of one node label or one relationship type."""

    #: The label or type.
    name: str
    #: ``"node"`` or ``"rel"``.
    kind: str

    @property
    def keyed(self) -> bool:
        """Whether the rows carry their merge key (the type's key depends on a property)."""
        return self.kind == "rel" and RelType(self.name) in REL_KEY_PROPERTY

    def rows(self, dataset: Dataset) -> Iterator[tuple[str | None, str | None, list]]:
        """``(start label, end label, row)`` for every row, in dataset order (labels None for nodes)."""
        if self.kind == "node":
            for id_, props in dataset.node_rows(self.name):
                yield None, None, [id_, props]
            return
        rtype = RelType(self.name)
        key = REL_KEY_PROPERTY.get(rtype)
        for start_label, start, end_label, end, props in dataset.relationship_rows(rtype):
            row = [start, end, props]
            if key is not None:
                value = props.get(key)
                row.append(rtype.value if value is None else f"{rtype.value}|{value}")
            yield start_label, end_label, row


def _groups() -> list[Group]:
    return ([Group(label.value, "node") for label in NodeLabel]
            + [Group(rtype.value, "rel") for rtype in RelType])


@dataclass(frozen=True)
class Batch:
    """At most ``batch_size`` rows of one group, numbered from 0 across the whole load."""

    number: int
    group: Group
    #: The rows (node rows, or relationship rows of every pair of end labels).
    rows: list[list]
    #: For relationships: the end labels of each row, in order.
    ends: list[tuple[str, str]] = field(default_factory=list)

    def parts(self) -> list[tuple[str | None, str | None, list[list]]]:
        """The rows split by pair of end labels (one statement each), in the order pairs appear."""
        if self.group.kind == "node":
            return [(None, None, self.rows)]
        by_pair: dict[tuple[str, str], list[list]] = {}
        for pair, row in zip(self.ends, self.rows):
            by_pair.setdefault(pair, []).append(row)
        return [(start, end, rows) for (start, end), rows in by_pair.items()]


def _cuts(sizes: array, batch_size: int) -> Iterator[int]:
    """The lengths of the batches of rows of ``sizes`` bytes: at most ``batch_size`` rows and
    :data:`MAX_BATCH_BYTES` each (a larger row alone).

    >>> list(_cuts(array("I", [10] * 5), 2)), list(_cuts(array("I", [MAX_BATCH_BYTES, 1, 1]), 9))
    ([2, 2, 1], [1, 2])
    """
    if max(sizes, default=0) * batch_size <= MAX_BATCH_BYTES:  # no batch can reach the cap
        full, rest = divmod(len(sizes), batch_size)
        yield from [batch_size] * full + [rest] * (rest > 0)
        return
    count = total = 0
    for size in sizes:
        if count and (count == batch_size or total + size > MAX_BATCH_BYTES):
            yield count
            count = total = 0
        count, total = count + 1, total + size
    if count:
        yield count


@dataclass(frozen=True)
class Scan:
    """What :meth:`LoadPlan.scan` found: counts by label and type, rows, bytes, and the job."""

    #: Nodes by label and relationships by type, sorted by name, none zero.
    counts: dict[str, int]
    #: A digest of every row, the dataset name and ``replace`` (32 hex digits).
    job: str
    #: The bytes of each row, by label and type, in dataset order (what batches are cut by).
    sizes: dict[str, array] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def bytes(self) -> int:
        """The bytes of all rows (:data:`MAX_BATCH_BYTES` says how they are measured)."""
        return sum(sum(sizes) for sizes in self.sizes.values())

    def batches(self, batch_size: int) -> int:
        """How many batches :meth:`LoadPlan.batches` yields at ``batch_size``."""
        return sum(sum(1 for _ in _cuts(sizes, batch_size)) for sizes in self.sizes.values())


class LoadPlan:
    """A dataset as the batches a load writes, made one batch at a time.

    Parameters
    ----------
    dataset : Dataset
        A validated dataset; only read.
    name : str
        The dataset name the load records (checked: not empty, no ``/``).
    """

    def __init__(self, dataset: Dataset, name: str):
        check_dataset_name(name)
        self.dataset, self.name = dataset, name
        self._sizes: dict[str, array] | None = None

    def scan(self, *, replace: bool) -> Scan:
        """One pass over every row: counts, property names checked, digest.

        Raises
        ------
        BackendError
            For a property (an extra CSV column) whose name starts with
            ``_`` (reserved for bookkeeping).
        """
        digest = hashlib.sha256(repr((self.name, replace)).encode())
        counts: dict[str, int] = {}
        sizes: dict[str, array] = {}
        for g in _groups():
            measured = array("I")
            for start_label, end_label, row in g.rows(self.dataset):
                _check_keys(row, g, start_label)
                data = repr((g.name, start_label, end_label, row)).encode()
                digest.update(data)
                measured.append(len(data))
            if measured:
                counts[g.name], sizes[g.name] = len(measured), measured
        self._sizes = sizes
        return Scan(dict(sorted(counts.items())), digest.hexdigest()[:32], sizes)

    def batches(self, batch_size: int, *, start: int = 0) -> Iterator[Batch]:
        """Every batch in order (nodes by label, then relationships by type), from number ``start``.

        The numbering depends only on the dataset and ``batch_size``, so a
        resumed load skips exactly the batches written before. A batch also
        holds at most :data:`MAX_BATCH_BYTES` (measured by :meth:`scan`, run
        here first if it has not been).
        """
        sizes = self._sizes if self._sizes is not None else self.scan(replace=False).sizes
        number = 0
        for g in _groups():
            rows = g.rows(self.dataset)
            for length in _cuts(sizes.get(g.name, array("I")), batch_size):
                chunk = list(islice(rows, length))
                if number >= start:
                    yield Batch(number, g, [row for _, _, row in chunk],
                                [] if g.kind == "node" else [(s, e) for s, e, _ in chunk])
                number += 1

    def entity_ids(self, batch_size: int) -> Iterator[list[list[str]]]:
        """``[id, label]`` of every agency, fund, program and group, in lists of ``batch_size``."""
        ids = ([id_, label] for label in ENTITY_LABELS for id_, _ in self.dataset.node_rows(label))
        while chunk := list(islice(ids, batch_size)):
            yield chunk


def check_dataset_name(name: str) -> None:
    if not name or not name.strip() or "/" in name or not name.isprintable():
        raise BackendError(f"bad dataset name {name!r}: give a non-empty name without '/' "
                           "or control characters (default: the folder name)")


def _check_keys(row: list, g: Group, start_label: str | None) -> None:
    props = row[1] if g.kind == "node" else row[2]
    for key in props:
        if key.startswith("_"):
            what = f"{g.name} {row[0]!r}" if g.kind == "node" else f"{g.name} {row[0]!r}->{row[1]!r}"
            raise BackendError(f"{what} has a property {key!r}: names starting with '_' are "
                               "reserved for the loader's bookkeeping; rename that CSV column")


@dataclass(frozen=True)
class LoadResult:
    """What :func:`~graphmodel.neo4j.load.load_dataset` did."""

    dataset: str
    #: Nodes by label and relationships by type written (the dataset's counts).
    counts: dict[str, int]
    rows: int
    #: ``"single transaction"`` or ``"batched"``.
    mode: str
    batches: int
    #: Batches a previous, interrupted run of the same load had already written.
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

