"""Change over time between two snapshots of the graph: ``graphmodel diff OLD NEW``.

A planning office looks again every fiscal year: which duplications were
resolved, which are new, is the province more coordinated than it was?
:func:`compare` reads the rule's parallel pairs of two snapshots, OLD and NEW
(two folders, two datasets of one Neo4j database: any two backends), and
puts every pair that is uncoordinated in either into exactly one of:

- **resolved**: uncoordinated in OLD, not in NEW, with ``how``:

  - ``coordinated``: both programs still there and still parallel, now
    coordinated; :class:`Held` says by which group, link or shared
    coordinator, and whether each link is new since OLD;
  - ``program_removed``: a program of the pair is not in NEW;
  - ``no_longer_parallel``: both are there and no longer parallel; each
    :class:`Condition` of the rule that fails in NEW (location, years,
    themes, shared agency);

- **appeared**: uncoordinated in NEW, not in OLD, with ``why``:

  - ``program_added``: a program of the pair is not in OLD;
  - ``became_parallel``: both were there, not parallel; each condition that
    failed in OLD and holds now;
  - ``link_removed``: parallel and coordinated in OLD; what held it
    (:class:`Held`, each link marked when it is gone from NEW) no longer does;

- **remaining**: uncoordinated in both.

Ids are the join key: a program is the same program in both when its id is,
whatever its name (:attr:`Diff.renamed` lists those renamed).

Which pairs are parallel, and which coordinated, is the rule's answer (the
``overlaps`` analysis through :func:`~.areas.area_pairs`, on the twin the
backend calls for); this module never decides it again. It only says why a
pair moved: the rule's four conditions checked one at a time on the rule's
own facts (:attr:`~.facts.Facts.programs`), and the coordination named from
:attr:`~.facts.Facts.links` with :func:`~.facts.program_stake` and
:meth:`~.facts.Links.near`, the definitions the rule uses.
``tests/analysis/test_diff.py`` holds the conditions equal to the rule's
answer on random datasets.

Examples
--------
Two agencies run programs on one theme in Kalo, unlinked; a year later a
link joins them there:

>>> from graphmodel.model import Dataset, Agency, Program, Implementation, Location, Coordination
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> old = with_areas(Dataset(
...     agencies=[Agency(id=i, name=i, kind="line_agency") for i in ("codi", "dopa")],
...     programs=[Program(id=p, name=p, themes=("poverty",), start_year=2006, end_year=2006)
...               for p in ("plan", "survey")],
...     implementation=[Implementation(implementer="codi", program="plan"),
...                     Implementation(implementer="dopa", program="survey")],
...     locations=[Location(program=p, tambon="802103") for p in ("plan", "survey")]))
>>> new = with_areas(old.model_copy(update={"coordination": [Coordination(a="codi", b="dopa", tambon="802103")]}))
>>> d = compare(EmbeddedBackend(old), EmbeddedBackend(new))
>>> [(c.tambon, c.a, c.b, c.reason) for c in d.resolved], d.appeared, d.remaining
([('802103', 'plan', 'survey', 'coordinated')], (), ())
>>> d.resolved[0].detail
(Held(clause='direct_link', node=None, links=(LinkRef(a='codi', b='dopa', tambon='802103', changed=True),)),)
>>> [(x.district, x.old_uncoordinated, x.new_uncoordinated, x.resolved) for x in d.districts]
[('8021', 1, 0, 1)]

Complexity: OLD is read and, once its facts are built, its rows let go;
its pairs are kept as small tuples (ids and a flag) with its programs' rule
facts and names, and the rest of it let go before NEW is read, so the two
graphs are never in memory together; NEW's pairs are
compared with OLD's as they stream (both in tambon, then id order). Time:
the rule twice, plus a few set operations per pair that changed.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Union

from ..backends.base import Backend, CypherBackend
from ..errors import GraphmodelError
from .areas import Area, area_pairs
from .facts import Facts, FactsOnly, Links, ProgramFacts, program_stake
from .recommend import Link, Recommendation, recommend

__all__ = ["STATUSES", "HOW", "WHY", "CONDITIONS", "ADOPTION", "LinkRef", "Held", "Condition", "Change",
           "DistrictCounts", "Adoption", "Diff", "compare", "conditions_failing", "coordination"]

#: Where a pair uncoordinated in OLD or NEW falls.
STATUSES = ("resolved", "appeared", "remaining")
#: How a pair was resolved.
HOW = ("coordinated", "program_removed", "no_longer_parallel")
#: Why a pair appeared.
WHY = ("program_added", "became_parallel", "link_removed")
#: The rule's conditions for two programs to be parallel in a tambon, in this order.
CONDITIONS = ("location", "years", "themes", "shared_agency")
#: What became of a link ``recommend`` proposed on OLD.
ADOPTION = ("adopted", "adopted_elsewhere", "not_adopted")

#: A snapshot: a backend, or a function that opens one (called once; the backend is let go after use).
Source = Union[Backend, Callable[[], Backend]]


class LinkRef(NamedTuple):
    """A coordination link: ends ``a < b``, ``tambon`` None when it counts everywhere.

    ``changed``: in a NEW coordination, the link is new since OLD; in the
    coordination an OLD pair had (``link_removed``), the link is gone from NEW.
    """

    a: str
    b: str
    tambon: str | None
    changed: bool


class Held(NamedTuple):
    """One way a parallel pair is coordinated, by the rule's clause (docs/analysis.md).

    - ``shared_group``: ``node`` is a group implementing both programs; no links;
    - ``direct_link``: ``links`` holds one link joining a member of each stake;
    - ``shared_coordinator``: ``node`` is the coordinator, ``links`` its links
      into the two stakes.
    """

    clause: str
    node: str | None
    links: tuple[LinkRef, ...]


class Condition(NamedTuple):
    """A condition of the rule that does not hold for a pair, with each program's value.

    ``name`` is one of :data:`CONDITIONS`; ``a`` and ``b`` are, for program
    A and program B: ``location`` whether it is located in the tambon;
    ``years`` its ``(start, end)``; ``themes`` its themes; ``shared_agency``
    its agencies (the condition fails because some are in both).
    """

    name: str
    a: Any
    b: Any


class Change(NamedTuple):
    """One pair uncoordinated in OLD or NEW (``a < b``), where it falls and why.

    ``detail`` depends on ``reason``: :class:`Held` records for
    ``coordinated`` (NEW's coordination) and ``link_removed`` (OLD's);
    :class:`Condition` records for ``no_longer_parallel`` (failing in NEW)
    and ``became_parallel`` (failing in OLD); the program ids absent from
    NEW or OLD for ``program_removed`` and ``program_added``; nothing for a
    remaining pair (``reason`` None).
    """

    status: str
    tambon: str
    a: str
    b: str
    reason: str | None
    detail: tuple = ()


class DistrictCounts(NamedTuple):
    """One district's parallel and uncoordinated pairs in OLD and NEW, and its changes."""

    district: str
    old_parallel: int
    old_uncoordinated: int
    new_parallel: int
    new_uncoordinated: int
    resolved: int
    appeared: int
    remaining: int

    @staticmethod
    def _share(parallel: int, uncoordinated: int) -> float | None:
        return None if not parallel else (parallel - uncoordinated) / parallel

    @property
    def old_share(self) -> float | None:
        """Coordinated pairs / parallel pairs in OLD (None without pairs)."""
        return self._share(self.old_parallel, self.old_uncoordinated)

    @property
    def new_share(self) -> float | None:
        return self._share(self.new_parallel, self.new_uncoordinated)

    def to_json(self) -> dict[str, Any]:
        return {"district": self.district,
                "old": {"parallel_pairs": self.old_parallel, "uncoordinated_pairs": self.old_uncoordinated,
                        "share_coordinated": self.old_share},
                "new": {"parallel_pairs": self.new_parallel, "uncoordinated_pairs": self.new_uncoordinated,
                        "share_coordinated": self.new_share},
                "resolved": self.resolved, "appeared": self.appeared, "remaining": self.remaining}


