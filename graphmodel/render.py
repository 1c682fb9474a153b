"""Render rows as an aligned text table, JSON or CSV (shared by every command).

Thai combining vowels and tone marks take no column on a terminal, so
widths are measured with :func:`display_width`, not ``len``.

Examples
--------
>>> print(table(["tambon", "name"], [["802103", "กะหรอ"]]))
tambon  name
------  -----
802103  กะหรอ
>>> display_width("กะหรอ"), display_width("ที่")
(5, 1)
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any, Iterable, Sequence

__all__ = ["FORMATS", "display_width", "table", "to_csv", "to_json", "canonical"]

FORMATS = ("table", "json", "csv")


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: combining marks 0, wide (CJK) characters 2."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An aligned plain-text table; cells are single-line strings."""
    text_rows = [[_cell(c).replace("\n", " ") for c in row] for row in rows]
    widths = [display_width(h) for h in header]
    for row in text_rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(list(header)), line(["-" * w for w in widths])]
    out += [line(r) for r in text_rows]
    return "\n".join(out)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(c) if not isinstance(c, (int, float)) or isinstance(c, bool) else c
                         for c in row])
    return buf.getvalue().rstrip("\n")


def canonical(value: Any) -> Any:
    """``value`` with the keys of every map inside it sorted (lists keep their order).

    A map a Neo4j server returns has no key order of its own, so printed
    rows sort the keys of the maps in their cells (the row's own columns keep
    the query's order): the same row prints the same from either twin.

    >>> canonical({"name": "x", "id": 1, "sides": [{"b": 2, "a": 1}]})
    {'id': 1, 'name': 'x', 'sides': [{'a': 1, 'b': 2}]}
    """
    if isinstance(value, dict):
        return {k: canonical(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def to_json(data: Any) -> str:
    """JSON with Thai kept readable (UTF-8, not \\u escapes), two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2)
