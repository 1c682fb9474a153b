"""graphmodel: who funds and who runs which program where, as a graph.

The library first, the CLI a thin layer over it::

    >>> from graphmodel import read_dataset, EmbeddedBackend, findings, pairs
    >>> backend = EmbeddedBackend(read_dataset("seed/nst-2006"))
    >>> [f.tambon.id for f in findings(backend, pairs(backend))]
    ['801208', '802103']

Package map: ``model`` (the pydantic core), ``dataset`` (the validating
reader), ``backends`` (the backend interface and the embedded backend),
``neo4j`` (everything that talks to Neo4j), ``analysis`` (rules with Python
and Cypher twins, above the backends), ``views`` (interactive HTML), ``cli``.
"""

from .analysis import PairRow, ParallelPair, TambonFinding, findings, pairs, parallel_pairs
from .backends.embedded import EmbeddedBackend
from .dataset import read_dataset
from .errors import DatasetError, GraphmodelError
from .geo import Area
from .model import Dataset

__all__ = [
    "Area", "Dataset", "DatasetError", "EmbeddedBackend", "GraphmodelError", "PairRow", "ParallelPair",
    "TambonFinding", "findings", "pairs", "parallel_pairs", "read_dataset",
]
__version__ = "0.1.0"
