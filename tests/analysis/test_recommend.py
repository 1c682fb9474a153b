"""Recommended links (graphmodel/analysis/recommend.py): worked by hand, checked by re-running the rule.

A link "resolves" a pair when adding it to the graph makes the pair
coordinated by the overlaps rule. These tests add the recommended links to
the dataset as coordination rows and run the rule itself again
(graphmodel.analysis.overlaps.parallel_pairs), so the greedy's bookkeeping is
checked against the rule, not against itself; and on small instances they
try every combination of candidates the same way.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
import tempfile

import pytest
from hypothesis import given, settings

from graphmodel.analysis.areas import Area, area_pairs, pair_param_rows
from graphmodel.analysis.overlaps import parallel_pairs
from graphmodel.analysis.recommend import EXHAUSTIVE_LIMIT, Link, Resolver, recommend
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Coordination, Dataset
from graphmodel.errors import ArgumentError

from builders import HU_LONG, KALO, dataset
from paths import SEED
from strategies import dataset_folders, write_dataset


def uncoordinated(ds: Dataset, area: Area, links=()) -> int:
    """The rule, re-run on ``ds`` with ``links`` added as coordination rows."""
    added = [Coordination(a=l.a, b=l.b, tambon=l.tambon) for l in links]
    backend = EmbeddedBackend(ds.model_copy(update={"coordination": [*ds.coordination, *added]}))
    return sum(1 for p in parallel_pairs(backend) if not p.coordinated and area.contains(p.tambon))


def check_steps_against_the_rule(ds: Dataset, area: Area, r) -> None:
    """Each step's 'resolves' and 'remaining' are what the rule gives with the links so far."""
    before = uncoordinated(ds, area)
    assert r.uncoordinated == before
    for i, step in enumerate(r.steps, 1):
        after = uncoordinated(ds, area, [s.link for s in r.steps[:i]])
        assert (step.resolves, step.remaining) == (before - after, after), step
        before = after


def resolver(ds: Dataset, area: Area) -> Resolver:
    backend = EmbeddedBackend(ds)
    found = [p for p in area_pairs(backend, area) if not p.coordinated]
    return Resolver(found, pair_param_rows(backend, "link_ends", found))


# --- worked by hand --------------------------------------------------------------------------------

# Three agencies, one program each, one theme, one tambon: three uncoordinated pairs.
TRIANGLE = dict(agencies=["a", "b", "c"],
                programs=[("pa", "x", 2006, 2006), ("pb", "x", 2006, 2006), ("pc", "x", 2006, 2006)],
                implementation=[("a", "pa"), ("b", "pb"), ("c", "pc")],
                locations=[("pa", HU_LONG), ("pb", HU_LONG), ("pc", HU_LONG)])


def test_triangle_two_links_through_one_agency():
    """a - b resolves pa-pb; then a - c resolves pa-pc directly and pb-pc through a,
    now linked to both (clause c): two links for three pairs. The program nodes pa, pb,
    pc do what their agencies do (dominated): the candidates are a-b, a-c, b-c."""
    ds = dataset(**TRIANGLE)
    r = recommend(EmbeddedBackend(ds), Area.of(tambon=HU_LONG), k=5)
    assert [(s.link, s.resolves, s.remaining) for s in r.steps] == [
        (Link("a", "b", HU_LONG), 1, 2), (Link("a", "c", HU_LONG), 2, 0)]
    assert (r.candidates, r.optimum, r.greedy_optimal) == (3, 3, True)
    check_steps_against_the_rule(ds, Area.of(tambon=HU_LONG), r)


