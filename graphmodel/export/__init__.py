"""The graph out of graphmodel: GraphML, GEXF, node-link JSON and Neo4j's bulk-import CSV.

- ``graphml`` (:mod:`.graphml`) — for Gephi, yEd, Cytoscape, networkx;
- ``gexf`` (:mod:`.gexf`) — Gephi's own format;
- ``json`` (:mod:`.nodelink`) — networkx's node-link JSON, for scripts and D3;
- ``neo4j-import`` (:mod:`.neo4j_import`) — a folder of typed CSV files for
  ``neo4j-admin database import full`` (``scripts/neo4j-dev import``).

The three graph formats carry the same attributes (:mod:`.graph`): the
node's type, its Thai and English name, its properties, and for programs
and tambons the counts of parallel and uncoordinated pairs the overlaps
rule finds. Every export streams from the backend's
:meth:`~graphmodel.backends.base.Backend.nodes` and
:meth:`~graphmodel.backends.base.Backend.relationships` (rows wait in a
temporary file where a format declares its columns first, never in memory)
and is written atomically: a temporary file or folder next to the output,
renamed into place when complete; a read-only folder or a full disk raises
:class:`~graphmodel.outputs.WriteFailed` and leaves nothing behind.

Examples
--------
>>> import tempfile, pathlib
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> backend = EmbeddedBackend(read_dataset("seed/nst-2006"))
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> result = export(backend, "graphml", out / "nst.graphml")
>>> result.nodes, result.relationships
(233, 413)
>>> export(backend, "neo4j-import", out / "bulk").files["nodes-Program.csv"]
11
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.overlaps import pairs
from ..backends.base import Backend
from ..safecsv import WriteFailed
from .errors import ExportError
from .gexf import write_gexf
from .graph import pair_counts
from .graphml import write_graphml
from .neo4j_import import ImportFolder, write_import_folder
from .nodelink import write_node_link

__all__ = ["FORMATS", "ExportError", "ExportResult", "export", "write_graphml", "write_gexf",
           "write_node_link", "write_import_folder", "ImportFolder", "pair_counts"]

_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link}
#: The formats :func:`export` writes.
FORMATS = (*_WRITERS, "neo4j-import")


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote."""

    path: Path
    format: str
    nodes: int
    relationships: int
    #: ``neo4j-import``: data rows per file written (headers not counted).
    files: dict[str, int] = field(default_factory=dict)
    #: ``neo4j-import``: text values holding a line break (the importer needs ``--multiline-fields``).
    multiline_values: int = 0


def export(backend: Backend, fmt: str, path: str | Path, *, force: bool = False,
           twin: str = "auto") -> ExportResult:
    """Write the whole graph of ``backend`` to ``path`` in format ``fmt``.

    Parameters
    ----------
    backend : Backend
        The graph: a folder's embedded backend or a Neo4j backend.
    fmt : str
        One of :data:`FORMATS`.
    path : path
        The file to write (replaced if it exists), or for ``neo4j-import`` the folder.
    force : bool
        ``neo4j-import`` only: write into a non-empty folder.
    twin : str
        Which twin of the overlaps rule counts the pairs (graph formats only).

    Raises
    ------
    ExportError
        An unknown format, a folder where a file is wanted, a folder in use.
    WriteFailed
        The output cannot be written (read-only folder, full disk): nothing is left behind.
    """
    path = Path(path)
    if fmt == "neo4j-import":
        folder = write_import_folder(backend, path, force=force)
        nodes = sum(n for name, n in folder.files.items() if name.startswith("nodes-"))
        return ExportResult(path, fmt, nodes, sum(folder.files.values()) - nodes, folder.files,
                            folder.multiline_values)
    if fmt not in _WRITERS:
        raise ExportError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give the file to write, e.g. {path / ('graph.' + fmt)}")
    counts = pair_counts(pairs(backend, twin=twin))
    try:
        nodes, relationships = _WRITERS[fmt](backend, path, counts)
    except OSError as exc:  # the temporary files next to the output could not be made
        raise WriteFailed(path, exc.strerror or str(exc)) from exc
    return ExportResult(path, fmt, nodes, relationships)
