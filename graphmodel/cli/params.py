"""``--param`` values of ``graphmodel query``: command-line text made into query parameters.

``k=v`` gives the string ``v``; ``k:=JSON`` a typed value. The query then
checks the names (:meth:`graphmodel.queries.Query.bind`).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ..errors import QueryError
from ..queries import is_name

__all__ = ["parse_param", "parse_params"]


def parse_param(arg: str) -> tuple[str, Any]:
    """One ``--param``: ``k=v`` gives the string ``v``; ``k:=JSON`` gives a typed value.

    Strings stay strings, so a DOPA code such as ``0801`` keeps its leading
    zero; numbers, booleans, null, lists and maps are written as JSON after
    ``:=``.

    >>> parse_param("province=80"), parse_param("min:=1e5"), parse_param("ids:=[\\"a\\", \\"b\\"]")
    (('province', '80'), ('min', 100000.0), ('ids', ['a', 'b']))
    >>> parse_param("pilot:=true"), parse_param("name=a=b"), parse_param("x:=null")
    (('pilot', True), ('name', 'a=b'), ('x', None))
    >>> parse_param("tambon=0801"), parse_param("year:=2006")
    (('tambon', '0801'), ('year', 2006))
    """
    key, sep, value = arg.partition("=")
    typed = sep and key.endswith(":")
    if typed:
        key = key[:-1]
    key = key.strip()
    if not sep or not is_name(key):
        raise QueryError(f"bad --param {arg!r}: write NAME=TEXT, or NAME:=JSON for a number, "
                         f"true/false, null or a list")
    if not typed:
        return key, value
    try:
        return key, json.loads(value)
    except ValueError:
        raise QueryError(f"bad --param {arg!r}: {value!r} after ':=' is not JSON "
                         f"(a string is written NAME=TEXT)") from None


def parse_params(args: Iterable[str]) -> dict[str, Any]:
    """Several ``--param`` values; a name given twice is an error."""
    out: dict[str, Any] = {}
    for arg in args:
        key, value = parse_param(arg)
        if key in out:
            raise QueryError(f"--param {key} given twice")
        out[key] = value
    return out
