"""Counts of parallel and uncoordinated pairs per tambon, district or province.

:func:`summarise` reads the pairs of either twin of the overlaps rule
(:func:`~.overlaps.pairs`, in tambon order) once and, per area, counts the
parallel pairs, the uncoordinated ones and the programs involved in each.
It keeps one area's program ids at a time, so a whole country costs no more
memory than its largest province.

Examples
--------
>>> from graphmodel.analysis.overlaps import PairRow
>>> found = [PairRow("802103", "p", "q", ("x",), 2006, 2006, ()),
...          PairRow("802103", "p", "r", ("x",), 2006, 2006, ("direct_link",)),
...          PairRow("801208", "s", "t", ("y",), 2007, 2007, ())]
>>> for row in summarise(sorted(found), "province"):
...     print(row)
{'province': '80', 'name_th': 'นครศรีธรรมราช', 'name_en': 'Nakhon Si Thammarat', 'parallel_pairs': 3, 'uncoordinated_pairs': 2, 'programs': 5, 'programs_uncoordinated': 4}
>>> [(r["tambon"], r["name_en"], r["uncoordinated_pairs"]) for r in summarise(sorted(found), "tambon")]
[('801208', 'Hu Long', 1), ('802103', 'Karo', 1)]
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, Iterable, Iterator

from ..errors import ArgumentError
from ..geo import AREA_DIGITS, area_names
from .overlaps import PairRow

__all__ = ["LEVELS", "summary_columns", "summarise"]

#: The areas a summary can be made for, smallest first.
LEVELS = ("tambon", "district", "province")


def summary_columns(level: str) -> tuple[str, ...]:
    """The columns of a summary row: the area's code (named after ``level``), its names, the counts.

    >>> summary_columns("district")[:3]
    ('district', 'name_th', 'name_en')
    """
    return (level, "name_th", "name_en", "parallel_pairs", "uncoordinated_pairs", "programs",
            "programs_uncoordinated")


def summarise(pair_rows: Iterable[PairRow], level: str = "province") -> Iterator[dict[str, Any]]:
    """One row per area with at least one parallel pair, in code order.

    Parameters
    ----------
    pair_rows : iterable of PairRow
        In tambon code order (as both twins give them), so each area's pairs
        come together.
    level : {"tambon", "district", "province"}
        The area to count per.

    Yields
    ------
    dict
        :func:`summary_columns`: the area code; its Thai and English names
        (geothai; the code and None when geothai does not know it);
        ``parallel_pairs`` and ``uncoordinated_pairs`` (a pair parallel in
        two tambons counts in each); ``programs`` and
        ``programs_uncoordinated``, the distinct programs in at least one
        parallel, resp. uncoordinated, pair there.

    Notes
    -----
    O(pairs) time; memory: the program ids of one area.
    """
    if level not in LEVELS:
        raise ArgumentError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    digits = AREA_DIGITS[level]
    for code, group in groupby(pair_rows, key=lambda p: p.tambon[:digits]):
        total = uncoordinated = 0
        programs: set[str] = set()
        involved: set[str] = set()
        for p in group:
            total += 1
            programs.add(p.a)
            programs.add(p.b)
            if not p.coordinated_by:
                uncoordinated += 1
                involved.add(p.a)
                involved.add(p.b)
        name_th, name_en = area_names(code) or (code, None)
        yield {level: code, "name_th": name_th, "name_en": name_en, "parallel_pairs": total,
               "uncoordinated_pairs": uncoordinated, "programs": len(programs),
               "programs_uncoordinated": len(involved)}
