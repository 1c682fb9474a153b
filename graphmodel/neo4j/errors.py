"""The one place where the Neo4j driver's exceptions become graphmodel's.

Every module of :mod:`graphmodel.neo4j` wraps its driver calls in
:func:`driver_errors`; :func:`translate` decides the class and the one line
a user reads. Passwords are never part of a message (the driver does not put
them in its exceptions, and the URI is shown through :func:`safe_uri`).

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
from typing import TYPE_CHECKING, Iterator

from neo4j.exceptions import (
    AuthError, ClientError, ConstraintError, DriverError, IncompleteCommit, Neo4jError,
    ServiceUnavailable, SessionExpired,
)

from ..errors import BackendError, ConnectionFailed, GraphmodelError, QueryError

if TYPE_CHECKING:  # pragma: no cover
    from ..queries import Query

__all__ = ["UnknownDataset", "driver_errors", "translate", "safe_uri", "scrub", "uri_has_userinfo", "first_line"]


class UnknownDataset(BackendError):
    """A dataset asked for by name is not in the database (exit 2: give one that is): a read of
    one dataset (``graphmodel diff``), or an ``unload`` of one (a typo, or unloaded already)."""

    exit_code = 2

_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
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
    message = first_line(exc)
    m = _POSITION.search(message)
    if m is None:
        return QueryError(f"{query.location}: query {query.name!r} failed: {message}")
    file, line = query.source_line(max(int(m.group(1)), 1))
    message = (message[: m.start()] + message[m.end():]).strip()
    column = f":{m.group(2)}" if int(m.group(2)) > 0 else ""
    return QueryError(f"{file}:{line}{column}: query {query.name!r} failed: {message}")


def translate(exc: BaseException, action: str, *, during_load: bool | str = False,
              query: "Query | None" = None) -> GraphmodelError:
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
    """
    nothing = " Nothing of this load is visible." if during_load else ""
    rerun = " Nothing of this load is visible; run the same load again to finish it." if during_load else ""
    if during_load == "batched":
        nothing = (" graphmodel reads nothing of the database until this load is finished: run the same "
                   "load again to finish it.")
        rerun = nothing
    if isinstance(exc, GraphmodelError):
        return exc
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
        if query is not None and isinstance(exc, ClientError):
            return _query_failure(query, exc)
        return BackendError(f"Neo4j refused the request while {action}: {server_message(exc)} [{code}].{nothing}")
    if isinstance(exc, DriverError):
        return BackendError(f"the Neo4j driver failed while {action}: {first_line(exc)}.{rerun}".rstrip("."))
    raise exc  # not the driver's: a bug, let it show


@contextlib.contextmanager
def driver_errors(action: str, *, during_load: bool | str = False,
                  query: "Query | None" = None) -> Iterator[None]:
    """Run the block; a driver exception leaves it as :func:`translate` says."""
    try:
        yield
    except GraphmodelError:
        raise
    except (Neo4jError, DriverError) as exc:
        raise translate(exc, action, during_load=during_load, query=query) from None
