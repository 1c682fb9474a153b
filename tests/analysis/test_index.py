"""The coordination index, brokers and betweenness (graphmodel/analysis/index.py), worked by hand."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from graphmodel.analysis.areas import Area
from graphmodel.analysis.index import betweenness, brokers, coordination_index
from graphmodel.analysis.registry import rows
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.geo import with_areas
from graphmodel.model import Agency, Coordination, Dataset, Fund, Funding, Location, Program

from builders import HU_LONG, KALO, OTHER, dataset
from paths import SEED, SEED_COORDINATED


def test_seed_profile_by_hand():
    """Hu Long: 11 programs located, whose agencies are codi (3 programs), dopa, nst_governor,
    yamna (the survey), doae, moph, cdd, nfe, tao_hulong, trf, thaihealth: 11. Kalo: the life
    plan (codi) and the survey (3): 4. Pak Phanang (8012): the life plan in its 18 tambons
    801201-801218, Hu Long's 10 other programs: 11 programs, 11 agencies; per tambon 11 in Hu
    Long and 1 (codi) in the 17 others: 28."""
    b = EmbeddedBackend(read_dataset(SEED))
    by_tambon = {r["area"]: r for r in rows(b, "area_profile", {"by": "tambon", "district": "8021"})}
    assert by_tambon[KALO] == {"area": KALO, "tambons": 1, "programs": 2, "agencies": 4, "tambon_agencies": 4}
    (pak_phanang,) = rows(b, "area_profile", {"by": "district", "district": "8012"})
    assert pak_phanang == {"area": "8012", "tambons": 18, "programs": 11, "agencies": 11, "tambon_agencies": 28}
    (nst,) = rows(b, "area_profile", {"by": "province"})
    assert (nst["area"], nst["tambons"], nst["programs"], nst["agencies"]) == ("80", 170, 11, 11)


def test_seed_index_of_pak_phanang():
    """8 parallel pairs in Hu Long, 7 uncoordinated (the 8th, cdd_otop_finance - codi_revival,
    shares the savings group); no amount known in those 7: 0 baht, 8 programs with money unknown."""
    (row,) = coordination_index(EmbeddedBackend(read_dataset(SEED)), Area.of(district="8012"), by="district")
    assert (row.tambons, row.programs, row.pairs, row.uncoordinated) == (18, 11, 8, 7)
    assert row.agencies_per_tambon == pytest.approx(28 / 18)
    assert row.share_coordinated == pytest.approx(1 / 8)
    assert (row.money_thb, row.money_programs, row.money_unknown) == (0.0, 8, 8)


def money_dataset():
    """P (A1, 100,000 baht) and Q (A2, amount unknown) parallel and unlinked in Hu Long and
    Kalo; R (A3, 50,000) and S (A4, 30,000) parallel in Other but linked (A3 - A4)."""
    return with_areas(Dataset(
        agencies=[Agency(id=f"A{i}", name=f"A{i}", kind="line_agency") for i in range(1, 5)],
        funds=[Fund(id=f"F{i}", name=f"F{i}", agency=f"A{i}") for i in range(1, 5)],
        programs=[Program(id=p, name=p, themes=("x",), start_year=2006, end_year=2006) for p in "PQRS"],
        funding=[Funding(fund="F1", program="P", amount_thb=100_000.0), Funding(fund="F2", program="Q"),
                 Funding(fund="F3", program="R", amount_thb=50_000.0),
                 Funding(fund="F4", program="S", amount_thb=30_000.0)],
        locations=[Location(program=p, tambon=t) for p, t in
                   [("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO), ("R", OTHER), ("S", OTHER)]],
        coordination=[Coordination(a="A3", b="A4")]))


def test_money_in_uncoordinated_pairs_counts_each_program_once_per_area():
    """By province (80): pairs P-Q in Hu Long and in Kalo (uncoordinated) and R-S in Other
    (coordinated): 3 pairs, 2 uncoordinated; P's 100,000 once, Q unknown; R and S not counted."""
    (row,) = coordination_index(EmbeddedBackend(money_dataset()), Area(), by="province")
    assert (row.pairs, row.uncoordinated, row.money_thb, row.money_programs, row.money_unknown) == (
        3, 2, 100_000.0, 2, 1)
    assert row.share_coordinated == pytest.approx(1 / 3)
    by_tambon = coordination_index(EmbeddedBackend(money_dataset()), Area(), by="tambon")
    assert [(r.area, r.pairs, r.uncoordinated, r.money_thb) for r in by_tambon] == [
        (OTHER, 1, 0, 0.0), (HU_LONG, 1, 1, 100_000.0), (KALO, 1, 1, 100_000.0)]


