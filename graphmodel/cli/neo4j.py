"""Commands for the Cypher library and Neo4j: ``query``, ``load`` and ``unload``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..analysis.registry import REGISTRY, rows as analysis_rows
# The driver is imported by the commands that talk to a server, not by every start of graphmodel.
from ..neo4j.load.plan import DEFAULT_BATCH_SIZE
from ..queries import load_library, resolve
from ..render import canonical, table, to_csv, to_json
from . import main
from .options import (
    DATASET_PATH, database_option, dataset_dir, encoding_option, format_option, neo4j_option, open_backend,
    open_driver, read_folder,
)
from .params import parse_params

if TYPE_CHECKING:
    from ..neo4j.load import LoadResult
    from ..neo4j.runner import QueryResult


#: ``graphmodel query``'s time limit on the server, in seconds (5 minutes).
DEFAULT_TIMEOUT = 300


def _render(result: QueryResult, fmt: str) -> str:
    if fmt == "json":  # the query's columns in order; maps inside cells with sorted keys
        return to_json([{c: canonical(row[c]) for c in result.columns} for row in result.rows])
    values = [[row[c] for c in result.columns] for row in result.rows]
    if fmt == "csv":
        return to_csv(result.columns, values)
    n = len(values)
    return table(result.columns, values) + f"\n({n} row{'s' if n != 1 else ''})"


def _show(result: QueryResult, fmt: str) -> None:
    click.echo(_render(result, fmt), nl=fmt != "csv")  # CSV lines end in \r\n, the last one too


def _list() -> str:
    library = load_library()
    return table(["name", "params", "from a folder", "description"],
                 [[q.name, q.signature, "yes" if q.name in REGISTRY else "no", q.summary]
                  for q in library.values()])


@main.command()
@click.argument("spec", metavar="NAME|FILE", required=False)
@dataset_dir
@click.option("--param", "-p", "params", multiple=True, metavar="K=V",
              help="A parameter: K=TEXT passes a string (codes such as 0801 keep their "
                   "zeros); K:=JSON passes a number, true/false, null or a list. Repeatable.")
@format_option
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit (no server needed).")
@click.option("--show", is_flag=True,
              help="Print the query's Cypher, shared fragments included, and exit (for Neo4j "
                   "Browser or cypher-shell; no server needed).")
@click.option("--timeout", type=click.IntRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS",
              help="The query's time limit on the server: past it the server stops the query and "
                   "nothing is printed. 0: no limit of graphmodel's (the server's own, if its "
                   "administrator set one).")
@encoding_option
@neo4j_option
@database_option
def query(spec: str | None, directory: Path | None, params: tuple[str, ...], fmt: str,
          list_only: bool, show: bool, timeout: int, encoding: str, neo4j_uri: str | None,
          database: str | None) -> None:
    """Run a named Cypher query from cypher/, or your own .cypher FILE, read-only.

    With --neo4j (or $NEO4J_URI) the query runs on the server; with a dataset
    folder DIR instead, a named query runs as its Python twin over the folder
    and prints the same rows (every named query but the two about the
    server's Graph Data Science library; --list shows which). Your own
    .cypher files need a server.

    Parameters are checked against the query before anything is sent, and
    are passed to the server as parameters, never pasted into the text.
    Read-only: your own query is planned first (EXPLAIN, nothing runs) and
    refused if it writes (CREATE, MERGE, SET, DELETE, REMOVE, schema
    commands), is an administration command, lists the server's
    transactions or settings, uses LOAD CSV or CALL { ... }
    IN TRANSACTIONS, calls a procedure that is not a plain read, or calls
    a procedure or function of a plugin (gds.*, apoc.*); then it runs in a
    read transaction, where the server refuses any write itself.

    On the server a query has a time limit (--timeout, 5 minutes unless
    told), and Ctrl-C stops it there at once, not only in graphmodel.
    See docs/cypher.md for the queries and how to write one.

    \b
    Examples:
      graphmodel query --list
      graphmodel query counts --neo4j bolt://127.0.0.1:7687
      graphmodel query overlaps --param tambon=802103 --format json
      graphmodel query overlaps seed/nst-2006 --param tambon=802103
      graphmodel query agency_footprint --param agency=codi
      graphmodel query fund_flows --param channel=special --format csv
      graphmodel query pilots_without_normal_partner seed/nst-2006 --param province=80
      graphmodel query my_question.cypher --param year:=2006
      graphmodel query my_question.cypher --timeout 1800
      graphmodel query overlaps --show
    """
    if list_only:
        click.echo(_list())
        return
    if spec is None:
        raise click.UsageError("give a query NAME or a .cypher FILE (graphmodel query --list shows the names)")
    q = resolve(spec)
    if show:
        click.echo(q.text)
        return
    values = q.bind(parse_params(params))
    from ..neo4j.runner import QueryResult, run

    if directory is not None:
        if q.name not in REGISTRY or load_library().get(q.name) is not q:
            raise click.UsageError(f"{spec!r} runs only on Neo4j (--neo4j URI); with a folder DIR, "
                                   "give a named query that has a Python twin (see --list)")
        with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
            found = list(analysis_rows(backend, q.name, values))
        _show(QueryResult(columns=REGISTRY[q.name].columns_of(found), rows=found), fmt)
        return
    with open_driver(neo4j_uri, database) as (driver, db):
        result = run(driver, q, values, database=db, timeout=timeout or None)
    _show(result, fmt)


# --- load ---------------------------------------------------------------------

def _load_report(directory: Path, uri: str, db: str | None, result: LoadResult) -> str:
    from ..neo4j.errors import safe_uri

    out = [f"loaded {directory} as dataset {result.dataset!r} into {safe_uri(uri)} "
           f"(database {db or 'default'})", table(["type", "count"], result.counts.items()), ""]
    if result.removed:
        r = result.removed
        out.append(f"replaced the previous load: {r['nodes deleted']} nodes and "
                   f"{r['relationships deleted']} relationships deleted, "
                   f"{r['nodes kept for other datasets']} nodes and "
                   f"{r['relationships kept for other datasets']} relationships kept for other datasets")
    if result.resumed_batches:
        out.append(f"resumed an interrupted load: {result.resumed_batches} of {result.batches} "
                   "batches were already written")
    out.append(f"{result.rows:,} rows ({result.nodes:,} nodes, {result.relationships:,} relationships) "
               f"loaded in {result.seconds:.1f} s ({result.mode}, {result.batches} batches)")
    return "\n".join(out)


@main.command()
@click.argument("directory", metavar="DIR|BOOK.xlsx", type=DATASET_PATH)
@neo4j_option
@database_option
@click.option("--dataset", "dataset_name", metavar="NAME", default=None,
              help="The name this load is recorded under in the database (default: the folder "
                   "name). Several datasets can share one database; the same id is the same entity.")
@click.option("--replace", is_flag=True,
              help="Also take back what earlier loads of this dataset wrote and the folder no "
                   "longer has (nodes and relationships no other dataset holds, properties only "
                   "it set), as part of the same load: use it after editing or deleting rows.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
              show_default=True, metavar="N",
              help="Rows per UNWIND statement (and per transaction, for a load of more than 50,000 rows).")
@encoding_option
def load(directory: Path, neo4j_uri: str | None, database: str | None, dataset_name: str | None,
         replace: bool, batch_size: int, encoding: str) -> None:
    """Load a dataset folder into Neo4j: validated first, batched, idempotent.

    The whole folder is checked first (as `graphmodel validate` does); a
    problem means exit 2 and nothing written. Constraints and indexes come
    from cypher/ddl/schema.cypher; nodes and relationships are MERGEd on
    their ids in batches, so loading the same folder twice changes nothing.
    Up to 50,000 rows the load is one transaction; a larger one commits
    batch by batch, and graphmodel's reads refuse the database until it has
    finished. A failed load is never read half done: run it again to finish
    it (it skips the batches already written). Any size loads with the
    server's default memory. For a first national load into a new database,
    the bulk importer is faster (scripts/neo4j-dev import). The password
    comes from $NEO4J_PASSWORD, $NEO4J_PASSWORD_FILE or --ask-password,
    never from the command line. See docs/neo4j.md.

    \b
    Examples:
      export NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USER=neo4j
      read -rs NEO4J_PASSWORD && export NEO4J_PASSWORD
      graphmodel load seed/nst-2006
      graphmodel load seed/nst-2006 --replace
      graphmodel load exports/nst-2007 --dataset nst-2007 --encoding cp874
      graphmodel load seed/nst-2006 --neo4j neo4j+s://xxxx.databases.neo4j.io --ask-password
    """
    if not neo4j_uri:
        raise click.UsageError("give --neo4j URI (or set NEO4J_URI)")
    dataset = read_folder(directory, encoding)
    name = dataset_name if dataset_name is not None else directory.resolve().name
    from ..neo4j.load import load_dataset

    with open_driver(neo4j_uri, database) as (driver, db):
        result = load_dataset(driver, dataset, dataset_name=name, database=db,
                              batch_size=batch_size, replace=replace)
    click.echo(_load_report(directory, neo4j_uri, db, result))


@main.command()
@click.option("--dataset", "dataset_name", metavar="NAME", required=True,
              help="The dataset to take out (the name it was loaded under: by default its folder name).")
@neo4j_option
@database_option
def unload(dataset_name: str, neo4j_uri: str | None, database: str | None) -> None:
    """Take a loaded dataset out of Neo4j.

    What only this dataset holds is deleted; nodes and relationships another
    dataset holds too stay, without this dataset's name and the properties
    only it set. It works in batches; until it has finished graphmodel's
    reads refuse the database, and if it stops, running it again finishes
    it. It also ends an unfinished load of the dataset (taking out what that
    load wrote). A dataset the database does not hold (a mistyped name, or
    one unloaded already) changes nothing and exits 2, naming the datasets
    it holds.

    \b
    Examples:
      graphmodel unload --dataset nst-2006
      graphmodel unload --dataset nst-2007 --neo4j bolt://127.0.0.1:7687
    """
    from ..neo4j.errors import safe_uri
    from ..neo4j.load import unload_dataset

    with open_driver(neo4j_uri, database) as (driver, db):
        removed = unload_dataset(driver, dataset_name, database=db)
    click.echo(f"unloaded dataset {dataset_name!r} from {safe_uri(neo4j_uri)}: "
               f"{removed['nodes deleted']} nodes and {removed['relationships deleted']} relationships "
               f"deleted, {removed['nodes kept for other datasets']} nodes and "
               f"{removed['relationships kept for other datasets']} relationships kept for other datasets")
