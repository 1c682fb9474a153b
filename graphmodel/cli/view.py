"""The ``view`` command: an interactive HTML network view (issue 5)."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from ..outputs import write_text
from ..views import Scope, view_page
from . import main
from .options import area_option, open_backend, source_options, twin_option

_SCOPES = ("tambon", "district", "province", "agency")


@main.command()
@source_options
@area_option("tambon", "One tambon (6-digit DOPA code) and all that works in it.")
@area_option("district", "Every tambon of one district (4-digit code).")
@area_option("province", "Every tambon of one province (2-digit code).")
@click.option("--agency", metavar="ID", help="One agency, its funds, programs, their tambons and partners.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write [default: graphmodel-view-<scope>.html here].")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@twin_option
def view(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
         tambon: str | None, district: str | None, province: str | None, agency: str | None,
         output: Path | None, open_browser: bool, twin: str) -> None:
    """Write an interactive network view as one offline HTML file.

    Nodes are shaped and coloured by type (agencies by kind, funds by budget
    channel) and sized by budget where known; red dashed edges are missing
    links: parallel programs in one tambon with no coordination between
    them, each listed with its explanation in the side panel. The page needs
    no network: everything it uses is inside the file.

    Give at most one of --tambon, --district, --province, --agency; without
    one the whole graph is drawn.

    --open shows the page in the web browser ($BROWSER, else the system's);
    where none can be started the file is still written, and a note on
    stderr gives its full path.

    \b
    Examples:
      graphmodel view seed/nst-2006 --tambon 802103
      graphmodel view seed/nst-2006 --province 80 -o nst.html --open
      graphmodel view seed/nst-2006 --agency codi
      graphmodel view --neo4j bolt://127.0.0.1:7687 --district 8012
    """
    given = {k: v for k, v in zip(_SCOPES, (tambon, district, province, agency)) if v is not None}
    if len(given) > 1:
        raise click.UsageError(f"give at most one of {', '.join('--' + k for k in _SCOPES)}; "
                               f"got {', '.join('--' + k for k in given)}")
    scope = Scope(*next(iter(given.items()))) if given else Scope()
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
        page = view_page(backend, scope, twin=twin)
    path = output or Path(f"graphmodel-view-{scope.slug}.html")
    write_text(path, page)  # whole or not at all: a failure is one WriteFailed, no partial page
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
