"""Open a checked connection to a Neo4j server (shared by ``query`` and ``load``).

:func:`connect` builds the driver, proves the server answers, accepts the
credentials and has the database, and turns each failure into one clear
:class:`~graphmodel.errors.ConnectionFailed` line. The password is never
part of a message.

``bolt://`` talks to one server; ``neo4j://`` routes (clusters, Aura);
``+s``/``+ssc`` variants add TLS.

Examples
--------
>>> connect("http://127.0.0.1:7474")
Traceback (most recent call last):
...
graphmodel.errors.ConnectionFailed: bad Neo4j URI 'http://127.0.0.1:7474': use bolt://HOST:PORT or neo4j://HOST:PORT (or their +s/+ssc forms)
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from .errors import ConnectionFailed

__all__ = ["DEFAULT_USER", "connect", "safe_uri"]

DEFAULT_USER = "neo4j"
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def safe_uri(uri: str) -> str:
    """``uri`` with any ``user:password@`` part removed, for messages.

    >>> safe_uri("neo4j+s://me:secret@db.example.org:7687")
    'neo4j+s://db.example.org:7687'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def password_from_env() -> str | None:
    """``$NEO4J_PASSWORD``, else the first line of the file ``$NEO4J_PASSWORD_FILE``
    (what ``scripts/neo4j-dev env`` exports, so no password is ever typed or shown)."""
    password = os.environ.get("NEO4J_PASSWORD")
    path = os.environ.get("NEO4J_PASSWORD_FILE")
    if password is None and path:
        try:
            with open(path, encoding="utf-8") as fh:
                password = fh.readline().rstrip("\r\n")
        except OSError as exc:
            raise ConnectionFailed(f"cannot read NEO4J_PASSWORD_FILE {path!r}: {exc.strerror}") from None
    return password


def connect(uri: str, *, user: str | None = None, password: str | None = None,
            database: str | None = None):
    """A driver connected to ``uri``, and the database to use.

    Parameters
    ----------
    uri : str
        ``bolt://HOST:PORT`` or ``neo4j://HOST:PORT`` (``+s``/``+ssc`` for TLS).
    user, password : str, optional
        Credentials; when None, ``$NEO4J_USER`` (default ``neo4j``) and
        :func:`password_from_env`. No password at all means no authentication.
    database : str, optional
        The database; None means the server's default (home) database.

    Returns
    -------
    (neo4j.Driver, str)
        The open driver (the caller closes it) and the database name as the
        server resolved it.

    Raises
    ------
    ConnectionFailed
        A bad URI, an unreachable server, refused credentials or a missing
        database, as one line without the password.
    """
    import neo4j
    from neo4j.exceptions import AuthError, ClientError, ConfigurationError, DriverError, Neo4jError

    shown = safe_uri(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in _SCHEMES:
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: use bolt://HOST:PORT or "
                               f"neo4j://HOST:PORT (or their +s/+ssc forms)")
    user = user if user is not None else os.environ.get("NEO4J_USER") or DEFAULT_USER
    password = password if password is not None else password_from_env()
    auth = (user, password) if password is not None else None
    try:
        # Server notifications (e.g. "property key does not exist" on a graph
        # without that property yet) would be logged to stderr on every query.
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as exc:
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: {_reason(exc)}") from None
    try:
        driver.verify_connectivity()
        result = driver.execute_query("RETURN 1", database_=database,
                                      routing_=neo4j.RoutingControl.READ)
    except AuthError:
        driver.close()
        if auth is None:
            raise ConnectionFailed(f"Neo4j at {shown} wants a password: set NEO4J_PASSWORD "
                                   f"(and NEO4J_USER if not {DEFAULT_USER!r})") from None
        raise ConnectionFailed(f"Neo4j at {shown} refused the credentials of user {user!r} "
                               f"(check NEO4J_USER and NEO4J_PASSWORD)") from None
    except ClientError as exc:
        driver.close()
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise ConnectionFailed(f"Neo4j at {shown} has no database {database!r}") from None
        raise ConnectionFailed(f"Neo4j at {shown} refused the connection: {_reason(exc)}") from None
    except ValueError as exc:  # e.g. a port that is not a number
        driver.close()
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: {_reason(exc)}") from None
    except (DriverError, Neo4jError, OSError) as exc:
        driver.close()
        why = "the host name does not resolve" if "DNS" in str(exc) else "is the server running?"
        raise ConnectionFailed(f"cannot reach Neo4j at {shown} ({why})") from None
    return driver, result.summary.database or database


def _reason(exc: Exception) -> str:
    text = (getattr(exc, "message", None) or str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__
