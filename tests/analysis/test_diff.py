"""graphmodel/analysis/diff.py: the seed's before and after, the small case of
tests/analysis/diff_cases.py with each how and why, and random pairs of datasets
against the brute-force reading of the rule (tests/analysis/rule_oracle.py)."""

from __future__ import annotations

import gc
import weakref

from hypothesis import given, settings, strategies as st

from graphmodel.analysis.areas import Area
from graphmodel.analysis.diff import (
    Condition, Held, LinkRef, compare, conditions_failing,
)
from graphmodel.analysis.facts import Facts
from graphmodel.analysis.overlaps import parallel_pairs
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset

from analysis.builders import HU_LONG, KALO
from analysis.diff_cases import expected, snapshot
from analysis.rule_oracle import brute_force
from paths import SEED, SEED_COORDINATED
from strategies import datasets


def seed_diff(area: Area = Area(), **options):
    return compare(lambda: EmbeddedBackend(read_dataset(SEED)),
                   lambda: EmbeddedBackend(read_dataset(SEED_COORDINATED)), area, **options)


def planning(*agencies: str) -> tuple[Held, ...]:
    """The writer's remedy coordinating a pair: nst_planning, linked province-wide (new links) to
    ``agencies`` of the two stakes (seed/nst-2006-coordinated/coordination.csv)."""
    return (Held("shared_coordinator", "nst_planning",
                 tuple(LinkRef(*sorted((a, "nst_planning")), None, True) for a in sorted(agencies))),)


# The seed by hand (docs/analysis.md's stake table, seed/nst-2006-coordinated/coordination.csv):
# every uncoordinated pair of nst-2006 is coordinated in the coordinated seed by the planning
# office, linked to an agency of each stake; the group-shared 9th pair stays out of the lists.
SEED_RESOLVED = [
    (HU_LONG, "cdd_otop_finance", "doae_farmer_groups", planning("cdd", "doae")),
    (HU_LONG, "cdd_otop_finance", "nfe_occupation_learning", planning("cdd", "nfe")),
    (HU_LONG, "codi_life_plan", "dopa_poverty_survey", planning("codi", "dopa", "nst_governor")),
    (HU_LONG, "codi_life_plan", "tao_hulong_plan", planning("codi", "tao_hulong")),
    (HU_LONG, "doae_farmer_groups", "nfe_occupation_learning", planning("doae", "nfe")),
    (HU_LONG, "dopa_poverty_survey", "tao_hulong_plan", planning("dopa", "nst_governor", "tao_hulong")),
    (HU_LONG, "moph_strong_thailand", "thaihealth_healthy_tambon", planning("moph", "thaihealth")),
    (KALO, "codi_life_plan", "dopa_poverty_survey", planning("codi", "dopa", "nst_governor")),
]


def test_seed_before_and_after_eight_resolved_by_the_planning_office():
    d = seed_diff()
    assert [(c.tambon, c.a, c.b, c.detail) for c in d.resolved] == SEED_RESOLVED
    assert {c.reason for c in d.resolved} == {"coordinated"}
    assert (d.appeared, d.remaining, d.renamed) == ((), (), {})
    # Pak Phanang (Hu Long): 8 parallel pairs, 7 uncoordinated; Chian Yai (Kalo): 1 and 1.
    assert [tuple(x) for x in d.districts] == [("8012", 8, 7, 8, 0, 7, 0, 0), ("8021", 1, 1, 1, 0, 1, 0, 0)]
    assert (d.districts[0].old_share, d.districts[0].new_share) == (1 / 8, 1.0)


def test_seed_the_other_way_round_every_pair_appears_as_link_removed():
    d = compare(EmbeddedBackend(read_dataset(SEED_COORDINATED)), EmbeddedBackend(read_dataset(SEED)))
    assert [(c.tambon, c.a, c.b, c.reason) for c in d.appeared] == [
        (t, a, b, "link_removed") for t, a, b, _ in SEED_RESOLVED]
    # What held each pair is named, its links marked gone from NEW (changed).
    assert [c.detail for c in d.appeared] == [held for *_, held in SEED_RESOLVED]
    assert d.resolved == d.remaining == ()


def test_seed_by_area():
    assert [(c.tambon, c.a, c.b) for c in seed_diff(Area.of(tambon=KALO)).resolved] == [
        (KALO, "codi_life_plan", "dopa_poverty_survey")]
    assert len(seed_diff(Area.of(district="8012")).resolved) == 7
    assert [d.district for d in seed_diff(Area.of(district="8012")).districts] == ["8012"]
    assert seed_diff(Area.of(province="81")).districts == ()


