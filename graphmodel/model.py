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
from typing import Any, Literal

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
    """Flat properties for a record: None dropped, enums as values, tuples as lists, extras merged."""
    data = record.model_dump(mode="json", exclude={"id", "extra", *skip})
    props = {k: v for k, v in data.items() if v is not None}
    for key, value in getattr(record, "extra", {}).items():
        if value != "" and key not in props:
            props[key] = value
    return props


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
        out: dict[str, NodeLabel] = {}
        for label, items in (
            (NodeLabel.Agency, self.agencies),
            (NodeLabel.Fund, self.funds),
            (NodeLabel.Program, self.programs),
            (NodeLabel.Group, self.groups),
        ):
            for item in items:
                out[item.id] = label
        return out

    def to_graph(self) -> GraphPayload:
        """The dataset as nodes and relationships, the same for every backend."""
        nodes: list[Node] = []
        rels: list[Relationship] = []
        L, R = NodeLabel, RelType

        def rel(t, sl, s, el, e, /, **props):
            rels.append(
                Relationship(
                    type=t, start_label=sl, start=s, end_label=el, end=e,
                    properties={k: v for k, v in props.items() if v is not None},
                )
            )

        for p in self.provinces:
            nodes.append(Node(label=L.Province, id=p.code, properties=_props(p)))
        for d in self.districts:
            nodes.append(Node(label=L.District, id=d.code, properties=_props(d, ("province",))))
            rel(R.IN_PROVINCE, L.District, d.code, L.Province, d.province)
        for t in self.tambons:
            nodes.append(Node(label=L.Tambon, id=t.code, properties=_props(t, ("district",))))
            rel(R.IN_DISTRICT, L.Tambon, t.code, L.District, t.district)
        for a in self.agencies:
            nodes.append(Node(label=L.Agency, id=a.id, properties=_props(a, ("parent",))))
            if a.parent:
                rel(R.PART_OF, L.Agency, a.id, L.Agency, a.parent)
        for f in self.funds:
            nodes.append(Node(label=L.Fund, id=f.id, properties=_props(f, ("agency",))))
            rel(R.MANAGES, L.Agency, f.agency, L.Fund, f.id)
        for p in self.programs:
            nodes.append(Node(label=L.Program, id=p.id, properties=_props(p)))
        for g in self.groups:
            nodes.append(Node(label=L.Group, id=g.id, properties=_props(g, ("tambon",))))
            rel(R.BASED_IN, L.Group, g.id, L.Tambon, g.tambon)

        label = self.label_of()
        for x in self.funding:
            rel(R.FUNDS, L.Fund, x.fund, L.Program, x.program,
                amount_thb=x.amount_thb, fiscal_year=x.fiscal_year, **x.extra)
        for x in self.implementation:
            rel(R.IMPLEMENTS, label[x.implementer], x.implementer, L.Program, x.program,
                role=x.role, **x.extra)
        for x in self.locations:
            rel(R.LOCATED_IN, L.Program, x.program, L.Tambon, x.tambon, **x.extra)
        for x in self.coordination:
            rel(R.COORDINATES_WITH, label[x.a], x.a, label[x.b], x.b,
                mechanism=x.mechanism, tambon=x.tambon, **x.extra)
        return GraphPayload(nodes=nodes, relationships=rels)

    def counts(self) -> dict[str, int]:
        """Node and relationship counts by label/type, sorted by name.

        The counts of :meth:`to_graph`, without building it (a type with no
        node or relationship is left out).
        """
        out = {
            "Province": len(self.provinces), "District": len(self.districts), "Tambon": len(self.tambons),
            "Agency": len(self.agencies), "Fund": len(self.funds), "Program": len(self.programs),
            "Group": len(self.groups), "IN_PROVINCE": len(self.districts), "IN_DISTRICT": len(self.tambons),
            "PART_OF": sum(1 for a in self.agencies if a.parent), "MANAGES": len(self.funds),
            "BASED_IN": len(self.groups), "FUNDS": len(self.funding), "IMPLEMENTS": len(self.implementation),
            "LOCATED_IN": len(self.locations), "COORDINATES_WITH": len(self.coordination),
        }
        return dict(sorted((k, v) for k, v in out.items() if v))
