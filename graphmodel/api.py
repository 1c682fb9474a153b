"""One door in: ``graphmodel.open(SOURCE)``, a graph whose methods mirror the commands.

``graphmodel.open("seed/nst-2006")`` reads a dataset folder or an Excel
workbook (anything ``graphmodel validate`` reads), ``graphmodel.open(dataset)``
takes a :class:`~graphmodel.model.Dataset` made or changed in memory, and
``graphmodel.open(neo4j="bolt://HOST:PORT", auth=(USER, PASSWORD))`` a Neo4j
server (the driver is imported only then). Each returns a :class:`Graph`
whose methods are the commands, with the same options and the same answers,
because they call the same library functions:

=====================  ===========================================================
``g.overlaps()``       ``graphmodel overlaps`` (``--format csv``'s columns)
``g.summary()``        ``graphmodel overlaps --summary``
``g.recommend()``      ``graphmodel recommend``
``g.pilots()``         ``graphmodel pilots`` (and ``g.pilot_gaps()``)
``g.index()``          ``graphmodel index`` (and ``g.brokers()``, ``g.betweenness()``)
``g.matrix()``         the agency × agency matrix of ``view`` and ``report``
``g.query(NAME)``      ``graphmodel query NAME``
``g.counts()``         ``graphmodel info``'s counts
``g.view()``           ``graphmodel view``: shown inline in Jupyter, ``.save(path)``
``g.report()``         ``graphmodel report``: shown inline, written with ``path=``
``g.load(SOURCE)``     ``graphmodel load`` (a Neo4j graph only)
=====================  ===========================================================

The analyses return lists of flat dicts (text, numbers, booleans, ``None``
and lists of ids; no nested objects), so ``pandas.DataFrame(g.overlaps())``
is a table. Areas are keyword arguments: at most one of ``tambon``,
``district``, ``province`` (DOPA codes, checked as the commands check them).
Errors are :class:`~graphmodel.errors.GraphmodelError` subclasses, as the
commands print them.

Examples
--------
>>> import graphmodel
>>> g = graphmodel.open("seed/nst-2006")
>>> [(r["tambon"], r["program_a"], r["program_b"]) for r in g.overlaps(province="80") if r["tambon"] == "802103"]
[('802103', 'codi_life_plan', 'dopa_poverty_survey')]
>>> [(r["a"], r["b"], r["tambon"], r["resolves"]) for r in g.recommend(tambon="802103")]
[('codi', 'dopa', '802103', 1)]
>>> [(r["tambon"], r["program"], r["channels"]) for r in g.pilots(tambon="802103")]
[('802103', 'codi_life_plan', ['special'])]
>>> g.overlaps(tambon="80")
Traceback (most recent call last):
...
graphmodel.geo.AreaCodeError: tambon '80' is not a 6-digit DOPA tambon code (e.g. 802103 for Kalo)
"""

from __future__ import annotations

import html
import os
import warnings
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .analysis.areas import Area, area_pairs
from .analysis.linkindex import names_of
from .analysis.registry import rows
from .analysis.summary import summarise
from .backends.base import Backend
from .backends.embedded import EmbeddedBackend
from .dataset import MAX_ERRORS_PER_FILE, read_dataset
from .errors import ArgumentError
from .geo import check_area_code
from .model import Dataset

if TYPE_CHECKING:  # pragma: no cover - imported by _open_neo4j when a server is opened
    from .neo4j.credentials import Neo4jSettings

__all__ = ["Graph", "Page", "open"]


