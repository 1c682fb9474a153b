"""The ``view`` command: an interactive HTML network view (issue 5)."""

from __future__ import annotations

import re
import webbrowser
from pathlib import Path

import click

from ..outputs import write_text
from ..views import NODE_BUDGET, Scope, ViewTooLarge, overview_pages, view_page
from ..views.overview import AGGREGATED_KINDS, DETAIL_PAGES
from . import main
from .options import area_option, open_backend, source_options, twin_option

_SCOPES = ("tambon", "district", "province", "agency", "nation")


#: The name of a detail page beside an aggregated view (views/overview.py writes them).
_DETAIL_PAGE = re.compile(r"(tambon|district|province)-\d+\.html")


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    if value is not None and not Path(value).name:  # '' would be Path('.'), the folder here
        raise click.BadParameter(f"{value!r} names no file: give the HTML file to write, e.g. -o view.html")
    return None if value is None else Path(value)


@main.command()
@source_options
@area_option("tambon", "One tambon (6-digit DOPA code) and all that works in it.")
@area_option("district", "One district (4-digit code), aggregated: its tambons and agencies.")
@area_option("province", "One province (2-digit code), aggregated: its tambons (or districts) and agencies.")
@click.option("--nation", is_flag=True, help="The whole graph, aggregated: its provinces (or districts, tambons).")
@click.option("--agency", metavar="ID", help="One agency, its funds, programs, their tambons and partners.")
@click.option("--detail", is_flag=True,
              help=f"With --district/--province/--nation: draw every program instead of aggregating "
                   f"(refused above {NODE_BUDGET:,} nodes).")
@click.option("--detail-pages", type=click.IntRange(min=0), default=DETAIL_PAGES, show_default=True, metavar="N",
              help="Aggregated views: write the detailed pages of at most N places (most uncoordinated "
                   "pairs first) into the folder OUTPUT.files beside the page.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), callback=_output_file,
              help="HTML file to write [default: graphmodel-view-<scope>.html here].")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@twin_option
def view(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
         tambon: str | None, district: str | None, province: str | None, nation: bool, agency: str | None,
         detail: bool, detail_pages: int, output: Path | None, open_browser: bool, twin: str) -> None:
    """Write an interactive network view as one offline HTML file.

    Nodes are shaped and coloured by type (agencies by kind, funds by budget
    channel) and sized by budget where known; red dashed edges are missing
    links: parallel programs in one tambon with no coordination between
    them, each listed with its explanation in the side panel. The page needs
    no network: everything it uses is inside the file.

    Give at most one of --tambon, --district, --province, --nation,
    --agency; without one the whole graph is drawn.

    --district, --province and --nation aggregate instead of drawing every
    program: places (tambons; districts or provinces when there are more
    than 300) sized by programs and coloured by uncoordinated pairs, the 40
    agencies with the most programs there linked to their places (width:
    programs), and the agency matrix of uncoordinated pairs in the side
    panel. A place with uncoordinated pairs links to its detailed page,
    written into the folder OUTPUT.files beside the page (--detail-pages).
    A detailed view of more than 2,000 nodes is refused (exit 2) with the
    aggregated view to draw instead.

    --open shows the page in the web browser ($BROWSER, else the system's);
    where none can be started the file is still written, and a note on
    stderr gives its full path.

    \b
    Examples:
      graphmodel view seed/nst-2006 --tambon 802103
      graphmodel view seed/nst-2006 --province 80 -o nst.html --open
      graphmodel view seed/nst-2006 --province 80 --detail
      graphmodel view seed/nst-2006 --agency codi
      graphmodel view --neo4j bolt://127.0.0.1:7687 --district 8012
      graphmodel view /work/data/synth-all --nation --detail-pages 10 -o thailand.html
    """
    given = {k: v for k, v in zip(_SCOPES, (tambon, district, province, agency, nation or None))
             if v is not None}
    if len(given) > 1:
        raise click.UsageError(f"give at most one of {', '.join('--' + k for k in _SCOPES)}; "
                               f"got {', '.join('--' + k for k in given)}")
    kind, code = next(iter(given.items())) if given else ("all", None)
    if detail and kind not in AGGREGATED_KINDS:
        raise click.UsageError("--detail goes with --district, --province or --nation")
    scope = Scope(kind, None if kind == "nation" else code)
    aggregated = kind in AGGREGATED_KINDS and not detail
    if kind == "nation" and detail:
        scope = Scope()
    path = output or Path(f"graphmodel-view-{scope.slug}.html")
    folder = path.with_suffix(".files")
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
        try:
            if aggregated:
                pages = overview_pages(backend, scope, folder=folder.name, twin=twin, detail_pages=detail_pages)
            else:
                pages = {"": view_page(backend, scope, twin=twin)}
        except ViewTooLarge as exc:
            source = f"--neo4j {neo4j_uri}" if neo4j_uri else str(directory)
            raise ViewTooLarge(exc.what, exc.nodes, exc.budget, exc.instead,
                              command=f"graphmodel view {source} {exc.option}") from None
    if len(pages) > 1:
        folder.mkdir(exist_ok=True)
    for name, page in sorted(pages.items(), key=lambda kv: kv[0] == ""):  # the overview last
        write_text(path.parent / name if name else path, page)  # each whole or not at all
    if aggregated and folder.is_dir():
        # Detail pages an earlier run wrote for places this page no longer links to.
        written = {Path(name).name for name in pages if name}
        for old in folder.iterdir():
            if _DETAIL_PAGE.fullmatch(old.name) and old.name not in written:
                old.unlink()
    click.echo(str(path))
    if open_browser:
        _open(path.resolve())


def _open(path: Path) -> None:
    """Show the written page in a web browser, or say on stderr where it is (the view is written: exit 0)."""
    try:
        opened = webbrowser.open(path.as_uri())
    except (webbrowser.Error, OSError):
        opened = False
    if not opened:
        click.echo(f"Note: no web browser could be opened; the view is written to {path}", err=True)
