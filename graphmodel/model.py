"""The one data model every part of graphmodel shares.

A :class:`Dataset` is what the reader returns after validating a folder of
CSV files; :meth:`Dataset.to_graph` turns it into a :class:`GraphPayload`
of plain :class:`Node` and :class:`Relationship` records, which is the only
thing the backends (embedded networkx, Neo4j) accept.

The graph schema::

    (:Agency)-[:MANAGES]->(:Fund)-[:FUNDS]->(:Program)
    (:Agency|Group)-[:IMPLEMENTS]->(:Program)
    (:Program)-[:LOCATED_IN]->(:Tambon)-[:IN_DISTRICT]->(:District)-[:IN_PROVINCE]->(:Province)
    (:Group)-[:BASED_IN]->(:Tambon)
    (:Agency)-[:PART_OF]->(:Agency)
    (:Agency|Group|Program)-[:COORDINATES_WITH]->(:Agency|Group|Program)   # undirected meaning

Examples
--------
>>> ds = Dataset(
...     agencies=[Agency(id="codi", name="พอช.", kind="special_agency")],
...     programs=[Program(id="p1", name="แผนชีวิต", themes=("community_planning",),
...                       start_year=2006, end_year=2006)],
... )
>>> g = ds.to_graph()
>>> sorted(n.label.value for n in g.nodes)
['Agency', 'Program']
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AgencyKind",
    "Channel",
    "NodeLabel",
    "RelType",
    "Agency",
    "Fund",
    "Program",
    "Group",
    "Province",
    "District",
    "Tambon",
    "Funding",
    "Implementation",
    "Location",
    "Coordination",
    "Dataset",
    "Node",
    "Relationship",
    "GraphPayload",
    "ENTITY_LABELS",
    "REL_KEY_PROPERTY",
    "bilingual",
    "rel_key",
    "AREA_LABELS",
    "REL_ENDS",
]


class AgencyKind(str, Enum):
    """Who an agency is in the Thai development system."""

    local_government = "local_government"
    line_agency = "line_agency"
    provincial = "provincial"
    special_agency = "special_agency"
    community_network = "community_network"
    academic = "academic"
    civil_society = "civil_society"


class Channel(str, Enum):
    """The three budget routes of the seed case."""

    normal = "normal"  # the normal system: line agencies and local government
    ceo = "ceo"  # the governor's (CEO) budget
    special = "special"  # special agencies: CODI, TRF, ThaiHealth ...


class NodeLabel(str, Enum):
    Agency = "Agency"
    Fund = "Fund"
    Program = "Program"
    Group = "Group"
    Tambon = "Tambon"
    District = "District"
    Province = "Province"


class RelType(str, Enum):
    MANAGES = "MANAGES"
    FUNDS = "FUNDS"
    IMPLEMENTS = "IMPLEMENTS"
    LOCATED_IN = "LOCATED_IN"
    IN_DISTRICT = "IN_DISTRICT"
    IN_PROVINCE = "IN_PROVINCE"
    BASED_IN = "BASED_IN"
    PART_OF = "PART_OF"
    COORDINATES_WITH = "COORDINATES_WITH"


def bilingual(name: str | None, name_en: str | None, fallback: str = "") -> str:
    """The user-facing label of anything named: ``Thai (English)`` where both exist.

    >>> bilingual("กะหรอ", "Karo"), bilingual("OTOP", "OTOP"), bilingual(None, None, "p1")
    ('กะหรอ (Karo)', 'OTOP', 'p1')
    """
    if name and name_en and name_en != name:
        return f"{name} ({name_en})"
    return name or name_en or fallback


#: Labels whose ids share one id space (``coordination.csv`` may name any of the last three).
ENTITY_LABELS = ("Agency", "Fund", "Program", "Group")
#: Administrative areas; their id is the DOPA code.
AREA_LABELS = ("Tambon", "District", "Province")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Entity(_Record):
    id: str = Field(min_length=1)
    name: str
    name_en: str | None = None
    source: str | None = None
    #: Columns beyond the contract, kept as properties (values as read).
    extra: dict[str, str] = Field(default_factory=dict)


class Agency(_Entity):
    kind: AgencyKind
    parent: str | None = None


class Fund(_Entity):
    agency: str
    channel: Channel | None = None
    amount_thb: float | None = Field(default=None, ge=0)
    fiscal_year: int | None = None


class Program(_Entity):
    themes: tuple[str, ...] = ()
    start_year: int
    end_year: int
    pilot: bool | None = None


class Group(_Entity):
    kind: str
    tambon: str


# Areas carry their Thai name in ``name`` like every other node, so one
# property serves every label in views and Cypher.
class Province(_Record):
    code: str
    name: str
    name_en: str | None = None


class District(_Record):
    code: str
    name: str
    name_en: str | None = None
    province: str


class Tambon(_Record):
    code: str
    name: str
    name_en: str | None = None
    district: str
    abolished: bool = False


class _Link(_Record):
    """A row of a link file; columns beyond the contract are kept in ``extra``."""

    extra: dict[str, str] = Field(default_factory=dict)


class Funding(_Link):
    fund: str
    program: str
    amount_thb: float | None = Field(default=None, ge=0)
    fiscal_year: int | None = None


class Implementation(_Link):
    implementer: str
    program: str
    role: str | None = None


class Location(_Link):
    program: str
    tambon: str


class Coordination(_Link):
    a: str
    b: str
    mechanism: str | None = None
    tambon: str | None = None


class Node(_Record):
    """A node as every backend receives it: a label, an id and flat properties."""

    label: NodeLabel
    id: str
    properties: dict[str, Any] = Field(default_factory=dict)


class Relationship(_Record):
    """A relationship as every backend receives it, between two (label, id) ends."""

    type: RelType
    start_label: NodeLabel
    start: str
    end_label: NodeLabel
    end: str
    properties: dict[str, Any] = Field(default_factory=dict)


#: Relationship types that may join the same two nodes more than once, and the
#: property that tells those relationships apart (backends merge on it).
REL_KEY_PROPERTY: dict[RelType, str] = {
    RelType.FUNDS: "fiscal_year",
    RelType.COORDINATES_WITH: "tambon",
}


#: The labels each relationship type may start and end at (the schema above).
REL_ENDS: dict[RelType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    RelType.MANAGES: (("Agency",), ("Fund",)),
    RelType.FUNDS: (("Fund",), ("Program",)),
    RelType.IMPLEMENTS: (("Agency", "Group"), ("Program",)),
    RelType.LOCATED_IN: (("Program",), ("Tambon",)),
    RelType.IN_DISTRICT: (("Tambon",), ("District",)),
    RelType.IN_PROVINCE: (("District",), ("Province",)),
    RelType.BASED_IN: (("Group",), ("Tambon",)),
    RelType.PART_OF: (("Agency",), ("Agency",)),
    RelType.COORDINATES_WITH: (("Agency", "Group", "Program"), ("Agency", "Group", "Program")),
}


def rel_key(rel: "Relationship") -> str:
    """A key unique among relationships joining the same two nodes.

    >>> rel_key(Relationship(type="FUNDS", start_label="Fund", start="f", end_label="Program",
    ...                      end="p", properties={"fiscal_year": 2006}))
    'FUNDS|2006'
    """
    prop = REL_KEY_PROPERTY.get(rel.type)
    value = rel.properties.get(prop) if prop else None
    return rel.type.value if value is None else f"{rel.type.value}|{value}"


class GraphPayload(_Record):
    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)


def _props(record: _Record, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Flat properties for a record: None dropped, enums as values, tuples as lists, extras merged.

    What ``record.model_dump(mode="json")`` gives for these flat records
    (fields in model order), read straight from the fields: a national
    dataset has a quarter of a million programs.
    """
    values = record.__dict__
    props = {}
    for name in _prop_fields(type(record), skip):
        value = values[name]
        if value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        props[name] = value
    for key, value in values.get("extra", _NO_EXTRA).items():
        if value != "" and key not in props:
            props[key] = value
    return props


