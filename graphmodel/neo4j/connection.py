"""Open a checked connection to a Neo4j server.

:func:`connect` builds the driver, proves the server answers, accepts the
credentials and has the database, and turns each failure into one clear
:class:`~graphmodel.errors.ConnectionFailed` line without the password.
The caller passes the URI and the credentials: nothing here reads the
environment (the CLI does, in :mod:`graphmodel.cli.options`).

``bolt://`` talks to one server; ``neo4j://`` routes (clusters, Aura);
``+s`` adds TLS with a verified certificate and ``+ssc`` TLS with a
self-signed one (the dev server's ``--tls``).

Examples
--------
>>> connect("http://127.0.0.1:7474")
Traceback (most recent call last):
...
graphmodel.errors.ConnectionFailed: bad Neo4j URI 'http://127.0.0.1:7474': use bolt://HOST:PORT or neo4j://HOST:PORT (or their +s/+ssc forms)
"""

from __future__ import annotations

import socket
from urllib.parse import parse_qsl, urlsplit

import neo4j
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, DriverError, Neo4jError

from ..errors import ConnectionFailed
from .credentials import DEFAULT_USER
from .errors import first_line, safe_uri, scrub, uri_has_userinfo

__all__ = ["DEFAULT_USER", "SCHEMES", "check_uri", "connect"]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _listening(uri: str) -> bool:
    """Whether something accepts a TCP connection at the URI's host and port (7687 by default):
    then a failed plain handshake is a server that speaks only TLS, not one that is down."""
    try:
        parts = urlsplit(uri)
        with socket.create_connection((parts.hostname or "localhost", parts.port or 7687), timeout=3):
            return True
    except (OSError, ValueError):
        return False


_USE = "use bolt://HOST:PORT or neo4j://HOST:PORT (or their +s/+ssc forms)"
_CREDENTIALS = "NEO4J_USER and NEO4J_PASSWORD (or NEO4J_PASSWORD_FILE, or --ask-password)"


def check_uri(uri: str) -> str:
    """Refuse a URI the driver should not see; the URI as messages may show it (:func:`safe_uri`).

    The form the driver documents is ``SCHEME://HOST[:PORT][?policy=NAME]``,
    the routing policy for ``neo4j://`` only. Refused: another scheme; a
    ``user:password@`` part, wherever a ``/``, ``?`` or ``#`` in the
    password puts the ``@``; any other query parameter (the driver sends
    them to the server as its routing context, ``?password=...`` included)
    or a fragment; a path (the database is ``--database``); no host.

    >>> check_uri("neo4j://db.example.org:7687?policy=eu")
    'neo4j://db.example.org:7687'
    >>> check_uri("neo4j://db.example.org?password=s3cret")
    Traceback (most recent call last):
    ...
    graphmodel.errors.ConnectionFailed: bad Neo4j URI 'neo4j://db.example.org': put no parameters in the URI but ?policy=NAME (a routing policy, neo4j:// only); give the user and password as NEO4J_USER and NEO4J_PASSWORD (or NEO4J_PASSWORD_FILE, or --ask-password)
    """
    shown = safe_uri(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: {_USE}")
    if uri_has_userinfo(uri):
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: put no user name or password in the URI; "
                               f"give them as {_CREDENTIALS}")
    parts = urlsplit(uri)
    keys = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if "#" in uri or "?" in uri and not (scheme.startswith("neo4j") and keys == {"policy"}):
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: put no parameters in the URI but ?policy=NAME "
                               f"(a routing policy, neo4j:// only); give the user and password as {_CREDENTIALS}")
    if parts.path not in ("", "/"):
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: a Neo4j URI has no path (HOST:PORT only); give "
                               "the database as --database (or NEO4J_DATABASE)")
    if not parts.hostname:
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: no host; {_USE}")
    return shown


def connect(uri: str, *, user: str = DEFAULT_USER, password: str | None = None,
            database: str | None = None) -> tuple[neo4j.Driver, str | None]:
    """A driver connected to ``uri``, and the database to use.

    Parameters
    ----------
    uri : str
        ``bolt://HOST:PORT`` or ``neo4j://HOST:PORT`` (``+s``/``+ssc`` for TLS).
    user, password : str
        Credentials; no password means no authentication.
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
        A bad URI (:func:`check_uri`), an unreachable server, refused
        credentials or a missing database, as one line without the password.
    """
    shown = check_uri(uri)
    scheme = uri.split("://", 1)[0].lower()
    auth = (user, password) if password is not None else None
    try:
        # Server notifications (e.g. "property key does not exist" on a graph
        # without that property yet) would be logged to stderr on every query.
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as exc:
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: {scrub(first_line(exc), uri)}") from None
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
        if exc.code == "Neo.ClientError.Security.AuthenticationRateLimit":
            raise ConnectionFailed(f"Neo4j at {shown} refused the credentials of user {user!r} too many "
                                   "times in a row and waits a few seconds before it tries again (check "
                                   "NEO4J_USER and NEO4J_PASSWORD)") from None
        raise ConnectionFailed(f"Neo4j at {shown} refused the connection: {scrub(first_line(exc), uri)}") from None
    except ValueError as exc:  # e.g. a port that is not a number
        driver.close()
        raise ConnectionFailed(f"bad Neo4j URI {shown!r}: {scrub(first_line(exc), uri)}") from None
    except (DriverError, Neo4jError, OSError) as exc:
        driver.close()
        if "DNS" in str(exc):
            why = "the host name does not resolve"
        elif "+" not in scheme and _listening(uri):
            why = (f"the server answers but not with plain Bolt: it may want TLS; try {scheme}+ssc:// for a "
                   f"self-signed certificate such as scripts/neo4j-dev --tls makes, {scheme}+s:// for a "
                   "verified one")
        else:
            why = "is the server running?"
        raise ConnectionFailed(f"cannot reach Neo4j at {shown} ({why})") from None
    return driver, result.summary.database or database
