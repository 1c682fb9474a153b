"""graphmodel: who funds and who runs which program where, as a graph.

The library first, the CLI a thin layer over it::

    >>> from graphmodel import read_dataset, EmbeddedBackend, findings
    >>> backend = EmbeddedBackend.from_dataset(read_dataset("seed/nst-2006"))  # doctest: +SKIP
    >>> [f.tambon.id for f in findings(backend.parallel_pairs())]  # doctest: +SKIP
    ['802103', ...]

Package map: ``model`` (the pydantic core), ``dataset`` (the validating
reader), ``backends`` (embedded networkx, Neo4j), ``analysis`` (rules with
Python and Cypher twins), ``views`` (interactive HTML), ``cli``.
"""

from .analysis.overlaps import ParallelPair, TambonFinding, findings, parallel_pairs
from .backends.embedded import EmbeddedBackend
from .dataset import read_dataset
from .errors import DatasetError, GraphmodelError
from .model import Dataset

__all__ = [
    "Dataset", "DatasetError", "EmbeddedBackend", "GraphmodelError", "ParallelPair",
    "TambonFinding", "findings", "parallel_pairs", "read_dataset",
]
__version__ = "0.1.0"
