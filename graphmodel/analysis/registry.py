"""Analyses, each registered once with its Python twin and its Cypher twin.

An analysis has one name, which is also the name of its Cypher twin in the
library (``cypher/*.cypher``). Its Python twin takes the backend (and reads
it through :meth:`~.facts.Facts.of`, built once) and yields rows with exactly the columns the Cypher twin returns, so
:func:`rows` answers the same for a folder and for a Neo4j server, and
``graphmodel query NAME DIR`` runs any named query without a server.

Parameters are those of the named query's ``// params:`` header, checked
before either twin runs.

Adding an analysis touches ``graphmodel/analysis/`` (the Python twin and its
registration), ``cypher/`` (the twin), the CLI and the tests — never a backend.

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="a", name="A", kind="provincial")]))
>>> list(rows(b, "counts"))
[{'type': 'Agency', 'count': 1}]
>>> list(rows(b, "counts", {"x": 1}))
Traceback (most recent call last):
...
graphmodel.errors.QueryError: query 'counts' has no parameter 'x' (it takes none)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..backends.base import Backend, CypherBackend
from ..errors import ArgumentError, QueryError
from ..neo4j.library import Query, load_library

__all__ = ["Analysis", "REGISTRY", "register", "rows", "twin_for", "TWINS", "order_key"]

#: Which twin answers: ``auto`` (Cypher on a Cypher backend, else Python), or one of them.
TWINS = ("auto", "python", "cypher")

PythonTwin = Callable[..., Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class Analysis:
    """One analysis: its name (= its Cypher twin's), its Python twin and how to page it.

    ``pages`` names a list parameter of the Cypher twin and a function giving
    its values for the given parameters (e.g. the tambons to look at): on
    Neo4j the twin then runs one page of values at a time, so neither the
    server nor the client holds the whole result.
    """

    name: str
    python: PythonTwin
    #: The columns both twins return, in order (a result without rows still has them).
    columns: tuple[str, ...]
    page_param: str | None = None
    page_keys: Callable[[Backend, Mapping[str, Any]], list[Any]] | None = None

    @property
    def query(self) -> Query:
        return load_library()[self.name]

    def columns_of(self, found: list[dict[str, Any]]) -> list[str]:
        return list(found[0]) if found else list(self.columns)


REGISTRY: dict[str, Analysis] = {}


def register(name: str, columns: Iterable[str], *, page_param: str | None = None,
             page_keys: Callable[..., list[Any]] | None = None) -> Callable[[PythonTwin], PythonTwin]:
    """Register ``func(backend, **params)`` as the Python twin of the named query ``name``,
    whose rows have ``columns``."""

    def add(func: PythonTwin) -> PythonTwin:
        if name in REGISTRY:
            raise ArgumentError(f"analysis {name!r} registered twice")
        REGISTRY[name] = Analysis(name, func, tuple(columns), page_param, page_keys)
        return func

    return add


def order_key(*values: Any) -> tuple:
    """A sort key that orders like Cypher's ``ORDER BY v1, v2, ...`` (ascending): nulls last.

    Python twins sort their rows with it so that they come in the Cypher
    twin's order. Strings compare by code point here and by UTF-16 unit in
    Neo4j; the two differ only between characters above U+FFFF and those
    from U+E000 to U+FFFF, which no id or code of the model holds.

    >>> sorted([("b", None), ("a", 2), ("b", 1), (None, 0)], key=lambda r: order_key(*r))
    [('a', 2), ('b', 1), ('b', None), (None, 0)]
    """
    return tuple((v is None, v) for v in values)


def twin_for(backend: Backend, twin: str = "auto") -> str:
    """``python`` or ``cypher``: which twin :func:`rows` runs on ``backend``."""
    if twin not in TWINS:
        raise QueryError(f"unknown twin {twin!r}: one of {', '.join(TWINS)}")
    cypher = isinstance(backend, CypherBackend)
    if twin == "cypher" and not cypher:
        raise QueryError("the Cypher twin needs a Neo4j server (--neo4j URI)")
    if twin == "auto":
        return "cypher" if cypher else "python"
    return twin


def rows(backend: Backend, name: str, params: Mapping[str, Any] | None = None, *,
         twin: str = "auto") -> Iterator[dict[str, Any]]:
    """The rows of analysis ``name`` on ``backend``, from the twin :func:`twin_for` picks.

    Raises
    ------
    QueryError
        An unknown analysis, or parameters its query does not take or lacks.
    """
    analysis = REGISTRY.get(name)
    if analysis is None:
        if name not in load_library():
            raise QueryError(f"no query named {name!r} (graphmodel query --list shows them)")
        raise QueryError(f"no Python twin for query {name!r}: it runs only on Neo4j "
                         f"(--neo4j URI)")
    bound = analysis.query.bind(params)
    if twin_for(backend, twin) == "cypher":
        keys = None
        if analysis.page_param is not None and bound.get(analysis.page_param) is None:
            keys = analysis.page_keys(backend, bound) if analysis.page_keys else None
        return backend.query_rows(name, bound, page_param=analysis.page_param if keys is not None else None,
                                  page_keys=keys)
    return iter(analysis.python(backend, **bound))
