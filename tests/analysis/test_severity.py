"""Uncoordinated pairs explained and ranked (graphmodel/analysis/severity.py), worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from graphmodel.analysis.areas import Area, area_pairs
from graphmodel.analysis.overlaps import PairRow
from graphmodel.analysis.severity import by_severity, explain, severity, severity_order
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.geo import with_areas
from graphmodel.model import Agency, Dataset, Fund, Funding, Location, Program

from builders import HU_LONG, KALO, OTHER, dataset
from paths import SEED
from test_overlaps import BASE, random_datasets  # two agencies' programs, parallel in Hu Long



def explained(**overrides):
    backend = EmbeddedBackend(dataset(**{**BASE, **overrides}))
    return explain(backend, area_pairs(backend, Area()))


def test_severity_formula_by_hand():
    # 1 x 1 x (1 + log10(1)) = 1; 2 x 3 x (1 + log10(1000)) = 6 x 4 = 24; log10(1 + 99) = 2.
    assert severity(1, 1, 0.0) == 1.0
    assert severity(2, 3, 999.0) == pytest.approx(24.0)
    assert severity(1, 1, 99.0) == pytest.approx(3.0)
    assert severity(1, 1, 9.0) > severity(1, 1, 8.0)  # more money, more severe


def test_money_known_and_unknown_are_added_not_guessed():
    """P: 100,000 baht from one fund; Q: 899,999 known plus a link without an amount.
    Known = 999,999, so 1 + log10(1 + 999,999) = 7; overlap 2005-2006 with 2006-2007 is
    one year, one shared theme: severity 1 x 1 x 7 = 7."""
    ds = with_areas(Dataset(
        agencies=[Agency(id="A1", name="ก", kind="line_agency"), Agency(id="A2", name="ข", kind="special_agency")],
        funds=[Fund(id="F1", name="งบ 1", agency="A1", channel="normal"),
               Fund(id="F2", name="งบ 2", agency="A2", channel="special")],
        programs=[Program(id="P", name="ป", themes=("x",), start_year=2005, end_year=2006),
                  Program(id="Q", name="คิว", themes=("x", "y"), start_year=2006, end_year=2007)],
        funding=[Funding(fund="F1", program="P", amount_thb=100_000.0),
                 Funding(fund="F2", program="Q", amount_thb=899_999.0, fiscal_year=2006),
                 Funding(fund="F2", program="Q", fiscal_year=2007)],
        locations=[Location(program="P", tambon=HU_LONG), Location(program="Q", tambon=HU_LONG)]))
    backend = EmbeddedBackend(ds)
    (e,) = explain(backend, area_pairs(backend, Area())).values()
    assert (e.years, e.themes, e.known_thb, e.unknown_amounts) == (1, 1, 999_999.0, 1)
    assert e.severity == pytest.approx(7.0)
    assert (e.side_a.agencies, e.side_a.channels, e.side_a.budget) == ((("A1", "line_agency"),), ("normal",), 100_000.0)
    assert (e.side_b.channels, e.side_b.budget, e.side_b.unknown_amounts) == (("special",), 899_999.0, 1)
    assert e.to_json()["known_thb"] == 999_999.0


def test_no_money_known_ranks_by_years_and_themes():
    (e,) = explained(programs=[("P", "x;y", 2004, 2007), ("Q", "x;y;z", 2005, 2009)]).values()
    assert (e.years, e.themes, e.known_thb, e.severity) == (3, 2, None, 6.0)


def test_coordinated_pairs_are_not_explained():
    assert explained(coordination=[("A1", "A2")]) == {}


def test_seed_hu_long_every_pair_is_one_year_one_theme_but_the_survey_pair():
    """The seed's amounts are unknown except CODI's welfare and revival grants, which are in
    no uncoordinated pair: so severity = years x themes; the Kalo and Hu Long pairs of the
    life plan and the survey share two themes (2.0), every other Hu Long pair one (1.0)."""
    backend = EmbeddedBackend(read_dataset(SEED))
    found = explain(backend, area_pairs(backend, Area.of(province="80")))
    assert {k: e.severity for k, e in found.items() if e.severity != 1.0} == {
        (HU_LONG, "codi_life_plan", "dopa_poverty_survey"): 2.0,
        (KALO, "codi_life_plan", "dopa_poverty_survey"): 2.0}
    assert len(found) == 8 and all(e.known_thb is None for e in found.values())
    # Most severe first, ties by tambon then ids: Hu Long (801208) before Kalo (802103).
    assert by_severity(found)[:3] == [(HU_LONG, "codi_life_plan", "dopa_poverty_survey"),
                                      (KALO, "codi_life_plan", "dopa_poverty_survey"),
                                      (HU_LONG, "cdd_otop_finance", "doae_farmer_groups")]


def test_severity_order_puts_tambons_by_their_most_severe_pair_and_coordinated_pairs_last():
    """By hand: 200201's pair is ranked first, so 200201 comes first; 100101 next (its best
    pair is second), its uncoordinated pairs by rank (b-c before a-b), then its coordinated
    a-c; 300301, with no uncoordinated pair, last."""
    def pair(tambon, a, b, coordinated=False):
        return PairRow(tambon, a, b, ("t",), 2006, 2006, ("direct_link",) if coordinated else ())

    given = [pair("100101", "a", "b"), pair("100101", "a", "c", coordinated=True), pair("100101", "b", "c"),
             pair("300301", "m", "n", coordinated=True), pair("200201", "x", "y")]
    ranked = [("200201", "x", "y"), ("100101", "b", "c"), ("100101", "a", "b")]
    assert [(p.tambon, p.a, p.b) for p in severity_order(given, ranked)] == [
        ("200201", "x", "y"), ("100101", "b", "c"), ("100101", "a", "b"), ("100101", "a", "c"),
        ("300301", "m", "n")]


# --- linked outside the links that count -------------------------------------------------------

TWO = dict(locations=[("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO)])


def linkage(**overrides):
    return {k: (e.linked_in, e.via) for k, e in explained(**{**BASE, **overrides}).items()}


def test_linked_in_another_tambon_only():
    """A1 - A2 limited to Kalo coordinates the pair in Kalo, not in Hu Long."""
    assert linkage(**TWO, coordination=[("A1", "A2", KALO)]) == {(HU_LONG, "P", "Q"): ((KALO,), ())}


def test_linked_in_through_a_coordinator_half_limited_elsewhere():
    """PLAN - A1 counts only in Kalo, PLAN - A2 everywhere: PLAN coordinates the pair in
    Kalo (clause c); in Hu Long only one of its links counts."""
    found = linkage(**TWO, agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1", KALO), ("PLAN", "A2")])
    assert found == {(HU_LONG, "P", "Q"): ((KALO,), ())}


def test_linked_in_a_tambon_where_the_pair_is_not():
    """A link limited to Other (where neither program is) would coordinate them there: it is named."""
    assert linkage(coordination=[("A1", "A2", OTHER)]) == {(HU_LONG, "P", "Q"): ((OTHER,), ())}


def test_a_limited_link_that_would_not_coordinate_is_not_named():
    """PLAN - A1 limited to Kalo, no link to Q's side anywhere: nothing to name."""
    assert linkage(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1", KALO)]) == {
        (HU_LONG, "P", "Q"): ((), ())}