def test_seed_hu_long_no_single_link_resolves_the_seven_pairs():
    """Which single link resolves Hu Long's seven pairs? None. Worked from the seed CSVs:

    The seven uncoordinated pairs in Hu Long (801208) form two triangles and a pair:
    occupation: cdd_otop_finance, doae_farmer_groups, nfe_occupation_learning (3 pairs);
    planning: codi_life_plan, dopa_poverty_survey, tao_hulong_plan (3 pairs);
    health: moph_strong_thailand, thaihealth_healthy_tambon (1 pair).
    Their stakes: {cdd_otop_finance, cdd, hulong_savings_group}, {doae_farmer_groups, doae,
    hulong_farmer_group}, {nfe_occupation_learning, nfe, hulong_occupation_group},
    {codi_life_plan, codi, kalo_village_fund_network}, {dopa_poverty_survey, dopa,
    nst_governor, yamna}, {tao_hulong_plan, tao_hulong}, {moph_strong_thailand, moph,
    hulong_health_volunteers}, {thaihealth_healthy_tambon, thaihealth}. No node is in two of
    these eight stakes, and the seed's only link (dopa - yamna) lies inside one stake. So a
    new link resolves a pair only by joining the pair's two stakes (clause b; clause c would
    need a node already linked to another stake): one link, one pair. Each triangle needs two
    links (cdd - doae, then cdd - nfe resolves cdd-nfe and, through cdd, doae-nfe), the
    health pair one: five links at least, and four resolve at most six (a link touches two
    of the eight programs' stakes; four links reaching all eight would be disjoint, and
    disjoint links resolve one pair each).
    """
    ds = read_dataset(SEED)
    area = Area.of(tambon=HU_LONG)
    one = recommend(EmbeddedBackend(ds), area, k=1)
    assert (one.uncoordinated, one.steps[0].resolves, one.optimum) == (7, 1, 1)
    r = resolver(ds, area)
    assert sorted((o.a, o.b) for o in r.options) == [
        ("cdd", "doae"), ("cdd", "nfe"), ("codi", "dopa"), ("codi", "tao_hulong"), ("doae", "nfe"),
        ("dopa", "tao_hulong"), ("moph", "thaihealth")]
    assert (r.optimum(4), r.optimum(5)) == (6, 7)
    five = recommend(EmbeddedBackend(ds), area, k=10)
    assert [(s.link.a, s.link.b, s.resolves) for s in five.steps] == [
        ("cdd", "doae", 1), ("cdd", "nfe", 2), ("codi", "dopa", 1), ("codi", "tao_hulong", 2),
        ("moph", "thaihealth", 1)]
    assert five.greedy_optimal is True
    check_steps_against_the_rule(ds, area, five)


def test_seed_province_one_link_for_kalo_and_hu_long():
    """codi (life plan) and dopa (survey) are in the same two stakes in Kalo and in Hu Long:
    one province-wide link resolves both pairs, more than a link limited to either tambon."""
    ds = read_dataset(SEED)
    r = recommend(EmbeddedBackend(ds), Area.of(province="80"), k=10)
    assert (r.steps[0].link, r.steps[0].resolves) == (Link("codi", "dopa", None), 2)
    assert (r.uncoordinated, r.resolved, len(r.steps)) == (8, 8, 5)
    check_steps_against_the_rule(ds, Area.of(province="80"), r)


# P {b}, Q {d}, R {c}, S {a}, T {a, d}, U {a, c}: one theme, one tambon. Pairs (no shared
# agency): P-Q, P-R, P-S, P-T, P-U, Q-R, Q-S, Q-U, R-S, R-T (ten).
GREEDY_TRAP = dict(
    agencies=["a", "b", "c", "d"],
    programs=[(p, "x", 2006, 2006) for p in "PQRSTU"],
    implementation=[("b", "P"), ("d", "Q"), ("c", "R"), ("a", "S"), ("a", "T"), ("d", "T"), ("a", "U"),
                    ("c", "U")],
    locations=[(p, HU_LONG) for p in "PQRSTU"])


def test_greedy_is_not_optimal_and_says_so():
    """Alone, a - b resolves P-S, P-T, P-U (3) and c - d resolves Q-R, R-T, Q-U (3), the
    others two each. The tie goes to a - b (smaller ids); after it every link resolves 3
    more: 6. But c - d then b - d resolves 3 + 4 (b - d: P-Q directly, P-T directly, and
    through d, now linked to c: P-R and P-U): 7."""
    ds = dataset(**GREEDY_TRAP)
    area = Area.of(tambon=HU_LONG)
    r = recommend(EmbeddedBackend(ds), area, k=2)
    assert r.steps[0].link == Link("a", "b", HU_LONG)
    assert (r.uncoordinated, r.candidates, r.resolved, r.optimum, r.greedy_optimal) == (10, 6, 6, 7, False)
    check_steps_against_the_rule(ds, area, r)
    assert uncoordinated(ds, area, [Link("c", "d", HU_LONG), Link("b", "d", HU_LONG)]) == 3


