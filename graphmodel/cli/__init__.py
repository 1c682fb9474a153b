"""The ``graphmodel`` command: a thin click layer over the library.

Commands parse options, make one library call and render the result.
Every :class:`~graphmodel.errors.GraphmodelError` becomes ``Error: ...``
lines on stderr and its exit code here, in one place; nobody sees a traceback.
Ctrl-C ends the command's transactions on the Neo4j server before click
prints ``Aborted!`` and exits 1 (:mod:`graphmodel.neo4j.interrupt`).
"""

from __future__ import annotations

import sys

import click

from .._memory import freeze_lasting_data
from ..errors import GraphmodelError

__all__ = ["main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        freeze_lasting_data()  # what a command reads lives as long as the command
        try:
            return super().invoke(ctx)
        except GraphmodelError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            # e.g. the page read ahead in a thread of its own while rows were printed; a command
            # that never imported the module has no transaction to end (and no driver to import)
            interrupt = sys.modules.get("graphmodel.neo4j.interrupt")
            if interrupt is not None:
                interrupt.end_transactions()
            raise
        finally:
            freeze_lasting_data(False)  # a caller in the same process (a test, a notebook) keeps its own


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphmodel")
def main() -> None:
    """Who funds and who runs which program where, as a graph.

    Load agencies, funds, programs, community groups and tambons from a
    folder of CSV files (see docs/dataset.md), find parallel programs in one
    tambon that lack a coordinating link, and look at or query the network.

    \b
    Examples:
      graphmodel validate seed/nst-2006
      graphmodel overlaps seed/nst-2006
      graphmodel overlaps seed/nst-2006 --tambon 802103 --format json
      graphmodel info seed/nst-2006
    """


# Each module adds its commands to ``main``.
from . import dataset as _dataset  # noqa: E402,F401
from . import neo4j as _neo4j  # noqa: E402,F401
from . import template as _template  # noqa: E402,F401
from . import view as _view  # noqa: E402,F401
from . import synth as _synth  # noqa: E402,F401
from . import importers as _importers  # noqa: E402,F401
from . import combine as _combine  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import overlaps as _overlaps  # noqa: E402,F401
from . import analysis as _analysis  # noqa: E402,F401
from . import report as _report  # noqa: E402,F401
from . import diff as _diff  # noqa: E402,F401
