"""The constraints and indexes a load needs, from ``cypher/ddl/schema.cypher``.

The DDL lives apart from the read-only library (``graphmodel query --list``
does not show it) and is read by the library's own parser
(:func:`graphmodel.queries.load_ddl`); each statement is
``IF NOT EXISTS``, so running them again is a no-op.

Examples
--------
>>> [text.split(" IF ")[0] for text, _ in schema_statements()][:2]
['CREATE CONSTRAINT agency_id', 'CREATE CONSTRAINT fund_id']
"""

from __future__ import annotations

import neo4j

from ..errors import driver_errors
from ...queries import Position, load_ddl

__all__ = ["schema_statements", "ensure_schema"]


def schema_statements() -> list[tuple[str, Position]]:
    """The DDL statements with the file and line each starts on."""
    return load_ddl("schema").statements()


def ensure_schema(driver: neo4j.Driver, database: str | None = None) -> None:
    """Run every statement of ``cypher/ddl/schema.cypher`` (auto-commit: schema
    changes cannot share a transaction with data).

    Raises
    ------
    BackendError
        When the server refuses one, e.g. because two existing nodes already
        share a label and an id; the message cites ``cypher/ddl/schema.cypher:LINE``.
    """
    for text, (file, line) in schema_statements():
        with driver_errors(f"creating the schema ({file}:{line})"):
            driver.execute_query(text, database_=database)
