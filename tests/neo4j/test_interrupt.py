"""Reads that stop half-way end their transactions on the real Neo4j test server
(graphmodel/neo4j/interrupt.py; ``graphmodel query``'s Ctrl-C and time limit are in
tests/cli/test_query.py)."""

from __future__ import annotations

import signal
import threading

import pytest

from graphmodel.neo4j.interrupt import end_transactions, execute_read, execute_write, run_auto
from graphmodel.queries import load_user_file
from graphmodel.neo4j.runner import run_pages

from long_reads import HOURS, long_query, new_marker, running, started


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
    every read under way (end_transactions), and the generator, still open, lets go at once."""
    rows, marker = _reading_ahead(neo4j_driver, tmp_path)
    end_transactions()
    assert running(neo4j_driver, marker) == []
    assert _closed_within(rows, 60)


#: Work on the server that takes hours, for each way graphmodel runs a transaction: a read, a
#: write (a load's batch) and an auto-commit statement (an unload's removals).
_HOURS_OF = {
    "read": lambda marker: f"UNWIND range(1, {HOURS}) AS x WITH x WHERE {marker} RETURN x",
    "write": lambda marker: f"UNWIND range(1, {HOURS}) AS x WITH x WHERE {marker} CREATE (:Never) RETURN x",
    "auto": lambda marker: (f"UNWIND range(1, {HOURS}) AS x CALL (x) {{ WITH x WHERE {marker} CREATE (:Never) }} "
                            f"IN TRANSACTIONS OF {HOURS} ROWS RETURN count(*) AS n"),
}


def _start(kind: str, session_of, text: str):
    if kind == "auto":
        return run_auto(session_of, text, {})
    work = lambda tx: tx.run(text).single()  # noqa: E731
    return (execute_read if kind == "read" else execute_write)(session_of, work)


@pytest.mark.parametrize("kind", sorted(_HOURS_OF))
def test_ctrl_c_in_the_main_thread_ends_the_transaction_first(empty_neo4j, neo4j_driver, kind):
    """SIGINT to this process while the server runs the work: KeyboardInterrupt, once the server
    runs nothing of it any more (the driver alone waited for the statement's end: hours)."""
    marker = new_marker()
    seen = []

    def ctrl_c_once_it_runs() -> None:
        seen.extend(started(neo4j_driver, marker))
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        threading.Thread(target=ctrl_c_once_it_runs, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            _start(kind, lambda: neo4j_driver.session(), _HOURS_OF[kind](marker))
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen and running(neo4j_driver, marker) == []
    assert neo4j_driver.execute_query("MATCH (n:Never) RETURN count(n) AS n").records[0]["n"] == 0
