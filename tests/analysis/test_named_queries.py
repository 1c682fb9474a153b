"""The named queries on tiny graphs worked out by hand, each run by both twins.

Every test runs twice: the Python twin over the embedded backend
(``rows(EmbeddedBackend(ds), name, params)``) and the Cypher twin on the real
Neo4j test server after the graph is written with tests/graph_writer.py
(``rows(Neo4jBackend(driver), name, params, twin="cypher")``). The expected
rows are worked out by hand from :func:`tiny`.

The analyses: ``schema`` (graphmodel/analysis/catalog.py),
``tambon_stakeholders``, ``agency_footprint``, ``shared_groups``
(stakeholders.py), ``fund_flows`` (funding.py),
``pilots_without_normal_partner`` (pilots.py).
"""

from __future__ import annotations

import pytest

from graphmodel.analysis.registry import rows
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.geo import with_areas
from graphmodel.model import (
    Agency, Coordination, Dataset, Fund, Funding, Group, Implementation, Location, Program,
)
from graphmodel.neo4j.backend import Neo4jBackend

from graph_writer import clear, write_payload

HU_LONG, KALO, PHRA_NAKHON = "801208", "802103", "100101"


def tiny(*, implementation=(), coordination=(), groups=(), extra_locations=()) -> Dataset:
    """Hu Long: two pilots of CODI (special), normal programs of TAO and DOAE, a planner.

    Every name is the id. Funds: f_codi (codi, special, 5 baht), f_tao,
    f_doae, f_moph (normal), f_idle (codi, special, funds nothing).
    Programs (theme x, 2006): pilot1, pilot2 (pilot), normal1 (pilot unknown),
    normal2, elsewhere, plain (not pilots); all in Hu Long but elsewhere (Kalo).
    Funding: f_codi -> pilot1 (100 baht in 2006, 50 in 2007), f_tao -> normal1,
    f_doae -> normal2, f_moph -> elsewhere (no amount or year). codi implements
    pilot2 as lead. Groups are based in Hu Long.
    """
    programs = [("pilot1", True), ("pilot2", True), ("normal1", None), ("normal2", False),
                ("elsewhere", False), ("plain", False)]
    return with_areas(Dataset(
        agencies=[Agency(id=a, name=a, kind=k) for a, k in [
            ("codi", "special_agency"), ("tao", "local_government"), ("doae", "line_agency"),
            ("moph", "line_agency"), ("plan", "provincial")]],
        funds=[Fund(id="f_codi", name="f_codi", agency="codi", channel="special", amount_thb=5.0),
               Fund(id="f_tao", name="f_tao", agency="tao", channel="normal"),
               Fund(id="f_doae", name="f_doae", agency="doae", channel="normal"),
               Fund(id="f_moph", name="f_moph", agency="moph", channel="normal"),
               Fund(id="f_idle", name="f_idle", agency="codi", channel="special")],
        programs=[Program(id=p, name=p, themes=("x",), start_year=2006, end_year=2006, pilot=pilot)
                  for p, pilot in programs],
        groups=[Group(id=g, name=g, kind="group", tambon=HU_LONG) for g in groups],
        funding=[Funding(fund="f_codi", program="pilot1", amount_thb=100.0, fiscal_year=2006),
                 Funding(fund="f_codi", program="pilot1", amount_thb=50.0, fiscal_year=2007),
                 Funding(fund="f_tao", program="normal1"), Funding(fund="f_doae", program="normal2"),
                 Funding(fund="f_moph", program="elsewhere")],
        implementation=[Implementation(implementer="codi", program="pilot2", role="lead"),
                        *(Implementation(implementer=i, program=p) for i, p in implementation)],
        locations=[*(Location(program=p, tambon=HU_LONG) for p, _ in programs if p != "elsewhere"),
                   Location(program="elsewhere", tambon=KALO),
                   *(Location(program=p, tambon=t) for p, t in extra_locations)],
        coordination=[Coordination(a=a, b=b, tambon=t) for a, b, t in coordination],
    ))


@pytest.fixture(params=["python", pytest.param("cypher", marks=pytest.mark.neo4j)])
def run_on(request):
    """``run_on(dataset, name, **params)``: the rows of one twin (the fixture's parameter)."""
    if request.param == "python":
        return lambda ds, name, **params: list(rows(EmbeddedBackend(ds), name, params))
    driver = request.getfixturevalue("neo4j_driver")
    written: list[Dataset] = []

    def go(ds: Dataset, name: str, **params):
        if written != [ds]:  # write each graph once
            clear(driver)
            write_payload(driver, ds.to_graph())
            written[:] = [ds]
        return list(rows(Neo4jBackend(driver), name, params, twin="cypher"))
    return go


# --- pilots_without_normal_partner ---------------------------------------------------------------