_NO_EXTRA: dict[str, str] = {}


@cache
def _prop_fields(cls: type[_Record], skip: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in cls.model_fields if name not in ("id", "extra", *skip))


class Dataset(_Record):
    """A validated dataset: the entities, the areas they touch and the links between them."""

    agencies: list[Agency] = Field(default_factory=list)
    funds: list[Fund] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    provinces: list[Province] = Field(default_factory=list)
    districts: list[District] = Field(default_factory=list)
    tambons: list[Tambon] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)
    implementation: list[Implementation] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    coordination: list[Coordination] = Field(default_factory=list)

    def label_of(self) -> dict[str, NodeLabel]:
        """Map every entity id (one id space) to its label."""
        return {item.id: label for label, items in self._entities() for item in items}

    def _label_values(self) -> dict[str, str]:
        """:meth:`label_of` with the labels' names (what a relationship row holds)."""
        return {item.id: label.value for label, items in self._entities() for item in items}

    def _entities(self) -> tuple[tuple[NodeLabel, list], ...]:
        return ((NodeLabel.Agency, self.agencies), (NodeLabel.Fund, self.funds),
                (NodeLabel.Program, self.programs), (NodeLabel.Group, self.groups))

    def node_rows(self, label: NodeLabel | str) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(id, properties)`` of every node of ``label``, in dataset order.

        The one definition of what each record becomes in the graph;
        :meth:`to_graph` and the embedded backend both read it.
        """
        label = NodeLabel(label)
        records, skip = _NODE_SOURCES[label]
        key = "code" if label.value in AREA_LABELS else "id"
        for record in getattr(self, records):
            yield getattr(record, key), _props(record, skip)

    def relationship_rows(self, rtype: RelType | str) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
        """``(start label, start id, end label, end id, properties)`` of every
        relationship of ``rtype``, in dataset order."""
        R, L = RelType, NodeLabel
        rtype = RelType(rtype)
        program, tambon = L.Program.value, L.Tambon.value  # looked up once, not per row
        if rtype is R.IN_PROVINCE:
            for d in self.districts:
                yield L.District.value, d.code, L.Province.value, d.province, {}
        elif rtype is R.IN_DISTRICT:
            for t in self.tambons:
                yield L.Tambon.value, t.code, L.District.value, t.district, {}
        elif rtype is R.PART_OF:
            for a in self.agencies:
                if a.parent:
                    yield L.Agency.value, a.id, L.Agency.value, a.parent, {}
        elif rtype is R.MANAGES:
            for f in self.funds:
                yield L.Agency.value, f.agency, L.Fund.value, f.id, {}
        elif rtype is R.BASED_IN:
            for g in self.groups:
                yield L.Group.value, g.id, L.Tambon.value, g.tambon, {}
        elif rtype is R.FUNDS:
            fund = L.Fund.value
            for x in self.funding:
                yield (fund, x.fund, program, x.program,
                       _link_props(x, amount_thb=x.amount_thb, fiscal_year=x.fiscal_year))
        elif rtype is R.IMPLEMENTS:
            label = self._label_values()
            for x in self.implementation:
                yield (label[x.implementer], x.implementer, program, x.program, _link_props(x, role=x.role))
        elif rtype is R.LOCATED_IN:
            for x in self.locations:
                yield program, x.program, tambon, x.tambon, dict(x.extra) if x.extra else {}
        else:  # COORDINATES_WITH
            label = self._label_values()
            for x in self.coordination:
                yield (label[x.a], x.a, label[x.b], x.b, _link_props(x, mechanism=x.mechanism, tambon=x.tambon))

    def to_graph(self) -> GraphPayload:
        """The dataset as nodes and relationships, the same for every backend."""
        nodes = [Node(label=label, id=id_, properties=props)
                 for label in NodeLabel for id_, props in self.node_rows(label)]
        rels = [Relationship(type=rtype, start_label=sl, start=s, end_label=el, end=e, properties=props)
                for rtype in RelType for sl, s, el, e, props in self.relationship_rows(rtype)]
        return GraphPayload(nodes=nodes, relationships=rels)

    def counts(self) -> dict[str, int]:
        """Node and relationship counts by label/type, sorted by name, none zero.

        The counts of :meth:`to_graph` without building it: one relationship
        per row of a link file or per record that names its parent (tests
        hold the two equal).
        """
        out = {label.value: len(getattr(self, field)) for label, (field, _) in _NODE_SOURCES.items()}
        out |= {rtype.value: len(getattr(self, field)) for rtype, field in _REL_SOURCES.items()}
        out[RelType.PART_OF.value] = sum(1 for a in self.agencies if a.parent)
        return dict(sorted((k, v) for k, v in out.items() if v))


#: Where the nodes of each label come from: the dataset field, and fields that become relationships.
_NODE_SOURCES: dict[NodeLabel, tuple[str, tuple[str, ...]]] = {
    NodeLabel.Province: ("provinces", ()),
    NodeLabel.District: ("districts", ("province",)),
    NodeLabel.Tambon: ("tambons", ("district",)),
    NodeLabel.Agency: ("agencies", ("parent",)),
    NodeLabel.Fund: ("funds", ("agency",)),
    NodeLabel.Program: ("programs", ()),
    NodeLabel.Group: ("groups", ("tambon",)),
}

#: The record list each relationship type has one relationship per item of (PART_OF: agencies with a parent).
_REL_SOURCES: dict[RelType, str] = {
    RelType.IN_PROVINCE: "districts", RelType.IN_DISTRICT: "tambons", RelType.MANAGES: "funds",
    RelType.BASED_IN: "groups", RelType.FUNDS: "funding", RelType.IMPLEMENTS: "implementation",
    RelType.LOCATED_IN: "locations", RelType.COORDINATES_WITH: "coordination",
}


def _link_props(link: _Link, **props: Any) -> dict[str, Any]:
    """A link row's properties: the contract's non-empty values, then its extra columns."""
    out = {k: v for k, v in props.items() if v is not None}
    if link.extra:
        out.update(link.extra)
    return out
