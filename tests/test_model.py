"""graphmodel/model.py: the one data model — records, what each becomes in the graph, and counts.

A small dataset is counted by hand; :meth:`Dataset.node_rows`,
:meth:`Dataset.relationship_rows`, :meth:`Dataset.to_graph` and
:meth:`Dataset.counts` must agree with those counts and with each other.
"""

from __future__ import annotations

from collections import Counter

import pytest
from pydantic import ValidationError

from graphmodel.dataset import read_dataset
from graphmodel.geo import with_areas
from graphmodel.model import (
    AREA_LABELS, ENTITY_LABELS, REL_ENDS, REL_KEY_PROPERTY, Agency, Coordination, Dataset, Fund, Funding,
    Group, Implementation, Location, Node, NodeLabel, Program, Relationship, RelType, bilingual, rel_key,
)

from paths import SEED, SEED_COORDINATED

HU_LONG, KALO = "801208", "802103"


def small() -> Dataset:
    """2 agencies (dopa PART_OF codi), 1 fund, 2 programs, 1 group; 2 funding links (two years),
    2 implementing links (an agency and a group), 2 locations, 2 coordination links, and the
    areas of Hu Long and Kalo (2 tambons, 2 districts, 1 province)."""
    return with_areas(Dataset(
        agencies=[Agency(id="codi", name="พอช.", name_en="CODI", kind="special_agency"),
                  Agency(id="dopa", name="ปค.", kind="line_agency", parent="codi")],
        funds=[Fund(id="f", name="กองทุน", agency="codi", channel="special", extra={"note": "งบ"})],
        programs=[Program(id="p", name="แผน", themes=("a", "b"), start_year=2006, end_year=2007, pilot=True),
                  Program(id="q", name="สำรวจ", themes=("b",), start_year=2006, end_year=2006)],
        groups=[Group(id="g", name="กลุ่ม", kind="savings", tambon=HU_LONG)],
        funding=[Funding(fund="f", program="p", amount_thb=100.0, fiscal_year=2006),
                 Funding(fund="f", program="p", fiscal_year=2007, extra={"source": "seed"})],
        implementation=[Implementation(implementer="dopa", program="p", role="lead"),
                        Implementation(implementer="g", program="q")],
        locations=[Location(program="p", tambon=HU_LONG), Location(program="q", tambon=KALO)],
        coordination=[Coordination(a="codi", b="g", mechanism="plan", tambon=HU_LONG),
                      Coordination(a="p", b="q")],
    ))


HAND_COUNTS = {
    "Agency": 2, "District": 2, "Fund": 1, "Group": 1, "Program": 2, "Province": 1, "Tambon": 2,
    "BASED_IN": 1, "COORDINATES_WITH": 2, "FUNDS": 2, "IMPLEMENTS": 2, "IN_DISTRICT": 2, "IN_PROVINCE": 2,
    "LOCATED_IN": 2, "MANAGES": 1, "PART_OF": 1,
}


def test_counts_by_hand():
    counts = small().counts()
    assert counts == HAND_COUNTS
    assert list(counts) == sorted(counts)  # sorted by name


def test_counts_leave_out_what_there_is_none_of():
    ds = Dataset(agencies=[Agency(id="a", name="A", kind="provincial")])
    assert ds.counts() == {"Agency": 1}
    assert Dataset().counts() == {}


def test_node_rows_relationship_rows_and_to_graph_agree():
    ds = small()
    graph = ds.to_graph()
    nodes = Counter(n.label.value for n in graph.nodes)
    rels = Counter(r.type.value for r in graph.relationships)
    assert {**nodes, **rels} == HAND_COUNTS
    for label in NodeLabel:
        assert [(n.id, n.properties) for n in graph.nodes if n.label is label] == list(ds.node_rows(label))
    for rtype in RelType:
        assert [(r.start_label.value, r.start, r.end_label.value, r.end, r.properties)
                for r in graph.relationships if r.type is rtype] == list(ds.relationship_rows(rtype))
    # Nodes come label by label in NodeLabel's order, relationships type by type.
    assert [n.label for n in graph.nodes] == sorted((n.label for n in graph.nodes), key=list(NodeLabel).index)


