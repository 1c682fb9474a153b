"""Ctrl-C ends graphmodel's transactions on the server at once.

On any exception inside a transaction, the driver leaves it the polite way:
it first waits for the answer to the statement under way, then rolls back.
On Ctrl-C during a long read that meant waiting as long as the query ran
(over a minute; hours for a runaway query); and a client killed meanwhile
left the server running the query until it noticed the closed connection.
So every transaction of graphmodel's reads, loads and unloads runs through
this module (:func:`execute_read`, :func:`execute_write`, :func:`run_auto`):

- it carries a tag in its metadata, ``{"graphmodel": TOKEN}``, a token per
  call (``SHOW TRANSACTIONS YIELD metaData`` shows it), and the work under
  way is listed here;
- Python raises ``KeyboardInterrupt`` only in the main thread, so work
  called there runs in a helper thread while the main thread waits. On
  Ctrl-C the main thread ends the work's transactions from a connection of
  its own (``SHOW TRANSACTIONS`` for the tag, then ``TERMINATE
  TRANSACTIONS``: any user may end their own), waits until the helper
  thread has seen its statement fail and closed its session (a fraction of
  a second; at most :data:`GRACE_SECONDS`), and raises the
  ``KeyboardInterrupt``;
- work that was ended runs none of its statements, so work between two
  transactions (the driver's retry) stops too;
- :func:`end_transactions` ends the work under way in other threads (the
  page :func:`~graphmodel.neo4j.runner.run_pages` reads ahead): the CLI
  calls it on Ctrl-C, ``run_pages`` when its caller stops reading.

So when the client exits, the server runs nothing of the command any more.
A write ended half-way is rolled back like any failed transaction (a load
or an unload stopped that way is finished by running it again, as after
any failure). If the server cannot be asked (it went away, or on a cluster
the ending reached another member: ``SHOW TRANSACTIONS`` lists one
server's), the client still exits at once, and its closed connection makes
the server end the transaction when it notices.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Callable, Mapping, TypeVar

import neo4j

from ..errors import GraphmodelError
from .errors import driver_errors

__all__ = ["GRACE_SECONDS", "execute_read", "execute_write", "run_auto", "end_transactions"]

T = TypeVar("T")
Work = Callable[[neo4j.ManagedTransaction], T]
SessionOf = Callable[[], neo4j.Session]

#: How long Ctrl-C waits at most for the server to end the work (it takes a fraction of a second).
GRACE_SECONDS = 10.0
#: Ends the transactions of one token; a user may always list and end their own. Not in
#: cypher/internal/, whose queries only read (tests/cli/test_query_read_only.py checks them all).
_TERMINATE = ("SHOW TRANSACTIONS YIELD transactionId AS id, metaData WHERE metaData.graphmodel = $token "
              "TERMINATE TRANSACTIONS id YIELD transactionId RETURN count(*) AS ended")


class _Call:
    """Work under way: how to reach its server, its token, who it belongs to, whether it was
    ended and whether it has finished."""

    def __init__(self, session_of: SessionOf, owner: object) -> None:
        self.session_of, self.owner = session_of, owner
        self.token = uuid.uuid4().hex
        self.ended = False
        self.finished = threading.Event()

    @property
    def metadata(self) -> dict[str, str]:
        return {"graphmodel": self.token}

    def go_on(self) -> None:
        """Refuse to begin anything once ended."""
        if self.ended:
            raise KeyboardInterrupt("ended on Ctrl-C")

    def unit(self, work: Work, timeout: float | None = None) -> Work:
        """``work`` as a tagged transaction function, with the server's time limit ``timeout``."""
        @neo4j.unit_of_work(metadata=self.metadata, timeout=timeout)
        def tagged(tx: neo4j.ManagedTransaction) -> T:
            self.go_on()
            return work(tx)

        return tagged


_LOCK = threading.Lock()
_UNDER_WAY: set[_Call] = set()


def execute_read(session_of: SessionOf, work: Work, *, owner: object = None,
                 timeout: float | None = None) -> T:
    """``work(tx)`` in a managed read transaction (``Session.execute_read``) that Ctrl-C ends on the server.

    Parameters
    ----------
    session_of : callable
        Opens a session on the database (to run the work, and to end it).
    work : callable
        The transaction function; the driver may call it again after a transient error.
    owner : object, optional
        Who the work belongs to (e.g. a :class:`~graphmodel.neo4j.gate.Reading`), for
        :func:`end_transactions`.
    timeout : float, optional
        The transaction's time limit on the server, in seconds (None: the server's default).
    """
    return _interruptible(session_of, owner, lambda call, session: session.execute_read(call.unit(work, timeout)))


def execute_write(session_of: SessionOf, work: Work) -> T:
    """``work(tx)`` in a managed write transaction (``Session.execute_write``) that Ctrl-C ends on the server."""
    return _interruptible(session_of, None, lambda call, session: session.execute_write(call.unit(work)))


def run_auto(session_of: SessionOf, text: str, params: Mapping[str, Any]) -> neo4j.Record | None:
    """The one record of an auto-commit statement (``CALL { ... } IN TRANSACTIONS`` needs one),
    which Ctrl-C ends on the server (the transactions it committed stay)."""
    def run(call: _Call, session: neo4j.Session) -> neo4j.Record | None:
        call.go_on()
        return session.run(neo4j.Query(text, metadata=call.metadata), params).single()

    return _interruptible(session_of, None, run)


def _interruptible(session_of: SessionOf, owner: object,
                   work: Callable[[_Call, neo4j.Session], T]) -> T:
    """``work(call, session)``, listed as under way; in the main thread, in a helper thread."""
    call = _Call(session_of, owner)

    def body() -> T:
        try:
            with session_of() as session:
                return work(call, session)
        finally:
            with _LOCK:
                _UNDER_WAY.discard(call)
            call.finished.set()

    with _LOCK:
        _UNDER_WAY.add(call)
    if threading.current_thread() is not threading.main_thread():
        return body()  # Ctrl-C reaches the main thread, which ends this (end_transactions)
    outcome: dict[str, Any] = {}

    def helper() -> None:
        try:
            outcome["value"] = body()
        except BaseException as exc:  # noqa: BLE001 - raised again in the main thread
            outcome["error"] = exc

    thread = threading.Thread(target=helper, name="graphmodel-neo4j", daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        _end([call])
        raise
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def end_transactions(owner: object = None) -> None:
    """End on the server the work under way of ``owner`` (None: all of this process's).

    Back when it has finished, or after :data:`GRACE_SECONDS`.
    """
    with _LOCK:
        calls = [call for call in _UNDER_WAY if owner is None or call.owner is owner]
    _end(calls)


def _end(calls: list[_Call]) -> None:
    for call in calls:
        call.ended = True
    deadline = time.monotonic() + GRACE_SECONDS
    # Again until each has finished: a transaction begun just after an ending is ended by the next.
    while (left := [call for call in calls if not call.finished.is_set()]) and time.monotonic() < deadline:
        for call in left:
            try:
                with driver_errors("ending graphmodel's transactions on Ctrl-C"), call.session_of() as session:
                    session.run(_TERMINATE, token=call.token).consume()
            except GraphmodelError:
                return  # the server cannot be asked; the closed connection ends the work there
        left[0].finished.wait(0.1)
