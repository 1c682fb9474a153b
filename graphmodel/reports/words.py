"""The words graphmodel's findings are printed with: one home for every sentence a person reads.

The analyses return ids and numbers (and :mod:`graphmodel.analysis.described`
adds names); these functions make the text: why a parallel pair was flagged
and how to fix it (:func:`pair_why`, :func:`pair_fix`), the coordination row
to add, CSV-quoted the same way wherever it is printed
(:func:`coordination_row`), a place with its Thai and English names, an
entity's label, counted nouns, a share, where a recommended link counts,
whether greedy was optimal, why a program is a pilot, how a pair was
resolved or why it appeared since an earlier snapshot. ``graphmodel
overlaps`` (:mod:`graphmodel.reports.overlaps`), the views, ``recommend``,
``pilots``, ``index`` and ``diff`` (:mod:`graphmodel.cli.analysis`,
:mod:`graphmodel.reports.diff`) and ``graphmodel report``
(:mod:`graphmodel.reports.report`) print with the same words.

Examples
--------
>>> place("801208"), place("999999")
('801208 หูล่อง (Hu Long)', '999999')
>>> plural(1, "pair"), plural(1234, "pair"), share(0.125), share(None)
('1 pair', '1,234 pairs', '12.5 %', '-')
>>> label({"p": {"name": "โครงการ", "name_en": "Project"}}, "p"), label({}, "q")
('โครงการ (Project)', 'q')
>>> print(coordination_row("codi", "กรม, ปค.", "joint tambon plan", "802103"))
codi,"กรม, ปค.",joint tambon plan,802103
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..analysis.described import ParallelPair, ProgramSide
from ..analysis.diff import Change, Condition, Held, LinkRef
from ..analysis.recommend import EXHAUSTIVE_LIMIT, Link, Recommendation
from ..analysis.severity import PairExplanation, SideFacts
from ..geo import area_names
from ..model import bilingual

__all__ = ["BELOW", "place", "label", "plural", "share", "where", "optimality", "pilot_why",
           "explanation_lines", "coordination_row", "row_cell", "recommended_row", "side_words",
           "years_words", "pair_why", "fix_row", "pair_fix", "COORDINATION_COLUMNS", "why_uncoordinated",
           "fix_words",
           "REASONS", "ADOPTED", "years", "change_detail", "shift", "share_shift"]

#: The columns of the coordination row a fix or a recommendation prints, as coordination.csv names them.
COORDINATION_COLUMNS = ("a", "b", "mechanism", "tambon")
#: The mechanism of the row a fix suggests, and of a recommended link.
FIX_MECHANISM, RECOMMENDED_MECHANISM = "joint tambon plan", "recommended link"
#: How a coordinated pair is coordinated, per clause of the rule.
_HOW = {"shared_group": "a group implements both",
        "direct_link": "a coordination link joins their stakeholders",
        "shared_coordinator": "one coordinator is linked to both sides"}


def why_uncoordinated(a: str, b: str, themes: str, tambon: str, years: str) -> str:
    """Why an uncoordinated pair was flagged, from its parts: ``a`` and ``b`` its sides'
    :func:`side_words`, the shared themes, the tambon's label and the :func:`years_words`.
    (The fixed words hold no double quote: ``--format csv`` quotes the parts instead of the whole.)"""
    return (f"{a} and {b} both work on {themes} in {tambon} in {years}, with no agency in common; "
            f"no group implements both and no coordination link counting in this tambon joins their "
            f"stakeholders, directly or through a shared coordinator.")


def fix_words(row: str) -> str:
    """What to do about an uncoordinated pair, around the :func:`coordination_row` to add (whose
    fixed words hold no double quote either)."""
    return (f"Link the two sides in this tambon: add the row '{row}' to coordination.csv "
            f"({_COLUMNS}), or link one coordinator such as the provincial planning office to both, "
            f"or have a local group implement both.")


_COLUMNS = ",".join(COORDINATION_COLUMNS)


def row_cell(cell: str) -> str:
    """One cell of a :func:`coordination_row`: in double quotes (those inside doubled) when it holds a
    comma or a double quote, as the csv module writes a row with no line terminator."""
    return '"' + cell.replace('"', '""') + '"' if "," in cell or '"' in cell else cell


def coordination_row(a: str, b: str, mechanism: str, tambon: str | None) -> str:
    """One row of coordination.csv (a, b, mechanism, tambon) as a person pastes it into the file,
    each cell quoted as the csv module quotes it (:func:`row_cell`; ``tambon`` None: an empty cell,
    province-wide). Every command that prints a row to add prints it with this."""
    plain = f"{a},{b},{mechanism},{tambon or ''}"
    if '"' not in plain and plain.count(",") == 3:  # no cell to quote (a national report makes 700,000)
        return plain
    return ",".join((row_cell(a), row_cell(b), row_cell(mechanism), row_cell(tambon or "")))


def recommended_row(link: Link) -> str:
    """The coordination.csv row of a recommended link (``graphmodel recommend``, ``report``)."""
    return coordination_row(link.a, link.b, RECOMMENDED_MECHANISM, link.tambon)


def side_words(side: ProgramSide) -> str:
    """A side as a Why names it: ``label [its agencies' labels]``."""
    return f"{side.label} [{side.agencies_label}]"


def years_words(first: int, last: int) -> str:
    """``2006``, or ``2006-2008``."""
    return str(first) if first == last else f"{first}-{last}"


def pair_why(p: ParallelPair) -> str:
    """Why a pair was flagged (or how it is coordinated), with Thai and English names."""
    if p.coordinated:
        return (f"{p.a.label} and {p.b.label} overlap in {p.tambon.label()} but are coordinated: "
                + "; ".join(_HOW[c] for c in p.coordinated_by) + ".")
    return why_uncoordinated(side_words(p.a), side_words(p.b), ", ".join(p.shared_themes), p.tambon.label(),
                             years_words(*p.overlap_years))


def fix_row(a: ProgramSide, b: ProgramSide, tambon: str) -> str:
    """The coordination row a fix suggests: the two sides' first parties, limited to the pair's tambon."""
    return coordination_row(a.first_party, b.first_party, FIX_MECHANISM, tambon)


def pair_fix(p: ParallelPair) -> str:
    """A coordination row that would settle the pair, and other ways to coordinate it."""
    return fix_words(fix_row(p.a, p.b, p.tambon.id))


#: The level one row stands for by default, given the area's kind (None: everything).
BELOW = {None: "province", "province": "district", "district": "tambon", "tambon": "tambon"}


@lru_cache(maxsize=16_384)  # a national list names each of 7,436 tambons many times
def place(code: str) -> str:
    """``801208 หูล่อง (Hu Long)``: a DOPA code with its names (the code alone when unknown)."""
    names = area_names(code)
    return f"{code} {bilingual(*names)}" if names else code


def label(names: Mapping[str, Mapping[str, Any]], id_: str) -> str:
    """The Thai and English names of ``id_`` from ``entity_names`` rows by id; the id when unnamed."""
    row = names.get(id_)
    return bilingual(row["name"], row["name_en"], id_) if row else id_


def plural(n: int, word: str) -> str:
    """``1 pair``, ``2 pairs``, with thousands separators."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def share(value: float | None) -> str:
    """A share as a percentage with one decimal; ``-`` for none (no pairs)."""
    return "-" if value is None else f"{100 * value:.1f} %"


def where(tambon: str | None) -> str:
    """Where a recommended link counts: a tambon, or province-wide."""
    return "province-wide (no tambon)" if tambon is None else f"tambon {place(tambon)}"


def optimality(r: Recommendation) -> str:
    """One sentence: whether the greedy links are as good as the best choice, or not checked."""
    size = min(r.k, r.candidates)
    if r.optimum is None:
        return (f"Not checked against every combination: {r.candidates:,} candidate links, more than "
                f"{EXHAUSTIVE_LIMIT}; greedy may fall short of the best choice.")
    if r.greedy_optimal and size == r.candidates:
        return (f"Greedy is optimal here: even all {plural(r.candidates, 'candidate link')} together "
                f"resolve no more than {plural(r.optimum, 'pair')}.")
    if r.greedy_optimal:
        return (f"Greedy is optimal here: no {size} of the {plural(r.candidates, 'candidate link')} "
                f"resolve more than {plural(r.optimum, 'pair')} (every combination tried).")
    return (f"Greedy is not optimal here: the best {size} of the {plural(r.candidates, 'candidate link')} "
            f"resolve {r.optimum} pairs, these {len(r.steps)} resolve {r.resolved} (every combination tried).")


def pilot_why(row: Mapping[str, Any]) -> str:
    """Why a ``pilots`` row is a pilot: flagged, or funded only through special or CEO money."""
    return "pilot" if row["pilot"] is True else "special/CEO money only"


def _side_line(tag: str, side: SideFacts) -> str:
    who = [f"{i} ({k})" if k else i for i, k in side.agencies] or ["no known agency"]
    groups = [f"{i} ({k})" if k else i for i, k in side.groups]
    parts = [", ".join(who)]
    if groups:
        parts.append("groups: " + ", ".join(groups))
    parts.append("channels: " + (", ".join(side.channels) or "none known"))
    money = "budget unknown" if side.budget is None else f"budget {side.budget:,.0f} baht"
    if side.unknown_amounts:
        money += f", {plural(side.unknown_amounts, 'funding link')} without an amount"
    parts.append(money)
    return f"   {tag} {side.program}: " + "; ".join(parts)


def explanation_lines(e: PairExplanation, names: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """What ``--explain`` prints under a pair (indented by three spaces): its severity worked out,
    each side, and how the stakes are linked outside the links that count (``names``: ``entity_names``
    rows for the ids of ``e.via``)."""
    known = e.known_thb
    money = "none known" if known is None else f"{known:,.0f} baht known"
    if e.unknown_amounts:
        money += f", {plural(e.unknown_amounts, 'funding link')} without an amount (not guessed)"
    out = [f"   Severity {e.severity:.2f} = {plural(e.years, 'overlap year')} × "
           f"{plural(e.themes, 'shared theme')} × (1 + log10(1 + {known or 0:,.0f})); money: {money}.",
           _side_line("A", e.side_a), _side_line("B", e.side_b)]
    if e.linked_in:
        places = ", ".join(place(y) for y in e.linked_in)
        out.append(f"   Linked in tambon {places} only: links limited to "
                   f"{'that tambon' if len(e.linked_in) == 1 else 'those tambons'} would coordinate "
                   f"this pair there, not here.")
    if e.via:
        x, z = e.via
        out.append(f"   Linked only through a chain of three links, via {label(names, x)} and "
                   f"{label(names, z)}: the rule counts one shared coordinator, not a chain.")
    return out


# --- graphmodel diff: how a pair was resolved, why it appeared -----------------------------------

#: A how or a why in words.
REASONS = {"coordinated": "coordinated", "program_removed": "program removed",
           "no_longer_parallel": "no longer parallel", "program_added": "program added",
           "became_parallel": "became parallel", "link_removed": "link removed"}
#: What became of a recommended link, in words.
ADOPTED = {"adopted": "adopted", "adopted_elsewhere": "adopted elsewhere", "not_adopted": "not adopted"}


def years(span: tuple[int, int]) -> str:
    """``2006`` or ``2008–2009``.

    >>> years((2006, 2006)), years((2008, 2009))
    ('2006', '2008–2009')
    """
    return str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"


def _scope(tambon: str | None) -> str:
    return "province-wide" if tambon is None else f"in tambon {tambon}"


def _links(links: tuple[LinkRef, ...], centre: str | None, changed: str) -> str:
    """Links as ``x, y (province-wide, new)``: the far ends of a coordinator's links, or both ends."""
    def end(x: LinkRef) -> str:
        if centre is None:
            return f"{x.a} – {x.b}"
        return x.b if x.a == centre else x.a

    tags = {(_scope(x.tambon), x.changed) for x in links}
    if len(tags) == 1:
        scope, flag = tags.pop()
        return ", ".join(end(x) for x in links) + f" ({scope}{', ' + changed if flag else ''})"
    return ", ".join(f"{end(x)} ({_scope(x.tambon)}{', ' + changed if x.changed else ''})" for x in links)


def _held(h: Held, changed: str) -> str:
    if h.clause == "shared_group":
        return f"group {h.node} implements both"
    if h.clause == "direct_link":
        return "link " + _links(h.links, None, changed)
    return f"shared coordinator {h.node}, linked to " + _links(h.links, h.node, changed)


def _condition(c: Condition, a: str, b: str, now: bool) -> str:
    """A condition of the rule that fails in NEW (``now``) or failed in OLD, in words."""
    if c.name == "location":
        away = [p for p, here in ((a, c.a), (b, c.b)) if not here]
        return (f"{' and '.join(away)} no longer located here" if now
                else f"{' and '.join(away)} now located here too")
    if c.name == "years":
        return (f"years {years(c.a)} and {years(c.b)} no longer overlap" if now
                else f"years now overlap (were {years(c.a)} and {years(c.b)})")
    if c.name == "themes":
        return (f"no theme shared any more ({'; '.join(c.a)} and {'; '.join(c.b)})" if now
                else f"now share a theme (were {'; '.join(c.a)} and {'; '.join(c.b)})")
    shared = sorted(set(c.a) & set(c.b))
    return (f"{', '.join(shared)} now funds or runs both" if now
            else f"no agency in common any more ({', '.join(shared)} funded or ran both)")


def change_detail(c: Change) -> str:
    """What a diff item's how or why rests on, in words (ids, as the tables show them).

    >>> from graphmodel.analysis.diff import Change, Condition
    >>> change_detail(Change("resolved", "801208", "p", "q", "no_longer_parallel",
    ...                      (Condition("years", (2006, 2006), (2008, 2009)),)))
    'years 2006 and 2008–2009 no longer overlap'
    >>> change_detail(Change("appeared", "801208", "p", "q", "program_added", ("p",)))
    'p is new'
    """
    if c.reason == "coordinated":
        return "; ".join(_held(h, "new") for h in c.detail)
    if c.reason == "link_removed":
        return "was: " + "; ".join(_held(h, "removed") for h in c.detail)
    if c.reason in ("program_removed", "program_added"):
        state = "gone" if c.reason == "program_removed" else "new"
        return f"{' and '.join(c.detail)} {'is' if len(c.detail) == 1 else 'are'} {state}"
    if c.reason in ("no_longer_parallel", "became_parallel"):
        return "; ".join(_condition(x, c.a, c.b, c.reason == "no_longer_parallel") for x in c.detail)
    return ""


def shift(old: int, new: int) -> str:
    """``8 → 0``."""
    return f"{old:,} → {new:,}"


def share_shift(old: float | None, new: float | None) -> str:
    """``12.5 % → 100.0 %``."""
    return f"{share(old)} → {share(new)}"
