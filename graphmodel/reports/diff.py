"""``graphmodel diff`` written for people and programs: table, JSON, JSON Lines, CSV.

:func:`write_diff` writes a :class:`~graphmodel.analysis.diff.Diff` (small
records of ids) to any text stream, making the text of each item only as
it is written; :func:`write_recommended` writes what became of the links
``recommend`` proposed on OLD (``--recommended``). The words come from
:mod:`.words`, shared with ``graphmodel report --since`` and the views.

The shapes, kept stable (docs/diff.md):

- ``json`` — one object ``{"resolved": [...], "appeared": [...],
  "remaining": [...], "summary": {...}}`` (:func:`item_json`, :func:`summary_json`);
- ``jsonl`` — one compact object per pair and line, ``status`` first, then
  the keys of its JSON item;
- ``csv`` — one row per pair, :data:`CSV_COLUMNS`, spreadsheet-safe cells;
- ``table`` — the resolved pairs with how, the appeared ones with why, the
  remaining ones, then the counts per district, OLD → NEW.

Examples
--------
>>> import io
>>> from graphmodel.analysis.diff import Change, Diff, DistrictCounts
>>> from graphmodel.analysis.areas import Area
>>> d = Diff(Area(), (Change("resolved", "802103", "p", "q", "program_removed", ("q",)),), (), (),
...          (DistrictCounts("8021", 1, 1, 0, 0, 1, 0, 0),), {"p": ("พี", "P"), "q": ("คิว", None)}, {})
>>> out = io.StringIO(); write_diff(out, d, "jsonl")
>>> print(out.getvalue().strip())
{"status":"resolved","tambon":"802103","district":"8021","province":"80","program_a":"p","program_a_name":"พี (P)","program_b":"q","program_b_name":"คิว","how":"program_removed","programs":["q"]}
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable, Mapping, Sequence

from ..analysis.diff import HOW, WHY, Change, Condition, Diff, DistrictCounts, Held
from ..geo import area_names
from ..model import bilingual
from ..render import to_json, write_csv, write_table
from . import words

__all__ = ["FORMATS", "CSV_COLUMNS", "RECOMMENDED_COLUMNS", "item_json", "summary_json", "adoption_json",
           "write_diff", "write_recommended"]

#: Output formats of ``graphmodel diff``.
FORMATS = ("table", "json", "jsonl", "csv")
#: The columns of ``--format csv``, one row per pair.
CSV_COLUMNS = ("status", "reason", "tambon", "tambon_name_th", "tambon_name_en", "district", "program_a",
               "program_a_name", "program_b", "program_b_name", "details", "renamed")
#: The columns of ``--recommended --format csv``.
RECOMMENDED_COLUMNS = ("step", "a", "b", "tambon", "proposed_resolves", "status", "where", "resolved")

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: The key each list names its reason under, and the key of its detail per reason.
_REASON_KEY = {"resolved": "how", "appeared": "why"}
_DETAIL_KEY = {"coordinated": "by", "link_removed": "was_by", "program_removed": "programs",
               "program_added": "programs", "no_longer_parallel": "changed", "became_parallel": "changed"}


class _Labels(dict):
    """Each program's ``Thai (English)`` label, made once (a program is in many pairs)."""

    def __init__(self, d: Diff):
        super().__init__()
        self.d = d

    def __missing__(self, pid: str) -> str:
        name, name_en = self.d.names.get(pid, (pid, None))
        label = self[pid] = bilingual(name, name_en, pid)
        return label


def _held_json(h: Held, changed: str) -> dict[str, Any]:
    return {"clause": h.clause, "node": h.node,
            "links": [{"a": x.a, "b": x.b, "tambon": x.tambon, changed: x.changed} for x in h.links]}


def _condition_json(c: Condition) -> dict[str, Any]:
    value = (lambda v: list(v) if isinstance(v, tuple) else v)  # noqa: E731
    return {"condition": c.name, "a": value(c.a), "b": value(c.b)}


