"""graphmodel/neo4j/gate.py: what a reader sees at each moment of a load, on the real server.

A load larger than one transaction commits batch by batch; these tests read
the graph at every fixed point of such a load (the loader's ``checkpoint``
hook) and check exactly what docs/neo4j.md ("What a reader sees") says a
reader sees there: the old graph before the gate opens, a refusal while it
is shut, the new graph after; and that no answer mixes two graphs.
"""

from __future__ import annotations

import pytest

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.neo4j.backend import Neo4jBackend
from graphmodel.neo4j.gate import STATE_LABEL, GraphChanged, LoadUnderWay
from graphmodel.neo4j.load import LOAD_LABEL, load_dataset, unload_dataset
from graphmodel.neo4j.runner import fold, run_pages
from graphmodel.queries import internal_query, load_library

from paths import SEED
from strategies import SHARES_CODI, write_dataset

pytestmark = pytest.mark.neo4j

#: The seed in batches of 50 (25 batches: docs in tests/neo4j/test_load.py).
BATCHED = dict(dataset_name="large", batch_size=50, single_transaction_max=0)


def programs(driver) -> int:
    """Program nodes as a plain Cypher query sees them (no gate)."""
    return driver.execute_query("MATCH (p:Program) RETURN count(p) AS n").records[0]["n"]


def seen(driver) -> dict[str, int] | str:
    """What graphmodel's reads answer now: the counts, or ``refused``."""
    try:
        return Neo4jBackend(driver).counts()
    except LoadUnderWay:
        return "refused"


def test_the_gates_query_reads_the_gates_labels():
    """cypher/internal/gate.cypher writes the labels the loader writes (gate.py's constants)."""
    text = internal_query("graph_state").text
    assert f"(s:{STATE_LABEL} {{name: 'graph'}})" in text and f"(j:{LOAD_LABEL})" in text


def test_a_reader_at_every_moment_of_a_batched_load(empty_neo4j, neo4j_driver, tmp_path):
    other = read_dataset(write_dataset(tmp_path / "other", SHARES_CODI))
    load_dataset(neo4j_driver, other, dataset_name="other")
    before = EmbeddedBackend(other).counts()
    assert seen(neo4j_driver) == before

    moments: list[tuple[str, int, object, int]] = []

    def checkpoint(step: str, number: int) -> None:
        moments.append((step, number, seen(neo4j_driver), programs(neo4j_driver)))

    result = load_dataset(neo4j_driver, read_dataset(SEED), checkpoint=checkpoint, **BATCHED)
    assert result.batches == 25
    # Before the gate: the old graph. Gate shut: refused, whatever direct Cypher finds
    # (the batches' programs appear with the third batch: Agency, Fund, Program).
    assert moments[0] == ("begin", 0, before, 1)
    assert moments[1] == ("open", 0, "refused", 1)
    assert [m[:3] for m in moments[2:]] == [("batch", n, "refused") for n in range(1, 26)]
    assert [m[3] for m in moments[2:5]] == [1, 1, 12]
    assert len(moments) == 27
    # After: the new graph, the same as one transaction loading both.
    after = seen(neo4j_driver)
    empty = neo4j_driver.session()
    empty.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    empty.close()
    load_dataset(neo4j_driver, other, dataset_name="other")
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="large")
    assert after == seen(neo4j_driver)
    assert after["Program"] == 12 and after["Agency"] == 13  # codi is shared


def test_a_reader_during_the_removals_of_replace_and_unload(empty_neo4j, neo4j_driver):
    load_dataset(neo4j_driver, read_dataset(SEED), **BATCHED)
    moments = []

    def checkpoint(step: str, number: int) -> None:
        moments.append((step, number, seen(neo4j_driver)))

    load_dataset(neo4j_driver, read_dataset(SEED), replace=True, checkpoint=checkpoint,
                 **{**BATCHED, "dataset_name": "large"})
    # A rerun of the same data is a new job (replace changes the digest): the gate shuts,
    # 25 batches, four removal statements, each moment refused.
    assert [(s, n) for s, n, _ in moments] == ([("begin", 0), ("open", 0)] + [("batch", n) for n in range(1, 26)]
                                               + [("remove", i) for i in range(1, 5)])
    assert {m[2] for m in moments[1:]} == {"refused"}
    assert seen(neo4j_driver) == EmbeddedBackend(read_dataset(SEED)).counts()

    moments.clear()
    unload_dataset(neo4j_driver, "large", checkpoint=checkpoint)
    assert [(s, n) for s, n, _ in moments] == [("open", 0)] + [("remove", i) for i in range(1, 5)]
    assert seen(neo4j_driver) == {}
    # An unload stopped with its gate shut: refused, until it is run again.
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="large")
    with pytest.raises(KeyboardInterrupt):
        unload_dataset(neo4j_driver, "large", checkpoint=stop)
    with pytest.raises(LoadUnderWay, match="^dataset 'large' is being unloaded .* run graphmodel unload "
                                           "--dataset large again$"):
        Neo4jBackend(neo4j_driver).counts()
    unload_dataset(neo4j_driver, "large")
    assert seen(neo4j_driver) == {}


