"""Loading datasets into Neo4j, split by concern.

- :mod:`.plan` — what to write: the dataset as grouped rows, fingerprints, bookkeeping names;
- :mod:`.statements` — the Cypher the loader sends;
- :mod:`.schema` — the constraints and indexes (``cypher/ddl/schema.cypher``);
- :mod:`.steps` — the load itself (:func:`load_dataset`): batches, staging, the switch.
"""

from .plan import (
    DATASETS_PROPERTY, DEFAULT_BATCH_SIZE, KEYS_PROPERTY, LOAD_LABEL, LOAD_PROPERTY, PROGRESS_MIN_ROWS,
    REL_KEY, SINGLE_TRANSACTION_MAX_ROWS, STAGED_LABEL, LoadPlan, LoadResult,
)
from .schema import ensure_schema, schema_statements
from .steps import load_dataset, unload_dataset

__all__ = [
    "DATASETS_PROPERTY", "DEFAULT_BATCH_SIZE", "KEYS_PROPERTY", "LOAD_LABEL", "LOAD_PROPERTY",
    "PROGRESS_MIN_ROWS", "REL_KEY", "SINGLE_TRANSACTION_MAX_ROWS", "STAGED_LABEL", "LoadPlan",
    "LoadResult", "ensure_schema", "load_dataset", "schema_statements", "unload_dataset",
]
