"""Scoping a view: which nodes and relationships each scope draws (no browser)."""

from __future__ import annotations

import pytest

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.views import Scope, ScopeError, scope_graph, scope_pairs
from paths import SEED, SEED_COORDINATED
from views_expected import expected_view
from described import described_pairs
from graphmodel.backends.base import payload

KALO = "802103"
KALO_NODES = {
    ("Tambon", KALO), ("District", "8021"), ("Province", "80"),
    ("Program", "codi_life_plan"), ("Program", "dopa_poverty_survey"),
    ("Fund", "codi_nst"), ("Fund", "ceo_budget"), ("Agency", "codi"), ("Agency", "nst_governor"),
    ("Agency", "dopa"), ("Agency", "yamna"), ("Group", "kalo_village_fund_network"),
}


@pytest.fixture(scope="module")
def seed():
    return EmbeddedBackend(read_dataset(SEED))


@pytest.fixture(scope="module")
def coordinated():
    return EmbeddedBackend(read_dataset(SEED_COORDINATED))


def _rel_types(view) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in view.payload.relationships:
        out[r.type.value] = out.get(r.type.value, 0) + 1
    return dict(sorted(out.items()))


def test_kalo_draws_its_programs_their_stakeholders_and_its_areas(seed):
    view = scope_graph(payload(seed), Scope("tambon", KALO))
    assert view.keys == KALO_NODES
    assert view.tambons == {KALO}
    assert view.title == "tambon 802103 กะหรอ (Karo)"
    # codi_life_plan is located in 170 tambons; only the edge to Kalo is drawn.
    assert _rel_types(view) == {
        "BASED_IN": 1, "COORDINATES_WITH": 1, "FUNDS": 2, "IMPLEMENTS": 3, "IN_DISTRICT": 1,
        "IN_PROVINCE": 1, "LOCATED_IN": 2, "MANAGES": 2,
    }


def test_kalo_in_the_coordinated_seed_shows_the_shared_coordinator(coordinated):
    view = scope_graph(payload(coordinated), Scope("tambon", KALO))
    assert view.keys == KALO_NODES | {("Agency", "nst_planning")}
    assert _rel_types(view)["COORDINATES_WITH"] == 4  # dopa-yamna + planning to codi, dopa, governor
    assert _rel_types(view)["PART_OF"] == 1


def test_a_link_limited_to_another_tambon_does_not_count(seed):
    from graphmodel.model import Coordination

    ds = read_dataset(SEED)
    ds = ds.model_copy(update={"coordination": [
        *ds.coordination, Coordination(a="codi", b="dopa", tambon="801208")]})
    kalo = scope_graph(ds.to_graph(), Scope("tambon", KALO))
    hulong = scope_graph(ds.to_graph(), Scope("tambon", "801208"))
    ends = lambda v: {(r.start, r.end) for r in v.payload.relationships  # noqa: E731
                      if r.type.value == "COORDINATES_WITH"}
    assert ("codi", "dopa") not in ends(kalo)
    assert ("codi", "dopa") in ends(hulong)


@pytest.mark.parametrize("dataset", [SEED, SEED_COORDINATED], ids=["seed", "coordinated"])
@pytest.mark.parametrize("kind,code", [
    ("tambon", KALO), ("tambon", "801208"), ("district", "8021"), ("district", "8012"),
    ("province", "80"), ("agency", "codi"), ("agency", "dopa"), ("agency", "nst_planning"),
])
def test_scope_matches_the_rule_computed_from_the_csv_records(dataset, kind, code):
    ds = read_dataset(dataset)
    view = scope_graph(ds.to_graph(), Scope(kind, code))
    want = expected_view(ds, kind, code)
    assert view.keys == want.nodes
    assert len(view.payload.relationships) == want.relationships


def test_district_and_agency_sizes(seed):
    graph = payload(seed)
    assert len(scope_graph(graph, Scope("district", "8021")).keys) == 15
    codi = scope_graph(graph, Scope("agency", "codi"))
    # codi, its fund, 3 programs, 170 tambons, 23 districts, 1 province, 4 implementing groups
    assert len(codi.keys) == 203
    assert codi.title.startswith("agency codi สถาบันพัฒนาองค์กรชุมชน (พอช.) (Community")


def test_whole_graph_is_the_payload(seed):
    graph = payload(seed)
    view = scope_graph(graph, Scope())
    assert view.payload == graph and len(view.tambons) == 170 and view.title == "whole graph"


def test_pairs_in_view(seed, coordinated):
    for backend, coordinated_flags in ((seed, [False]), (coordinated, [True])):
        view = scope_graph(payload(backend), Scope("tambon", KALO))
        pairs = scope_pairs(described_pairs(backend), view)
        assert [p.ids for p in pairs] == [("codi_life_plan", "dopa_poverty_survey")]
        assert [p.coordinated for p in pairs] == coordinated_flags
    # codi's view holds no dopa program, so the Kalo pair is not in it
    codi = scope_graph(payload(seed), Scope("agency", "codi"))
    assert scope_pairs(described_pairs(seed), codi) == []


@pytest.mark.parametrize("scope,message", [
    (Scope("tambon", "999999"), "tambon 999999 is not a DOPA tambon code known to geothai"),
    (Scope("tambon", "100101"), "tambon 100101 (พระบรมมหาราชวัง, Phra Borom Maha Ratchawang) is not "
                                "in this graph: no program, group or coordination link of the "
                                "dataset is in it"),
    (Scope("tambon", "8021"), "tambon '8021' is not a 6-digit DOPA tambon code (e.g. 802103 for Kalo)"),
    (Scope("district", "80"), "district '80' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)"),
    (Scope("province", "10"), "province 10 (กรุงเทพมหานคร, Bangkok) is not in this graph: no program, "
                              "group or coordination link of the dataset is in it"),
    (Scope("agency", "cod"), "agency 'cod' is not in this graph; did you mean 'codi'?"),
    (Scope("agency", "nobody at all"), "agency 'nobody at all' is not in this graph"),
    (Scope("agency", "codi_nst"), "'codi_nst' is a Fund, not an agency; --agency takes an agency id"),
])
def test_unknown_scope_is_a_clear_error(seed, scope, message):
    with pytest.raises(ScopeError) as info:
        scope_graph(payload(seed), scope)
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_scope_checks_its_arguments():
    with pytest.raises(ScopeError, match="^unknown scope kind 'village'; one of all, tambon, district, "
                                         "province, agency, nation$"):
        Scope("village", "1")
    with pytest.raises(ScopeError, match="^a scope names a code unless it is 'all' or 'nation'$"):
        Scope("tambon")
    with pytest.raises(ScopeError, match="^a scope names a code unless it is 'all' or 'nation'$"):
        Scope("all", "80")
    with pytest.raises(ScopeError, match="^a scope names a code unless it is 'all' or 'nation'$"):
        Scope("nation", "80")
    assert Scope("nation").slug == "nation"
    assert Scope("tambon", KALO).slug == "tambon-802103"
    assert Scope().slug == "all"
