"""Loading datasets into Neo4j, split by concern.

- :mod:`.plan` — what to write: the dataset's rows, made one batch at a time; the job digest;
  bookkeeping names;
- :mod:`.statements` — the Cypher the loader sends;
- :mod:`.schema` — the constraints and indexes (``cypher/ddl/schema.cypher``);
- :mod:`.steps` — the load itself (:func:`load_dataset`): one transaction, or batches
  behind the load gate (:mod:`graphmodel.neo4j.gate`); :func:`unload_dataset`.

The names below are imported when first used, so that reading the loader's
defaults (:data:`DEFAULT_BATCH_SIZE`, for ``graphmodel load --help``) does not
import the Neo4j driver.
"""

from ..._lazy import lazy_names

_HOME = {**dict.fromkeys(["DATASETS_PROPERTY", "DEFAULT_BATCH_SIZE", "KEYS_PROPERTY", "LOAD_LABEL",
                          "LOAD_PROPERTY", "PROGRESS_MIN_ROWS", "REL_KEY", "SINGLE_TRANSACTION_MAX_ROWS",
                          "STATE_LABEL", "LoadPlan", "LoadResult"], ".plan"),
         **dict.fromkeys(["ensure_schema", "schema_statements"], ".schema"),
         **dict.fromkeys(["Checkpoint", "load_dataset", "unload_dataset"], ".steps")}

__all__ = sorted(_HOME)


__getattr__, __dir__ = lazy_names(__name__, _HOME, lambda: list(globals()))
