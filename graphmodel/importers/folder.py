"""Write an imported dataset folder and its ``import-report.csv``, all or nothing.

The files are written into a temporary folder next to the output folder,
read back with the dataset reader (so a written folder always passes
``graphmodel validate``), and only then moved into place. A failure at any
step leaves the output folder as it was.

**Which cells are neutralised against CSV injection.** The dataset files
are *input to graphmodel*: the reader reads them back and every name ends
up in the graph, the views and the findings. A ``'`` put in front of a name
that starts with ``=`` would change the data, so these files hold every
value exactly as the source gave it (ids are made of letters, digits and
``_`` only, so they never start with a formula character). The import
report is written *for people* to open in a spreadsheet, so its cells go
through :func:`graphmodel.safecsv.neutralise`. All files are UTF-8 with a
byte-order mark, as Excel's "CSV UTF-8" saves, so Excel shows Thai text.

Examples
--------
>>> import tempfile, pathlib
>>> from graphmodel.importers.builder import Table
>>> out = pathlib.Path(tempfile.mkdtemp()) / "imported"
>>> files = {"agencies": Table(("id", "name", "kind"), [["codi", "พอช.", "special_agency"]]),
...          "programs": Table(("id", "name", "themes", "start_year", "end_year"))}
>>> write_folder(files, [], out, force=False)
{'agencies.csv': 1, 'programs.csv': 0, 'import-report.csv': 0}
>>> sorted(p.name for p in out.iterdir())
['agencies.csv', 'import-report.csv', 'programs.csv']
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..dataset import FILES, read_dataset
from ..errors import DatasetError, GraphmodelError
from ..outputs import atomic_folder, move_into, unusable_folder
from ..safecsv import write_rows
from .builder import REPORT_HEADER, ReportLine, Table

__all__ = ["REPORT_FILE", "ENCODING", "ImportFailed", "ImportSummary", "write_folder"]

REPORT_FILE = "import-report.csv"
#: UTF-8 with a byte-order mark (Excel's "CSV UTF-8"); graphmodel reads it as plain UTF-8.
ENCODING = "utf-8-sig"


class ImportFailed(GraphmodelError):
    """The input file cannot be imported, or the output folder cannot be used (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: the folder and the rows per file (``import-report.csv`` last)."""

    folder: Path
    counts: dict[str, int]

    @property
    def report_lines(self) -> int:
        return self.counts[REPORT_FILE]


_UNUSABLE = {
    "not a folder": "not a folder; give a new or empty folder for the dataset",
    "not empty": "the folder is not empty; give a new or empty folder, or --force to replace the "
                 "dataset files and the import report in it",
}


def write_folder(files: dict[str, Table], report: list[ReportLine], out: str | Path, *,
                 force: bool) -> dict[str, int]:
    """Write ``files`` and the report into ``out``; return rows written per file name.

    Parameters
    ----------
    files : dict of str to Table
        Dataset files by contract name (``agencies``, ``programs`` ...).
    report : list of ReportLine
        The lines of ``import-report.csv``, written in input-file line order.
    out : path
        The output folder: new, empty, or (with ``force``) one whose dataset
        files and report are replaced; other files in it are left alone.
    force : bool
        Allow a non-empty ``out``.

    Raises
    ------
    ImportFailed
        ``out`` is a file, or not empty without ``force``.
    WriteFailed
        The disk refused a write (read-only folder, full disk).
    DatasetError
        The written files do not pass the reader (an importer bug); nothing is moved.
    """
    out = Path(out)
    problem = unusable_folder(out, force)
    if problem:
        raise ImportFailed(f"{out}: {_UNUSABLE[problem]}")
    counts: dict[str, int] = {}
    with atomic_folder(out, tag="import") as tmp:
        for spec in FILES:
            if spec.name in files:
                table = files[spec.name]
                counts[spec.filename] = write_rows(tmp / spec.filename, table.header, table.rows,
                                                   neutralise_cells=False, encoding=ENCODING)
        in_order = sorted(report, key=lambda r: (r.file, r.line is None, r.line or 0))
        counts[REPORT_FILE] = write_rows(tmp / REPORT_FILE, REPORT_HEADER,
                                         (line.row() for line in in_order), encoding=ENCODING)
        _validate(tmp, out)
        move_into(tmp, out, list(counts))
    return counts


def _validate(tmp: Path, out: Path) -> None:
    try:
        read_dataset(tmp)
    except DatasetError as exc:  # an importer bug: show the problems under their final names
        raise DatasetError([replace(p, file=p.file.replace(str(tmp), str(out)))
                            for p in exc.problems]) from None
