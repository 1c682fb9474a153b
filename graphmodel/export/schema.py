"""Columns and their types, learnt while rows stream past, and rows kept on disk meanwhile.

GraphML, GEXF and the bulk importer's CSV files all declare their columns
(with a type) *before* the first row, but which properties occur, and with
which types, is only known after the last row: a dataset may carry columns
beyond the contract, and a Neo4j database whatever properties were set on
it. So a writer streams each row into a :class:`Spool` (an unnamed
temporary file next to the output, one small record per row), which learns
the :class:`Schema` on the way; then it writes the declarations and reads
the rows back, one at a time. Memory stays at one row plus the schema; the
backend is read once.

Types are the four a property can have in the model, widened when one
property holds several: ``int`` (fits 32 bits), ``long``, ``double``,
``boolean``, ``string`` and ``string[]`` (a list). ``int``/``long`` with
``double`` becomes ``double``; any other mixture becomes ``string``.

Examples
--------
>>> s = Schema()
>>> s.observe({"fiscal_year": 2006, "amount_thb": 100.0, "themes": ["a", "b"]})
>>> s.observe({"fiscal_year": 2007, "amount_thb": 5, "pilot": True})
>>> s.types
{'fiscal_year': 'int', 'amount_thb': 'double', 'themes': 'string[]', 'pilot': 'boolean'}
>>> text(["poverty_data", "community_planning"]), text(True), text(100000.5)
('poverty_data;community_planning', 'true', '100000.5')
"""

from __future__ import annotations

import marshal
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from .. import model

__all__ = ["ARRAY_DELIMITER", "Schema", "Spool", "kind_of", "widen", "text", "plain", "ordered",
           "model_order", "relationship_key"]

#: Between the items of a list written into one cell or attribute (the importer's ``--array-delimiter``).
ARRAY_DELIMITER = ";"
_INT32 = range(-2**31, 2**31)


def kind_of(value: Any) -> str:
    """The type name of one property value.

    >>> [kind_of(v) for v in (True, 2006, 2**40, 1.5, "x", ["x"])]
    ['boolean', 'int', 'long', 'double', 'string', 'string[]']
    """
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if value in _INT32 else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        return "string[]"
    return "string"


def widen(a: str, b: str) -> str:
    """The type that holds values of types ``a`` and ``b``.

    >>> widen("int", "long"), widen("long", "double"), widen("boolean", "int"), widen("string[]", "string")
    ('long', 'double', 'string', 'string')
    """
    if a == b:
        return a
    numbers = {a, b}
    if numbers <= {"int", "long"}:
        return "long"
    if numbers <= {"int", "long", "double"}:
        return "double"
    return "string"


def plain(value: Any) -> Any:
    """A property value as one of the model's kinds (lists of text included); anything else as text.

    Values set on a Neo4j server by hand (dates, points) become their text.

    >>> plain(("a", "b")), plain(3), plain(None)
    (['a', 'b'], 3, None)
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, str) else str(v) for v in value]
    return str(value)


def text(value: Any) -> str:
    """A value as the text the file formats hold: ``true``/``false``, a list joined by ``;``.

    >>> text(False), text(2006), text(1e20), text("กะหรอ")
    ('false', '2006', '1e+20', 'กะหรอ')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def ordered(names: Iterable[str], preferred: Iterable[str]) -> list[str]:
    """``names`` in the ``preferred`` order, the others after them by name.

    >>> ordered(["source", "zone", "name", "kind"], ["name", "name_en", "kind", "source"])
    ['name', 'kind', 'source', 'zone']
    """
    rank = {name: i for i, name in enumerate(dict.fromkeys(preferred))}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


#: The model's record behind each node label and relationship type that has properties.
_RECORDS: dict[str, type] = {
    **{label.value: getattr(model, label.value) for label in model.NodeLabel},
    "FUNDS": model.Funding, "IMPLEMENTS": model.Implementation, "LOCATED_IN": model.Location,
    "COORDINATES_WITH": model.Coordination,
}


def model_order(name: str) -> list[str]:
    """The properties of a node label or relationship type in the model's order, ``source`` last.

    Fields that become relationships (a fund's ``agency``) are listed too;
    they never occur as properties, so they never become columns.

    >>> model_order("Fund")
    ['name', 'name_en', 'agency', 'channel', 'amount_thb', 'fiscal_year', 'source']
    >>> model_order("FUNDS"), model_order("MANAGES")
    (['fund', 'program', 'amount_thb', 'fiscal_year', 'source'], ['source'])
    """
    record = _RECORDS.get(name)
    fields = [f for f in (record.model_fields if record else ()) if f not in ("id", "extra", "source")]
    return [*fields, "source"]


class _Rel(NamedTuple):
    """The two fields of a :class:`~graphmodel.model.Relationship` that
    :func:`~graphmodel.model.rel_key` reads (building the pydantic record per row costs 20 µs)."""

    type: model.RelType
    properties: Mapping[str, Any]


def relationship_key(rtype: model.RelType, props: Mapping[str, Any]) -> str:
    """:func:`graphmodel.model.rel_key` of a relationship given by its type and properties
    (the ``_key`` the loader MERGEs on).

    >>> relationship_key(model.RelType.COORDINATES_WITH, {"tambon": "802103"})
    'COORDINATES_WITH|802103'
    """
    return model.rel_key(_Rel(rtype, props))


class Schema:
    """The properties seen so far and the type of each (widened as values come)."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}

    def observe(self, props: Mapping[str, Any]) -> None:
        """Learn from one row's properties (``None`` values are absent)."""
        types = self.types
        for key, value in props.items():
            if value is None:
                continue
            kind = kind_of(value)
            old = types.get(key)
            if old != kind:
                types[key] = kind if old is None else widen(old, kind)


class Spool:
    """Rows kept in an unnamed temporary file in ``folder`` until the columns are known.

    Each row is a tuple of plain values whose last item is its properties
    (a dict); :meth:`add` learns them into :attr:`schema`. The file
    disappears when the spool is closed, or when the process ends.

    Examples
    --------
    >>> import tempfile
    >>> with Spool(tempfile.gettempdir()) as spool:
    ...     spool.add(("p1", {"name": "แผน", "start_year": 2006}))
    ...     spool.add(("p2", {"name": "สำรวจ", "pilot": True}))
    ...     rows = list(spool)
    >>> rows[1], spool.schema.types
    (('p2', {'name': 'สำรวจ', 'pilot': True}), {'name': 'string', 'start_year': 'int', 'pilot': 'boolean'})
    """

    def __init__(self, folder: str | Path):
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".graphmodel-export-")
        self.schema = Schema()
        self.rows = 0

    def add(self, row: tuple) -> None:
        self.schema.observe(row[-1])
        data = marshal.dumps(row)
        self._file.write(len(data).to_bytes(4, "little") + data)
        self.rows += 1

    def __iter__(self) -> Iterator[tuple]:
        # Length-prefixed records: marshal.load on a file reads in many small pieces (20 µs a row).
        self._file.flush()
        self._file.seek(0)
        read, loads = self._file.read, marshal.loads
        for _ in range(self.rows):
            yield loads(read(int.from_bytes(read(4), "little")))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
