"""``graphmodel export``: the graph out to Gephi, yEd, networkx and Neo4j's bulk importer."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import FORMATS, export
from ..render import table
from . import main
from .options import format_option, open_backend, source_options, twin_option


@main.command("export")
@source_options
@format_option(FORMATS, required=True,
               help="graphml (Gephi, yEd), gexf (Gephi), json (networkx node-link), or "
                    "neo4j-import (a folder of CSV files for neo4j-admin database import).")
@click.option("-o", "--output", "out", required=True, metavar="PATH", type=click.Path(path_type=Path),
              help="The file to write (replaced if it exists); for neo4j-import a new or empty folder.")
@click.option("--force", is_flag=True,
              help="neo4j-import: write into a non-empty folder, replacing its nodes-*.csv and "
                   "relationships-*.csv files.")
@twin_option
def export_command(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
                   fmt: str, out: Path, force: bool, twin: str) -> None:
    """Export the whole graph as GraphML, GEXF, node-link JSON or bulk-import CSV.

    GraphML and GEXF open in Gephi (and GraphML in yEd) with Thai names
    intact: each node has its type (Agency, Fund, Program, ...), a label in
    Thai and English, its properties (kind, channel, themes, years ...) and,
    on programs and tambons, the number of parallel and uncoordinated pairs
    the overlaps rule finds. json is networkx's node-link format. The files
    are written whole or not at all. See docs/import-export.md, "Exports".

    neo4j-import writes nodes-<Label>.csv and relationships-<TYPE>.csv with
    the importer's typed headers, for a new database built by
    `scripts/neo4j-dev import PATH` (or neo4j-admin database import full).

    \b
    Examples:
      graphmodel export seed/nst-2006 --format graphml -o nst.graphml
      graphmodel export seed/nst-2006 --format gexf -o nst.gexf
      graphmodel export seed/nst-2006 --format json -o nst.json
      graphmodel synth --provinces 81 -o krabi
      graphmodel export krabi --format neo4j-import -o krabi-import
      graphmodel export --neo4j bolt://127.0.0.1:7687 --format graphml -o db.graphml
    """
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database) as backend:
        result = export(backend, fmt, out, force=force, twin=twin)
    click.echo(f"Wrote {result.path} ({result.format}): {result.nodes} nodes, "
               f"{result.relationships} relationships.")
    if result.files:
        click.echo(table(["file", "rows"], result.files.items()))
        n = result.multiline_values
        multiline = " --multiline-fields" if n else ""
        if n:
            click.echo(f"{n} value{'s hold' if n != 1 else ' holds'} a line break: the importer "
                       "needs --multiline-fields.")
        click.echo(f"Next: scripts/neo4j-dev import {result.path}{multiline} (see docs/neo4j.md)")