def open(source: str | os.PathLike | Dataset | Backend | None = None, *,  # noqa: A001 - graphmodel.open
         neo4j: str | Neo4jSettings | None = None, auth: tuple[str, str] | None = None,
         database: str | None = None, encoding: str = "utf-8", max_errors: int = MAX_ERRORS_PER_FILE,
         twin: str = "auto") -> "Graph":
    """Open a graph: a dataset folder or workbook, a :class:`~graphmodel.model.Dataset`, or Neo4j.

    Parameters
    ----------
    source : path, Dataset or Backend, optional
        A dataset folder or ``.xlsx`` workbook (read and validated now, as
        ``graphmodel validate`` does: a problem raises
        :class:`~graphmodel.errors.DatasetError` listing them), a dataset
        already in memory, or any backend.
    neo4j : str or Neo4jSettings, optional
        Instead of ``source``: a server, ``bolt://HOST:PORT`` or
        ``neo4j://HOST:PORT`` (``+s``/``+ssc`` for TLS), or the settings
        :func:`graphmodel.neo4j_env` reads from ``NEO4J_*`` variables.
    auth : (user, password), optional
        The credentials (with a URI); none means no authentication.
    database : str, optional
        The Neo4j database (default: the server's own).
    encoding, max_errors : str, int
        How to read CSV files (``cp874`` for Thai Windows), and how many
        problems per file an invalid dataset lists (0: all).
    twin : {"auto", "python", "cypher"}
        Which twin of each analysis answers (``auto``: Cypher on Neo4j).

    Returns
    -------
    Graph
        Close it (or use ``with``) to close a Neo4j driver; a folder's graph
        holds nothing to close.

    Raises
    ------
    ArgumentError
        Both or neither of ``source`` and ``neo4j``.
    DatasetError, ConnectionFailed
        The dataset is invalid; the server cannot be reached or refuses the credentials.
    """
    if (source is None) == (neo4j is None):
        raise ArgumentError("give a source (a dataset folder, workbook or Dataset) or neo4j=URI, "
                            "exactly one of them")
    if neo4j is not None:
        return _open_neo4j(neo4j, auth, database, twin)
    if isinstance(source, Dataset):
        return Graph(EmbeddedBackend(source), "a dataset in memory", twin=twin)
    if isinstance(source, (str, os.PathLike)):
        dataset = read_dataset(Path(source), encoding=encoding, max_errors_per_file=max_errors)
        return Graph(EmbeddedBackend(dataset), str(source), twin=twin)
    if isinstance(source, Backend):
        return Graph(source, type(source).__name__, twin=twin)
    raise ArgumentError(f"cannot open a {type(source).__name__}: give a dataset folder, a workbook, "
                        "a Dataset or neo4j=URI")


def _open_neo4j(neo4j: str | Neo4jSettings, auth: tuple[str, str] | None, database: str | None,
                twin: str) -> "Graph":
    from .neo4j.backend import Neo4jBackend  # the driver, only now
    from .neo4j.connection import connect
    from .neo4j.credentials import DEFAULT_USER, Neo4jSettings
    from .neo4j.errors import safe_uri

    if isinstance(neo4j, Neo4jSettings):
        auth = auth if auth is not None else neo4j.auth
        database = database if database is not None else neo4j.database
        neo4j = neo4j.uri
        if not neo4j:
            raise ArgumentError("no Neo4j server: NEO4J_URI is not set")
    user, password = auth if auth is not None else (DEFAULT_USER, None)
    driver, db = connect(neo4j, user=user, password=password, database=database)
    label = safe_uri(neo4j) + (f" (database {database})" if database else "")
    return Graph(Neo4jBackend(driver, db), label, twin=twin, close=driver.close)


def _check_codes(tambon: str | None, district: str | None, province: str | None) -> None:
    """Each code given checked as the commands check it (:class:`~graphmodel.geo.AreaCodeError`)."""
    for kind, code in (("tambon", tambon), ("district", district), ("province", province)):
        if code is not None:
            check_area_code(kind, code)


def _area(tambon: str | None, district: str | None, province: str | None) -> Area:
    """The area of the keyword arguments (at most one), its code checked."""
    _check_codes(tambon, district, province)
    return Area.of(tambon=tambon, district=district, province=province)


class Page:
    """An HTML page that ``g.view()`` or ``g.report()`` made: shown inline in Jupyter (in an
    ``<iframe srcdoc>``, so the page's own scripts and Content-Security-Policy apply), and
    written with :meth:`save`.

    ``html`` is the page; ``files`` the files :meth:`save` (or ``path=``) wrote.
    """

    def __init__(self, html_text: str, title: str, save: Callable[[Path], list[Path]], *, height: int = 760):
        self.html = html_text
        self.title = title
        self.files: list[Path] = []
        self._save = save
        self._height = height

    def save(self, path: str | os.PathLike) -> list[Path]:
        """Write the page (and what goes with it) at ``path``, each file whole or not at all; the files."""
        self.files = self._save(Path(path))
        return self.files

    def _repr_html_(self) -> str:
        return (f'<div><iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'title="{html.escape(self.title, quote=True)}" '
                f'style="width: 100%; height: {self._height}px; border: 1px solid #ddd"></iframe></div>')

    def __repr__(self) -> str:
        return f"<graphmodel.Page {self.title!r}, {len(self.html):,} characters>"