@pytest.mark.parametrize("kwargs, listed", [
    pytest.param({}, ["pilot1", "pilot2"], id="no-partner"),
    pytest.param(dict(implementation=[("tao", "pilot1")]), ["pilot2"], id="1-normal-agency-implements"),
    pytest.param(dict(groups=["g"], implementation=[("g", "pilot1"), ("g", "normal2")]), ["pilot2"],
                 id="2-shared-group"),
    pytest.param(dict(groups=["g"], implementation=[("g", "pilot1"), ("g", "plain")]), ["pilot1", "pilot2"],
                 id="2-group-shares-no-normal-program"),
    pytest.param(dict(groups=["g"], implementation=[("g", "pilot1"), ("g", "elsewhere")]),
                 ["pilot1", "pilot2"], id="2-group-shares-a-normal-program-of-another-tambon"),
    pytest.param(dict(coordination=[("codi", "tao", None)]), [], id="3-link-to-agency-of-both"),
    pytest.param(dict(coordination=[("tao", "pilot2", HU_LONG)]), ["pilot1"], id="3-link-scoped-here"),
    pytest.param(dict(coordination=[("tao", "pilot2", KALO)]), ["pilot1", "pilot2"], id="3-link-scoped-elsewhere"),
    pytest.param(dict(groups=["g"], implementation=[("g", "pilot1")], coordination=[("g", "doae", None)]),
                 ["pilot2"], id="3-link-to-a-group-of-the-pilot"),
    pytest.param(dict(coordination=[("plan", "pilot1", None), ("doae", "plan", None)]), ["pilot2"],
                 id="3-through-a-coordinator"),
    pytest.param(dict(coordination=[("plan", "pilot1", None), ("doae", "plan", KALO)]), ["pilot1", "pilot2"],
                 id="3-coordinator-half-scoped-elsewhere"),
    pytest.param(dict(coordination=[("moph", "pilot1", None)]), ["pilot1", "pilot2"],
                 id="3-normal-only-elsewhere"),
])
def test_pilots_without_normal_partner(run_on, kwargs, listed):
    found = run_on(tiny(**kwargs), "pilots_without_normal_partner")
    assert [r["program"] for r in found] == listed
    # The normal agencies of Hu Long: tao (normal1) and doae (normal2); moph funds only in Kalo.
    assert all(r["normal_agencies"] == ["doae", "tao"] and r["tambon"] == HU_LONG for r in found)


def test_pilots_rows_in_full(run_on):
    found = run_on(tiny(implementation=[("plan", "pilot2")]), "pilots_without_normal_partner")
    assert found == [
        {"tambon": HU_LONG, "tambon_name": "หูล่อง", "program": "pilot1", "program_name": "pilot1",
         "agencies": ["codi"], "normal_agencies": ["doae", "tao"]},
        {"tambon": HU_LONG, "tambon_name": "หูล่อง", "program": "pilot2", "program_name": "pilot2",
         "agencies": ["codi", "plan"], "normal_agencies": ["doae", "tao"]},
    ]


def test_pilots_in_a_tambon_without_normal_programs(run_on):
    ds = tiny(extra_locations=[("pilot1", KALO), ("pilot2", PHRA_NAKHON)])
    found = run_on(ds, "pilots_without_normal_partner", tambon=KALO)
    assert [(r["tambon"], r["program"], r["normal_agencies"]) for r in found] == [(KALO, "pilot1", ["moph"])]
    # Phra Nakhon has no normal program: nobody there could take the pilot up.
    found = run_on(ds, "pilots_without_normal_partner", province="10")
    assert [(r["tambon"], r["program"], r["normal_agencies"]) for r in found] == [(PHRA_NAKHON, "pilot2", [])]
    found = run_on(ds, "pilots_without_normal_partner", province="80")
    assert [(r["tambon"], r["program"]) for r in found] == [
        (HU_LONG, "pilot1"), (HU_LONG, "pilot2"), (KALO, "pilot1")]


# --- fund_flows ----------------------------------------------------------------------------------

def test_fund_flows(run_on):
    ds = tiny(extra_locations=[("pilot1", KALO)])
    flows = run_on(ds, "fund_flows", channel="special")
    assert [(r["agency"], r["fund"], r["program"], r["fiscal_year"], r["amount_thb"], r["tambons"])
            for r in flows] == [("codi", "f_codi", "pilot1", 2006, 100.0, [HU_LONG, KALO]),
                                ("codi", "f_codi", "pilot1", 2007, 50.0, [HU_LONG, KALO])]
    assert run_on(ds, "fund_flows", province="10") == []
    # By channel, then agency (doae < moph < tao), fund, program, year.
    assert [(r["channel"], r["program"], r["tambons"]) for r in run_on(ds, "fund_flows")] == [
        ("normal", "normal2", [HU_LONG]), ("normal", "elsewhere", [KALO]), ("normal", "normal1", [HU_LONG]),
        ("special", "pilot1", [HU_LONG, KALO]), ("special", "pilot1", [HU_LONG, KALO])]


