"""Pilots and the normal system (graphmodel/analysis/pilots.py: ``pilots``, ``pilot_gaps``), worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.registry import rows
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.geo import with_areas
from graphmodel.model import Agency, Coordination, Dataset, Fund, Funding, Group, Implementation, Location, Program

from builders import HU_LONG, KALO, OTHER
from paths import SEED, SEED_COORDINATED
from strategies import datasets


def listed(backend, **area):
    return [(r["tambon"], r["program"]) for r in rows(backend, "pilots", area)]


def test_seed_hu_long_and_kalo_by_hand():
    """Hu Long (801208): the CODI programs share codi (the fund's manager), and codi_revival's
    savings group also implements cdd_otop_finance (a normal program): the three CODI pilots
    reach the normal system; the survey is run by dopa, a line agency. TRF's research and
    ThaiHealth's healthy tambon have only their own agency and no link: listed. Kalo
    (802103): the life plan (codi, the Kalo village fund network) touches nothing else there;
    the survey reaches dopa. Every other tambon holds only the life plan: listed."""
    b = EmbeddedBackend(read_dataset(SEED))
    assert listed(b, tambon=HU_LONG) == [(HU_LONG, "thaihealth_healthy_tambon"), (HU_LONG, "trf_local_research")]
    assert listed(b, tambon=KALO) == [(KALO, "codi_life_plan")]
    everything = listed(b)
    assert len(everything) == 2 + 169  # the life plan is in 170 tambons; Hu Long's reaches
    (row,) = [r for r in rows(b, "pilots", {"tambon": HU_LONG}) if r["program"] == "trf_local_research"]
    assert row == {"tambon": HU_LONG, "program": "trf_local_research", "pilot": True, "channels": ["special"],
                   "agencies": ["trf"], "normal_programs": 5}


def test_the_writers_remedy_reaches_every_pilot():
    """nst_planning linked to every agency (no tambon) joins each pilot's agency to the line agencies."""
    assert listed(EmbeddedBackend(read_dataset(SEED_COORDINATED))) == []


def test_seed_gaps_in_hu_long_by_hand():
    """Hu Long's normal programs (doae, moph, cdd, nfe, the TAO's plan) cover farmer_groups,
    occupation, health, community_finance, learning, community_planning. The pilots' other
    themes: community_welfare (codi_welfare), community_organization (codi_revival),
    poverty_data (life plan, survey), local_research (TRF); health is covered (moph)."""
    found = list(rows(EmbeddedBackend(read_dataset(SEED)), "pilot_gaps", {"tambon": HU_LONG}))
    assert [(r["theme"], r["pilots"], r["normal_programs"]) for r in found] == [
        ("community_organization", ["codi_revival"], 5), ("community_welfare", ["codi_welfare"], 5),
        ("local_research", ["trf_local_research"], 5),
        ("poverty_data", ["codi_life_plan", "dopa_poverty_survey"], 5)]


# --- the definitions, one at a time ----------------------------------------------------------------

def build(programs, *, agencies=(), funds=(), funding=(), implementation=(), locations=(), coordination=(),
          groups=()):
    """programs: (id, themes, pilot); agencies: (id, kind); funds: (id, agency, channel)."""
    return EmbeddedBackend(with_areas(Dataset(
        agencies=[Agency(id=a, name=a, kind=k) for a, k in agencies],
        funds=[Fund(id=f, name=f, agency=a, channel=c) for f, a, c in funds],
        programs=[Program(id=p, name=p, themes=tuple(t.split(";")), start_year=2006, end_year=2006, pilot=pilot)
                  for p, t, pilot in programs],
        groups=[Group(id=g, name=g, kind="group", tambon=t) for g, t in groups],
        funding=[Funding(fund=f, program=p) for f, p in funding],
        implementation=[Implementation(implementer=i, program=p) for i, p in implementation],
        locations=[Location(program=p, tambon=t) for p, t in locations],
        coordination=[Coordination(a=c[0], b=c[1], tambon=c[2] if len(c) > 2 else None) for c in coordination])))


AGENCIES = [("sp", "special_agency"), ("lg", "local_government"), ("line", "line_agency"),
            ("prov", "provincial"), ("x", "civil_society"), ("y", "academic")]
FUNDS = [("f_sp", "sp", "special"), ("f_ceo", "prov", "ceo"), ("f_none", "prov", None), ("f_norm", "prov", "normal")]


@pytest.mark.parametrize("funding, pilot, is_pilot", [
    pytest.param([("f_sp", "P")], None, True, id="special-only"),
    pytest.param([("f_sp", "P"), ("f_ceo", "P")], None, True, id="special-and-ceo"),
    pytest.param([("f_sp", "P"), ("f_none", "P")], None, False, id="a-fund-without-channel"),
    pytest.param([("f_sp", "P"), ("f_norm", "P")], None, False, id="a-normal-fund"),
    pytest.param([], None, False, id="no-funding"),
    pytest.param([], True, True, id="pilot-true"),
    pytest.param([("f_norm", "P")], True, True, id="pilot-true-on-normal-money"),
])
def test_what_is_a_pilot(funding, pilot, is_pilot):
    b = build([("P", "t", pilot)], agencies=AGENCIES, funds=FUNDS, funding=funding,
              implementation=[("x", "P")], locations=[("P", HU_LONG)])
    assert listed(b) == ([(HU_LONG, "P")] if is_pilot else [])


def reach(*, implementation, coordination=(), locations=(), programs=(), funding=(), groups=()):
    """Is the pilot P (funded by sp's special fund, in Hu Long) listed?"""
    b = build([("P", "t", True), *programs], agencies=AGENCIES, funds=FUNDS, funding=[("f_sp", "P"), *funding],
              implementation=implementation, coordination=coordination, groups=groups,
              locations=[("P", HU_LONG), *locations])
    return listed(b) == [(HU_LONG, "P")]


def test_a_line_agency_running_the_pilot_is_the_normal_system():
    assert not reach(implementation=[("line", "P")])


def test_a_shared_group_reaches_a_local_program():
    """G implements P and L (run by the TAO) in Hu Long: P - G - L - lg."""
    assert not reach(implementation=[("G", "P"), ("G", "L"), ("lg", "L")], groups=[("G", HU_LONG)],
                     programs=[("L", "u", False)], locations=[("L", HU_LONG)])


def test_a_chain_of_links_of_any_length():
    """sp - x - y - line: three links, any length counts (unlike the rule's one coordinator)."""
    assert not reach(implementation=[], coordination=[("sp", "x"), ("x", "y"), ("y", "line")])


def test_a_link_limited_to_another_tambon_does_not_count():
    assert reach(implementation=[], coordination=[("sp", "line", KALO)])
    assert not reach(implementation=[], coordination=[("sp", "line", HU_LONG)])


def test_a_program_located_elsewhere_is_no_bridge():
    """sp also funds W, run by the line agency, but W is in Other: in Hu Long nothing joins sp to line."""
    assert reach(implementation=[("line", "W")], programs=[("W", "t", False)], funding=[("f_sp", "W")],
                 locations=[("W", OTHER)])
    assert not reach(implementation=[("line", "W")], programs=[("W", "t", False)], funding=[("f_sp", "W")],
                     locations=[("W", HU_LONG)])


def test_a_normal_program_by_its_channel_is_a_target():
    """N is funded by prov's normal fund (prov is provincial, not a normal actor): N is a normal
    program. P's agency linked to prov reaches N through prov's fund."""
    assert not reach(implementation=[], coordination=[("sp", "prov")], programs=[("N", "u", False)],
                     funding=[("f_norm", "N")], locations=[("N", HU_LONG)])
    # A link to prov alone, with no normal program of prov's in the tambon, reaches nothing.
    assert reach(implementation=[], coordination=[("sp", "prov")])


def test_a_fund_named_by_a_link_joins_its_manager():
    """x - f_norm (a link to the fund) reaches prov, which manages it, and prov's normal program N."""
    assert not reach(implementation=[("x", "P")], coordination=[("x", "f_norm")], programs=[("N", "u", False)],
                     funding=[("f_norm", "N")], locations=[("N", HU_LONG)])


def test_gaps_count_normal_programs_on_any_theme():
    b = build([("P", "a;b", True), ("N", "b", False)], agencies=AGENCIES, funds=FUNDS,
              implementation=[("x", "P"), ("lg", "N")], locations=[("P", HU_LONG), ("N", HU_LONG), ("P", KALO)])
    assert [(r["theme"], r["tambon"], r["pilots"], r["normal_programs"]) for r in rows(b, "pilot_gaps")] == [
        ("a", HU_LONG, ["P"], 1), ("a", KALO, ["P"], 0), ("b", KALO, ["P"], 0)]
    assert list(rows(b, "pilot_gaps", {"district": "8021"})) == [
        {"theme": "a", "tambon": KALO, "pilots": ["P"], "normal_programs": 0},
        {"theme": "b", "tambon": KALO, "pilots": ["P"], "normal_programs": 0}]


# --- pilots_without_normal_partner: the same pilots and normal system, a partner one step away ---------

def partnerless(b, **area):
    return [(r["tambon"], r["program"], r["normal_agencies"])
            for r in rows(b, "pilots_without_normal_partner", area)]


def test_partners_in_kalo_by_hand():
    """Kalo (802103) holds the life plan (codi, its village fund network) and the survey (dopa,
    nst_governor, yamna), both pilots: no normal program. Its normal agencies are the normal
    actors working there: dopa, a line agency. The survey is run by dopa (1); nothing joins the
    life plan's stake to dopa (the dopa - yamna link touches the survey's side only)."""
    b = EmbeddedBackend(read_dataset(SEED))
    assert partnerless(b, tambon=KALO) == [(KALO, "codi_life_plan", ["dopa"])]


def test_a_program_funded_only_by_special_money_is_a_pilot_here_too():
    """The same definition of a pilot as `pilots`: without the flag, special money only."""
    b = build([("P", "t", None), ("L", "t", False)], agencies=AGENCIES, funds=FUNDS,
              funding=[("f_sp", "P")], implementation=[("lg", "L")], locations=[("P", HU_LONG), ("L", HU_LONG)])
    assert partnerless(b) == [(HU_LONG, "P", ["lg"])]
    assert listed(b) == [(HU_LONG, "P")]


def test_a_partner_two_links_away_is_none_but_the_path_is_a_path():
    """sp - x - y - lg: no partner (a partner is at most one node between), but a path: the pilot
    is listed without a partner, and not by `pilots`."""
    b = build([("P", "t", True), ("L", "t", False)], agencies=AGENCIES, funds=FUNDS, funding=[("f_sp", "P")],
              implementation=[("lg", "L")], locations=[("P", HU_LONG), ("L", HU_LONG)],
              coordination=[("sp", "x"), ("x", "y"), ("y", "lg")])
    assert partnerless(b) == [(HU_LONG, "P", ["lg"])] and listed(b) == []
    b = build([("P", "t", True), ("L", "t", False)], agencies=AGENCIES, funds=FUNDS, funding=[("f_sp", "P")],
              implementation=[("lg", "L")], locations=[("P", HU_LONG), ("L", HU_LONG)],
              coordination=[("sp", "x"), ("x", "lg")])
    assert partnerless(b) == [] and listed(b) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets())
def test_every_pilot_without_a_path_has_no_partner(ds):
    """A partner is a path to the normal system: what `pilots` lists, `pilots_without_normal_partner`
    lists too (on random datasets; the twins are held equal elsewhere)."""
    b = EmbeddedBackend(ds)
    no_path = set(listed(b))
    no_partner = {(t, p) for t, p, _ in partnerless(b)}
    assert no_path <= no_partner
