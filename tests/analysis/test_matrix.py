"""The agency matrix and the agencies per place, against values worked out by hand
from the seed CSVs (docs/analysis.md, "The agency matrix"). The two twins are held
equal on a real server by tests/analysis/test_registry.py."""

from __future__ import annotations

import pytest

from graphmodel.analysis.matrix import agency_matrix
from graphmodel.analysis.registry import rows
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import QueryError

from paths import SEED, SEED_COORDINATED

#: Worked by hand from funds.csv, funding.csv, implementation.csv, locations.csv:
#: (agency_a, agency_b) -> (uncoordinated pairs, tambons).
HULONG = {("codi", "dopa"): 1, ("codi", "nst_governor"): 1, ("codi", "yamna"): 1,
          ("codi", "tao_hulong"): 1, ("dopa", "tao_hulong"): 1, ("nst_governor", "tao_hulong"): 1,
          ("tao_hulong", "yamna"): 1, ("cdd", "doae"): 1, ("cdd", "nfe"): 1, ("doae", "nfe"): 1,
          ("moph", "thaihealth"): 1}
KALO = {("codi", "dopa"): 1, ("codi", "nst_governor"): 1, ("codi", "yamna"): 1}


@pytest.fixture(scope="module")
def seed():
    return EmbeddedBackend(read_dataset(SEED))


def cells(found):
    return {(r["agency_a"], r["agency_b"]): (r["uncoordinated"], r["tambons"]) for r in found}


def test_province_80_by_hand(seed):
    found = agency_matrix(seed, province="80")
    expected = {k: (HULONG.get(k, 0) + KALO.get(k, 0), (k in HULONG) + (k in KALO))
                for k in {*HULONG, *KALO}}
    assert cells(found) == expected
    # most uncoordinated first, then by ids
    assert [(r["agency_a"], r["agency_b"]) for r in found][:4] == [
        ("codi", "dopa"), ("codi", "nst_governor"), ("codi", "yamna"), ("cdd", "doae")]
    assert all(r["agency_a"] < r["agency_b"] for r in found)
    assert list(found[0]) == ["agency_a", "agency_b", "uncoordinated", "tambons"]


@pytest.mark.parametrize("params, expected", [
    ({"tambon": "801208"}, HULONG),
    ({"tambon": "802103"}, KALO),
    ({"district": "8012"}, HULONG),  # Pak Phanang holds Hu Long
    ({"district": "8021"}, KALO),
    ({"district": "8001"}, {}),  # the life plan alone: no pair
    ({"province": "81"}, {}),
    ({"tambon": "801208", "province": "81"}, {}),  # every filter given applies
])
def test_areas(seed, params, expected):
    assert cells(agency_matrix(seed, **params)) == {k: (n, 1) for k, n in expected.items()}


def test_every_pair_coordinated_gives_no_cell():
    assert agency_matrix(EmbeddedBackend(read_dataset(SEED_COORDINATED))) == []


def test_registry_and_twin(seed):
    assert list(rows(seed, "agency_matrix", {"tambon": "802103"})) == agency_matrix(seed, tambon="802103")
    with pytest.raises(QueryError, match="the Cypher twin needs a Neo4j server"):
        agency_matrix(seed, twin="cypher")


def test_place_agencies_by_hand(seed):
    # Hu Long: 11 programs; codi funds three of them (welfare, revival, life plan), each other
    # agency one; dopa_poverty_survey brings dopa, nst_governor and yamna.
    found = {r["agency"]: r["programs"] for r in rows(seed, "place_agencies", {"by": "tambon", "tambon": "801208"})}
    assert found == {"codi": 3, "dopa": 1, "nst_governor": 1, "yamna": 1, "doae": 1, "moph": 1, "cdd": 1,
                     "nfe": 1, "tao_hulong": 1, "trf": 1, "thaihealth": 1}
    # Pak Phanang (8012) as one place: the same programs (the life plan counts once).
    district = list(rows(seed, "place_agencies", {"by": "district", "district": "8012"}))
    assert {r["place"] for r in district} == {"8012"}
    assert {r["agency"]: r["programs"] for r in district} == found
    # Province 80 by district: codi works in every district with the life plan, one program each
    # except Pak Phanang (3).
    by_district = [r for r in rows(seed, "place_agencies", {"by": "district", "province": "80"})
                   if r["agency"] == "codi"]
    assert {r["place"]: r["programs"] for r in by_district}["8012"] == 3
    assert all(r["programs"] == 1 for r in by_district if r["place"] != "8012")
    with pytest.raises(QueryError, match="by 'nation'"):
        list(rows(seed, "place_agencies", {"by": "nation"}))
