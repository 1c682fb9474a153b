"""The one place where the Neo4j driver's exceptions become graphmodel's.

Every module of :mod:`graphmodel.neo4j` wraps its driver calls in
:func:`driver_errors`; :func:`translate` decides the class and the one line
a user reads, for a connection being opened (:class:`Connecting`: a bad
URI, refused credentials, a missing database, a server not reached) as for
any later call. Passwords are never part of a message (the driver does not
put them in its exceptions, and the URI is shown through :func:`safe_uri`).

Exit codes follow the exception classes (:mod:`graphmodel.errors`):
``ConnectionFailed`` and ``QueryError`` exit 2 (the user must change
something), ``BackendError`` exits 1.

Examples
--------
>>> from neo4j.exceptions import ServiceUnavailable
>>> str(translate(ServiceUnavailable("Connection refused"), "reading the graph"))
'lost the connection to Neo4j while reading the graph: Connection refused'
>>> safe_uri("neo4j+s://me:secret@db.example.org:7687")
'neo4j+s://db.example.org:7687'
"""

from __future__ import annotations

import contextlib
import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from neo4j.exceptions import (
    AuthError, ClientError, ConfigurationError, ConstraintError, DriverError, IncompleteCommit, Neo4jError,
    ServiceUnavailable, SessionExpired,
)

from ..errors import BackendError, ConnectionFailed, GraphmodelError, QueryError
from .credentials import DEFAULT_USER

if TYPE_CHECKING:  # pragma: no cover
    from ..queries import Query

__all__ = ["UnknownDataset", "Connecting", "driver_errors", "translate", "safe_uri", "scrub", "uri_has_userinfo",
           "first_line"]


class UnknownDataset(BackendError):
    """A dataset asked for by name is not in the database (exit 2: give one that is): a read of
    one dataset (``graphmodel diff``), or an ``unload`` of one (a typo, or unloaded already)."""

    exit_code = 2

_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
#: The transaction ran past the time limit the client gave at its start (Neo4j 5).
_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
_QUERY = re.compile(r"[?#].*$", re.S)
_POSITION = re.compile(r"\s*\(line (\d+), column (\d+) \(offset: \d+\)\)")


