"""The sources ``graphmodel combine`` reads, recognised by what they are named and what they hold.

| source | recognised by | read with |
|---|---|---|
| a dataset folder | a folder holding at least one of the contract's files | the reader's CSV reading (:mod:`graphmodel.dataset.csvfile`) |
| an Excel workbook | ``.xlsx`` / ``.xlsm``, starting like a zip file | the reader's sheet reading (:mod:`graphmodel.dataset.workbook`) |
| IATI activity XML | ``.xml`` | :func:`graphmodel.importers.read_iati`, then the importers' builder |
| an HXL 3W sheet | ``.csv`` with an HXL tag row | :func:`graphmodel.importers.read_hxl`, then the importers' builder |

A name that promises one kind and content that is another (a ``.xlsx``
that is text, a ``.csv`` that is a dataset's ``agencies.csv``) is refused
with one line naming the source and what it looks like
(:class:`~.errors.CombineError`).

Each source is read **file by file of the contract**, as cells of text
with the line each row starts on (the header is line 1; rows an importer
made have no line); nothing is checked here but the files' structure
(encoding, header, the number of cells). The cells are checked once, when
the reader reads the combined folder.

Examples
--------
>>> from pathlib import Path
>>> src = open_source(Path("seed/nst-2006"))
>>> src.kind, src.name
('folder', 'nst-2006')
>>> table, problems = src.table(FILES[0])
>>> table.header[:3], next(table.rows)[0]
(['id', 'name', 'name_en'], 2)
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..dataset.csvfile import open_csv
from ..dataset.reader import FILES, FileSpec
from ..dataset.workbook import WORKBOOK_SUFFIXES, open_workbook, sheet_table
from ..errors import DatasetError, Problem
from ..importers.builder import ReportLine, build_dataset
from .errors import CombineError

__all__ = ["Source", "SourceTable", "KINDS", "open_source", "open_sources"]

#: The kinds of source, as the terminal and the docs name them.
KINDS = ("folder", "workbook", "iati", "hxl")
_ZIP = b"PK\x03\x04"
_ACCEPTED = "a dataset folder, an Excel workbook (.xlsx), an IATI activity file (.xml) or an HXL 3W sheet (.csv)"
_SNIFF = 1 << 14
_HXL_ROWS = 25  # libhxl looks for the tag row this far


@dataclass
class SourceTable:
    """One file of the contract as a source holds it: its header and its rows of text cells.

    ``rows`` yields ``(line, cells)``; ``line`` is ``None`` for rows an
    importer made. ``problems`` receives what goes wrong while the rows are
    read (malformed CSV, a sheet that cannot be read further).
    """

    display: str
    header_line: int | None
    header: list[str]
    rows: Iterator[tuple[int | None, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    long_cells: bool = False  # a cell may be longer than the reader's limit
    sheet: Any = None  # a workbook's sheet, whose ``reported`` names the cells of the current row it reported

    def row_reported(self) -> bool:
        """Whether the table itself reported a cell of the row just yielded (a number for a tambon code)."""
        return bool(self.sheet is not None and self.sheet.reported)


@dataclass
class Source:
    """One source: where it is, what kind it is, and the name its rows carry as ``source``."""

    path: Path
    kind: str
    name: str
    encoding: str = "utf-8"
    report: list[ReportLine] = field(default_factory=list)  # what an importer could not place
    _tables: dict[str, Any] = field(default_factory=dict, repr=False)  # imported files, by name
    _workbook: Any = field(default=None, repr=False)

    def display(self, spec: FileSpec) -> str:
        """Where a problem in this source's file ``spec`` points."""
        if self.kind == "folder":
            return str(self.path / spec.filename)
        if self.kind == "workbook":
            return f"{self.path}[{spec.name}]"
        return str(self.path)

    def table(self, spec: FileSpec) -> tuple[SourceTable | None, list[Problem]]:
        """The source's file ``spec`` (``None`` when it has none), and the problems that stop it."""
        if self.kind == "folder":
            return self._csv(spec)
        if self.kind == "workbook":
            return self._sheet(spec)
        return self._imported(spec), []

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def _csv(self, spec: FileSpec) -> tuple[SourceTable | None, list[Problem]]:
        file = self.path / spec.filename
        if not file.is_file():
            return None, []
        table, problems = open_csv(file, self.display(spec), encoding=self.encoding, required=spec.required)
        if table is None:
            return None, problems
        return SourceTable(table.file, table.header_line, table.header, table.rows(), table.problems,
                           long_cells=table.long_cells), problems

    def _sheet(self, spec: FileSpec) -> tuple[SourceTable | None, list[Problem]]:
        sheets = {name.strip(): name for name in self._workbook.sheetnames}
        if spec.name not in sheets:
            return None, []
        table, problems = sheet_table(self._workbook, sheets[spec.name], self.display(spec), spec.required)
        if table is None:
            return None, problems
        return SourceTable(table.file, table.header_line, table.header, table.rows(), table.problems,
                           long_cells=True, sheet=table), problems

    def _imported(self, spec: FileSpec) -> SourceTable | None:
        built = self._tables.get(spec.name)
        if built is None:
            return None
        rows = ((None, ["" if v is None else str(v) for v in row]) for row in built.rows)
        return SourceTable(self.display(spec), None, list(built.header), rows)


