"""Options shared by several commands, and the one place a graph source is opened.

This module (with the rest of :mod:`graphmodel.cli`) reads the environment:
``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_PASSWORD_FILE`` and
``NEO4J_DATABASE`` (the library reads them only when its caller asks, through
:func:`graphmodel.neo4j.credentials.neo4j_env`), and it is the only part that
asks for a password (``--ask-password``, without echo). The password goes to the driver and nowhere else: never into a message, a file
or a URI that is printed.

Every command that reads a dataset takes ``--encoding`` and ``--max-errors``
through :func:`encoding_option` and reads it through :func:`read_folder`
(or :func:`open_backend`), which passes both to the library. Every
``--format`` is :func:`format_option`, every ``--tambon``/``--district``/``--province``
:func:`area_options` (with :func:`area_of` making the :class:`~graphmodel.geo.Area`).
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import click
from click.core import ParameterSource

from ..analysis.registry import TWINS
from ..backends.base import Backend
from ..backends.embedded import EmbeddedBackend
from ..dataset import MAX_ERRORS_PER_FILE, read_dataset
from ..errors import ArgumentError, ConnectionFailed
from ..geo import Area, check_area_code
from ..model import Dataset
from ..neo4j.credentials import env_password, env_user
from ..render import FORMATS

__all__ = ["DATASET_PATH", "AREA_KINDS", "dataset_dir", "database_option", "encoding_option", "format_option",
           "neo4j_option", "source_options", "twin_option", "area_options", "area_of", "in_option_words",
           "open_backend", "open_driver", "neo4j_credentials", "read_folder", "read_limit"]

#: A dataset: a folder of CSV files or an Excel workbook (the reader tells which, and what is wrong).
DATASET_PATH = click.Path(path_type=Path)
dataset_dir = click.argument("directory", metavar="[DIR|BOOK.xlsx]", required=False, type=DATASET_PATH)
_MAX_ERRORS = "graphmodel.max_errors"
_ASK_PASSWORD = "graphmodel.ask_password"


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


def read_limit() -> int:
    """The running command's ``--max-errors``."""
    ctx = click.get_current_context(silent=True)
    return MAX_ERRORS_PER_FILE if ctx is None else ctx.meta.get(_MAX_ERRORS, MAX_ERRORS_PER_FILE)


def read_folder(directory: Path, encoding: str, *, area: Area | None = None,
                agency: str | None = None) -> Dataset:
    """:func:`~graphmodel.dataset.read_dataset` with the running command's ``--max-errors``;
    with ``area`` or ``agency``, only the rows a question about it needs."""
    return read_dataset(directory, encoding=encoding, max_errors_per_file=read_limit(), area=area, agency=agency)



def format_option(formats: Sequence[str] | Callable = FORMATS, help: str = "Output format.", *,
                  required: bool = False):
    """``--format`` (the command gets ``fmt``): one of ``formats``, the first the default unless
    ``required`` (then there is none); click shows the choices. ``@format_option`` alone gives
    the formats every table prints in (:data:`graphmodel.render.FORMATS`).

    A command whose formats mean more than their names says what each writes in ``help``.
    """
    if callable(formats):  # @format_option, without arguments
        return format_option()(formats)
    if required:
        return click.option("--format", "fmt", type=click.Choice(formats), required=True, help=help)
    return click.option("--format", "fmt", type=click.Choice(formats), default=formats[0],
                        show_default=True, help=help)


