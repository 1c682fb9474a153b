"""Low-level CSV reading with exact positions.

Rows come back with the spreadsheet line they start on (header = line 1)
and every cell is stripped and NFC-normalised, with the Thai spellings NFC
leaves apart joined too (SARA AM typed as NIKHAHIT + SARA AA, a tone mark
typed before its vowel), so Thai text typed with different input methods
compares equal.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem

__all__ = ["Row", "CsvTable", "read_csv"]


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    file: str
    header: list[str]
    rows: list[Row]


# Thai spellings that look the same but are different code points. NFC does
# not join them: SARA AM (U+0E33) has only a compatibility decomposition into
# NIKHAHIT + SARA AA, and a tone mark typed before an above vowel (both
# combining, but the vowel has class 0) is not reordered.
_THAI_FIXES = (
    (re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32"), "\\1\u0e33"),  # ํ(tone)า -> (tone)ำ
    (re.compile("([\u0e48-\u0e4c]+)([\u0e31\u0e34-\u0e37\u0e47]+)"), "\\2\\1"),  # tone before vowel
)


def _nfc(text: str) -> str:
    """Strip, NFC-normalise and join Thai look-alike spellings.

    >>> _nfc(" \u0e19\u0e49\u0e4d\u0e32 ") == "\u0e19\u0e49\u0e33"  # น้ำ typed as น ้ ํ า
    True
    >>> _nfc("\u0e17\u0e48\u0e35") == "\u0e17\u0e35\u0e48"  # ที่ typed tone first
    True
    """
    text = unicodedata.normalize("NFC", text.strip())
    for pattern, replacement in _THAI_FIXES:
        text = pattern.sub(replacement, text)
    return text


_UTF8_BOM = b"\xef\xbb\xbf"


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def _decode(data: bytes, encoding: str, file: str) -> tuple[str | None, Problem | None]:
    utf8 = _is_utf8(encoding)
    if not utf8 and data.startswith(_UTF8_BOM):
        # cp874 would turn the BOM into three Thai letters glued to the first column name.
        return None, Problem(
            file, 1, None, "0xef", "wrong-encoding",
            f"text in {encoding}, but the file starts with a UTF-8 byte-order mark "
            "(leave out --encoding for UTF-8 files)",
        )
    try:
        return data.decode("utf-8-sig" if utf8 else encoding), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = " (Thai Windows files need --encoding cp874)" if utf8 else ""
        return None, Problem(
            file, line, None, f"0x{data[exc.start]:02x}", "wrong-encoding",
            f"text in {encoding}: byte {exc.start} cannot be decoded{hint}",
        )
    except LookupError:
        return None, Problem(file, None, None, encoding, "unknown-encoding",
                             "a text encoding Python knows, e.g. utf-8 or cp874")


def _csv_problem(file: str, line: int, exc: csv.Error) -> Problem:
    if "unexpected end of data" in str(exc):
        expected = "a closing quote for the quoted cell that starts on this line"
    else:
        expected = f"valid CSV ({exc})"
    return Problem(file, line, None, None, "bad-csv", expected)


def read_csv(
    path: Path,
    display: str,
    *,
    encoding: str,
    required: tuple[str, ...],
) -> tuple[CsvTable | None, list[Problem]]:
    """Read one CSV file; return the table (``None`` if unusable) and the problems found.

    Blank lines are skipped (the header is the first non-blank line). A row
    with more or fewer cells than the header is reported as ``ragged-row`` and
    left out; malformed CSV (an unclosed quote) stops the file with ``bad-csv``.
    """
    text, problem = _decode(path.read_bytes(), encoding, display)
    if problem is not None:
        return None, [problem]
    assert text is not None
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    cells: list[str] = []
    try:
        while not any(c.strip() for c in cells):  # blank lines before the header are skipped
            head_line = reader.line_num + 1
            cells = next(reader)
    except StopIteration:
        return None, [Problem(display, 1, None, None, "missing-header",
                              f"a header row naming the columns {', '.join(required)}")]
    except csv.Error as exc:
        return None, [_csv_problem(display, head_line, exc)]
    header = [_nfc(h) for h in cells]
    seen: set[str] = set()
    for name in header:
        if name == "":
            problems.append(Problem(display, head_line, None, "", "empty-column-name",
                                    "every header cell to name a column"))
        elif name in seen:
            problems.append(Problem(display, head_line, name, name, "duplicate-column",
                                    "each column named once"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(display, head_line, name, None, "missing-column",
                                    f"a column named {name!r} in the header"))
    if problems:
        return None, problems

    rows: list[Row] = []
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_csv_problem(display, start, exc))
            break
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(
                display, line, None, None, "ragged-row",
                f"{len(header)} cells as in the header, found {len(cells)}",
            ))
            continue
        rows.append(Row(line, {h: _nfc(c) for h, c in zip(header, cells)}))
    return CsvTable(display, header, rows), problems