def test_what_each_record_becomes():
    ds = small()
    assert dict(ds.node_rows("Agency")) == {  # parent is the PART_OF relationship, None is left out
        "codi": {"name": "พอช.", "name_en": "CODI", "kind": "special_agency"},
        "dopa": {"name": "ปค.", "kind": "line_agency"}}
    assert dict(ds.node_rows("Fund")) == {"f": {"name": "กองทุน", "channel": "special", "note": "งบ"}}
    assert dict(ds.node_rows("Program"))["p"] == {"name": "แผน", "themes": ["a", "b"], "start_year": 2006,
                                                  "end_year": 2007, "pilot": True}
    assert dict(ds.node_rows("Program"))["q"] == {"name": "สำรวจ", "themes": ["b"], "start_year": 2006,
                                                  "end_year": 2006}
    assert dict(ds.node_rows("Group")) == {"g": {"name": "กลุ่ม", "kind": "savings"}}
    # Areas: the DOPA code is the id and stays a property (code).
    assert dict(ds.node_rows("Tambon"))[HU_LONG] == {"code": HU_LONG, "name": "หูล่อง", "name_en": "Hu Long",
                                                      "abolished": False}
    assert dict(ds.node_rows("District")) == {
        "8012": {"code": "8012", "name": "ปากพนัง", "name_en": "Pak Phanang"},
        "8021": {"code": "8021", "name": "นบพิตำ", "name_en": "Nopphitam"}}
    assert list(ds.relationship_rows("FUNDS")) == [
        ("Fund", "f", "Program", "p", {"amount_thb": 100.0, "fiscal_year": 2006}),
        ("Fund", "f", "Program", "p", {"fiscal_year": 2007, "source": "seed"})]
    assert list(ds.relationship_rows("IMPLEMENTS")) == [
        ("Agency", "dopa", "Program", "p", {"role": "lead"}), ("Group", "g", "Program", "q", {})]
    assert list(ds.relationship_rows("COORDINATES_WITH")) == [
        ("Agency", "codi", "Group", "g", {"mechanism": "plan", "tambon": HU_LONG}),
        ("Program", "p", "Program", "q", {})]
    assert list(ds.relationship_rows("PART_OF")) == [("Agency", "dopa", "Agency", "codi", {})]
    assert list(ds.relationship_rows("BASED_IN")) == [("Group", "g", "Tambon", HU_LONG, {})]
    assert list(ds.relationship_rows("IN_DISTRICT")) == [("Tambon", HU_LONG, "District", "8012", {}),
                                                        ("Tambon", KALO, "District", "8021", {})]
    assert list(ds.relationship_rows("IN_PROVINCE")) == [("District", "8012", "Province", "80", {}),
                                                        ("District", "8021", "Province", "80", {})]


def test_label_of_maps_the_one_id_space():
    assert small().label_of() == {"codi": NodeLabel.Agency, "dopa": NodeLabel.Agency, "f": NodeLabel.Fund,
                                  "p": NodeLabel.Program, "q": NodeLabel.Program, "g": NodeLabel.Group}
    assert ENTITY_LABELS == ("Agency", "Fund", "Program", "Group")
    assert AREA_LABELS == ("Tambon", "District", "Province")


# --- relationship ends and keys -------------------------------------------------------------------

def test_rel_ends_cover_every_type():
    assert set(REL_ENDS) == set(RelType)
    labels = {label.value for label in NodeLabel}
    for starts, ends in REL_ENDS.values():
        assert set(starts) <= labels and set(ends) <= labels


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_relationship_rows_stay_within_rel_ends(folder):
    datasets = [small(), read_dataset(folder)]
    seen: dict[RelType, set[tuple[str, str]]] = {t: set() for t in RelType}
    for ds in datasets:
        for rtype in RelType:
            for start_label, _, end_label, _, _ in ds.relationship_rows(rtype):
                seen[rtype].add((start_label, end_label))
    for rtype, pairs in seen.items():
        starts, ends = REL_ENDS[rtype]
        assert pairs and all(s in starts and e in ends for s, e in pairs), rtype


@pytest.mark.parametrize("rel, key", [
    (Relationship(type="FUNDS", start_label="Fund", start="f", end_label="Program", end="p",
                  properties={"fiscal_year": 2006, "amount_thb": 5.0}), "FUNDS|2006"),
    (Relationship(type="FUNDS", start_label="Fund", start="f", end_label="Program", end="p"), "FUNDS"),
    (Relationship(type="COORDINATES_WITH", start_label="Agency", start="a", end_label="Agency", end="b",
                  properties={"tambon": KALO, "mechanism": "plan"}), f"COORDINATES_WITH|{KALO}"),
    (Relationship(type="COORDINATES_WITH", start_label="Agency", start="a", end_label="Agency", end="b",
                  properties={"mechanism": "plan"}), "COORDINATES_WITH"),
    (Relationship(type="IMPLEMENTS", start_label="Agency", start="a", end_label="Program", end="p",
                  properties={"role": "lead"}), "IMPLEMENTS"),  # one per pair: no key property
])
def test_rel_key(rel, key):
    assert rel_key(rel) == key


