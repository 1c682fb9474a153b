"""Reads that stop half-way end their transactions on the real Neo4j test server
(graphmodel/neo4j/interrupt.py; ``graphmodel query``'s Ctrl-C and time limit are in
tests/cli/test_query.py)."""

from __future__ import annotations

import threading

from graphmodel.neo4j.interrupt import end_reads
from graphmodel.neo4j.library import load_user_file
from graphmodel.neo4j.runner import run_pages

from long_reads import long_query, running, started


def _closed_within(rows, seconds: float) -> bool:
    """Whether ``rows.close()`` came back within ``seconds`` (it used to wait for the page read
    ahead, hours here); a daemon thread, so that a hang fails the test instead of holding it."""
    closer = threading.Thread(target=rows.close, daemon=True)
    closer.start()
    closer.join(seconds)
    return not closer.is_alive()


def _reading_ahead(driver, tmp_path):
    """Pages [1] then [2] of a query whose page [2] runs for hours: the first row read, and the
    second page's read under way ahead of the caller."""
    path, marker = long_query(tmp_path, paged=True)
    rows = run_pages(driver, load_user_file(path), None, page_param="keys", pages=[[1], [2]])
    assert next(rows) == {"k": 1}
    assert started(driver, marker), "the page read ahead did not begin"
    return rows, marker


def test_a_caller_that_stops_reading_pages_ends_the_page_read_ahead(empty_neo4j, neo4j_driver, tmp_path):
    rows, marker = _reading_ahead(neo4j_driver, tmp_path)
    assert _closed_within(rows, 60)
    assert running(neo4j_driver, marker) == []


def test_ctrl_c_while_rows_are_printed_ends_the_page_read_ahead(empty_neo4j, neo4j_driver, tmp_path):
    """Ctrl-C in the caller, outside the pages' generator (the CLI printing rows): the CLI ends
    every read under way (end_reads), and the generator, still open, lets go at once."""
    rows, marker = _reading_ahead(neo4j_driver, tmp_path)
    end_reads()
    assert running(neo4j_driver, marker) == []
    assert _closed_within(rows, 60)
