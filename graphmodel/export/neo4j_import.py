"""The CSV folder Neo4j's bulk importer takes (``neo4j-admin database import full``).

The layout is the one ``scripts/neo4j-dev import FOLDER`` reads (docs/neo4j.md,
"Bulk first load"):

- ``nodes-<Label>.csv`` per label and ``relationships-<TYPE>.csv`` per type,
  only for labels and types that have rows;
- two id spaces: agencies, funds, programs and groups share ``Entity``
  (``id:ID(Entity)``), tambons, districts and provinces ``Area``
  (``id:ID(Area)``, their DOPA code); relationship files name the space of
  each end (``:START_ID(Entity),:END_ID(Area)``). The id column is named
  ``id``, so the importer also stores it as the property ``id``, as
  ``graphmodel load`` does;
- typed headers: ``name:int``, ``:long``, ``:double``, ``:boolean`` and
  ``:string[]`` (items joined by ``;``, the importer's ``--array-delimiter``);
  text columns carry no type (``:string`` only when the name holds a ``:``);
- the label of each node in a last ``:LABEL`` column and the type of each
  relationship in a last ``:TYPE`` column, so the importer needs nothing but
  the files: ``neo4j-admin database import full --nodes=nodes-Agency.csv ...
  --relationships=relationships-FUNDS.csv ...`` gives labelled nodes and typed
  relationships (``--nodes=Agency=nodes-Agency.csv``, as ``scripts/neo4j-dev
  import`` writes it, gives the same);
- the properties the loader writes (:meth:`~graphmodel.model.Dataset.node_rows`),
  and on every relationship ``_key``, the :func:`~graphmodel.model.rel_key` the
  loader MERGEs on, so a later ``graphmodel load`` of the same data adds no
  duplicates. Empty values are empty cells: the importer then sets no
  property, as the loader leaves out what is unknown.

Cells are written exactly (through :mod:`graphmodel.safecsv` with
neutralising off): these files are machine input, and a ``'`` put in front
of a name starting with ``=`` would change the name in the database.

Examples
--------
>>> import tempfile, pathlib
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Fund, Agency
>>> b = EmbeddedBackend(Dataset(agencies=[Agency(id="codi", name="พอช.", kind="special_agency")],
...                             funds=[Fund(id="f", name="กองทุน", agency="codi", amount_thb=5.0)]))
>>> out = pathlib.Path(tempfile.mkdtemp()) / "bulk"
>>> write_import_folder(b, out).files
{'nodes-Agency.csv': 1, 'nodes-Fund.csv': 1, 'relationships-MANAGES.csv': 1}
>>> (out / "nodes-Fund.csv").read_text(encoding="utf-8").splitlines()
['id:ID(Entity),name,amount_thb:double,:LABEL', 'f,กองทุน,5.0,Fund']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..backends.base import Backend
from ..model import ENTITY_LABELS, REL_ENDS, NodeLabel, RelType
from ..neo4j.load.plan import REL_KEY
from ..outputs import atomic_folder, move_into, unusable_folder
from ..safecsv import WriteFailed, write_rows
from .errors import ExportError
from .schema import ARRAY_DELIMITER, Spool, model_order, ordered, relationship_key, text

__all__ = ["ImportFolder", "FILE_PATTERN", "id_space", "write_import_folder"]

#: The files of an import folder (what ``scripts/neo4j-dev import`` accepts).
FILE_PATTERN = re.compile(r"(nodes|relationships)-[A-Za-z_][A-Za-z0-9_]*\.csv")
_TYPES = {"int": ":int", "long": ":long", "double": ":double", "boolean": ":boolean",
          "string[]": ":string[]", "string": ""}
# The importer reads (...) and {...} in a header as an id space and options.
_HEADER_SYNTAX = re.compile(r"[(){}]")


@dataclass(frozen=True)
class ImportFolder:
    """What :func:`write_import_folder` wrote: the folder, rows per file, and
    how many text values hold a line break (the importer then needs
    ``--multiline-fields``)."""

    folder: Path
    files: dict[str, int]
    multiline_values: int = 0


def id_space(label: str) -> str:
    """The importer's id space of a label: ``Entity`` or ``Area``.

    >>> id_space("Group"), id_space("Tambon")
    ('Entity', 'Area')
    """
    return "Entity" if label in ENTITY_LABELS else "Area"


class _Cells:
    """Turns spooled rows into CSV rows for fixed columns; counts values with line breaks."""

    def __init__(self, what: str, spool: Spool, order: list[str]):
        self.what = what
        self.types = spool.schema.types
        self.columns = ordered(self.types, order)
        self.multiline = 0
        for name in self.columns:
            if name.startswith("_") or _HEADER_SYNTAX.search(name) or "," in name or not name.strip():
                raise ExportError(
                    f"{what} has a property {name!r}, which a bulk-import header cannot name "
                    "(names starting with '_' are the loader's bookkeeping; '(', ')', '{', '}' and "
                    "',' are header syntax); rename that column")

    def header(self) -> list[str]:
        return [name + (_TYPES[self.types[name]] or (":string" if ":" in name else ""))
                for name in self.columns]

    def row(self, ids: tuple, props: dict[str, Any]) -> list[str | None]:
        """The cells of one row's properties; ``ids`` (its id, or its two ends) name it in an error."""
        out: list[str | None] = []
        for name in self.columns:
            value = props.get(name)
            if value is None:
                out.append(None)
                continue
            if isinstance(value, list) and any(ARRAY_DELIMITER in item for item in value):
                raise ExportError(f"{self.what} {'->'.join(map(repr, ids))}: property {name!r} has an item holding "
                                  f"{ARRAY_DELIMITER!r}, which the importer reads as a list delimiter")
            cell = text(value)
            if "\n" in cell or "\r" in cell:
                self.multiline += 1
            out.append(cell)
        return out


