"""The facts every Python twin reads, and the shared definitions held equal to their Cypher fragments.

``cypher/definitions.cypher`` holds the fragments (``program_agencies``,
``program_budget``, ``link_counts_in_tambon``, ``code_in_area``,
``area_tambons``) that the named queries include; :mod:`graphmodel.analysis.facts` holds their Python twins. The
test-only queries below include each fragment through the library's
``// include:`` mechanism and run on the real server; their answers must
equal the Python twins' on both seeds, a generated province and random
datasets. Then :class:`Facts` on a small dataset worked by hand.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.facts import (
    Facts, FundingLink, Implementer, link_counts_in, program_agencies, program_budget,
)
from graphmodel.analysis.overlaps import _RuleIndex
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.geo import Area, with_areas
from graphmodel.views.scope import _counts
from graphmodel.model import (
    Agency, Coordination, Dataset, Fund, Funding, Group, Implementation, Location, Program, Relationship,
)
from graphmodel.neo4j.runner import run
from graphmodel.queries import library_fragments, parse_queries

from graph_writer import clear, write_payload
from paths import SEED, SEED_COORDINATED
from strategies import datasets

HU_LONG, KALO = "801208", "802103"

#: Test-only Cypher: each shared fragment, included as the named queries include it.
DEFINITIONS = """\
// name: agencies_by_fragment
// The agencies of every program, by the fragment program_agencies.
MATCH (p:Program)
RETURN p.id AS program, COLLECT {
  // include: program_agencies
  RETURN a.id AS id ORDER BY id
} AS agencies
ORDER BY program

// name: budget_by_fragment
// The known budget of every program, by the fragment program_budget.
MATCH (p:Program)
// include: program_budget
RETURN p.id AS program, budget_thb
ORDER BY program

// name: counting_by_fragment
// Every coordination link with every tambon, and whether it counts there (link_counts_in_tambon).
MATCH (x)-[link:COORDINATES_WITH]->(y)
MATCH (t:Tambon)
RETURN x.id AS a, y.id AS b, link.tambon AS link_tambon, t.id AS tambon,
  // include: link_counts_in_tambon
  AS counts

// name: area_by_fragment
// params: areas
// For each area map of $areas (index i): the tambons area_tambons finds, and those of every
// tambon that code_in_area keeps.
UNWIND range(0, size($areas) - 1) AS i
WITH i, $areas[i] AS area
RETURN i, COLLECT {
  // include: area_tambons
  RETURN t.id AS code ORDER BY code
} AS found, COLLECT {
  MATCH (t:Tambon)
  WHERE any(code IN [t.id] WHERE
    // include: code_in_area
  )
  RETURN t.id AS code ORDER BY code
} AS kept
ORDER BY i
"""


def _link(row: dict) -> Relationship:
    """A coordination link as a view's payload holds it."""
    return Relationship(type="COORDINATES_WITH", start_label="Agency", start=row["a"], end_label="Agency",
                        end=row["b"], properties={} if row["link_tambon"] is None else {"tambon": row["link_tambon"]})


def by_fragment(driver, name: str, params: dict | None = None) -> list[dict]:
    queries = {q.name: q for q in parse_queries(DEFINITIONS, "tests/analysis/test_facts.py",
                                                fragments=library_fragments())}
    return run(driver, queries[name], params).rows


def areas_to_try(codes: list[str]) -> list[dict]:
    """Every tambon, district and province of ``codes``, everything, and the odd filters a
    query's parameters may give: codes that nest or disagree, '' (no filter), a short prefix."""
    first = codes[0]
    return ([{}, {"tambon": ""}, {"province": first[:1]}, {"tambon": first, "province": first[:2]},
             {"tambon": first, "province": "99"}, {"district": first[:4], "province": first[:2]},
             {"district": first[:4], "province": "99"}, {"tambon": "999999"}]
            + [{"tambon": c} for c in codes] + [{"district": d} for d in sorted({c[:4] for c in codes})]
            + [{"province": p} for p in sorted({c[:2] for c in codes})])


def test_the_test_queries_include_the_library_fragments():
    queries = {q.name: q for q in parse_queries(DEFINITIONS, "tests/analysis/test_facts.py",
                                                fragments=library_fragments())}
    assert "MATCH (a:Agency)-[:MANAGES]->(:Fund)-[:FUNDS]->(p) RETURN a" in queries["agencies_by_fragment"].text
    assert "reduce(s = 0.0, x IN amounts | s + x)" in queries["budget_by_fragment"].text
    assert "  (link.tambon IS NULL OR link.tambon = t.id)\n  AS counts" in queries["counting_by_fragment"].text
    assert "WHERE t.id STARTS WITH coalesce(nullIf(area.tambon, '')" in queries["area_by_fragment"].text
    assert "    ((coalesce(area.tambon, '') = '' OR code = area.tambon)" in queries["area_by_fragment"].text