def test_fund_flows_province_keeps_only_its_tambons(run_on):
    ds = tiny(extra_locations=[("pilot1", PHRA_NAKHON)])
    assert [(r["program"], r["fiscal_year"], r["tambons"]) for r in run_on(ds, "fund_flows", province="10")] == [
        ("pilot1", 2006, [PHRA_NAKHON]), ("pilot1", 2007, [PHRA_NAKHON])]
    assert [(r["program"], r["tambons"]) for r in run_on(ds, "fund_flows", province="80", channel="special")] == [
        ("pilot1", [HU_LONG]), ("pilot1", [HU_LONG])]


def test_fund_flows_full_row_names_and_a_fund_without_channel(run_on):
    ds = tiny()
    ds = ds.model_copy(update={
        "funds": [*ds.funds, Fund(id="f_none", name="f_none", agency="plan")],
        "funding": [*ds.funding, Funding(fund="f_none", program="normal2", amount_thb=7.0, fiscal_year=2006)],
        # One name in Thai, one empty: the id stands in for a missing name.
        "programs": [p.model_copy(update={"name": {"normal2": "งานปกติ", "normal1": ""}.get(p.id, p.name)})
                     for p in ds.programs],
    })
    found = run_on(ds, "fund_flows")
    assert [(r["channel"], r["fund"], r["program"]) for r in found][-1] == (None, "f_none", "normal2")
    assert found[-1] == {"channel": None, "agency": "plan", "fund": "f_none", "program": "normal2",
                         "program_name": "งานปกติ", "fiscal_year": 2006, "amount_thb": 7.0,
                         "tambons": [HU_LONG]}
    assert [r["program_name"] for r in found if r["program"] == "normal1"] == ["normal1"]
    assert [r["fund"] for r in run_on(ds, "fund_flows", channel="normal")] == ["f_doae", "f_moph", "f_tao"]


# --- agency_footprint ----------------------------------------------------------------------------

def test_agency_footprint(run_on):
    ds = tiny(extra_locations=[("pilot1", KALO)])
    footprint = run_on(ds, "agency_footprint", agency="codi")
    assert [(r["via"], r["fund"], r["channel"], r["program"], r["role"], r["amount_thb"], r["fiscal_year"],
             r["tambons"]) for r in footprint] == [
        ("fund", "f_codi", "special", "pilot1", None, 100.0, 2006, [HU_LONG, KALO]),
        ("fund", "f_codi", "special", "pilot1", None, 50.0, 2007, [HU_LONG, KALO]),
        ("fund", "f_idle", "special", None, None, None, None, []),
        ("implements", None, None, "pilot2", "lead", None, None, [HU_LONG]),
    ]
    assert footprint[0] == {"agency": "codi", "via": "fund", "fund": "f_codi", "channel": "special",
                            "program": "pilot1", "program_name": "pilot1", "role": None,
                            "amount_thb": 100.0, "fiscal_year": 2006, "tambons": [HU_LONG, KALO]}


def test_agency_footprint_of_others(run_on):
    ds = tiny(implementation=[("tao", "normal1"), ("tao", "elsewhere")])
    assert [(r["via"], r["fund"], r["program"], r["amount_thb"], r["fiscal_year"], r["tambons"])
            for r in run_on(ds, "agency_footprint", agency="tao")] == [
        ("fund", "f_tao", "normal1", None, None, [HU_LONG]),
        ("implements", None, "elsewhere", None, None, [KALO]),
        ("implements", None, "normal1", None, None, [HU_LONG]),
    ]
    assert run_on(ds, "agency_footprint", agency="plan") == []  # manages and implements nothing
    assert run_on(ds, "agency_footprint", agency="nobody") == []
    assert run_on(ds, "agency_footprint", agency="f_tao") == []  # a fund is not an agency


# --- tambon_stakeholders and shared_groups ---------------------------------------------------------