def test_an_area_without_pairs_has_no_share():
    (row,) = coordination_index(EmbeddedBackend(money_dataset()), Area.of(tambon=OTHER), by="tambon")
    assert (row.pairs, row.share_coordinated) == (1, 1.0)
    ds = dataset(agencies=["A1"], programs=[("P", "x", 2006, 2006)], implementation=[("A1", "P")],
                 locations=[("P", HU_LONG)])
    (alone,) = coordination_index(EmbeddedBackend(ds), Area(), by="tambon")
    assert (alone.programs, alone.pairs, alone.share_coordinated) == (1, 0, None)


# --- brokers -----------------------------------------------------------------------------------------

def test_brokers_of_the_coordinated_seed():
    """nst_planning is linked to codi, dopa, doae, moph, cdd, nfe, trf, thaihealth and the TAO:
    it coordinates all 8 Hu Long pairs and the Kalo pair (clause c), 9; dopa - yamna joins two
    members of one stake and coordinates nothing."""
    found = brokers(EmbeddedBackend(read_dataset(SEED_COORDINATED)), Area.of(province="80"))
    assert [(b.id, b.pairs, b.as_link_end, b.as_coordinator) for b in found] == [("nst_planning", 9, 0, 9)]
    assert brokers(EmbeddedBackend(read_dataset(SEED)), Area()) == []  # only a shared group there