def assert_definitions_equal(driver, ds: Dataset) -> dict[str, int]:
    """The fragments' answers on the server equal the Python twins' on the dataset.

    Returns how many programs have agencies and a budget, and how many
    (link, tambon) combinations count, so callers can check the
    comparison was not empty.
    """
    clear(driver)
    write_payload(driver, ds.to_graph())
    facts = Facts.of(EmbeddedBackend(ds))

    agencies = {r["program"]: r["agencies"] for r in by_fragment(driver, "agencies_by_fragment")}
    assert agencies == {pid: list(p.agencies) for pid, p in facts.programs.items()}

    budgets = {r["program"]: r["budget_thb"] for r in by_fragment(driver, "budget_by_fragment")}
    assert budgets == {pid: p.budget for pid, p in facts.programs.items()}

    counting = by_fragment(driver, "counting_by_fragment")
    assert all(r["counts"] is link_counts_in(r["link_tambon"], r["tambon"]) for r in counting)
    # The same definition for a view's area (views/scope.py), for a tambon as an Area.
    assert all(r["counts"] is _counts(_link(r), Area.of(tambon=r["tambon"])) for r in counting)
    # And the index every analysis reads (Links.counting, through Links.near and the rule's
    # _RuleIndex.near) agrees with the fragment, pair by pair.
    counts_between: dict[tuple[str, str, str], bool] = {}
    for r in counting:
        for key in ((r["a"], r["b"], r["tambon"]), (r["b"], r["a"], r["tambon"])):
            counts_between[key] = counts_between.get(key, False) or r["counts"]
    assert counts_between == {(a, b, t): b in facts.links.near(a, t) for a, b, t in counts_between}
    index = _RuleIndex.of(facts)
    for t, ids in facts.tambon_programs.items():
        expected = {pid: {y for x in facts.stake(pid) for (a, y, u), c in counts_between.items()
                          if a == x and u == t and c} for pid in ids}
        assert {pid: set(near) for pid, near in index.near(t, ids).items()} == expected
    # A link counts in a district when it counts in one of the district's tambons.
    for district in {r["tambon"][:4] for r in counting}:
        expected_ends = {ends for r in counting if r["tambon"].startswith(district) and r["counts"]
                         for ends in ((r["a"], r["b"]), (r["b"], r["a"]))}
        adjacency = facts.links.counting(Area.of(district=district))
        assert {(a, b) for adj in adjacency for a, ends in adj.items() for b in ends} == expected_ends
    # An area's tambons: by the fragments (the index seek, and the check on a code) as by
    # geo.Area, the Python twin.
    codes = sorted(t.code for t in ds.tambons)
    areas = areas_to_try(codes)
    found = by_fragment(driver, "area_by_fragment", {"areas": areas})
    for area, row in zip(areas, found, strict=True):
        expected = [c for c in codes if Area.within(**area).contains(c)]
        assert row["found"] == row["kept"] == expected, area
    return {"agencies": sum(1 for a in agencies.values() if a),
            "budgets": sum(1 for b in budgets.values() if b is not None),
            "counting": sum(1 for r in counting if r["counts"]),
            "in areas": sum(len(r["found"]) for r in found)}


@pytest.mark.neo4j
@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_definitions_on_the_seeds(neo4j_driver, folder):
    sizes = assert_definitions_equal(neo4j_driver, read_dataset(folder))
    assert all(sizes.values()), sizes


@pytest.mark.neo4j
def test_definitions_on_a_generated_province(neo4j_driver, synth_dir):
    sizes = assert_definitions_equal(neo4j_driver, read_dataset(synth_dir))
    assert all(sizes.values()), sizes


@pytest.mark.neo4j
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets())
def test_definitions_on_random_datasets(neo4j_driver, ds):
    assert_definitions_equal(neo4j_driver, ds)


# --- the definitions themselves -------------------------------------------------------------------

def test_program_agencies_is_the_sorted_union():
    assert program_agencies([], []) == ()
    assert program_agencies(["trf", "codi"], ["codi"]) == ("codi", "trf")
    assert program_agencies(iter(["b"]), iter(["a", "b"])) == ("a", "b")


def test_program_budget_sums_known_amounts_only():
    assert program_budget([]) is None
    assert program_budget([None, None]) is None
    assert program_budget([0.0]) == 0.0  # a known zero is a budget, not an unknown one
    assert program_budget([100_000.0, None, 2_500.5]) == 102_500.5


