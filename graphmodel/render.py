"""Render rows as an aligned text table, JSON or CSV (shared by every command).

Thai combining vowels and tone marks take no column on a terminal, so
widths are measured with :func:`display_width`, not ``len``.

Each format also streams: :func:`write_table`, :func:`write_csv` and
:func:`write_json_array` write rows to a text stream as they come, so a
national result never sits in memory as one string. CSV cells go through
:mod:`graphmodel.safecsv` (spreadsheet-safe; rows end in ``\r\n``).

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

import base64
import hashlib
import io
import json
import tempfile
import unicodedata
from functools import lru_cache
from typing import IO, Any, Callable, Iterable, Sequence

from . import safecsv

__all__ = ["FORMATS", "FONT_STACK", "csp_hash", "display_width", "table", "to_csv", "to_json", "write_table", "write_csv",
           "write_json_array", "cell", "canonical"]

FORMATS = ("table", "json", "csv")


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: combining marks 0, wide (CJK) characters 2."""
    if text.isascii():
        return len(text)
    return _wide_width(text)


@lru_cache(maxsize=65_536)
def _wide_width(text: str) -> int:  # names and labels repeat from row to row
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def cell(value: Any) -> str:
    """One value as table or CSV text: lists joined by ``; ``, whole floats with thousands separators.

    >>> cell(["a", "b"]), cell(1500.0), cell(None), cell({"k": 1})
    ('a; b', '1,500', '', '{"k": 1}')
    """
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


#: Table rows held in memory before :func:`write_table` moves them to a temporary file.
_SPOOL_BYTES = 32 * 2**20


def write_table(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write an aligned plain-text table to ``out``; return the number of rows.

    Column widths depend on every row, so the rows are kept as text until the
    last one is read: in memory up to 32 MiB, then in a temporary file, never
    as objects. The output ends without a newline (as :func:`table`).

    >>> import io
    >>> buf = io.StringIO()
    >>> write_table(buf, ["a", "bb"], [["xyz", 1]])
    1
    >>> print(buf.getvalue())
    a    bb
    ---  --
    xyz  1
    """
    widths = [display_width(h) for h in header]
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        for row in rows:
            cells = [cell(c).replace("\n", " ") for c in row]
            widths = [max(w, display_width(c)) for w, c in zip(widths, cells)]
            spool.write(json.dumps(cells, ensure_ascii=False))
            spool.write("\n")
            count += 1

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()

        out.write(line(list(header)) + "\n" + line(["-" * w for w in widths]))
        spool.seek(0)
        for text in spool:
            out.write("\n" + line(json.loads(text)))
    return count


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An aligned plain-text table; cells are single-line strings."""
    buf = io.StringIO()
    write_table(buf, header, rows)
    return buf.getvalue()


def _csv_cell(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float:
        return value
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else cell(value)


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write CSV to ``out`` (spreadsheet-safe cells, :func:`graphmodel.safecsv.writer`); return the rows.

    Numbers stay numbers; other values are written as :func:`cell` text.

    >>> import io
    >>> buf = io.StringIO()
    >>> write_csv(buf, ["who", "n"], [["=1+1", -2], [["a", "b"], 3.0]])
    2
    >>> buf.getvalue().splitlines()
    ['who,n', "'=1+1,-2", 'a; b,3.0']
    """
    writer = safecsv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(c) for c in row])
        count += 1
    return count


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (see :func:`write_csv`); every line, the last too, ends in ``\r\n``."""
    buf = io.StringIO()
    write_csv(buf, header, rows)
    return buf.getvalue()


def write_json_array(out: IO[str], items: Iterable[Any], text: Callable[[Any], str] | None = None) -> int:
    """Write a JSON array item by item, byte for byte as :func:`to_json` would; return the items.

    ``text(item)`` may stand in for ``to_json(item)`` (a faster way to the same text).

    >>> import io
    >>> buf = io.StringIO()
    >>> write_json_array(buf, iter([{"a": [1]}, "ข"]))
    2
    >>> buf.getvalue() == to_json([{"a": [1]}, "ข"])
    True
    """
    count = 0
    for item in items:
        out.write("[\n" if count == 0 else ",\n")
        out.write("  " + (text or to_json)(item).replace("\n", "\n  "))  # one level deeper
        count += 1
    out.write("\n]" if count else "[]")
    return count


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
    """JSON with Thai kept readable (UTF-8, not \\u escapes), two-space indent.

    The text of ``json.dumps(data, ensure_ascii=False, indent=2)``, made
    without the standard library's indenting encoder, which is pure Python
    and yields a piece per token (tests/test_render.py holds the two equal).

    >>> print(to_json({"tambon": "กะหรอ", "years": [2006, 2007], "pilot": None, "x": {}}))
    {
      "tambon": "กะหรอ",
      "years": [
        2006,
        2007
      ],
      "pilot": null,
      "x": {}
    }
    """
    return _indented(data, "")


_string = json.encoder.encode_basestring  # the C encoder of one string, non-ASCII kept


def _indented(value: Any, pad: str) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + pad + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        return ("{\n" + ",\n".join(f"{inner}{_key(k)}: {_indented(v, inner)}" for k, v in value.items())
                + "\n" + pad + "}")
    return json.dumps(value)  # numbers, booleans, None (and the standard library's errors)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, (int, float)):  # as json.dumps: 1 -> "1", None -> "null"
        return _string(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


# --- HTML pages (the views and the report) ---------------------------------------------------

#: Thai-capable fonts first, then system fallbacks (labels are drawn on a canvas).
FONT_STACK = ("'Noto Sans Thai', Sarabun, Tahoma, 'Leelawadee UI', Thonburi, Garuda, Loma, "
              "'Noto Sans', 'DejaVu Sans', Arial, sans-serif")


def csp_hash(text: str) -> str:
    """A Content-Security-Policy source naming ``text`` (a script, a stylesheet) by its SHA-256.

    >>> csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
