"""The ``template`` command: an empty dataset workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from ..dataset.template import write_template
from . import main


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="BOOK.xlsx", help="The workbook to write (replaced if it exists).")
def template(output: Path) -> None:
    """Write an empty dataset workbook to fill in, one sheet per file.

    Each sheet has its header (required columns in bold), one example row
    from the Nakhon Si Thammarat seed (replace it), and drop-down lists for
    agencies' kind and funds' channel. Fill it in, then give the workbook to
    any command that takes a dataset folder. See docs/dataset.md.

    \b
    Examples:
      graphmodel template -o book.xlsx
      graphmodel validate book.xlsx
      graphmodel overlaps book.xlsx --tambon 802103
    """
    if output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise click.BadParameter(f"{str(output)!r} does not end in .xlsx", param_hint="'-o' / '--output'")
    try:
        write_template(output)
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from exc
    click.echo(str(output))