class Adoption(NamedTuple):
    """What became of one link ``recommend`` proposed on OLD (``--recommended``).

    ``status``: ``adopted`` (NEW has the link where it was proposed, or
    everywhere), ``adopted_elsewhere`` (NEW has a link between the two ends
    that OLD had not, counting elsewhere: ``where``), ``not_adopted``.
    ``resolved``: the OLD pairs coordinated in NEW through this link.
    """

    step: int
    link: Link
    #: Pairs the link resolved in OLD's greedy, when it was proposed.
    proposed_resolves: int
    status: str
    #: Where NEW's links between the two ends count (None: everywhere), new ones only.
    where: tuple[str | None, ...]
    resolved: int


@dataclass(frozen=True)
class Diff:
    """What :func:`compare` found (ids and numbers; text is made when printed)."""

    area: Area
    resolved: tuple[Change, ...]
    appeared: tuple[Change, ...]
    #: Pairs uncoordinated in both, as ``(tambon, program_a, program_b)``.
    remaining: tuple[tuple[str, str, str], ...]
    districts: tuple[DistrictCounts, ...]
    #: ``(name, name_en)`` of every program in a listed pair (NEW's; OLD's for a removed program).
    names: Mapping[str, tuple[str, str | None]]
    #: Programs of listed pairs whose name changed: id -> (OLD's name, name_en).
    renamed: Mapping[str, tuple[str, str | None]]
    #: ``--recommended``: the links proposed on OLD and what became of them (None: not asked).
    recommended: tuple[Adoption, ...] | None = None
    recommendation: Recommendation | None = None

    def changes(self) -> Iterator[Change]:
        """Every pair listed: the resolved, the appeared, then the remaining ones, each in tambon, id order."""
        yield from self.resolved
        yield from self.appeared
        for t, a, b in self.remaining:
            yield Change("remaining", t, a, b, None)

    def totals(self) -> DistrictCounts:
        """The districts' counts added up (``district`` empty)."""
        return DistrictCounts("", *(sum(getattr(d, f) for d in self.districts)
                                    for f in DistrictCounts._fields[1:]))

    def counts(self) -> dict[str, dict[str, int]]:
        """How many pairs of each ``how`` and ``why``, in :data:`HOW` and :data:`WHY` order."""
        return {"resolved": {h: sum(1 for c in self.resolved if c.reason == h) for h in HOW},
                "appeared": {w: sum(1 for c in self.appeared if c.reason == w) for w in WHY}}


