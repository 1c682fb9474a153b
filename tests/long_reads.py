"""Reads that run for hours on the Neo4j test server, and how to find them there (a test helper)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Callable

__all__ = ["HOURS", "new_marker", "long_query", "running", "started"]

#: Rows of ``range()`` that take the server hours to go through.
HOURS = 100_000_000_000


def new_marker() -> str:
    """A condition no row meets, with a number of its own: it finds one query in ``SHOW TRANSACTIONS``."""
    return f"x = -{random.randrange(10**9)}"


def long_query(folder: Path, *, paged: bool = False) -> tuple[Path, str]:
    """A .cypher file in ``folder`` whose read runs for hours, and the text that finds it in
    ``SHOW TRANSACTIONS`` (a number of its own, so no other read matches).

    ``paged``: the query takes the list ``$keys``; the page ``[1]`` answers at once with the row
    ``{"k": 1}``, any other page runs for hours.
    """
    marker = new_marker()
    if paged:
        text = (f"UNWIND $keys AS k\nUNWIND range(1, CASE k WHEN 1 THEN 1 ELSE {HOURS} END) AS x\n"
                f"WITH k, x WHERE k = 1 OR {marker}\nRETURN k\n")
    else:
        text = f"UNWIND range(1, {HOURS}) AS x\nWITH x WHERE {marker}\nRETURN x\n"
    path = folder / "long.cypher"
    path.write_text(text, "utf-8")
    return path, marker


def running(driver, marker: str) -> list[dict]:
    """The transactions on the server running the query that holds ``marker``: id and metadata."""
    return [r.data() for r in driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery, metaData WHERE currentQuery CONTAINS $marker "
        "RETURN id, metaData", marker=marker).records]


def started(driver, marker: str, gave_up: Callable[[], bool] = lambda: False) -> list[dict]:
    """:func:`running` once the read holding ``marker`` has begun on the server (checked every
    0.1 s, 2 minutes at most, until ``gave_up()``, e.g. the client exited)."""
    for _ in range(1200):
        if (seen := running(driver, marker)) or gave_up():
            return seen
        time.sleep(0.1)
    return []