def item_json(d: Diff, c: Change, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One pair of ``--format json`` (keep it stable): ids, names, how or why and what it rests on.
    ``labels``: the programs' labels when the caller keeps them (:class:`_Labels`)."""
    labels = _Labels(d) if labels is None else labels
    out: dict[str, Any] = {"tambon": c.tambon, "district": c.tambon[:4], "province": c.tambon[:2],
                           "program_a": c.a, "program_a_name": labels[c.a],
                           "program_b": c.b, "program_b_name": labels[c.b]}
    if c.reason is not None:
        out[_REASON_KEY[c.status]] = c.reason
        key = _DETAIL_KEY[c.reason]
        if c.reason in ("coordinated", "link_removed"):
            changed = "new" if c.reason == "coordinated" else "removed"
            out[key] = [_held_json(h, changed) for h in c.detail]
        elif c.reason in ("program_removed", "program_added"):
            out[key] = list(c.detail)
        else:
            out[key] = [_condition_json(x) for x in c.detail]
    renamed = [x for x in (c.a, c.b) if x in d.renamed]
    if renamed:
        out["renamed"] = renamed
    return out


def _district_json(x: DistrictCounts) -> dict[str, Any]:
    name_th, name_en = area_names(x.district) or (x.district, None)
    row = x.to_json()
    return {"district": x.district, "name_th": name_th, "name_en": name_en,
            **{k: v for k, v in row.items() if k != "district"}}


def summary_json(d: Diff, *, old: str = "", new: str = "") -> dict[str, Any]:
    """The ``summary`` of ``--format json``: totals OLD and NEW, the counts of each how and why,
    the renamed programs and one row per district (``old``/``new``: where each snapshot came from)."""
    t = d.totals()
    counts = d.counts()
    return {
        "old": {"source": old, "parallel_pairs": t.old_parallel, "uncoordinated_pairs": t.old_uncoordinated,
                "share_coordinated": t.old_share},
        "new": {"source": new, "parallel_pairs": t.new_parallel, "uncoordinated_pairs": t.new_uncoordinated,
                "share_coordinated": t.new_share},
        "resolved": {"total": len(d.resolved), **counts["resolved"]},
        "appeared": {"total": len(d.appeared), **counts["appeared"]},
        "remaining": len(d.remaining),
        "renamed": [{"program": pid, "old": {"name": was[0], "name_en": was[1]},
                     "new": {"name": d.names[pid][0], "name_en": d.names[pid][1]}}
                    for pid, was in sorted(d.renamed.items())],
        "districts": [_district_json(x) for x in d.districts],
    }


def _indented_items(out: IO[str], items: Iterable[dict[str, Any]]) -> None:
    """A JSON array as :func:`~graphmodel.render.to_json` writes it one level deep, item by item."""
    first = True
    for item in items:
        out.write("[\n    " if first else ",\n    ")
        out.write(to_json(item).replace("\n", "\n    "))
        first = False
    out.write("[]" if first else "\n  ]")


def _write_json(out: IO[str], d: Diff, summary: dict[str, Any]) -> None:
    """The one JSON object, byte for byte ``to_json({...})``, written a pair at a time."""
    lists = {"resolved": d.resolved, "appeared": d.appeared,
             "remaining": (Change("remaining", t, a, b, None) for t, a, b in d.remaining)}
    labels = _Labels(d)
    out.write("{")
    for i, (key, changes) in enumerate(lists.items()):
        out.write(f'{"," if i else ""}\n  "{key}": ')
        _indented_items(out, (item_json(d, c, labels) for c in changes))
    out.write(',\n  "summary": ' + to_json(summary).replace("\n", "\n  ") + "\n}\n")


def _csv_rows(d: Diff) -> Iterable[list[Any]]:
    labels = _Labels(d)
    for c in d.changes():
        names = area_names(c.tambon) or (c.tambon, None)
        yield [c.status, c.reason or "", c.tambon, names[0], names[1] or "", c.tambon[:4], c.a, labels[c.a],
               c.b, labels[c.b], words.change_detail(c), [x for x in (c.a, c.b) if x in d.renamed]]


def _program(d: Diff, pid: str) -> str:
    return f"{pid} (renamed)" if pid in d.renamed else pid


def _section(out: IO[str], title: str, changes: Sequence[Change], d: Diff, columns: Sequence[str]) -> None:
    if not changes:
        out.write(f"{title}: none.\n\n")
        return
    counts = {reason: 0 for reason in (*HOW, *WHY)}
    for c in changes:
        if c.reason:
            counts[c.reason] += 1
    by = ", ".join(f"{words.REASONS[r]} {n:,}" for r, n in counts.items() if n)
    out.write(f"{title}: {words.plural(len(changes), 'pair')}{f' ({by})' if by else ''}\n\n")
    rows = ([words.place(c.tambon), _program(d, c.a), _program(d, c.b),
             *([words.REASONS[c.reason], words.change_detail(c)] if len(columns) > 3 else [])] for c in changes)
    write_table(out, columns, rows)
    out.write("\n\n")


def _write_table(out: IO[str], d: Diff, old: str, new: str) -> None:
    t = d.totals()
    out.write(f"From {old or 'OLD'} to {new or 'NEW'}, {d.area.label()}: "
              f"{words.plural(len(d.resolved), 'uncoordinated pair')} resolved, {len(d.appeared):,} appeared, "
              f"{len(d.remaining):,} remaining.\n\n")
    _section(out, "Resolved", d.resolved, d, ("tambon", "program A", "program B", "how", "details"))
    _section(out, "Appeared", d.appeared, d, ("tambon", "program A", "program B", "why", "details"))
    _section(out, "Remaining", [Change("remaining", *k, None) for k in d.remaining], d,
             ("tambon", "program A", "program B"))
    if d.renamed:
        out.write("Renamed since OLD:\n")
        for pid, was in sorted(d.renamed.items()):
            out.write(f"  {pid}: {bilingual(was[0], was[1], pid)} → {bilingual(*d.names[pid], pid)}\n")
        out.write("\n")
    if not d.districts:
        out.write("No parallel programs in OLD or NEW here.")
        return
    out.write("By district, OLD → NEW:\n\n")
    write_table(out, ("district", "parallel pairs", "uncoordinated", "coordinated", "resolved", "appeared",
                      "remaining"),
                ([words.place(x.district), words.shift(x.old_parallel, x.new_parallel),
                  words.shift(x.old_uncoordinated, x.new_uncoordinated), words.share_shift(x.old_share, x.new_share),
                  x.resolved, x.appeared, x.remaining] for x in d.districts))
    out.write(f"\n\n{words.plural(len(d.districts), 'district')}: "
              f"{words.shift(t.old_parallel, t.new_parallel)} parallel pairs, "
              f"{words.shift(t.old_uncoordinated, t.new_uncoordinated)} uncoordinated, "
              f"{words.share_shift(t.old_share, t.new_share)} coordinated.")


def write_diff(out: IO[str], d: Diff, fmt: str, *, old: str = "", new: str = "") -> None:
    """Write ``d`` to ``out`` in ``fmt`` (:data:`FORMATS`); ``old``/``new`` say where the snapshots came from."""
    if fmt == "json":
        _write_json(out, d, summary_json(d, old=old, new=new))
    elif fmt == "jsonl":
        labels = _Labels(d)
        for c in d.changes():
            out.write(_compact({"status": c.status, **item_json(d, c, labels)}) + "\n")
    elif fmt == "csv":
        write_csv(out, CSV_COLUMNS, _csv_rows(d))
    else:
        _write_table(out, d, old, new)
        out.write("\n")


def adoption_json(a) -> dict[str, Any]:
    """One link of ``--recommended --format json``."""
    return {"step": a.step, "a": a.link.a, "b": a.link.b, "tambon": a.link.tambon,
            "proposed_resolves": a.proposed_resolves, "status": a.status, "where": list(a.where),
            "resolved": a.resolved}


def write_recommended(out: IO[str], d: Diff, fmt: str, *, old: str = "", new: str = "") -> None:
    """What became of the links ``recommend`` proposed on OLD (``d.recommended``), in ``fmt``."""
    found = d.recommended or ()
    if fmt == "json":
        summary = {status: sum(1 for a in found if a.status == status) for status in words.ADOPTED}
        out.write(to_json({"recommended": [adoption_json(a) for a in found],
                           "summary": {"proposed": len(found), **summary}}) + "\n")
        return
    if fmt == "jsonl":
        for a in found:
            out.write(_compact(adoption_json(a)) + "\n")
        return
    if fmt == "csv":
        write_csv(out, RECOMMENDED_COLUMNS, ([a.step, a.link.a, a.link.b, a.link.tambon or "", a.proposed_resolves,
                                              a.status, [w or "" for w in a.where], a.resolved] for a in found))
        return
    r = d.recommendation
    if not found:
        out.write(f"recommend proposed no link on {old or 'OLD'}, {d.area.label()}: "
                  "no uncoordinated parallel programs there.\n")
        return
    out.write(f"Links recommend proposed on {old or 'OLD'} ({d.area.label()}, -k {r.k}), and {new or 'NEW'}:\n\n")
    write_table(out, ("step", "a", "b", "where proposed", "resolved then", "in NEW", "where in NEW",
                      "OLD pairs resolved through it"),
                ([a.step, a.link.a, a.link.b, words.where(a.link.tambon), a.proposed_resolves, words.ADOPTED[a.status],
                  ", ".join(words.where(w) for w in a.where) or "-", a.resolved] for a in found))
    adopted = sum(1 for a in found if a.status != "not_adopted")
    through = sum(a.resolved for a in found)
    out.write(f"\n\nIn NEW: {adopted:,} of {words.plural(len(found), 'proposed link')}. Resolved pairs coordinated "
              f"through one of them: {through:,} of {len(d.resolved):,} (a pair coordinated through two counts "
              "for each).\n")
