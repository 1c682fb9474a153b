"""The labels of graphmodel's own bookkeeping nodes in a database (no driver needed to name them).

:mod:`graphmodel.neo4j.gate` reads them, the loader's plan writes them; the
CLI reads the loader's defaults without importing the driver.
"""

from __future__ import annotations

__all__ = ["LOAD_LABEL", "STATE_LABEL"]

#: The marker of a batched load (or unload) under way: one node per dataset, while it runs.
LOAD_LABEL = "_GraphmodelLoad"
#: The one node holding the graph's version, read by every read of graphmodel.
STATE_LABEL = "_GraphmodelState"