@pytest.mark.parametrize("link_tambon, tambon, counts", [
    (None, HU_LONG, True), (HU_LONG, HU_LONG, True), (KALO, HU_LONG, False)])
def test_link_counts_in(link_tambon, tambon, counts):
    assert link_counts_in(link_tambon, tambon) is counts


# --- Facts on a small dataset worked by hand -------------------------------------------------------

def small() -> Dataset:
    """codi funds p through f (two years, one amount unknown); dopa and group g implement p;
    q is in Kalo, funded by dopa's normal fund; links codi-dopa everywhere, g-q in Kalo only."""
    return with_areas(Dataset(
        agencies=[Agency(id="codi", name="พอช.", name_en="CODI", kind="special_agency"),
                  Agency(id="dopa", name="ปค.", kind="line_agency", parent="codi")],
        funds=[Fund(id="f", name="กองทุน", agency="codi", channel="special"),
               Fund(id="n", name="งบปกติ", agency="dopa", channel="normal")],
        programs=[Program(id="p", name="", themes=("b", "a"), start_year=2006, end_year=2007, pilot=True),
                  Program(id="q", name="คิว", start_year=2005, end_year=2005)],
        groups=[Group(id="g", name="กลุ่ม", kind="savings", tambon=HU_LONG)],
        funding=[Funding(fund="f", program="p", fiscal_year=2007),
                 Funding(fund="f", program="p", amount_thb=100.0, fiscal_year=2006),
                 Funding(fund="n", program="q", amount_thb=5.0)],
        implementation=[Implementation(implementer="g", program="p"),
                        Implementation(implementer="dopa", program="p", role="lead")],
        locations=[Location(program="p", tambon=HU_LONG), Location(program="p", tambon=KALO),
                   Location(program="q", tambon=KALO)],
        coordination=[Coordination(a="codi", b="dopa"), Coordination(a="g", b="q", tambon=KALO)],
    ))


def test_facts_by_hand():
    facts = Facts.of(EmbeddedBackend(small()))
    p, q = facts.programs["p"], facts.programs["q"]
    assert (p.start, p.end, p.themes, p.pilot) == (2006, 2007, ("a", "b"), True)
    assert (p.agencies, p.groups, p.channels, p.tambons) == (("codi", "dopa"), ("g",), ("special",), (HU_LONG, KALO))
    assert (p.budget, p.unknown_amounts) == (100.0, 1)
    # By fund, then fiscal year; every link kept, its amount known or not.
    assert p.funding == (FundingLink("f", 2006, 100.0), FundingLink("f", 2007, None))
    assert p.implementers == (Implementer("dopa", "lead"), Implementer("g", None))
    assert (q.agencies, q.budget, q.channels, q.funding, q.implementers) == (
        ("dopa",), 5.0, ("normal",), (FundingLink("n", None, 5.0),), ())
    assert dict(facts.tambon_programs) == {HU_LONG: ["p"], KALO: ["p", "q"]}
    assert dict(facts.tambon_groups) == {HU_LONG: ["g"]}
    assert facts.fund_agency == {"f": "codi", "n": "dopa"}
    assert facts.parent == {"dopa": "codi"}
    assert facts.group_programs == {"g": ("p",)}
    assert {code: (t.label, t.name, t.name_en) for code, t in facts.tambons.items()} == {
        HU_LONG: ("Tambon", "หูล่อง", "Hu Long"), KALO: ("Tambon", "กะหรอ", "Karo")}
    # Names: the id stands in for an empty one; display is Thai (English).
    assert (facts.entities["p"].name, facts.name("codi"), facts.name("dopa"), facts.name("nobody")) == (
        "p", "พอช. (CODI)", "ปค.", "nobody")
    assert (facts.entities["f"].kind, facts.entities["g"].kind, facts.entities["q"].kind) == (
        "special", "savings", None)
    assert facts.stake("p") == ("p", "codi", "dopa", "g")
    # The province-wide link counts everywhere, the Kalo link only in Kalo.
    assert facts.links.near("codi", HU_LONG) == {"dopa"}
    assert (facts.links.near("g", HU_LONG), facts.links.near("g", KALO)) == (set(), {"q"})
    assert facts.links.near_all(["codi", "g"], KALO) == {"dopa", "q"}


def test_facts_are_built_once_per_backend():
    backend = EmbeddedBackend(small())
    assert Facts.of(backend) is Facts.of(backend)
    assert Facts.of(EmbeddedBackend(small())) is not Facts.of(backend)