def test_brokers_count_link_ends_and_coordinators_once_per_pair():
    """P (A1) and Q (A2) in Hu Long and Kalo, linked A1 - A2 (everywhere) and both to PLAN:
    each pair is coordinated by clause b, ends A1 and A2, and clause c: the nodes linked to
    both stakes are PLAN only (A1's links reach A2 and PLAN, A2's reach A1 and PLAN). So A1,
    A2 and PLAN account for 2 pairs each."""
    ds = dataset(agencies=["A1", "A2", "PLAN"], programs=[("P", "x", 2006, 2006), ("Q", "x", 2006, 2006)],
                 implementation=[("A1", "P"), ("A2", "Q")],
                 locations=[("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO)],
                 coordination=[("A1", "A2"), ("PLAN", "A1"), ("PLAN", "A2")])
    found = brokers(EmbeddedBackend(ds), Area())
    assert [(b.id, b.pairs, b.as_link_end, b.as_coordinator) for b in found] == [
        ("A1", 2, 2, 0), ("A2", 2, 2, 0), ("PLAN", 2, 0, 2)]


# --- betweenness ---------------------------------------------------------------------------------------

def test_seed_broker_network_by_hand():
    """Programs with two or more agencies and groups join them: codi_revival (codi, its team,
    the savings and occupation groups), codi_life_plan (codi, the Kalo fund network), the
    survey (dopa, nst_governor, yamna; and the dopa - yamna link), cdd_otop_finance (cdd, the
    savings group), nfe_occupation_learning (nfe, the occupation group), doae_farmer_groups,
    moph_strong_thailand (their agency and group)."""
    found = {(r["a"], r["b"]) for r in rows(EmbeddedBackend(read_dataset(SEED)), "broker_network")}
    expected = {("codi", "codi_revival"), ("codi_revival", "hulong_revival_team"),
                ("codi_revival", "hulong_savings_group"), ("codi_revival", "hulong_occupation_group"),
                ("codi", "codi_life_plan"), ("codi_life_plan", "kalo_village_fund_network"),
                ("dopa", "dopa_poverty_survey"), ("dopa_poverty_survey", "nst_governor"),
                ("dopa_poverty_survey", "yamna"), ("dopa", "yamna"),
                ("cdd", "cdd_otop_finance"), ("cdd_otop_finance", "hulong_savings_group"),
                ("hulong_occupation_group", "nfe_occupation_learning"), ("nfe", "nfe_occupation_learning"),
                ("doae", "doae_farmer_groups"), ("doae_farmer_groups", "hulong_farmer_group"),
                ("hulong_health_volunteers", "moph_strong_thailand"), ("moph", "moph_strong_thailand")}
    assert found == expected


def test_seed_betweenness_by_hand():
    """The CODI part is a tree of 11 nodes: removing codi leaves {life plan, Kalo network} (2)
    and 8 others, so 2 x 8 = 16 shortest paths pass through it; the savings group splits off
    {cdd_otop_finance, cdd} (2) from 8: 16; the occupation group likewise 16. Every other
    actor is a leaf of its part, or (dopa, yamna) joined directly to its neighbours: 0. Of the
    21 nodes with an edge, the 18 edges above; tao_hulong, trf and thaihealth have none."""
    c = betweenness(EmbeddedBackend(read_dataset(SEED)), Area(), top=4)
    assert c.method == "igraph" and c.nodes == 21
    assert c.scores[:3] == (("codi", 16.0), ("hulong_occupation_group", 16.0), ("hulong_savings_group", 16.0))
    assert c.scores[3] == ("cdd", 0.0)


def brute_force_betweenness(edges) -> dict[str, float]:
    """Betweenness by listing every shortest path between every pair (an independent method)."""
    g = nx.Graph(edges)
    score = dict.fromkeys(g, 0.0)
    for s, t in combinations(g, 2):
        if not nx.has_path(g, s, t):
            continue
        paths = list(nx.all_shortest_paths(g, s, t))
        for path in paths:
            for v in path[1:-1]:
                score[v] += 1 / len(paths)
    return score


def test_coordinated_seed_betweenness_by_listing_every_shortest_path():
    b = EmbeddedBackend(read_dataset(SEED_COORDINATED))
    edges = [(r["a"], r["b"]) for r in rows(b, "broker_network")]
    labels = {r[k]: r[k + "_label"] for r in rows(b, "broker_network") for k in ("a", "b")}
    expected = sorted(((x, s) for x, s in brute_force_betweenness(edges).items()
                       if labels[x] in ("Agency", "Group")), key=lambda xs: (-xs[1], xs[0]))
    c = betweenness(b, Area(), top=100)
    assert [x for x, _ in c.scores] == [x for x, _ in expected]
    assert [s for _, s in c.scores] == pytest.approx([s for _, s in expected])
    assert c.scores[0][0] == "nst_planning"  # linked to every agency: the hub


def test_network_joins_outside_nodes_only_as_bridges():
    """PLAN (in no stake) is linked to A1 and A2: it joins. NET is linked to A1 only: it does
    not. A link to a fund stands for its manager (F3 -> A3); a link to a program for its
    agencies (P -> A1)."""
    ds = dataset(agencies=["A1", "A2", "A3", "PLAN", "NET"], funds=[("F3", "A3")],
                 programs=[("P", "x", 2006, 2006), ("Q", "x", 2006, 2006), ("R", "x", 2006, 2006)],
                 implementation=[("A1", "P"), ("A2", "Q"), ("A3", "R")], funding=[("F3", "R")],
                 locations=[("P", HU_LONG), ("Q", HU_LONG), ("R", HU_LONG)],
                 coordination=[("PLAN", "A1"), ("PLAN", "A2"), ("NET", "A1"), ("F3", "P")])
    found = [(r["a"], r["b"]) for r in rows(EmbeddedBackend(ds), "broker_network")]
    assert found == [("A1", "A3"), ("A1", "PLAN"), ("A2", "PLAN")]


def test_betweenness_skipped_above_the_limit():
    c = betweenness(EmbeddedBackend(read_dataset(SEED)), Area(), limit=10)
    assert (c.method, c.nodes, c.scores) == ("skipped", 21, ())
    assert c.note == "the broker network of all tambons has 21 nodes, more than 10 (give --province or --district)"


def test_unknown_level_is_refused():
    from graphmodel.errors import QueryError

    with pytest.raises(QueryError, match="by 'county': one of tambon, district, province"):
        list(rows(EmbeddedBackend(read_dataset(SEED)), "area_profile", {"by": "county"}))


def test_igraph_equals_networkx_on_a_generated_province(synth_dir):
    """The scores igraph computes equal networkx's Brandes (an independent implementation)."""
    b = EmbeddedBackend(read_dataset(synth_dir))
    found = list(rows(b, "broker_network", {"province": "83"}))
    labels = {r[k]: r[k + "_label"] for r in found for k in ("a", "b")}
    expected = nx.betweenness_centrality(nx.Graph([(r["a"], r["b"]) for r in found]), normalized=False)
    c = betweenness(b, Area.of(province="83"), top=10_000)
    assert c.nodes == len(expected) > 100
    assert dict(c.scores) == pytest.approx({x: s for x, s in expected.items() if labels[x] in ("Agency", "Group")})
    assert c.scores[0][1] > 0