def test_seed_recommended_links_none_adopted():
    """recommend on the seed proposes codi - dopa province-wide first (docs/analysis.md) and four
    links in Hu Long; the writer's remedy links every agency to the planning office instead, so
    none of them is in the coordinated seed."""
    d = seed_diff(recommended=10)
    assert [(a.link.a, a.link.b, a.link.tambon) for a in d.recommended][:1] == [("codi", "dopa", None)]
    assert len(d.recommended) == 5
    assert {(a.status, a.where, a.resolved) for a in d.recommended} == {("not_adopted", (), 0)}


def test_recommended_links_adopted_here_elsewhere_or_not():
    """Hu Long's 7 pairs: recommend's first steps, then NEW adopts cdd - doae in Hu Long (it
    resolves cdd_otop_finance / doae_farmer_groups), cdd - nfe only in Kalo (elsewhere), nothing else."""
    from graphmodel.model import Coordination
    old = read_dataset(SEED)
    links = [*old.coordination, Coordination(a="cdd", b="doae", mechanism="x", tambon=HU_LONG),
             Coordination(a="cdd", b="nfe", mechanism="x", tambon=KALO)]
    d = compare(EmbeddedBackend(old), EmbeddedBackend(old.model_copy(update={"coordination": links})),
                Area.of(tambon=HU_LONG), recommended=5)
    got = {(a.link.a, a.link.b): (a.status, a.where, a.resolved) for a in d.recommended}
    assert got[("cdd", "doae")] == ("adopted", (HU_LONG,), 1)
    assert got[("cdd", "nfe")] == ("adopted_elsewhere", (KALO,), 0)
    assert {v for k, v in got.items() if k not in {("cdd", "doae"), ("cdd", "nfe")}} == {("not_adopted", (), 0)}
    assert [(c.a, c.b, c.reason) for c in d.resolved] == [("cdd_otop_finance", "doae_farmer_groups", "coordinated")]


def test_small_case_each_how_and_why():
    d = compare(EmbeddedBackend(snapshot(new=False)), EmbeddedBackend(snapshot(new=True)))
    assert [(c.status, c.tambon, c.a, c.b, c.reason) for c in d.changes()] == expected()
    detail = {c.a.rsplit("_", 1)[0]: c.detail for c in d.changes()}
    assert detail == {
        "ended": ("ended_b",),
        "grouped": (Held("shared_group", "hulong_group", ()),),
        "joint": (Condition("shared_agency", ("ag_joint_a",), ("ag_joint_a", "ag_joint_b")),),
        "late": (Condition("years", (2006, 2006), (2008, 2009)),),
        "linked": (Held("direct_link", None, (LinkRef("ag_linked_a", "ag_linked_b", HU_LONG, True),)),),
        "moved": (Condition("location", True, False),),
        "retheme": (Condition("themes", ("retheme",), ("other",)),),
        "arrived": (Condition("location", True, False),),
        "early": (Condition("years", (2006, 2006), (2010, 2010)),),
        "fresh": ("fresh_a",),
        "unlinked": (Held("direct_link", None, (LinkRef("ag_unlinked_a", "ag_unlinked_b", HU_LONG, True),)),),
        "stay": (),
    }
    assert [tuple(x) for x in d.districts] == [("8012", 10, 8, 8, 5, 7, 4, 1)]
    assert d.renamed == {"stay_a": ("stay_a", None)}
    assert d.names["stay_a"] == ("stay_a renamed", "Stay A")
    assert d.names["ended_b"] == ("ended_b", None)  # a removed program keeps OLD's name
    assert d.counts() == {"resolved": {"coordinated": 2, "program_removed": 1, "no_longer_parallel": 4},
                          "appeared": {"program_added": 1, "became_parallel": 2, "link_removed": 1}}


def test_old_graph_is_let_go_before_new_is_read():
    """Given functions, OLD's backend (and its facts) are gone by the time NEW's is opened."""
    seen = {}

    def old():
        backend = EmbeddedBackend(snapshot(new=False))
        seen["old"] = weakref.ref(backend)
        return backend

    def new():
        gc.collect()
        seen["alive when NEW opens"] = seen["old"]() is not None
        return EmbeddedBackend(snapshot(new=True))

    compare(old, new)
    assert seen["alive when NEW opens"] is False