class DiffError(GraphmodelError):
    """The two snapshots cannot be compared as asked (e.g. a pair stream out of order)."""

    exit_code = 1


# --- the rule's conditions and coordination, named --------------------------------------------------

def conditions_failing(programs: Mapping[str, ProgramFacts], tambon: str, a: str, b: str) -> tuple[Condition, ...]:
    """The conditions of the rule (docs/analysis.md) that keep ``a`` and ``b`` from being parallel in ``tambon``.

    Empty exactly when the rule finds the pair parallel there (the tests hold
    this against the rule on random datasets).

    >>> p = {"x": ProgramFacts(2006, 2006, ("a", "b"), None, agencies=("dopa",), tambons=("802103",)),
    ...      "y": ProgramFacts(2008, 2009, ("c",), None, agencies=("dopa",), tambons=("801208",))}
    >>> [c.name for c in conditions_failing(p, "802103", "x", "y")]
    ['location', 'years', 'themes', 'shared_agency']
    """
    pa, pb = programs[a], programs[b]
    out = []
    here_a, here_b = tambon in pa.tambons, tambon in pb.tambons
    if not (here_a and here_b):
        out.append(Condition("location", here_a, here_b))
    if max(pa.start, pb.start) > min(pa.end, pb.end):
        out.append(Condition("years", (pa.start, pa.end), (pb.start, pb.end)))
    if set(pa.themes).isdisjoint(pb.themes):
        out.append(Condition("themes", pa.themes, pb.themes))
    if not set(pa.agencies).isdisjoint(pb.agencies):
        out.append(Condition("shared_agency", pa.agencies, pb.agencies))
    return tuple(out)