class Graph:
    """A graph to ask questions of; :func:`open` makes one (see the module docstring).

    ``backend`` is the :class:`~graphmodel.backends.base.Backend` underneath,
    for the library's own functions; ``source`` says where the graph came
    from (a folder, or a server without credentials).
    """

    def __init__(self, backend: Backend, source: str, *, twin: str = "auto",
                 close: Callable[[], None] | None = None):
        self.backend = backend
        self.source = source
        self.twin = twin
        self._close = close

    def close(self) -> None:
        """Close the Neo4j driver (nothing to do for a folder); the graph cannot be asked afterwards."""
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> "Graph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<graphmodel.Graph {self.source}>"

    # --- what the commands print, as rows ----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Nodes and relationships by type, as ``graphmodel info`` (and ``validate``) count them."""
        return self.backend.counts()

    def overlaps(self, *, tambon: str | None = None, district: str | None = None,
                 province: str | None = None, include_coordinated: bool = False, explain: bool = False,
                 sort: str = "tambon", limit: int | None = None) -> list[dict[str, Any]]:
        """The uncoordinated parallel pairs of an area: ``graphmodel overlaps --format csv`` as rows.

        Keys: ``tambon``, ``tambon_name_th``, ``tambon_name_en``,
        ``program_a``, ``program_a_name``, ``program_b``, ``program_b_name``,
        ``shared_themes``, ``overlap_start``, ``overlap_end``, ``agencies_a``,
        ``agencies_b``, ``explanation``, ``fix`` (lists joined by ``; ``, as
        in the CSV). ``explain=True`` adds ``severity``, ``known_thb``,
        ``unknown_amounts``, ``linked_in``, ``via`` (``--explain``);
        ``sort="severity"`` puts the most severe first; ``limit`` stops after
        that many pairs; ``include_coordinated=True`` adds the coordinated
        pairs and a ``coordinated_by`` key
        (:func:`~graphmodel.reports.overlaps.overlap_records`).
        """
        from .reports.overlaps import explained, overlap_records

        area = _area(tambon, district, province)
        found: Iterable = area_pairs(self.backend, area, twin=self.twin)
        extra = None
        if explain or sort != "tambon":
            found, extra = explained(self.backend, found, explain_it=explain, sort=sort, twin=self.twin,
                                     by_tambon=include_coordinated)
        return list(overlap_records(self.backend, found, twin=self.twin, include_coordinated=include_coordinated,
                                    limit=limit, extra=extra))

    def summary(self, by: str = "province", *, tambon: str | None = None, district: str | None = None,
                province: str | None = None) -> list[dict[str, Any]]:
        """Parallel and uncoordinated pairs counted per tambon, district or province (``by``):
        ``graphmodel overlaps --summary`` (:func:`~graphmodel.analysis.summary.summarise`)."""
        area = _area(tambon, district, province)
        return list(summarise(area_pairs(self.backend, area, twin=self.twin), by))

    def recommend(self, *, tambon: str | None = None, district: str | None = None, province: str | None = None,
                  k: int = 10) -> list[dict[str, Any]]:
        """Up to ``k`` new coordination links resolving the most uncoordinated pairs: ``graphmodel recommend``.

        One row per step, in order: ``step``, ``a``, ``a_name``, ``b``,
        ``b_name`` (the two ends, with their Thai and English names),
        ``tambon`` (None: province-wide), ``resolves``, ``remaining``
        (:func:`~graphmodel.analysis.recommend.recommend`).
        """
        from .analysis.recommend import recommend
        from .reports.words import label

        found = recommend(self.backend, _area(tambon, district, province), k=k, twin=self.twin)
        names = names_of(self.backend, {x for s in found.steps for x in (s.link.a, s.link.b)}, twin=self.twin)
        return [{"step": i, "a": s.link.a, "a_name": label(names, s.link.a), "b": s.link.b,
                 "b_name": label(names, s.link.b), "tambon": s.link.tambon, "resolves": s.resolves,
                 "remaining": s.remaining} for i, s in enumerate(found.steps, 1)]

    def pilots(self, *, tambon: str | None = None, district: str | None = None,
               province: str | None = None) -> list[dict[str, Any]]:
        """Pilots that never reach the normal system where they run: ``graphmodel pilots`` (the
        ``pilots`` analysis' rows: ``tambon``, ``program``, ``pilot``, ``channels``, ``agencies``,
        ``normal_programs``)."""
        return list(rows(self.backend, "pilots", _area(tambon, district, province).params(), twin=self.twin))

    def pilot_gaps(self, *, tambon: str | None = None, district: str | None = None,
                   province: str | None = None) -> list[dict[str, Any]]:
        """Per theme, the tambons where a pilot runs and no normal program on that theme does: the
        second list of ``graphmodel pilots`` (``theme``, ``tambon``, ``pilots``, ``normal_programs``)."""
        return list(rows(self.backend, "pilot_gaps", _area(tambon, district, province).params(),
                         twin=self.twin))

    def index(self, *, tambon: str | None = None, district: str | None = None, province: str | None = None,
              by: str | None = None) -> list[dict[str, Any]]:
        """The coordination index per area: ``graphmodel index``'s first table, one row per
        ``by`` (default: the level below the area given); see
        :func:`~graphmodel.analysis.index.coordination_index` for the columns."""
        from .analysis.index import coordination_index
        from .reports.words import BELOW

        area = _area(tambon, district, province)
        found = coordination_index(self.backend, area, by=by or BELOW[area.kind], twin=self.twin)
        return [r.to_json() for r in found]

    def brokers(self, *, tambon: str | None = None, district: str | None = None, province: str | None = None,
                top: int | None = None) -> list[dict[str, Any]]:
        """Whose coordination links account for the most coordinated pairs (``graphmodel index``'s
        brokers): ``id``, ``name``, ``pairs``, ``as_link_end``, ``as_coordinator``, most first."""
        from .analysis.index import brokers
        from .reports.words import label

        found = brokers(self.backend, _area(tambon, district, province), twin=self.twin)[:top]
        names = names_of(self.backend, [b.id for b in found], twin=self.twin)
        return [{"id": b.id, "name": label(names, b.id), **{k: v for k, v in b.to_json().items() if k != "id"}}
                for b in found]

    def betweenness(self, *, tambon: str | None = None, district: str | None = None,
                    province: str | None = None, top: int = 10) -> list[dict[str, Any]]:
        """The ``top`` actors best placed to coordinate: highest betweenness in the area's broker
        network (``graphmodel index``'s last table): ``id``, ``name``, ``betweenness``.
        An area whose network is too large to compute gives no rows."""
        from .analysis.index import betweenness
        from .reports.words import label

        found = betweenness(self.backend, _area(tambon, district, province), twin=self.twin, top=top)
        names = names_of(self.backend, [x for x, _ in found.scores], twin=self.twin)
        return [{"id": x, "name": label(names, x), "betweenness": score} for x, score in found.scores]

    def matrix(self, *, tambon: str | None = None, district: str | None = None,
               province: str | None = None) -> list[dict[str, Any]]:
        """Uncoordinated pairs per pair of agencies (``agency_a``, ``agency_b``, ``uncoordinated``,
        ``tambons``), most first: the matrix of ``graphmodel view`` and ``report``."""
        from .analysis.matrix import agency_matrix

        return agency_matrix(self.backend, **_area(tambon, district, province).params(), twin=self.twin)

    def query(self, name: str | Any, **params: Any) -> list[dict[str, Any]]:
        """The rows of a named query of ``cypher/`` (``graphmodel query NAME -p K=V``), or of a
        :class:`~graphmodel.queries.Query` you parsed, read-only.

        On Neo4j the query runs on the server; on a folder a named query runs
        as its Python twin (every named query has one, except those about the
        server itself). Parameters are checked against the query first.
        """
        from .queries import resolve

        query = resolve(name) if isinstance(name, str) else name
        values = query.bind(params)
        driver = getattr(self.backend, "driver", None)
        if driver is None:
            return list(rows(self.backend, query.name, values, twin=self.twin))
        from .neo4j.runner import run

        return run(driver, query, values, database=self.backend.database).rows

    # --- pages ---------------------------------------------------------------------------------------

    def view(self, *, tambon: str | None = None, district: str | None = None, province: str | None = None,
             agency: str | None = None, nation: bool = False, detail: bool = False,
             detail_pages: int | None = None, path: str | os.PathLike | None = None) -> Page:
        """The interactive network view, as ``graphmodel view`` draws it: shown inline in Jupyter;
        ``path`` (or :meth:`Page.save`) writes it, with an aggregated view's detailed pages in
        ``NAME.files`` beside it (inline, the overview's links to them lead nowhere until saved).

        At most one of ``tambon``, ``district``, ``province``, ``agency``,
        ``nation`` (none: the whole graph); ``district``/``province``/``nation``
        are aggregated unless ``detail``.
        """
        from .views.overview import DETAIL_PAGES
        from .views.pages import detail_folder, view_pages, view_scope, write_view

        _check_codes(tambon, district, province)
        scope, aggregated = view_scope(tambon=tambon, district=district, province=province, agency=agency,
                                       nation=nation, detail=detail)
        pages_for = partial(view_pages, self.backend, scope, aggregated=aggregated, twin=self.twin,
                            detail_pages=DETAIL_PAGES if detail_pages is None else detail_pages)
        made_for = Path(path) if path is not None else Path(f"graphmodel-view-{scope.slug}.html")
        pages = pages_for(path=made_for)

        def save(to: Path) -> list[Path]:
            # An aggregated page links its detailed pages as NAME.files/...: under another name, make it again.
            same = detail_folder(to).name == detail_folder(made_for).name
            return write_view(to, pages if same else pages_for(path=to))

        page = Page(pages[""](), f"graphmodel view: {scope.slug}", save)
        if path is not None:
            page.save(path)
        return page

    def report(self, *, tambon: str | None = None, district: str | None = None, province: str | None = None,
               path: str | os.PathLike | None = None, top: int | None = None, k: int | None = None) -> Page:
        """The report to take to a meeting, as ``graphmodel report`` writes it: shown inline in
        Jupyter; ``path`` (``.html``, or ``.md`` with its two charts beside it) writes it."""
        from .reports.charts import font_note
        from .reports.report import K, TOP, build_report, render_html, write_report

        area = _area(tambon, district, province)
        found = build_report(self.backend, area, top=TOP if top is None else top, k=K if k is None else k,
                             twin=self.twin, source=self.source)
        page = Page(render_html(found), f"graphmodel report: {area.label()}",
                    lambda to: write_report(to, found), height=900)
        note = font_note()
        if note:
            warnings.warn(note, stacklevel=2)
        if path is not None:
            page.save(path)
        return page

    # --- writing ------------------------------------------------------------------------------------

    def load(self, source: str | os.PathLike | Dataset, *, dataset_name: str | None = None,
             replace: bool = False, encoding: str = "utf-8"):
        """Load a dataset folder, workbook or :class:`~graphmodel.model.Dataset` into this Neo4j
        graph: ``graphmodel load`` (validated first, batched, idempotent; ``dataset_name``
        defaults to the folder's name). Returns the
        :class:`~graphmodel.neo4j.load.LoadResult` (``.counts`` by type)."""
        driver = getattr(self.backend, "driver", None)
        if driver is None:
            raise ArgumentError("load writes into Neo4j: open the graph with neo4j=URI")
        from .neo4j.load import load_dataset

        if isinstance(source, Dataset):
            if dataset_name is None:
                raise ArgumentError("give dataset_name= for a dataset in memory")
            dataset = source
        else:
            dataset = read_dataset(Path(source), encoding=encoding)
            dataset_name = dataset_name if dataset_name is not None else Path(source).resolve().name
        return load_dataset(driver, dataset, dataset_name=dataset_name, database=self.backend.database,
                            replace=replace, progress=False)

