"""Low-level CSV reading with exact positions, one row at a time.

:func:`open_csv` decodes a file and finds its header; :meth:`CsvTable.rows`
then yields each data row with the spreadsheet line it starts on (header =
line 1), blank lines skipped, cells as read (the reader cleans and checks
them, see :mod:`.cells`), except that the whole text is normalised once
(NFC and Thai spellings, :func:`.cells.normalise`). Nothing is kept per row, so a file of a million
rows costs the memory of its text, not of its rows.

:func:`stream_csv` reads the same rows from the disk as they come, without
holding the file's text (a scoped read's first pass, :mod:`.area`, which
keeps only the rows it picks): the same lines and cells, not normalised
(normalising the cells of a row gives what :class:`CsvTable` yields). Its
:meth:`CsvStream.pick` finds the rows a scoped read wants by the few cells
that decide, in one tight loop.

:func:`csv_rows` is the loop under both, for any CSV text: each non-blank
row with the physical line it starts on (a quoted cell may hold line
breaks), strict about quotes, no limit on a cell's length. The HXL importer
reads its sheets through it (:mod:`graphmodel.importers.hxl`).
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterator

from ..errors import Problem
from .cells import CELL_LIMIT, clean, normalise

__all__ = ["CsvTable", "CsvStream", "csv_rows", "decode_text", "open_csv", "stream_csv"]

_UTF8_BOM = b"\xef\xbb\xbf"


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def decode_text(data: bytes, encoding: str, file: str) -> tuple[str | None, Problem | None]:
    """The text of a file's bytes, or the one problem that stops it (also used by the importers)."""
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
        expected = ("a closing quote for the quoted cell that starts on this line; "
                    "the rest of the file is not read")
    else:
        expected = f"valid CSV ({exc}); the rest of the file is not read"
    return Problem(file, line, None, None, "bad-csv", expected)


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    """Let the csv module read cells of any length (the reader reports long ones itself).

    The limit is process-wide; it is raised only while a file is parsed and
    put back after, so other users of ``csv`` keep theirs.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


class _Rows:
    """What :class:`CsvTable` and :class:`CsvStream` share: the problem that ends their rows."""

    file: str
    problems: list[Problem]
    complete: bool

    def _stop(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.complete = False

    def _bad_csv(self, line: int, exc: csv.Error) -> None:
        self._stop(_csv_problem(self.file, line, exc))


@dataclass
class CsvTable(_Rows):
    """One decoded CSV file: its header, then its rows as they are read.

    ``problems`` receives what goes wrong while reading rows (malformed CSV);
    ``complete`` is False when the file could not be read to its end.
    """

    file: str
    header_line: int
    header: list[str]
    _text: str = field(repr=False)
    _start: int = field(repr=False)  # lines consumed by the header and blank lines before it
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True
    long_cells: bool = False  # True when a cell may exceed CELL_LIMIT (the text is longer than it)
    reported: frozenset[str] = frozenset()  # cells reported while reading (none in a CSV file)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank data row: (the line it starts on, its cells as read)."""
        text, self._text = self._text, ""
        yield from csv_rows(text, self._bad_csv, after=self._start)  # after the header and blank lines before it


