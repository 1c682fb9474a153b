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
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..backends.base import Backend, CypherBackend
from ..errors import ArgumentError, QueryError
from ..queries import Query, load_library

__all__ = ["Analysis", "REGISTRY", "register", "rows", "twin_for", "TWINS", "order_key", "pages_of", "PAGE_SIZE"]

#: Which twin answers: ``auto`` (Cypher on a Cypher backend, else Python), or one of them.
TWINS = ("auto", "python", "cypher")

PythonTwin = Callable[..., Iterable[dict[str, Any]]]
#: Keys per page of a paged Cypher twin (:func:`pages_of`), e.g. tambons per read.
PAGE_SIZE = 250


@dataclass(frozen=True)
class Analysis:
    """One analysis: its name (= its Cypher twin's), its Python twin and how to page it.

    ``page_param`` names a list parameter of the Cypher twin and ``pages`` a
    function giving its values for the given parameters (e.g. the tambons to
    look at), cut into pages (:func:`pages_of`, by
    what each value costs): on Neo4j the twin then runs one page of values at
    a time, so neither the server nor the client holds the whole result.
    """

    name: str
    python: PythonTwin
    #: The columns both twins return, in order (a result without rows still has them).
    columns: tuple[str, ...]
    page_param: str | None = None
    pages: Callable[[Backend, Mapping[str, Any]], list[list[Any]]] | None = None

    @property
    def query(self) -> Query:
        return load_library()[self.name]

    def columns_of(self, found: list[dict[str, Any]]) -> list[str]:
        return list(found[0]) if found else list(self.columns)


REGISTRY: dict[str, Analysis] = {}


def register(name: str, columns: Iterable[str], *, page_param: str | None = None,
             pages: Callable[..., list[list[Any]]] | None = None) -> Callable[[PythonTwin], PythonTwin]:
    """Register ``func(backend, **params)`` as the Python twin of the named query ``name``,
    whose rows have ``columns``."""

    def add(func: PythonTwin) -> PythonTwin:
        if name in REGISTRY:
            raise ArgumentError(f"analysis {name!r} registered twice")
        REGISTRY[name] = Analysis(name, func, tuple(columns), page_param, pages)
        return func

    return add


def pages_of(keys: Sequence[Any], *, size: int = PAGE_SIZE, weights: Sequence[int] | None = None,
             budget: int | None = None) -> list[list[Any]]:
    """``keys`` cut into pages of at most ``size`` keys, in order; with ``weights`` (one per
    key) and ``budget``, also of at most ``budget`` in weight (a key heavier than the budget
    makes a page of its own).

    >>> pages_of(list("abcde"), size=2)
    [['a', 'b'], ['c', 'd'], ['e']]
    >>> pages_of(list("abcd"), weights=[3, 3, 9, 1], budget=6)
    [['a', 'b'], ['c'], ['d']]
    """
    pages: list[list[Any]] = []
    page: list[Any] = []
    weight = 0
    for i, key in enumerate(keys):
        w = weights[i] if weights is not None else 0
        if page and (len(page) >= size or (budget is not None and weight + w > budget)):
            pages.append(page)
            page, weight = [], 0
        page.append(key)
        weight += w
    if page:
        pages.append(page)
    return pages


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
        pages = None
        if analysis.page_param is not None and bound.get(analysis.page_param) is None:
            pages = analysis.pages(backend, bound) if analysis.pages else None
        return backend.query_rows(name, bound, page_param=analysis.page_param if pages is not None else None,
                                  pages=pages)
    return iter(analysis.python(backend, **bound))