def _has_link(links: Links, x: str, y: str, tambon: str | None) -> bool:
    """Whether ``links`` holds a link x - y limited to ``tambon`` (None: counting everywhere)."""
    adjacency = links.everywhere if tambon is None else links.local.get(tambon, {})
    return y in adjacency.get(x, ())


def _link(links: Links, other: Links | None, x: str, y: str, tambon: str) -> LinkRef:
    """The link x - y counting in ``tambon`` (the one counting everywhere when there are both);
    ``changed`` when ``other`` does not hold it."""
    scope = None if _has_link(links, x, y, None) else tambon
    a, b = (x, y) if x < y else (y, x)
    return LinkRef(a, b, scope, other is not None and not _has_link(other, a, b, scope))


def coordination(programs: Mapping[str, ProgramFacts], links: Links, tambon: str, a: str, b: str, *,
                 other: Links | None = None) -> tuple[Held, ...]:
    """Who coordinates the parallel pair ``a``, ``b`` in ``tambon``, clause by clause (none: uncoordinated).

    Each shared group, each link joining the two stakes, and each coordinator
    with links into both, in rule order, then by ids. ``other`` is the other
    snapshot's links (a link it lacks is marked ``changed``).

    >>> from graphmodel.analysis.facts import Links
    >>> links = Links(); links.add("plan", "codi", None); links.add("plan", "dopa", None)
    >>> p = {"x": ProgramFacts(2006, 2006, ("a",), None, agencies=("codi",)),
    ...      "y": ProgramFacts(2006, 2006, ("a",), None, agencies=("dopa",))}
    >>> coordination(p, links, "802103", "x", "y")
    (Held(clause='shared_coordinator', node='plan', links=(LinkRef(a='codi', b='plan', tambon=None, changed=False), LinkRef(a='dopa', b='plan', tambon=None, changed=False))),)
    """
    pa, pb = programs[a], programs[b]
    stake_a, stake_b = set(program_stake(a, pa)), set(program_stake(b, pb))
    out = [Held("shared_group", g, ()) for g in sorted(set(pa.groups) & set(pb.groups))]
    joined = sorted({(x, y) if x < y else (y, x)
                     for x in stake_a for y in links.near(x, tambon) & stake_b})
    out += [Held("direct_link", None, (_link(links, other, x, y, tambon),)) for x, y in joined]
    both = stake_a | stake_b
    for c in sorted(links.near_all(stake_a, tambon) & links.near_all(stake_b, tambon)):
        ends = sorted(links.near(c, tambon) & both)
        out.append(Held("shared_coordinator", c, tuple(_link(links, other, c, x, tambon) for x in ends)))
    return tuple(out)


# --- OLD, kept small ---------------------------------------------------------------------------------

def _open(source: Source) -> Backend:
    """The snapshot's backend; one that runs no Cypher is kept as its facts only (:class:`~.facts.FactsOnly`):
    its rows (about twice the memory of the facts) go as soon as the facts are built."""
    backend = source() if callable(source) and not hasattr(source, "nodes") else source
    return backend if isinstance(backend, CypherBackend) else FactsOnly.of(backend)


def _slim(p: ProgramFacts) -> ProgramFacts:
    """What the diff reads of a program: the rule's facts, without its funding and implementers."""
    return ProgramFacts(p.start, p.end, p.themes, None, agencies=p.agencies, groups=p.groups, tambons=p.tambons)


@dataclass
class _Before:
    """What is kept of OLD once its graph is let go."""

    #: ``(tambon, a, b, coordinated)``, in tambon, then id order.
    pairs: list[tuple[str, str, str, bool]]
    programs: dict[str, ProgramFacts]
    names: dict[str, tuple[str, str | None]]
    links: Links
    recommendation: Recommendation | None


