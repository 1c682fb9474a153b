"""``graphmodel report``: one report to take to a meeting (issue 10, section 6).

The command opens the source, makes one library call
(:func:`graphmodel.reports.report.build_report`), and writes it as HTML or
Markdown by the output file's suffix (:func:`~graphmodel.reports.report.write_report`,
with the atomic writer of :mod:`graphmodel.outputs`): a failure is one ``Error:`` line, exit 2, and no
partial file (Markdown: the charts, then the ``.md``; a failure removes the
files the run created).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ..reports.charts import font_note
from ..reports.report import K, TOP, build_report, output_format, write_report
from . import main
from .diff import since_and_now, since_option
from .options import area_of, area_options, source_options, twin_option

__all__ = ["report"]


def _source(directory: Path | None, neo4j_uri: str | None, database: str | None) -> str:
    """Where the data came from, as the report shows it: the folder, or the server without credentials."""
    if directory is not None:
        return str(directory)
    from ..neo4j.errors import safe_uri

    return safe_uri(neo4j_uri or "") + (f" (database {database})" if database else "")


def _check_output(ctx, param, value: Path) -> Path:
    if output_format(value.name) is None:
        raise click.BadParameter(f"{value}: give a file name ending in .html (one page) or .md (Markdown)")
    return value


@main.command()
@source_options
@area_options
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              callback=_check_output, metavar="FILE.html|FILE.md",
              help="The report: .html for one self-contained page, .md for Markdown (its two charts are "
                   "written next to it as FILE.money.svg and FILE.share.svg).")
@click.option("--top", type=click.IntRange(min=1), default=TOP, show_default=True, metavar="N",
              help="How many findings to show, most severe first.")
@click.option("-k", "k", type=click.IntRange(min=1), default=K, show_default=True, metavar="N",
              help="The most links to recommend.")
@click.option("--progress/--no-progress", default=None,
              help="Say on stderr what the report is working on [default: when stderr is a terminal].")
@since_option
@twin_option
def report(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
           tambon: str | None, district: str | None, province: str | None, out: Path, top: int, k: int,
           progress: bool | None, since: Path | None, twin: str) -> None:
    """Write one report to take to a meeting, as an HTML page or Markdown.

    For the area (one tambon, district or province; none: everything): the
    summary figures (tambons with programs, programs, parallel pairs,
    uncoordinated ones, the share coordinated, the known money in
    uncoordinated pairs and how much is unknown), a table per district (per
    tambon for --district, per province for everything) with two charts
    (money in uncoordinated pairs, share coordinated), the top findings by
    severity with their explanations, the recommended links, the pilots that
    never reach the normal system, and the agency × agency matrix of
    uncoordinated pairs. Thai and English names throughout. With --since
    OLD (last year's folder or workbook), a section "Since last time": per
    district the pairs and the share coordinated then and now (with a
    chart), the pairs resolved since with how, the new ones with why
    (graphmodel diff OLD NEW lists them all).

    The HTML page is one file that works offline: no script, no request,
    charts inline as SVG, a print stylesheet. Markdown uses GitHub tables and
    writes its two charts as SVG files next to it. The file is written
    whole or not at all. docs/report.md describes each section.

    \b
    Examples:
      graphmodel report seed/nst-2006 --province 80 -o report.html
      graphmodel report seed/nst-2006 --tambon 801208 --top 5 -k 3 -o hulong.md
      graphmodel report --neo4j bolt://127.0.0.1:7687 --province 80 -o nst.html
      graphmodel report seed/nst-2006-coordinated --since seed/nst-2006 --province 80 -o since.html
    """
    area = area_of(tambon, district, province)
    show = sys.stderr.isatty() if progress is None else progress
    say = (lambda line: click.echo(f"report: {line}", err=True)) if show else None
    with contextlib.ExitStack() as stack:
        if since is not None and say:
            say(f"comparing with {since}")
        changes, backend = since_and_now(stack, since, area, directory=directory, encoding=encoding,
                                         neo4j_uri=neo4j_uri, database=database, rows=False)
        found = build_report(backend, area, top=top, k=k, twin=twin,
                             source=_source(directory, neo4j_uri, database), progress=say,
                             since=changes, since_source=str(since) if since else "")
    written = write_report(out, found)
    note = font_note()
    if note:
        click.echo(f"Note: {note}", err=True)
    if say:
        say("wrote " + ", ".join(str(p) for p in written))
