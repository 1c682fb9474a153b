"""The overlaps rule on small graphs worked out by hand, and against a brute-force oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from graphmodel.analysis.described import findings
from graphmodel.analysis.overlaps import pairs, parallel_pairs
from graphmodel.reports.overlaps import finding_json
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset

from builders import HU_LONG, KALO, OTHER, dataset
from rule_oracle import brute_force
from described import described_pairs

# Two agencies, one program each, same theme, overlapping years, both in Hu Long.
BASE = dict(
    agencies=["A1", "A2"],
    programs=[("P", "x", 2005, 2006), ("Q", "x", 2006, 2007)],
    implementation=[("A1", "P"), ("A2", "Q")],
    locations=[("P", HU_LONG), ("Q", HU_LONG)],
)


def pairs_of(**overrides):
    ds = dataset(**{**BASE, **overrides})
    return described_pairs(EmbeddedBackend(ds))


def summary(pairs):
    return [(p.tambon.id, *p.ids, p.coordinated, p.coordinated_by) for p in pairs]


def test_base_pair_is_parallel_and_uncoordinated():
    (pair,) = pairs_of()
    assert summary([pair]) == [(HU_LONG, "P", "Q", False, [])]
    assert pair.shared_themes == ["x"]
    assert pair.overlap_years == (2006, 2006)
    assert [a.id for a in pair.a.agencies] == ["A1"] and [a.id for a in pair.b.agencies] == ["A2"]


@pytest.mark.parametrize("overrides", [
    pytest.param(dict(locations=[("P", HU_LONG), ("Q", KALO)]), id="different-tambons"),
    pytest.param(dict(programs=[("P", "x", 2003, 2005), ("Q", "x", 2006, 2007)]), id="years-apart"),
    pytest.param(dict(programs=[("P", "x", 2005, 2006), ("Q", "y", 2005, 2006)]), id="no-shared-theme"),
    pytest.param(dict(implementation=[("A1", "P"), ("A1", "Q")]), id="same-implementer"),
    pytest.param(dict(funds=[("F", "A1")], funding=[("F", "Q")]), id="shared-agency-through-a-fund"),
])
def test_not_parallel(overrides):
    assert pairs_of(**overrides) == []


def test_years_touching_at_one_year_overlap():
    pairs = pairs_of(programs=[("P", "x", 2004, 2006), ("Q", "x", 2006, 2009)])
    assert [p.overlap_years for p in pairs] == [(2006, 2006)]


def test_shared_themes_are_the_intersection():
    (pair,) = pairs_of(programs=[("P", "a;x;y", 2006, 2006), ("Q", "x;y;z", 2006, 2006)])
    assert pair.shared_themes == ["x", "y"]


def test_programs_with_no_known_agency_are_parallel():
    assert summary(pairs_of(implementation=[])) == [(HU_LONG, "P", "Q", False, [])]


def test_fund_manager_counts_as_an_agency():
    (pair,) = pairs_of(funds=[("F", "A3")], agencies=["A1", "A2", "A3"], funding=[("F", "Q")])
    assert [a.id for a in pair.b.agencies] == ["A2", "A3"]


def test_clause_a_shared_group():
    pairs = pairs_of(groups=[("G", HU_LONG)],
                     implementation=[("A1", "P"), ("A2", "Q"), ("G", "P"), ("G", "Q")])
    assert summary(pairs) == [(HU_LONG, "P", "Q", True, ["shared_group"])]


@pytest.mark.parametrize("link", [("A1", "A2"), ("A2", "A1"), ("P", "Q"), ("P", "A2"), ("G", "A2")])
def test_clause_b_direct_link_between_stakes(link):
    pairs = pairs_of(groups=[("G", HU_LONG)], implementation=[("A1", "P"), ("A2", "Q"), ("G", "P")],
                     coordination=[link])
    assert summary(pairs) == [(HU_LONG, "P", "Q", True, ["direct_link"])]


def test_clause_c_shared_coordinator():
    pairs = pairs_of(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1"), ("Q", "PLAN")])
    assert summary(pairs) == [(HU_LONG, "P", "Q", True, ["shared_coordinator"])]


def test_coordinator_linked_to_one_side_only_does_not_count():
    pairs = pairs_of(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1"), ("PLAN", "P")])
    assert summary(pairs) == [(HU_LONG, "P", "Q", False, [])]


def test_link_limited_to_another_tambon_does_not_count():
    assert summary(pairs_of(coordination=[("A1", "A2", KALO)])) == [(HU_LONG, "P", "Q", False, [])]
    assert summary(pairs_of(coordination=[("A1", "A2", HU_LONG)])) == [
        (HU_LONG, "P", "Q", True, ["direct_link"])]


def test_scoped_link_coordinates_only_its_tambon():
    pairs = pairs_of(locations=[("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO)],
                     coordination=[("A1", "A2", KALO)])
    assert summary(pairs) == [(HU_LONG, "P", "Q", False, []), (KALO, "P", "Q", True, ["direct_link"])]


def test_coordinator_needs_both_links_to_count_in_the_tambon():
    pairs = pairs_of(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1"), ("PLAN", "A2", KALO)])
    assert summary(pairs) == [(HU_LONG, "P", "Q", False, [])]


def test_all_clauses_reported_in_rule_order():
    pairs = pairs_of(agencies=["A1", "A2", "PLAN"], groups=[("G", HU_LONG)],
                     implementation=[("A1", "P"), ("A2", "Q"), ("G", "P"), ("G", "Q")],
                     coordination=[("A1", "A2"), ("PLAN", "P"), ("PLAN", "Q")])
    assert pairs[0].coordinated_by == ["shared_group", "direct_link", "shared_coordinator"]


def test_filters_by_tambon_and_province():
    locs = [("P", HU_LONG), ("Q", HU_LONG), ("P", OTHER), ("Q", OTHER), ("P", "100101"), ("Q", "100101")]
    assert [p.tambon.id for p in pairs_of(locations=locs)] == ["100101", OTHER, HU_LONG]
    ds = dataset(**{**BASE, "locations": locs})
    backend = EmbeddedBackend(ds)
    assert [p.tambon.id for p in described_pairs(backend, tambon=HU_LONG)] == [HU_LONG]
    assert [p.tambon.id for p in described_pairs(backend, province="80")] == [OTHER, HU_LONG]


def test_findings_keep_tambons_with_an_uncoordinated_pair():
    # In Hu Long: P-Q uncoordinated, P-R coordinated by a shared group; in Kalo only coordinated.
    backend = EmbeddedBackend(dataset(**{**BASE, **dict(
        agencies=["A1", "A2", "A3"], groups=[("G", HU_LONG)],
        programs=[("P", "x", 2006, 2006), ("Q", "x", 2006, 2006), ("R", "x", 2006, 2006)],
        implementation=[("A1", "P"), ("A2", "Q"), ("A3", "R"), ("G", "P"), ("G", "R")],
        locations=[("P", HU_LONG), ("Q", HU_LONG), ("R", HU_LONG), ("P", KALO), ("R", KALO)],
    )}))
    (finding,) = findings(backend, pairs(backend))
    data = finding_json(finding)
    assert data["tambon"] == HU_LONG
    assert data["programs"] == ["P", "Q", "R"]
    assert data["uncoordinated_pairs"] == [["P", "Q"], ["Q", "R"]]
    assert [p["coordinated"] for p in data["pairs"]] == [False, True, False]


def test_buddhist_era_years_compare_with_common_era(tmp_path):
    (tmp_path / "agencies.csv").write_text("id,name,kind\nA1,a,line_agency\nA2,b,provincial\n", "utf-8")
    (tmp_path / "programs.csv").write_text(
        "id,name,themes,start_year,end_year\nP,p,x,2549,2550\nQ,q,x,2007,2008\nR,r,x,2005,2548\n", "utf-8")
    (tmp_path / "implementation.csv").write_text("implementer,program\nA1,P\nA2,Q\nA2,R\n", "utf-8")
    (tmp_path / "locations.csv").write_text("program,tambon\nP,801208\nQ,801208\nR,801208\n", "utf-8")
    pairs = described_pairs(EmbeddedBackend(read_dataset(tmp_path)))
    # P is 2006-2007 CE; it meets Q (2007-2008) in 2007; R (2005-2005) meets neither.
    assert [(p.ids, p.overlap_years) for p in pairs] == [(("P", "Q"), (2007, 2007))]


def test_seed_kalo_duplication_and_its_resolution():
    from paths import SEED, SEED_COORDINATED

    kalo = [p for p in described_pairs(EmbeddedBackend(read_dataset(SEED)), tambon=KALO)]
    assert summary(kalo) == [(KALO, "codi_life_plan", "dopa_poverty_survey", False, [])]
    fixed = described_pairs(EmbeddedBackend(read_dataset(SEED_COORDINATED)), tambon=KALO)
    assert summary(fixed) == [(KALO, "codi_life_plan", "dopa_poverty_survey", True, ["shared_coordinator"])]


# --- property test: the Python twin equals the brute-force oracle ---------------------------

TAMBONS = [HU_LONG, KALO, OTHER]
NODES = [f"A{i}" for i in range(4)] + [f"G{i}" for i in range(3)] + [f"P{i}" for i in range(5)]


@st.composite
def random_datasets(draw):
    n_prog = draw(st.integers(2, 5))
    programs = []
    for i in range(n_prog):
        start = draw(st.integers(2000, 2006))
        themes = draw(st.sets(st.sampled_from("xyz"), min_size=1, max_size=2))
        programs.append((f"P{i}", ";".join(sorted(themes)), start, start + draw(st.integers(0, 3))))
    prog_ids = [p[0] for p in programs]
    agencies, groups = [f"A{i}" for i in range(4)], [(f"G{i}", draw(st.sampled_from(TAMBONS))) for i in range(3)]
    funds = [(f"F{i}", draw(st.sampled_from(agencies))) for i in range(3)]
    pick = lambda xs: st.sampled_from(xs)  # noqa: E731
    funding = draw(st.lists(st.tuples(pick([f[0] for f in funds]), pick(prog_ids)), max_size=5, unique=True))
    implementers = agencies + [g[0] for g in groups]
    implementation = draw(st.lists(st.tuples(pick(implementers), pick(prog_ids)), max_size=8, unique=True))
    locations = draw(st.lists(st.tuples(pick(prog_ids), pick(TAMBONS)), min_size=2, max_size=10, unique=True))
    ends = agencies + [g[0] for g in groups] + prog_ids
    links = draw(st.lists(st.tuples(pick(ends), pick(ends), pick([None, *TAMBONS])), max_size=5))
    coordination = {(a, b, t) for a, b, t in links if a != b}
    return dataset(agencies=agencies, funds=funds, programs=programs, groups=groups, funding=funding,
                   implementation=implementation, locations=locations,
                   coordination=[(a, b) if t is None else (a, b, t) for a, b, t in sorted(coordination, key=str)])


@settings(max_examples=200, deadline=None)
@given(random_datasets())
def test_python_twin_equals_brute_force(ds):
    pairs = described_pairs(EmbeddedBackend(ds))
    assert {(p.tambon.id, *p.ids): p.coordinated for p in pairs} == brute_force(ds)


def test_a_generated_province_equals_brute_force(synth_dir, synth_rule):
    """Phuket as graphmodel synth makes it (17 tambons, ~1,700 pairs, every kind of link):
    parallel_pairs pair for pair, coordinated or not, equal to the brute-force oracle."""
    found = list(parallel_pairs(EmbeddedBackend(read_dataset(synth_dir))))
    assert {(p.tambon, p.a, p.b): p.coordinated for p in found} == synth_rule
    assert len(found) == len(synth_rule)  # no pair twice
    assert found == sorted(found, key=lambda p: (p.tambon, p.a, p.b))  # in tambon, then id order
    # Not trivially all one way: both kinds occur, coordinated by a group and by a link.
    assert 0 < sum(synth_rule.values()) < len(synth_rule)
    assert {"shared_group", "direct_link"} <= {c for p in found for c in p.coordinated_by}
