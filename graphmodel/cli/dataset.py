"""Commands over one graph: ``validate``, ``info`` (``overlaps`` has its own module)."""

from __future__ import annotations

from pathlib import Path

import click

from ..analysis.overlaps import pairs
from ..render import table
from . import main
from .options import DATASET_PATH, encoding_option, open_backend, read_folder, source_options, twin_option


def _counts_table(counts: dict[str, int]) -> str:
    return table(["type", "count"], counts.items())


@main.command()
@click.argument("directory", metavar="DIR|BOOK.xlsx", type=DATASET_PATH)
@encoding_option
def validate(directory: Path, encoding: str) -> None:
    """Check a dataset folder or workbook and print node and relationship counts.

    Every problem is reported (file:line, column, value, what was expected)
    and the exit code is 2 if there is any; at most --max-errors of them per
    file are listed, then a line counting the rest.

    \b
    Examples:
      graphmodel validate seed/nst-2006
      graphmodel validate mydata --encoding cp874 --max-errors 0
      graphmodel validate book.xlsx
    """
    dataset = read_folder(directory, encoding)
    click.echo(f"{directory}: valid")
    click.echo(_counts_table(dataset.counts()))


@main.command()
@source_options
@twin_option
def info(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
         twin: str) -> None:
    """Summarise a graph: counts by type and the parallel-program findings.

    \b
    Examples:
      graphmodel info seed/nst-2006
      graphmodel info --neo4j bolt://127.0.0.1:7687
    """
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
        counts = backend.counts()
        total = uncoordinated = 0
        tambons: set[str] = set()
        for pair in pairs(backend, twin=twin):
            total += 1
            if not pair.coordinated:
                uncoordinated += 1
                tambons.add(pair.tambon)
    click.echo(_counts_table(counts))
    click.echo("")
    click.echo(f"parallel program pairs: {total} ({uncoordinated} uncoordinated, "
               f"in {len(tambons)} tambon{'s' if len(tambons) != 1 else ''})")