# --- against the brute-force reading of the rule ----------------------------------------------

def _conditions_by_hand(ds, tambon: str, a: str, b: str) -> set[str]:
    """docs/analysis.md's four conditions, one by one, from the dataset's rows."""
    programs = {p.id: p for p in ds.programs}
    fund_agency = {f.id: f.agency for f in ds.funds}
    agency_ids = {x.id for x in ds.agencies}

    def agencies(p):
        return ({fund_agency[x.fund] for x in ds.funding if x.program == p}
                | {x.implementer for x in ds.implementation if x.program == p and x.implementer in agency_ids})

    located = {(x.program, x.tambon) for x in ds.locations}
    pa, pb = programs[a], programs[b]
    failing = set()
    if (a, tambon) not in located or (b, tambon) not in located:
        failing.add("location")
    if not (pa.start_year <= pb.end_year and pb.start_year <= pa.end_year):
        failing.add("years")
    if not set(pa.themes) & set(pb.themes):
        failing.add("themes")
    if agencies(a) & agencies(b):
        failing.add("shared_agency")
    return failing


@settings(max_examples=150, deadline=None)
@given(ds=datasets())
def test_conditions_failing_is_empty_exactly_for_the_rules_pairs(ds):
    facts = Facts.of(EmbeddedBackend(ds))
    parallel = set(brute_force(ds))
    ids = sorted(facts.programs)
    for t in sorted({x.tambon for x in ds.locations}):
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                failing = conditions_failing(facts.programs, t, a, b)
                assert ((t, a, b) in parallel) == (not failing)
                assert {c.name for c in failing} == _conditions_by_hand(ds, t, a, b)


@settings(max_examples=150, deadline=None)
@given(old=datasets(), new=datasets())
def test_every_uncoordinated_pair_falls_in_exactly_one_list(old, new):
    """Set operations on the oracle's pairs of each snapshot give the three lists and each how/why."""
    before, after = brute_force(old), brute_force(new)
    u_old = {k for k, c in before.items() if not c}
    u_new = {k for k, c in after.items() if not c}
    d = compare(EmbeddedBackend(old), EmbeddedBackend(new))
    key = lambda c: (c.tambon, c.a, c.b)  # noqa: E731
    assert [key(c) for c in d.resolved] == sorted(u_old - u_new)
    assert [key(c) for c in d.appeared] == sorted(u_new - u_old)
    assert list(d.remaining) == sorted(u_old & u_new)
    for changes, other, other_rule, coordinated, reasons in (
            (d.resolved, new, after, "coordinated", ("program_removed", "no_longer_parallel")),
            (d.appeared, old, before, "link_removed", ("program_added", "became_parallel"))):
        # the other snapshot's clauses, from the rule's own pairs (NEW's coordinate a resolved
        # pair, OLD's held a pair whose link was removed)
        holding = {(p.tambon, p.a, p.b): p.coordinated_by for p in parallel_pairs(EmbeddedBackend(other))}
        ids = {p.id for p in other.programs}
        for c in changes:
            if key(c) in other_rule:
                assert c.reason == coordinated
                assert {h.clause for h in c.detail} == set(holding[key(c)])
            elif {c.a, c.b} - ids:
                assert (c.reason, c.detail) == (reasons[0], tuple(sorted({c.a, c.b} - ids)))
            else:
                assert c.reason == reasons[1]
                assert {x.name for x in c.detail} == _conditions_by_hand(other, *key(c))
    totals = d.totals()
    assert (totals.old_parallel, totals.old_uncoordinated) == (len(before), len(u_old))
    assert (totals.new_parallel, totals.new_uncoordinated) == (len(after), len(u_new))


@given(area=st.sampled_from([Area.of(tambon=HU_LONG), Area.of(district="8001"), Area.of(province="80")]),
       old=datasets(), new=datasets())
@settings(max_examples=40, deadline=None)
def test_an_area_is_the_whole_diff_cut_to_it(area, old, new):
    whole = compare(EmbeddedBackend(old), EmbeddedBackend(new))
    part = compare(EmbeddedBackend(old), EmbeddedBackend(new), area)
    assert list(part.changes()) == [c for c in whole.changes() if area.contains(c.tambon)]
    if area.kind != "tambon":  # a district's counts are all its tambons'
        assert part.districts == tuple(x for x in whole.districts if x.district.startswith(area.code))