def _write_file(folder: Path, name: str, what: str, rows: Iterable[tuple], first: list[str],
                last: list[str]) -> tuple[int, int] | None:
    """Spool ``rows`` of label or type ``what``, then write ``folder/name`` with the columns found.

    Each row is ``(ids, trailing values, properties)``: ``ids`` fill the
    columns ``first`` (the id, or the two ends), the trailing values the
    columns ``last`` (``_key``), the properties the columns in between.
    Returns ``(rows, values with line breaks)``, or None when there are no rows.
    """
    try:
        with Spool(folder) as spool:
            for row in rows:
                spool.add(row)
            if not spool.rows:
                return None
            cells = _Cells(what, spool, model_order(what))
            lines = ([*ids, *cells.row(ids, props), *trail] for ids, trail, props in spool)
            written = write_rows(folder / name, [*first, *cells.header(), *last], lines,
                                 neutralise_cells=False)
            return written, cells.multiline
    except OSError as exc:  # the spool, next to the file
        raise WriteFailed(folder / name, exc.strerror or str(exc)) from exc


def _write_files(backend: Backend, tmp: Path) -> tuple[dict[str, int], int]:
    files: dict[str, int] = {}
    multiline = 0
    for label in NodeLabel:
        name = f"nodes-{label.value}.csv"
        done = _write_file(tmp, name, label.value,
                           (((row.id,), (label.value,), row.props) for row in backend.nodes(label.value)),
                           [f"id:ID({id_space(label.value)})"], [":LABEL"])
        if done:
            files[name], lines = done
            multiline += lines
    for rtype in RelType:
        name = f"relationships-{rtype.value}.csv"
        starts, ends = REL_ENDS[rtype]  # the model never mixes the two id spaces at one end
        done = _write_file(tmp, name, rtype.value,
                           (((r.start, r.end), (relationship_key(rtype, r.props), rtype.value), r.props)
                            for r in backend.relationships(rtype.value)),
                           [f":START_ID({id_space(starts[0])})", f":END_ID({id_space(ends[0])})"],
                           [REL_KEY, ":TYPE"])
        if done:
            files[name], lines = done
            multiline += lines
    return files, multiline


_UNUSABLE = {
    "not a folder": "not a folder; give a new or empty folder for the import files",
    "not empty": "the folder is not empty; give a new or empty folder, or --force to replace the "
                 "nodes-*.csv and relationships-*.csv files in it",
}


def write_import_folder(backend: Backend, out: str | Path, *, force: bool = False) -> ImportFolder:
    """Write the whole graph of ``backend`` as a bulk-import folder ``out``, all or nothing.

    The files are written into a temporary folder next to ``out`` and moved
    into place when all are complete.

    Parameters
    ----------
    backend : Backend
        The graph; each label and type is read once.
    out : path
        A new or empty folder; with ``force`` an existing one, whose
        ``nodes-*.csv`` and ``relationships-*.csv`` files are replaced (other
        files are left alone; ``scripts/neo4j-dev import`` refuses them).
    force : bool
        Allow a non-empty ``out``.

    Raises
    ------
    ExportError
        ``out`` is a file, or not empty without ``force``; a property the
        importer's header cannot name; a list item holding ``;``.
    WriteFailed
        The disk refused a write; ``out`` is as it was.
    """
    out = Path(out)
    problem = unusable_folder(out, force)
    if problem:
        raise ExportError(f"{out}: {_UNUSABLE[problem]}")
    with atomic_folder(out, tag="export") as tmp:
        files, multiline = _write_files(backend, tmp)
        # an earlier export's file for a label this data no longer has would be imported again
        move_into(tmp, out, files, stale=FILE_PATTERN.fullmatch)
    return ImportFolder(out, files, multiline)
