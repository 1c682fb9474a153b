"""Commands over one graph: ``validate``, ``info``, ``overlaps``."""

from __future__ import annotations

from pathlib import Path

import click

from ..analysis.overlaps import TambonFinding, findings, pairs
from ..dataset import read_dataset
from ..render import table, to_csv, to_json
from . import main
from .analysis import explain_option, explained_overlaps, sort_option
from .options import area_option, encoding_option, format_option, open_backend, source_options, twin_option

_TAMBON = area_option("tambon")
_PROVINCE = area_option("province")


def _counts_table(counts: dict[str, int]) -> str:
    return table(["type", "count"], counts.items())


@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@encoding_option
def validate(directory: Path, encoding: str) -> None:
    """Check a dataset folder and print node and relationship counts.

    Every problem is reported (file:line, column, value, what was expected)
    and the exit code is 2 if there is any.

    \b
    Example:
      graphmodel validate seed/nst-2006
    """
    dataset = read_dataset(directory, encoding=encoding)
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


def _pair_rows(found: list[TambonFinding]):
    for f in found:
        for p in f.uncoordinated:
            yield f, p


def _render_overlaps(found: list[TambonFinding], fmt: str, *, order=None, extra=None) -> str:
    """The findings as ``fmt``; ``order`` (the (finding, pair) rows in another order) and
    ``extra`` (what ``--explain`` adds: cli/analysis.py) come from ``--sort`` and ``--explain``."""
    ordered = list(_pair_rows(found)) if order is None else order
    if fmt == "json":
        out = [f.to_json() for f in found]
        if extra is not None:
            for f, obj in zip(found, out):
                for p, pair in zip(f.pairs, obj["pairs"]):
                    pair["explain"] = extra.json(f, p)
        return to_json(out)
    if fmt == "csv":
        header = ["tambon", "tambon_name_th", "tambon_name_en", "program_a", "program_a_name",
                  "program_b", "program_b_name", "shared_themes", "overlap_start", "overlap_end",
                  "agencies_a", "agencies_b", "explanation", "fix"]
        rows = [[f.tambon.id, f.tambon.name, f.tambon.name_en, p.a.program.id, p.a.program.name,
                 p.b.program.id, p.b.program.name, p.shared_themes, *p.overlap_years,
                 [a.id for a in p.a.agencies], [a.id for a in p.b.agencies],
                 p.explanation(), p.fix(), *(extra.csv(f, p) if extra else ())] for f, p in ordered]
        return to_csv(header + (extra.csv_header if extra else []), rows)
    if not found:
        return "No uncoordinated parallel programs found."
    # Ids keep the table narrow; the Why lines below give the Thai and English names.
    rows = [[f"{f.tambon.id} {f.tambon.label()}", p.a.program.id, p.b.program.id,
             p.shared_themes, "-".join(map(str, p.overlap_years)),
             [a.id for a in p.a.agencies], [a.id for a in p.b.agencies]]
            for f, p in ordered]
    out = [table(["tambon", "program A", "program B", "shared themes", "years",
                  "agencies A", "agencies B"], rows), ""]
    for i, (f, p) in enumerate(ordered, 1):
        out += [f"{i}. Why: {p.explanation()}", f"   Fix: {p.fix()}", *(extra.lines(f, p) if extra else ())]
    n = sum(1 for _ in _pair_rows(found))
    out += ["", f"{n} uncoordinated pair{'s' if n != 1 else ''} in {len(found)} "
                f"tambon{'s' if len(found) != 1 else ''}."]
    return "\n".join(out)


@main.command()
@source_options
@_TAMBON
@_PROVINCE
@format_option
@explain_option
@sort_option
@twin_option
def overlaps(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
             tambon: str | None, province: str | None, fmt: str, explain: bool, sort: str,
             twin: str) -> None:
    """Find parallel programs in one tambon that lack a coordinating link.

    Two programs are parallel in a tambon when both are located there, their
    years overlap, they share a theme and no agency funds or runs both. Such
    a pair is coordinated when a group implements both, or a coordination
    link (with no tambon, or this tambon) joins their stakeholders directly
    or through one shared coordinator. See docs/analysis.md.

    The table lists each uncoordinated pair with why it was flagged and a
    fix; --format json gives one object per tambon (a stable interface).
    --explain adds the severity, each side's agencies, groups and budget
    channels, the money involved and how the stakes are linked elsewhere;
    --sort severity puts the most severe pairs first (docs/analysis.md).

    \b
    Examples:
      graphmodel overlaps seed/nst-2006
      graphmodel overlaps seed/nst-2006 --tambon 802103 --format json
      graphmodel overlaps seed/nst-2006 --explain --sort severity
      graphmodel overlaps --neo4j bolt://127.0.0.1:7687 --province 80 --format csv
    """
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
        found_pairs = pairs(backend, tambon=tambon, province=province, twin=twin)
        if explain or sort != "tambon":
            found_pairs = list(found_pairs)
        found = list(findings(backend, found_pairs, twin=twin))
        if explain or sort != "tambon":
            click.echo(explained_overlaps(backend, found_pairs, found, fmt=fmt, explain_it=explain, sort=sort,
                                          twin=twin, render=_render_overlaps))
            return
    click.echo(_render_overlaps(found, fmt))