def csv_rows(text: str, bad_csv: Callable[[int, csv.Error], None], *,
             after: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row of the CSV ``text`` from its line ``after`` + 1 on: (the line it starts on,
    the text's first line being 1; its cells as read). Malformed CSV (a quote never closed, a
    character after a closing quote) ends the rows after ``bad_csv(line the bad row starts on, error)``,
    which may raise.

    >>> list(csv_rows('a,b\\n"x\\ny",1\\n\\n ,\\nz,2\\n', print))
    [(1, ['a', 'b']), (2, ['x\\ny', '1']), (6, ['z', '2'])]
    >>> list(csv_rows('a\\n"x\\ny\\n', lambda line, exc: print(line, exc)))
    2 unexpected end of data
    [(1, ['a'])]
    """
    return _data_rows(csv.reader(io.StringIO(text, newline=""), strict=True), bad_csv, after=after)


def _data_rows(reader, bad_csv: Callable[[int, csv.Error], None], *,
               after: int = 0) -> Iterator[tuple[int, list[str]]]:
    """:func:`csv_rows` of a ``csv.reader`` (of a text or of a file being read)."""
    start = reader.line_num + 1
    with _no_field_limit():
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                bad_csv(start, exc)
                return
            line, start = start, reader.line_num + 1
            if line > after and not _blank(cells):
                yield line, cells


def open_csv(path: Path, display: str, *, encoding: str,
             required: tuple[str, ...]) -> tuple[CsvTable | None, list[Problem]]:
    """Decode one CSV file and read its header; ``None`` and the problems if that fails.

    The header is the first non-blank line. Header cells are returned as read.
    """
    text, problem = decode_text(path.read_bytes(), encoding, display)
    if problem is not None:
        return None, [problem]
    assert text is not None
    text = normalise(text)
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    cells: list[str] = []
    head_line = 1
    with _no_field_limit():
        try:
            while not any(c.strip() for c in cells):  # blank lines before the header are skipped
                head_line = reader.line_num + 1
                cells = next(reader)
        except StopIteration:
            return None, [Problem(display, 1, None, None, "missing-header",
                                  f"a header row naming the columns {', '.join(required)}")]
        except csv.Error as exc:
            return None, [_csv_problem(display, head_line, exc)]
    return CsvTable(display, head_line, cells, text, reader.line_num,
                    long_cells=len(text) > CELL_LIMIT), []


class CsvStream(_Rows):
    """One CSV file read row by row from the disk: the rows and lines of :class:`CsvTable`, cells
    not normalised (:func:`~.cells.normalise` each kept cell). Made by :func:`stream_csv`.

    A byte the encoding cannot decode ends the rows; :attr:`problems` then holds the one
    ``wrong-encoding`` problem :func:`open_csv` reports for the file, and :attr:`undecodable` is set.
    """

    long_cells = True  # not known without the whole text: the reader measures the rows it checks
    reported: frozenset[str] = frozenset()

    def __init__(self, path: Path, file: str, encoding: str, fh: IO[str], reader, header_line: int,
                 header: list[str]):
        self.path, self.file, self.encoding = path, file, encoding
        self.header_line, self.header = header_line, header
        self.problems: list[Problem] = []
        self.complete = True
        self.undecodable = False
        self._fh, self._reader = fh, reader

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank data row: (the line it starts on, its cells as read)."""
        try:
            yield from _data_rows(self._reader, self._bad_csv)
        except UnicodeDecodeError:
            self.undecodable = True
            self._stop(_decode_problem(self.path, self.encoding, self.file))
        finally:
            self._fh.close()

    def close(self) -> None:
        self._fh.close()

    def pick(self, at: list[int], keep: Callable[..., bool]) -> Iterator[tuple[int, list[str], tuple[str, ...]]]:
        """The rows of :meth:`rows` whose cleaned cells at positions ``at`` (-1: a column the file
        lacks, ``""``) ``keep`` takes: ``(line, cells as read, those values)``.

        The same rows, problems and ending as :meth:`rows` then :func:`~.cells.clean`, in one
        loop without a generator per row: it runs for every row of a national file, and looks
        at one or two cells of each.
        """
        reader, start = self._reader, self._reader.line_num + 1
        first, second = (list(at) + [-1, -1])[:2]
        several = len(at) > 2
        try:
            with _no_field_limit():
                for cells in reader:
                    line, start = start, reader.line_num + 1
                    count = len(cells)
                    if several:
                        values = tuple(_clean(cells[i]) if 0 <= i < count else "" for i in at)
                    else:
                        x = cells[first] if 0 <= first < count else ""
                        x = x.strip() if x.isascii() else clean(x)
                        if second < 0 and len(at) < 2:
                            values = (x,)
                        else:
                            y = cells[second] if 0 <= second < count else ""
                            values = (x, y.strip() if y.isascii() else clean(y))
                    # A row with a value is no blank row; one without must be checked as rows() does.
                    if (any(values) or not _blank(cells)) and keep(*values):
                        yield line, cells, values
        except csv.Error as exc:
            self._bad_csv(start, exc)
        except UnicodeDecodeError:
            self.undecodable = True
            self._stop(_decode_problem(self.path, self.encoding, self.file))
        finally:
            self._fh.close()


def _blank(cells: list[str]) -> bool:
    """Whether a row is blank (every cell empty or whitespace): skipped, as :meth:`CsvTable.rows` skips it."""
    first = cells[0] if cells else ""
    return not ((first and not first.isspace()) or any(c and not c.isspace() for c in cells))


def _clean(cell: str) -> str:
    """:func:`~.cells.clean`, quickly for the usual ASCII cell (whose cleaning is a strip)."""
    return cell.strip() if cell.isascii() else clean(cell)


def _decode_problem(path: Path, encoding: str, display: str) -> Problem:
    """The problem :func:`decode_text` reports for a file that does not decode (read whole: an error path)."""
    _, problem = decode_text(path.read_bytes(), encoding, display)
    assert problem is not None
    return problem


def stream_csv(path: Path, display: str, *, encoding: str,
               required: tuple[str, ...]) -> tuple[CsvStream | None, list[Problem]]:
    """:func:`open_csv` without reading the whole file: the header now, the rows as they are read.

    The header's cells are normalised, as :func:`open_csv` gives them; the
    problems are those :func:`open_csv` reports (a file that does not
    decode is found when the bad byte is reached: see :class:`CsvStream`).
    """
    utf8 = _is_utf8(encoding)
    if not utf8:
        with path.open("rb") as raw:
            if raw.read(len(_UTF8_BOM)) == _UTF8_BOM:
                return None, [_decode_problem(path, encoding, display)]
    fh = path.open(encoding="utf-8-sig" if utf8 else encoding, newline="")
    reader = csv.reader(fh, strict=True)
    cells: list[str] = []
    head_line = 1
    try:
        with _no_field_limit():
            while not any(c.strip() for c in cells):  # blank lines before the header are skipped
                head_line = reader.line_num + 1
                cells = next(reader)
    except StopIteration:
        fh.close()
        return None, [Problem(display, 1, None, None, "missing-header",
                              f"a header row naming the columns {', '.join(required)}")]
    except csv.Error as exc:
        fh.close()
        return None, [_csv_problem(display, head_line, exc)]
    except UnicodeDecodeError:
        fh.close()
        return None, [_decode_problem(path, encoding, display)]
    return CsvStream(path, display, encoding, fh, reader, head_line, [normalise(c) for c in cells]), []