def _name(path: Path) -> str:
    return path.name if path.name not in ("", ".", "..") else path.resolve().name


def _looks_like(data: bytes) -> str:
    """What a file's first bytes look like, for a message about a wrong name."""
    if data.startswith(_ZIP):
        return "a zip file (an Excel workbook? name it .xlsx)"
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "XML (an IATI activity file? name it .xml)"
    return "text (a CSV file? an HXL sheet is named .csv)"


def _contract_header(data: bytes) -> str | None:
    """The contract file whose required columns the first row of a CSV file names, if any."""
    try:
        first = next(csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"))), [])
    except csv.Error:
        return None
    names = {c.strip() for c in first}
    return next((spec.filename for spec in FILES if set(spec.required) <= names), None)


def _has_hxl_tags(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding,
                           errors="replace")
        rows = csv.reader(io.StringIO(text))
        for _, row in zip(range(_HXL_ROWS), rows):
            cells = [c.strip() for c in row if c.strip()]
            if cells and sum(c.startswith("#") for c in cells) * 2 >= len(cells):
                return True
    except (csv.Error, LookupError):
        return True  # let the importer say what is wrong
    return False


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(_SNIFF)
    except OSError as exc:
        raise CombineError(f"{path}: cannot read the file: {exc.strerror or exc}") from None


def open_source(path: Path, *, encoding: str = "utf-8", name: str | None = None) -> Source:
    """Recognise ``path`` and open it as a :class:`Source`.

    Raises
    ------
    CombineError
        ``path`` does not exist, is not a kind of source combine reads, or
        is named as one kind and holds another.
    DatasetError, ImportFailed
        A workbook that cannot be opened; an IATI or HXL file the importer refuses.
    """
    from ..importers import read_hxl, read_iati

    name = name or _name(path)
    if path.is_dir():
        if not any((path / spec.filename).is_file() for spec in FILES):
            raise CombineError(f"{path}: a folder without any dataset file ({', '.join(s.filename for s in FILES)}); "
                               f"give {_ACCEPTED}")
        return Source(path, "folder", name, encoding)
    if not path.exists():
        raise CombineError(f"{path}: no such file or folder; give {_ACCEPTED}")
    suffix = path.suffix.lower()
    head = _head(path)
    if suffix in WORKBOOK_SUFFIXES:
        if not head.startswith(_ZIP):
            raise CombineError(f"{path}: named as an Excel workbook, but it holds {_looks_like(head)}")
        workbook, problem = open_workbook(path)
        if problem is not None:
            raise DatasetError([problem])
        return Source(path, "workbook", name, _workbook=workbook)
    if suffix == ".xml":
        if head.startswith(_ZIP) or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise CombineError(f"{path}: named as an IATI activity file (.xml), but it holds {_looks_like(head)}")
        activities, report = read_iati(path)
        return _imported(path, "iati", name, activities, report)
    if suffix == ".csv":
        if head.startswith(_ZIP):
            raise CombineError(f"{path}: named as an HXL sheet (.csv), but it holds {_looks_like(head)}")
        contract = _contract_header(head)
        if contract is not None and not _has_hxl_tags(head, encoding):
            raise CombineError(f"{path}: a dataset's {contract} without HXL tags, not an HXL 3W sheet; "
                               "give the dataset folder it belongs to")
        activities, report = read_hxl(path, encoding=encoding)
        return _imported(path, "hxl", name, activities, report)
    raise CombineError(f"{path}: not a source graphmodel combine reads; give {_ACCEPTED}")


def _imported(path: Path, kind: str, name: str, activities: list, report: list[ReportLine]) -> Source:
    tables = build_dataset(activities, report, source=f"{kind}:{path.name}")
    return Source(path, kind, name, report=report, _tables=tables)


@contextlib.contextmanager
def open_sources(paths: list[Path], *, encoding: str = "utf-8") -> Iterator[list[Source]]:
    """Every source of ``paths``, opened in order (closed after); each with its own name.

    A name two sources share (``data`` and ``other/data``) is kept for the
    first; the next is named by its path as given. The same path twice is refused.
    """
    sources: list[Source] = []
    try:
        seen: dict[Path, Path] = {}
        names: set[str] = set()
        for path in paths:
            real = path.resolve()
            if real in seen:
                raise CombineError(f"{path}: given twice (as {seen[real]}); give each source once")
            seen[real] = path
            name = _name(path)
            source = open_source(path, encoding=encoding, name=str(path) if name in names else name)
            names.add(source.name)
            sources.append(source)
        yield sources
    finally:
        for source in sources:
            source.close()
