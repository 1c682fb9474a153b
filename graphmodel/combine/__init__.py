"""Sources into one graph: ``graphmodel combine`` (see docs/combine.md).

Several sources — dataset folders, Excel workbooks, IATI activity files,
HXL 3W sheets — become **one v1 dataset folder** that every command takes,
written whole or not at all, with three files beside the dataset's:

- ``combine-report.csv``: every conflict (the same id, program or link
  with two values for one cell: which was kept, from where), every theme
  spelling mapped through the vocabulary, every reviewed alias no source
  holds (stale);
- ``aliases-suggested.csv``: the agencies, funds, groups and themes of
  different sources that look like one, best first, with the reason in
  words; reviewed (``decision`` = ``same``/``different``), it is the
  ``--aliases`` file of the next run;
- ``import-report.csv`` (when a source is IATI or HXL): what the importers
  could not place.

The modules: :mod:`.sources` (recognise and read each source),
:mod:`.aliases` (the reviewed aliases), :mod:`.merge` (rewrite, merge,
conflicts), :mod:`.matching` and :mod:`.suggest` (the suggestions).

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "combined"
>>> summary = combine(["seed/nst-2006", "seed/nst-2006-coordinated"], out)
>>> summary.conflicts, summary.counts["coordination.csv"], summary.suggestions
(0, 12, 0)
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..dataset import FILES, MAX_ERRORS_PER_FILE
from ..errors import DatasetError, Problem
from ..importers.builder import REPORT_HEADER as IMPORT_REPORT_HEADER
from ..importers.folder import ENCODING, REPORT_FILE as IMPORT_REPORT
from ..outputs import atomic_folder, move_into, unusable_folder
from ..safecsv import write_rows
from .aliases import NO_ALIASES, Aliases, read_aliases
from .errors import CombineError
from .merge import MAX_SOURCES, REPORT_HEADER, Conflict, Merger
from .sources import open_sources
from .suggest import SUGGESTION_HEADER, Suggestion, suggest

__all__ = ["combine", "CombineSummary", "CombineError", "REPORT_FILE", "SUGGESTIONS_FILE", "OUTPUT_FILES"]

REPORT_FILE = "combine-report.csv"
SUGGESTIONS_FILE = "aliases-suggested.csv"
#: Every file combine writes (others in the output folder are left alone).
OUTPUT_FILES = (*(spec.filename for spec in FILES), REPORT_FILE, SUGGESTIONS_FILE, IMPORT_REPORT)

_UNUSABLE = {
    "not a folder": "not a folder; give a new or empty folder for the combined dataset",
    "not empty": "the folder is not empty; give a new or empty folder, or --force to replace the "
                 "dataset files and combine's reports in it",
}


@dataclass(frozen=True)
class CombineSummary:
    """What a combine wrote.

    ``sources`` lists (name, kind, rows) per source: the rows it gave the dataset files; ``counts`` the
    rows written per file; ``conflicts``, ``themes_mapped`` and ``stale``
    count the lines of ``combine-report.csv`` by kind; ``suggestions`` the
    rows of ``aliases-suggested.csv``; ``import_report`` the lines of
    ``import-report.csv`` (``None``: no IATI or HXL source).
    """

    folder: Path
    sources: list[tuple[str, str, int]]
    counts: dict[str, int]
    conflicts: int
    themes_mapped: int
    stale: int
    suggestions: int
    import_report: int | None = None
    aliases: int = 0
    suggested: list[Suggestion] = field(default_factory=list, repr=False)


def _stale(aliases: Aliases, merger: Merger) -> list[Conflict]:
    """The ``same`` rows of the aliases file whose id no source holds."""
    name = Path(aliases.file).name
    out = []
    for row in aliases.same_rows():
        held = merger.theme_hits if row.type == "theme" else merger.hits
        if row.id not in held:
            out.append(Conflict(name, row.line, "aliases", row.id, "id", row.id, "", "", "stale-alias"))
    return out


def _report_order(merger: Merger) -> Callable[[Conflict], tuple]:
    rank = {spec.name: i for i, spec in enumerate(FILES)}
    source = {s.name: i for i, s in enumerate(merger.sources)}
    return lambda c: (rank.get(c.file, len(rank)), source.get(c.source, len(source)), c.line or 0)


def combine(sources: list[str | Path], out: str | Path, *, aliases: str | Path | None = None,
            force: bool = False, encoding: str = "utf-8", max_errors_per_file: int = MAX_ERRORS_PER_FILE,
            progress: Callable[[str], None] | None = None) -> CombineSummary:
    """Combine ``sources`` into the dataset folder ``out``.

    Parameters
    ----------
    sources : list of path
        Dataset folders, ``.xlsx`` workbooks, IATI ``.xml`` files, HXL
        ``.csv`` sheets; the first holds what is kept when two disagree.
    out : path
        The folder to write: new or empty, or (``force``) one whose dataset
        files and reports are replaced.
    aliases : path, optional
        A reviewed aliases file (:mod:`.aliases`).
    force : bool
        Allow a non-empty ``out``.
    encoding : str
        Of the CSV files of folders, HXL sheets and the aliases file.
    max_errors_per_file : int
        As for :func:`graphmodel.dataset.read_dataset`.
    progress : callable, optional
        Called with a line saying what is being done.

    Returns
    -------
    CombineSummary

    Raises
    ------
    CombineError
        A source that is not what it looks like, or an unusable ``out``.
    DatasetError
        Every problem of the aliases file, of the sources, or of the
        combined dataset (at the source's file and line); nothing is written.
    ImportFailed, WriteFailed
        An IATI or HXL source the importer refuses; a disk that refuses the write.
    """
    paths = [Path(p) for p in sources]
    if not paths:
        raise CombineError("give at least one source")
    out = Path(out)
    if any(out.resolve() == p.resolve() for p in paths):
        raise CombineError(f"{out}: is one of the sources; give a new folder for the combined dataset")
    problem = unusable_folder(out, force)
    if problem:
        raise CombineError(f"{out}: {_UNUSABLE[problem]}")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DatasetError([Problem("--encoding", None, None, encoding, "unknown-encoding",
                                    "a text encoding Python knows, e.g. utf-8 or cp874")]) from None
    reviewed = read_aliases(aliases, encoding=encoding) if aliases is not None else NO_ALIASES
    say = progress or (lambda line: None)
    with open_sources(paths, encoding=encoding) as opened, atomic_folder(out, tag="combine") as tmp:
        if len(opened) > MAX_SOURCES:
            raise CombineError(f"{len(opened)} sources: give at most {MAX_SOURCES}")
        merger = Merger(opened, tmp, aliases=reviewed, progress=progress)
        merger.check(max_errors_per_file)  # the checked dataset is not kept: the folder is the output
        say("suggesting aliases")
        suggested = suggest(merger.candidates, merger.themes, tambons=merger.tambons, aliases=reviewed)
        stale = _stale(reviewed, merger)
        report = sorted(merger.conflicts, key=_report_order(merger)) + stale
        counts = {spec.filename: merger.written[spec.filename] for spec in FILES}
        # for people (a spreadsheet): cells made inert, UTF-8 with a byte-order mark so Excel shows Thai
        counts[REPORT_FILE] = write_rows(tmp / REPORT_FILE, REPORT_HEADER, (c.row() for c in report),
                                         encoding=ENCODING)
        counts[SUGGESTIONS_FILE] = write_rows(tmp / SUGGESTIONS_FILE, SUGGESTION_HEADER,
                                              (s.row() for s in suggested), encoding=ENCODING)
        imported = [line for s in opened for line in s.report]
        has_imports = any(s.kind in ("iati", "hxl") for s in opened)
        if has_imports:
            in_order = sorted(imported, key=lambda r: (r.file, r.line is None, r.line or 0))
            counts[IMPORT_REPORT] = write_rows(tmp / IMPORT_REPORT, IMPORT_REPORT_HEADER,
                                               (line.row() for line in in_order), encoding=ENCODING)
        move_into(tmp, out, list(counts), stale=lambda name: name in OUTPUT_FILES)
        mapped = sum(1 for c in report if c.slug == "theme-mapped")
        return CombineSummary(
            out, [(s.name, s.kind, sum(merger.rows[i].values())) for i, s in enumerate(opened)], counts,
            conflicts=len(report) - mapped - len(stale), themes_mapped=mapped, stale=len(stale),
            suggestions=len(suggested), import_report=len(imported) if has_imports else None,
            aliases=len(reviewed.same_rows()), suggested=suggested)
