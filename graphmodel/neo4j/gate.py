"""The load gate: every read of graphmodel sees a whole graph, never a load half done.

Neo4j (Community, and Enterprise's default) runs each transaction at *read
committed*: a read sees what other transactions committed before each of
its statements. A load larger than one transaction
(:data:`~graphmodel.neo4j.load.SINGLE_TRANSACTION_MAX_ROWS`) commits batch
after batch, so a plain read running meanwhile could count half of it.
Two small pieces of bookkeeping stop that, a seqlock over the graph:

- ``(:_GraphmodelLoad {dataset, ...})`` — one node per dataset whose batched
  load or unload has begun and not ended. It is created in the same
  transaction that increments the version, before the first batch, and
  deleted in the same transaction that increments it again, after the last.
- ``(:_GraphmodelState {name: 'graph', version})`` — the version: +1 when a
  batched load or unload begins, +1 when it ends, +1 for every load written
  as one transaction.

Every read transaction of graphmodel (:mod:`.runner`, :mod:`.backend`) runs
the named query ``graph_state`` (``cypher/internal/gate.cypher``) before its
query and again after it; the writers' half, one more version, is
:data:`graphmodel.neo4j.load.statements.BUMP`. Before: if a marker
exists, the read is refused (:class:`LoadUnderWay`), naming the dataset and
how far its load got. After: if the version moved, a batch may have been
committed while the query ran, so the answer is not used
(:class:`GraphChanged`). A read made of several transactions (pages) keeps
the version its first transaction saw and checks it in every one. A
version that did not move between the two reads of a transaction, and no
marker, mean no load began or ended in between, so every row the query read
belongs to one whole graph (docs/neo4j.md, "What a reader sees").

Examples
--------
>>> reading = Reading()
>>> reading.version is None
True
>>> message_for([{"dataset": "nst", "kind": "load", "done": 3, "batches": 9}])[:43]
"dataset 'nst' is being loaded (3 of 9 batch"
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

import neo4j

from ..errors import BackendError
from ..queries import internal_query
from .bookkeeping import LOAD_LABEL, STATE_LABEL
from .interrupt import execute_read

__all__ = ["LOAD_LABEL", "STATE_LABEL", "Reading", "LoadUnderWay", "GraphChanged", "message_for", "read_once"]

T = TypeVar("T")



class LoadUnderWay(BackendError):
    """A batched load or unload has begun and not ended: the graph is not whole."""


class GraphChanged(BackendError):
    """A load or unload began or ended while a read was under way."""


def message_for(open_loads: list[Mapping[str, Any]]) -> str:
    """The refusal for the markers ``open_loads`` (as the query ``graph_state`` returns them)."""
    first = open_loads[0]
    name = first["dataset"]
    if first.get("kind") == "unload":
        return (f"dataset {name!r} is being unloaded (or an unload of it was stopped): graphmodel does "
                "not read a graph that is half changed. Try again when it has finished; if it was "
                f"stopped, run graphmodel unload --dataset {name} again")
    more = f" (and {len(open_loads) - 1} more datasets)" if len(open_loads) > 1 else ""
    return (f"dataset {name!r} is being loaded ({first.get('done', 0)} of {first.get('batches', '?')} "
            f"batches written){more}, or its load was stopped: graphmodel does not read a graph that "
            "is half loaded. Try again when that load has finished; if it was stopped, run the same "
            f"graphmodel load again to finish it, or graphmodel unload --dataset {name} to take it out")


class Reading:
    """One logical read (one or more transactions) and the version it saw first.

    ``version`` may be given: the read then continues one made before (e.g.
    the read of the keys a paged read goes through).
    """

    def __init__(self, version: int | None = None) -> None:
        self.version = version

    def enter(self, tx: neo4j.ManagedTransaction) -> None:
        """Before the query of a transaction: refuse a graph with a load under way."""
        record = tx.run(internal_query("graph_state").text).single()
        if record["open"]:
            raise LoadUnderWay(message_for(record["open"]))
        self._same(record["version"])

    def leave(self, tx: neo4j.ManagedTransaction) -> None:
        """After the query: the version must not have moved."""
        self._same(tx.run(internal_query("graph_state").text).single()["version"])

    def _same(self, version: int) -> None:
        if self.version is None:
            self.version = version
        elif version != self.version:
            raise GraphChanged("the graph changed while it was being read (a load or unload began "
                               "or ended meanwhile); run the command again")


def read_once(session_of: Callable[[], Any], work: Callable[[neo4j.ManagedTransaction], T],
              reading: Reading | None = None, *, timeout: float | None = None) -> tuple[T, int]:
    """``work(tx)`` in one managed read transaction between ``reading``'s two
    checks; what it returned, and the graph's version.

    Without ``reading`` the read is a whole on its own: if a load began or
    ended during it, it is run once more (a load that has begun is then
    refused by the check before the query). ``timeout`` is the transaction's
    time limit on the server, in seconds (None: the server's default). Ctrl-C
    ends the transaction on the server (:func:`~.interrupt.execute_read`).
    """
    own = reading is None
    for attempt in (1, 2):
        current = Reading() if own else reading

        def checked(tx: neo4j.ManagedTransaction) -> T:
            current.enter(tx)
            out = work(tx)
            current.leave(tx)
            return out

        try:
            return execute_read(session_of, checked, owner=current, timeout=timeout), current.version
        except GraphChanged:
            if not own or attempt == 2:
                raise
    raise AssertionError("unreachable")
