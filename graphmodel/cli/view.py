"""The ``view`` command: an interactive HTML network view (issue 5)."""

from __future__ import annotations

import contextlib
import webbrowser
from pathlib import Path

import click

from ..analysis.areas import Area
from ..errors import ArgumentError
from ..views import NODE_BUDGET, ViewTooLarge
from ..views.overview import DETAIL_PAGES
from ..views.pages import VIEW_KINDS, view_pages, view_scope, write_view
from . import main
from .diff import since_and_now, since_option
from .options import area_options, in_option_words, source_options, twin_option

#: What each area option draws.
_AREA_HELP = {
    "tambon": "One tambon (6-digit DOPA code) and all that works in it.",
    "district": "One district (4-digit code), aggregated: its tambons and agencies.",
    "province": "One province (2-digit code), aggregated: its tambons (or districts) and agencies.",
}


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    if value is not None and not Path(value).name:  # '' would be Path('.'), the folder here
        raise click.BadParameter(f"{value!r} names no file: give the HTML file to write, e.g. -o view.html")
    return None if value is None else Path(value)


@main.command()
@source_options
@area_options(help=_AREA_HELP)
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
@since_option
@twin_option
def view(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
         tambon: str | None, district: str | None, province: str | None, nation: bool, agency: str | None,
         detail: bool, detail_pages: int, output: Path | None, open_browser: bool, since: Path | None,
         twin: str) -> None:
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

    --since OLD (an earlier folder or workbook of the same programs) draws
    the pairs resolved since as green dotted edges and puts a red "new"
    badge on the missing links that are new, listed in the side panel; an
    aggregated view marks the places with new pairs (graphmodel diff OLD
    NEW lists every change).

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
      graphmodel synth --provinces 81 -o krabi
      graphmodel view krabi --nation --detail-pages 10 -o krabi.html
      graphmodel view seed/nst-2006-coordinated --since seed/nst-2006 --tambon 802103
    """
    try:
        scope, aggregated = view_scope(tambon=tambon, district=district, province=province, agency=agency,
                                       nation=nation, detail=detail)
    except ArgumentError as exc:  # the library's check, in the words of the options
        raise click.UsageError(in_option_words(str(exc), [*VIEW_KINDS, "detail"])) from None
    path = output or Path(f"graphmodel-view-{scope.slug}.html")
    area = Area.of(**{scope.kind: scope.code}) if scope.kind in ("tambon", "district", "province") else Area()
    with contextlib.ExitStack() as stack:
        changes, backend = since_and_now(stack, since, area, directory=directory, encoding=encoding,
                                         neo4j_uri=neo4j_uri, database=database, rows=True,
                                         agency=scope.code if scope.kind == "agency" else None)
        try:
            pages = view_pages(backend, scope, aggregated=aggregated, path=path, twin=twin,
                               detail_pages=detail_pages, since=changes, since_source=str(since) if since else "")
        except ViewTooLarge as exc:
            source = str(directory) if directory is not None else f"--neo4j {neo4j_uri}"
            raise ViewTooLarge(exc.what, exc.nodes, exc.budget, exc.instead,
                              command=f"graphmodel view {source} {exc.option}") from None
    write_view(path, pages)
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
