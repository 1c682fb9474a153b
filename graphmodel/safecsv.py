"""CSV files that are safe to open in a spreadsheet, written atomically.

This is the one place where graphmodel makes CSV cells inert (OWASP's advice
on CSV injection, also called formula injection). A spreadsheet program that
opens a CSV file runs a cell as a formula when its text starts with ``=``,
``+``, ``-`` or ``@``, and a leading tab or carriage return can hide such a
start. So a **text** cell whose first character is one of

    ``=``  ``+``  ``-``  ``@``  tab (U+0009)  carriage return (U+000D)

gets a single quote ``'`` in front of it. Spreadsheets show a leading quote
as "this is text"; the value read back by a program is the original with
one ``'`` in front. Nothing else changes: the ``csv`` module still quotes
cells holding commas, quotes, line breaks or carriage returns, and rows end
in ``\r\n`` (RFC 4180).

**Numbers written as numbers are left alone**: an ``int``, ``float`` or
``Decimal`` (anything that is a :class:`numbers.Number`) is written as
itself, so ``-5`` stays the number -5. The *text* ``"-5"``, ``"-1+2"`` or
``'=HYPERLINK("http://x","y")'`` is neutralised. Pass numbers as numbers
when they should stay numbers.

Files are written by :func:`graphmodel.outputs.atomic_text` (re-exported
here with :class:`WriteFailed`): to a temporary file in the same folder,
then renamed over the target, so a reader never sees half a file. A
read-only folder, a full disk or any other :class:`OSError` becomes one
:class:`WriteFailed` naming the file, and no partial file is left behind.

Examples
--------
>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> neutralise("-1+2"), neutralise(-1), neutralise("กะหรอ"), neutralise(None)
("'-1+2", -1, 'กะหรอ', '')
>>> import io
>>> buf = io.StringIO()
>>> w = writer(buf)
>>> w.writerow(["name", "amount"])
>>> w.writerow(["@SUM(A1:A2)", -100])
>>> buf.getvalue().splitlines()
['name,amount', "'@SUM(A1:A2),-100"]
"""

from __future__ import annotations

import csv
import numbers
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from .outputs import WriteFailed, atomic_text

__all__ = ["DANGEROUS_STARTS", "WriteFailed", "neutralise", "writer", "atomic_text", "write_rows"]

#: First characters that make a spreadsheet treat a text cell as a formula (OWASP).
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula.

    Parameters
    ----------
    value : Any
        A cell. ``None`` means an empty cell.

    Returns
    -------
    Any
        ``""`` for ``None``; a number unchanged; any other value as text,
        with ``'`` in front when it starts with one of :data:`DANGEROUS_STARTS`.

    Examples
    --------
    >>> [neutralise(v) for v in ["+66 81", "\\tx", "a=b", 3.5, True]]
    ["'+66 81", "'\\tx", 'a=b', 3.5, True]
    """
    if type(value) is str:  # the common case first: a million cells per national report
        return "'" + value if value.startswith(DANGEROUS_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, numbers.Number):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class _SafeWriter:
    """A CSV writer whose every cell goes through :func:`neutralise` (or is kept as is).

    It writes exactly what ``csv.writer(fh, lineterminator="\r\n")`` writes
    (``QUOTE_MINIMAL``, ``"`` doubled; tests/test_safecsv.py holds the two
    equal), with four substring tests per cell instead of the module's loop
    over every character: about five times faster on long Thai cells.
    "\r\n" (RFC 4180): with "\n" alone a cell holding a bare carriage return
    would not be quoted, and a reader would split the row there.
    """

    def __init__(self, fh: IO[str], *, neutralise_cells: bool = True):
        self._write = fh.write
        self._neutral = neutralise_cells

    def writerow(self, row: Iterable[Any]) -> None:
        cells = []
        append, neutral = cells.append, self._neutral
        for value in row:
            kind = type(value)
            if kind is str:
                if neutral and value.startswith(DANGEROUS_STARTS):
                    value = "'" + value
            elif kind is int or kind is float:  # numbers stay numbers; their text needs no quotes
                append(str(value))
                continue
            elif value is None:
                append("")
                continue
            else:
                value = str(neutralise(value) if neutral else value)
            if "," in value or '"' in value or "\n" in value or "\r" in value:
                value = '"' + value.replace('"', '""') + '"'
            append(value)
        if cells == [""]:  # as the csv module: a lone empty cell is quoted, so the row is not blank
            cells = ['""']
        self._write(",".join(cells) + "\r\n")

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(fh: IO[str], *, neutralise_cells: bool = True) -> Any:
    """A CSV writer on an open text file (opened with ``newline=""``) that neutralises cells.

    Rows end in ``\\r\\n`` (RFC 4180), so a cell holding a carriage return
    is quoted like one holding a line break. ``neutralise_cells=False`` writes every value as
    given (``None`` as an empty cell): for files that only graphmodel reads
    back, such as a dataset folder, where a changed value would be changed data.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> _ = writer(buf, neutralise_cells=False).writerow(["=1+1", None])
    >>> buf.getvalue()
    '=1+1,\\r\\n'
    """
    if not neutralise_cells:  # nothing to change in a cell: the csv module's writer, in C, writes the same
        return csv.writer(fh, lineterminator="\r\n")
    return _SafeWriter(fh, neutralise_cells=True)


def write_rows(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               neutralise_cells: bool = True, encoding: str = "utf-8") -> int:
    """Write a CSV file atomically, cells neutralised; return the number of data rows.

    Parameters
    ----------
    path : path
        The CSV file to write (replaced if it exists).
    header : sequence of str
        The column names (line 1).
    rows : iterable of sequences
        The data rows; streamed, never held in memory as a whole.
    neutralise_cells : bool
        ``True`` (the default) for files people open in a spreadsheet;
        ``False`` to write values exactly (see :func:`writer`).
    encoding : str
        ``"utf-8"`` or ``"utf-8-sig"`` (with a byte-order mark, as Excel's
        "CSV UTF-8" saves).

    Returns
    -------
    int
        Data rows written (the header not counted).

    Raises
    ------
    WriteFailed
        When the file cannot be written; the old file, if any, is untouched.

    Examples
    --------
    >>> import tempfile, pathlib, csv
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> write_rows(p, ["org", "amount"], [["=cmd|' /C calc'!A0", -5], ["พอช.", 100]])
    2
    >>> list(csv.reader(p.open(encoding="utf-8", newline="")))
    [['org', 'amount'], ["'=cmd|' /C calc'!A0", '-5'], ['พอช.', '100']]
    """
    count = 0
    with atomic_text(path, encoding=encoding) as fh:
        out = writer(fh, neutralise_cells=neutralise_cells)
        out.writerow(header)
        for row in rows:
            out.writerow(row)
            count += 1
    return count
