"""The Cypher twins of issue 10's analyses equal their Python twins, on a real server.

Each graph is written with the naive tests/graph_writer.py. Then every
analysis is run by both twins and compared row for row: those that take
pairs (pair_linkage, link_ends, pair_brokers, entity_names) on the pairs of
the overlaps rule, those that take an area (pilots, pilot_gaps,
area_profile, broker_network) with and without each filter; and so are the
records the commands print (explanations, recommendations, the index,
brokers, betweenness). Seeds, the hand-built graphs of the other tests, a
generated province, random datasets.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from graphmodel.analysis.areas import Area, area_pairs, pair_param_rows
from graphmodel.analysis.index import betweenness, brokers, coordination_index
from graphmodel.analysis.recommend import recommend
from graphmodel.analysis.registry import rows
from graphmodel.analysis.severity import explain
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset
from graphmodel.neo4j.backend import Neo4jBackend

from builders import HU_LONG, dataset
from graph_writer import clear, write_payload
from paths import SEED, SEED_COORDINATED
from strategies import dataset_folders, write_dataset
import test_index
import test_pilots
import test_recommend
import test_severity

pytestmark = pytest.mark.neo4j

AREAS = [Area(), Area.of(tambon=HU_LONG), Area.of(tambon="802103"), Area.of(district="8012"),
         Area.of(province="80"), Area.of(province="83"), Area.of(district="8301")]


def assert_twins_equal(driver, ds: Dataset, areas=AREAS) -> None:
    clear(driver)
    write_payload(driver, ds.to_graph())
    embedded, server = EmbeddedBackend(ds), Neo4jBackend(driver)

    def same(name, params=None, *, pairs=None):
        if pairs is not None:
            python = list(pair_param_rows(embedded, name, pairs, page=97))
            cypher = list(pair_param_rows(server, name, pairs, twin="cypher", page=97))
        else:
            python = list(rows(embedded, name, params))
            cypher = list(rows(server, name, params, twin="cypher"))
        assert cypher == python, (name, params)
        return python

    found = list(area_pairs(embedded, Area()))
    uncoordinated = [p for p in found if not p.coordinated]
    same("pair_linkage", pairs=uncoordinated)
    same("link_ends", pairs=uncoordinated)
    same("pair_brokers", pairs=found)
    same("entity_names", {"ids": sorted({i for p in found for i in p.ids} | {"no-such-id"})})
    for area in areas:
        for name in ("pilots", "pilot_gaps", "broker_network"):
            same(name, area.params())
        for by in ("tambon", "district", "province"):
            same("area_profile", {"by": by, **area.params()})
        assert recommend(server, area, k=4) == recommend(embedded, area, k=4), area
        assert coordination_index(server, area, by="district") == coordination_index(embedded, area, by="district")
        assert brokers(server, area) == brokers(embedded, area)
        python, cypher = betweenness(embedded, area), betweenness(server, area)
        assert cypher.scores == python.scores and cypher.nodes == python.nodes
        assert python.note == "" and cypher.note == (
            "the Graph Data Science library is not available on this server: betweenness computed here "
            "with igraph from the network the server returned")
    assert explain(server, found) == explain(embedded, found)


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_seeds(neo4j_driver, folder):
    assert_twins_equal(neo4j_driver, read_dataset(folder))


HAND_BUILT = {
    "triangle": lambda: dataset(**test_recommend.TRIANGLE),
    "greedy-trap": lambda: dataset(**test_recommend.GREEDY_TRAP),
    "money": test_index.money_dataset,
    "linked-in-kalo": lambda: dataset(**{**test_severity.BASE, **test_severity.TWO,
                                         "agencies": ["A1", "A2", "PLAN"],
                                         "coordination": [("PLAN", "A1", "802103"), ("PLAN", "A2")]}),
    "via-chain": lambda: dataset(**{**test_severity.BASE, "agencies": ["A1", "A2", "W", "X", "Y", "Z"],
                                    "coordination": [("A1", "Y"), ("Y", "W"), ("W", "Q"), ("A1", "X"),
                                                     ("X", "Z"), ("Z", "A2")]}),
}


@pytest.mark.parametrize("name", list(HAND_BUILT))
def test_hand_built(neo4j_driver, name):
    assert_twins_equal(neo4j_driver, HAND_BUILT[name](), areas=[Area(), Area.of(tambon=HU_LONG)])


@pytest.mark.parametrize("case", ["fund-link", "chain", "elsewhere", "channel"])
def test_pilot_paths(neo4j_driver, case):
    """The pilots cases of tests/analysis/test_pilots.py, through both twins."""
    p = test_pilots
    kwargs = {
        "fund-link": dict(implementation=[("x", "P")], coordination=[("x", "f_norm")], programs=[("N", "u", False)],
                          funding=[("f_norm", "N")], locations=[("N", HU_LONG)]),
        "chain": dict(implementation=[], coordination=[("sp", "x"), ("x", "y"), ("y", "line")]),
        "elsewhere": dict(implementation=[("line", "W")], programs=[("W", "t", False)], funding=[("f_sp", "W")],
                          locations=[("W", "800101")]),
        "channel": dict(implementation=[], coordination=[("sp", "prov")], programs=[("N", "u", False)],
                        funding=[("f_norm", "N")], locations=[("N", HU_LONG)]),
    }[case]
    backend = p.build([("P", "t", True), *kwargs.pop("programs", ())], agencies=p.AGENCIES, funds=p.FUNDS,
                      funding=[("f_sp", "P"), *kwargs.pop("funding", ())],
                      locations=[("P", HU_LONG), *kwargs.pop("locations", ())], **kwargs)
    assert_twins_equal(neo4j_driver, backend.dataset, areas=[Area()])


def test_generated_province(neo4j_driver, synth_dir):
    assert_twins_equal(neo4j_driver, read_dataset(synth_dir),
                       areas=[Area(), Area.of(district="8301"), Area.of(tambon="830101")])


@settings(max_examples=25, deadline=None)
@given(files=dataset_folders())
def test_random_datasets(neo4j_driver, files):
    with tempfile.TemporaryDirectory() as tmp:
        ds = read_dataset(write_dataset(Path(tmp) / "random", files))
    assert_twins_equal(neo4j_driver, ds, areas=[Area(), Area.of(tambon=HU_LONG), Area.of(district="8021")])
