"""``graphmodel overlaps``: the findings, or their counts per area, streamed to stdout."""

from __future__ import annotations

from pathlib import Path

import click

from ..analysis.overlaps import pairs
from ..analysis.summary import LEVELS
from ..reports.overlaps import FORMATS, explained, write_overlaps, write_summary
from . import main
from .analysis import explain_option, sort_option
from .options import area_of, area_options, format_option, open_backend, source_options, twin_option


class _Echo:
    """A text stream onto ``click.echo`` (stdout as click sees it), written in 64 KiB chunks."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= 65_536:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            click.echo("".join(self._parts), nl=False)
            self._parts, self._size = [], 0


@main.command()
@source_options
@area_options
@format_option(FORMATS, help="table: one line per uncoordinated pair, then why and a fix; json: one object "
                            "per tambon (a stable interface); csv: one row per uncoordinated pair; jsonl: "
                            "one JSON object per uncoordinated pair and line, written as found.")
@click.option("--summary", type=click.Choice(LEVELS), is_flag=False, flag_value="province",
              default=None, metavar="[tambon|district|province]",
              help="Print counts per area instead of the pairs: parallel and uncoordinated pairs, "
                   "and the programs in them, with Thai and English names (default: per province).")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Stop after N uncoordinated pairs (a note on stderr says so).")
@explain_option
@sort_option
@twin_option
def overlaps(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
             tambon: str | None, district: str | None, province: str | None, fmt: str, summary: str | None,
             limit: int | None, explain: bool, sort: str, twin: str) -> None:
    """Find parallel programs in one tambon that lack a coordinating link.

    Two programs are parallel in a tambon when both are located there, their
    years overlap, they share a theme and no agency funds or runs both. Such
    a pair is coordinated when a group implements both, or a coordination
    link (with no tambon, or this tambon) joins their stakeholders directly
    or through one shared coordinator. See docs/analysis.md.

    Output streams as the pairs are found, so a whole country prints in
    bounded memory; put DIR before --summary. --explain adds the severity,
    each side's agencies, groups and budget channels, the money involved and
    how the stakes are linked elsewhere; --sort severity puts the most severe
    pairs first (both read all pairs first; docs/analysis.md).

    \b
    Examples:
      graphmodel overlaps seed/nst-2006
      graphmodel overlaps seed/nst-2006 --tambon 802103 --format json
      graphmodel overlaps seed/nst-2006 --district 8012 --format csv
      graphmodel overlaps seed/nst-2006 --explain --sort severity
      graphmodel synth --provinces 81 -o krabi
      graphmodel overlaps krabi --format jsonl --limit 100
      graphmodel overlaps krabi --summary district --format csv > districts.csv
      graphmodel overlaps --neo4j bolt://127.0.0.1:7687 --province 80 --format csv
    """
    if summary and limit:
        raise click.UsageError("--limit counts listed pairs; --summary counts them all: give one")
    if summary and (explain or sort != "tambon"):
        raise click.UsageError("--explain and --sort are about listed pairs; --summary counts them: give one")
    area = area_of(tambon, district, province)
    out = _Echo()
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database,
                      area=area) as backend:
        found = pairs(backend, area, twin=twin)
        if summary:
            write_summary(out, found, summary, fmt)
            out.flush()
            return
        extra = None
        if explain or sort != "tambon":
            found, extra = explained(backend, found, explain_it=explain, sort=sort, twin=twin,
                                     by_tambon=fmt == "json")
        written = write_overlaps(out, backend, found, fmt, twin=twin, limit=limit, extra=extra)
        out.flush()
    if written.limited:
        click.echo(f"Stopped after {written.pairs:,} uncoordinated pair{'s' if written.pairs != 1 else ''} "
                   f"(--limit {limit}); there may be more.", err=True)