def _before(source: Source, area: Area, twin: str, k: int | None) -> _Before:
    backend = _open(source)
    facts = Facts.of(backend)
    pairs = [(p.tambon, p.a, p.b, bool(p.coordinated_by)) for p in area_pairs(backend, area, twin=twin)]
    recommendation = recommend(backend, area, k=k, twin=twin) if k else None
    programs = {pid: _slim(p) for pid, p in facts.programs.items()}
    names = {pid: (facts.entities[pid].name, facts.entities[pid].name_en) for pid in facts.programs}
    return _Before(pairs, programs, names, facts.links, recommendation)


# --- the comparison ----------------------------------------------------------------------------------

class _Tally:
    """Counts per district, as the pairs go by."""

    def __init__(self) -> None:
        self.by: dict[str, list[int]] = {}

    def add(self, tambon: str, column: int) -> None:
        row = self.by.get(tambon[:4])
        if row is None:
            row = self.by[tambon[:4]] = [0] * 7
        row[column] += 1

    def rows(self) -> tuple[DistrictCounts, ...]:
        return tuple(DistrictCounts(d, *self.by[d]) for d in sorted(self.by))


_OLD_PARALLEL, _OLD_UNCOORDINATED, _NEW_PARALLEL, _NEW_UNCOORDINATED, _RESOLVED, _APPEARED, _REMAINING = range(7)


class _Compare:
    """The merge of OLD's pairs with NEW's stream, and the classification of each pair that moved."""

    def __init__(self, before: _Before, facts: Facts):
        self.before, self.facts = before, facts
        self.resolved: list[Change] = []
        self.appeared: list[Change] = []
        self.remaining: list[tuple[str, str, str]] = []
        self.tally = _Tally()

    def _only(self, t: str, a: str, b: str, coordinated: bool, *, columns: tuple[int, int, int], status: str,
              other: Mapping[str, ProgramFacts], reasons: tuple[str, str], other_name: str) -> None:
        """A pair parallel in one snapshot only; listed (``status``) when it was uncoordinated there:
        a program is missing from the ``other`` snapshot, or a condition of the rule fails there."""
        parallel, uncoordinated, listed = columns
        self.tally.add(t, parallel)
        if coordinated:
            return
        self.tally.add(t, uncoordinated)
        self.tally.add(t, listed)
        out = self.resolved if status == "resolved" else self.appeared
        missing = tuple(x for x in (a, b) if x not in other)
        if missing:
            out.append(Change(status, t, a, b, reasons[0], missing))
            return
        failing = conditions_failing(other, t, a, b)
        if not failing:
            raise DiffError(f"{a} and {b} are parallel in tambon {t} in {other_name} by each condition of the "
                            "rule, but the rule did not find them there: report this as a bug")
        out.append(Change(status, t, a, b, reasons[1], failing))

    def only_old(self, t: str, a: str, b: str, coordinated: bool) -> None:
        self._only(t, a, b, coordinated, columns=(_OLD_PARALLEL, _OLD_UNCOORDINATED, _RESOLVED), status="resolved",
                   other=self.facts.programs, reasons=("program_removed", "no_longer_parallel"), other_name="NEW")

    def only_new(self, t: str, a: str, b: str, coordinated: bool) -> None:
        self._only(t, a, b, coordinated, columns=(_NEW_PARALLEL, _NEW_UNCOORDINATED, _APPEARED), status="appeared",
                   other=self.before.programs, reasons=("program_added", "became_parallel"), other_name="OLD")

    def both(self, t: str, a: str, b: str, was: bool, now: bool) -> None:
        for column, flag in ((_OLD_PARALLEL, True), (_NEW_PARALLEL, True), (_OLD_UNCOORDINATED, not was),
                             (_NEW_UNCOORDINATED, not now)):
            if flag:
                self.tally.add(t, column)
        if not was and not now:
            self.tally.add(t, _REMAINING)
            self.remaining.append((t, a, b))
        elif not was:
            self.tally.add(t, _RESOLVED)
            held = coordination(self.facts.programs, self.facts.links, t, a, b, other=self.before.links)
            self.resolved.append(Change("resolved", t, a, b, "coordinated", held))
        elif not now:
            self.tally.add(t, _APPEARED)
            held = coordination(self.before.programs, self.before.links, t, a, b, other=self.facts.links)
            self.appeared.append(Change("appeared", t, a, b, "link_removed", held))

    def run(self, new_pairs: Iterable) -> None:
        old = self.before.pairs
        i, n = 0, len(old)
        last: tuple[str, str, str] | None = None
        for p in new_pairs:
            key = (p.tambon, p.a, p.b)
            if last is not None and key <= last:
                raise DiffError(f"NEW's pairs are not in tambon, then id order at {key}: report this as a bug")
            last = key
            while i < n and old[i][:3] < key:
                self.only_old(*old[i])
                i += 1
            if i < n and old[i][:3] == key:
                self.both(*key, old[i][3], bool(p.coordinated_by))
                i += 1
            else:
                self.only_new(*key, bool(p.coordinated_by))
        while i < n:
            self.only_old(*old[i])
            i += 1


