"""Loading datasets into Neo4j, split by concern.

- :mod:`.plan` — what to write: the dataset's rows, made one batch at a time; the job digest;
  bookkeeping names;
- :mod:`.statements` — the Cypher the loader sends;
- :mod:`.schema` — the constraints and indexes (``cypher/ddl/schema.cypher``);
- :mod:`.steps` — the load itself (:func:`load_dataset`): one transaction, or batches
  behind the load gate (:mod:`graphmodel.neo4j.gate`); :func:`unload_dataset`.
"""

from .plan import (
    DATASETS_PROPERTY, DEFAULT_BATCH_SIZE, KEYS_PROPERTY, LOAD_LABEL, LOAD_PROPERTY, PROGRESS_MIN_ROWS,
    REL_KEY, SINGLE_TRANSACTION_MAX_ROWS, STATE_LABEL, LoadPlan, LoadResult,
)
from .schema import ensure_schema, schema_statements
from .steps import Checkpoint, load_dataset, unload_dataset

__all__ = [
    "DATASETS_PROPERTY", "DEFAULT_BATCH_SIZE", "KEYS_PROPERTY", "LOAD_LABEL", "LOAD_PROPERTY",
    "PROGRESS_MIN_ROWS", "REL_KEY", "SINGLE_TRANSACTION_MAX_ROWS", "STATE_LABEL", "Checkpoint",
    "LoadPlan",
    "LoadResult", "ensure_schema", "load_dataset", "schema_statements", "unload_dataset",
]
