"""Where a Neo4j server and its credentials come from, when the caller asks for the environment.

The library never reads the environment on its own: :func:`graphmodel.open`
and :func:`~graphmodel.neo4j.connection.connect` take the URI and the
credentials as arguments. :func:`neo4j_env` reads the variables every
``graphmodel`` command reads, for the caller who asks for them (a notebook
started from a shell where ``eval "$(scripts/neo4j-dev env)"`` ran, and the
CLI itself):

- ``NEO4J_URI`` — the server;
- ``NEO4J_USER`` — the user (default ``neo4j``);
- ``NEO4J_PASSWORD``, else the first line of the file ``NEO4J_PASSWORD_FILE``;
- ``NEO4J_DATABASE`` — the database (default: the server's own).

The password is kept out of every ``repr``, so a notebook cell that shows
the settings does not print it. Nothing here imports the Neo4j driver.

Examples
--------
>>> settings = neo4j_env({"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": "s3cret"})
>>> settings
Neo4jSettings(uri='bolt://127.0.0.1:7687', user='neo4j', password='***', database=None)
>>> settings.auth
('neo4j', 's3cret')
>>> neo4j_env({"NEO4J_PASSWORD_FILE": "/no/such/file"})
Traceback (most recent call last):
...
graphmodel.errors.ConnectionFailed: cannot read NEO4J_PASSWORD_FILE '/no/such/file': No such file or directory
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from ..errors import ConnectionFailed

__all__ = ["DEFAULT_USER", "Neo4jSettings", "neo4j_env", "env_user", "env_password"]

#: The user when none is given (Neo4j's own default).
DEFAULT_USER = "neo4j"


@dataclass(frozen=True)
class Neo4jSettings:
    """A server, the credentials for it and the database: what :func:`graphmodel.open` takes as
    ``neo4j=``. ``password`` None means no authentication."""

    uri: str | None
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @property
    def auth(self) -> tuple[str, str] | None:
        """``(user, password)``, or None without a password."""
        return None if self.password is None else (self.user, self.password)

    def __repr__(self) -> str:
        hidden = None if self.password is None else "***"
        return (f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, password={hidden!r}, "
                f"database={self.database!r})")


def env_user(environ: Mapping[str, str] | None = None) -> str:
    """``NEO4J_USER``, or :data:`DEFAULT_USER` when unset or empty."""
    env = os.environ if environ is None else environ
    return env.get("NEO4J_USER") or DEFAULT_USER


def env_password(environ: Mapping[str, str] | None = None) -> str | None:
    """``NEO4J_PASSWORD``, else the first line of the file ``NEO4J_PASSWORD_FILE`` (what
    ``scripts/neo4j-dev env`` exports, so no password is ever typed or shown), else None.

    Raises :class:`~graphmodel.errors.ConnectionFailed` when the file cannot be read.
    """
    env = os.environ if environ is None else environ
    password = env.get("NEO4J_PASSWORD")
    path = env.get("NEO4J_PASSWORD_FILE")
    if password is None and path:
        try:
            with open(path, encoding="utf-8") as fh:
                password = fh.readline().rstrip("\r\n")
        except OSError as exc:
            raise ConnectionFailed(f"cannot read NEO4J_PASSWORD_FILE {path!r}: {exc.strerror}") from None
    return password


def neo4j_env(environ: Mapping[str, str] | None = None) -> Neo4jSettings:
    """The server and credentials the ``NEO4J_*`` variables of ``environ`` (default: this
    process's environment) name; see the module docstring."""
    env = os.environ if environ is None else environ
    return Neo4jSettings(uri=env.get("NEO4J_URI") or None, user=env_user(env), password=env_password(env),
                         database=env.get("NEO4J_DATABASE") or None)
