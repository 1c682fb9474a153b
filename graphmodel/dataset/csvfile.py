"""Low-level CSV reading with exact positions.

Rows come back with the spreadsheet line they start on (header = line 1)
and every cell is stripped and NFC-normalised, so Thai text typed with
different input methods compares equal.
"""

from __future__ import annotations

import csv
import io
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


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _decode(data: bytes, encoding: str, file: str) -> tuple[str | None, Problem | None]:
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = " (Thai Windows files need --encoding cp874)" if codec == "utf-8-sig" else ""
        return None, Problem(
            file, line, None, f"0x{data[exc.start]:02x}", "wrong-encoding",
            f"text in {encoding}: byte {exc.start} cannot be decoded{hint}",
        )
    except LookupError:
        return None, Problem(file, None, None, encoding, "unknown-encoding",
                             "a text encoding Python knows, e.g. utf-8 or cp874")


def read_csv(
    path: Path,
    display: str,
    *,
    encoding: str,
    required: tuple[str, ...],
) -> tuple[CsvTable | None, list[Problem]]:
    """Read one CSV file; return the table (``None`` if unusable) and the problems found.

    Blank lines are skipped. A row with more or fewer cells than the header is
    reported as ``ragged-row`` and left out.
    """
    text, problem = _decode(path.read_bytes(), encoding, display)
    if problem is not None:
        return None, [problem]
    assert text is not None
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = [_nfc(h) for h in next(reader)]
    except StopIteration:
        return None, [Problem(display, 1, None, None, "missing-header",
                              f"a header row naming the columns {', '.join(required)}")]
    except csv.Error as exc:
        return None, [Problem(display, 1, None, None, "bad-csv", f"valid CSV ({exc})")]
    seen: set[str] = set()
    for name in header:
        if name == "":
            problems.append(Problem(display, 1, None, "", "empty-column-name",
                                    "every header cell to name a column"))
        elif name in seen:
            problems.append(Problem(display, 1, name, name, "duplicate-column",
                                    "each column named once"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(display, 1, name, None, "missing-column",
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
            problems.append(Problem(display, start, None, None, "bad-csv", f"valid CSV ({exc})"))
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
