"""Options shared by several commands, and the one place a graph source is opened.

Every command that reads a dataset takes ``--encoding`` and ``--max-errors``
through :func:`encoding_option` and reads it through :func:`read_folder`
(or :func:`open_backend`), which passes both to the library.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import click

from ..backends.base import Backend
from ..backends.embedded import EmbeddedBackend
from ..dataset import MAX_ERRORS_PER_FILE, read_dataset
from ..errors import GraphmodelError
from ..model import Dataset
from ..render import FORMATS

__all__ = ["DATASET_PATH", "dataset_dir", "database_option", "encoding_option", "format_option", "neo4j_option",
           "source_options", "open_backend", "read_folder"]

#: A dataset: a folder of CSV files or an Excel workbook (the reader tells which, and what is wrong).
DATASET_PATH = click.Path(path_type=Path)
dataset_dir = click.argument("directory", metavar="DIR|BOOK.xlsx", required=False, type=DATASET_PATH)
_MAX_ERRORS = "graphmodel.max_errors"


def _remember_max_errors(ctx: click.Context, param: click.Parameter, value: int) -> int:
    ctx.meta[_MAX_ERRORS] = value
    return value


def encoding_option(func):
    """``--encoding`` and ``--max-errors``: how to read a dataset and how much of its problems to list.

    ``--max-errors`` is not passed to the command: :func:`read_folder` picks it up.
    """
    func = click.option(
        "--max-errors", type=click.IntRange(min=0), default=MAX_ERRORS_PER_FILE, show_default=True,
        metavar="N", expose_value=False, callback=_remember_max_errors,
        help="List at most N problems per file of an invalid dataset (0: all); "
             "a last line counts the ones not shown.",
    )(func)
    return click.option(
        "--encoding", default="utf-8", show_default=True,
        help="Text encoding of the CSV files; cp874 for files saved by Thai Windows (not used for workbooks).",
    )(func)


def read_folder(directory: Path, encoding: str) -> Dataset:
    """:func:`~graphmodel.dataset.read_dataset` with the running command's ``--max-errors``."""
    ctx = click.get_current_context(silent=True)
    limit = MAX_ERRORS_PER_FILE if ctx is None else ctx.meta.get(_MAX_ERRORS, MAX_ERRORS_PER_FILE)
    return read_dataset(directory, encoding=encoding, max_errors_per_file=limit)

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format.",
)


neo4j_option = click.option(
    "--neo4j", "neo4j_uri", envvar="NEO4J_URI", default=None, metavar="URI",
    help="The Neo4j server, bolt://HOST:PORT or neo4j://HOST:PORT (also $NEO4J_URI; "
         "credentials from $NEO4J_USER and $NEO4J_PASSWORD or $NEO4J_PASSWORD_FILE).",
)
database_option = click.option(
    "--database", envvar="NEO4J_DATABASE", default=None, metavar="DB",
    help="Neo4j database name (also $NEO4J_DATABASE; default: the server's default database).",
)


def source_options(func):
    """DIR or BOOK.xlsx (embedded backend) or --neo4j URI (a Neo4j server instead), plus their settings."""
    return dataset_dir(encoding_option(neo4j_option(database_option(func))))


@contextlib.contextmanager
def open_backend(directory: Path | None, *, encoding: str = "utf-8",
                 neo4j_uri: str | None = None, database: str | None = None) -> Iterator[Backend]:
    """The graph to answer from: DIR read into the embedded backend, or a Neo4j server."""
    if directory is not None:
        yield EmbeddedBackend.from_dataset(read_folder(directory, encoding))
        return
    if neo4j_uri is None:
        raise click.UsageError("give a dataset folder DIR, or --neo4j URI to read from Neo4j")
    try:
        from ..backends.neo4j import Neo4jBackend
    except ImportError as exc:  # pragma: no cover - the driver is a declared dependency
        raise GraphmodelError(f"the Neo4j backend is not available: {exc}") from exc
    with Neo4jBackend.connect(neo4j_uri, database=database) as backend:
        yield backend