def safe_uri(uri: str) -> str:
    """``uri`` as messages show it: without a ``user:password@`` part, a query or a fragment.

    Every message that names a server shows it through this function, so a
    password typed into a URI by mistake is never printed (the URI is
    refused anyway: :func:`graphmodel.neo4j.connection.connect`). It works on
    text that is not a URI too, e.g. a scheme left out.

    A password pasted raw may hold ``/``, ``?``, ``#`` or ``@``, which end
    the userinfo for a URI parser (``urllib.parse.urlsplit`` would read the
    rest of the password as a path, a query or a fragment). A Neo4j URI has
    no ``@`` of its own, so everything up to its last ``@`` is taken as
    userinfo, wherever it sits.

    >>> safe_uri("bolt://me:s3cret@127.0.0.1:7687/?password=s3cret#x")
    'bolt://127.0.0.1:7687/'
    >>> safe_uri("me:s3cret@db.example.org:7687"), safe_uri("neo4j://[::1]:7687")
    ('db.example.org:7687', 'neo4j://[::1]:7687')
    >>> safe_uri("bolt://analyst:Xk/9s?Q#a@db.example.org:7687")
    'bolt://db.example.org:7687'
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        scheme, rest = "", uri
    return scheme + sep + _QUERY.sub("", rest.rpartition("@")[2])


def uri_has_userinfo(uri: str) -> bool:
    """Whether ``uri`` holds a ``user[:password]@`` part (which graphmodel refuses): any ``@``,
    since a Neo4j URI has none of its own (:func:`safe_uri`).

    >>> uri_has_userinfo("bolt://me:pw@host:7687"), uri_has_userinfo("bolt:///me:pw@host")
    (True, True)
    >>> uri_has_userinfo("neo4j://host:7687?policy=eu")
    False
    """
    return "@" in uri


def scrub(text: str, uri: str) -> str:
    """``text`` (e.g. a driver's message) with ``uri`` shown as :func:`safe_uri` shows it."""
    return text.replace(uri, safe_uri(uri)) if uri else text


def first_line(exc: BaseException | str) -> str:
    """The first line of a message, whitespace collapsed, without a final period.

    >>> first_line("Invalid input 'RETUR'.\\n  more detail")
    "Invalid input 'RETUR'"
    """
    text = exc if isinstance(exc, str) else (getattr(exc, "message", None) or str(exc))
    text = text.strip()
    if not text:
        return type(exc).__name__ if not isinstance(exc, str) else ""
    return " ".join(text.splitlines()[0].split()).rstrip(".")


def server_message(exc: Neo4jError) -> str:
    """The server's whole message on one line, without a final period."""
    return " ".join((exc.message or str(exc)).split()).rstrip(".")


def _query_failure(query: "Query", exc: Neo4jError) -> QueryError:
    """The server's complaint about a query, its position moved from the text to the file."""
    if exc.code == "Neo.ClientError.Statement.AccessMode":
        return QueryError(f"{query.location}: the query tried to write; graphmodel query is read-only")
    if exc.code == "Neo.ClientError.Statement.ArgumentError" and "execution mode" in (exc.message or ""):
        # the check's own EXPLAIN in front of the query's (graphmodel.neo4j.runner.check_read_only)
        return QueryError(f"{query.location}: the query starts with EXPLAIN or PROFILE; "
                          "graphmodel query prints rows, not plans: remove it")
    message = first_line(exc)
    m = _POSITION.search(message)
    if m is None:
        return QueryError(f"{query.location}: query {query.name!r} failed: {message}")
    file, line = query.source_line(max(int(m.group(1)), 1))
    message = (message[: m.start()] + message[m.end():]).strip()
    column = f":{m.group(2)}" if int(m.group(2)) > 0 else ""
    return QueryError(f"{file}:{line}{column}: query {query.name!r} failed: {message}")


@dataclass(frozen=True)
class Connecting:
    """A connection being opened (:func:`graphmodel.neo4j.connection.connect`): what
    :func:`translate` needs to say why it failed. No password, only whether one was given.

    ``opened`` is False while the driver is built from the URI (a failure then is a bad
    URI) and True once it talks to the server.
    """

    uri: str
    user: str
    with_password: bool
    database: str | None
    opened: bool = False


def _listening(uri: str) -> bool:
    """Whether something accepts a TCP connection at the URI's host and port (7687 by default):
    then a failed plain handshake is a server that speaks only TLS, not one that is down."""
    try:
        parts = urlsplit(uri)
        with socket.create_connection((parts.hostname or "localhost", parts.port or 7687), timeout=3):
            return True
    except (OSError, ValueError):
        return False


def _not_connected(exc: BaseException, to: Connecting) -> ConnectionFailed:
    """Why the connection ``to`` failed, in one line without the password."""
    shown = safe_uri(to.uri)
    if isinstance(exc, ValueError) or not to.opened and isinstance(exc, ConfigurationError):
        return ConnectionFailed(f"bad Neo4j URI {shown!r}: {scrub(first_line(exc), to.uri)}")
    if not to.opened:
        raise exc  # the driver refused its arguments otherwise: a bug, let it show
    if isinstance(exc, AuthError):
        if not to.with_password:
            return ConnectionFailed(f"Neo4j at {shown} wants a password: set NEO4J_PASSWORD "
                                    f"(and NEO4J_USER if not {DEFAULT_USER!r})")
        return ConnectionFailed(f"Neo4j at {shown} refused the credentials of user {to.user!r} "
                                f"(check NEO4J_USER and NEO4J_PASSWORD)")
    if isinstance(exc, ClientError):
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            return ConnectionFailed(f"Neo4j at {shown} has no database {to.database!r}")
        if exc.code == "Neo.ClientError.Security.AuthenticationRateLimit":
            return ConnectionFailed(f"Neo4j at {shown} refused the credentials of user {to.user!r} too many "
                                    "times in a row and waits a few seconds before it tries again (check "
                                    "NEO4J_USER and NEO4J_PASSWORD)")
        return ConnectionFailed(f"Neo4j at {shown} refused the connection: {scrub(first_line(exc), to.uri)}")
    scheme = to.uri.split("://", 1)[0].lower()
    if "DNS" in str(exc):
        why = "the host name does not resolve"
    elif "+" not in scheme and _listening(to.uri):
        why = (f"the server answers but not with plain Bolt: it may want TLS; try {scheme}+ssc:// for a "
               f"self-signed certificate such as scripts/neo4j-dev --tls makes, {scheme}+s:// for a "
               "verified one")
    else:
        why = "is the server running?"
    return ConnectionFailed(f"cannot reach Neo4j at {shown} ({why})")


def translate(exc: BaseException, action: str, *, during_load: bool | str = False,
              query: "Query | None" = None, connecting: Connecting | None = None,
              timeout: float | None = None) -> GraphmodelError:
    """The graphmodel error for a driver exception raised while doing ``action``.

    Parameters
    ----------
    exc : Exception
        What the driver raised.
    action : str
        Completes "while ...", e.g. ``"loading dataset 'nst-2006'"``.
    during_load : bool or "batched"
        Add what a failure means for a load: nothing visible, run it again;
        ``"batched"`` for a load written in several transactions, whose
        written batches graphmodel's reads refuse until it is finished.
    query : Query, optional
        The named query that ran: Cypher errors then cite its file and line.
    connecting : Connecting, optional
        The connection being opened: ``exc`` (a driver exception, or the
        ``ValueError`` or ``OSError`` a bad URI or an unreachable host gives)
        is why it failed, a :class:`~graphmodel.errors.ConnectionFailed`.
    timeout : float, optional
        The time limit the query was given (``graphmodel query --timeout``): a
        query stopped at it says so, naming the option.
    """
    if isinstance(exc, GraphmodelError):
        return exc
    if connecting is not None:
        return _not_connected(exc, connecting)
    nothing = " Nothing of this load is visible." if during_load else ""
    rerun = " Nothing of this load is visible; run the same load again to finish it." if during_load else ""
    if during_load == "batched":
        nothing = (" graphmodel reads nothing of the database until this load is finished: run the same "
                   "load again to finish it.")
        rerun = nothing
    if isinstance(exc, AuthError):
        return ConnectionFailed(f"Neo4j refused the user name or password while {action}: {server_message(exc)}")
    if isinstance(exc, IncompleteCommit):
        return BackendError(f"the connection to Neo4j broke during a commit while {action}, so "
                            "whether it committed is unknown (all of it or none of it did). "
                            "Run the same command again: it is idempotent.")
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return BackendError(f"lost the connection to Neo4j while {action}: {first_line(exc)}.{rerun}".rstrip("."))
    if isinstance(exc, ConstraintError):
        return BackendError(f"a Neo4j constraint refused the write while {action}: {server_message(exc)}.{nothing}")
    if isinstance(exc, Neo4jError):
        code = exc.code or ""
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return ConnectionFailed(f"Neo4j has no such database: {server_message(exc)}")
        if code == "Neo.DatabaseError.Schema.ConstraintCreationFailed":
            return BackendError(f"cannot create a unique constraint while {action}: {server_message(exc)}; "
                                "merge or delete the duplicate nodes, then load again")
        if code == _MEMORY:
            # A load can be cut smaller; a read is as large as its area (a tambon of about
            # 1,000 programs, every two parallel, is the rule's limit on the dev server).
            instead = (" or use smaller batches" if during_load else
                       ", or ask about a smaller area; --twin python answers the analyses in graphmodel")
            return BackendError(f"Neo4j ran out of transaction memory while {action} ({server_message(exc)}): "
                                f"give the server more (a larger heap, or db.memory.transaction.total.max)"
                                f"{instead}.{nothing}")
        if code == _TIMED_OUT and query is not None and timeout is not None:
            return QueryError(f"{query.location}: the query ran past its time limit of {timeout:g} s and the "
                              "server stopped it; give it longer with --timeout SECONDS (0: no limit)")
        if query is not None and isinstance(exc, ClientError):
            return _query_failure(query, exc)
        return BackendError(f"Neo4j refused the request while {action}: {server_message(exc)} [{code}].{nothing}")
    if isinstance(exc, DriverError):
        return BackendError(f"the Neo4j driver failed while {action}: {first_line(exc)}.{rerun}".rstrip("."))
    raise exc  # not the driver's: a bug, let it show


@contextlib.contextmanager
def driver_errors(action: str, *, during_load: bool | str = False, query: "Query | None" = None,
                  connecting: Connecting | None = None, timeout: float | None = None) -> Iterator[None]:
    """Run the block; a driver exception leaves it as :func:`translate` says (opening a
    connection, a ``ValueError`` or ``OSError`` too)."""
    caught = (Neo4jError, DriverError, ValueError, OSError) if connecting else (Neo4jError, DriverError)
    try:
        yield
    except GraphmodelError:
        raise
    except caught as exc:
        raise translate(exc, action, during_load=during_load, query=query, connecting=connecting,
                        timeout=timeout) from None
