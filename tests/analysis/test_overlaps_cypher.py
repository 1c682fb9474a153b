"""The Cypher twins (cypher/overlaps.cypher) equal the Python twins, row for row, on a real server.

Each graph is written with the naive tests/graph_writer.py (not the loader).
Then, with and without the tambon/province filters: the ``overlaps`` rows of
both twins are equal (same pairs, same order, same clauses), the
``program_sides`` rows too (agencies, groups, budgets), and so are the pairs
described for people through each backend.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from graphmodel.analysis.described import ParallelPair
from graphmodel.analysis.overlaps import PAGE_WEIGHT
from graphmodel.analysis.registry import PAGE_SIZE, REGISTRY, pages_of, rows
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.geo import with_areas
from graphmodel.model import (
    Agency, AgencyKind, Channel, Coordination, Dataset, Fund, Funding, Group, Implementation, Location,
    Program,
)
from graphmodel.neo4j.backend import Neo4jBackend

from builders import HU_LONG, KALO, OTHER, dataset
from paths import SEED, SEED_COORDINATED
from graph_writer import clear, write_payload
from described import described_pairs

pytestmark = pytest.mark.neo4j

FILTERS = [{}, {"tambon": HU_LONG}, {"tambon": KALO}, {"tambon": "100101"}, {"province": "80"},
           {"province": "10"}, {"tambon": ""}, {"province": ""}]


def assert_twins_equal(driver, ds: Dataset, filters=FILTERS) -> list[ParallelPair]:
    clear(driver)
    write_payload(driver, ds.to_graph())
    embedded, server = EmbeddedBackend(ds), Neo4jBackend(driver)
    for f in filters:
        python = list(rows(embedded, "overlaps", f))
        assert list(rows(server, "overlaps", f, twin="cypher")) == python, f
        assert described_pairs(server, twin="cypher", **f) == described_pairs(embedded, **f), f
    assert list(rows(server, "program_sides", twin="cypher")) == list(rows(embedded, "program_sides"))
    return described_pairs(embedded)


# --- the seed case ------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_seed(neo4j_driver, folder):
    pairs = assert_twins_equal(neo4j_driver, read_dataset(folder))
    assert len(pairs) == 9  # the seed has parallel pairs to compare, not an empty answer
    assert any(p.a.budget_thb is not None or p.b.budget_thb is not None for p in pairs)


# --- hand-built graphs, one per clause of the rule ------------------------------------------------

BASE = dict(
    agencies=["A1", "A2"],
    programs=[("P", "x", 2005, 2006), ("Q", "x", 2006, 2007)],
    implementation=[("A1", "P"), ("A2", "Q")],
    locations=[("P", HU_LONG), ("Q", HU_LONG)],
)
CASES = {
    "uncoordinated": ({}, [(HU_LONG, False, [])]),
    "years-apart": (dict(programs=[("P", "x", 2003, 2005), ("Q", "x", 2006, 2007)]), []),
    "no-shared-theme": (dict(programs=[("P", "x;y", 2006, 2006), ("Q", "z", 2006, 2006)]), []),
    "shared-agency-implementing": (dict(implementation=[("A1", "P"), ("A1", "Q")]), []),
    "shared-agency-through-a-fund": (dict(funds=[("F", "A1")], funding=[("F", "Q")]), []),
    "no-known-agency": (dict(implementation=[]), [(HU_LONG, False, [])]),
    "a-shared-group": (dict(groups=[("G", KALO)],
                            implementation=[("A1", "P"), ("A2", "Q"), ("G", "P"), ("G", "Q")]),
                       [(HU_LONG, True, ["shared_group"])]),
    "b-agencies-linked": (dict(coordination=[("A2", "A1")]), [(HU_LONG, True, ["direct_link"])]),
    "b-programs-linked": (dict(coordination=[("P", "Q")]), [(HU_LONG, True, ["direct_link"])]),
    "b-group-to-agency": (dict(groups=[("G", HU_LONG)], implementation=[("A1", "P"), ("A2", "Q"), ("G", "P")],
                               coordination=[("G", "A2")]), [(HU_LONG, True, ["direct_link"])]),
    "c-shared-coordinator": (dict(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1"), ("Q", "PLAN")]),
                             [(HU_LONG, True, ["shared_coordinator"])]),
    "c-fund-as-coordinator": (dict(agencies=["A1", "A2", "A3"], funds=[("F", "A3")],
                                   coordination=[("F", "P"), ("A2", "F")]),
                              [(HU_LONG, True, ["shared_coordinator"])]),
    "c-one-side-only": (dict(agencies=["A1", "A2", "PLAN"], coordination=[("PLAN", "A1"), ("PLAN", "P")]),
                        [(HU_LONG, False, [])]),
    "link-scoped-elsewhere": (dict(coordination=[("A1", "A2", KALO)]), [(HU_LONG, False, [])]),
    "link-scoped-here": (dict(coordination=[("A1", "A2", HU_LONG)]), [(HU_LONG, True, ["direct_link"])]),
    "scoped-link-two-tambons": (dict(locations=[("P", HU_LONG), ("Q", HU_LONG), ("P", KALO), ("Q", KALO)],
                                     coordination=[("A1", "A2", KALO)]),
                                [(HU_LONG, False, []), (KALO, True, ["direct_link"])]),
    "coordinator-half-scoped": (dict(agencies=["A1", "A2", "PLAN"],
                                     coordination=[("PLAN", "A1"), ("PLAN", "A2", KALO)]),
                                [(HU_LONG, False, [])]),
    "all-three-clauses": (dict(agencies=["A1", "A2", "PLAN"], groups=[("G", HU_LONG)],
                               implementation=[("A1", "P"), ("A2", "Q"), ("G", "P"), ("G", "Q")],
                               coordination=[("A1", "A2"), ("PLAN", "P"), ("PLAN", "Q")]),
                          [(HU_LONG, True, ["shared_group", "direct_link", "shared_coordinator"])]),
    "three-programs-three-tambons": (
        dict(agencies=["A1", "A2", "A3"],
             programs=[("P", "x;y", 2006, 2006), ("Q", "y;x", 2005, 2008), ("R", "x", 2001, 2006)],
             implementation=[("A1", "P"), ("A2", "Q"), ("A3", "R")],
             locations=[("P", HU_LONG), ("Q", HU_LONG), ("R", HU_LONG), ("P", OTHER), ("R", OTHER),
                        ("Q", "100101"), ("R", "100101")]),
        [("100101", False, []), (OTHER, False, []), (HU_LONG, False, []), (HU_LONG, False, []),
         (HU_LONG, False, [])]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hand_built(neo4j_driver, name):
    overrides, expected = CASES[name]
    pairs = assert_twins_equal(neo4j_driver, dataset(**{**BASE, **overrides}))
    assert [(p.tambon.id, p.coordinated, p.coordinated_by) for p in pairs] == expected


def test_names_budgets_and_buddhist_era_years(neo4j_driver, tmp_path):
    """Read from CSV: BE years converted, English names, amounts summed over fiscal years."""
    files = {
        "agencies": "id,name,name_en,kind\nA1,หน่วย ก,Unit A,line_agency\nA2,หน่วย ข,,provincial\n",
        "funds": "id,name,agency,channel\nF1,งบ ก,A1,normal\nF2,งบ ข,A2,ceo\n",
        "programs": "id,name,name_en,themes,start_year,end_year\nP,โครงการ ป,Program P,x;y,2549,2550\n"
                    "Q,โครงการ คิว,,y;x;z,2007,2008\nR,โครงการ อา,,x,2005,2548\n",
        "funding": "fund,program,amount_thb,fiscal_year\nF1,P,100000,2549\nF1,P,2500.5,2550\nF2,Q,,2550\n",
        "implementation": "implementer,program,role\nA2,R,lead\n",
        "locations": "program,tambon\nP,801208\nQ,801208\nR,801208\n",
    }
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, "utf-8")
    pairs = assert_twins_equal(neo4j_driver, read_dataset(tmp_path))
    (pair,) = pairs  # P (2006-2007 CE) meets Q in 2007; R (2005-2005) meets neither
    assert (pair.ids, pair.overlap_years, pair.shared_themes) == (("P", "Q"), (2007, 2007), ["x", "y"])
    assert (pair.a.budget_thb, pair.b.budget_thb) == (102500.5, None)
    assert (pair.a.program.name_en, pair.b.program.name_en) == ("Program P", None)


# --- random graphs ----------------------------------------------------------------------------------

@st.composite
def random_graphs(draw):
    """A dense random dataset: few tambons, three themes, close years, many links.

    Dense on purpose, so most examples hold parallel pairs and every clause
    of the rule, scoped links, budgets (several fiscal years) and missing
    English names all occur.
    """
    tambons = draw(st.lists(st.sampled_from([HU_LONG, KALO, OTHER]), min_size=2, max_size=3, unique=True))
    pick = st.sampled_from
    agencies = [Agency(id=f"A{i}", name=f"หน่วย {i}", name_en=draw(pick([None, f"Agency {i}"])),
                       kind=draw(pick(list(AgencyKind))))
                for i in range(draw(st.integers(2, 5)))]
    funds = [Fund(id=f"F{i}", name=f"งบ {i}", agency=draw(pick([a.id for a in agencies])),
                  channel=draw(pick([None, *Channel])))
             for i in range(draw(st.integers(0, 3)))]
    programs = []
    for i in range(draw(st.integers(2, 6))):
        start = draw(st.integers(2004, 2007))
        programs.append(Program(
            id=f"P{i}", name=f"โครงการ {i}", name_en=draw(pick([None, f"Program {i}"])),
            themes=tuple(draw(st.lists(pick("xyz"), min_size=1, max_size=2, unique=True))),
            start_year=start, end_year=start + draw(st.integers(0, 2)), pilot=draw(pick([None, True, False]))))
    groups = [Group(id=f"G{i}", name=f"กลุ่ม {i}", kind="group", tambon=draw(pick(tambons)))
              for i in range(draw(st.integers(0, 3)))]
    prog_ids = [p.id for p in programs]
    funding = [Funding(fund=f, program=p, fiscal_year=y,
                       amount_thb=draw(st.one_of(st.none(), st.integers(0, 500).map(lambda k: k * 1000.0))))
               for f, p, y in draw(st.lists(
                   st.tuples(pick([f.id for f in funds]), pick(prog_ids), pick([None, 2005, 2006])),
                   max_size=6, unique=True))] if funds else []
    implementers = [a.id for a in agencies] + [g.id for g in groups]
    implementation = [Implementation(implementer=i, program=p, role=draw(pick([None, "lead"])))
                      for i, p in draw(st.lists(st.tuples(pick(implementers), pick(prog_ids)),
                                                max_size=len(prog_ids) + 3, unique=True))]
    locations = [Location(program=p, tambon=t) for p in prog_ids
                 for t in draw(st.lists(pick(tambons), min_size=1, max_size=2, unique=True))]
    ends = implementers + prog_ids + [f.id for f in funds]
    links = draw(st.lists(st.tuples(pick(ends), pick(ends), pick([None, *tambons])), min_size=1, max_size=8,
                          unique=True))
    coordination = [Coordination(a=a, b=b, tambon=t) for a, b, t in links if a != b]
    return with_areas(Dataset(agencies=agencies, funds=funds, programs=programs, groups=groups,
                              funding=funding, implementation=implementation, locations=locations,
                              coordination=coordination))


@settings(max_examples=40, deadline=None)
@given(random_graphs())
def test_random_graphs(neo4j_driver, ds):
    assert_twins_equal(neo4j_driver, ds, filters=[{}, {"tambon": KALO}, {"province": "80"}])


# --- pages --------------------------------------------------------------------------------------------

def test_the_cypher_twin_pages_tambons_by_their_programs():
    """A tambon weighs its programs squared; a page holds at most PAGE_WEIGHT of them (a tambon
    heavier than that alone) and at most PAGE_SIZE tambons, in code order, each tambon once."""
    counts = {OTHER: 710, "800102": 400, "800103": 400, HU_LONG: 400, KALO: 2, "800106": 1}
    ds = dataset(programs=[(f"P{t}_{i}", "x", 2006, 2006) for t, n in counts.items() for i in range(n)],
                 locations=[(f"P{t}_{i}", t) for t, n in counts.items() for i in range(n)])
    pages = REGISTRY["overlaps"].pages(EmbeddedBackend(ds), {})
    # 710² = 504,100 > 500,000; 3 × 400² + 2² = 480,004; the tambon with one program has no pair.
    assert PAGE_WEIGHT == 500_000
    assert pages == [[OTHER], ["800102", "800103", HU_LONG, KALO]]
    assert pages_of([str(i) for i in range(PAGE_SIZE + 1)]) == [[str(i) for i in range(PAGE_SIZE)], [str(PAGE_SIZE)]]
