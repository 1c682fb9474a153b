"""``graphmodel combine``: several sources in, one dataset folder out, with conflicts and suggested aliases."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..combine import REPORT_FILE, SUGGESTIONS_FILE, CombineSummary, combine as combine_sources
from ..render import table
from . import main
from .options import encoding_option, read_limit


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _print(summary: CombineSummary, aliases: Path | None) -> None:
    folder = summary.folder
    click.echo(f"Combined {_plural(len(summary.sources), 'source')} into {folder} (it passes graphmodel validate):")
    click.echo(table(["source", "kind", "rows"], summary.sources))
    click.echo(table(["file", "rows"], summary.counts.items()))
    if aliases is not None:
        click.echo(f"Applied {_plural(summary.aliases, 'reviewed alias', 'reviewed aliases')} from {aliases}.")
    report = folder / REPORT_FILE
    if summary.conflicts:
        click.echo(f"{_plural(summary.conflicts, 'conflict')}, the first source's value kept: see {report}")
    else:
        click.echo("No conflicts.")
    if summary.themes_mapped:
        click.echo(f"{_plural(summary.themes_mapped, 'theme spelling')} mapped through the theme vocabulary "
                   f"(listed in {REPORT_FILE}).")
    if summary.stale:
        click.echo(f"{_plural(summary.stale, 'stale alias', 'stale aliases')} (an id no source holds): "
                   f"see {report}")
    if summary.import_report:
        click.echo(f"{_plural(summary.import_report, 'item')} the importers could not place: "
                   f"see {folder / 'import-report.csv'}")
    if summary.suggestions:
        click.echo(f"{_plural(summary.suggestions, 'suggested alias', 'suggested aliases')}: review "
                   f"{folder / SUGGESTIONS_FILE} (a column decision: same or different), save it as your "
                   "aliases file and combine again with --aliases FILE.")
    else:
        click.echo("No aliases to suggest.")
    click.echo(f"Next: graphmodel overlaps {folder}")


@main.command()
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="The combined dataset folder to write (new or empty).")
@click.option("--aliases", "aliases", metavar="FILE", type=click.Path(path_type=Path),
              help="Reviewed aliases: a CSV file with columns type,id,same_as and optionally decision "
                   "(same or different) and note; aliases-suggested.csv, reviewed, is one.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder, replacing its dataset files and combine's reports "
                   "(other files are left alone).")
@encoding_option
@click.option("--progress/--no-progress", default=None,
              help="Say on stderr what is being done [default: when stderr is a terminal].")
def combine(sources: tuple[Path, ...], out: Path, aliases: Path | None, force: bool, encoding: str,
            progress: bool | None) -> None:
    """Combine several sources into one dataset folder, with conflicts and suggested aliases.

    A SOURCE is a dataset folder, an Excel workbook (.xlsx), an IATI
    activity file (.xml) or an HXL 3W sheet (.csv). Rows with the same id
    (or the same link) are one row; where two sources disagree the first
    source's value is kept and the other listed in DIR/combine-report.csv.
    Every row's source column says where it came from. Themes go through
    the theme vocabulary (Livelihoods, livelihood and อาชีพ are one theme).

    DIR/aliases-suggested.csv lists agencies, funds, groups and themes of
    different sources that look like one, best first, with the reason.
    Review it, save it as your aliases file and combine again with
    --aliases: every id and theme is rewritten before the dataset is
    checked. The folder passes graphmodel validate; nothing is written if
    anything is wrong. docs/combine.md walks the review loop.

    \b
    Examples:
      graphmodel combine docs/examples/combine/nan-office docs/examples/combine/partners-3w.csv -o nan
      graphmodel combine nan-office partners-3w.csv -o nan --force --aliases aliases.csv
      graphmodel combine office.xlsx 3w.csv iati.xml -o province --encoding cp874
      graphmodel overlaps nan
    """
    show = sys.stderr.isatty() if progress is None else progress
    say = (lambda line: click.echo(f"combine: {line}", err=True)) if show else None
    summary = combine_sources(list(sources), out, aliases=aliases, force=force, encoding=encoding,
                              max_errors_per_file=read_limit(), progress=say)
    _print(summary, aliases)