def stop(step: str, number: int) -> None:
    raise KeyboardInterrupt


def test_a_read_that_spans_a_load_is_read_again(empty_neo4j, neo4j_driver, tmp_path):
    """A one-transaction read during which a load commits: its answer is dropped and it is
    read once more, on the new graph (rows never mix the two)."""
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    other = read_dataset(write_dataset(tmp_path / "other", SHARES_CODI))
    calls = []

    def into(rows) -> dict[str, int]:
        counts = {row["type"]: row["count"] for row in rows}
        if not calls:  # the first time only: another client loads while this read is under way
            load_dataset(neo4j_driver, other, dataset_name="other")
        calls.append(counts["Program"])
        return counts

    counts = fold(neo4j_driver, load_library()["counts"], None, into)
    assert calls == [11, 12]
    assert counts["Program"] == 12


def test_pages_of_one_answer_never_mix_two_graphs(empty_neo4j, neo4j_driver, tmp_path):
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    # The next page is read while the caller works on this one: a load after the first row
    # is caught by the second page or, if that was read before it, by the third.
    ids = [["codi_life_plan"], ["codi_revival"], ["dopa_poverty_survey"]]
    pages = run_pages(neo4j_driver, load_library()["program_sides"], None, page_param="programs", pages=ids)
    assert next(pages)["program"]["id"] == "codi_life_plan"
    load_dataset(neo4j_driver, read_dataset(write_dataset(tmp_path / "other", SHARES_CODI)), dataset_name="other")
    with pytest.raises(GraphChanged, match="^the graph changed while it was being read"):
        list(pages)
    # Started afresh, the same pages read the new graph.
    again = run_pages(neo4j_driver, load_library()["program_sides"], None, page_param="programs", pages=ids)
    assert [row["program"]["id"] for row in again] == ["codi_life_plan", "codi_revival", "dopa_poverty_survey"]


def test_a_paged_answer_continues_the_read_of_its_keys(empty_neo4j, neo4j_driver, tmp_path):
    """overlaps --neo4j reads the tambons first, then pages over them: a load in between
    is caught by the first page, not missed."""
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    backend = Neo4jBackend(neo4j_driver)
    keys = [row["tambon"] for row in backend.query_rows("tambons_with_programs", {"minimum": 2})]
    load_dataset(neo4j_driver, read_dataset(write_dataset(tmp_path / "other", SHARES_CODI)), dataset_name="other")
    rows = backend.query_rows("overlaps", {}, page_param="tambons", pages=[keys])
    with pytest.raises(GraphChanged):
        next(iter(rows))


def test_no_marker_is_left_and_the_version_moves(empty_neo4j, neo4j_driver):
    def version() -> int:
        records = neo4j_driver.execute_query("MATCH (s:_GraphmodelState) RETURN s.version AS v").records
        return records[0]["v"] if records else 0

    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="a")  # one transaction: +1
    assert version() == 1
    load_dataset(neo4j_driver, read_dataset(SEED), **BATCHED)  # opened and closed: +2
    assert version() == 3
    unload_dataset(neo4j_driver, "large")  # +2
    assert version() == 5
    assert neo4j_driver.execute_query(f"MATCH (j:{LOAD_LABEL}) RETURN count(j) AS n").records[0]["n"] == 0


def test_a_commands_backend_reads_one_graph(empty_neo4j, neo4j_driver, tmp_path):
    """The CLI's backend (one_read): every question of one command comes from one graph, so a
    load committing between two of them stops the command; a plain backend reads afresh."""
    load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="nst-2006")
    command, plain = Neo4jBackend(neo4j_driver, one_read=True), Neo4jBackend(neo4j_driver)
    assert command.counts()["Program"] == plain.counts()["Program"] == 11
    assert len(list(command.nodes("Agency"))) == 13
    load_dataset(neo4j_driver, read_dataset(write_dataset(tmp_path / "other", SHARES_CODI)), dataset_name="other")
    assert plain.counts()["Program"] == 12
    with pytest.raises(GraphChanged):
        command.counts()
    with pytest.raises(GraphChanged):
        list(command.nodes("Agency"))
