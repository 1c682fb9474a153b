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

import dataclasses
from urllib.parse import parse_qsl, urlsplit

import neo4j

from ..errors import ConnectionFailed
from ..queries import internal_query
from .credentials import DEFAULT_USER
from .errors import Connecting, driver_errors, safe_uri, uri_has_userinfo

__all__ = ["DEFAULT_USER", "SCHEMES", "check_uri", "connect"]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

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
    check_uri(uri)
    auth = (user, password) if password is not None else None
    opening = Connecting(uri, user, auth is not None, database)
    with driver_errors("connecting", connecting=opening):
        # Server notifications (e.g. "property key does not exist" on a graph
        # without that property yet) would be logged to stderr on every query.
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    try:
        with driver_errors("connecting", connecting=dataclasses.replace(opening, opened=True)):
            driver.verify_connectivity()
            result = driver.execute_query(internal_query("server_answers").text, database_=database,
                                          routing_=neo4j.RoutingControl.READ)
    except BaseException:
        driver.close()
        raise
    return driver, result.summary.database or database