def test_tambon_stakeholders(run_on):
    ds = tiny(groups=["g"], implementation=[("g", "pilot1"), ("g", "normal2")])
    found = run_on(ds, "tambon_stakeholders", tambon=HU_LONG)
    assert [(r["program"], r["kind"], r["id"], r["role"], r["amount_thb"], r["fiscal_year"]) for r in found] == [
        ("normal1", "Agency", "tao", "manages fund f_tao", None, None),
        ("normal1", "Fund", "f_tao", "funds", None, None),
        ("normal2", "Agency", "doae", "manages fund f_doae", None, None),
        ("normal2", "Fund", "f_doae", "funds", None, None),
        ("normal2", "Group", "g", "implements", None, None),
        ("pilot1", "Agency", "codi", "manages fund f_codi", None, None),  # once, for two fiscal years
        ("pilot1", "Fund", "f_codi", "funds", 100.0, 2006),
        ("pilot1", "Fund", "f_codi", "funds", 50.0, 2007),
        ("pilot1", "Group", "g", "implements", None, None),
        ("pilot2", "Agency", "codi", "implements: lead", None, None),
        (None, "Group", "g", "based here", None, None),  # plain has nobody; the group comes last
    ]
    assert found[-1] == {"program": None, "program_name": None, "kind": "Group", "id": "g", "name": "g",
                         "name_en": None, "role": "based here", "amount_thb": None, "fiscal_year": None}
    assert [(r["program"], r["id"], r["role"]) for r in run_on(ds, "tambon_stakeholders", tambon=KALO)] == [
        ("elsewhere", "moph", "manages fund f_moph"), ("elsewhere", "f_moph", "funds")]
    assert run_on(ds, "tambon_stakeholders", tambon=PHRA_NAKHON) == []


def test_shared_groups(run_on):
    ds = tiny(groups=["g", "h", "k"],
              implementation=[("g", "pilot1"), ("g", "normal2"), ("h", "pilot1"), ("h", "pilot2"),
                              ("k", "normal1"), ("k", "plain"), ("k", "normal2")])
    ds = ds.model_copy(update={"groups": [
        gr.model_copy(update={"tambon": KALO}) if gr.id == "k" else gr for gr in ds.groups]})
    found = run_on(ds, "shared_groups")
    # g bridges codi (pilot1) and doae (normal2); h works only with codi; k is based in Kalo.
    assert found == [
        {"group_id": "g", "name": "g", "name_en": None, "tambon": HU_LONG, "agencies": ["codi", "doae"],
         "programs": ["normal2", "pilot1"]},
        {"group_id": "k", "name": "k", "name_en": None, "tambon": KALO, "agencies": ["doae", "tao"],
         "programs": ["normal1", "normal2", "plain"]},
    ]
    assert [r["group_id"] for r in run_on(ds, "shared_groups", province="80")] == ["g", "k"]
    assert run_on(ds, "shared_groups", province="10") == []


# --- schema ----------------------------------------------------------------------------------------

def test_schema(run_on):
    ds = tiny(groups=["g"], implementation=[("g", "pilot1")], coordination=[("codi", "tao", HU_LONG)])
    found = [(r["kind"], r["name"], r["pattern"], r["count"], r["properties"]) for r in run_on(ds, "schema")]
    assert found == [
        ("node", "Agency", "(:Agency)", 5, ["id", "kind", "name"]),
        # Areas: 8012 and 8021, in province 80; their DOPA code is both id and code (docs/cypher.md).
        ("node", "District", "(:District)", 2, ["code", "id", "name", "name_en"]),
        ("node", "Fund", "(:Fund)", 5, ["amount_thb", "channel", "id", "name"]),
        ("node", "Group", "(:Group)", 1, ["id", "kind", "name"]),
        ("node", "Program", "(:Program)", 6, ["end_year", "id", "name", "pilot", "start_year", "themes"]),
        ("node", "Province", "(:Province)", 1, ["code", "id", "name", "name_en"]),
        ("node", "Tambon", "(:Tambon)", 2, ["abolished", "code", "id", "name", "name_en"]),
        ("relationship", "BASED_IN", "(:Group)-[:BASED_IN]->(:Tambon)", 1, []),
        ("relationship", "COORDINATES_WITH", "(:Agency)-[:COORDINATES_WITH]->(:Agency)", 1, ["tambon"]),
        ("relationship", "FUNDS", "(:Fund)-[:FUNDS]->(:Program)", 5, ["amount_thb", "fiscal_year"]),
        ("relationship", "IMPLEMENTS", "(:Agency)-[:IMPLEMENTS]->(:Program)", 1, ["role"]),
        ("relationship", "IMPLEMENTS", "(:Group)-[:IMPLEMENTS]->(:Program)", 1, []),
        ("relationship", "IN_DISTRICT", "(:Tambon)-[:IN_DISTRICT]->(:District)", 2, []),
        ("relationship", "IN_PROVINCE", "(:District)-[:IN_PROVINCE]->(:Province)", 2, []),
        ("relationship", "LOCATED_IN", "(:Program)-[:LOCATED_IN]->(:Tambon)", 6, []),
        ("relationship", "MANAGES", "(:Agency)-[:MANAGES]->(:Fund)", 5, []),
    ]
    counts = {r["type"]: r["count"] for r in run_on(ds, "counts")}
    assert counts == {name: sum(c for kind, n, _, c, _ in found if n == name) for _, name, *_ in found}
