"""graphmodel: who funds and who runs which program where, as a graph.

One door in, :func:`graphmodel.open`: a graph whose methods are the
commands, each answer a list of flat dicts (``pandas.DataFrame(...)`` makes
it a table; :mod:`graphmodel.api` lists them all)::

    >>> import graphmodel
    >>> g = graphmodel.open("seed/nst-2006")
    >>> [(r["tambon"], r["program_a"], r["program_b"]) for r in g.overlaps(tambon="802103")]
    [('802103', 'codi_life_plan', 'dopa_poverty_survey')]

``graphmodel.open(neo4j="bolt://127.0.0.1:7687", auth=("neo4j", password))``
asks a Neo4j server the same questions; ``graphmodel.open(neo4j=graphmodel.neo4j_env())``
takes the server and credentials from the ``NEO4J_*`` variables the commands read.
Underneath, the library's own layers, the CLI a thin layer over them::

    >>> from graphmodel import read_dataset, EmbeddedBackend, findings, pairs
    >>> backend = EmbeddedBackend(read_dataset("seed/nst-2006"))
    >>> [f.tambon.id for f in findings(backend, pairs(backend))]
    ['801208', '802103']

Package map: ``api`` (the door), ``model`` (the pydantic core), ``dataset``
(the validating reader), ``backends`` (the backend interface and the embedded
backend), ``queries`` (the named Cypher queries of ``cypher/``, parsed and
checked without a server), ``neo4j`` (everything that talks to Neo4j),
``analysis`` (rules with Python and Cypher twins, above the backends),
``views`` (interactive HTML), ``reports``, ``cli``. ``import graphmodel``
imports neither :mod:`graphmodel.neo4j` nor the Neo4j driver: opening a Neo4j
graph, or asking for :func:`neo4j_env`, does. Errors: :mod:`graphmodel.errors`.
"""

from ._lazy import lazy_names
from .analysis import PairRow, ParallelPair, TambonFinding, findings, pairs, parallel_pairs
from .api import Graph, Page, open  # noqa: A004 - graphmodel.open, as sqlite_utils.Database
from .backends.embedded import EmbeddedBackend
from .dataset import read_dataset
from .errors import ArgumentError, DatasetError, GraphmodelError
from .geo import Area
from .model import Dataset

# ``open`` is left out of __all__: ``from graphmodel import *`` must not hide the built-in open.
__all__ = [
    "Area", "ArgumentError", "Dataset", "DatasetError", "EmbeddedBackend", "Graph", "GraphmodelError",
    "Neo4jSettings", "Page", "PairRow", "ParallelPair", "TambonFinding", "findings", "neo4j_env", "pairs",
    "parallel_pairs", "read_dataset",
]
__version__ = "0.1.0"

#: Names of :mod:`graphmodel.neo4j.credentials`, imported when first used (the module docstring).
_NEO4J_SETTINGS = ("Neo4jSettings", "neo4j_env")


__getattr__, __dir__ = lazy_names(__name__, dict.fromkeys(_NEO4J_SETTINGS, ".neo4j.credentials"),
                                  lambda: list(globals()))
