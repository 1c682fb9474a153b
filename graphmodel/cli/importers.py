"""``graphmodel import iati|hxl``: other formats in, a v1 dataset folder out."""

from __future__ import annotations

from pathlib import Path

import click

from ..importers import ImportSummary, import_hxl, import_iati
from ..render import table
from . import main
from .options import encoding_option

_INPUT = click.argument("file", metavar="FILE",
                        type=click.Path(exists=True, dir_okay=False, path_type=Path))
_OUTPUT = click.option("-o", "--output", "out", required=True, metavar="DIR",
                       type=click.Path(path_type=Path),
                       help="The dataset folder to write (new or empty).")
_FORCE = click.option("--force", is_flag=True,
                      help="Write into a non-empty folder, replacing its dataset files and "
                           "import-report.csv (other files are left alone).")


def _year(ctx, param, value: int | None) -> int | None:
    if value is None:
        return None
    year = value - 543 if value >= 2400 else value
    if not 1900 <= year <= 2200:
        raise click.BadParameter(f"{value!r} is not a year between 1900 and 2200 CE (or 2443-2743 BE)")
    return year


def _print(summary: ImportSummary) -> None:
    click.echo(f"Wrote {summary.folder} (it passes graphmodel validate):")
    click.echo(table(["file", "rows"], summary.counts.items()))
    n = summary.report_lines
    if n:
        click.echo(f"{n} item{'s' if n != 1 else ''} could not be placed as given: "
                   f"see {summary.folder / 'import-report.csv'}")
    else:
        click.echo("Everything was placed; import-report.csv is empty.")
    click.echo(f"Next: graphmodel overlaps {summary.folder}")


@main.group("import")
def import_group() -> None:
    """Import IATI activity XML or an HXL 3W/4W sheet as a dataset folder.

    Each writes a v1 dataset folder (see docs/dataset.md) that passes
    `graphmodel validate`, plus import-report.csv listing every element or
    row that could not be placed and why. Mapping tables: docs/import-export.md.

    \b
    Examples:
      graphmodel import iati activities.xml -o nst-iati
      graphmodel import hxl 3w.csv -o nst-3w
    """


@import_group.command("iati")
@_INPUT
@_OUTPUT
@_FORCE
def iati(file: Path, out: Path, force: bool) -> None:
    """Import an IATI 2.0x activity XML file.

    Participating organisations become agencies (Funding: with a fund that
    funds the program; Accountable, Extending, Implementing: implementers),
    activities become programs (title, dates, sectors as themes), THB
    commitments or budgets become funding amounts, locations with a DOPA
    code, a TH P-code or a tambon name become tambons, and related
    activities of types 1, 2, 4 and 5 become coordination links.

    \b
    Examples:
      graphmodel import iati tests/data/iati-nst.xml -o nst-iati
      graphmodel import iati activities.xml -o nst-iati --force
      graphmodel overlaps nst-iati
    """
    _print(import_iati(file, out, force=force))


@import_group.command("hxl")
@_INPUT
@_OUTPUT
@_FORCE
@encoding_option
@click.option("--year", type=int, callback=_year, metavar="YEAR",
              help="Year (CE or BE) of activities whose rows give no #date+start or #date+end.")
def hxl(file: Path, out: Path, force: bool, encoding: str, year: int | None) -> None:
    """Import an HXL-tagged 3W/4W CSV sheet (the tag row may sit under a header row).

    Reads #org+funder, #org+impl, #org+prog (+code, +type), #activity+code,
    #activity+name, #sector, #date+start, #date+end, #value+thb (or #value
    with a #currency column) and #adm1/#adm2/#adm3 (+code such as TH801208
    or 801208, or +name). Rows with the same activity code are one program.

    \b
    Examples:
      graphmodel import hxl tests/data/hxl-3w-nst.csv -o nst-3w
      graphmodel import hxl 3w.csv -o nst-3w --encoding cp874 --year 2549
      graphmodel overlaps nst-3w
    """
    _print(import_hxl(file, out, force=force, encoding=encoding, year=year))
