"""The facts every Python twin reads, built once from any backend.

:class:`Facts` reads a backend's rows once (nodes by label, relationships by
type) into small indexes: each program with its years, themes, agencies,
groups, implementers (with their roles), funding links (fund, fiscal year,
amount) and known budget; the programs and groups of each tambon and the
tambons' names; the coordination links, split into those that count
everywhere and those limited to one tambon. Analyses then never walk the
graph inside a loop.

The shared definitions live here, once in Python (their Cypher twins are
the fragments of ``cypher/definitions.cypher``; tests hold the two equal):

- :func:`program_agencies` — the agencies of a program: those managing a fund
  that funds it, and those implementing it;
- :func:`program_budget` — the known budget of a program: the sum of the
  known amounts on the links funding it, None when none is known;
- :func:`link_counts_in` — a coordination link counts in tambon T when it
  has no tambon or its tambon is T. :meth:`Links.counting` is its indexed
  form, and the only one the analyses use: every "links counting in T"
  (the rule, the pilots' networks, the broker network, the near sets)
  goes through it; the views filter drawn links with :func:`link_counts_in`.

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Agency, Fund, Program, Funding, Implementation
>>> ds = Dataset(agencies=[Agency(id="codi", name="พอช.", kind="special_agency"),
...                        Agency(id="dopa", name="ปค.", kind="line_agency")],
...              funds=[Fund(id="f", name="กองทุน", agency="codi", channel="special")],
...              programs=[Program(id="p", name="แผน", themes=("a",), start_year=2006, end_year=2007)],
...              funding=[Funding(fund="f", program="p", amount_thb=100.0),
...                       Funding(fund="f", program="p", fiscal_year=2007)],
...              implementation=[Implementation(implementer="dopa", program="p")])
>>> p = Facts.of(EmbeddedBackend(ds)).programs["p"]
>>> p.agencies, p.budget, p.unknown_amounts, p.channels
(('codi', 'dopa'), 100.0, 1, ('special',))
>>> p.funding
(FundingLink(fund='f', fiscal_year=2007, amount_thb=None), FundingLink(fund='f', fiscal_year=None, amount_thb=100.0))
>>> p.implementers
(Implementer(id='dopa', role=None),)

Notes
-----
Memory is about 200 bytes per program, 100 per coordination link, 100 per
funding link (a small tuple of references to values the rows already hold)
and 8 per implementing link (a reference to one record per implementer and
role); building reads every row once (O(rows)).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, NamedTuple

from .._memory import no_cyclic_gc
from ..backends.base import Backend, NodeRow, RelRow
from ..errors import BackendError
from ..geo import Area, tambon_area
from ..model import bilingual

__all__ = [
    "Facts",
    "ProgramFacts",
    "EntityFacts",
    "FundingLink",
    "Implementer",
    "Links",
    "program_agencies",
    "program_budget",
    "link_counts_in",
    "program_stake",
    "FactsOnly",
]


def program_agencies(funding_agencies: Iterable[str], implementing_agencies: Iterable[str]) -> tuple[str, ...]:
    """The agencies of a program, sorted: the managers of its funds and its implementing agencies.

    >>> program_agencies(["codi"], ["dopa", "codi"])
    ('codi', 'dopa')
    """
    return tuple(sorted({*funding_agencies, *implementing_agencies}))


def program_budget(amounts: Iterable[float | None]) -> float | None:
    """The known budget: the sum of the known amounts; None when no amount is known.

    >>> program_budget([100.0, None, 50.0]), program_budget([None]), program_budget([])
    (150.0, None, None)
    """
    known = [a for a in amounts if a is not None]
    return float(sum(known)) if known else None


def link_counts_in(link_tambon: str | None, where: str | Area) -> bool:
    """Whether a coordination link limited to ``link_tambon`` (None: no tambon, it counts
    everywhere) counts in tambon ``where``, or in some tambon of the area ``where``.

    >>> link_counts_in(None, "802103"), link_counts_in("802103", "802103"), link_counts_in("801208", "802103")
    (True, True, False)
    >>> link_counts_in("801208", Area.of(province="80")), link_counts_in("801208", Area())
    (True, True)
    """
    if link_tambon is None:
        return True
    return where.contains(link_tambon) if isinstance(where, Area) else link_tambon == where


def program_stake(program: str, facts: "ProgramFacts") -> tuple[str, ...]:
    """The rule's Stake(P): the program, its agencies and its groups (Cypher: ``program_stake``).

    >>> program_stake("p", ProgramFacts(2006, 2006, ("x",), None, agencies=("codi",), groups=("g",)))
    ('p', 'codi', 'g')
    """
    return (program, *facts.agencies, *facts.groups)


@dataclass(slots=True)
class EntityFacts:
    """An agency, fund, program, group or tambon as the analyses name it."""

    label: str
    #: Its ``name``; the id when it has none (Cypher: ``coalesce(nullIf(x.name, ''), x.id)``).
    name: str
    name_en: str | None
    #: Agency and group ``kind``; a fund's ``channel``.
    kind: str | None = None

    def display(self, fallback: str) -> str:
        """``Thai (English)`` where both exist."""
        return bilingual(self.name, self.name_en, fallback)


class FundingLink(NamedTuple):
    """One ``FUNDS`` link into a program: the fund, its fiscal year and its amount (None: unknown)."""

    fund: str
    fiscal_year: int | None
    amount_thb: float | None


class Implementer(NamedTuple):
    """One ``IMPLEMENTS`` link into a program: the agency or group and the role given (or None)."""

    id: str
    role: str | None


def _implementer_id(implementer: Implementer) -> str:
    return implementer.id


def _funding_order(link: FundingLink) -> tuple:
    return (link.fund, link.fiscal_year is None, link.fiscal_year or 0)


@dataclass(slots=True)
class ProgramFacts:
    """One program with who funds and runs it (ids only)."""

    start: int
    end: int
    themes: tuple[str, ...]
    pilot: bool | None
    #: :func:`program_agencies`.
    agencies: tuple[str, ...] = ()
    #: Groups implementing it, sorted.
    groups: tuple[str, ...] = ()
    #: :func:`program_budget`.
    budget: float | None = None
    #: Funding links of it without a known amount.
    unknown_amounts: int = 0
    #: Budget channels of the funds funding it, sorted (``normal``, ``ceo``, ``special``).
    channels: tuple[str, ...] = ()
    #: Tambons it is located in, sorted.
    tambons: tuple[str, ...] = ()
    #: Its funding links, by fund then fiscal year (no year last).
    funding: tuple[FundingLink, ...] = ()
    #: Agencies and groups implementing it, with their roles, by id.
    implementers: tuple[Implementer, ...] = ()


class Links:
    """Coordination links as undirected adjacency: those counting everywhere
    (no tambon) and, per tambon, those limited to it."""

    def __init__(self) -> None:
        self.everywhere: dict[str, set[str]] = defaultdict(set)
        self.local: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add(self, a: str, b: str, tambon: str | None) -> None:
        adjacency = self.everywhere if tambon is None else self.local[tambon]
        adjacency[a].add(b)
        adjacency[b].add(a)

    def counting(self, where: str | Area) -> list[dict[str, set[str]]]:
        """The adjacency of the links that count in tambon ``where`` (or in some tambon of the
        area ``where``), as :func:`link_counts_in` says: :attr:`everywhere` first, then the
        links limited to that tambon (to each tambon of the area, by code), if any.

        >>> links = Links(); links.add("a", "b", None); links.add("a", "c", "801208")
        >>> [dict(adj)["a"] for adj in links.counting("801208")], len(links.counting("802103"))
        ([{'b'}, {'c'}], 1)
        """
        if isinstance(where, Area):
            return [self.everywhere, *(self.local[t] for t in sorted(self.local) if where.contains(t))]
        here = self.local.get(where)
        return [self.everywhere, here] if here else [self.everywhere]

    def near(self, node: str, tambon: str) -> set[str]:
        """The nodes joined to ``node`` by a link counting in ``tambon`` (:meth:`counting`)."""
        out: set[str] = set()
        for adjacency in self.counting(tambon):
            out |= adjacency.get(node, set())
        return out

    def near_all(self, nodes: Iterable[str], tambon: str) -> set[str]:
        """The union of :meth:`near` over ``nodes``."""
        out: set[str] = set()
        for node in nodes:
            out |= self.near(node, tambon)
        return out


class Facts:
    """Indexes over one graph, built once (use :meth:`of`, which caches per backend)."""

    _cache: "weakref.WeakKeyDictionary[object, Facts]" = weakref.WeakKeyDictionary()

    def __init__(self, backend: Backend):
        self.entities: dict[str, EntityFacts] = {}
        self.programs: dict[str, ProgramFacts] = {}
        self.tambon_programs: dict[str, list[str]] = defaultdict(list)
        #: Groups based in each tambon.
        self.tambon_groups: dict[str, list[str]] = defaultdict(list)
        self.links = Links()
        #: Agency managing each fund.
        self.fund_agency: dict[str, str] = {}
        #: Each agency's parent (PART_OF).
        self.parent: dict[str, str] = {}
        #: Tambon nodes by code, with their names (label ``Tambon``, no kind).
        self.tambons: dict[str, EntityFacts] = {}
        with no_cyclic_gc(lasting=True):  # hundreds of thousands of small records, no cycles
            self._read(backend)

    @classmethod
    def of(cls, backend: Backend) -> "Facts":
        """The facts of ``backend``, built on first use and kept while the backend lives."""
        try:
            return cls._cache[backend]
        except (KeyError, TypeError):
            facts = cls(backend)
            try:
                cls._cache[backend] = facts
            except TypeError:  # not weak-referenceable: do not cache
                pass
            return facts

    def _read(self, backend: Backend) -> None:
        # One pass over each label and type; locals and tuple unpacking in the loops, which
        # run a million times at national size.
        entities, programs = self.entities, self.programs
        for label, kind_key in (("Agency", "kind"), ("Fund", "channel"), ("Program", None),
                                ("Group", "kind")):
            for id_, p in backend.nodes(label):
                entities[id_] = EntityFacts(label, p.get("name") or id_, p.get("name_en"),
                                            p.get(kind_key) if kind_key else None)
                if kind_key is None:
                    programs[id_] = ProgramFacts(p["start_year"], p["end_year"],
                                                 tuple(sorted(p.get("themes") or ())), p.get("pilot"))
        tambons = self.tambons
        for id_, p in backend.nodes("Tambon"):
            tambons[id_] = EntityFacts("Tambon", p.get("name") or id_, p.get("name_en"))
        fund_agency = self.fund_agency
        for _, agency, _, fund, _ in backend.relationships("MANAGES"):
            fund_agency[fund] = agency
        for _, agency, _, parent, _ in backend.relationships("PART_OF"):
            self.parent[agency] = parent
        fund_channel = {id_: e.kind for id_, e in entities.items() if e.label == "Fund" and e.kind}
        funding: dict[str, list[FundingLink]] = defaultdict(list)
        for _, fund, _, pid, props in backend.relationships("FUNDS"):  # agencies and channels: below
            funding[pid].append(FundingLink(fund, props.get("fiscal_year"), props.get("amount_thb")))
        roles: dict[str, list[Implementer]] = defaultdict(list)
        # One Implementer per (implementer, role), shared by all its programs: an agency
        # leads thousands of programs in a country, always with the same few roles.
        shared: dict[tuple[str, str | None], Implementer] = {}
        is_agency: dict[str, bool] = {}
        for start_label, implementer, _, pid, props in backend.relationships("IMPLEMENTS"):
            key = (implementer, props.get("role"))
            imp = shared.get(key)
            if imp is None:
                imp = shared[key] = Implementer(*key)
                is_agency[implementer] = start_label == "Agency"
            roles[pid].append(imp)
        tambon_programs = self.tambon_programs
        for _, pid, _, tambon, _ in backend.relationships("LOCATED_IN"):
            tambon_programs[tambon].append(pid)
        for _, group, _, tambon, _ in backend.relationships("BASED_IN"):
            self.tambon_groups[tambon].append(group)
        for _, a, _, b, props in backend.relationships("COORDINATES_WITH"):
            self.links.add(a, b, props.get("tambon"))
        located: dict[str, list[str]] = defaultdict(list)
        for tambon in sorted(tambon_programs):
            ids = tambon_programs[tambon]
            ids.sort()
            for pid in ids:
                located[pid].append(tambon)
        for group_ids in self.tambon_groups.values():
            group_ids.sort()
        none: tuple[str, ...] = ()
        # Most programs have one funding link and one implementer: no sort, no generator for those.
        for pid, p in programs.items():
            links = funding.get(pid)
            funders: Iterable[str] = none
            if links:
                if len(links) > 1:
                    links.sort(key=_funding_order)
                    p.budget = program_budget(link.amount_thb for link in links)
                    p.unknown_amounts = sum(1 for link in links if link.amount_thb is None)
                    funders = [fund_agency[x.fund] for x in links if x.fund in fund_agency]
                    p.channels = tuple(sorted({fund_channel[x.fund] for x in links if x.fund in fund_channel}))
                else:
                    fund, _, amount = links[0]
                    p.budget, p.unknown_amounts = (None, 1) if amount is None else (float(amount), 0)
                    if fund in fund_agency:
                        funders = (fund_agency[fund],)
                    if fund in fund_channel:
                        p.channels = (fund_channel[fund],)
                p.funding = tuple(links)
            found = roles.get(pid)
            if found:
                if len(found) > 1:
                    found.sort(key=_implementer_id)
                p.implementers = tuple(found)
                p.agencies = program_agencies(funders, (i.id for i in found if is_agency[i.id]))
                groups = [i.id for i in found if not is_agency[i.id]]
                if groups:
                    p.groups = tuple(sorted(set(groups)))
            else:
                p.agencies = program_agencies(funders, none)
            if pid in located:
                p.tambons = tuple(located[pid])  # tambons come in sorted order

    @cached_property
    def group_programs(self) -> dict[str, tuple[str, ...]]:
        """The programs each group implements, sorted (built on first use from :attr:`ProgramFacts.groups`)."""
        out: dict[str, list[str]] = defaultdict(list)
        for pid in sorted(self.programs):
            for group in self.programs[pid].groups:
                out[group].append(pid)
        return {group: tuple(ids) for group, ids in out.items()}

    def name(self, id_: str) -> str:
        """The display name of an entity id (``Thai (English)``), the id if unknown."""
        e = self.entities.get(id_)
        return id_ if e is None else e.display(id_)

    def stake(self, program: str) -> tuple[str, ...]:
        """The program, its agencies and its groups (the rule's Stake(P): :func:`program_stake`)."""
        return program_stake(program, self.programs[program])

    @staticmethod
    def area(tambon: str):
        """The tambon with its district and province (names from geothai)."""
        return tambon_area(tambon)


class FactsOnly:
    """A backend's :class:`Facts`, standing in for the backend once its rows are let go.

    Every Python twin reads its backend through :meth:`Facts.of`, and this
    object is answered from facts built before; so a dataset read into
    memory (its rows take about twice the memory of its facts) can be let
    go as soon as they are built, and every Python twin still runs. The rows
    themselves are gone: :meth:`nodes`, :meth:`relationships` and
    :meth:`counts` raise. ``graphmodel diff`` holds two snapshots this way.

    >>> from graphmodel.backends.embedded import EmbeddedBackend
    >>> from graphmodel.model import Dataset, Program, Location
    >>> only = FactsOnly.of(EmbeddedBackend(Dataset(
    ...     programs=[Program(id="p", name="P", themes=("x",), start_year=2006, end_year=2006)],
    ...     locations=[Location(program="p", tambon="802103")])))
    >>> Facts.of(only).programs["p"].tambons
    ('802103',)
    """

    def __init__(self, facts: Facts):
        self.facts = facts
        Facts._cache[self] = facts

    @classmethod
    def of(cls, backend: Backend) -> "FactsOnly":
        """The facts of ``backend`` (built now if they are not yet), without the backend."""
        return cls(Facts.of(backend))

    def _gone(self) -> BackendError:
        return BackendError("this graph keeps only the analyses' facts; its rows were let go to save memory")

    def counts(self) -> dict[str, int]:
        raise self._gone()

    def nodes(self, label: str) -> Iterable[NodeRow]:
        raise self._gone()

    def relationships(self, rtype: str) -> Iterable[RelRow]:
        raise self._gone()
