"""The ``synth`` command: write a generated Thailand as a v1 dataset folder."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import SynthError
from ..evolve import evolve
from ..render import table
from ..synth import check_provinces, synthesize
from . import main
from .options import DATASET_PATH


def _provinces(ctx, param, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    try:
        return check_provinces(c for c in value.split(",") if c.strip())
    except SynthError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.option("--provinces", metavar="CODES", callback=_provinces,
              help="Comma-separated 2-digit DOPA province codes, e.g. 81,83.")
@click.option("--all", "all_provinces", is_flag=True, help="All 77 provinces (7,436 tambons).")
@click.option("--evolve", "evolve_from", type=DATASET_PATH, metavar="DIR",
              help="Instead: write DIR (a folder graphmodel synth wrote) a year later, for graphmodel diff: "
                   "some programs ended, some added, links added and lapsed (docs/synth.md).")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Multiplies the per-tambon and per-district counts (programs, groups).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same arguments give the same bytes.")
@click.option("-o", "--output", "out", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write (created if missing; must be empty).")
@click.option("--force", is_flag=True, help="Write into a non-empty folder, replacing the dataset files.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: for large runs on a terminal].")
def synth(provinces: tuple[str, ...] | None, all_provinces: bool, evolve_from: Path | None, scale: float,
          seed: int, out: Path, force: bool, progress: bool | None) -> None:
    """Write a generated dataset over the real gazetteer, for tests and benchmarks.

    Every current tambon of the chosen provinces gets a local government
    with its fund, 30 programs and 2 community groups; every district 5
    programs from each of 8 line agencies; every province the governor's
    (CEO) programs and special-agency pilots in a share of its tambons, and
    a few coordination links. The rows are synthetic; see docs/synth.md for
    what is generated and why. A province's rows are the same whether it is
    generated alone or with --all.

    \b
    Examples:
      graphmodel synth --provinces 81 -o krabi
      graphmodel synth --provinces 82,85 --seed 1 -o one-percent
      graphmodel synth --all -o thailand              # about 1.3 million rows
      graphmodel synth --all --scale 0.1 -o small-thailand
      graphmodel validate krabi && graphmodel overlaps krabi --province 81
      graphmodel synth --evolve krabi -o krabi-next     # a year later
      graphmodel diff krabi krabi-next
    """
    if evolve_from is not None:
        if provinces is not None or all_provinces:
            raise click.UsageError("give --evolve DIR, or --provinces CODES / --all, not both")
        done = evolve(evolve_from, out, seed=seed, force=force)
        click.echo(f"{out}: {evolve_from} a year later: {done.ended:,} programs ended, {done.added:,} added, "
                   f"{done.left:,} tambons left by programs that stay, {done.links_added:,} links added, "
                   f"{done.links_removed:,} lapsed")
        click.echo(table(["file", "rows before", "rows"],
                         [[f"{name}.csv", done.old_rows[name], n] for name, n in done.rows.items()]))
        click.echo(f"{done.seconds:.1f} s")
        return
    if provinces is not None and all_provinces:
        raise click.UsageError("give --provinces CODES or --all, not both")
    if provinces is None and not all_provinces:
        raise click.UsageError("give --provinces CODES or --all")
    summary = synthesize(out, provinces=provinces, scale=scale, seed=seed, progress=progress, force=force)
    rows = [[f"{name}.csv", n] for name, n in summary.rows.items()]
    click.echo(f"{out}: {len(summary.provinces)} province{'s' if len(summary.provinces) != 1 else ''}, "
               f"{summary.districts:,} districts, {summary.tambons:,} tambons")
    click.echo(table(["file", "rows"], [*rows, ["total", summary.total_rows]]))
    click.echo(f"relationships: {summary.relationships:,}; {summary.seconds:.1f} s")
