"""Candidate matches between the agencies, funds, groups and themes of different sources.

Every run of ``graphmodel combine`` writes ``aliases-suggested.csv``:
``type,id,same_as,score,reason``, best first. ``id`` is from a later source
on the command line, ``same_as`` from an earlier one, so accepting every
row rewrites later sources to earlier ones and never makes a cycle; each
``id`` is suggested once (its best match), so the file, accepted whole, is
a valid ``--aliases`` file.

**How a pair is found** (never all pairs): exact keys are joined through
dictionaries (names, names in brackets, acronyms, org references, ids
written differently, the core of a department and of a provincial
office); similar names are compared with rapidfuzz only inside blocks of
the same province (from place names in the name and the tambons of the
organisation's programs) and the same first characters (Thai) or first
word (English). Groups are compared only within their tambon.

**How a pair is judged** (:func:`judge`): not at all when its names place
the two apart (two tambons, districts or provinces:
:func:`~.matching.distinct_places`; a tambon name several tambons share is
narrowed to where the organisation's programs are), when a reviewed alias
says ``different``, or when both ids are the same already; otherwise by its
best reason (of two candidates equally alike, the one working in the same
tambon wins):

| reason | score |
|---|---|
| same org_ref | 1.00 |
| same Thai name | 1.00 |
| same English name | 0.98 |
| same Thai name, abbreviation written out (อบต. / องค์การบริหารส่วนตำบล) | 0.95 |
| org_ref is the other's id | 0.95 |
| same id, written differently (``PHO-NAN`` / ``pho_nan``) | 0.95 |
| similar Thai name / similar English name | rapidfuzz's ratio, at least 0.85 (at most 0.99) |
| same name, acronym differs (``(องค์การมหาชน)`` / ``(พอช.)``); same name, words in brackets differ | 0.90 |
| one name is the other's name in brackets | 0.90 |
| same name, one adds its district or province | 0.90 |
| same acronym; name is the other's acronym (``CODI``) | 0.85 |
| the only fund of the same agency in each source | 0.50 |
| a department and its provincial office (usually not the same) | 0.30 |
| theme spelled differently | 0.95 for the same words, else the ratio |
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from ..importers.names import slug
from ..importers.themes import theme_key
from .aliases import NO_ALIASES, Aliases
from .matching import NameKeys, Places, apart, implied, name_keys, name_places, narrowed
from .merge import Candidate

__all__ = ["Suggestion", "SUGGESTION_HEADER", "FUZZY_CUTOFF", "suggest", "judge"]

#: The columns of ``aliases-suggested.csv``.
SUGGESTION_HEADER = ("type", "id", "same_as", "score", "reason")
#: The least rapidfuzz ratio (0-100) for "similar name" and "theme spelled differently".
FUZZY_CUTOFF = 85
_FUZZY_TOP = 0.99  # similar is never the same (shown as 1.00 it would read so)
_TYPES = ("agency", "fund", "group", "theme")
_THAI_PREFIX = 4


@dataclass(frozen=True)
class Suggestion:
    """One row of ``aliases-suggested.csv``."""

    type: str
    id: str
    same_as: str
    score: float
    reason: str

    def row(self) -> list[object]:
        return [self.type, self.id, self.same_as, f"{self.score:.2f}", self.reason]  # ranked unrounded


class _Entity:
    """A candidate with its name keys, computed once; its places only when asked (they cost most)."""

    __slots__ = ("c", "keys", "tambons", "_implied", "id_slug", "ref_slug", "block")

    def __init__(self, c: Candidate, tambons: set[str] | None):
        self.c = c
        self.keys: NameKeys = name_keys(c.name, c.name_en)
        self.tambons = tambons
        self._implied: tuple | None = None
        self.id_slug = slug(c.id)
        self.ref_slug = slug(c.org_ref) if c.org_ref else ""
        self.block = c.tambon if c.type == "group" else ""

    @property
    def implied(self) -> tuple:
        """The tambons, districts and provinces the names place it in, narrowed to where its programs are."""
        if self._implied is None:
            places = name_places(self.c.name, self.c.name_en)
            if self.tambons and places:
                named = places.tambon
                places = narrowed(places, self.tambons)
                if named and named.isdisjoint(self.tambons):
                    # a tambon the name names but where none of its programs is (a misspelt name
                    # that happens to name another tambon): where it works tells more
                    places = Places(frozenset(self.tambons), places.district, places.province)
            self._implied = implied(places)
        return self._implied

    @property
    def provinces(self) -> frozenset[str]:
        """The provinces it works in (its programs'), else those its names place it in."""
        if self.tambons:
            return frozenset(t[:2] for t in self.tambons)
        return self.implied[2] or frozenset()


def _ratio(a: str, b: str, scorer) -> float:
    return scorer(a, b) if a and b else 0.0


def judge(a: _Entity, b: _Entity, *, only_funds: bool = False) -> tuple[float, str] | None:
    """The best reason to suggest ``a`` is ``b`` (score, words), or None when there is none."""
    if apart(a.implied, b.implied):
        return None
    x, y = a.keys, b.keys
    found: list[tuple[float, str]] = []
    if a.ref_slug and a.ref_slug == b.ref_slug:
        found.append((1.0, "same org_ref"))
    if x.thai and x.thai == y.thai:
        found.append((1.0, "same Thai name") if x.thai_written == y.thai_written
                     else (0.95, "same Thai name, abbreviation written out"))
    if x.english and x.english == y.english:
        found.append((0.98, "same English name"))
    if (a.ref_slug and a.ref_slug == b.id_slug) or (b.ref_slug and b.ref_slug == a.id_slug):
        found.append((0.95, "org_ref is the other's id"))
    if a.id_slug and a.id_slug == b.id_slug:
        found.append((0.95, "same id, written differently"))
    same_thai_base = bool(x.thai_base) and x.thai_base == y.thai_base
    same_english_base = bool(x.english_base) and x.english_base == y.english_base
    thai = 0 if same_thai_base else _ratio(x.thai, y.thai, fuzz.ratio)
    if thai >= FUZZY_CUTOFF and x.thai != y.thai:
        found.append((min(thai / 100, _FUZZY_TOP), "similar Thai name"))
    english = 0 if same_english_base else _ratio(x.english, y.english, fuzz.token_sort_ratio)
    if english >= FUZZY_CUTOFF and x.english != y.english:
        found.append((min(english / 100, _FUZZY_TOP), "similar English name"))
    if (same_thai_base and x.thai != y.thai) or (same_english_base and x.english != y.english):
        found.append((0.90, "same name, acronym differs" if x.acronyms or y.acronyms
                      else "same name, words in brackets differ"))
    if x.thai_short and x.thai_short == y.thai_short and x.thai != y.thai:
        found.append((0.90, "same name, one adds its district or province"))
    names_x = {x.thai, x.thai_base, x.english, x.english_base} - {""}
    names_y = {y.thai, y.thai_base, y.english, y.english_base} - {""}
    if (names_x & y.brackets) or (names_y & x.brackets):
        found.append((0.90, "one name is the other's name in brackets"))
    if x.acronyms & y.acronyms:
        found.append((0.85, "same acronym"))
    if (x.whole_acronym and x.whole_acronym in y.initials) or (y.whole_acronym and y.whole_acronym in x.initials):
        found.append((0.85, "name is the other's acronym"))
    if only_funds:
        found.append((0.50, "the only fund of the same agency in each source"))
    if x.office and y.office and x.office[0] != y.office[0] and x.office[1] == y.office[1]:
        found.append((0.30, "a department and its provincial office (usually not the same)"))
    return max(found, key=lambda f: f[0]) if found else None


def _exact_keys(e: _Entity) -> Iterable[tuple[str, str, str]]:
    """(block, namespace, key) under which an entity is found by exact joins."""
    k = e.keys
    for name in {k.thai, k.thai_base, k.thai_short, k.english, k.english_base, *k.brackets} - {""}:
        yield e.block, "n", name
    for acronym in {*k.acronyms, *k.initials} - {""}:
        yield e.block, "a", acronym
    for ref in {e.id_slug, e.ref_slug} - {""}:
        yield e.block, "r", ref
    if k.office:
        yield e.block, "o", k.office[1]


def _fuzzy_blocks(e: _Entity, *, earlier: bool) -> Iterable[tuple[str, str, str, str]]:
    """(language, block, province, start) blocks in which an entity's names are compared.

    An earlier entity is in the blocks of its provinces (``None``: it has
    none) and in the ``*`` block of every province; a later one looks in
    the blocks of its provinces and in ``None``, or in ``*`` when it has no province.
    """
    k = e.keys
    starts = []
    if k.thai:
        starts.append(("thai", k.thai[:_THAI_PREFIX]))
    if k.english:
        starts.append(("english", k.english.split()[0]))
    provinces = sorted(e.provinces) or [None]
    for language, start in starts:
        if earlier:
            for p in provinces:
                yield language, e.block, p, start
            yield language, e.block, "*", start
        elif e.provinces:
            for p in [*provinces, None]:
                yield language, e.block, p, start
        else:
            yield language, e.block, "*", start


def _fuzzy_pairs(later: list[_Entity], earlier: list[_Entity]) -> set[tuple[int, int]]:
    """Pairs (later index, earlier index) whose Thai or English names are similar, within blocks."""
    found: set[tuple[int, int]] = set()
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for j, e in enumerate(earlier):
        for block in _fuzzy_blocks(e, earlier=True):
            blocks[block].append(j)
    queries: dict[tuple, list[int]] = defaultdict(list)
    for i, e in enumerate(later):
        for block in _fuzzy_blocks(e, earlier=False):
            if block in blocks:
                queries[block].append(i)
    for block, rows in queries.items():
        language = block[0]
        columns = sorted(set(blocks[block]))
        key = (lambda e: e.keys.thai) if language == "thai" else (lambda e: e.keys.english)
        scorer = fuzz.ratio if language == "thai" else fuzz.token_sort_ratio
        scores = process.cdist([key(later[i]) for i in rows], [key(earlier[j]) for j in columns],
                               scorer=scorer, score_cutoff=FUZZY_CUTOFF, dtype="uint8", workers=1)
        for r, c in zip(*scores.nonzero()):
            found.add((rows[r], columns[c]))
    return found


def _only_funds(later: list[_Entity], earlier: list[_Entity]) -> set[tuple[int, int]]:
    """Fund pairs of one agency that has exactly one fund in the later source and one in the earlier ones."""
    def single(entities: list[_Entity]) -> dict[str, int]:
        by_agency: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(entities):
            if e.c.agency:
                by_agency[e.c.agency].append(i)
        return {agency: ids[0] for agency, ids in by_agency.items() if len({entities[i].c.id for i in ids}) == 1}

    ones, others = single(later), single(earlier)
    return {(i, others[agency]) for agency, i in ones.items() if agency in others}


def _suggest_type(type_: str, entities: list[_Entity], sources: int, aliases: Aliases) -> list[Suggestion]:
    out: list[Suggestion] = []
    for s in range(1, sources):
        earlier = [e for e in entities if e.c.source < s]
        known = {e.c.id for e in earlier}
        later = [e for e in entities if e.c.source == s and e.c.id not in known]
        if not later or not earlier:
            continue
        index: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for j, e in enumerate(earlier):
            for key in _exact_keys(e):
                index[key].append(j)
        pairs = {(i, j) for i, e in enumerate(later) for key in _exact_keys(e) for j in index.get(key, ())}
        pairs |= _fuzzy_pairs(later, earlier)
        funds = _only_funds(later, earlier) if type_ == "fund" else set()
        pairs |= funds
        best: dict[str, tuple[tuple, str]] = {}  # id -> ((-score, works elsewhere, same_as), reason)
        for i, j in sorted(pairs):
            a, b = later[i], earlier[j]
            if a.c.id == b.c.id or aliases.is_different(type_, a.c.id, b.c.id):
                continue
            verdict = judge(a, b, only_funds=(i, j) in funds)
            if verdict is None:
                continue
            score, reason = verdict
            # of two equally good, the one working where it works (two health centres of one name)
            rank = (-score, not (a.tambons and b.tambons and not a.tambons.isdisjoint(b.tambons)), b.c.id)
            old = best.get(a.c.id)
            if old is None or rank < old[0]:
                best[a.c.id] = (rank, reason)
        out += [Suggestion(type_, id_, rank[2], -rank[0], reason) for id_, (rank, reason) in best.items()]
    return out


def _suggest_themes(themes: list[set[str]], aliases: Aliases) -> list[Suggestion]:
    out: list[Suggestion] = []
    for s in range(1, len(themes)):
        earlier = sorted(set().union(*themes[:s]))
        later = sorted(themes[s] - set(earlier))
        if not later or not earlier:
            continue
        words = [t.replace("_", " ") for t in earlier]
        later_words = [t.replace("_", " ") for t in later]
        scores = process.cdist(later_words, words, scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, dtype="uint8", workers=1)
        for i, theme in enumerate(later):
            found = []
            for j, other in enumerate(earlier):
                if aliases.is_different("theme", theme, other):
                    continue
                if theme_key(theme) == theme_key(other):
                    found.append((-0.95, other))
                elif scores[i, j]:
                    found.append((-min(fuzz.ratio(later_words[i], words[j]) / 100, _FUZZY_TOP), other))
            if found:
                score, other = min(found)
                out.append(Suggestion("theme", theme, other, -score, "theme spelled differently"))
    return out


def _shared_tambons(candidates: list[Candidate]) -> set[str]:
    """The tambons with groups of two sources or more (groups are compared only within a tambon)."""
    sources: dict[str, set[int]] = defaultdict(set)
    for c in candidates:
        if c.type == "group":
            sources[c.tambon].add(c.source)
    return {tambon for tambon, held in sources.items() if len(held) > 1}


def suggest(candidates: list[Candidate], themes: list[set[str]], *, tambons: dict[str, set[str]],
            aliases: Aliases = NO_ALIASES) -> list[Suggestion]:
    """Every suggested alias between different sources, best first.

    Parameters
    ----------
    candidates : list of Candidate
        Agencies, funds and groups as each source names them (ids already
        rewritten through the reviewed aliases).
    themes : list of set of str
        The themes of each source, in source order.
    tambons : dict
        Agency and fund id -> the tambons its programs are located in
        (:attr:`.merge.Merger.tambons`): they narrow a place name several
        tambons share, and give the provinces the names are compared in.
    aliases : Aliases
        The reviewed aliases: pairs marked ``different`` are not suggested.

    Notes
    -----
    Linear in the candidates for the exact joins; the similar-name
    comparisons are quadratic only within a block (a province and the same
    first characters or word), done in C by ``rapidfuzz.process.cdist``.
    """
    sources = len(themes)
    out: list[Suggestion] = []
    unique = list(dict.fromkeys(candidates))  # a row merged from two files of one source is one candidate
    shared = _shared_tambons(unique)
    for type_ in _TYPES[:3]:
        entities = [_Entity(c, tambons.get(c.id)) for c in unique
                    if c.type == type_ and (type_ != "group" or c.tambon in shared)]
        out += _suggest_type(type_, entities, sources, aliases)
    out += _suggest_themes(themes, aliases)
    order = {t: i for i, t in enumerate(_TYPES)}
    return sorted(out, key=lambda x: (-x.score, order[x.type], x.id, x.same_as))
