"""Every registered analysis answers the same from a folder and from Neo4j (real server).

For every named query in ``REGISTRY`` and a few parameter sets each
(tests/query_params.py), on both seeds, on a generated province
(``synth_dir``) and on random datasets (tests/strategies.py):

- the Cypher twin on the server gives the rows of the Python twin on the
  embedded backend: same columns in the same order, same values, same row
  order;
- the Python twin run over the Neo4j backend (its facts built from the
  server's rows, ``twin="python"``) gives them too, which shows that the
  backend questions answer the same on both backends.

Each graph is written with the naive tests/graph_writer.py, not the loader.
Floats are compared exactly: every amount in these datasets is a whole
number of baht, so sums (``program_sides``' ``budget_thb``) are exact in any
order; with fractional amounts the two twins, which add in different
orders, could differ in the last bit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.registry import REGISTRY, order_key, rows, twin_for
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import QueryError
from graphmodel.model import Dataset
from graphmodel.neo4j.backend import Neo4jBackend
from graphmodel.neo4j.runner import run
from graphmodel.queries import load_library

from graph_writer import clear, write_payload
from paths import SEED, SEED_COORDINATED
from query_params import param_sets
from strategies import datasets


def differences(driver, ds: Dataset) -> tuple[list[str], dict[str, int]]:
    """Write ``ds`` to the server and compare the three answers of every analysis.

    Returns the differences found (empty when the twins agree) and, per
    analysis, the number of rows its parameter sets gave in all.
    """
    clear(driver)
    write_payload(driver, ds.to_graph())
    embedded, server = EmbeddedBackend(ds), Neo4jBackend(driver)
    sets = param_sets(ds)
    assert set(sets) == set(REGISTRY), "give tests/query_params.py parameter sets for every analysis"
    found: list[str] = []
    sizes: dict[str, int] = {}
    for name, analysis in REGISTRY.items():
        columns = run(driver, load_library()[name], sets[name][0]).columns
        if columns != list(analysis.columns):
            found.append(f"{name}: Cypher columns {columns} != registered {list(analysis.columns)}")
        sizes[name] = 0
        for params in sets[name]:
            # Items, not dicts: the column order counts too (JSON and CSV print it).
            python = [list(row.items()) for row in rows(embedded, name, params)]
            sizes[name] += len(python)
            if python and [k for k, _ in python[0]] != list(analysis.columns):
                found.append(f"{name}: Python columns {[k for k, _ in python[0]]} != {list(analysis.columns)}")
            for twin in ("cypher", "python"):
                other = [list(row.items()) for row in rows(server, name, params, twin=twin)]
                if other != python:
                    where = next((i for i, (a, b) in enumerate(zip(python, other)) if a != b),
                                 min(len(python), len(other)))
                    found.append(f"{name} {params}: {twin} twin on Neo4j differs from row {where} "
                                 f"({len(other)} rows, embedded {len(python)}): "
                                 f"{other[where:where + 1]} != {python[where:where + 1]}")
    return found, sizes


@pytest.mark.neo4j
@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_seeds(neo4j_driver, folder):
    found, sizes = differences(neo4j_driver, read_dataset(folder))
    assert not found, "\n".join(found)
    # Not a comparison of empty answers: every analysis finds something in the seed (in the
    # coordinated seed every pilot reaches the normal system, so `pilots` is rightly empty there,
    # and every parallel pair is coordinated, so the agency matrix of uncoordinated pairs is too).
    expected_empty = {"pilots", "agency_matrix"} if folder == SEED_COORDINATED else set()
    assert {name for name, n in sizes.items() if not n} == expected_empty, sizes


@pytest.mark.neo4j
def test_generated_province(neo4j_driver, synth_dir):
    found, sizes = differences(neo4j_driver, read_dataset(synth_dir))
    assert not found, "\n".join(found)
    # Only the two pilot queries are empty here: in a generated province every pilot has a
    # normal partner by design (a normal agency funds or runs it, or the village fund network
    # that leads it also works on the local government's programs), hence also a coordination
    # path to the normal system. The seeds and random datasets have pilots without one.
    assert sorted(name for name, n in sizes.items() if not n) == ["pilots", "pilots_without_normal_partner"]


@pytest.mark.neo4j
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets())
def test_random_datasets(neo4j_driver, ds):
    found, _ = differences(neo4j_driver, ds)
    assert not found, "\n".join(found)


# --- the registry itself ----------------------------------------------------------------------

#: Queries that ask the server about itself (whether it has the Graph Data Science library, and
#: that library's betweenness): they have no Python twin by nature; graphmodel index uses
#: igraph on a folder instead (tests/analysis/test_index.py holds the two equal).
SERVER_ONLY = {"gds_procedures", "broker_betweenness_gds"}


def test_every_named_query_has_a_python_twin():
    assert sorted(REGISTRY) == sorted(set(load_library()) - SERVER_ONLY)


def test_rows_checks_parameters_before_either_twin_runs():
    backend = EmbeddedBackend(Dataset())
    with pytest.raises(QueryError, match=r"^query 'agency_footprint' needs parameter 'agency'$"):
        rows(backend, "agency_footprint")
    with pytest.raises(QueryError, match=r"^query 'fund_flows' has no parameter 'year' "
                                         r"\(its parameters: channel\?, province\?\)$"):
        rows(backend, "fund_flows", {"year": 2006})
    with pytest.raises(QueryError, match=r"^no query named 'nope' \(graphmodel query --list shows them\)$"):
        rows(backend, "nope")
    with pytest.raises(QueryError, match=r"^the Cypher twin needs a Neo4j server \(--neo4j URI\)$"):
        rows(backend, "counts", twin="cypher")
    with pytest.raises(QueryError, match=r"^unknown twin 'java': one of auto, python, cypher$"):
        twin_for(backend, "java")
    assert twin_for(backend) == "python"


def test_order_key_sorts_like_cypher_order_by():
    # ORDER BY a, b ascending: nulls after every value, in each column.
    found = sorted([("b", None), (None, 1), ("a", 3), ("b", 2), (None, None), ("a", None)],
                   key=lambda r: order_key(*r))
    assert found == [("a", 3), ("a", None), ("b", 2), ("b", None), (None, 1), (None, None)]


def test_each_analysis_module_has_its_cypher_file():
    """analysis/X.py holds the Python twins of the queries of cypher/X.cypher, and no other."""
    library = load_library()
    found = {name: (analysis.python.__module__.rsplit(".", 1)[1], Path(library[name].file).stem)
             for name, analysis in REGISTRY.items()}
    apart = {name: found[name] for name, (module, file) in found.items() if module != file}
    assert apart == {}
    # and the reverse: every file of named queries is the twin of an analysis module
    # (index.cypher also holds the two server-only queries graphmodel index uses)
    files = {Path(q.file).stem for q in library.values()}
    assert files == {module for module, _ in found.values()}