def test_via_a_chain_of_three_links():
    """A1 - X - Z - A2: X is linked to A1's stake, Z to A2's, and X - Z: the rule stops at one
    coordinator, so the pair is uncoordinated, linked only via X and Z."""
    found = linkage(agencies=["A1", "A2", "X", "Z"], coordination=[("A1", "X"), ("X", "Z"), ("Z", "A2")])
    assert found == {(HU_LONG, "P", "Q"): ((), ("X", "Z"))}


def test_via_the_smallest_chain_by_id_and_sides_in_order():
    """Two chains, A1 - Y - W - Q and A1 - X - Z - A2: via (X, Z) < (Y, W); X on P's side."""
    found = linkage(agencies=["A1", "A2", "W", "X", "Y", "Z"],
                    coordination=[("A1", "Y"), ("Y", "W"), ("W", "Q"), ("A1", "X"), ("X", "Z"), ("Z", "A2")])
    assert found == {(HU_LONG, "P", "Q"): ((), ("X", "Z"))}


@pytest.mark.parametrize("links", [
    pytest.param([("A1", "X"), ("X", "Y"), ("Y", "Z"), ("Z", "A2")], id="four-links"),
    pytest.param([("A1", "X"), ("X", "Z", KALO), ("Z", "A2")], id="middle-link-limited-elsewhere"),
])
def test_chains_that_are_not_three_counting_links_are_not_named(links):
    """Four links are one too many; and a middle link limited to Kalo does not count in Hu
    Long. Kalo is not named either: there the chain is still three links (not coordination),
    and its Kalo link touches no stake."""
    found = linkage(agencies=["A1", "A2", "X", "Y", "Z"], coordination=links)
    assert found == {(HU_LONG, "P", "Q"): ((), ())}


# --- against a brute-force reading of the definitions ---------------------------------------------

def brute_linkage(ds: Dataset, t: str, a: str, b: str) -> tuple[list[str], list[str]]:
    """linked_in and via straight from the definitions, over the dataset's rows."""
    fund_agency = {f.id: f.agency for f in ds.funds}

    def stake(p: str) -> set[str]:
        out = {p} | {fund_agency[x.fund] for x in ds.funding if x.program == p}
        return out | {x.implementer for x in ds.implementation if x.program == p}

    def near(nodes: set[str], y: str) -> set[str]:
        out = set()
        for c in ds.coordination:
            if c.tambon is None or c.tambon == y:
                if c.a in nodes:
                    out.add(c.b)
                if c.b in nodes:
                    out.add(c.a)
        return out

    sa, sb = stake(a), stake(b)
    ys = sorted({c.tambon for c in ds.coordination if c.tambon and c.tambon != t and ({c.a, c.b} & (sa | sb))})
    linked_in = [y for y in ys if near(sa, y) & sb or near(sa, y) & near(sb, y)]
    both = sa | sb
    chains = sorted((x, z) for x in near(sa, t) - both for z in near({x}, t) & (near(sb, t) - both))
    return linked_in, list(chains[0]) if chains else []


@settings(max_examples=150, deadline=None)
@given(random_datasets())
def test_linkage_equals_the_definitions(ds):
    backend = EmbeddedBackend(ds)
    found = [p for p in area_pairs(backend, Area()) if not p.coordinated]
    for e in explain(backend, found).values():
        assert (list(e.linked_in), list(e.via)) == brute_linkage(ds, e.tambon, e.a, e.b), e.key
