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

Files are written to a temporary file in the same folder and then renamed
over the target (:func:`os.replace`), so a reader never sees half a file. A
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

import contextlib
import csv
import numbers
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .errors import GraphmodelError

__all__ = ["DANGEROUS_STARTS", "WriteFailed", "neutralise", "writer", "atomic_text", "write_rows",
           "atomic_folder", "move_into", "unusable_folder"]

#: First characters that make a spreadsheet treat a text cell as a formula (OWASP).
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


class WriteFailed(GraphmodelError):
    """An output file could not be written (read-only folder, full disk, ...).

    ``path`` is the file (or folder) and ``reason`` the system's words.
    Exit code 2: the user must choose another place or free space.

    >>> print(WriteFailed("r.csv", "No space left on device"))
    r.csv: cannot write: No space left on device (is the folder writable, and is there space on the disk?)
    """

    exit_code = 2

    def __init__(self, path: str | Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: cannot write: {reason} (is the folder writable, and is there "
                         "space on the disk?)")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


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
    if value is None:
        return ""
    if isinstance(value, numbers.Number):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class _SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`neutralise` (or is kept as is)."""

    def __init__(self, fh: IO[str], *, neutralise_cells: bool = True):
        # "\r\n" (RFC 4180): with "\n" alone the csv module would not quote a cell holding a
        # bare carriage return, and a reader would split the row there.
        self._writer = csv.writer(fh, lineterminator="\r\n")
        self._clean = neutralise if neutralise_cells else (lambda v: "" if v is None else v)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([self._clean(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(fh: IO[str], *, neutralise_cells: bool = True) -> _SafeWriter:
    """A CSV writer on an open text file (opened with ``newline=""``) that neutralises cells.

    Rows end in ``\\r\\n`` (RFC 4180), so a cell holding a carriage return
    is quoted like one holding a line break. ``neutralise_cells=False`` writes every value as
    given (``None`` as an empty cell): for files that only graphmodel reads
    back, such as a dataset folder, where a changed value would be changed data.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> writer(buf, neutralise_cells=False).writerow(["=1+1", None])
    >>> buf.getvalue()
    '=1+1,\\r\\n'
    """
    return _SafeWriter(fh, neutralise_cells=neutralise_cells)


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_text(path: str | Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary text file next to ``path``; on success rename it to ``path``.

    The temporary file lives in the same folder (so the rename is atomic)
    and is removed when anything goes wrong, so ``path`` is either the old
    file or the complete new one, never half a file.

    Parameters
    ----------
    path : path
        The file to write.
    encoding : str
        ``"utf-8"``, or ``"utf-8-sig"`` for a byte-order mark so that Excel
        shows Thai text when it opens the file.

    Raises
    ------
    WriteFailed
        On any :class:`OSError` (read-only folder, full disk, missing folder).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_text(p) as fh:
    ...     _ = fh.write("ok")
    >>> p.read_text(), sorted(x.name for x in p.parent.iterdir())
    ('ok', ['out.txt'])
    """
    path = Path(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, _file_mode())  # mkstemp makes 0600; give the mode a new file would get
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise WriteFailed(path, exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


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


def unusable_folder(out: str | Path, force: bool) -> str | None:
    """Why ``out`` cannot receive a new folder's files, or None when it can.

    ``"not a folder"`` when it is a file; ``"not empty"`` when it holds
    anything and ``force`` is not given; the caller words the message.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> unusable_folder(folder, False), unusable_folder(folder + "/new", False)
    (None, None)
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        return "not a folder"
    if out.is_dir() and any(out.iterdir()) and not force:
        return "not empty"
    return None


@contextlib.contextmanager
def atomic_folder(out: str | Path, *, tag: str = "new") -> Iterator[Path]:
    """A temporary folder next to ``out`` to write a folder's files into, all or nothing.

    The caller writes the files into the yielded folder and puts them in
    place with :func:`move_into` before leaving the block. Whatever is still
    in the temporary folder when the block ends (after a failure, all of it)
    is removed, so ``out`` is either as it was or complete.

    Raises
    ------
    WriteFailed
        On any :class:`OSError`, naming the file of ``out`` it was for (a
        :class:`WriteFailed` from :func:`write_rows` inside the block), or ``out``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "files"
    >>> with atomic_folder(out) as tmp:
    ...     write_rows(tmp / "a.csv", ["h"], [["x"]])
    ...     move_into(tmp, out, ["a.csv"])
    1
    >>> sorted(p.name for p in out.parent.iterdir()), sorted(p.name for p in out.iterdir())
    (['files'], ['a.csv'])
    """
    out = Path(out)
    tmp: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.{tag}-"))
        yield tmp
    except WriteFailed as exc:  # name the file where it was going, not the temporary folder
        raise WriteFailed(out / exc.path.name, exc.reason) from None
    except OSError as exc:
        raise WriteFailed(out, exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def move_into(tmp: Path, out: Path, names: Iterable[str], *,
              stale: Callable[[str], bool] | None = None) -> None:
    """Put the files ``names`` written in ``tmp`` in place in ``out``.

    A new ``out`` is ``tmp`` renamed (one atomic step); into an existing one
    each file is renamed over the old (each file atomic), then the files of
    ``out`` for which ``stale(name)`` holds and that are not among ``names``
    are removed (files an earlier run wrote and this one does not). Other
    files of ``out`` are left alone.
    """
    names = list(names)
    if not out.exists():
        os.rename(tmp, out)
        return
    for name in names:
        os.replace(tmp / name, out / name)
    if stale is not None:
        for old in out.iterdir():
            if stale(old.name) and old.name not in names:
                old.unlink()