def test_an_existing_coordinator_ends_the_best_link():
    """PLAN is linked to A1 (P, theme x) and B1 (R, theme y); Q (A2) has both themes. PLAN - A2
    resolves P-Q and Q-R at once (PLAN becomes their shared coordinator); any agency link one."""
    ds = dataset(agencies=["A1", "A2", "B1", "PLAN"],
                 programs=[("P", "x", 2006, 2006), ("Q", "x;y", 2006, 2006), ("R", "y", 2006, 2006)],
                 implementation=[("A1", "P"), ("A2", "Q"), ("B1", "R")],
                 locations=[("P", HU_LONG), ("Q", HU_LONG), ("R", HU_LONG)],
                 coordination=[("PLAN", "A1"), ("PLAN", "B1")])
    r = recommend(EmbeddedBackend(ds), Area.of(tambon=HU_LONG), k=1)
    assert [(s.link, s.resolves) for s in r.steps] == [(Link("A2", "PLAN", HU_LONG), 2)]
    check_steps_against_the_rule(ds, Area.of(tambon=HU_LONG), r)


def test_a_network_linked_only_to_a_stake_member_is_dominated():
    """NET is linked only to A2, so it reaches what A2 reaches and is in no stake: a link to
    NET never does more than the same link to A2, and NET ends no candidate."""
    ds = dataset(agencies=["A1", "A2", "NET"], programs=[("P", "x", 2006, 2006), ("Q", "x", 2006, 2006)],
                 implementation=[("A1", "P"), ("A2", "Q")], locations=[("P", HU_LONG), ("Q", HU_LONG)],
                 coordination=[("NET", "A2")])
    assert [(o.a, o.b, o.tambon) for o in resolver(ds, Area()).options] == [("A1", "A2", HU_LONG)]


def test_groups_end_no_province_wide_link():
    """G implements P in Hu Long and Kalo, A2 runs Q in both: G - A2 would resolve both pairs
    province-wide, but a group works where it is based: only tambon links with G, while the
    agencies A1 - A2 get a province-wide candidate."""
    ds = dataset(agencies=["A1", "A2"], groups=[("G", HU_LONG)],
                 programs=[("P", "x", 2006, 2006), ("Q", "x", 2006, 2006)],
                 implementation=[("A1", "P"), ("G", "P"), ("A2", "Q")],
                 locations=[("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO)])
    options = resolver(ds, Area()).options
    assert Link("A1", "A2", None) in options and Link("A2", "G", None) not in options
    assert Link("A2", "G", HU_LONG) not in options  # G does in each tambon what A1 does: A1 stays


# --- the rule re-run on random datasets --------------------------------------------------------------

def options_alone_resolve_something(ds: Dataset, r: Resolver, area: Area) -> None:
    before = uncoordinated(ds, area)
    for o in r.options:
        assert uncoordinated(ds, area, [o]) < before, o


def exhaustive_by_the_rule(ds: Dataset, r: Resolver, area: Area, k: int) -> int:
    before = uncoordinated(ds, area)
    size = min(k, len(r.options))
    return max(before - uncoordinated(ds, area, chosen) for chosen in combinations(r.options, size))


@settings(max_examples=40, deadline=None)
@given(files=dataset_folders())
def test_random_datasets_greedy_and_exhaustive_agree_with_the_rule(files):
    with tempfile.TemporaryDirectory() as tmp:
        ds = read_dataset(write_dataset(Path(tmp) / "random", files))
    area = Area()
    r = resolver(ds, area)
    options_alone_resolve_something(ds, r, area)
    for k in (1, 3):
        found = recommend(EmbeddedBackend(ds), area, k=k)
        check_steps_against_the_rule(ds, area, found)
        if found.optimum is not None:
            assert found.optimum == exhaustive_by_the_rule(ds, r, area, k)
            assert found.greedy_optimal == (found.resolved >= found.optimum)
        else:
            assert found.candidates > EXHAUSTIVE_LIMIT


def test_synth_province_steps_agree_with_the_rule(synth_dir):
    ds = read_dataset(synth_dir)
    area = Area.of(district="8301")
    r = recommend(EmbeddedBackend(ds), area, k=3)
    assert r.resolved > 0 and r.optimum is None
    check_steps_against_the_rule(ds, area, r)


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(k):
    with pytest.raises(ArgumentError):
        recommend(EmbeddedBackend(dataset(**TRIANGLE)), Area(), k=k)