def test_rel_keys_tell_apart_every_relationship_joining_the_same_nodes():
    assert set(REL_KEY_PROPERTY) == {RelType.FUNDS, RelType.COORDINATES_WITH}
    for folder in (SEED, SEED_COORDINATED):
        rels = read_dataset(folder).to_graph().relationships
        keys = [(r.start, r.end, rel_key(r)) for r in rels]
        assert len(keys) == len(set(keys)), folder


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, name_en, fallback, label", [
    ("กะหรอ", "Karo", "", "กะหรอ (Karo)"),
    ("OTOP", "OTOP", "", "OTOP"),  # the same twice is said once
    ("กะหรอ", None, "", "กะหรอ"),
    (None, "Karo", "", "Karo"),
    ("", "", "802103", "802103"),
    (None, None, "p1", "p1"),
])
def test_bilingual(name, name_en, fallback, label):
    assert bilingual(name, name_en, fallback) == label


# --- the records refuse what is not in the contract ------------------------------------------------

def test_records_forbid_unknown_fields_and_are_frozen():
    with pytest.raises(ValidationError, match="nickname"):
        Agency(id="a", name="A", kind="provincial", nickname="x")
    with pytest.raises(ValidationError, match="kind"):
        Agency(id="a", name="A", kind="ministry")
    with pytest.raises(ValidationError, match="id"):
        Agency(id="", name="A", kind="provincial")
    with pytest.raises(ValidationError, match="amount_thb"):
        Funding(fund="f", program="p", amount_thb=-1.0)
    with pytest.raises(ValidationError, match="label"):
        Node(label="Ministry", id="x")
    agency = Agency(id="a", name="A", kind="provincial")
    with pytest.raises(ValidationError, match="frozen"):
        agency.name = "B"


# --- rows without a pydantic dump per record (national-scale reading) ---


def reference_props(record, skip=()) -> dict:
    """The properties as the model's JSON dump gives them: None dropped, extras after."""
    data = record.model_dump(mode="json", exclude={"id", "extra", *skip})
    props = {k: v for k, v in data.items() if v is not None}
    for key, value in getattr(record, "extra", {}).items():
        if value != "" and key not in props:
            props[key] = value
    return props


SKIP = {"Province": (), "District": ("province",), "Tambon": ("district",), "Agency": ("parent",),
        "Fund": ("agency",), "Program": (), "Group": ("tambon",)}
RECORDS = {"Province": "provinces", "District": "districts", "Tambon": "tambons", "Agency": "agencies",
           "Fund": "funds", "Program": "programs", "Group": "groups"}


@pytest.fixture(params=["seed", "synth"])
def dataset(request, synth_dir):
    return read_dataset(SEED if request.param == "seed" else synth_dir)


def test_node_rows_are_the_records_json_dump(dataset):
    for label in NodeLabel:
        records = getattr(dataset, RECORDS[label.value])
        key = "code" if label.value in AREA_LABELS else "id"
        expected = [(getattr(r, key), reference_props(r, SKIP[label.value])) for r in records]
        assert list(dataset.node_rows(label)) == expected, label
        assert [list(props) for _, props in dataset.node_rows(label)] == [list(p) for _, p in expected]


def test_link_rows_keep_their_values_and_extra_columns(dataset):
    rows = {rtype: list(dataset.relationship_rows(rtype)) for rtype in RelType}
    assert [r[4] for r in rows[RelType.LOCATED_IN]] == [dict(x.extra) for x in dataset.locations]
    assert [r[4] for r in rows[RelType.FUNDS]] == [
        {**{k: v for k, v in (("amount_thb", x.amount_thb), ("fiscal_year", x.fiscal_year)) if v is not None},
         **x.extra} for x in dataset.funding]
    assert [(r[1], r[3]) for r in rows[RelType.LOCATED_IN]] == [(x.program, x.tambon) for x in dataset.locations]
    assert {r[0] for r in rows[RelType.IMPLEMENTS]} <= {"Agency", "Group"}