def _adoptions(r: Recommendation, before: Links, after: Links, resolved: Iterable[Change]) -> tuple[Adoption, ...]:
    """What became of each link of ``r`` in NEW (see :class:`Adoption`)."""
    used: dict[tuple[str, str], int] = {}
    for c in resolved:
        if c.reason == "coordinated":
            for ends in {(x.a, x.b) for held in c.detail for x in held.links}:
                used[ends] = used.get(ends, 0) + 1
    out = []
    for i, s in enumerate(r.steps, 1):
        a, b, tambon = s.link
        scopes = ([None] if _has_link(after, a, b, None) else []) + sorted(
            t for t, adjacency in after.local.items() if b in adjacency.get(a, ()))
        fresh = tuple(t for t in scopes if not _has_link(before, a, b, t))
        if None in scopes or (tambon is not None and tambon in scopes):
            status = "adopted"
        elif fresh:
            status = "adopted_elsewhere"
        else:
            status = "not_adopted"
        out.append(Adoption(i, s.link, s.resolves, status, fresh,
                            used.get((a, b), 0) if status != "not_adopted" else 0))
    return tuple(out)


def compare(old: Source, new: Source, area: Area = Area(), *, twin: str = "auto",
            recommended: int | None = None) -> Diff:
    """Compare the parallel pairs of two snapshots in ``area`` (see the module docstring).

    Parameters
    ----------
    old, new : Backend or callable
        The two snapshots: a backend, or a function returning one. Given
        functions, OLD's backend is opened, read and let go before NEW's is
        opened, so the two graphs are never in memory together.
    area : Area
        The tambon, district or province (default: everything).
    twin : str
        Which twin of the rule answers (``auto``: the backend's).
    recommended : int, optional
        Also run ``recommend`` on OLD with this many links (``-k``) and say
        which NEW adopted (:attr:`Diff.recommended`).

    Returns
    -------
    Diff
        The resolved, appeared and remaining pairs, the counts per district,
        the programs' names, the renamed programs.

    Raises
    ------
    DiffError
        A pair stream out of order or a rule answer its conditions contradict (a bug).
    """
    before = _before(old, area, twin, recommended)
    gc.collect()  # OLD's graph goes before NEW's comes
    backend = _open(new)
    facts = Facts.of(backend)
    work = _Compare(before, facts)
    work.run(area_pairs(backend, area, twin=twin))
    listed = {x for c in (*work.resolved, *work.appeared) for x in (c.a, c.b)}
    listed.update(x for _, a, b in work.remaining for x in (a, b))
    names: dict[str, tuple[str, str | None]] = {}
    renamed: dict[str, tuple[str, str | None]] = {}
    for pid in sorted(listed):
        e = facts.entities.get(pid) if pid in facts.programs else None
        was = before.names.get(pid)
        names[pid] = was if e is None else (e.name, e.name_en)
        if e is not None and was is not None and was != names[pid]:
            renamed[pid] = was
    adoptions = None
    if before.recommendation is not None:
        adoptions = _adoptions(before.recommendation, before.links, facts.links, work.resolved)
    return Diff(area, tuple(work.resolved), tuple(work.appeared), tuple(work.remaining), work.tally.rows(),
                names, renamed, adoptions, before.recommendation)
