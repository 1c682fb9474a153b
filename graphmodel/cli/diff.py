"""``graphmodel diff OLD NEW``: what got coordinated and what new duplication appeared since OLD.

The command opens the two snapshots (folders, workbooks, or datasets of one
Neo4j database), makes one library call
(:func:`graphmodel.analysis.diff.compare`, which lets OLD's graph go before
it reads NEW's) and writes the result (:mod:`graphmodel.reports.diff`).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Callable, Iterator

import click

from ..analysis.areas import Area
from ..analysis.diff import Diff, compare
from ..analysis.facts import FactsOnly
from ..backends.base import Backend, CypherBackend
from ..backends.embedded import EmbeddedBackend
from ..reports.diff import FORMATS, write_diff, write_recommended
from . import main
from .options import (DATASET_PATH, area_of, area_options, database_option, encoding_option, format_option,
                      neo4j_option, open_backend, open_driver, read_folder)
from .overlaps import _Echo

__all__ = ["diff", "snapshot_sources", "since_option", "since_and_now"]

_TWO = ("give OLD and NEW: two dataset folders or workbooks, or --neo4j URI with --old-dataset NAME "
        "--new-dataset NAME (one of each may be mixed: OLD --new-dataset NAME)")

since_option = click.option(
    "--since", "since", type=DATASET_PATH, metavar="OLD",
    help="An earlier snapshot (a folder or workbook) to compare with: what was resolved since, "
         "what appeared (see graphmodel diff).")


def since_and_now(stack: contextlib.ExitStack, since: Path | None, area: Area, *, directory: Path | None,
                  encoding: str, neo4j_uri: str | None, database: str | None, rows: bool,
                  agency: str | None = None) -> tuple[Diff | None, Backend]:
    """``--since OLD`` of ``report`` and ``view``: the comparison of OLD with this graph (None without
    ``since``), and this graph's backend (kept open by ``stack``).

    OLD is read first and kept small; this graph is opened after it, so the
    two are never whole in memory together. Without ``rows`` a folder is
    kept as its facts only (the analyses need no more). Without ``since``, a
    folder is read for ``area`` (or ``agency``) only: its rows the command
    needs (docs/dataset.md, "What a scoped command reads and checks"); with
    it, whole, as the comparison of two snapshots reads them.
    """
    opened: list[Backend] = []

    def open_now() -> Backend:
        scoped = since is None
        backend = stack.enter_context(open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri,
                                                   database=database, area=area if scoped else None,
                                                   agency=agency if scoped else None))
        opened.append(backend if rows or since is None or isinstance(backend, CypherBackend)
                      else FactsOnly.of(backend))
        return opened[0]

    changes = None
    if since is not None:
        changes = compare(lambda: EmbeddedBackend(read_folder(since, encoding)), open_now, area)
    return changes, opened[0] if opened else open_now()


@contextlib.contextmanager
def snapshot_sources(paths: tuple[Path, ...], old_dataset: str | None, new_dataset: str | None, *,
                     encoding: str, neo4j_uri: str | None, database: str | None
                     ) -> Iterator[tuple[tuple[Callable[[], Backend], str], tuple[Callable[[], Backend], str]]]:
    """OLD and NEW as ``(open, label)``: each a folder or workbook read when opened, or a dataset of the
    Neo4j database (both read as one logical read of it)."""
    paths = list(paths)
    names = [old_dataset, new_dataset]
    sides: list[tuple[str, object]] = []
    for name in names:
        if name is not None:
            sides.append(("dataset", name))
        elif paths:
            sides.append(("path", paths.pop(0)))
        else:
            raise click.UsageError(_TWO)
    if paths:
        raise click.UsageError(f"{_TWO}; got one too many: {paths[0]}")
    with contextlib.ExitStack() as stack:
        if any(kind == "dataset" for kind, _ in sides):
            from ..neo4j.backend import Neo4jDataset
            from ..neo4j.gate import Reading

            driver, db = stack.enter_context(open_driver(neo4j_uri, database))
            reading = Reading()  # one logical read of the database for both datasets

            def dataset(name: str) -> Callable[[], Backend]:
                return lambda: Neo4jDataset.open(driver, db, name, reading=reading)
        out = []
        for kind, value in sides:
            if kind == "dataset":
                out.append((dataset(value), f"dataset {value}"))
            else:
                out.append(((lambda p=value: EmbeddedBackend(read_folder(p, encoding))), str(value)))
        yield out[0], out[1]


@main.command()
@click.argument("snapshots", nargs=-1, type=DATASET_PATH, metavar="[OLD] [NEW]")
@encoding_option
@neo4j_option
@database_option
@click.option("--old-dataset", metavar="NAME",
              help="OLD is this dataset of the Neo4j database (graphmodel load --dataset NAME).")
@click.option("--new-dataset", metavar="NAME", help="NEW is this dataset of the Neo4j database.")
@area_options
@format_option(FORMATS, help="table: the resolved, appeared and remaining pairs, then the counts per district; "
                            "json: one object {resolved, appeared, remaining, summary}; jsonl: one object per "
                            "pair and line; csv: one row per pair.")
@click.option("--recommended", is_flag=True,
              help="Instead of the pairs: the links `graphmodel recommend` proposes on OLD, and whether "
                   "NEW has them (adopted, adopted elsewhere, not adopted), with the OLD pairs each resolved.")
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="With --recommended: how many links recommend proposes.")
@click.option("--progress/--no-progress", default=None,
              help="Say on stderr what the diff is reading [default: when stderr is a terminal].")
def diff(snapshots: tuple[Path, ...], encoding: str, neo4j_uri: str | None, database: str | None,
         old_dataset: str | None, new_dataset: str | None, tambon: str | None, district: str | None,
         province: str | None, fmt: str, recommended: bool, k: int, progress: bool | None) -> None:
    """Compare two snapshots: what got coordinated, what new duplication appeared.

    OLD and NEW are two dataset folders or workbooks (e.g. last year's and
    this year's), or two datasets of one Neo4j database (--neo4j URI
    --old-dataset A --new-dataset B, as loaded with graphmodel load
    --dataset). Programs are matched by id: a renamed program is the same
    program. Every pair uncoordinated in OLD or NEW is listed once:

    \b
      resolved   uncoordinated in OLD, not in NEW; how: coordinated (by which
                 group, link or shared coordinator), program_removed, or
                 no_longer_parallel (location, years, themes or a shared agency)
      appeared   uncoordinated in NEW, not in OLD; why: program_added,
                 became_parallel (what changed) or link_removed (what held it)
      remaining  uncoordinated in both

    The table ends with each district's parallel pairs, uncoordinated pairs
    and share coordinated, OLD → NEW. OLD is read and let go before NEW is
    read. docs/diff.md works the seed's before and after through.

    \b
    Examples:
      graphmodel diff seed/nst-2006 seed/nst-2006-coordinated
      graphmodel diff seed/nst-2006 seed/nst-2006-coordinated --tambon 802103 --format json
      graphmodel diff seed/nst-2006 seed/nst-2006-coordinated --recommended
      graphmodel diff 2566/ 2567/ --province 80 --format csv > changes.csv
      graphmodel diff --neo4j bolt://127.0.0.1:7687 --old-dataset nst-2006 --new-dataset nst-2007
    """
    area = area_of(tambon, district, province)
    show = sys.stderr.isatty() if progress is None else progress
    with snapshot_sources(snapshots, old_dataset, new_dataset, encoding=encoding, neo4j_uri=neo4j_uri,
                          database=database) as ((open_old, old), (open_new, new)):
        found = compare(_said(open_old, f"reading OLD: {old}", show), _said(open_new, f"reading NEW: {new}", show),
                        area, recommended=k if recommended else None)
    out = _Echo()
    (write_recommended if recommended else write_diff)(out, found, fmt, old=old, new=new)
    out.flush()


def _said(open_: Callable[[], Backend], line: str, show: bool) -> Callable[[], Backend]:
    """``open_``, saying ``line`` on stderr first when ``show``."""
    def opened() -> Backend:
        if show:
            click.echo(f"diff: {line}", err=True)
        return open_()
    return opened
