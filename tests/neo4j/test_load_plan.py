"""graphmodel/neo4j/load/plan.py: the rows a load writes, made a batch at a time (no server)."""

from __future__ import annotations

import math
import tracemalloc

import pytest

from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError
from graphmodel.model import REL_KEY_PROPERTY, Dataset, Program, RelType, rel_key
from graphmodel.neo4j.load import LoadPlan
from graphmodel.neo4j.load.plan import MAX_BATCH_BYTES, SINGLE_TRANSACTION_MAX_BYTES

from paths import SEED


def rows_of(plan: LoadPlan, batch_size: int) -> tuple[set, set]:
    """Every node and relationship the batches carry, as comparable tuples."""
    nodes, rels = set(), set()
    for batch in plan.batches(batch_size):
        if batch.group.kind == "node":
            nodes |= {(batch.group.name, row[0], repr(sorted(row[1].items()))) for row in batch.rows}
            continue
        for start_label, end_label, rows in batch.parts():
            for row in rows:
                key = row[3] if len(row) == 4 else batch.group.name
                rels.add((batch.group.name, start_label, row[0], end_label, row[1], key,
                          repr(sorted(row[2].items()))))
    return nodes, rels


def test_the_batches_carry_exactly_the_graph_of_the_dataset():
    """Compared with Dataset.to_graph() (the pydantic payload every backend receives)."""
    dataset = read_dataset(SEED)
    graph = dataset.to_graph()
    expected_nodes = {(n.label.value, n.id, repr(sorted(n.properties.items()))) for n in graph.nodes}
    expected_rels = {(r.type.value, r.start_label.value, r.start, r.end_label.value, r.end, rel_key(r),
                      repr(sorted(r.properties.items()))) for r in graph.relationships}
    for size in (1, 7, 50, 10_000):
        assert rows_of(LoadPlan(dataset, "nst"), size) == (expected_nodes, expected_rels)


def test_batches_are_bounded_numbered_and_counted():
    dataset = read_dataset(SEED)
    plan = LoadPlan(dataset, "nst")
    scan = plan.scan(replace=False)
    counts = dataset.counts()
    assert scan.counts == counts and scan.rows == 646
    batches = list(plan.batches(50))
    assert [b.number for b in batches] == list(range(len(batches)))
    assert all(0 < len(b.rows) <= 50 for b in batches)
    # One group per label and type, each cut into ceil(n / 50) batches: 25 (by hand in test_load.py).
    assert len(batches) == scan.batches(50) == sum(math.ceil(n / 50) for n in counts.values()) == 25
    # A keyed type carries its key; the others leave it to the statement.
    for b in batches:
        if b.group.kind == "rel":
            assert all(len(row) == (4 if RelType(b.group.name) in REL_KEY_PROPERTY else 3) for row in b.rows)


def wide_dataset(programs: int, cell: int):
    """``programs`` programs, each with two extra cells of ``cell`` characters (Thai: 3 bytes each)."""
    return Dataset(programs=[Program(id=f"p{i}", name=f"โครงการ {i}", start_year=2006, end_year=2006,
                                     extra={"note": "ก" * cell, "more": "x" * cell}) for i in range(programs)])


def text_bytes(value) -> int:
    """The UTF-8 bytes of every string in ``value`` (keys included): what a batch carries, at least."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, dict):
        return sum(text_bytes(k) + text_bytes(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(map(text_bytes, value))
    return 0


def test_batches_are_bounded_in_bytes_whatever_the_rows():
    """Rows at the reader's limits (two cells of 131,072 characters) would make a batch of 5,000
    rows over 2 GB; a batch is cut at MAX_BATCH_BYTES too, and the scan counts the same cuts."""
    dataset = wide_dataset(120, 131_072)  # a row: 4 × 131,072 bytes and a little more
    plan = LoadPlan(dataset, "wide")
    scan = plan.scan(replace=False)
    batches = list(plan.batches(5_000))
    assert MAX_BATCH_BYTES == 8 * 2**20
    assert all(text_bytes(b.rows) <= MAX_BATCH_BYTES for b in batches)
    # 8 MiB holds 15 rows of 4 × 131,072 + ~60 bytes (16 would be 8,389,568 > 8,388,608): 8 batches.
    assert [len(b.rows) for b in batches] == [15] * 8
    assert scan.batches(5_000) == 8 and scan.batches(10) == 12
    assert rows_of(plan, 5_000)[0] == {("Program", f"p{i}", repr(sorted(
        {"name": f"โครงการ {i}", "themes": [], "start_year": 2006, "end_year": 2006,
         "note": "ก" * 131_072, "more": "x" * 131_072}.items()))) for i in range(120)}
    assert scan.bytes > SINGLE_TRANSACTION_MAX_BYTES  # so a load of it is batched, not one transaction


def test_the_job_digest_follows_the_rows_the_name_and_replace():
    dataset = read_dataset(SEED)
    job = LoadPlan(dataset, "nst").scan(replace=False).job
    assert len(job) == 32 and job == LoadPlan(read_dataset(SEED), "nst").scan(replace=False).job
    assert job != LoadPlan(dataset, "nst").scan(replace=True).job
    assert job != LoadPlan(dataset, "other").scan(replace=False).job
    renamed = dataset.model_copy(update={"agencies": [a.model_copy(update={"name": a.name + "x"}) if a.id == "codi"
                                                      else a for a in dataset.agencies]})
    assert job != LoadPlan(renamed, "nst").scan(replace=False).job


def test_a_reserved_property_name_is_refused_by_the_scan():
    dataset = read_dataset(SEED)
    bad = dataset.model_copy(update={"agencies": [dataset.agencies[0].model_copy(update={"extra": {"_load": "x"}})]
                                     + dataset.agencies[1:]})
    with pytest.raises(BackendError, match=r"^Agency '\w+' has a property '_load': names starting with '_' "):
        LoadPlan(bad, "nst").scan(replace=False)
    with pytest.raises(BackendError, match="bad dataset name"):
        LoadPlan(dataset, "a/b")


def test_the_client_holds_one_batch_not_the_whole_load(synth_dir):
    """Walking the batches of a generated province (3,217 rows) allocates at most a
    small fraction of what holding all its rows takes: one batch at a time."""
    dataset = read_dataset(synth_dir)
    plan = LoadPlan(dataset, "synth")
    tracemalloc.start()
    try:
        everything = [b.rows for b in plan.batches(100_000)]
        _, whole = tracemalloc.get_traced_memory()
        del everything
        tracemalloc.reset_peak()
        for batch in plan.batches(100):
            pass
        _, streamed = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert streamed < whole / 5, (streamed, whole)
