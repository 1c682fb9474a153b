"""Ctrl-C ends graphmodel's transactions on the server at once.

On any exception inside a transaction, the driver leaves it the polite way:
it first waits for the answer to the statement under way, then rolls back.
On Ctrl-C during a long read that meant waiting as long as the query ran
(over a minute; hours for a runaway query); and a client killed meanwhile
left the server running the query until it noticed the closed connection.
So:

- every read transaction of graphmodel runs through :func:`execute_read`:
  it carries a tag in its metadata, ``{"graphmodel": TOKEN}`` (``SHOW
  TRANSACTIONS YIELD metaData`` shows it), and the reads under way are
  listed here;
- Python raises ``KeyboardInterrupt`` only in the main thread, so a read
  called there runs in a helper thread while the main thread waits. On
  Ctrl-C the main thread ends the read's transactions from a connection of
  its own (``SHOW TRANSACTIONS`` for the tag, then ``TERMINATE
  TRANSACTIONS``: any user may end their own), waits until the helper
  thread has seen its statement fail and closed its session (a fraction of
  a second; at most :data:`GRACE_SECONDS`), and raises the
  ``KeyboardInterrupt``;
- a read that was ended runs none of its statements, so one between two
  transactions (the driver's retry) stops too;
- :func:`end_reads` ends the reads under way in other threads (the page
  :func:`~graphmodel.neo4j.runner.run_pages` reads ahead): the CLI calls it
  on Ctrl-C, ``run_pages`` when its caller stops reading.

So when the client exits, the server runs nothing of the command any more.
If the server cannot be asked (it went away, or on a cluster the ending
reached another member: ``SHOW TRANSACTIONS`` lists one server's), the
client still exits at once, and its closed connection makes the server end
the transaction when it notices.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Callable, TypeVar

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

__all__ = ["GRACE_SECONDS", "execute_read", "end_reads"]

T = TypeVar("T")

#: How long Ctrl-C waits at most for the server to end a read (it takes a fraction of a second).
GRACE_SECONDS = 10.0
#: Ends the transactions of one read; a user may always list and end their own.
_TERMINATE = ("SHOW TRANSACTIONS YIELD transactionId AS id, metaData WHERE metaData.graphmodel = $token "
              "TERMINATE TRANSACTIONS id YIELD transactionId RETURN count(*) AS ended")


class _Read:
    """A read under way: how to reach its server, its token, who it belongs to, whether it was
    ended and whether it has finished."""

    def __init__(self, session_of: Callable[[], neo4j.Session], owner: object) -> None:
        self.session_of, self.owner = session_of, owner
        self.token = uuid.uuid4().hex
        self.ended = False
        self.finished = threading.Event()


_LOCK = threading.Lock()
_UNDER_WAY: set[_Read] = set()


def execute_read(session_of: Callable[[], neo4j.Session], work: Callable[[neo4j.ManagedTransaction], T], *,
                 owner: object = None, timeout: float | None = None) -> T:
    """``work(tx)`` in a managed read transaction (``execute_read``) that Ctrl-C ends on the server.

    Parameters
    ----------
    session_of : callable
        Opens a session on the read's database (to run it, and to end it).
    work : callable
        The transaction function; the driver may call it again after a transient error.
    owner : object, optional
        Who the read belongs to (e.g. a :class:`~graphmodel.neo4j.gate.Reading`), for :func:`end_reads`.
    timeout : float, optional
        The transaction's time limit on the server, in seconds (None: the server's default).

    In the main thread the read runs in a helper thread; on Ctrl-C it is
    ended (see the module's documentation) and the ``KeyboardInterrupt``
    raised once the server has let it go.
    """
    read = _Read(session_of, owner)

    @neo4j.unit_of_work(metadata={"graphmodel": read.token}, timeout=timeout)
    def tagged(tx: neo4j.ManagedTransaction) -> T:
        if read.ended:
            raise KeyboardInterrupt("the read was ended on Ctrl-C")
        return work(tx)

    def body() -> T:
        try:
            with session_of() as session:
                return session.execute_read(tagged)
        finally:
            with _LOCK:
                _UNDER_WAY.discard(read)
            read.finished.set()

    with _LOCK:
        _UNDER_WAY.add(read)
    if threading.current_thread() is not threading.main_thread():
        return body()  # Ctrl-C reaches the main thread, which ends this read (end_reads)
    outcome: dict[str, Any] = {}

    def helper() -> None:
        try:
            outcome["value"] = body()
        except BaseException as exc:  # noqa: BLE001 - raised again in the main thread
            outcome["error"] = exc

    thread = threading.Thread(target=helper, name="graphmodel-read", daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        _end([read])
        raise
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def end_reads(owner: object = None) -> None:
    """End on the server the reads under way of ``owner`` (None: every read of this process).

    Back when they have finished, or after :data:`GRACE_SECONDS`.
    """
    with _LOCK:
        reads = [read for read in _UNDER_WAY if owner is None or read.owner is owner]
    _end(reads)


def _end(reads: list[_Read]) -> None:
    for read in reads:
        read.ended = True
    deadline = time.monotonic() + GRACE_SECONDS
    # Again until each has finished: a transaction begun just after an ending is ended by the next.
    while (left := [read for read in reads if not read.finished.is_set()]) and time.monotonic() < deadline:
        for read in left:
            try:
                with read.session_of() as session:
                    session.run(_TERMINATE, token=read.token).consume()
            except (Neo4jError, DriverError):
                return  # the server cannot be asked; the closed connection ends the read there
        left[0].finished.wait(0.1)