def _remember_ask_password(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta[_ASK_PASSWORD] = value
    return value


def neo4j_option(func):
    """``--neo4j URI`` and ``--ask-password``: which server, and whether to ask for its password.

    ``--ask-password`` is not passed to the command: :func:`neo4j_credentials` picks it up.
    """
    func = click.option(
        "--ask-password", is_flag=True, expose_value=False, callback=_remember_ask_password,
        help="Ask for the Neo4j password (typed without echo) instead of reading "
             "$NEO4J_PASSWORD or $NEO4J_PASSWORD_FILE.",
    )(func)
    return click.option(
        "--neo4j", "neo4j_uri", envvar="NEO4J_URI", default=None, metavar="URI",
        help="The Neo4j server, bolt://HOST:PORT or neo4j://HOST:PORT, +s/+ssc for TLS (also "
             "$NEO4J_URI; user from $NEO4J_USER, password from $NEO4J_PASSWORD, "
             "$NEO4J_PASSWORD_FILE or --ask-password; never in the URI).",
    )(func)


database_option = click.option(
    "--database", envvar="NEO4J_DATABASE", default=None, metavar="DB",
    help="Neo4j database name (also $NEO4J_DATABASE; default: the server's default database).",
)
twin_option = click.option(
    "--twin", type=click.Choice(TWINS), default="auto", show_default=True,
    help="Which twin of the analysis answers: auto runs the Cypher twin on Neo4j and the "
         "Python twin on a folder; python on Neo4j reads the graph and runs the rule here "
         "(for checking that both agree).",
)

#: The area options, narrowest first (the order ``--help`` lists them in).
AREA_KINDS = ("tambon", "district", "province")
_AREA_HELP = {
    "tambon": "Only this 6-digit DOPA tambon code, e.g. 802103.",
    "district": "Only tambons of this 4-digit DOPA district code, e.g. 8021.",
    "province": "Only tambons of this 2-digit DOPA province code, e.g. 80.",
}


def _check_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        check_area_code(param.name, value)
    return value


def area_options(func: Callable | None = None, *, help: Mapping[str, str] = _AREA_HELP):
    """``--tambon``, ``--district`` and ``--province CODE`` (the command gets ``tambon``,
    ``district``, ``province``), each code checked as given by
    :func:`~graphmodel.geo.check_area_code`; :func:`area_of` makes the area of them.

    ``@area_options`` alone says "only this ..."; ``help`` (kind -> text) says what a
    command does with each instead (``graphmodel view``).
    """
    def add(func: Callable) -> Callable:
        for kind in reversed(AREA_KINDS):
            func = click.option(f"--{kind}", metavar="CODE", callback=_check_code, help=help[kind])(func)
        return func

    return add if func is None else add(func)


def in_option_words(message: str, names: Iterable[str]) -> str:
    """The library's ``message`` with each of ``names`` as the option that gives it
    (``tambon`` -> ``--tambon``): the library speaks of arguments, the command of options."""
    return re.sub(rf"\b({'|'.join(names)})\b", r"--\1", message)


def area_of(tambon: str | None, district: str | None, province: str | None) -> Area:
    """The area of :func:`area_options` (none given: every tambon); more than one is a usage error."""
    try:
        return Area.of(tambon=tambon, district=district, province=province)
    except ArgumentError as exc:
        raise click.UsageError(in_option_words(str(exc), AREA_KINDS)) from None


def source_options(func):
    """[DIR|BOOK.xlsx] (the embedded backend) or --neo4j URI (a Neo4j server), plus their settings."""
    return dataset_dir(encoding_option(neo4j_option(database_option(func))))


def neo4j_credentials() -> tuple[str, str | None]:
    """``(user, password)``: ``$NEO4J_USER`` (default ``neo4j``), and the password typed at a
    hidden prompt (``--ask-password``, on stderr so that stdout stays the command's output; the
    first line of standard input when it is not a terminal),
    else ``$NEO4J_PASSWORD``, else the first line of the file ``$NEO4J_PASSWORD_FILE``
    (:mod:`graphmodel.neo4j.credentials`, which a notebook uses too)."""
    user = env_user()
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(_ASK_PASSWORD):
        return user, _ask_password(user)
    return user, env_password()


def _ask_password(user: str) -> str:
    """The password typed at a hidden prompt; from a pipe (``echo ... |``, a secret manager), its
    first line, read quietly: nobody is there to prompt, and getpass would warn that it cannot
    hide what nobody types."""
    stdin = sys.stdin
    if stdin.isatty():
        return click.prompt(f"Neo4j password for {user}", hide_input=True, err=True)
    line = stdin.readline()
    if not line:
        raise ConnectionFailed("--ask-password: standard input is not a terminal and holds no password line")
    return line.rstrip("\r\n")


@contextlib.contextmanager
def open_driver(neo4j_uri: str | None, database: str | None) -> Iterator[tuple[object, str | None]]:
    """A checked driver for ``--neo4j`` with the credentials of :func:`neo4j_credentials`, closed after."""
    if not neo4j_uri:
        raise click.UsageError("give --neo4j URI (or set NEO4J_URI)")
    from ..neo4j.connection import connect

    user, password = neo4j_credentials()
    driver, db = connect(neo4j_uri, user=user, password=password, database=database)
    try:
        yield driver, db
    finally:
        driver.close()


@contextlib.contextmanager
def open_backend(directory: Path | None, *, encoding: str = "utf-8",
                 neo4j_uri: str | None = None, database: str | None = None,
                 area: Area | None = None, agency: str | None = None) -> Iterator[Backend]:
    """The graph to answer from: DIR read into the embedded backend, or a Neo4j server.

    A DIR on the command line wins over ``$NEO4J_URI``; DIR together with an
    explicit ``--neo4j`` is refused (which one was meant?). A command about
    one ``area`` or ``agency`` gets, from DIR or from Neo4j, a backend holding
    only what it needs (docs/dataset.md, "What a scoped command reads and
    checks"); its answers are those of the whole dataset. An ``agency`` that is no agency
    of DIR reads everything, so that the command can say what there is instead.
    """
    ctx = click.get_current_context(silent=True)
    explicit = ctx is not None and ctx.get_parameter_source("neo4j_uri") == ParameterSource.COMMANDLINE
    if directory is not None and neo4j_uri and explicit:
        raise click.UsageError("give a dataset (DIR or BOOK.xlsx) or --neo4j URI, not both")
    if directory is not None:
        dataset = read_folder(directory, encoding, area=area, agency=agency)
        if agency is not None and not any(a.id == agency for a in dataset.agencies):
            dataset = read_folder(directory, encoding)
        yield EmbeddedBackend(dataset)
        return
    if not neo4j_uri:
        raise click.UsageError("give a dataset folder DIR, or --neo4j URI to read from Neo4j")
    from ..neo4j.backend import Neo4jBackend

    with open_driver(neo4j_uri, database) as (driver, db):
        # A command reads one graph (docs/neo4j.md), and only its area's part of it.
        yield Neo4jBackend(driver, db, one_read=True, area=area, agency=agency)
