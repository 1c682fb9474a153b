"""The named Cypher queries: parsed, checked and loaded from ``cypher/``, without a server.

The library is text and rules about text (headers, parameters, fragments,
``FILE:LINE`` messages), so it sits below both the analyses (which name
their Cypher twins in it) and :mod:`graphmodel.neo4j` (which runs them): it
imports neither, nor the Neo4j driver. Everything is in :mod:`.library`;
the names below are its public part.
"""

from .library import (
    LIBRARY_PACKAGE, MAX_QUERY_FILE, Position, Query, QueryFileError, find_label_slots, find_params, internal_query,
    is_name, library_fragments, load_ddl, load_internal, load_library, load_user_file, parse_queries, resolve,
)

__all__ = [
    "LIBRARY_PACKAGE", "MAX_QUERY_FILE", "Position", "Query", "QueryFileError", "find_label_slots", "find_params",
    "internal_query", "is_name", "library_fragments", "load_ddl", "load_internal", "load_library", "load_user_file",
    "parse_queries", "resolve",
]
